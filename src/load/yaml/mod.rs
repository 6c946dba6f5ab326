//! YAML parsing behind one door: `serde-saphyr` is used here and nowhere else.
//!
//! Turns YAML text into model types, with positions for [`Located`] values, and turns every
//! parser or schema error into a located Italian [`Diagnostic`] with a hint.

mod words;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::{ErrorKind as ScanKind, ScanError};
use serde_saphyr::localizer::ExternalMessageSource;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{
    Comparator, Date, Dimension, Located, Measure, MeasureUnit, Outcome, Period, Preset, Standard,
    StandardKind, StandardList, Statistic, Target,
};
use crate::source::{FileId, SourceMap};

/// Limits that keep hostile or broken files (alias bombs, absurd nesting) cheap to reject.
const MAX_DEPTH: usize = 64;
const MAX_NODES: usize = 250_000;
const MAX_ALIASES: usize = 1_000;
const MAX_SCALAR_MB: usize = 16;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_aliases: MAX_ALIASES,
            max_total_scalar_bytes: MAX_SCALAR_MB * 1024 * 1024,
        },
    }
}

/// Parses `text` (a whole file, or the front matter of one) into `T`.
///
/// `line_offset` is added to reported lines when `text` starts further down its file.
pub(crate) fn parse<T: DeserializeOwned>(
    text: &str,
    sources: &SourceMap,
    file: FileId,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|error| translate(&error, sources, file, line_offset))
}

/// Where an error is: the error itself and the text it points into, for hints that quote what
/// was written.
struct At<'a> {
    error: &'a YamlError,
    sources: &'a SourceMap,
    file: FileId,
    line_offset: u32,
}

impl At<'_> {
    /// The line the error points at, and the column on it.
    fn line(&self) -> Option<(&str, u32)> {
        written_line(self.error, self.sources, self.file, self.line_offset)
    }
}

fn translate(error: &YamlError, sources: &SourceMap, file: FileId, line_offset: u32) -> Diagnostic {
    let inner = error.without_snippet();
    let at = At {
        error,
        sources,
        file,
        line_offset,
    };
    let diagnostic = match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected, &at),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let diagnostic = Diagnostic::error("E102", format!("tipo sconosciuto `{variant}`"));
            match did_you_mean(variant, expected.iter().copied()) {
                Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
                None => {
                    diagnostic.with_hint(format!("i tipi ammessi sono: {}", expected.join(", ")))
                }
            }
        }
        YamlError::SerdeMissingField { field, .. } => Diagnostic::error(
            "E103",
            format!("manca la chiave obbligatoria `{field}`"),
        )
        .with_hint(format!(
            "aggiungi `{field}: ...` a questo elemento; l'elenco delle chiavi è in docs/content.md"
        )),
        YamlError::DuplicateMappingKey { key, .. } => Diagnostic::error(
            "E105",
            match key {
                Some(key) => format!("la chiave `{key}` compare due volte"),
                None => "una chiave compare due volte".to_string(),
            },
        )
        .with_hint("tieni una sola delle due righe"),
        YamlError::InvalidScalar { ty, .. } => invalid_scalar(ty, &at),
        YamlError::NullIntoString { .. } => Diagnostic::error("E104", "valore mancante").with_hint(
            "scrivi un testo dopo i due punti, oppure togli la riga se la chiave è facoltativa",
        ),
        YamlError::Budget { breach, .. } => over_budget(breach),
        YamlError::Message { msg, .. } => match msg.split_once(words::HINT) {
            Some((message, hint)) => Diagnostic::error("E104", message).with_hint(hint),
            None => Diagnostic::error("E104", msg.clone()),
        },
        YamlError::ExternalMessage { source, msg, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => return parser_error(scan, inner, &at),
            _ => Diagnostic::error("E101", format!("YAML non valido ({msg})"))
                .with_hint(words::GENERIC_HINT),
        },
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Diagnostic::error(
            "E104",
            format!(
                "valore del tipo sbagliato: qui serve {}, non {}",
                expected_name(expected),
                found_name(unexpected)
            ),
        )
        .with_hint("confronta la forma di questo valore con l'esempio in docs/content.md"),
        YamlError::Unexpected { expected, .. } => Diagnostic::error(
            "E104",
            format!(
                "valore del tipo sbagliato: qui serve {}",
                expected_name(expected)
            ),
        )
        .with_hint("confronta la forma di questo valore con l'esempio in docs/content.md"),
        // The parser's own guard against nesting that would exhaust the stack.
        other if plain_message(other).contains("recursion limit") => too_deep(),
        other => Diagnostic::error(
            "E101",
            format!("YAML non valido ({})", plain_message(other)),
        )
        .with_hint(words::GENERIC_HINT),
    };
    located(diagnostic, error, inner, sources, file, line_offset)
}

/// `E102` for a key that does not exist here, with the closest one; a key of digits is the
/// decimal part of a number written with a comma inside braces (`{ percent: 99,6 }`).
fn unknown_field(field: &str, expected: &[&str], at: &At<'_>) -> Diagnostic {
    let diagnostic = Diagnostic::error("E102", format!("chiave sconosciuta `{field}`"));
    if field.chars().all(|c| c.is_ascii_digit()) {
        return diagnostic.with_hint(
            match at
                .line()
                .and_then(|(line, col)| words::split_decimal(line, col))
            {
                Some(number) => format!(
                    "scrivi {number}: nei numeri il separatore dei decimali è il punto, non la virgola"
                ),
                None => "nei numeri il separatore dei decimali è il punto, non la virgola: 99.6"
                    .to_string(),
            },
        );
    }
    match did_you_mean(field, expected.iter().copied()) {
        Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
        None => diagnostic.with_hint(format!(
            "le chiavi ammesse qui sono: {}",
            expected.join(", ")
        )),
    }
}

