//! The charter as plain data: identity, chapters, organization, commitments, contacts.
//!
//! These types mirror the content files (see `docs/content.md`) and carry source positions
//! ([`Located`]) where a later stage may need to point at a value. The model knows nothing about
//! HTML, templates or files on disk; the loader fills it, validation reads it, rendering reads it.

use std::path::PathBuf;

use serde::Deserialize;

use crate::config::SiteConfig;
use crate::source::{FileId, SourceMap};

mod feedback;
mod results;
mod standard;

pub(crate) use feedback::{ClassAction, Complaints, Feedback, FeedbackPeriod, Step, Survey};
pub(crate) use results::{
    FromSurvey, Measured, Measurement, Outcome, ResultPeriod, Results, Span, SpanKind, Statistic,
};
pub(crate) use standard::{
    Comparator, Dimension, Measure, MeasureUnit, Period, Preset, Standard, StandardKind,
    StandardList, Target,
};

/// A value with the 1-based line and column where it was written, and its length in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// What was written, parsed.
    pub value: T,
    pub(crate) line: u32,
    pub(crate) col: u32,
    pub(crate) len: u32,
}

impl<T> Located<T> {
    pub(crate) fn new(value: T, line: u32, col: u32, len: u32) -> Self {
        Self {
            value,
            line,
            col,
            len,
        }
    }
}

/// Nothing written: an empty value, placed nowhere (line 0), for keys that may be left out.
impl<T: Default> Default for Located<T> {
    fn default() -> Self {
        Located::new(T::default(), 0, 0, 0)
    }
}

/// Written out as its value alone: where it was written is for messages, not for output.
impl<T: serde::Serialize> serde::Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Italian month names, to read dates a source writes in words ("15 settembre 2025"): a charter's
/// sources are Italian whatever the theme (the site's own words are the theme's).
pub(crate) const ITALIAN_MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A calendar date (Gregorian), written `YYYY-MM-DD` in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2025-02-29.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        let valid = date.year >= 1
            && (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// A date still to fill in: what a date written as the marker `DA COMPILARE` (`carta init`)
    /// reads as, so the file loads and `E146` reports it with every other value to fill in. No
    /// date written in the content reads as it (year 0 is refused), and the build stops at
    /// `E146` before any output would show it.
    pub(crate) const TO_FILL: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };

    /// True for [`Date::TO_FILL`].
    pub(crate) fn is_to_fill(self) -> bool {
        self == Date::TO_FILL
    }

    pub(crate) fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `content/charter.yaml`: what the charter is and which edition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    pub(crate) title: String,
    pub(crate) office: String,
    #[serde(default)]
    pub(crate) office_short: Option<String>,
    pub(crate) edition: String,
    /// The act that approved this edition; `None` for a draft, not approved yet (written without
    /// `approval`; an `approval:` with nothing after it is an error, not a draft).
    #[serde(default, deserialize_with = "approval")]
    pub(crate) approval: Option<Approval>,
    #[serde(default)]
    pub(crate) published: Option<Located<Date>>,
    /// `last_updated`: the date of the last update, shown on every page; it also dates the files
    /// of the transparency pack.
    pub last_updated: Located<Date>,
    #[serde(default)]
    pub(crate) next_review: Option<Located<Date>>,
    /// Markdown.
    pub(crate) summary: String,
    #[serde(default)]
    pub(crate) credits: Vec<Credit>,
    /// What a citizen can do when a standard is not met; `None` when the charter does not say.
    #[serde(default)]
    pub(crate) remedies: Option<Remedies>,
}

/// The remedies a charter states: how to complain, and the compensation for a missed standard
/// ("non previsto" is an answer too, written `compensation: not_provided`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Remedies {
    /// How to complain, in words.
    pub(crate) complaint: String,
    /// Where: a chapter's address, a form, a page of the ente's site.
    #[serde(default)]
    pub(crate) complaint_url: Option<Located<String>>,
    /// The indennizzo or ristoro, in words, or `not_provided`.
    pub(crate) compensation: String,
}

