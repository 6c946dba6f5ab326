//! Opening hours as data: the days and times an office is open to the public, dates that differ
//! and notes.
//!
//! The content writes days and times as short texts (`lunedì-venerdì`, `09:00-12:30`, see
//! `docs/content.md` § 6.3). This module reads them, and nothing else does: validation reports
//! what it cannot read ([`parse_days`], [`parse_times`]), the renderer turns them into Italian
//! sentences with the theme's words ([`describe`]), and the schema.org metadata into
//! `OpeningHoursSpecification`s ([`schema_org`]). It knows nothing of HTML or files.

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{Hours, Located, WeeklyHours};
use crate::strings::{HourWords, Strings};

/// The days of the week as the content writes them, Monday first (the Italian week).
pub(crate) const DAYS: [&str; 7] = [
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];

/// The same days in schema.org's `DayOfWeek` enumeration.
const SCHEMA_DAYS: [&str; 7] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
];

/// A day of the week: 0 is Monday, 6 is Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Weekday(pub usize);

/// One element of `days`: a day, or the days from one to another (`lunedì-venerdì`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DaySpan {
    One(Weekday),
    Range(Weekday, Weekday),
}

impl DaySpan {
    /// Every day the element names, in week order.
    pub(crate) fn days(self) -> Vec<Weekday> {
        match self {
            DaySpan::One(day) => vec![day],
            DaySpan::Range(from, to) => (from.0..=to.0).map(Weekday).collect(),
        }
    }
}

/// Every day a `days` list names and that can be read, in week order, once.
pub(crate) fn weekdays(days: &[Located<String>]) -> Vec<Weekday> {
    let mut all: Vec<Weekday> = days
        .iter()
        .filter_map(|days| parse_days(days).ok())
        .flat_map(DaySpan::days)
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Why an element of `days` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DayProblem {
    /// Not the name of a day; the word as written.
    Unknown(String),
    /// A range that goes backwards through the week (`venerdì-lunedì`).
    Backwards(Weekday, Weekday),
}

/// Reads `lunedì`, `Lunedì`, `lunedi`, `lunedi'` or a range of two of them joined by a dash.
pub(crate) fn parse_days(text: &str) -> Result<DaySpan, DayProblem> {
    let parts: Vec<&str> = text.split(['-', '–']).collect();
    match parts.as_slice() {
        [one] => day(one).map(DaySpan::One),
        [from, to] => {
            let (from, to) = (day(from)?, day(to)?);
            if from < to {
                Ok(DaySpan::Range(from, to))
            } else if from == to {
                Ok(DaySpan::One(from))
            } else {
                Err(DayProblem::Backwards(from, to))
            }
        }
        _ => Err(DayProblem::Unknown(text.trim().to_string())),
    }
}

fn day(word: &str) -> Result<Weekday, DayProblem> {
    let word = word.trim();
    let lower = word.to_lowercase();
    // "lunedi" and "lunedi'" are how the accent is often typed.
    let accented = lower
        .strip_suffix("i'")
        .or_else(|| lower.strip_suffix('i'))
        .map(|stem| format!("{stem}ì"));
    DAYS.iter()
        .position(|name| *name == lower || Some(*name) == accented.as_deref())
        .map(Weekday)
        .ok_or_else(|| DayProblem::Unknown(word.to_string()))
}

/// A time of day in minutes after midnight, from 00:00 to 23:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Time(pub u16);

impl Time {
    pub(crate) fn hour(self) -> u16 {
        self.0 / 60
    }

    pub(crate) fn minute(self) -> u16 {
        self.0 % 60
    }

    /// `09:00`: the form of schema.org and of the content.
    pub(crate) fn iso(self) -> String {
        format!("{:02}:{:02}", self.hour(), self.minute())
    }

    /// `9:00`: the form readers see.
    pub(crate) fn text(self) -> String {
        format!("{}:{:02}", self.hour(), self.minute())
    }
}

/// Why an element of `times` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeProblem {
    /// Not `HH:MM-HH:MM`.
    Form,
    /// A time that does not exist on a clock (`25:00`, `09:75`); the time as written.
    Impossible(String),
    /// The office would close before, or when, it opens.
    Backwards(Time, Time),
}

/// Reads `09:00-12:30` (also `9:00-12:30`, `9.00 - 12.30`, an en dash): opening and closing.
pub(crate) fn parse_times(text: &str) -> Result<(Time, Time), TimeProblem> {
    let parts: Vec<&str> = text.split(['-', '–']).collect();
    let [opens, closes] = parts.as_slice() else {
        return Err(TimeProblem::Form);
    };
    let (opens, closes) = (time(opens)?, time(closes)?);
    if closes <= opens {
        return Err(TimeProblem::Backwards(opens, closes));
    }
    Ok((opens, closes))
}

