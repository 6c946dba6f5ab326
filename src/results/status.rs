//! Met or not, computed from the standard and what was measured, never typed by the office.
//!
//! A standard's target has one of four shapes ([`Shape`]), and each measured form either tells the
//! status for that shape, or cannot ([`Status::NotVerifiable`], with the reason the page gives),
//! or does not apply at all ([`applies`], which validation reports as an error).

use crate::model::{Measure, MeasureUnit, Measured, Outcome, Standard, Statistic, Target};

/// What a period's measurement says of a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Met,
    Missed,
    /// The figure given cannot show whether the standard was met.
    NotVerifiable(Unverifiable),
    /// Nothing measured in the period ("non rilevato"), said or not why.
    NotMeasured,
    /// A standard without a number: the outcome the office declares.
    Declared(Outcome),
}

impl Status {
    /// Every status key, as open data and the theme's strings name them.
    #[cfg(test)]
    pub(crate) const KEYS: [&'static str; 6] = [
        "met",
        "missed",
        "not_verifiable",
        "not_measured",
        "declared_met",
        "declared_missed",
    ];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NotVerifiable(_) => "not_verifiable",
            Status::NotMeasured => "not_measured",
            Status::Declared(Outcome::Met) => "declared_met",
            Status::Declared(Outcome::Missed) => "declared_missed",
        }
    }

    /// Why the status could not be computed, for the page.
    pub(crate) fn reason(self) -> Option<Unverifiable> {
        match self {
            Status::NotVerifiable(reason) => Some(reason),
            _ => None,
        }
    }
}

/// Why a measured figure cannot show whether the standard was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unverifiable {
    /// A mean says nothing of how many cases were within the threshold.
    MeanOnly,
    /// Nor does a median.
    MedianOnly,
    /// The longest case was over the threshold: how many others were is not known.
    MaximumOver,
    /// No case in the period.
    NoCases,
}

impl Unverifiable {
    #[cfg(test)]
    pub(crate) const KEYS: [&'static str; 4] =
        ["mean_only", "median_only", "maximum_over", "no_cases"];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Unverifiable::MeanOnly => "mean_only",
            Unverifiable::MedianOnly => "median_only",
            Unverifiable::MaximumOver => "maximum_over",
            Unverifiable::NoCases => "no_cases",
        }
    }
}

/// The shape of a standard's target, which decides what a measurement can show.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape<'a> {
    /// A threshold met in a share of cases: "entro 15 giorni lavorativi nel 90% dei casi".
    Share { measure: &'a Measure, share: f64 },
    /// A time every case must meet: "entro 20 minuti".
    Deadline(&'a Measure),
    /// A percentage, a count or an amount in a period, compared as it is: "superiore al 99,6%".
    Amount(&'a Measure),
    /// A standard without a number: immediate, always, on request, a promise in words.
    Words,
    /// No guaranteed level ("best effort"): nothing was promised, so nothing is measured.
    NoLevel,
    /// Not defined yet: nothing can be measured against it.
    NotDefined,
}

impl Shape<'_> {
    pub(crate) fn of(standard: &Standard) -> Shape<'_> {
        match &standard.target {
            Target::Measure(measure) => match &standard.share {
                Some(share) => Shape::Share {
                    measure,
                    share: share.value,
                },
                None if measure.unit.value.is_time() && measure.per.is_none() => {
                    Shape::Deadline(measure)
                }
                None => Shape::Amount(measure),
            },
            Target::NotDefined => Shape::NotDefined,
            Target::BestEffort => Shape::NoLevel,
            _ => Shape::Words,
        }
    }
}

/// The share of cases within the threshold, in percent. Dividing whole numbers rounds correctly,
/// so a share exactly on a target such as 99.6 reads as the same number as the target.
pub(crate) fn share_of(within: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| within as f64 * 100.0 / total as f64)
}

/// Why a measured form does not apply to a standard, for validation's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotApplicable {
    /// Cases within a threshold, for a standard that has no threshold per case (a count).
    Cases,
    /// A statistic that cannot describe this kind of target.
    Statistic(Statistic),
    /// A number for a standard without one.
    NumberForWords,
    /// A declared outcome for a standard with a number, which must be measured.
    DeclaredForNumber,
    /// Anything but "not measured" for a standard that guarantees no level.
    NoLevel,
    /// Anything for a standard not defined yet.
    NotDefined,
}