/// `E104` for a value that is not of the type needed, quoting it and, for a number written
/// with a unit, a `%` or a comma, showing it corrected.
fn invalid_scalar(ty: &str, at: &At<'_>) -> Diagnostic {
    let written = written_value(at.error, at.sources, at.file, at.line_offset);
    let corrected = written
        .as_deref()
        .and_then(|written| words::corrected_number(written, type_name(ty) == "un numero intero"));
    let diagnostic = match &written {
        Some(written) => Diagnostic::error(
            "E104",
            format!("valore non valido `{written}`: serve {}", type_name(ty)),
        ),
        None => Diagnostic::error(
            "E104",
            format!("valore non valido: serve {}", type_name(ty)),
        ),
    };
    match corrected {
        Some(corrected) => diagnostic.with_hint(format!("scrivi {corrected}: {}", type_rule(ty))),
        None => diagnostic.with_hint(type_hint(ty)),
    }
}

/// The YAML parser's own error, in Italian and located; a tab is pointed at itself, where the
/// parser points just after it.
fn parser_error(scan: &ScanError, inner: &YamlError, at: &At<'_>) -> Diagnostic {
    if *scan.kind() == ScanKind::RecursionLimitExceeded {
        return located(
            too_deep(),
            at.error,
            inner,
            at.sources,
            at.file,
            at.line_offset,
        );
    }
    let (message, hint) = words::scan_error(scan.kind(), &plain_message(inner));
    let diagnostic = Diagnostic::error("E101", message).with_hint(hint);
    if words::is_tab(scan.kind())
        && let Some((line, col)) = at.line()
        && let Some(tab) = words::tab_column(line, col)
        && let Some(location) = at.error.location()
    {
        return diagnostic.at(at.file, location.line() as u32 + at.line_offset, tab, 1);
    }
    located(
        diagnostic,
        at.error,
        inner,
        at.sources,
        at.file,
        at.line_offset,
    )
}

/// The limit of [`options`] that the file went past, said in the words of its writer.
fn over_budget(breach: &BudgetBreach) -> Diagnostic {
    let (message, hint) = match breach {
        BudgetBreach::Depth { .. } => return too_deep(),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => (
            format!(
                "file YAML troppo grande: più di {} valori (il limite è sul numero di elementi, non sull'annidamento)",
                thousands(MAX_NODES)
            ),
            "un file di contenuto ha al massimo qualche migliaio di voci: controlla che non vi sia stato incollato per errore un elenco generato o ripetuto".to_string(),
        ),
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. }
        | BudgetBreach::MergeKeys { .. } => (
            format!(
                "file YAML troppo complesso: troppi alias (più di {} riferimenti `*nome` ad ancore `&nome`)",
                thousands(MAX_ALIASES)
            ),
            "i file di contenuto non hanno bisogno di alias (&, *): scrivi ogni valore per esteso".to_string(),
        ),
        BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => (
            format!("file YAML troppo grande: più di {MAX_SCALAR_MB} MB di testo"),
            "un file di contenuto è molto più piccolo: controlla che sia il file giusto".to_string(),
        ),
        BudgetBreach::Documents { .. } => (
            "file YAML con troppi documenti (parti separate da una riga `---`)".to_string(),
            "un file di contenuto è un solo documento: togli le righe `---` in più".to_string(),
        ),
        _ => (
            "file YAML troppo complesso".to_string(),
            "i file di contenuto non hanno bisogno di alias (&, *) né di più di qualche livello di rientro".to_string(),
        ),
    };
    Diagnostic::error("E106", message).with_hint(hint)
}

fn too_deep() -> Diagnostic {
    Diagnostic::error(
        "E106",
        format!("file YAML troppo complesso: annidamento più profondo di {MAX_DEPTH} livelli"),
    )
    .with_hint("i file di contenuto non hanno bisogno di più di qualche livello di rientro (o di parentesi [ ] e { } una dentro l'altra)")
}

/// `250000` as `250.000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

fn located(
    diagnostic: Diagnostic,
    error: &YamlError,
    inner: &YamlError,
    sources: &SourceMap,
    file: FileId,
    line_offset: u32,
) -> Diagnostic {
    match error.location() {
        Some(location) if location.line() > 0 => {
            let (mut line, mut col) = (location.line() as u32, location.column() as u32);
            let mut len = location.span().len().max(1) as u32;
            if matches!(inner, YamlError::SerdeMissingField { .. })
                && let Some((start_line, start_col)) =
                    mapping_start(text_of(sources, file, line_offset), line, col)
            {
                (line, col, len) = (start_line, start_col, 1);
            }
            diagnostic.at(file, line + line_offset, col.max(1), len)
        }
        _ => diagnostic.at(file, 1 + line_offset, 1, 1),
    }
}

/// The line the error points at, and the column on it.
fn written_line<'a>(
    error: &YamlError,
    sources: &'a SourceMap,
    file: FileId,
    line_offset: u32,
) -> Option<(&'a str, u32)> {
    let location = error.location()?;
    let line = text_of(sources, file, line_offset)
        .lines()
        .nth((location.line() as usize).checked_sub(1)?)?;
    Some((line, location.column() as u32))
}

