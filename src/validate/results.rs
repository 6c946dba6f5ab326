//! Checks of the measured results (`content/data/results.yaml` or `.csv`): each result names a
//! standard that exists and can be measured, in a form and unit that fit it, with possible
//! figures; periods that are over and do not overlap; and a warning for a standard with no result
//! in the last period that ended, or with results compared across a change of its target.

use std::collections::{HashMap, HashSet};

use super::Checker;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::editions::changes::{self, Direction};
use crate::model::{
    Commitment, Date, Located, MeasureUnit, Measured, Measurement, Project, Span, SpanKind,
    Standard, Statistic,
};
use crate::results::status::{self, NotApplicable};
use crate::results::targets::Targets;
use crate::source::FileId;

impl Checker<'_> {
    pub(super) fn results(&mut self, project: &Project, today: Date) {
        let Some(results) = &project.results else {
            return;
        };
        let file = results.file;
        let commitments: HashMap<&str, &Commitment> = project
            .commitments
            .data
            .commitments
            .iter()
            .map(|commitment| (commitment.id.value.as_str(), commitment))
            .collect();
        // A result is checked against the standard as its period read it (see `results::targets`).
        let targets = Targets::new(project);
        let mut spans: Vec<&Located<Span>> = Vec::new();
        for period in &results.data.periods {
            let span = &period.span;
            // A period only feedback.yaml has is checked there.
            if !period.from_feedback {
                self.period_ended(file, span, today);
                spans.push(span);
            }
            let mut seen: HashSet<(&str, &str)> = HashSet::new();
            for measurement in &period.results {
                let key = (
                    measurement.commitment.value.as_str(),
                    measurement.standard.value.as_str(),
                );
                if !seen.insert(key) {
                    let diagnostic = Diagnostic::error(
                        "E279",
                        format!(
                            "lo standard {} / {} ha due risultati nel periodo {}",
                            key.0,
                            key.1,
                            span.key()
                        ),
                    );
                    self.push(
                        self.located(diagnostic, measurement.file(file), &measurement.standard)
                            .with_hint("tieni un solo risultato per standard in ogni periodo: se un'indagine lo misura (`commitment` e `standard` in feedback.yaml), non scriverlo anche nei risultati"),
                    );
                }
                let then = |commitment: &str, standard| {
                    targets.applied(commitment, standard, span.to).standard
                };
                self.measurement(measurement.file(file), measurement, &commitments, &then);
            }
        }
        self.overlaps(file, spans);
        self.missing_results(project, today);
        let rows = crate::results::rows(project);
        self.remedies(project, &rows);
        self.across_editions(&rows, file);
    }

    /// `E275` for a period that has not ended yet.
    pub(super) fn period_ended(&mut self, file: FileId, span: &Located<Span>, today: Date) {
        if span.to >= today {
            let diagnostic = Diagnostic::error(
                "E275",
                format!(
                    "il periodo {} non è ancora finito: finisce il {}",
                    span.key(),
                    span.to.iso()
                ),
            );
            self.push(self.located(diagnostic, file, span).with_hint(
                "pubblica i risultati di un periodo quando è concluso; se la data è sbagliata, correggila",
            ));
        }
    }

    /// Periods sorted by their first day overlap when one starts before the latest end so far.
    pub(super) fn overlaps(&mut self, file: FileId, mut spans: Vec<&Located<Span>>) {
        spans.sort_by_key(|span| (span.from, span.to));
        let mut latest: Option<&Located<Span>> = None;
        for span in spans {
            if let Some(before) = latest
                && before.overlaps(span)
            {
                let diagnostic = Diagnostic::error(
                    "E274",
                    format!(
                        "il periodo {} si sovrappone al periodo {}",
                        span.key(),
                        before.key()
                    ),
                );
                self.push(self.located(diagnostic, file, span).with_hint(
                    "ogni giorno appartiene a un solo periodo: usa anni, semestri o trimestri senza mescolarli per lo stesso tempo",
                ));
            }
            if latest.is_none_or(|before| span.to > before.to) {
                latest = Some(span);
            }
        }
    }

    /// Checks one result; `then` gives the standard as its period read it (the edition in force
    /// at its end), from today's.
    fn measurement<'a>(
        &mut self,
        file: FileId,
        measurement: &Measurement,
        commitments: &HashMap<&str, &'a Commitment>,
        then: &dyn Fn(&str, &'a Standard) -> &'a Standard,
    ) {
        let name = &measurement.commitment;
        let Some(commitment) = commitments.get(name.value.as_str()) else {
            let mut diagnostic =
                Diagnostic::error("E270", format!("l'impegno `{}` non esiste", name.value));
            diagnostic = match did_you_mean(&name.value, commitments.keys().copied()) {
                Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
                None => diagnostic
                    .with_hint("scrivi l'`id` di un impegno di content/data/commitments.yaml"),
            };
            self.push(self.located(diagnostic, file, name));
            return;
        };
        let wanted = &measurement.standard;
        let Some(standard) = commitment
            .standards
            .iter()
            .find(|standard| standard.id.value == wanted.value)
        else {
            let ids: Vec<&str> = commitment
                .standards
                .iter()
                .map(|standard| standard.id.value.as_str())
                .collect();
            let diagnostic = Diagnostic::error(
                "E271",
                format!(
                    "l'impegno `{}` non ha uno standard `{}`",
                    name.value, wanted.value
                ),
            )
            .with_hint(match did_you_mean(&wanted.value, ids.iter().copied()) {
                Some(close) => format!("forse intendevi `{close}`?"),
                None => format!("gli standard di questo impegno sono: {}", ids.join(", ")),
            });
            self.push(self.located(diagnostic, file, wanted));
            return;
        };
        let standard = then(&commitment.id.value, standard);
        let what = format!("{} / {}", name.value, wanted.value);
        if let Err(reason) = status::applies(standard, &measurement.measured) {
            self.not_applicable(file, measurement, &what, reason);
            return;
        }
        let measure = standard.target.measure();
        if let (Some(unit), Some(measure)) = (&measurement.unit, measure)
            && unit.value != measure.unit.value
        {
            let diagnostic = Diagnostic::error(
                "E273",
                format!(
                    "il risultato di {what} è in `{}`, ma lo standard si misura in `{}`",
                    unit.value.key(),
                    measure.unit.value.key()
                ),
            )
            .with_hint(format!(
                "riporta la misura nell'unità dello standard (`unit: {}`), oppure togli `unit`",
                measure.unit.value.key()
            ));
            self.push(self.located(diagnostic, file, unit));
        }
        match &measurement.measured {
            Measured::Cases { within, total } if within.value > total.value => {
                let diagnostic = Diagnostic::error(
                    "E276",
                    format!(
                        "il risultato di {what} ha più casi entro la soglia ({}) che casi in tutto ({})",
                        within.value, total.value
                    ),
                )
                .with_hint("`within` conta i casi che hanno rispettato lo standard, `total` tutti i casi del periodo: within non può superare total");
                self.push(self.located(diagnostic, file, within));
            }
            Measured::Value { value, statistic } => {
                let percent = statistic.value == Statistic::Percentage
                    || measure.is_some_and(|m| m.unit.value == MeasureUnit::Percent);
                if value.value < 0.0 {
                    let diagnostic = Diagnostic::error(
                        "E277",
                        format!("il risultato di {what} è negativo ({})", value.value),
                    )
                    .with_hint(
                        "un tempo, una quantità o una percentuale misurati non sono mai negativi",
                    );
                    self.push(self.located(diagnostic, file, value));
                } else if percent && value.value > 100.0 {
                    let diagnostic = Diagnostic::error(
                        "E277",
                        format!(
                            "il risultato di {what} è una percentuale oltre 100 ({})",
                            value.value
                        ),
                    )
                    .with_hint("una percentuale di casi va da 0 a 100");
                    self.push(self.located(diagnostic, file, value));
                }
            }
            _ => {}
        }
    }

    fn not_applicable(
        &mut self,
        file: FileId,
        measurement: &Measurement,
        what: &str,
        reason: NotApplicable,
    ) {
        let (code, message, hint): (&str, String, String) = match reason {
            NotApplicable::NotDefined => (
                "E272",
                format!("lo standard {what} non è ancora definito: non ha risultati da misurare"),
                "togli il risultato, oppure definisci prima lo standard in content/data/commitments.yaml".into(),
            ),
            NotApplicable::NoLevel => (
                "E284",
                format!("lo standard {what} non garantisce un livello (best_effort): non c'è un risultato da confrontare"),
                "togli il risultato, oppure scrivi `not_measured` con il motivo".into(),
            ),
            NotApplicable::Statistic(statistic) => (
                "E278",
                format!(
                    "la statistica `{}` non si applica allo standard {what}",
                    statistic.key()
                ),
                "per un tempo entro cui stare: maximum (o within e total); per una percentuale: percentage; per un conteggio: count o total; per una quantità in un periodo: total, mean o median".into(),
            ),
            NotApplicable::Cases => (
                "E284",
                format!("lo standard {what} è un conteggio: non si misura in casi entro una soglia"),
                "scrivi `value` con `statistic: count`".into(),
            ),
            NotApplicable::NumberForWords => (
                "E284",
                format!("lo standard {what} non ha un valore numerico: il suo esito si dichiara"),
                "scrivi `declared: met` oppure `declared: missed` con `evidence`, oppure `not_measured` con il motivo".into(),
            ),
            NotApplicable::DeclaredForNumber => (
                "E284",
                format!("lo standard {what} ha un valore numerico: il risultato si misura, non si dichiara"),
                "scrivi `within` e `total`, oppure `value` con `statistic`".into(),
            ),
        };
        let diagnostic = Diagnostic::error(code, message).with_hint(hint);
        self.push(self.located(diagnostic, file, &measurement.standard));
    }

    /// `W270` for each standard without a result in the last period of the results' own kind that
    /// has ended (for periods written as two dates, the latest written); `W271` once when that
    /// period is missing altogether.
    fn missing_results(&mut self, project: &Project, today: Date) {
        let Some(results) = &project.results else {
            return;
        };
        let Some(latest) = results
            .data
            .periods
            .iter()
            .max_by_key(|period| (period.span.to, period.span.from))
        else {
            return;
        };
        // Periods written as two dates follow no calendar: the latest written is the one to
        // have every result.
        let expected = match latest.span.kind {
            SpanKind::Dates => latest.span.value.clone(),
            kind => match last_completed(kind, today) {
                Some(expected) => expected,
                None => return,
            },
        };
        let Some(period) = results
            .data
            .periods
            .iter()
            .find(|period| period.span.value == expected)
        else {
            let diagnostic = Diagnostic::warning(
                "W271",
                format!(
                    "mancano i risultati del periodo {}, l'ultimo concluso",
                    expected.key()
                ),
            )
            .with_hint(format!(
                "aggiungi il periodo `{}` con i risultati di ogni standard",
                expected.key()
            ));
            self.push(diagnostic.at_path(self.sources.path(results.file)));
            return;
        };
        let written: HashSet<(&str, &str)> = period
            .results
            .iter()
            .map(|m| (m.commitment.value.as_str(), m.standard.value.as_str()))
            .collect();
        let file = project.commitments.file;
        for commitment in &project.commitments.data.commitments {
            for standard in commitment.standards.iter() {
                if !crate::results::expects_result(standard)
                    || written.contains(&(commitment.id.value.as_str(), standard.id.value.as_str()))
                {
                    continue;
                }
                let diagnostic = Diagnostic::warning(
                    "W270",
                    format!(
                        "lo standard {} / {} non ha un risultato per il periodo {}",
                        commitment.id.value,
                        standard.id.value,
                        expected.key()
                    ),
                )
                .with_hint("aggiungi il risultato in content/data/results.yaml; se non è stato misurato scrivi `not_measured` con il motivo");
                let at = if standard.id_written {
                    standard.id.clone().map_unit()
                } else {
                    standard.at.clone()
                };
                self.push(self.located(diagnostic, file, &at));
            }
        }
    }
}