/// Whether `measured` can be read against `standard` at all.
pub(crate) fn applies(standard: &Standard, measured: &Measured) -> Result<(), NotApplicable> {
    let shape = Shape::of(standard);
    if matches!(shape, Shape::NotDefined) {
        return Err(NotApplicable::NotDefined);
    }
    match (measured, shape) {
        (Measured::Unavailable { .. }, _) => Ok(()),
        (_, Shape::NoLevel) => Err(NotApplicable::NoLevel),
        (Measured::Declared { .. }, Shape::Words) => Ok(()),
        (Measured::Declared { .. }, _) => Err(NotApplicable::DeclaredForNumber),
        (_, Shape::Words) => Err(NotApplicable::NumberForWords),
        (Measured::Cases { .. }, Shape::Amount(measure))
            if measure.unit.value != MeasureUnit::Percent =>
        {
            Err(NotApplicable::Cases)
        }
        (Measured::Cases { .. }, _) => Ok(()),
        (Measured::Value { statistic, .. }, shape) => {
            let statistic = statistic.value;
            let fits = match shape {
                Shape::Share { .. } | Shape::Deadline(_) => matches!(
                    statistic,
                    Statistic::Mean
                        | Statistic::Median
                        | Statistic::Maximum
                        | Statistic::Percentage
                ),
                Shape::Amount(measure) => match measure.unit.value {
                    MeasureUnit::Percent => matches!(
                        statistic,
                        Statistic::Percentage | Statistic::Mean | Statistic::Median
                    ),
                    MeasureUnit::Count => matches!(statistic, Statistic::Count | Statistic::Total),
                    _ => matches!(
                        statistic,
                        Statistic::Total | Statistic::Mean | Statistic::Median
                    ),
                },
                Shape::Words | Shape::NoLevel | Shape::NotDefined => false,
            };
            if fits {
                Ok(())
            } else {
                Err(NotApplicable::Statistic(statistic))
            }
        }
    }
}

