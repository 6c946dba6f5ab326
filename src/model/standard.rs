//! Standards of quality, as CIVIT delibera 88/2010 and 3/2012 describe them: a dimension, an
//! indicator, an optional formula and a programmed value (the target) in its own unit, with a
//! comparator, an optional share of cases and the kind of standard (specific or general).
//!
//! The short forms Firenze's charter uses (`take_charge`, `response`, `availability`, `on_request`,
//! `best_effort`) are presets of the same [`Standard`]: they fill in the dimension, the target and
//! the share, and keep the sentence the theme has for them. A standard "not yet defined" is a value
//! of its own ([`Target::NotDefined`]), never a number.
//!
//! Every target with a number is machine-comparable: a [`Comparator`], a value and a [`MeasureUnit`]
//! (and a [`Period`] for amounts per period), so a measured result can be checked against it
//! ([`Measure::is_met`]). Every standard has a stable id within its commitment.

use super::Located;

/// One standard of a commitment.
#[derive(Debug, Clone)]
pub(crate) struct Standard {
    /// Stable within the commitment: the `id` written, or one derived from the short form or the
    /// indicator (see [`StandardList`]).
    pub(crate) id: Located<String>,
    /// True when the content wrote `id:`; false when carta derived it.
    pub(crate) id_written: bool,
    /// The short form it was written in, if any.
    pub(crate) preset: Option<Preset>,
    pub(crate) dimension: Option<Dimension>,
    /// CIVIT sub-dimension, free text: "accessibilità multicanale", "conformità"…
    pub(crate) sub_dimension: Option<String>,
    /// What is measured, in words ("Tempo di risposta ai reclami"); `None` for the short forms,
    /// whose indicator is named by the theme.
    pub(crate) indicator: Option<String>,
    pub(crate) formula: Option<String>,
    pub(crate) target: Target,
    /// Share of cases in which the target is met ("nel 90% dei casi"), in percent.
    pub(crate) share: Option<Located<f64>>,
    /// The kind written in the content; see [`Standard::civit_kind`] for the one that applies.
    pub(crate) kind: Option<Located<StandardKind>>,
    /// The law or rule that sets the target ("art. 2, l. 241/1990").
    pub(crate) legal_basis: Option<String>,
    pub(crate) note: Option<String>,
    /// Where the standard is written: the start of its list item.
    pub(crate) at: Located<()>,
}

/// The short forms, presets of the general standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Preset {
    /// Take charge of a request within N days in P% of cases.
    TakeCharge,
    /// Answer within N days in P% of cases.
    Response,
    /// Availability above P% per year.
    Availability,
    /// Delivered on request.
    OnRequest,
    /// No guaranteed level.
    BestEffort,
    /// The standard is not defined yet.
    NotDefined,
}

impl Preset {
    /// Every short form, as written in the content files.
    pub(crate) const KEYS: [&'static str; 6] = [
        "take_charge",
        "response",
        "availability",
        "on_request",
        "best_effort",
        "not_defined",
    ];

    pub(crate) fn from_key(key: &str) -> Option<Preset> {
        Some(match key {
            "take_charge" => Preset::TakeCharge,
            "response" => Preset::Response,
            "availability" => Preset::Availability,
            "on_request" => Preset::OnRequest,
            "best_effort" => Preset::BestEffort,
            "not_defined" => Preset::NotDefined,
            _ => return None,
        })
    }

    /// The key used in the content files and in open data.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Preset::TakeCharge => "take_charge",
            Preset::Response => "response",
            Preset::Availability => "availability",
            Preset::OnRequest => "on_request",
            Preset::BestEffort => "best_effort",
            Preset::NotDefined => "not_defined",
        }
    }

    /// The id a standard written in this short form gets when it has none: the key with hyphens.
    pub(crate) fn id_base(self) -> &'static str {
        match self {
            Preset::TakeCharge => "take-charge",
            Preset::Response => "response",
            Preset::Availability => "availability",
            Preset::OnRequest => "on-request",
            Preset::BestEffort => "best-effort",
            Preset::NotDefined => "not-defined",
        }
    }
}