/// The value as written where the error points, for a hint that quotes it.
fn written_value(
    error: &YamlError,
    sources: &SourceMap,
    file: FileId,
    line_offset: u32,
) -> Option<String> {
    let (line, col) = written_line(error, sources, file, line_offset)?;
    let len = error.location()?.span().len() as usize;
    let start: usize = line
        .chars()
        .take((col as usize).checked_sub(1)?)
        .map(char::len_utf8)
        .sum();
    let value = line.get(start..(start + len).min(line.len()))?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The YAML text the positions refer to: the file, from the front matter's first line on.
fn text_of(sources: &SourceMap, file: FileId, line_offset: u32) -> &str {
    let text = sources.text(file);
    let mut offset = 0;
    for _ in 0..line_offset {
        match text[offset..].find('\n') {
            Some(index) => offset += index + 1,
            None => return "",
        }
    }
    &text[offset..]
}

/// Where the block mapping that contains the key at (`line`, `col`) begins: the `- ` of its list
/// item, or the parent key above it. The parser reports a missing key at the last key it read,
/// which is not where the user has to add it.
fn mapping_start(text: &str, line: u32, col: u32) -> Option<(u32, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let reported = lines.get(line as usize - 1)?;
    let key_indent = col as usize - 1;
    // Only block mappings: the key must start its line, possibly after `- `.
    let indent = reported.len() - reported.trim_start().len();
    let item_content = reported.trim_start().strip_prefix("- ").map(|_| indent + 2);
    if key_indent != indent && Some(key_indent) != item_content {
        return None;
    }
    if item_content == Some(key_indent) {
        return Some((line, indent as u32 + 1));
    }
    for (index, candidate) in lines[..line as usize - 1].iter().enumerate().rev() {
        let trimmed = candidate.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let candidate_indent = candidate.len() - trimmed.len();
        if trimmed.starts_with("- ") && candidate_indent + 2 == key_indent {
            return Some((index as u32 + 1, candidate_indent as u32 + 1));
        }
        if candidate_indent < key_indent {
            return Some((index as u32 + 1, candidate_indent as u32 + 1));
        }
    }
    // A key at the top of the file: the missing key belongs to the document itself.
    Some((1, 1))
}

/// The parser's message without its own "at line X, column Y" suffix (we show the location).
fn plain_message(error: &YamlError) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

fn type_name(ty: &str) -> &'static str {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "un numero intero"
        }
        ty if ty == "f32" || ty == "f64" || ty.contains("float") => "un numero",
        "bool" => "true oppure false",
        _ => "un valore di altro tipo",
    }
}

fn type_hint(ty: &str) -> &'static str {
    match ty {
        ty if ty == "f32" || ty == "f64" || ty.contains("float") => {
            "scrivi il numero con il punto come separatore decimale, senza %: 99.6"
        }
        "bool" => "scrivi true oppure false",
        _ => "scrivi solo cifre, senza unità: 3",
    }
}

/// How a number is written, after a corrected value: "scrivi 90: solo il numero, …".
fn type_rule(ty: &str) -> &'static str {
    match ty {
        ty if ty == "f32" || ty == "f64" || ty.contains("float") => {
            "solo il numero, con il punto come separatore decimale, senza % né unità"
        }
        _ => "solo cifre, senza unità",
    }
}

/// What serde found, in Italian: "sequence" → "un elenco".
fn found_name(unexpected: &str) -> String {
    let kind = unexpected.split([' ', '`']).next().unwrap_or(unexpected);
    match kind {
        "sequence" => "un elenco".to_string(),
        "map" => "un gruppo di chiavi".to_string(),
        "string" => format!("il testo {}", unexpected.trim_start_matches("string ")),
        "integer" | "floating" => format!(
            "il numero {}",
            unexpected
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .trim_matches('`')
        ),
        "boolean" => format!(
            "il valore {}",
            unexpected
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .trim_matches('`')
        ),
        "unit" | "null" | "none" => "un valore vuoto".to_string(),
        _ => format!("«{unexpected}»"),
    }
}

fn expected_name(expected: &str) -> String {
    // carta's own visitors already say it in Italian.
    if ["un ", "uno ", "una ", "l'", "niente"]
        .iter()
        .any(|start| expected.starts_with(start))
    {
        return expected.to_string();
    }
    if expected.contains("sequence") || expected.starts_with("a list") || expected == "a tuple" {
        "un elenco (righe che iniziano con `- `)".to_string()
    } else if expected.contains("mapping") {
        "un gruppo di chiavi (`chiave: valore` su righe rientrate)".to_string()
    } else if expected.contains("string") || expected.contains("char") {
        "un testo".to_string()
    } else if expected.starts_with("struct") || expected.contains("map") {
        "un gruppo di chiavi (`chiave: valore`)".to_string()
    } else if ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "integer"]
        .iter()
        .any(|ty| expected.contains(ty))
    {
        "un numero intero".to_string()
    } else if expected.contains("f64") || expected.contains("f32") || expected.contains("float") {
        "un numero".to_string()
    } else if expected.contains("bool") {
        "true oppure false".to_string()
    } else {
        // A shape serde describes in English that carta has no words for.
        format!("un valore di altra forma ({expected})")
    }
}

/// Positions come from `serde_saphyr::Spanned`, converted so the model does not depend on it.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let location = spanned.referenced;
        Ok(Located::new(
            spanned.value,
            location.line() as u32,
            location.column() as u32,
            location.span().len() as u32,
        ))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if crate::forms::is_placeholder(&text) {
            return Ok(Date::TO_FILL);
        }
        Date::parse(&text).ok_or_else(|| {
            let hint = match words::corrected_date(&text) {
                Some(iso) => format!("scrivi {iso}: le date si scrivono AAAA-MM-GG"),
                None => "scrivi la data come AAAA-MM-GG, per esempio 2025-06-03".to_string(),
            };
            de::Error::custom(format!("data non valida `{text}`{}{hint}", words::HINT))
        })
    }
}

// ---- Standards ------------------------------------------------------------------------------------

/// Keys of the full form of a standard.
const FULL_KEYS: [&str; 10] = [
    "id",
    "dimension",
    "sub_dimension",
    "indicator",
    "formula",
    "target",
    "share",
    "kind",
    "legal_basis",
    "note",
];

/// Keys of a target with a number, or of a promise in words: [`Comparator::KEYS`] and the others
/// (a test holds the two lists together).
const TARGET_KEYS: [&str; 9] = [
    "within", "at_most", "at_least", "above", "below", "equal", "unit", "per", "promise",
];

/// `take_charge: {days, percent}` and `response: {days, percent}`, with an optional `unit`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DaysForm {
    days: Located<u32>,
    /// Which days: `days` (not said which, as when `unit` is left out), `working_days` or
    /// `calendar_days`.
    #[serde(default)]
    unit: Option<Located<DayUnit>>,
    percent: Located<f64>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    id: Option<Located<String>>,
}

/// `availability: {percent}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityForm {
    percent: Located<f64>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    id: Option<Located<String>>,
}

