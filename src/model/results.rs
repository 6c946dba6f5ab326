//! Measured results: per period, what was measured of each standard (`content/data/results.yaml`,
//! or `results.csv` from a ticketing system). Only what the office measured is written here; whether
//! a standard was met is computed from it by [`crate::results`], never typed.

use super::{Date, Located};

/// Every period with its results, in the order written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Results {
    pub(crate) periods: Vec<ResultPeriod>,
}

/// One period of measurement and what was measured in it.
#[derive(Debug, Clone)]
pub(crate) struct ResultPeriod {
    /// Where it is written: in the results file, or (`from_feedback`) in `feedback.yaml`.
    pub(crate) span: Located<Span>,
    /// A period only `feedback.yaml` has, made for the results its surveys give; its span is
    /// checked there.
    pub(crate) from_feedback: bool,
    /// Where the period's figures come from ("estrazione dal sistema di ticketing").
    pub(crate) source: Option<String>,
    pub(crate) results: Vec<Measurement>,
}

/// A period: a year, a semester, a quarter or two dates, all as the first and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) kind: SpanKind,
    pub(crate) from: Date,
    pub(crate) to: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpanKind {
    Year,
    /// First or second half of the year (1 or 2).
    Semester(u8),
    /// A quarter (1 to 4).
    Quarter(u8),
    /// Two dates written as they are.
    Dates,
}

impl Span {
    /// Reads a period as written: `2025`, `2025-S1`, `2025-Q3`, `2025-01-01/2025-03-31`.
    pub(crate) fn parse(text: &str) -> Option<Span> {
        let text = text.trim();
        if let Some((from, to)) = text.split_once('/') {
            let (from, to) = (Date::parse(from)?, Date::parse(to)?);
            return (from <= to).then_some(Span {
                kind: SpanKind::Dates,
                from,
                to,
            });
        }
        let (year_text, part) = match text.split_once('-') {
            Some((year, part)) => (year, Some(part)),
            None => (text, None),
        };
        if year_text.len() != 4 || !year_text.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_text.parse().ok()?;
        if year < 1 {
            return None;
        }
        let months = |first: u32, last: u32| {
            let to = Date {
                year,
                month: last,
                day: super::days_in_month(year, last),
            };
            (
                Date {
                    year,
                    month: first,
                    day: 1,
                },
                to,
            )
        };
        let (kind, (from, to)) = match part.map(str::to_ascii_uppercase).as_deref() {
            None => (SpanKind::Year, months(1, 12)),
            Some("S1") => (SpanKind::Semester(1), months(1, 6)),
            Some("S2") => (SpanKind::Semester(2), months(7, 12)),
            Some(quarter @ ("Q1" | "Q2" | "Q3" | "Q4")) => {
                let n = quarter.as_bytes()[1] - b'0';
                let first = u32::from(n) * 3 - 2;
                (SpanKind::Quarter(n), months(first, first + 2))
            }
            _ => return None,
        };
        Some(Span { kind, from, to })
    }

    /// The period as written in the canonical form: `2025`, `2025-S1`, `2025-Q3`,
    /// `2025-01-01/2025-03-31`; also its key in open data and its anchor.
    pub(crate) fn key(&self) -> String {
        match self.kind {
            SpanKind::Year => format!("{}", self.from.year),
            SpanKind::Semester(n) => format!("{}-S{n}", self.from.year),
            SpanKind::Quarter(n) => format!("{}-Q{n}", self.from.year),
            SpanKind::Dates => format!("{}/{}", self.from.iso(), self.to.iso()),
        }
    }

    /// True when the two periods share at least one day.
    pub(crate) fn overlaps(&self, other: &Span) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// What was measured of one standard in one period.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    /// The commitment's id.
    pub(crate) commitment: Located<String>,
    /// The standard's id within the commitment.
    pub(crate) standard: Located<String>,
    pub(crate) measured: Measured,
    /// The unit the figure was written in, when the office said it (it must be the standard's).
    pub(crate) unit: Option<Located<super::MeasureUnit>>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
    /// The survey of `feedback.yaml` whose response rate this result is, when it is not written
    /// in the results file.
    pub(crate) survey: Option<FromSurvey>,
}