/// The four dimensions of quality of CIVIT delibera 88/2010.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dimension {
    Accessibility,
    Timeliness,
    Transparency,
    Effectiveness,
}

impl Dimension {
    /// As written in the content: the Italian names (accents optional).
    pub(crate) const NAMES: [&'static str; 4] =
        ["accessibilità", "tempestività", "trasparenza", "efficacia"];

    /// Reads a dimension, ignoring case and accents: `Tempestività`, `tempestivita`.
    pub(crate) fn parse(text: &str) -> Option<Dimension> {
        let plain: String = text
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'à' | 'á' => 'a',
                'è' | 'é' => 'e',
                'ì' | 'í' => 'i',
                'ò' | 'ó' => 'o',
                'ù' | 'ú' => 'u',
                other => other,
            })
            .collect();
        Some(match plain.as_str() {
            "accessibilita" => Dimension::Accessibility,
            "tempestivita" => Dimension::Timeliness,
            "trasparenza" => Dimension::Transparency,
            "efficacia" => Dimension::Effectiveness,
            _ => return None,
        })
    }

    /// The code in open data: ASCII, without accents.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Dimension::Accessibility => "accessibilita",
            Dimension::Timeliness => "tempestivita",
            Dimension::Transparency => "trasparenza",
            Dimension::Effectiveness => "efficacia",
        }
    }
}

/// CIVIT's kinds of standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StandardKind {
    /// A threshold each user can check for their own case ("entro 30 giorni").
    Specific,
    /// A value over all cases: an average, a share, a total ("nel 90% dei casi", "98% annuo").
    General,
}

impl StandardKind {
    pub(crate) const KEYS: [&'static str; 2] = ["specific", "general"];

    pub(crate) fn from_key(key: &str) -> Option<StandardKind> {
        match key {
            "specific" => Some(StandardKind::Specific),
            "general" => Some(StandardKind::General),
            _ => None,
        }
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            StandardKind::Specific => "specific",
            StandardKind::General => "general",
        }
    }
}

/// The programmed value.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A number in a unit, with a comparator: "entro 20 giorni lavorativi", "superiore al 98%".
    Measure(Measure),
    /// At once, when asked.
    Immediate,
    /// Round the clock: 24 hours a day, 7 days a week.
    Always,
    /// Delivered on request.
    OnRequest,
    /// No guaranteed level.
    BestEffort,
    /// A promise in words, without a number.
    Promise(String),
    /// The standard is not defined yet: said so, never shown as a number.
    NotDefined,
}

impl Target {
    /// Every target without a number, as written in the content (`target: immediate`).
    pub(crate) const WORDS: [&'static str; 5] = [
        "immediate",
        "always",
        "on_request",
        "best_effort",
        "not_defined",
    ];

    /// The key used in open data for the kind of target.
    pub(crate) fn key(&self) -> &'static str {
        match self {
            Target::Measure(_) => "measure",
            Target::Immediate => "immediate",
            Target::Always => "always",
            Target::OnRequest => "on_request",
            Target::BestEffort => "best_effort",
            Target::Promise(_) => "promise",
            Target::NotDefined => "not_defined",
        }
    }

    pub(crate) fn measure(&self) -> Option<&Measure> {
        match self {
            Target::Measure(measure) => Some(measure),
            _ => None,
        }
    }
}

/// A number in a unit and how a result compares with it.
#[derive(Debug, Clone)]
pub(crate) struct Measure {
    pub(crate) comparator: Located<Comparator>,
    pub(crate) value: Located<f64>,
    pub(crate) unit: Located<MeasureUnit>,
    /// For amounts per period ("30 ore alla settimana") and shares measured over a period
    /// ("98% su base annua").
    pub(crate) per: Option<Located<Period>>,
}

