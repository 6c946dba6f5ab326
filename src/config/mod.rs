//! `site.toml`: the ente's identity, the site's address and the links every PA site must show.
//!
//! Parsed with the `toml` crate into plain types; unknown keys are errors with a "did you mean" hint.
//! Touch this module to add a setting; document it in `docs/content.md` in the same change.

mod words;

use serde::Deserialize;
pub(crate) use toml::Spanned;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::source::{FileId, SourceMap};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteConfig {
    /// The carta versions the project needs (`">=0.4"`), checked before the rest by
    /// [`crate::version::requirement`].
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) carta: Option<String>,
    pub(crate) ente: Ente,
    pub(crate) site: SiteSettings,
    /// Missing links are reported by validation, one by one (`E186`), not by the parser.
    #[serde(default)]
    pub(crate) footer: FooterLinks,
    /// Open data and transparency pack settings; the whole section is optional.
    #[serde(default)]
    pub(crate) open_data: OpenDataSettings,
    /// Where this charter was copied from, for the leftover check of `carta check`.
    #[serde(default)]
    pub(crate) fork: Option<Fork>,
    /// Warnings the office publishes with on purpose, each with its reason (see [`crate::accept`]).
    #[serde(default)]
    pub(crate) accept: Vec<Spanned<Acceptance>>,
    /// What the pages may load from other sites; the whole section is optional.
    #[serde(default)]
    pub(crate) security: Security,
}

/// `[[accept]]`: a warning accepted by code and place, with the reason in words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Acceptance {
    /// The warning's code, e.g. `W194`.
    pub(crate) code: String,
    /// The file the warning points at, relative to the project folder (`site.toml`).
    pub(crate) file: String,
    /// The line the warning points at, when only one place of the file is meant.
    #[serde(default)]
    pub(crate) line: Option<u32>,
    /// The key of site.toml the warning points at (`footer.accessibility`), instead of a line.
    #[serde(default)]
    pub(crate) key: Option<String>,
    /// Why the warning is accepted, shown with it in every run.
    pub(crate) reason: String,
}

/// The `[security]` table: the origins, besides the site's own, that pages may load images,
/// media and frames from (checked by [`crate::gate`], written into every page's
/// Content-Security-Policy).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Security {
    /// `https://host[:port]` each, no path.
    #[serde(default)]
    pub(crate) allowed_origins: Vec<Spanned<String>>,
}

/// The public body that publishes the charter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ente {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) city: String,
    #[serde(default)]
    pub(crate) demonym: Option<String>,
    /// The ente's website; absent when the charter gives none: the ente is then named without a
    /// link, never with a made-up one.
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) domains: Vec<String>,
    /// The ente's colour as `#RRGGBB`; used for accents.
    #[serde(default = "default_colour")]
    pub(crate) colour: String,
    /// The ente's code in the IPA index (for example `c_d612`), the identifier open data
    /// catalogues (DCAT-AP_IT) expect for a public body.
    #[serde(default)]
    pub(crate) ipa_code: Option<String>,
    /// The ente's logo (its arms, for a comune): a file of the project's `static/` folder, shown
    /// in the header. Checked by [`crate::branding`].
    #[serde(default)]
    pub(crate) logo: Option<Spanned<String>>,
    /// What the logo shows, for those who cannot see it; required with `logo`.
    #[serde(default)]
    pub(crate) logo_alt: Option<Spanned<String>>,
    pub(crate) parent: ParentBody,
}