/// What follows a short form without numbers: nothing, a note, or `{note, id}`.
#[derive(Default)]
struct NoteForm {
    note: Option<String>,
    id: Option<Located<String>>,
}

impl<'de> Deserialize<'de> for NoteForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoteVisitor;

        impl<'de> Visitor<'de> for NoteVisitor {
            type Value = NoteForm;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("niente, una nota, oppure un gruppo con `note`")
            }

            fn visit_unit<E: de::Error>(self) -> Result<NoteForm, E> {
                Ok(NoteForm::default())
            }

            fn visit_none<E: de::Error>(self) -> Result<NoteForm, E> {
                Ok(NoteForm::default())
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<NoteForm, D::Error> {
                deserializer.deserialize_any(self)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<NoteForm, E> {
                Ok(NoteForm {
                    note: Some(text.to_string()),
                    id: None,
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoteForm, A::Error> {
                let mut form = NoteForm::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "note" => form.note = Some(map.next_value::<String>()?),
                        "id" => form.id = Some(map.next_value::<Located<String>>()?),
                        other => return Err(de::Error::unknown_field(other, &["note", "id"])),
                    }
                }
                Ok(form)
            }
        }

        deserializer.deserialize_any(NoteVisitor)
    }
}

/// A keyword of the content (a unit, a period, a dimension, a kind), read from a string; an
/// unknown word is `E102` with the closest known one.
fn keyword<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    expected: &'static [&'static str],
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| de::Error::unknown_variant(&text, expected))
}

impl<'de> Deserialize<'de> for MeasureUnit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, MeasureUnit::from_key, &MeasureUnit::KEYS)
    }
}

/// The unit of a short form's `days`: only the units that count days.
struct DayUnit(MeasureUnit);

/// The units a short form's `days` can be counted in.
const DAY_UNITS: [&str; 3] = ["days", "working_days", "calendar_days"];

impl<'de> Deserialize<'de> for DayUnit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(
            deserializer,
            |key| {
                DAY_UNITS
                    .contains(&key)
                    .then(|| MeasureUnit::from_key(key).map(DayUnit))
                    .flatten()
            },
            &DAY_UNITS,
        )
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, Period::from_key, &Period::KEYS)
    }
}

impl<'de> Deserialize<'de> for Dimension {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, Dimension::parse, &Dimension::NAMES)
    }
}

impl<'de> Deserialize<'de> for Statistic {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, Statistic::from_key, &Statistic::KEYS)
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, Outcome::from_key, &Outcome::KEYS)
    }
}

impl<'de> Deserialize<'de> for StandardKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        keyword(deserializer, StandardKind::from_key, &StandardKind::KEYS)
    }
}

/// `target:` of the full form: a word (`immediate`, `always`, `on_request`, `best_effort`,
/// `not_defined`), a number with comparator and unit (`{within: 20, unit: working_days}`), or a
/// promise in words (`{promise: "…"}`).
struct TargetForm(Target);

impl<'de> Deserialize<'de> for TargetForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetVisitor;

        fn bare_number<E: de::Error>() -> E {
            de::Error::custom(
                "al numero mancano il confronto e l'unità: scrivi per esempio `target: {within: N, unit: working_days}` oppure `target: {at_least: P, unit: percent}`",
            )
        }

        impl<'de> Visitor<'de> for TargetVisitor {
            type Value = TargetForm;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("un valore programmato, per esempio `{within: N, unit: days}` oppure `immediate`")
            }

            fn visit_str<E: de::Error>(self, word: &str) -> Result<TargetForm, E> {
                Ok(TargetForm(match word {
                    "immediate" => Target::Immediate,
                    "always" => Target::Always,
                    "on_request" => Target::OnRequest,
                    "best_effort" => Target::BestEffort,
                    "not_defined" => Target::NotDefined,
                    other => return Err(de::Error::unknown_variant(other, &Target::WORDS)),
                }))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<TargetForm, E> {
                Err(bare_number())
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<TargetForm, E> {
                Err(bare_number())
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<TargetForm, E> {
                Err(bare_number())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TargetForm, A::Error> {
                let mut comparator: Option<(Comparator, Located<f64>)> = None;
                let mut unit: Option<Located<MeasureUnit>> = None;
                let mut per: Option<Located<Period>> = None;
                let mut promise: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if let Some(found) = Comparator::from_key(&key) {
                        let value = map.next_value::<Located<f64>>()?;
                        if let Some((first, _)) = comparator {
                            return Err(de::Error::custom(format!(
                                "un valore programmato ha un solo confronto: `{}` e `{key}` insieme non si possono scrivere; per due soglie scrivi due standard",
                                first.key()
                            )));
                        }
                        comparator = Some((found, value));
                        continue;
                    }
                    match key.as_str() {
                        "unit" => unit = Some(map.next_value()?),
                        "per" => per = Some(map.next_value()?),
                        "promise" => promise = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &TARGET_KEYS)),
                    }
                }
                match (comparator, unit, promise) {
                    (None, None, Some(text)) if per.is_none() => {
                        Ok(TargetForm(Target::Promise(text)))
                    }
                    (_, _, Some(_)) => Err(de::Error::custom(
                        "`promise` è una promessa a parole e va da sola: togli il confronto, `unit` e `per`, oppure togli `promise`",
                    )),
                    (Some((comparator, value)), Some(unit), None) => {
                        Ok(TargetForm(Target::Measure(Measure {
                            comparator: Located::new(comparator, value.line, value.col, value.len),
                            value,
                            unit,
                            per,
                        })))
                    }
                    (Some(_), None, None) => Err(de::Error::missing_field("unit")),
                    (None, _, None) => Err(de::Error::custom(format!(
                        "manca il confronto con il numero: scrivi una di {} seguita dal numero, per esempio `{{within: N, unit: days}}`",
                        Comparator::KEYS.map(|key| format!("`{key}`")).join(", ")
                    ))),
                }
            }
        }

        deserializer.deserialize_any(TargetVisitor)
    }
}