impl Measure {
    /// True when a measured value meets the target: for a deadline, the time taken; for a share,
    /// the percentage measured; for a count, the count in the period.
    pub(crate) fn is_met(&self, measured: f64) -> bool {
        self.comparator.value.accepts(measured, self.value.value)
    }
}

/// How a result compares with the programmed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    /// A deadline: at most this much time ("entro").
    Within,
    /// At most ("al massimo").
    AtMost,
    /// At least ("almeno").
    AtLeast,
    /// Strictly more than ("superiore a").
    Above,
    /// Strictly less than ("inferiore a").
    Below,
    /// Exactly this much ("pari a"): neither a floor nor a ceiling, as "36 ore di apertura
    /// settimanali".
    Equal,
}

impl Comparator {
    /// Every comparator, as written in the content files (`target: {at_least: 30, …}`).
    pub(crate) const KEYS: [&'static str; 6] =
        ["within", "at_most", "at_least", "above", "below", "equal"];

    /// Every comparator, in the order of [`Comparator::KEYS`].
    #[cfg(test)]
    pub(crate) const ALL: [Comparator; 6] = [
        Comparator::Within,
        Comparator::AtMost,
        Comparator::AtLeast,
        Comparator::Above,
        Comparator::Below,
        Comparator::Equal,
    ];

    pub(crate) fn from_key(key: &str) -> Option<Comparator> {
        Some(match key {
            "within" => Comparator::Within,
            "at_most" => Comparator::AtMost,
            "at_least" => Comparator::AtLeast,
            "above" => Comparator::Above,
            "below" => Comparator::Below,
            "equal" => Comparator::Equal,
            _ => return None,
        })
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            Comparator::Within => "within",
            Comparator::AtMost => "at_most",
            Comparator::AtLeast => "at_least",
            Comparator::Above => "above",
            Comparator::Below => "below",
            Comparator::Equal => "equal",
        }
    }

    /// True when `measured` satisfies the comparison with `target`.
    pub(crate) fn accepts(self, measured: f64, target: f64) -> bool {
        match self {
            Comparator::Within | Comparator::AtMost => measured <= target,
            Comparator::AtLeast => measured >= target,
            Comparator::Above => measured > target,
            Comparator::Below => measured < target,
            // Measured values are rounded as the target is written: two decimals at most.
            Comparator::Equal => (measured - target).abs() < 0.005,
        }
    }

    /// Whether a larger target promises more ("almeno 40" is more than "almeno 30"), or less
    /// ("entro 20" is less than "entro 10"); `None` for an exact value, which is neither.
    pub(crate) fn larger_is_better(self) -> Option<bool> {
        match self {
            Comparator::AtLeast | Comparator::Above => Some(true),
            Comparator::Within | Comparator::AtMost | Comparator::Below => Some(false),
            Comparator::Equal => None,
        }
    }
}

/// The unit of a programmed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MeasureUnit {
    Minutes,
    Hours,
    /// Days, without saying which (the short forms written without `unit`).
    Days,
    WorkingDays,
    CalendarDays,
    Percent,
    /// A number of things (surveys, reports, hosts…), usually per period.
    Count,
}

impl MeasureUnit {
    pub(crate) const KEYS: [&'static str; 7] = [
        "minutes",
        "hours",
        "days",
        "working_days",
        "calendar_days",
        "percent",
        "count",
    ];