impl Remedies {
    /// The compensation in words; `None` when the charter says there is none (`not_provided`).
    pub(crate) fn compensation(&self) -> Option<&str> {
        (self.compensation.trim() != "not_provided").then_some(self.compensation.as_str())
    }
}

impl Charter {
    /// A charter without an approval act is a draft: not in force, not published.
    pub(crate) fn is_draft(&self) -> bool {
        self.approval.is_none()
    }

    /// The day of publication: `published`, or the approval date; none for a draft.
    pub(crate) fn published_date(&self) -> Option<Date> {
        if self.is_draft() {
            return None;
        }
        self.published
            .as_ref()
            .map(|d| d.value)
            .or_else(|| self.approval_date())
    }

    /// The date of the approval act; none for a draft.
    pub(crate) fn approval_date(&self) -> Option<Date> {
        self.approval.as_ref().map(|approval| approval.date.value)
    }
}

fn approval<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Approval>, D::Error> {
    match Option::<Approval>::deserialize(deserializer)? {
        Some(approval) => Ok(Some(approval)),
        None => Err(serde::de::Error::custom(
            "`approval` è vuoto: scrivi l'atto (`act`) e la sua data (`date`); se la carta non è ancora approvata togli la riga `approval:`",
        )),
    }
}

/// The act that approved this edition, for example "DD 2025/4073" of 3 June 2025.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Approval {
    pub(crate) act: Located<String>,
    pub(crate) date: Located<Date>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Credit {
    pub(crate) role: String,
    pub(crate) name: String,
}

/// The YAML front matter of a chapter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub(crate) title: Located<String>,
    #[serde(default)]
    pub(crate) number: Option<String>,
    /// Position in the menu; without it (in every chapter), the chapters follow their file names.
    #[serde(default)]
    pub(crate) order: Option<Located<i64>>,
    #[serde(default)]
    pub(crate) slug: Option<Located<String>>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) last_reviewed: Option<Located<Date>>,
    /// Whether the chapter is meant to have section headings: `false` for an approved text
    /// without sections, so the lint does not ask for headings nobody approved (`W307`); `true`
    /// asks for them even in a short chapter. When absent, only long chapters need them.
    #[serde(default)]
    pub(crate) sections: Option<bool>,
    /// carta numbers this chapter (`numbering` in site.toml): `number` is its place, and its
    /// headings are numbered from their structure.
    #[serde(skip)]
    pub(crate) numbered: bool,
}

impl FrontMatter {
    /// Positions are counted from the front matter's first line; make them count from the file's.
    pub(crate) fn shift_lines(&mut self, lines: u32) {
        self.title.line += lines;
        if let Some(order) = &mut self.order {
            order.line += lines;
        }
        if let Some(slug) = &mut self.slug {
            slug.line += lines;
        }
        if let Some(date) = &mut self.last_reviewed {
            date.line += lines;
        }
    }
}

/// One Markdown chapter.
#[derive(Debug, Clone)]
pub(crate) struct Chapter {
    pub(crate) file: FileId,
    /// File name inside `content/chapters/`, used to resolve links between chapters.
    pub(crate) file_name: String,
    pub(crate) front: FrontMatter,
    /// The URL segment of the chapter page.
    pub(crate) slug: String,
    /// Byte offset of the body in the file, to turn Markdown offsets into file positions.
    pub(crate) body_offset: usize,
}

/// `content/data/organization.yaml`: people defined once, and the organigram.
///
/// The organigram has up to three levels: the structure at the top (`direction`: a direzione, a
/// settore…), its services, and their units. A small office is only the top structure, with its
/// head and its staff.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Organization {
    pub(crate) people: Vec<Person>,
    pub(crate) direction: Unit,
    #[serde(default)]
    pub(crate) services: Vec<Unit>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Person {
    pub(crate) id: Located<String>,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) honorific: Option<String>,
    #[serde(default)]
    pub(crate) phone: Option<Located<String>>,
    #[serde(default)]
    pub(crate) email: Option<Located<String>>,
}