/// One element of `standards:`, without its position (added by [`Standard`]'s `Deserialize`).
struct StandardForm(Standard);

impl StandardForm {
    fn unplaced(target: Target) -> Standard {
        Standard::new(target, Located::new((), 0, 0, 0))
    }

    /// A short form without numbers: `on_request`, `best_effort`, `not_defined`.
    fn wordy(preset: Preset, form: NoteForm) -> Standard {
        let target = match preset {
            Preset::OnRequest => Target::OnRequest,
            Preset::BestEffort => Target::BestEffort,
            _ => Target::NotDefined,
        };
        let mut standard = StandardForm::unplaced(target);
        standard.preset = Some(preset);
        standard.note = form.note;
        standard.set_written_id(form.id);
        standard
    }

    /// `take_charge` and `response`: within N days (of the unit written) in P% of cases, a
    /// timeliness standard.
    fn days(preset: Preset, form: DaysForm) -> Standard {
        let days = form.days;
        let unit = match form.unit {
            Some(unit) => Located::new(unit.value.0, unit.line, unit.col, unit.len),
            None => Located::new(MeasureUnit::Days, days.line, days.col, days.len),
        };
        let mut standard = StandardForm::unplaced(Target::Measure(Measure {
            comparator: Located::new(Comparator::Within, days.line, days.col, days.len),
            value: Located::new(f64::from(days.value), days.line, days.col, days.len),
            unit,
            per: None,
        }));
        standard.preset = Some(preset);
        standard.dimension = Some(Dimension::Timeliness);
        standard.share = Some(form.percent);
        standard.note = form.note;
        standard.set_written_id(form.id);
        standard
    }

    /// `availability`: above P% over a year, an accessibility standard.
    fn availability(form: AvailabilityForm) -> Standard {
        let percent = form.percent;
        let (line, col, len) = (percent.line, percent.col, percent.len);
        let mut standard = StandardForm::unplaced(Target::Measure(Measure {
            comparator: Located::new(Comparator::Above, line, col, len),
            value: percent,
            unit: Located::new(MeasureUnit::Percent, line, col, len),
            per: Some(Located::new(Period::Year, line, col, len)),
        }));
        standard.preset = Some(Preset::Availability);
        standard.dimension = Some(Dimension::Accessibility);
        standard.note = form.note;
        standard.set_written_id(form.id);
        standard
    }
}

/// The full form: every key of [`FULL_KEYS`], `first` already read.
fn full_form<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<Standard, A::Error> {
    let mut standard = StandardForm::unplaced(Target::NotDefined);
    let (mut dimension, mut indicator, mut target) = (None, None, None);
    let mut key = Some(first);
    while let Some(current) = key {
        match current.as_str() {
            "id" => standard.set_written_id(Some(map.next_value()?)),
            "dimension" => dimension = Some(map.next_value::<Dimension>()?),
            "sub_dimension" => standard.sub_dimension = Some(map.next_value()?),
            "indicator" => indicator = Some(map.next_value::<String>()?),
            "formula" => standard.formula = Some(map.next_value()?),
            "target" => target = Some(map.next_value::<TargetForm>()?.0),
            "share" => standard.share = Some(map.next_value()?),
            "kind" => standard.kind = Some(map.next_value()?),
            "legal_basis" => standard.legal_basis = Some(map.next_value()?),
            "note" => standard.note = Some(map.next_value()?),
            other if Preset::from_key(other).is_some() => {
                return Err(de::Error::custom(format!(
                    "la forma breve `{other}` va da sola nel suo elemento dell'elenco; per darle un id scrivilo dentro: `{other}: {{…, id: …}}`"
                )));
            }
            other => return Err(de::Error::unknown_field(other, &FULL_KEYS)),
        }
        key = map.next_key::<String>()?;
    }
    standard.dimension = Some(dimension.ok_or_else(|| de::Error::missing_field("dimension"))?);
    standard.indicator = Some(indicator.ok_or_else(|| de::Error::missing_field("indicator"))?);
    standard.target = target.ok_or_else(|| de::Error::missing_field("target"))?;
    Ok(standard)
}

impl<'de> Deserialize<'de> for StandardForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StandardVisitor;

        impl<'de> Visitor<'de> for StandardVisitor {
            type Value = StandardForm;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str(
                    "uno standard, per esempio `take_charge: {days: N, percent: P}`, `on_request`, oppure la forma estesa con `dimension`, `indicator` e `target`",
                )
            }

            /// `- on_request`, `- best_effort`, `- not_defined`: the short forms without numbers.
            fn visit_str<E: de::Error>(self, key: &str) -> Result<StandardForm, E> {
                match Preset::from_key(key) {
                    Some(
                        preset @ (Preset::OnRequest | Preset::BestEffort | Preset::NotDefined),
                    ) => Ok(StandardForm(StandardForm::wordy(
                        preset,
                        NoteForm::default(),
                    ))),
                    Some(_) => Err(de::Error::custom(format!(
                        "lo standard `{key}` ha bisogno dei suoi numeri, per esempio `{key}: {}`",
                        if key == "availability" {
                            "{percent: P}"
                        } else {
                            "{days: N, percent: P}"
                        }
                    ))),
                    None => Err(de::Error::unknown_variant(key, &Preset::KEYS)),
                }
            }

            /// `- short_form: value` (exactly one key), or the full form.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StandardForm, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "standard vuoto: scrivi una forma breve, per esempio `take_charge: {days: N, percent: P}`, oppure la forma estesa con `dimension`, `indicator` e `target`",
                    ));
                };
                let Some(preset) = Preset::from_key(&key) else {
                    if FULL_KEYS.contains(&key.as_str()) {
                        return full_form(key, map).map(StandardForm);
                    }
                    // A misspelt short form reads as a kind of standard, anything else as a key.
                    if did_you_mean(&key, Preset::KEYS).is_some() {
                        return Err(de::Error::unknown_variant(&key, &Preset::KEYS));
                    }
                    return Err(de::Error::unknown_field(&key, &FULL_KEYS));
                };
                let standard = match preset {
                    Preset::TakeCharge | Preset::Response => {
                        StandardForm::days(preset, map.next_value::<DaysForm>()?)
                    }
                    Preset::Availability => {
                        StandardForm::availability(map.next_value::<AvailabilityForm>()?)
                    }
                    Preset::OnRequest | Preset::BestEffort | Preset::NotDefined => {
                        StandardForm::wordy(preset, map.next_value::<NoteForm>()?)
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(if Preset::from_key(&extra).is_some() {
                        format!(
                            "uno standard per riga: `{extra}` va in un nuovo elemento dell'elenco, su una riga che inizia con `- `"
                        )
                    } else {
                        format!(
                            "la forma breve `{key}` va da sola: `{extra}` si scrive dentro le sue graffe, oppure usa la forma estesa con `dimension`, `indicator` e `target`"
                        )
                    }));
                }
                Ok(StandardForm(standard))
            }
        }

        deserializer.deserialize_any(StandardVisitor)
    }
}