    pub(crate) fn from_key(key: &str) -> Option<MeasureUnit> {
        Some(match key {
            "minutes" => MeasureUnit::Minutes,
            "hours" => MeasureUnit::Hours,
            "days" => MeasureUnit::Days,
            "working_days" => MeasureUnit::WorkingDays,
            "calendar_days" => MeasureUnit::CalendarDays,
            "percent" => MeasureUnit::Percent,
            "count" => MeasureUnit::Count,
            _ => return None,
        })
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            MeasureUnit::Minutes => "minutes",
            MeasureUnit::Hours => "hours",
            MeasureUnit::Days => "days",
            MeasureUnit::WorkingDays => "working_days",
            MeasureUnit::CalendarDays => "calendar_days",
            MeasureUnit::Percent => "percent",
            MeasureUnit::Count => "count",
        }
    }

    /// Minutes, hours and the three kinds of days.
    pub(crate) fn is_time(self) -> bool {
        matches!(
            self,
            MeasureUnit::Minutes
                | MeasureUnit::Hours
                | MeasureUnit::Days
                | MeasureUnit::WorkingDays
                | MeasureUnit::CalendarDays
        )
    }

    /// Units counted in whole numbers: days and counts.
    pub(crate) fn is_whole(self) -> bool {
        matches!(
            self,
            MeasureUnit::Days
                | MeasureUnit::WorkingDays
                | MeasureUnit::CalendarDays
                | MeasureUnit::Count
        )
    }

    /// The shortest period an amount of this unit can be counted in: hours per day, days per
    /// week; `None` for minutes, which measure a wait, not an amount per period.
    pub(crate) fn shortest_period(self) -> Option<Period> {
        match self {
            MeasureUnit::Minutes => None,
            MeasureUnit::Hours | MeasureUnit::Percent | MeasureUnit::Count => Some(Period::Day),
            MeasureUnit::Days | MeasureUnit::WorkingDays | MeasureUnit::CalendarDays => {
                Some(Period::Week)
            }
        }
    }
}