impl Checker<'_> {
    /// `W272` when a standard was missed and the charter does not say what a citizen can do.
    fn remedies(&mut self, project: &Project, rows: &[Vec<crate::results::Row<'_>>]) {
        if project.charter.data.remedies.is_some() {
            return;
        }
        let missed = rows.iter().flatten().find(|row| {
            matches!(
                row.status,
                crate::results::Status::Missed
                    | crate::results::Status::Declared(crate::model::Outcome::Missed)
            )
        });
        if let Some(row) = missed {
            let diagnostic = Diagnostic::warning(
                "W272",
                format!(
                    "lo standard {} / {} non è rispettato nel periodo {}, ma la carta non dice che cosa può fare il cittadino",
                    row.commitment.id.value,
                    row.standard.id.value,
                    row.period.span.key()
                ),
            )
            .with_hint("aggiungi `remedies` a content/charter.yaml: `complaint` (come presentare un reclamo) e `compensation` (l'indennizzo, oppure `not_provided` se non è previsto)");
            self.push(diagnostic.at_path(self.sources.path(project.charter.file)));
        }
    }
}

impl Checker<'_> {
    /// `W273` when a standard's results are compared across a change of its target between
    /// editions: measured periods on both sides of the day the newer edition took effect.
    fn across_editions(&mut self, all: &[Vec<crate::results::Row<'_>>], file: FileId) {
        for rows in all {
            let measured: Vec<_> = rows
                .iter()
                .filter(|row| {
                    row.measurement.is_some_and(|measurement| {
                        !matches!(measurement.measured, Measured::Unavailable { .. })
                    })
                })
                .collect();
            for pair in measured.windows(2) {
                let (before, after) = (pair[0], pair[1]);
                let (Some(old), Some(new)) = (before.applied.edition, after.applied.edition) else {
                    continue;
                };
                let Some(direction) =
                    changes::direction(before.applied.standard, after.applied.standard)
                else {
                    continue;
                };
                if std::ptr::eq(old, new) {
                    continue;
                }
                let Some(measurement) = after.measurement else {
                    continue;
                };
                let diagnostic = Diagnostic::warning(
                    "W273",
                    format!(
                        "lo standard {} / {} ha un obiettivo {} dall'edizione {} (da `{}` dell'edizione {} a `{}`): i risultati del periodo {} e del periodo {} sono confrontati a cavallo del cambiamento",
                        before.commitment.id.value,
                        before.standard.id.value,
                        direction_words(direction),
                        new.edition,
                        target_words(before.applied.standard),
                        old.edition,
                        target_words(after.applied.standard),
                        before.period.span.key(),
                        after.period.span.key(),
                    ),
                )
                .with_hint("la pagina dei risultati mostra ogni periodo con l'obiettivo in vigore allora; controlla che i dati siano confrontabili (per esempio che i casi siano contati allo stesso modo); se lo sono, accetta l'avviso in site.toml con [[accept]] e il motivo");
                self.push(self.located(diagnostic, file, &measurement.commitment));
            }
        }
    }
}