/// A node of the organigram: the direction, a service or a unit of a service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Unit {
    pub(crate) id: Located<String>,
    pub(crate) name: String,
    /// Person id of the head of the unit; absent when the charter names none (a unit it gives
    /// only a referent for, in `staff`: a referent is not a head).
    #[serde(default)]
    pub(crate) head: Option<Located<String>>,
    /// The head's role, e.g. "Dirigente"; written with `head`, and only with it.
    #[serde(default)]
    pub(crate) role: Option<Located<String>>,
    #[serde(default)]
    pub(crate) email: Option<Located<String>>,
    #[serde(default)]
    pub(crate) phones: Vec<Located<String>>,
    /// The unit has no direct phone: it is reached through the ente's switchboard
    /// (`switchboard: true`), said so rather than left without a number.
    #[serde(default)]
    pub(crate) switchboard: bool,
    /// The people who work in the unit besides its head and whom citizens may contact (staff
    /// referents), in the order the charter names them.
    #[serde(default)]
    pub(crate) staff: Vec<StaffMember>,
    #[serde(default)]
    pub(crate) units: Vec<Unit>,
}

/// A person of a unit's staff, with what they do there as the charter says it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StaffMember {
    /// Person id.
    pub(crate) person: Located<String>,
    /// For example "Istruttore amministrativo, referente per l'URP"; absent when the charter
    /// does not say.
    #[serde(default)]
    pub(crate) role: Option<String>,
}

impl Organization {
    /// Every unit, direction first, in document order.
    pub(crate) fn units(&self) -> Vec<&Unit> {
        let mut all = vec![&self.direction];
        for service in &self.services {
            all.push(service);
            all.extend(service.units.iter());
        }
        all
    }

    pub(crate) fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|person| person.id.value == id)
    }

    pub(crate) fn unit(&self, id: &str) -> Option<&Unit> {
        self.units().into_iter().find(|unit| unit.id.value == id)
    }

    /// The unit where a person's contacts are shown: the first they head, else the first whose
    /// staff they are in.
    pub(crate) fn unit_of_person(&self, person: &str) -> Option<&Unit> {
        let units = self.units();
        units
            .iter()
            .find(|unit| unit.head.as_ref().is_some_and(|head| head.value == person))
            .or_else(|| {
                units.iter().find(|unit| {
                    unit.staff
                        .iter()
                        .any(|member| member.person.value == person)
                })
            })
            .copied()
    }
}

/// `content/data/commitments.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Commitments {
    pub(crate) commitments: Vec<Commitment>,
}

/// A service commitment ("impegno di servizio") with its typed standards.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Commitment {
    pub(crate) id: Located<String>,
    pub(crate) service: String,
    /// Who the service is for, as the charter names them; `None` when the charter does not say
    /// (the table then says so, and the open data have no users).
    #[serde(default)]
    pub(crate) users: Option<Vec<String>>,
    /// Written as a list of standards, or as `not_defined` (see [`StandardList`]).
    pub(crate) standards: StandardList,
    /// Unit ids.
    pub(crate) responsible: Vec<Located<String>>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// What kind of service it is ("Servizi informatici"), for the service's page and its
    /// schema.org `serviceType`; the office's name when the charter does not say.
    #[serde(default)]
    pub(crate) service_type: Option<String>,
    /// Where the service is requested or used online; the charter's first access channel when it
    /// does not say.
    #[serde(default)]
    pub(crate) service_url: Option<Located<String>>,
}

impl Commitment {
    /// The users the charter names; empty when it names none.
    pub(crate) fn users(&self) -> &[String] {
        self.users.as_deref().unwrap_or_default()
    }
}