/// The status of `standard` in a period, from what was measured (`None`: nothing written).
pub(crate) fn status(standard: &Standard, measured: Option<&Measured>) -> Status {
    let Some(measured) = measured else {
        return Status::NotMeasured;
    };
    if applies(standard, measured).is_err() {
        // Validation reports it as an error; a build never gets here with it.
        return Status::NotMeasured;
    }
    let met = |yes: bool| if yes { Status::Met } else { Status::Missed };
    match (measured, Shape::of(standard)) {
        (Measured::Unavailable { .. }, _) => Status::NotMeasured,
        (Measured::Declared { outcome, .. }, _) => Status::Declared(outcome.value),
        (Measured::Cases { within, total }, shape) => {
            let Some(measured_share) = share_of(within.value, total.value) else {
                return Status::NotVerifiable(Unverifiable::NoCases);
            };
            match shape {
                Shape::Share { share, .. } => met(measured_share >= share),
                // Every case must be within: all of them were, or not.
                Shape::Deadline(_) => met(within.value == total.value),
                Shape::Amount(measure) => met(measure.is_met(measured_share)),
                Shape::Words | Shape::NoLevel | Shape::NotDefined => Status::NotMeasured,
            }
        }
        (Measured::Value { value, statistic }, shape) => {
            let value = value.value;
            match (shape, statistic.value) {
                (Shape::Share { .. } | Shape::Deadline(_), Statistic::Mean) => {
                    Status::NotVerifiable(Unverifiable::MeanOnly)
                }
                (Shape::Share { .. } | Shape::Deadline(_), Statistic::Median) => {
                    Status::NotVerifiable(Unverifiable::MedianOnly)
                }
                // The share of cases within the threshold, measured elsewhere.
                (Shape::Share { share, .. }, Statistic::Percentage) => met(value >= share),
                (Shape::Deadline(_), Statistic::Percentage) => met(value >= 100.0),
                // The longest case within means every case was.
                (Shape::Share { measure, .. }, Statistic::Maximum) => {
                    if measure.is_met(value) {
                        Status::Met
                    } else {
                        Status::NotVerifiable(Unverifiable::MaximumOver)
                    }
                }
                (Shape::Deadline(measure), Statistic::Maximum) => met(measure.is_met(value)),
                (Shape::Amount(measure), _) => met(measure.is_met(value)),
                _ => Status::NotMeasured,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparator, Located, Period};

    fn at<T>(value: T) -> Located<T> {
        Located::new(value, 1, 1, 1)
    }

    fn standard(comparator: Comparator, target: f64, unit: MeasureUnit) -> Standard {
        Standard::new(
            Target::Measure(Measure {
                comparator: at(comparator),
                value: at(target),
                unit: at(unit),
                per: None,
            }),
            at(()),
        )
    }

    fn value(value: f64, statistic: Statistic) -> Measured {
        Measured::Value {
            value: at(value),
            statistic: at(statistic),
        }
    }

    fn cases(within: u64, total: u64) -> Measured {
        Measured::Cases {
            within: at(within),
            total: at(total),
        }
    }

    const ALL_COMPARATORS: [Comparator; 6] = Comparator::ALL;

    /// What the comparator says of a value exactly on the target, one over and one under.
    fn expected(comparator: Comparator) -> [bool; 3] {
        match comparator {
            Comparator::Within | Comparator::AtMost => [true, false, true],
            Comparator::AtLeast => [true, true, false],
            Comparator::Above => [false, true, false],
            Comparator::Below => [false, false, true],
            Comparator::Equal => [true, false, false],
        }
    }

    fn says(status: Status) -> bool {
        match status {
            Status::Met => true,
            Status::Missed => false,
            other => panic!("not computed: {other:?}"),
        }
    }

    /// Every comparator and every unit, with the statistic that applies to it, on the boundary:
    /// exactly on the target, one unit over, one unit under.
    #[test]
    fn every_comparator_and_unit_on_the_boundary() {
        let units = [
            (MeasureUnit::Minutes, Statistic::Maximum),
            (MeasureUnit::Hours, Statistic::Maximum),
            (MeasureUnit::Days, Statistic::Maximum),
            (MeasureUnit::WorkingDays, Statistic::Maximum),
            (MeasureUnit::CalendarDays, Statistic::Maximum),
            (MeasureUnit::Percent, Statistic::Percentage),
            (MeasureUnit::Count, Statistic::Count),
        ];
        for comparator in ALL_COMPARATORS {
            for (unit, statistic) in units {
                let target = 20.0;
                let standard = standard(comparator, target, unit);
                let got = [target, target + 1.0, target - 1.0]
                    .map(|measured| says(status(&standard, Some(&value(measured, statistic)))));
                assert_eq!(
                    got,
                    expected(comparator),
                    "{comparator:?} {unit:?} {statistic:?}"
                );
            }
        }
    }

    /// An amount per period (hours a week) compares its total, mean or median as it is.
    #[test]
    fn amounts_per_period_compare_the_value() {
        for comparator in ALL_COMPARATORS {
            let mut weekly = standard(comparator, 36.0, MeasureUnit::Hours);
            if let Target::Measure(measure) = &mut weekly.target {
                measure.per = Some(at(Period::Week));
            }
            for statistic in [Statistic::Total, Statistic::Mean, Statistic::Median] {
                let got = [36.0, 37.0, 35.0]
                    .map(|measured| says(status(&weekly, Some(&value(measured, statistic)))));
                assert_eq!(got, expected(comparator), "{comparator:?} {statistic:?}");
            }
        }
    }

    /// A count target compares the count or total in the period.
    #[test]
    fn counts_compare_count_and_total() {
        for comparator in ALL_COMPARATORS {
            let yearly = standard(comparator, 4.0, MeasureUnit::Count);
            for statistic in [Statistic::Count, Statistic::Total] {
                let got = [4.0, 5.0, 3.0]
                    .map(|measured| says(status(&yearly, Some(&value(measured, statistic)))));
                assert_eq!(got, expected(comparator), "{comparator:?} {statistic:?}");
            }
        }
    }

    /// A share of cases: exactly the target share is met, one case fewer is missed, whatever the
    /// comparator of the threshold; the share given as a percentage reads the same.
    #[test]
    fn a_share_of_cases_reaches_the_target_share() {
        for comparator in ALL_COMPARATORS {
            let mut shared = standard(comparator, 15.0, MeasureUnit::WorkingDays);
            shared.share = Some(at(90.0));
            assert_eq!(status(&shared, Some(&cases(90, 100))), Status::Met);
            assert_eq!(status(&shared, Some(&cases(91, 100))), Status::Met);
            assert_eq!(status(&shared, Some(&cases(89, 100))), Status::Missed);
            assert_eq!(status(&shared, Some(&cases(900, 1000))), Status::Met);
            assert_eq!(status(&shared, Some(&cases(899, 1000))), Status::Missed);
            let percentage = |p| status(&shared, Some(&value(p, Statistic::Percentage)));
            assert_eq!(percentage(90.0), Status::Met);
            assert_eq!(percentage(91.0), Status::Met);
            assert_eq!(percentage(89.0), Status::Missed);
        }
        // A share with decimals, exactly on it: 996 of 1,000 is 99.6%.
        let mut available = standard(Comparator::Within, 4.0, MeasureUnit::Hours);
        available.share = Some(at(99.6));
        assert_eq!(status(&available, Some(&cases(996, 1000))), Status::Met);
        assert_eq!(status(&available, Some(&cases(995, 1000))), Status::Missed);
        let mut thirds = standard(Comparator::Within, 3.0, MeasureUnit::Days);
        thirds.share = Some(at(85.0));
        assert_eq!(status(&thirds, Some(&cases(17, 20))), Status::Met);
        assert_eq!(status(&thirds, Some(&cases(16, 20))), Status::Missed);
    }

    /// A time every case must meet: all cases within, or the maximum within; a mean or a median
    /// cannot show it.
    #[test]
    fn a_deadline_for_every_case() {
        let deadline = standard(Comparator::Within, 20.0, MeasureUnit::Minutes);
        assert_eq!(status(&deadline, Some(&cases(40, 40))), Status::Met);
        assert_eq!(status(&deadline, Some(&cases(39, 40))), Status::Missed);
        assert_eq!(
            status(&deadline, Some(&cases(0, 0))),
            Status::NotVerifiable(Unverifiable::NoCases)
        );
        let of = |v, s| status(&deadline, Some(&value(v, s)));
        assert_eq!(of(20.0, Statistic::Maximum), Status::Met);
        assert_eq!(of(21.0, Statistic::Maximum), Status::Missed);
        assert_eq!(of(19.0, Statistic::Maximum), Status::Met);
        assert_eq!(of(100.0, Statistic::Percentage), Status::Met);
        assert_eq!(of(99.0, Statistic::Percentage), Status::Missed);
        for v in [19.0, 20.0, 21.0] {
            assert_eq!(
                of(v, Statistic::Mean),
                Status::NotVerifiable(Unverifiable::MeanOnly)
            );
            assert_eq!(
                of(v, Statistic::Median),
                Status::NotVerifiable(Unverifiable::MedianOnly)
            );
        }
        let below = standard(Comparator::Below, 20.0, MeasureUnit::Minutes);
        assert_eq!(
            status(&below, Some(&value(20.0, Statistic::Maximum))),
            Status::Missed
        );
        assert_eq!(
            status(&below, Some(&value(19.0, Statistic::Maximum))),
            Status::Met
        );
    }

    /// For a share, the maximum within shows every case was; over, it cannot tell how many were.
    #[test]
    fn a_share_with_a_maximum_or_a_mean() {
        let mut shared = standard(Comparator::AtMost, 20.0, MeasureUnit::CalendarDays);
        shared.share = Some(at(90.0));
        let of = |v, s| status(&shared, Some(&value(v, s)));
        assert_eq!(of(20.0, Statistic::Maximum), Status::Met);
        assert_eq!(of(19.0, Statistic::Maximum), Status::Met);
        assert_eq!(
            of(21.0, Statistic::Maximum),
            Status::NotVerifiable(Unverifiable::MaximumOver)
        );
        assert_eq!(
            of(5.0, Statistic::Mean),
            Status::NotVerifiable(Unverifiable::MeanOnly)
        );
        assert_eq!(
            of(5.0, Statistic::Median),
            Status::NotVerifiable(Unverifiable::MedianOnly)
        );
    }

    /// A percentage target measured as cases: the share computed, compared with the comparator.
    #[test]
    fn a_percentage_target_from_cases() {
        let above = standard(Comparator::Above, 99.6, MeasureUnit::Percent);
        assert_eq!(status(&above, Some(&cases(996, 1000))), Status::Missed);
        assert_eq!(status(&above, Some(&cases(997, 1000))), Status::Met);
        let at_least = standard(Comparator::AtLeast, 99.6, MeasureUnit::Percent);
        assert_eq!(status(&at_least, Some(&cases(996, 1000))), Status::Met);
        assert_eq!(status(&at_least, Some(&cases(995, 1000))), Status::Missed);
    }

    #[test]
    fn nothing_measured_and_declared_outcomes() {
        let deadline = standard(Comparator::Within, 20.0, MeasureUnit::Minutes);
        assert_eq!(status(&deadline, None), Status::NotMeasured);
        let reason = Measured::Unavailable {
            reason: "rilevazione sospesa".into(),
        };
        assert_eq!(status(&deadline, Some(&reason)), Status::NotMeasured);
        let words = Standard::new(Target::Immediate, at(()));
        let declared = |outcome| Measured::Declared {
            outcome: at(outcome),
            evidence: "registro".into(),
        };
        assert_eq!(
            status(&words, Some(&declared(Outcome::Met))),
            Status::Declared(Outcome::Met)
        );
        assert_eq!(
            status(&words, Some(&declared(Outcome::Missed))),
            Status::Declared(Outcome::Missed)
        );
        assert_eq!(status(&words, None), Status::NotMeasured);
    }

    #[test]
    fn forms_that_do_not_apply() {
        let deadline = standard(Comparator::Within, 20.0, MeasureUnit::Minutes);
        let declared = Measured::Declared {
            outcome: at(Outcome::Met),
            evidence: "x".into(),
        };
        assert_eq!(
            applies(&deadline, &declared),
            Err(NotApplicable::DeclaredForNumber)
        );
        assert_eq!(
            applies(&deadline, &value(3.0, Statistic::Total)),
            Err(NotApplicable::Statistic(Statistic::Total))
        );
        assert_eq!(
            applies(&deadline, &value(3.0, Statistic::Count)),
            Err(NotApplicable::Statistic(Statistic::Count))
        );
        let words = Standard::new(Target::Always, at(()));
        assert_eq!(
            applies(&words, &cases(1, 2)),
            Err(NotApplicable::NumberForWords)
        );
        let count = standard(Comparator::AtLeast, 4.0, MeasureUnit::Count);
        assert_eq!(applies(&count, &cases(1, 2)), Err(NotApplicable::Cases));
        assert_eq!(
            applies(&count, &value(3.0, Statistic::Mean)),
            Err(NotApplicable::Statistic(Statistic::Mean))
        );
        let percent = standard(Comparator::Above, 99.6, MeasureUnit::Percent);
        assert_eq!(
            applies(&percent, &value(3.0, Statistic::Maximum)),
            Err(NotApplicable::Statistic(Statistic::Maximum))
        );
        let no_level = Standard::new(Target::BestEffort, at(()));
        assert_eq!(applies(&no_level, &declared), Err(NotApplicable::NoLevel));
        let undefined = Standard::new(Target::NotDefined, at(()));
        assert_eq!(
            applies(&undefined, &declared),
            Err(NotApplicable::NotDefined)
        );
    }

    #[test]
    fn status_keys_are_unique_and_listed() {
        let all = [
            Status::Met,
            Status::Missed,
            Status::NotVerifiable(Unverifiable::MeanOnly),
            Status::NotMeasured,
            Status::Declared(Outcome::Met),
            Status::Declared(Outcome::Missed),
        ];
        let keys: Vec<_> = all.iter().map(|s| s.key()).collect();
        assert_eq!(keys, Status::KEYS);
        let reasons = [
            Unverifiable::MeanOnly,
            Unverifiable::MedianOnly,
            Unverifiable::MaximumOver,
            Unverifiable::NoCases,
        ];
        assert_eq!(reasons.map(Unverifiable::key), Unverifiable::KEYS);
    }
}