impl Measurement {
    /// The file it is written in: the survey's, or `results` (the results file).
    pub(crate) fn file(&self, results: crate::source::FileId) -> crate::source::FileId {
        self.survey.as_ref().map_or(results, |survey| survey.file)
    }
}

/// A result given by a survey that measures a standard: where the survey is written, and its title.
#[derive(Debug, Clone)]
pub(crate) struct FromSurvey {
    pub(crate) file: crate::source::FileId,
    pub(crate) title: String,
}

/// The forms a measurement takes.
#[derive(Debug, Clone)]
pub(crate) enum Measured {
    /// Cases that met the standard's threshold, out of all cases of the period.
    Cases {
        within: Located<u64>,
        total: Located<u64>,
    },
    /// A value in the standard's unit, with the statistic it is.
    Value {
        value: Located<f64>,
        statistic: Located<Statistic>,
    },
    /// Not measured in the period, and why.
    Unavailable { reason: String },
    /// For a standard without a number: the outcome the office declares, and on what grounds.
    Declared {
        outcome: Located<Outcome>,
        evidence: String,
    },
}

/// Which statistic a measured value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Statistic {
    Mean,
    Median,
    Maximum,
    Total,
    Count,
    Percentage,
}

impl Statistic {
    pub(crate) const KEYS: [&'static str; 6] =
        ["mean", "median", "maximum", "total", "count", "percentage"];

    pub(crate) fn from_key(key: &str) -> Option<Statistic> {
        Some(match key {
            "mean" => Statistic::Mean,
            "median" => Statistic::Median,
            "maximum" => Statistic::Maximum,
            "total" => Statistic::Total,
            "count" => Statistic::Count,
            "percentage" => Statistic::Percentage,
            _ => return None,
        })
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Median => "median",
            Statistic::Maximum => "maximum",
            Statistic::Total => "total",
            Statistic::Count => "count",
            Statistic::Percentage => "percentage",
        }
    }
}

/// The outcome an office declares for a standard without a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Met,
    Missed,
}

impl Outcome {
    pub(crate) const KEYS: [&'static str; 2] = ["met", "missed"];

    pub(crate) fn from_key(key: &str) -> Option<Outcome> {
        match key {
            "met" => Some(Outcome::Met),
            "missed" => Some(Outcome::Missed),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn key(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Missed => "missed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_their_first_and_last_day() {
        let year = Span::parse("2025").unwrap();
        assert_eq!(
            (year.from.iso(), year.to.iso()),
            ("2025-01-01".into(), "2025-12-31".into())
        );
        let s2 = Span::parse("2024-s2").unwrap();
        assert_eq!(
            (s2.from.iso(), s2.to.iso()),
            ("2024-07-01".into(), "2024-12-31".into())
        );
        assert_eq!(s2.key(), "2024-S2");
        let q1 = Span::parse("2024-Q1").unwrap();
        assert_eq!(q1.to.iso(), "2024-03-31");
        let q4 = Span::parse("2024-Q4").unwrap();
        assert_eq!(
            (q4.from.iso(), q4.to.iso()),
            ("2024-10-01".into(), "2024-12-31".into())
        );
        let dates = Span::parse("2025-02-01/2025-02-28").unwrap();
        assert_eq!(dates.kind, SpanKind::Dates);
        assert_eq!(dates.key(), "2025-02-01/2025-02-28");
        for wrong in [
            "25",
            "2025-S3",
            "2025-Q5",
            "2025-03-01/2025-02-01",
            "duemila",
            "2025-13",
        ] {
            assert_eq!(Span::parse(wrong), None, "{wrong}");
        }
        assert!(!year.overlaps(&q1));
        assert!(year.overlaps(&Span::parse("2025-Q4").unwrap()));
        assert!(
            !Span::parse("2025-S1")
                .unwrap()
                .overlaps(&Span::parse("2025-S2").unwrap())
        );
    }

    #[test]
    fn keys_round_trip() {
        for key in Statistic::KEYS {
            assert_eq!(Statistic::from_key(key).map(Statistic::key), Some(key));
        }
        for key in Outcome::KEYS {
            assert_eq!(Outcome::from_key(key).map(Outcome::key), Some(key));
        }
        assert_eq!(Statistic::from_key("average"), None);
    }
}
