//! The theme's words as Rust reads them: the tables of `strings.toml` that carta fills in itself
//! (standards' sentences, dates, opening hours, page titles, the pack's labels). The templates read
//! the whole file as `strings`; these types name only what Rust needs, so a theme that lacks one
//! is refused with a located error when it is loaded.

use serde::Deserialize;

use crate::model::Period;
use crate::model::{Comparator, Dimension};

/// The strings Rust needs from `strings.toml`; the file may hold many more for the templates.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Strings {
    pub standards: StandardWords,
    pub dates: DateWords,
    pub links: LinkWords,
    pub hours: HourWords,
    pub pages: PageWords,
    pub chapter: ChapterWords,
    pub print: PrintWords,
    pub pack: PackWords,
    pub editions: EditionWords,
    pub draft: DraftWords,
    pub legal_notes: LegalNotesWords,
    pub results: ResultWords,
}

/// The `[results]` words Rust fills in: how a period reads, and how a standard is named in the
/// home page's summary (the templates read the rest of the table).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ResultWords {
    /// `{n}° semestre {year}`.
    pub semester: String,
    /// `{n}° trimestre {year}`.
    pub quarter: String,
    /// `dal {from} al {to}`.
    pub dates: String,
    /// Between a standard's indicator and its service: "Presa in carico – Assistenza".
    pub name_joiner: String,
}

/// The `[legal_notes]` words the renderer needs: where the generated page goes and its title (the
/// template reads the licence's text).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LegalNotesWords {
    pub slug: String,
    pub title: String,
    pub description: String,
}

/// The `[draft]` words the renderer needs: the badge of a draft, printed in the PDF's running
/// header (the templates read the rest of the table).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DraftWords {
    pub badge: String,
}

/// Words the Markdown renderer writes into chapter pages.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ChapterWords {
    /// Label of the scroll region around a table; `{section}` is the section's title.
    pub table_label: String,
    pub table_label_no_section: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DateWords {
    pub months: Vec<String>,
    /// For example `{day} {month} {year}`.
    pub format: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LinkWords {
    pub new_window_hint: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PageWords {
    pub home_title: String,
    pub commitments_title: String,
    pub commitments_slug: String,
    pub commitments_description: String,
    pub contacts_title: String,
    pub contacts_slug: String,
    pub contacts_description: String,
    pub organization_title: String,
    pub organization_slug: String,
    pub organization_description: String,
    pub results_title: String,
    pub results_slug: String,
    pub results_description: String,
    pub not_found_title: String,
}

/// The words of the print edition the renderer needs (the templates read the rest of `[print]`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PrintWords {
    /// URL segment of the print edition, e.g. `stampa` for `/stampa/`.
    pub slug: String,
    pub title: String,
    /// Fragment ids of the cover and of the table of contents.
    pub cover_id: String,
    pub toc_id: String,
    /// Pattern printed after an external link's text; `{url}` is replaced by the address.
    pub external_url: String,
    /// The words of the running footer "Pagina 3 di 24", written into the page style.
    pub page: String,
    pub page_of: String,
}

/// The `[pack]` table: the transparency pack's page, files and open data labels.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PackWords {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub section: String,
    pub retention_rule: String,
    pub preview_title: String,
    pub preview_description: String,
    pub artifact_site: String,
    pub artifact_print: String,
    pub artifact_pdf: String,
    pub artifact_commitments_csv: String,
    pub artifact_commitments_json: String,
    pub artifact_contacts_csv: String,
    pub artifact_contacts_json: String,
    pub artifact_organization_csv: String,
    pub artifact_organization_json: String,
    pub artifact_results_csv: String,
    pub artifact_results_json: String,
    pub artifact_surveys_csv: String,
    pub artifact_surveys_json: String,
    pub artifact_complaints_csv: String,
    pub artifact_complaints_json: String,
    pub artifact_dcat: String,
    pub artifact_manifest: String,
    pub size_bytes: String,
    pub size_kilobytes: String,
    pub size_megabytes: String,
    /// Read only by the templates (`strings.pack.while_in_force`); typed here so a theme without
    /// it is refused when loaded (`E173`) rather than when a page is rendered.
    #[allow(
        dead_code,
        reason = "a key every theme must have; only the templates read it"
    )]
    pub while_in_force: String,
    pub indicator_take_charge: String,
    pub indicator_response: String,
    pub indicator_availability: String,
    pub indicator_on_request: String,
    pub indicator_best_effort: String,
    pub indicator_not_defined: String,
    pub legal_basis: Vec<LegalBasis>,
    pub datasets: DatasetWords,
}

/// One law the publication rests on.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub(crate) struct LegalBasis {
    pub reference: String,
    pub description: String,
    pub url: String,
}

/// `[pack.datasets]`: titles and descriptions of the DCAT-AP_IT catalogue and data sets.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DatasetWords {
    pub catalogue_title: String,
    pub catalogue_description: String,
    pub commitments_title: String,
    pub commitments_description: String,
    pub contacts_title: String,
    pub contacts_description: String,
    pub organization_title: String,
    pub organization_description: String,
    pub results_title: String,
    pub results_description: String,
    pub surveys_title: String,
    pub surveys_description: String,
    pub complaints_title: String,
    pub complaints_description: String,
}

/// The `[editions]` table: the archive of editions and "Cosa è cambiato".
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct EditionWords {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The same for a draft, which is not in force: an earlier edition may be, or none.
    pub description_draft: String,
    /// `{edition}` is the edition's name.
    pub edition_title: String,
    pub changes_slug: String,
    /// `{edition}` is the newer edition.
    pub changes_title: String,
    /// `{old}` and `{new}` are the two editions.
    pub changes_description: String,
}