/// The body the ente belongs to, shown in the slim header (for a comune, usually its region or
/// metropolitan city). Its site is optional: a charter that names the body without its address
/// gets the name without a link, never a made-up one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParentBody {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteSettings {
    /// Absolute URL where the site is published; its path is the prefix of every link.
    pub(crate) base_url: String,
    #[serde(default = "default_language")]
    pub(crate) language: String,
    #[serde(default = "default_theme")]
    pub(crate) theme: String,
    /// Open external links in a new window (with a visually hidden warning for screen readers).
    #[serde(default)]
    pub(crate) external_links_new_window: bool,
    /// Extra stylesheets from the project's `static/` folder, linked after the theme's.
    #[serde(default)]
    pub(crate) stylesheets: Vec<String>,
    /// The site's icon: a file of the project's `static/` folder (SVG, PNG or ICO); the theme's
    /// neutral icon when absent. Checked by [`crate::branding`].
    #[serde(default)]
    pub(crate) favicon: Option<Spanned<String>>,
    /// carta writes the legal notes page (`/note-legali/`) with the licence of the contents in the
    /// words AGID's model gives, and the footer links it; only for CC-BY 4.0 (`E195`).
    #[serde(default)]
    pub(crate) legal_notes_page: bool,
    /// carta numbers the chapters (in their order) and their `##` and `###` headings, and the
    /// headings' anchors come from their words (see [`crate::markdown`]).
    #[serde(default)]
    pub(crate) numbering: bool,
}

/// The links of the footer. AGID requires the accessibility statement, the privacy notice, the
/// legal notes and a way to report an inefficiency ([`FooterLinks::REQUIRED`]); the FAQ link is
/// shown only when the ente has such a page. Every key is optional for the parser, so validation
/// can say which required link is missing and why.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FooterLinks {
    #[serde(default)]
    pub(crate) accessibility: Option<String>,
    #[serde(default)]
    pub(crate) privacy: Option<String>,
    #[serde(default)]
    pub(crate) legal_notes: Option<String>,
    #[serde(default)]
    pub(crate) faq: Option<String>,
    #[serde(default)]
    pub(crate) report_inefficiency: Option<String>,
}

impl FooterLinks {
    /// The keys AGID requires, in the footer's order.
    pub(crate) const REQUIRED: [&'static str; 4] = [
        "accessibility",
        "privacy",
        "legal_notes",
        "report_inefficiency",
    ];

    /// The link under `key`, unless it is missing or blank (`faq = ""` means no FAQ page).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.written(key).filter(|link| !link.trim().is_empty())
    }

    /// The value written under `key`, even when blank.
    pub(crate) fn written(&self, key: &str) -> Option<&str> {
        match key {
            "accessibility" => self.accessibility.as_deref(),
            "privacy" => self.privacy.as_deref(),
            "legal_notes" => self.legal_notes.as_deref(),
            "faq" => self.faq.as_deref(),
            "report_inefficiency" => self.report_inefficiency.as_deref(),
            _ => None,
        }
    }
}

/// `[open_data]`: how the charter's data may be reused.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenDataSettings {
    /// Licence id of the data and texts, one of [`crate::licence::KNOWN`]; CC-BY-4.0 by default.
    #[serde(default = "default_licence")]
    pub(crate) licence: String,
}

impl Default for OpenDataSettings {
    fn default() -> Self {
        Self {
            licence: default_licence(),
        }
    }
}

fn default_licence() -> String {
    "CC-BY-4.0".to_string()
}

/// `[fork]`: the ente a charter was copied from, with the facts of its charter that `carta init
/// --from` found (see `docs/content.md` § 3), the facts that are true for the new ente too, and
/// other words that must not appear any more.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fork {
    #[serde(default)]
    pub(crate) origin: Option<Origin>,
    /// Facts of the old ente that hold for the new one too: never reported. A standard is kept by
    /// its commitment's id or by its whole entry.
    #[serde(default)]
    pub(crate) keep: Vec<String>,
    /// More words or phrases of the old ente (offices, places, people, projects).
    #[serde(default)]
    pub(crate) extra_terms: Vec<String>,
    /// Phrases that may name the old ente on purpose, e.g. "Città metropolitana di Firenze".
    #[serde(default)]
    pub(crate) allow: Vec<String>,
}