/// Every key and string value of a YAML document that holds a control character other than tab
/// and line ends, as located `E220` errors (see [`crate::control`]). The document is read again,
/// as any YAML, with the position of every node; one that does not parse gives nothing here (its
/// parser error is reported by [`parse`]).
pub(crate) fn control_characters(
    text: &str,
    file: FileId,
    line_offset: u32,
) -> Vec<crate::diagnostics::Diagnostic> {
    // A value can hold a control character only if the text does, or if the parser makes one
    // from an escape (`"\x07"`) or a tag (`!!binary`): without a refused character, a backslash
    // or a `!`, no value holds one, and the document need not be read again.
    if crate::control::first_refused(text).is_none() && !text.contains(['\\', '!']) {
        return Vec::new();
    }
    let Ok(root) =
        serde_saphyr::from_str_with_options::<serde_saphyr::Spanned<AnyNode>>(text, options())
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut pending = vec![&root];
    while let Some(node) = pending.pop() {
        match &node.value {
            AnyNode::Text(text) => {
                if let Some(ch) = crate::control::first_refused(text) {
                    let at = span_of(node);
                    found.push(crate::control::refused(ch).at(
                        file,
                        at.line + line_offset,
                        at.col,
                        at.len,
                    ));
                }
            }
            AnyNode::List(items) => pending.extend(items.iter().rev()),
            AnyNode::Map(entries) => {
                for (key, value) in entries.iter().rev() {
                    pending.push(value);
                    pending.push(key);
                }
            }
            AnyNode::Other => {}
        }
    }
    found
}

/// Any YAML node, with the position of each of its children.
enum AnyNode {
    Text(String),
    List(Vec<serde_saphyr::Spanned<AnyNode>>),
    Map(
        Vec<(
            serde_saphyr::Spanned<AnyNode>,
            serde_saphyr::Spanned<AnyNode>,
        )>,
    ),
    Other,
}

impl<'de> Deserialize<'de> for AnyNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyVisitor;
        impl<'de> Visitor<'de> for AnyVisitor {
            type Value = AnyNode;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<AnyNode, E> {
                Ok(AnyNode::Text(text.to_string()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<AnyNode, E> {
                Ok(AnyNode::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<AnyNode, D::Error> {
                AnyNode::deserialize(inner)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AnyNode, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(AnyNode::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyNode, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(AnyNode::Map(entries))
            }
        }
        deserializer.deserialize_any(AnyVisitor)
    }
}

/// The position of a value, from `serde_saphyr::Spanned`.
fn span_of<T>(spanned: &serde_saphyr::Spanned<T>) -> Located<()> {
    let location = spanned.referenced;
    Located::new(
        (),
        location.line() as u32,
        location.column() as u32,
        location.span().len() as u32,
    )
}

impl<'de> Deserialize<'de> for Standard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<StandardForm>::deserialize(deserializer)?;
        let at = span_of(&spanned);
        let mut standard = spanned.value.0;
        if !standard.id_written {
            standard.id = Located::new(String::new(), at.line, at.col, at.len);
        }
        standard.at = at;
        Ok(standard)
    }
}

/// `standards:` of a commitment: a list, or `not_defined`.
enum ListForm {
    List(Vec<Standard>),
    NotDefined,
}

impl<'de> Deserialize<'de> for ListForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;

        fn not_a_list<E: de::Error>() -> E {
            de::Error::custom(
                "`standards` è l'elenco degli standard (righe che iniziano con `- `), oppure `not_defined` se gli standard non sono ancora definiti",
            )
        }

        impl<'de> Visitor<'de> for ListVisitor {
            type Value = ListForm;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("l'elenco degli standard, oppure `not_defined`")
            }

            fn visit_str<E: de::Error>(self, word: &str) -> Result<ListForm, E> {
                if word == "not_defined" {
                    Ok(ListForm::NotDefined)
                } else {
                    Err(not_a_list())
                }
            }

            fn visit_unit<E: de::Error>(self) -> Result<ListForm, E> {
                Err(not_a_list())
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ListForm, A::Error> {
                let mut items = Vec::new();
                while let Some(standard) = seq.next_element::<Standard>()? {
                    items.push(standard);
                }
                Ok(ListForm::List(items))
            }
        }

        deserializer.deserialize_any(ListVisitor)
    }
}