impl EditionWords {
    /// The archive's one-line description: a draft does not say an edition is in force.
    pub(crate) fn archive_description(&self, draft: bool) -> &str {
        if draft {
            &self.description_draft
        } else {
            &self.description
        }
    }
}

impl PackWords {
    /// "Presa in carico", … for a standard kind as written in the content.
    pub(crate) fn indicator(&self, kind: &str) -> &str {
        match kind {
            "take_charge" => &self.indicator_take_charge,
            "response" => &self.indicator_response,
            "availability" => &self.indicator_availability,
            "on_request" => &self.indicator_on_request,
            "best_effort" => &self.indicator_best_effort,
            _ => &self.indicator_not_defined,
        }
    }
}

impl Strings {
    pub(crate) fn date(&self, date: crate::model::Date) -> String {
        let month = self
            .dates
            .months
            .get(date.month as usize - 1)
            .cloned()
            .unwrap_or_default();
        self.dates
            .format
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }
}

/// The `[standards]` table of the theme's `strings.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct StandardWords {
    /// Sentences of the short forms.
    pub take_charge: String,
    pub response: String,
    pub availability: String,
    pub on_request: String,
    pub best_effort: String,
    /// A standard not defined yet, alone.
    pub not_defined: String,
    pub day_singular: String,
    pub day_plural: String,
    pub in_before_consonant: String,
    pub in_before_vowel: String,
    pub to_before_consonant: String,
    pub to_before_vowel: String,
    pub the_before_consonant: String,
    pub the_before_vowel: String,
    pub decimal_separator: String,
    /// The full form: `{indicator}` and `{target}`.
    pub full: String,
    /// A share of cases after the target: `{in_percent}`.
    pub share: String,
    pub targets: TargetWords,
    /// Comparators before a number with its unit: `{value}`.
    pub comparators: ComparatorWords,
    /// Comparators before a percentage: `{the_percent}` ("il 35%"), `{to_percent}` ("al 35%").
    pub comparators_percent: ComparatorWords,
    /// A number with its unit, `{n}` the number, singular when it is exactly 1.
    pub units: UnitWords,
    /// After an amount per period: "all'anno".
    pub per: PeriodWords,
    /// After a percentage measured over a period: "su base annua".
    pub over: PeriodWords,
    /// The dimensions of quality, as readers see them: "Tempestività".
    pub dimensions: DimensionWords,
}

/// The four dimensions of quality (CIVIT 88/2010), by their code in open data.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DimensionWords {
    pub accessibilita: String,
    pub tempestivita: String,
    pub trasparenza: String,
    pub efficacia: String,
}

impl DimensionWords {
    pub(crate) fn name(&self, dimension: Dimension) -> &str {
        match dimension {
            Dimension::Accessibility => &self.accessibilita,
            Dimension::Timeliness => &self.tempestivita,
            Dimension::Transparency => &self.trasparenza,
            Dimension::Effectiveness => &self.efficacia,
        }
    }
}

/// Targets without a number, after the indicator.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TargetWords {
    pub immediate: String,
    pub always: String,
    pub on_request: String,
    pub best_effort: String,
    pub not_defined: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ComparatorWords {
    pub within: String,
    pub at_most: String,
    pub at_least: String,
    pub above: String,
    pub below: String,
    pub equal: String,
}

impl ComparatorWords {
    pub(crate) fn pattern(&self, comparator: Comparator) -> &str {
        match comparator {
            Comparator::Within => &self.within,
            Comparator::AtMost => &self.at_most,
            Comparator::AtLeast => &self.at_least,
            Comparator::Above => &self.above,
            Comparator::Below => &self.below,
            Comparator::Equal => &self.equal,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct UnitWords {
    pub minutes: Plural,
    pub hours: Plural,
    pub days: Plural,
    pub working_days: Plural,
    pub calendar_days: Plural,
    pub count: Plural,
}

/// The singular and plural of a number with its unit: `{n} giorno`, `{n} giorni`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Plural {
    pub one: String,
    pub other: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PeriodWords {
    pub day: String,
    pub week: String,
    pub month: String,
    pub year: String,
}

impl PeriodWords {
    pub(crate) fn word(&self, period: Period) -> &str {
        match period {
            Period::Day => &self.day,
            Period::Week => &self.week,
            Period::Month => &self.month,
            Period::Year => &self.year,
        }
    }
}

/// The `[hours]` words of the theme the renderer needs (the templates read the rest).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct HourWords {
    /// The days as readers see them, Monday first.
    pub days: Vec<String>,
    /// `{from}` and `{to}` are days: "da lunedì a venerdì".
    pub day_range: String,
    /// Between the items of a list but the last two, and between those: "lunedì, mercoledì e
    /// venerdì".
    pub list_separator: String,
    pub list_last: String,
    /// Before the opening and the closing time; the `_one` forms before one o'clock ("dall'1:00").
    pub from_time: String,
    pub from_time_one: String,
    pub to_time: String,
    pub to_time_one: String,
    /// Before the first and the last day of a period of dates; the `_vowel` forms before a day
    /// read with a vowel (8, 11: "dall'8 agosto").
    pub from_date: String,
    pub from_date_vowel: String,
    pub to_date: String,
    pub to_date_vowel: String,
    /// A date on which the office is closed.
    pub closed: String,
    /// After the times of days received by appointment: "dalle 9:00 alle 12:00, su appuntamento".
    pub by_appointment: String,
    /// Days received by appointment at no set time.
    pub by_appointment_only: String,
    /// An office that receives only by appointment, whatever the days.
    pub appointment_only: String,
}