/// The period an amount or a share refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    pub(crate) const KEYS: [&'static str; 4] = ["day", "week", "month", "year"];

    pub(crate) fn from_key(key: &str) -> Option<Period> {
        Some(match key {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "year" => Period::Year,
            _ => return None,
        })
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

impl Standard {
    /// A standard with only a target, written at `at`; ids are assigned by [`StandardList`].
    pub(crate) fn new(target: Target, at: Located<()>) -> Standard {
        Standard {
            id: Located::new(String::new(), at.line, at.col, at.len),
            id_written: false,
            preset: None,
            dimension: None,
            sub_dimension: None,
            indicator: None,
            formula: None,
            target,
            share: None,
            kind: None,
            legal_basis: None,
            note: None,
            at,
        }
    }

    /// Takes the id written in the content, if any.
    pub(crate) fn set_written_id(&mut self, id: Option<Located<String>>) {
        if let Some(id) = id {
            self.id = id;
            self.id_written = true;
        }
    }

    /// True unless the standard is explicitly not defined yet.
    pub(crate) fn is_defined(&self) -> bool {
        !matches!(self.target, Target::NotDefined)
    }

    /// The CIVIT kind: the one written, or the one its target implies. A share of cases, a
    /// percentage, a count or an amount per period describe all cases together (general); a
    /// threshold on the time of one case, or an immediate or round-the-clock service, can be
    /// checked by each user (specific). Targets without a measure have none unless written.
    pub(crate) fn civit_kind(&self) -> Option<StandardKind> {
        if let Some(kind) = &self.kind {
            return Some(kind.value);
        }
        match &self.target {
            Target::Measure(measure) => Some(
                if self.share.is_some() || measure.per.is_some() || !measure.unit.value.is_time() {
                    StandardKind::General
                } else {
                    StandardKind::Specific
                },
            ),
            Target::Immediate | Target::Always => Some(StandardKind::Specific),
            Target::OnRequest | Target::BestEffort | Target::Promise(_) | Target::NotDefined => {
                None
            }
        }
    }

    /// The base of the id derived for a standard without `id:`: the short form's key, or the
    /// indicator as a slug.
    fn id_base(&self) -> String {
        match (self.preset, &self.indicator) {
            (Some(preset), _) => preset.id_base().to_string(),
            (None, Some(indicator)) => {
                let slug = crate::slug::slugify(indicator);
                if slug.is_empty() {
                    "standard".to_string()
                } else {
                    slug
                }
            }
            (None, None) => "standard".to_string(),
        }
    }
}

/// The standards of a commitment, as written: a list, or `not_defined` for a commitment whose
/// standards are not defined yet (one [`Target::NotDefined`] standard).
#[derive(Debug, Clone)]
pub(crate) struct StandardList {
    pub(crate) items: Vec<Standard>,
    /// True when written as `standards: not_defined`.
    pub(crate) not_defined: bool,
    /// Where the list (or the word) is written.
    pub(crate) at: Located<()>,
}

impl StandardList {
    /// Builds the list and gives every standard without `id:` a stable derived one: its base, then
    /// `-2`, `-3`… for the second and third standard with the same base, skipping ids written
    /// explicitly. The same content always gives the same ids.
    pub(crate) fn new(
        mut items: Vec<Standard>,
        not_defined: bool,
        at: Located<()>,
    ) -> StandardList {
        let written: Vec<String> = items
            .iter()
            .filter(|standard| standard.id_written)
            .map(|standard| standard.id.value.clone())
            .collect();
        let mut taken: Vec<String> = Vec::new();
        for standard in items.iter_mut().filter(|standard| !standard.id_written) {
            let base = standard.id_base();
            let mut candidate = base.clone();
            let mut n = 1;
            while taken.contains(&candidate) || written.contains(&candidate) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            taken.push(candidate.clone());
            standard.id.value = candidate;
        }
        StandardList {
            items,
            not_defined,
            at,
        }
    }
}

impl std::ops::Deref for StandardList {
    type Target = [Standard];

    fn deref(&self) -> &[Standard] {
        &self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Located<()> {
        Located::new((), 1, 1, 1)
    }

    fn preset(preset: Preset) -> Standard {
        let mut standard = Standard::new(Target::OnRequest, at());
        standard.preset = Some(preset);
        standard
    }

    #[test]
    fn derived_ids_are_stable_and_unique() {
        let mut full = Standard::new(Target::Immediate, at());
        full.indicator = Some("Tempo di rilascio del certificato".into());
        let mut written = Standard::new(Target::Always, at());
        written.id = Located::new("take-charge-2".into(), 1, 1, 1);
        written.id_written = true;
        let list = StandardList::new(
            vec![
                preset(Preset::TakeCharge),
                written,
                preset(Preset::TakeCharge),
                full,
                preset(Preset::TakeCharge),
            ],
            false,
            at(),
        );
        let ids: Vec<&str> = list.iter().map(|s| s.id.value.as_str()).collect();
        assert_eq!(
            ids,
            [
                "take-charge",
                "take-charge-2",
                "take-charge-3",
                "tempo-di-rilascio-del-certificato",
                "take-charge-4"
            ]
        );
    }

    #[test]
    fn comparators_decide_whether_a_result_meets_the_target() {
        let cases = [
            (Comparator::Within, 3.0, 3.0, true),
            (Comparator::Within, 3.5, 3.0, false),
            (Comparator::AtMost, 10.0, 10.0, true),
            (Comparator::AtLeast, 35.0, 35.0, true),
            (Comparator::AtLeast, 34.9, 35.0, false),
            (Comparator::Above, 98.0, 98.0, false),
            (Comparator::Above, 98.1, 98.0, true),
            (Comparator::Below, 10.0, 10.0, false),
            (Comparator::Below, 9.9, 10.0, true),
            (Comparator::Equal, 36.0, 36.0, true),
            (Comparator::Equal, 35.0, 36.0, false),
            (Comparator::Equal, 37.0, 36.0, false),
        ];
        for (comparator, measured, target, met) in cases {
            assert_eq!(
                comparator.accepts(measured, target),
                met,
                "{comparator:?} {measured} vs {target}"
            );
        }
    }

    #[test]
    fn the_kind_follows_the_target_unless_written() {
        let measure = |unit, per| {
            Target::Measure(Measure {
                comparator: Located::new(Comparator::Within, 1, 1, 1),
                value: Located::new(20.0, 1, 1, 1),
                unit: Located::new(unit, 1, 1, 1),
                per,
            })
        };
        let deadline = Standard::new(measure(MeasureUnit::WorkingDays, None), at());
        assert_eq!(deadline.civit_kind(), Some(StandardKind::Specific));
        let mut shared = deadline.clone();
        shared.share = Some(Located::new(90.0, 1, 1, 1));
        assert_eq!(shared.civit_kind(), Some(StandardKind::General));
        let yearly = Standard::new(
            measure(
                MeasureUnit::Count,
                Some(Located::new(Period::Year, 1, 1, 1)),
            ),
            at(),
        );
        assert_eq!(yearly.civit_kind(), Some(StandardKind::General));
        assert_eq!(Standard::new(Target::NotDefined, at()).civit_kind(), None);
        let mut written = Standard::new(Target::Promise("x".into()), at());
        written.kind = Some(Located::new(StandardKind::General, 1, 1, 1));
        assert_eq!(written.civit_kind(), Some(StandardKind::General));
    }

    /// Each list of keys, its `from_key` and its `key` agree: every key reads back as itself, and
    /// every variant has a key in the list (a variant added without its key fails here).
    #[test]
    fn every_key_round_trips() {
        fn round_trip<T: Copy + PartialEq + std::fmt::Debug>(
            keys: &[&str],
            from_key: impl Fn(&str) -> Option<T>,
            key: impl Fn(T) -> &'static str,
            variants: &[T],
        ) {
            for written in keys {
                let value = from_key(written).unwrap_or_else(|| panic!("{written} is not read"));
                assert_eq!(key(value), *written);
            }
            for variant in variants {
                assert!(keys.contains(&key(*variant)), "{variant:?} has no key");
            }
            assert_eq!(keys.len(), variants.len(), "{keys:?}");
            assert_eq!(from_key("nessuno"), None);
        }
        round_trip(
            &Preset::KEYS,
            Preset::from_key,
            Preset::key,
            &[
                Preset::TakeCharge,
                Preset::Response,
                Preset::Availability,
                Preset::OnRequest,
                Preset::BestEffort,
                Preset::NotDefined,
            ],
        );
        round_trip(
            &StandardKind::KEYS,
            StandardKind::from_key,
            StandardKind::key,
            &[StandardKind::Specific, StandardKind::General],
        );
        round_trip(
            &Comparator::KEYS,
            Comparator::from_key,
            Comparator::key,
            &Comparator::ALL,
        );
        round_trip(
            &MeasureUnit::KEYS,
            MeasureUnit::from_key,
            MeasureUnit::key,
            &[
                MeasureUnit::Minutes,
                MeasureUnit::Hours,
                MeasureUnit::Days,
                MeasureUnit::WorkingDays,
                MeasureUnit::CalendarDays,
                MeasureUnit::Percent,
                MeasureUnit::Count,
            ],
        );
        round_trip(
            &Period::KEYS,
            Period::from_key,
            Period::key,
            &[Period::Day, Period::Week, Period::Month, Period::Year],
        );
        // Dimensions are written with their accents and exported by code, without them.
        let dimensions = [
            Dimension::Accessibility,
            Dimension::Timeliness,
            Dimension::Transparency,
            Dimension::Effectiveness,
        ];
        let codes = dimensions.map(Dimension::code);
        round_trip(&codes, Dimension::parse, Dimension::code, &dimensions);
        let named: Vec<_> = Dimension::NAMES
            .iter()
            .filter_map(|name| Dimension::parse(name))
            .collect();
        assert_eq!(named, dimensions);
    }

    #[test]
    fn dimensions_are_read_without_accents_or_case() {
        assert_eq!(
            Dimension::parse("Tempestività"),
            Some(Dimension::Timeliness)
        );
        assert_eq!(
            Dimension::parse("accessibilita"),
            Some(Dimension::Accessibility)
        );
        assert_eq!(Dimension::parse("velocità"), None);
    }
}