impl<'de> Deserialize<'de> for StandardList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<ListForm>::deserialize(deserializer)?;
        let at = span_of(&spanned);
        Ok(match spanned.value {
            ListForm::List(items) => StandardList::new(items, false, at),
            ListForm::NotDefined => {
                let mut standard = Standard::new(Target::NotDefined, at.clone());
                standard.preset = Some(Preset::NotDefined);
                StandardList::new(vec![standard], true, at)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Commitments;

    fn parse_str<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
        let mut sources = SourceMap::new();
        let file = sources.add("test.yaml", text.to_string());
        parse(text, &sources, file, 0)
    }

    const COMMITMENT: &str = "commitments:\n  - id: a\n    service: S\n    users: [u]\n    responsible: [x]\n    standards:\n";

    #[test]
    fn a_target_accepts_every_comparator_and_suggests_only_its_keys() {
        for key in Comparator::KEYS {
            assert!(TARGET_KEYS.contains(&key), "{key}");
        }
        let others: Vec<&str> = TARGET_KEYS
            .into_iter()
            .filter(|key| !Comparator::KEYS.contains(key))
            .collect();
        assert_eq!(others, ["unit", "per", "promise"]);
    }

    #[test]
    fn reads_every_standard_form() {
        let text = format!(
            "{COMMITMENT}      - take_charge: {{days: 3, percent: 85}}\n      - availability: {{percent: 99.6, note: 24x7}}\n      - on_request\n      - best_effort: il servizio è di tipo best effort\n      - on_request: {{note: n, id: su-richiesta}}\n      - not_defined\n"
        );
        let commitments: Commitments = parse_str(&text).unwrap();
        let standards = &commitments.commitments[0].standards;
        let take_charge = &standards[0];
        assert_eq!(take_charge.preset, Some(Preset::TakeCharge));
        assert_eq!(take_charge.dimension, Some(Dimension::Timeliness));
        let measure = take_charge.target.measure().unwrap();
        assert_eq!(measure.comparator.value, Comparator::Within);
        assert_eq!(measure.value.value, 3.0);
        assert_eq!(measure.unit.value, MeasureUnit::Days);
        assert_eq!((measure.value.line, measure.value.col), (7, 29));
        assert_eq!(take_charge.share.as_ref().unwrap().value, 85.0);
        assert_eq!(take_charge.id.value, "take-charge");
        assert_eq!((take_charge.at.line, take_charge.at.col), (7, 9));
        let availability = standards[1].target.measure().unwrap();
        assert_eq!(availability.comparator.value, Comparator::Above);
        assert_eq!(availability.unit.value, MeasureUnit::Percent);
        assert_eq!(availability.per.as_ref().unwrap().value, Period::Year);
        assert_eq!(standards[1].note.as_deref(), Some("24x7"));
        assert!(matches!(standards[2].target, Target::OnRequest));
        assert_eq!(standards[2].note, None);
        assert_eq!(
            standards[3].note.as_deref(),
            Some("il servizio è di tipo best effort")
        );
        assert_eq!(standards[4].note.as_deref(), Some("n"));
        assert_eq!(standards[4].id.value, "su-richiesta");
        assert!(standards[4].id_written);
        assert!(!standards[5].is_defined());
        assert_eq!(commitments.commitments[0].id.line, 2);
    }

    #[test]
    fn reads_the_full_form() {
        let text = format!(
            "{COMMITMENT}      - dimension: Tempestività\n        sub_dimension: tempestività della risposta\n        indicator: Tempo di risposta ai reclami\n        formula: giorni tra reclamo e risposta\n        target: {{within: 20, unit: working_days}}\n        share: 90\n        legal_basis: art. 2 l. 241/1990\n      - dimension: accessibilita\n        indicator: Apertura al pubblico\n        target: {{at_least: 30, unit: hours, per: week}}\n        kind: general\n      - dimension: efficacia\n        indicator: Ascolto\n        target: {{promise: risposta scritta a ogni reclamo}}\n      - dimension: trasparenza\n        indicator: Pubblicazione dei tempi\n        target: not_defined\n"
        );
        let commitments: Commitments = parse_str(&text).unwrap();
        let standards = &commitments.commitments[0].standards;
        let first = &standards[0];
        assert_eq!(first.preset, None);
        assert_eq!(first.dimension, Some(Dimension::Timeliness));
        assert_eq!(
            first.indicator.as_deref(),
            Some("Tempo di risposta ai reclami")
        );
        assert_eq!(first.id.value, "tempo-di-risposta-ai-reclami");
        let measure = first.target.measure().unwrap();
        assert_eq!(measure.unit.value, MeasureUnit::WorkingDays);
        assert_eq!(first.share.as_ref().unwrap().value, 90.0);
        assert_eq!(first.legal_basis.as_deref(), Some("art. 2 l. 241/1990"));
        let second = standards[1].target.measure().unwrap();
        assert_eq!(second.comparator.value, Comparator::AtLeast);
        assert_eq!(second.per.as_ref().unwrap().value, Period::Week);
        assert_eq!(
            standards[1].kind.as_ref().unwrap().value,
            StandardKind::General
        );
        assert!(
            matches!(&standards[2].target, Target::Promise(text) if text == "risposta scritta a ogni reclamo")
        );
        assert!(!standards[3].is_defined());
        assert_eq!(standards[3].id.value, "pubblicazione-dei-tempi");
    }

    #[test]
    fn standards_not_defined_is_one_undefined_standard() {
        let text = "commitments:\n  - id: a\n    service: S\n    users: [u]\n    responsible: [x]\n    standards: not_defined\n";
        let commitments: Commitments = parse_str(text).unwrap();
        let list = &commitments.commitments[0].standards;
        assert!(list.not_defined);
        assert_eq!(list.len(), 1);
        assert!(!list[0].is_defined());
        assert_eq!((list.at.line, list.at.col), (6, 16));
        let wrong = parse_str::<Commitments>(&text.replace("not_defined", "nessuno")).unwrap_err();
        assert_eq!(wrong.code, "E104");
        assert!(wrong.message.contains("not_defined"), "{}", wrong.message);
    }

    #[test]
    fn target_mistakes_are_located_errors_without_other_entes_numbers() {
        let full = |target: &str| {
            format!(
                "{COMMITMENT}      - dimension: tempestività\n        indicator: Tempo\n        target: {target}\n"
            )
        };
        let cases = [
            ("{within: 20, unit: giorni}", "E102", "giorni"),
            ("{within: 20}", "E103", "unit"),
            ("{unit: days}", "E104", "within"),
            ("20", "E104", "within: N"),
            (
                "{within: 2, at_most: 3, unit: days}",
                "E104",
                "un solo confronto",
            ),
            ("{promise: x, unit: days}", "E104", "promise"),
            ("subito", "E102", "subito"),
            ("{within: 2, unit: days, per: anno}", "E102", "anno"),
        ];
        for (target, code, word) in cases {
            let diagnostic = parse_str::<Commitments>(&full(target)).unwrap_err();
            assert_eq!(diagnostic.code, code, "{target}: {diagnostic:?}");
            let text = format!(
                "{} {}",
                diagnostic.message,
                diagnostic.hint.as_deref().unwrap_or("")
            );
            assert!(text.contains(word), "{target}: {text}");
            assert!(
                !text.contains("85") && !text.contains("days: 3"),
                "{target}: {text}"
            );
            assert!(
                matches!(diagnostic.location, Some(crate::diagnostics::Location::Source { line, .. }) if line >= 7),
                "{target}: {diagnostic:?}"
            );
        }
        let missing = parse_str::<Commitments>(&format!(
            "{COMMITMENT}      - dimension: tempestività\n        target: immediate\n"
        ))
        .unwrap_err();
        assert_eq!(missing.code, "E103");
        assert_eq!(missing.message, "manca la chiave obbligatoria `indicator`");
        let bare =
            parse_str::<Commitments>(&format!("{COMMITMENT}      - take_charge\n")).unwrap_err();
        assert_eq!(bare.code, "E104");
        assert!(
            bare.message.contains("{days: N, percent: P}"),
            "{}",
            bare.message
        );
        let misspelt = parse_str::<Commitments>(&format!(
            "{COMMITMENT}      - take_charg: {{days: 1, percent: 50}}\n"
        ))
        .unwrap_err();
        assert_eq!(misspelt.code, "E102");
        assert_eq!(
            misspelt.hint.as_deref(),
            Some("forse intendevi `take_charge`?")
        );
        let key =
            parse_str::<Commitments>(&format!("{COMMITMENT}      - indicatore: x\n")).unwrap_err();
        assert_eq!(key.code, "E102");
        assert_eq!(key.hint.as_deref(), Some("forse intendevi `indicator`?"));
    }

    #[test]
    fn unknown_key_points_at_it_with_suggestion() {
        let text = format!("{COMMITMENT}      - take_charge: {{days: 3, percnt: 85}}\n");
        let diagnostic = parse_str::<Commitments>(&text).unwrap_err();
        assert_eq!(diagnostic.code, "E102");
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some("forse intendevi `percent`?")
        );
        assert!(matches!(
            diagnostic.location,
            Some(crate::diagnostics::Location::Source {
                line: 7,
                col: 32,
                ..
            })
        ));
    }

    #[test]
    fn missing_key_points_at_the_element_that_lacks_it() {
        let text = "commitments:\n  - id: a\n    users: [u]\n    standards: [on_request]\n    responsible: [x]\n  - id: b\n";
        let diagnostic = parse_str::<Commitments>(text).unwrap_err();
        assert_eq!(diagnostic.code, "E103");
        assert!(
            matches!(
                diagnostic.location,
                Some(crate::diagnostics::Location::Source {
                    line: 2,
                    col: 3,
                    ..
                })
            ),
            "{diagnostic:?}"
        );
        let approval =
            parse_str::<crate::model::Charter>("title: T\napproval:\n  act: DD 1\n").unwrap_err();
        assert!(
            matches!(
                approval.location,
                Some(crate::diagnostics::Location::Source {
                    line: 2,
                    col: 1,
                    ..
                })
            ),
            "{approval:?}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_said_in_italian() {
        let diagnostic =
            parse_str::<Commitments>(&format!("{COMMITMENT}      - [a]\n")).unwrap_err();
        assert_eq!(diagnostic.code, "E104");
        assert_eq!(
            diagnostic.message,
            "valore del tipo sbagliato: qui serve uno standard, per esempio `take_charge: {days: N, percent: P}`, `on_request`, oppure la forma estesa con `dimension`, `indicator` e `target`, non un elenco"
        );
        let users = parse_str::<Commitments>(
            "commitments:\n  - id: a\n    service: S\n    users: [[u]]\n    responsible: [x]\n    standards: not_defined\n",
        )
        .unwrap_err();
        assert_eq!(
            users.message,
            "valore del tipo sbagliato: qui serve un testo"
        );
    }

    #[test]
    fn bad_date_is_located() {
        let diagnostic =
            parse_str::<crate::model::Approval>("act: DD 1\ndate: 2025-02-30\n").unwrap_err();
        assert_eq!(diagnostic.message, "data non valida `2025-02-30`");
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some("scrivi la data come AAAA-MM-GG, per esempio 2025-06-03")
        );
        assert!(matches!(
            diagnostic.location,
            Some(crate::diagnostics::Location::Source { line: 2, .. })
        ));
    }
}