/// How a target moved, in a diagnostic's words.
fn direction_words(direction: Direction) -> &'static str {
    match direction {
        Direction::Tightened => "più stringente",
        Direction::Relaxed => "meno stringente",
        Direction::Mixed => "in parte più e in parte meno stringente",
        Direction::Changed | Direction::Added | Direction::Removed => "diverso",
    }
}

/// A standard's target as its YAML keys say it: `above 99.8 percent`, `within 3 days, 90% of
/// cases`, `immediate`.
fn target_words(standard: &Standard) -> String {
    let mut words = match standard.target.measure() {
        Some(measure) => format!(
            "{} {} {}",
            measure.comparator.value.key(),
            measure.value.value,
            measure.unit.value.key()
        ),
        None => standard.target.key().to_string(),
    };
    if let Some(share) = &standard.share {
        words.push_str(&format!(", {}% dei casi", share.value));
    }
    words
}

/// The last period of `kind` that ended before `today`; `None` for periods written as dates.
fn last_completed(kind: SpanKind, today: Date) -> Option<Span> {
    let year = today.year;
    let text = match kind {
        SpanKind::Year => format!("{}", year - 1),
        SpanKind::Semester(_) if today.month > 6 => format!("{year}-S1"),
        SpanKind::Semester(_) => format!("{}-S2", year - 1),
        SpanKind::Quarter(_) => match (today.month - 1) / 3 {
            0 => format!("{}-Q4", year - 1),
            quarter => format!("{year}-Q{quarter}"),
        },
        SpanKind::Dates => return None,
    };
    Span::parse(&text)
}

impl<T> Located<T> {
    /// The place of a value, without the value.
    fn map_unit(self) -> Located<()> {
        Located::new((), self.line, self.col, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_completed_period_of_each_kind() {
        let day = |text| Date::parse(text).unwrap();
        let key = |kind, today| last_completed(kind, day(today)).map(|span| span.key());
        assert_eq!(key(SpanKind::Year, "2026-01-01"), Some("2025".into()));
        assert_eq!(
            key(SpanKind::Semester(1), "2026-06-30"),
            Some("2025-S2".into())
        );
        assert_eq!(
            key(SpanKind::Semester(2), "2026-07-01"),
            Some("2026-S1".into())
        );
        assert_eq!(
            key(SpanKind::Quarter(1), "2026-03-31"),
            Some("2025-Q4".into())
        );
        assert_eq!(
            key(SpanKind::Quarter(1), "2026-04-01"),
            Some("2026-Q1".into())
        );
        assert_eq!(
            key(SpanKind::Quarter(1), "2026-12-06"),
            Some("2026-Q3".into())
        );
        assert_eq!(key(SpanKind::Dates, "2026-12-06"), None);
    }
}