fn time(text: &str) -> Result<Time, TimeProblem> {
    let text = text.trim();
    let (hour, minute) = text.split_once([':', '.']).ok_or(TimeProblem::Form)?;
    let digits = |part: &str, max_len: usize| {
        !part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, 2) || !digits(minute, 2) || minute.len() != 2 {
        return Err(TimeProblem::Form);
    }
    let (hour, minute): (u16, u16) = (
        hour.parse().map_err(|_| TimeProblem::Form)?,
        minute.parse().map_err(|_| TimeProblem::Form)?,
    );
    if hour > 23 || minute > 59 {
        return Err(TimeProblem::Impossible(text.to_string()));
    }
    Ok(Time(hour * 60 + minute))
}

/// Whether two opening times of the same day share some minutes.
pub(crate) fn overlap(a: (Time, Time), b: (Time, Time)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Opening hours as templates see them: one line per weekly rule and per exception.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HoursView {
    /// "Si riceve il pubblico solo su appuntamento.", when the office receives only so.
    pub by_appointment: Option<String>,
    pub weekly: Vec<HoursLine>,
    pub exceptions: Vec<HoursLine>,
    pub note: Option<String>,
}

/// "Da lunedì a venerdì" and "dalle 9:00 alle 12:30", and the line's note.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HoursLine {
    pub when: String,
    pub times: String,
    pub note: Option<String>,
}

/// The sentences of `hours` in the theme's words. Texts that cannot be read (validation has
/// already reported them) are shown as written.
pub(crate) fn describe(hours: &Hours, strings: &Strings) -> HoursView {
    let words = &strings.hours;
    let weekly = hours
        .weekly
        .iter()
        .map(|rule| HoursLine {
            when: capitalise(&list(
                rule.days
                    .value
                    .iter()
                    .map(|days| match parse_days(days) {
                        Ok(DaySpan::One(day)) => day_name(day, words),
                        Ok(DaySpan::Range(from, to)) => words
                            .day_range
                            .replace("{from}", &day_name(from, words))
                            .replace("{to}", &day_name(to, words)),
                        Err(_) => days.value.clone(),
                    })
                    .collect(),
                words,
            )),
            times: weekly_times(rule, words),
            note: rule.note.as_ref().map(|note| note.value.clone()),
        })
        .collect();
    let exceptions = hours
        .exceptions
        .iter()
        .map(|exception| {
            let from = exception.from.value;
            let when = match &exception.to {
                Some(to) if to.value != from => format!(
                    "{}{}{}{}",
                    date_prefix(from.day, &words.from_date, &words.from_date_vowel),
                    strings.date(from),
                    date_prefix(to.value.day, &words.to_date, &words.to_date_vowel),
                    strings.date(to.value),
                ),
                _ => strings.date(from),
            };
            HoursLine {
                when: capitalise(&when),
                times: if exception.closed {
                    words.closed.clone()
                } else {
                    times_text(&exception.times, words)
                },
                note: exception.note.clone(),
            }
        })
        .collect();
    HoursView {
        by_appointment: hours.by_appointment.then(|| words.appointment_only.clone()),
        weekly,
        exceptions,
        note: hours.note.as_ref().map(|note| note.value.clone()),
    }
}

/// What a weekly rule says of its days: "chiuso", "dalle 9:00 alle 12:00", "dalle 9:00 alle
/// 12:00, su appuntamento" or "solo su appuntamento".
fn weekly_times(rule: &WeeklyHours, words: &HourWords) -> String {
    if rule.closed {
        return words.closed.clone();
    }
    let times = times_text(&rule.times.value, words);
    match (rule.by_appointment, times.is_empty()) {
        (false, _) => times,
        (true, true) => words.by_appointment_only.clone(),
        (true, false) => format!("{times}, {}", words.by_appointment),
    }
}

fn day_name(day: Weekday, words: &HourWords) -> String {
    words
        .days
        .get(day.0)
        .cloned()
        .unwrap_or_else(|| DAYS[day.0].to_string())
}

/// "dalle 9:00 alle 12:30 e dalle 15:00 alle 17:00".
fn times_text(times: &[Located<String>], words: &HourWords) -> String {
    let items = times
        .iter()
        .map(|range| match parse_times(range) {
            Ok((opens, closes)) => format!(
                "{}{}{}{}",
                time_prefix(opens, &words.from_time, &words.from_time_one),
                opens.text(),
                time_prefix(closes, &words.to_time, &words.to_time_one),
                closes.text()
            ),
            Err(_) => range.value.clone(),
        })
        .collect();
    list(items, words)
}

/// The article before a time: "alle 9:00" but "all'1:00" (l'una).
fn time_prefix<'w>(time: Time, plain: &'w str, one: &'w str) -> &'w str {
    if time.hour() == 1 { one } else { plain }
}

/// The article before a day of the month: "dal 10" but "dall'8", "dall'11".
fn date_prefix<'w>(day: u32, plain: &'w str, vowel: &'w str) -> &'w str {
    if day == 8 || day == 11 { vowel } else { plain }
}

/// "a", "a e b", "a, b e c".
fn list(items: Vec<String>, words: &HourWords) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!(
            "{}{}{}",
            rest.join(&words.list_separator),
            words.list_last,
            last
        ),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// schema.org `OpeningHoursSpecification`s: one per weekly rule and time (with every day of the