#[cfg(test)]
mod control_tests {
    use super::control_characters;
    use crate::source::SourceMap;

    fn found(text: &str) -> Vec<(u32, u32)> {
        let file = SourceMap::new().add("test.yaml", text.to_string());
        control_characters(text, file, 0)
            .iter()
            .map(|d| match d.location {
                Some(crate::diagnostics::Location::Source { line, col, .. }) => (line, col),
                _ => panic!("not located in the text: {d:?}"),
            })
            .collect()
    }

    #[test]
    fn a_control_character_made_by_the_parser_is_found() {
        // The parser refuses one written as is; an escape, in any of its forms, or a tag makes
        // one from plain characters, and each is still found on its line.
        for text in [
            "a: ok\nb: \"x\\ay\"\n",
            "a: ok\nb: \"x\\x1by\"\n",
            "a: ok\nb: \"x\\u0085\"\n",
            "a: ok\nb: !!binary Bw==\n",
        ] {
            let lines: Vec<u32> = found(text).into_iter().map(|(line, _)| line).collect();
            assert_eq!(lines, [2], "{text:?}");
        }
        // Text with neither escapes nor tags holds none.
        assert!(found("a: ok\nb: [uno, due]\nc: 'virgolette '' doppie'\n").is_empty());
    }
}