/// `content/data/contacts.yaml`. Only `processes` is required (and may be empty): a charter that
/// gives no office address or phone has none, and the site shows none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contacts {
    pub(crate) processes: Vec<Process>,
    #[serde(default)]
    pub(crate) other: Vec<Located<OtherContact>>,
    #[serde(default)]
    pub(crate) phones: Vec<Located<String>>,
    #[serde(default)]
    pub(crate) address: Option<Address>,
    /// When the office is open to the public; absent when the charter does not say.
    #[serde(default)]
    pub(crate) hours: Option<Hours>,
}

/// Opening hours to the public, as data (read by [`crate::hours`]): the weekly times, the dates
/// that differ, a note.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Hours {
    #[serde(default)]
    pub(crate) weekly: Vec<WeeklyHours>,
    #[serde(default)]
    pub(crate) exceptions: Vec<HoursException>,
    #[serde(default)]
    pub(crate) note: Option<Located<String>>,
    /// The office receives the public only by appointment (`by_appointment: true`), whatever its
    /// weekly times say.
    #[serde(default)]
    pub(crate) by_appointment: bool,
}

impl Hours {
    /// Whether there is anything to show.
    pub(crate) fn is_empty(&self) -> bool {
        self.weekly.is_empty()
            && self.exceptions.is_empty()
            && self.note.is_none()
            && !self.by_appointment
    }
}

/// Days of the week (`lunedì`, or `lunedì-venerdì`) and the times the office is open on them
/// (`09:00-12:30`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeeklyHours {
    pub(crate) days: Located<Vec<Located<String>>>,
    /// Absent (line 0) for days closed, or received by appointment at no set time.
    #[serde(default)]
    pub(crate) times: Located<Vec<Located<String>>>,
    /// The office is closed on these days (`closed: true`, without `times`): said, not left to
    /// be guessed from the days missing.
    #[serde(default)]
    pub(crate) closed: bool,
    /// On these days the public is received by appointment: at the `times`, or at times agreed.
    #[serde(default)]
    pub(crate) by_appointment: bool,
    #[serde(default)]
    pub(crate) note: Option<Located<String>>,
}

/// A date, or the dates `from`–`to`, when the office is closed or open at other times.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HoursException {
    pub(crate) from: Located<Date>,
    #[serde(default)]
    pub(crate) to: Option<Located<Date>>,
    #[serde(default)]
    pub(crate) closed: bool,
    #[serde(default)]
    pub(crate) times: Vec<Located<String>>,
    #[serde(default)]
    pub(crate) note: Option<String>,
}

/// A row of the contacts table: who answers for which process.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Process {
    pub(crate) process: String,
    pub(crate) competences: String,
    /// Person id.
    pub(crate) responsible: Located<String>,
    pub(crate) emails: Located<Vec<Located<String>>>,
}

/// Another way to reach the office: an address to write to, a PEC, phones, a place to go, each
/// optional but at least one present; with a label when the charter gives one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OtherContact {
    #[serde(default)]
    pub(crate) label: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) email: Option<Located<String>>,
    /// Posta elettronica certificata: an email address with legal value, shown labelled "PEC".
    #[serde(default)]
    pub(crate) pec: Option<Located<String>>,
    #[serde(default)]
    pub(crate) phones: Vec<Located<String>>,
    #[serde(default)]
    pub(crate) address: Option<Address>,
    /// When this place or desk is open to the public.
    #[serde(default)]
    pub(crate) hours: Option<Hours>,
}