/// rule), one per exception and time with `validFrom`/`validThrough`; a closed day or period
/// opens and closes at 00:00, as schema.org says; days received by appointment say so in the
/// `description` (without `opens` and `closes` when no time is set). Texts that cannot be read
/// are left out.
pub(crate) fn schema_org(hours: &Hours, words: &HourWords) -> Vec<Value> {
    let mut specifications = Vec::new();
    for rule in &hours.weekly {
        let days = weekdays(&rule.days.value);
        if days.is_empty() {
            continue;
        }
        let days: Vec<&str> = days.iter().map(|day| SCHEMA_DAYS[day.0]).collect();
        let mut times: Vec<Option<(Time, Time)>> = if rule.closed {
            vec![Some((Time(0), Time(0)))]
        } else {
            rule.times
                .value
                .iter()
                .filter_map(|range| parse_times(range).ok())
                .map(Some)
                .collect()
        };
        if times.is_empty() && rule.by_appointment {
            times.push(None);
        }
        let appointment = rule
            .by_appointment
            .then_some(if rule.times.value.is_empty() {
                &words.by_appointment_only
            } else {
                &words.by_appointment
            });
        let description: Vec<&str> = appointment
            .map(String::as_str)
            .into_iter()
            .chain(rule.note.as_ref().map(|note| note.as_str()))
            .collect();
        for range in times {
            let mut specification = json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
            });
            if let Some((opens, closes)) = range {
                specification["opens"] = json!(opens.iso());
                specification["closes"] = json!(closes.iso());
            }
            if !description.is_empty() {
                specification["description"] = json!(description.join("; "));
            }
            specifications.push(specification);
        }
    }
    for exception in &hours.exceptions {
        let from = exception.from.value;
        let to = exception.to.as_ref().map_or(from, |to| to.value);
        let times: Vec<(Time, Time)> = if exception.closed {
            vec![(Time(0), Time(0))]
        } else {
            exception
                .times
                .iter()
                .filter_map(|range| parse_times(range).ok())
                .collect()
        };
        for (opens, closes) in times {
            let mut specification = json!({
                "@type": "OpeningHoursSpecification",
                "validFrom": from.iso(),
                "validThrough": to.iso(),
                "opens": opens.iso(),
                "closes": closes.iso(),
            });
            if let Some(note) = &exception.note {
                specification["description"] = json!(note);
            }
            specifications.push(specification);
        }
    }
    specifications
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_with_or_without_the_accent() {
        assert_eq!(parse_days("lunedì"), Ok(DaySpan::One(Weekday(0))));
        assert_eq!(parse_days(" Lunedi "), Ok(DaySpan::One(Weekday(0))));
        assert_eq!(parse_days("mercoledi'"), Ok(DaySpan::One(Weekday(2))));
        assert_eq!(parse_days("domenica"), Ok(DaySpan::One(Weekday(6))));
        assert_eq!(
            parse_days("lunedì-venerdì"),
            Ok(DaySpan::Range(Weekday(0), Weekday(4)))
        );
        assert_eq!(
            parse_days("martedì – giovedì"),
            Ok(DaySpan::Range(Weekday(1), Weekday(3)))
        );
        assert_eq!(
            parse_days("venerdì-lunedì"),
            Err(DayProblem::Backwards(Weekday(4), Weekday(0)))
        );
        assert_eq!(
            parse_days("lunedx"),
            Err(DayProblem::Unknown("lunedx".to_string()))
        );
        assert_eq!(
            parse_days("sabatoi"),
            Err(DayProblem::Unknown("sabatoi".to_string()))
        );
        assert_eq!(
            parse_days("feriali"),
            Err(DayProblem::Unknown("feriali".to_string()))
        );
    }

    #[test]
    fn times_are_read_and_checked() {
        assert_eq!(parse_times("09:00-12:30"), Ok((Time(540), Time(750))));
        assert_eq!(parse_times("9.00 – 12.30"), Ok((Time(540), Time(750))));
        assert_eq!(parse_times("00:00-23:59"), Ok((Time(0), Time(1439))));
        assert_eq!(
            parse_times("25:00-26:00"),
            Err(TimeProblem::Impossible("25:00".to_string()))
        );
        assert_eq!(
            parse_times("09:75-12:00"),
            Err(TimeProblem::Impossible("09:75".to_string()))
        );
        assert_eq!(
            parse_times("14:00-12:00"),
            Err(TimeProblem::Backwards(Time(840), Time(720)))
        );
        assert_eq!(
            parse_times("12:00-12:00"),
            Err(TimeProblem::Backwards(Time(720), Time(720)))
        );
        for wrong in [
            "9-12",
            "09:00",
            "09:00-12:30-15:00",
            "9:0-12:00",
            "ore 9-12",
            "",
            "0900-1230",
        ] {
            assert_eq!(parse_times(wrong), Err(TimeProblem::Form), "{wrong:?}");
        }
        assert!(overlap((Time(540), Time(780)), (Time(720), Time(840))));
        assert!(!overlap((Time(540), Time(720)), (Time(720), Time(840))));
    }
}