/// The old ente's identity and the facts of its charter, by kind. Everything but the name is
/// optional, so a `[fork]` written by an older carta (name, city, demonym, domains) still reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Origin {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) city: Option<String>,
    /// One name of the inhabitants; `demonyms` holds more.
    #[serde(default)]
    pub(crate) demonym: Option<String>,
    #[serde(default)]
    pub(crate) demonyms: Vec<String>,
    #[serde(default)]
    pub(crate) domains: Vec<String>,
    /// The body it belongs to (its region, its metropolitan city) and that body's domain.
    #[serde(default)]
    pub(crate) parent: Vec<String>,
    /// The office that published the charter and its short name.
    #[serde(default)]
    pub(crate) offices: Vec<String>,
    /// The units of its organigram.
    #[serde(default)]
    pub(crate) units: Vec<String>,
    #[serde(default)]
    pub(crate) people: Vec<String>,
    #[serde(default)]
    pub(crate) emails: Vec<String>,
    #[serde(default)]
    pub(crate) phones: Vec<String>,
    /// Street and postcode of its seat.
    #[serde(default)]
    pub(crate) address: Vec<String>,
    /// The services of its commitments.
    #[serde(default)]
    pub(crate) services: Vec<String>,
    /// Proper names found in its data: systems, networks, projects ("FirenzeWIFI", "Fi-Net").
    #[serde(default)]
    pub(crate) names: Vec<String>,
    /// The act that approved its charter.
    #[serde(default)]
    pub(crate) act: Option<String>,
    /// The dates of its charter (approval, publication, update, next review), `YYYY-MM-DD`.
    #[serde(default)]
    pub(crate) dates: Vec<String>,
    #[serde(default)]
    pub(crate) edition: Option<String>,
    /// The numbers of its standards: `"<commitment id>: <path> = <number>"`.
    #[serde(default)]
    pub(crate) standards: Vec<String>,
}

fn default_colour() -> String {
    "#0066CC".to_string()
}

fn default_language() -> String {
    "it".to_string()
}

fn default_theme() -> String {
    "agid".to_string()
}

impl SiteSettings {
    /// `base_url` with exactly one trailing slash: `https://carta.comune.fi.it/carta/`.
    pub(crate) fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The absolute URL of a root-relative site URL (`/impegni/` → `https://…/impegni/`).
    pub(crate) fn absolute_url(&self, url: &str) -> String {
        format!("{}{}", self.base_url_slash(), url.trim_start_matches('/'))
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub(crate) fn root_path(&self) -> String {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.base_url);
        let path = without_scheme
            .find('/')
            .map(|index| &without_scheme[index..])
            .unwrap_or("/");
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }
}

/// Every key and string of `site.toml` that holds a control character other than tab and line
/// ends, as located `E220` errors (see [`crate::control`]). A file that does not parse gives
/// nothing here: [`parse`] reports it.
pub(crate) fn control_characters(sources: &SourceMap, file: FileId) -> Vec<Diagnostic> {
    let text = sources.text(file);
    let Ok(root) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut check = |value: &str, span: std::ops::Range<usize>| {
        if let Some(ch) = crate::control::first_refused(value) {
            let len = text.get(span.clone()).map_or(1, |s| s.chars().count()) as u32;
            found.push(crate::control::refused(ch).at_offset(sources, file, span.start, len));
        }
    };
    let mut tables = vec![root.get_ref()];
    let mut values: Vec<&toml::Spanned<toml::de::DeValue<'_>>> = Vec::new();
    while !tables.is_empty() || !values.is_empty() {
        if let Some(table) = tables.pop() {
            for (key, value) in table.iter() {
                check(key.get_ref(), key.span());
                values.push(value);
            }
        } else if let Some(value) = values.pop() {
            match value.get_ref() {
                toml::de::DeValue::String(text) => check(text, value.span()),
                toml::de::DeValue::Array(items) => values.extend(items.iter()),
                toml::de::DeValue::Table(table) => tables.push(table),
                _ => {}
            }
        }
    }
    found
}