impl OtherContact {
    /// Whether it gives any way to reach the office.
    pub(crate) fn reaches(&self) -> bool {
        self.email.is_some()
            || self.pec.is_some()
            || !self.phones.is_empty()
            || self.address.is_some()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Address {
    pub(crate) street: Located<String>,
    pub(crate) postcode: Located<String>,
    pub(crate) city: Located<String>,
}

/// `content/data/stakeholders.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Stakeholders {
    #[serde(default)]
    pub(crate) intro: Option<String>,
    pub(crate) groups: Vec<StakeholderGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StakeholderGroup {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) members: Vec<String>,
}

/// `content/data/channels.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Channels {
    pub(crate) channels: Vec<Channel>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Channel {
    pub(crate) audience: String,
    pub(crate) label: String,
    pub(crate) url: Located<String>,
}

/// An earlier edition of the charter, kept in `content/editions/<folder>/` (see `docs/content.md`).
#[derive(Debug, Clone)]
pub(crate) struct Edition {
    /// The folder name: the edition's URL segment (`/edizioni/<folder>/`).
    pub(crate) folder: String,
    pub(crate) charter: DataFile<Charter>,
    pub(crate) commitments: DataFile<Commitments>,
    /// The organigram of that edition, when it differed; otherwise the current one applies.
    pub(crate) organization: Option<DataFile<Organization>>,
}

/// A parsed data file and the file it came from.
#[derive(Debug, Clone)]
pub struct DataFile<T> {
    pub(crate) file: FileId,
    /// The file's content, as read.
    pub data: T,
}

/// Everything a build needs, loaded from `site.toml` and `content/`.
#[derive(Debug)]
pub struct Project {
    pub(crate) root: PathBuf,
    /// Every file read, with its text, for diagnostics; the theme's files are added to it when
    /// the theme loads.
    pub sources: SourceMap,
    pub(crate) config: SiteConfig,
    pub(crate) config_file: FileId,
    /// `content/charter.yaml`.
    pub charter: DataFile<Charter>,
    /// Sorted by `order`, then file name.
    pub(crate) chapters: Vec<Chapter>,
    pub(crate) organization: DataFile<Organization>,
    pub(crate) commitments: DataFile<Commitments>,
    pub(crate) contacts: DataFile<Contacts>,
    pub(crate) stakeholders: Option<DataFile<Stakeholders>>,
    pub(crate) channels: Option<DataFile<Channels>>,
    /// The measured results (`results.yaml` or `results.csv`), when the charter has them.
    pub(crate) results: Option<DataFile<Results>>,
    /// Surveys, complaints and class actions (`feedback.yaml`), when the charter has them.
    pub(crate) feedback: Option<DataFile<Feedback>>,
    /// Earlier editions, in folder-name order (see [`crate::editions`] for their order in time).
    pub(crate) editions: Vec<Edition>,
}

impl Project {
    /// Every content file of the edition in force: charter, data files, chapters.
    pub(crate) fn content_files(&self) -> Vec<FileId> {
        let mut files = vec![
            self.charter.file,
            self.organization.file,
            self.commitments.file,
            self.contacts.file,
        ];
        files.extend(self.stakeholders.as_ref().map(|data| data.file));
        files.extend(self.channels.as_ref().map(|data| data.file));
        files.extend(self.results.as_ref().map(|data| data.file));
        // Results made from surveys alone are feedback.yaml's: the file is listed once.
        files.extend(
            self.feedback
                .as_ref()
                .map(|data| data.file)
                .filter(|file| !files.contains(file)),
        );
        files.extend(self.chapters.iter().map(|chapter| chapter.file));
        files
    }

    /// The Markdown body of a chapter.
    pub(crate) fn chapter_body(&self, chapter: &Chapter) -> &str {
        &self.sources.text(chapter.file)[chapter.body_offset..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates_only() {
        assert_eq!(
            Date::parse("2025-06-03"),
            Some(Date {
                year: 2025,
                month: 6,
                day: 3
            })
        );
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("3 giugno 2025").is_none());
        assert!(Date::parse("2025-6-3").is_none());
        assert!(
            Date::parse("0000-01-01").is_none(),
            "year 0 is the marker's"
        );
    }
}
