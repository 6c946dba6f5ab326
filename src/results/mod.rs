//! Results: each standard's measurement per period, read against its target. [`rows`] is the one
//! projection the pages, the charts and the open data all read; [`status`] computes met or not.
//! Nothing here renders or reads files.

pub(crate) mod feedback;
pub(crate) mod status;
pub(crate) mod targets;

pub(crate) use status::Status;
pub(crate) use targets::Applied;

use std::collections::HashMap;

use crate::model::{Commitment, Date, Measurement, Project, ResultPeriod, Standard};

/// One standard in one period: what was measured, if anything, and the status computed from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    pub(crate) commitment: &'a Commitment,
    pub(crate) standard: &'a Standard,
    pub(crate) period: &'a ResultPeriod,
    pub(crate) measurement: Option<&'a Measurement>,
    /// The target the period is read against: the one in force on its last day (see
    /// [`targets`]); `standard` is today's.
    pub(crate) applied: Applied<'a>,
    /// Computed against `applied`.
    pub(crate) status: Status,
}

impl Row<'_> {
    /// True when the period was read against a target that is not today's.
    pub(crate) fn earlier_target(&self) -> bool {
        self.applied.differs_from(self.standard)
    }
}

/// The periods of the results, oldest first.
pub(crate) fn periods(project: &Project) -> Vec<&ResultPeriod> {
    let mut periods: Vec<&ResultPeriod> = project
        .results
        .iter()
        .flat_map(|results| &results.data.periods)
        .collect();
    periods.sort_by_key(|period| (period.span.from, period.span.to));
    periods
}

/// Every defined standard of every commitment, in the charter's order, with its row for each
/// period, oldest first; empty when the charter has no results. A standard with nothing written
/// for a period is "non rilevato" there. Each period is read against the target in force on its
/// last day.
pub(crate) fn rows(project: &Project) -> Vec<Vec<Row<'_>>> {
    let periods = periods(project);
    if periods.is_empty() {
        return Vec::new();
    }
    let targets = targets::Targets::new(project);
    let mut written: HashMap<(&str, &str, usize), &Measurement> = HashMap::new();
    for (index, period) in periods.iter().enumerate() {
        for measurement in &period.results {
            written
                .entry((
                    &measurement.commitment.value,
                    &measurement.standard.value,
                    index,
                ))
                .or_insert(measurement);
        }
    }
    project
        .commitments
        .data
        .commitments
        .iter()
        .flat_map(|commitment| {
            commitment
                .standards
                .iter()
                .filter(|standard| expects_result(standard))
                .map(move |standard| (commitment, standard))
        })
        .map(|(commitment, standard)| {
            let targets = &targets;
            periods
                .iter()
                .enumerate()
                .map(|(index, period)| {
                    let measurement = written
                        .get(&(
                            commitment.id.value.as_str(),
                            standard.id.value.as_str(),
                            index,
                        ))
                        .copied();
                    let applied = targets.applied(&commitment.id.value, standard, period.span.to);
                    Row {
                        commitment,
                        standard,
                        period,
                        measurement,
                        applied,
                        status: status::status(applied.standard, measurement.map(|m| &m.measured)),
                    }
                })
                .collect()
        })
        .collect()
}

/// Whether a standard is one whose results a period should have: defined, and guaranteeing a
/// level (a "best effort" promises none).
pub(crate) fn expects_result(standard: &Standard) -> bool {
    !matches!(
        status::Shape::of(standard),
        status::Shape::NotDefined | status::Shape::NoLevel
    )
}

/// Today, for the checks that compare periods with it: from `SOURCE_DATE_EPOCH` when set (so a
/// CI run or a test can fix it), else the system clock. Only diagnostics read it: the pages never
/// depend on the day they are built.
pub(crate) fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64)
        });
    from_days(seconds.div_euclid(86_400))
}

/// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
fn from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_are_dates() {
        assert_eq!(from_days(0).iso(), "1970-01-01");
        assert_eq!(from_days(19_782).iso(), "2024-02-29");
        assert_eq!(from_days(20_453).iso(), "2025-12-31");
        assert_eq!(from_days(-1).iso(), "1969-12-31");
    }
}