/// Parses `site.toml`, turning syntax and schema mistakes into located diagnostics.
/// The byte offset of `path` (`footer.accessibility`: key `accessibility` of section `[footer]`)
/// in the text of a TOML file, at the start of the key.
pub(crate) fn key_offset(text: &str, path: &str) -> Option<usize> {
    // Read with toml's own spans: a key in a dotted or inline form is found as well as one under
    // its `[section]` header.
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, value) = table.get_key_value(part)?;
        if parts.peek().is_none() {
            return Some(key.span().start);
        }
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
    None
}

/// Where key `path` (as in [`key_offset`]) is written in the TOML file `file`, underlining the
/// key; `None` when it is not written there.
pub(crate) fn key_location(
    sources: &SourceMap,
    file: FileId,
    path: &str,
) -> Option<crate::diagnostics::Location> {
    let offset = key_offset(sources.text(file), path)?;
    let key = path.rsplit_once('.').map_or(path, |(_, key)| key);
    let (line, col) = crate::source::line_col(sources.text(file), offset);
    Some(crate::diagnostics::Location::Source {
        file,
        line,
        col,
        len: key.len() as u32,
    })
}

pub(crate) fn parse(sources: &SourceMap, file: FileId) -> Result<SiteConfig, Diagnostic> {
    let text = sources.text(file);
    toml::from_str::<SiteConfig>(text).map_err(|error| {
        let message = error.message().to_string();
        let mut diagnostic = match unknown_field(&message) {
            Some((field, expected)) => {
                let diagnostic =
                    Diagnostic::error("E102", format!("chiave sconosciuta `{field}` in site.toml"));
                match did_you_mean(&field, expected.iter().map(String::as_str)) {
                    Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
                    None => diagnostic.with_hint(format!(
                        "le chiavi ammesse qui sono: {}",
                        expected.join(", ")
                    )),
                }
            }
            None => match missing_field(&message) {
                Some(field) => Diagnostic::error(
                    "E103",
                    format!("manca la chiave obbligatoria `{field}` in site.toml"),
                )
                .with_hint("aggiungi la chiave; l'elenco completo è in docs/content.md"),
                None => {
                    let start = error.span().map(|span| span.start).unwrap_or(0);
                    let (message, hint) = words::toml_error(&message, line_at(text, start));
                    Diagnostic::error("E101", message).with_hint(hint)
                }
            },
        };
        let offset = error.span().map(|span| span.start).unwrap_or(0);
        let len = error
            .span()
            .map(|span| span.len().max(1) as u32)
            .unwrap_or(1);
        diagnostic = diagnostic.at_offset(sources, file, offset, len);
        diagnostic
    })
}

/// The line of `text` that holds the byte at `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset]
        .rfind('\n')
        .map(|index| index + 1)
        .unwrap_or(0);
    let end = text[offset..]
        .find('\n')
        .map(|index| offset + index)
        .unwrap_or(text.len());
    &text[start..end]
}

/// Extracts the field and the allowed names from serde's "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field.to_string(), expected))
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    let (field, _) = rest.split_once('`')?;
    Some(field.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_path_comes_from_base_url() {
        let settings = |base_url: &str| SiteSettings {
            base_url: base_url.to_string(),
            language: "it".into(),
            theme: "agid".into(),
            external_links_new_window: false,
            stylesheets: Vec::new(),
            favicon: None,
            legal_notes_page: false,
            numbering: false,
        };
        assert_eq!(settings("https://carta.comune.fi.it").root_path(), "/");
        assert_eq!(settings("https://carta.comune.fi.it/").root_path(), "/");
        assert_eq!(
            settings("https://www.comune.fi.it/carta/dsi").root_path(),
            "/carta/dsi/"
        );
    }

    #[test]
    fn parses_serde_unknown_field_message() {
        let (field, expected) =
            unknown_field("unknown field `colr`, expected one of `name`, `colour`").unwrap();
        assert_eq!(field, "colr");
        assert_eq!(expected, vec!["name", "colour"]);
    }
}
