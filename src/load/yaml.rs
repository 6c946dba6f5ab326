//! YAML parsing behind one door: `serde-saphyr` is used here and nowhere else.
//!
//! Turns YAML text into model types, with positions for [`Located`] values, and turns every
//! parser or schema error into a located Italian [`Diagnostic`] with a hint.

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Availability, Date, Located, Note, Standard, Target};
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
pub fn parse<T: DeserializeOwned>(
    text: &str,
    sources: &SourceMap,
    file: FileId,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|error| translate(&error, sources, file, line_offset))
}

fn translate(error: &YamlError, sources: &SourceMap, file: FileId, line_offset: u32) -> Diagnostic {
    let inner = error.without_snippet();
    let diagnostic = match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let diagnostic = Diagnostic::error("E102", format!("chiave sconosciuta `{field}`"));
            if field.chars().all(|c| c.is_ascii_digit()) {
                // `{ percent: 99,6 }`: the comma split the number in two.
                return located(
                    diagnostic.with_hint("nei numeri usa il punto per i decimali, non la virgola: 99.6"),
                    error,
                    inner,
                    sources,
                    file,
                    line_offset,
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
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let diagnostic =
                Diagnostic::error("E102", format!("tipo sconosciuto `{variant}`"));
            match did_you_mean(variant, expected.iter().copied()) {
                Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
                None => diagnostic
                    .with_hint(format!("i tipi ammessi sono: {}", expected.join(", "))),
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
        YamlError::InvalidScalar { ty, .. } => {
            Diagnostic::error("E104", format!("valore non valido: serve {}", type_name(ty)))
                .with_hint(type_hint(ty))
        }
        YamlError::NullIntoString { .. } => Diagnostic::error("E104", "valore mancante")
            .with_hint("scrivi un testo dopo i due punti, oppure togli la riga se la chiave è facoltativa"),
        YamlError::Budget { breach, .. } => over_budget(breach),
        YamlError::Message { msg, .. } => Diagnostic::error("E104", msg.clone()),
        YamlError::Unexpected { expected, .. } => Diagnostic::error(
            "E104",
            format!("valore del tipo sbagliato: qui serve {}", expected_name(expected)),
        )
        .with_hint("confronta la forma di questo valore con l'esempio in docs/content.md"),
        // The parser's own guard against nesting that would exhaust the stack.
        other if plain_message(other).contains("recursion limit") => too_deep(),
        other => Diagnostic::error("E101", format!("YAML non valido: {}", plain_message(other)))
            .with_hint("controlla il rientro (solo spazi, non tabulazioni), i due punti dopo ogni chiave e le virgolette"),
    };
    located(diagnostic, error, inner, sources, file, line_offset)
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

fn expected_name(expected: &str) -> String {
    if expected.contains("sequence") {
        "un elenco (righe che iniziano con `- `)".to_string()
    } else if expected.contains("mapping") {
        "un gruppo di chiavi (`chiave: valore` su righe rientrate)".to_string()
    } else if expected.contains("string") {
        "un testo".to_string()
    } else {
        expected.to_string()
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
        Date::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "data non valida `{text}`: scrivi la data come AAAA-MM-GG, per esempio 2025-06-03"
            ))
        })
    }
}

impl<'de> Deserialize<'de> for Note {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoteVisitor;

        impl<'de> Visitor<'de> for NoteVisitor {
            type Value = Note;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("nothing, a note, or a mapping with `note`")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Note, E> {
                Ok(Note(None))
            }

            fn visit_none<E: de::Error>(self) -> Result<Note, E> {
                Ok(Note(None))
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Note, D::Error> {
                deserializer.deserialize_any(self)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Note, E> {
                Ok(Note(Some(text.to_string())))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Note, A::Error> {
                let mut note = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "note" {
                        return Err(de::Error::unknown_field(&key, &["note"]));
                    }
                    note = Some(map.next_value::<String>()?);
                }
                Ok(Note(note))
            }
        }

        deserializer.deserialize_any(NoteVisitor)
    }
}

impl<'de> Deserialize<'de> for Standard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StandardVisitor;

        impl<'de> Visitor<'de> for StandardVisitor {
            type Value = Standard;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str(
                    "a standard such as `take_charge: {days: 3, percent: 85}` or `on_request`",
                )
            }

            /// `- on_request` / `- best_effort`: the kinds that need no numbers.
            fn visit_str<E: de::Error>(self, kind: &str) -> Result<Standard, E> {
                match kind {
                    "on_request" => Ok(Standard::OnRequest(Note(None))),
                    "best_effort" => Ok(Standard::BestEffort(Note(None))),
                    "take_charge" | "response" | "availability" => Err(de::Error::custom(format!(
                        "lo standard `{kind}` ha bisogno dei suoi numeri, per esempio `{kind}: {}`",
                        if kind == "availability" {
                            "{percent: 99.6}"
                        } else {
                            "{days: 3, percent: 85}"
                        }
                    ))),
                    other => Err(de::Error::unknown_variant(other, &Standard::KINDS)),
                }
            }

            /// `- kind: value`, exactly one key.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Standard, A::Error> {
                let Some(kind) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "standard vuoto: scrivi per esempio `take_charge: {days: 3, percent: 85}`",
                    ));
                };
                let standard = match kind.as_str() {
                    "take_charge" => Standard::TakeCharge(map.next_value::<Target>()?),
                    "response" => Standard::Response(map.next_value::<Target>()?),
                    "availability" => Standard::Availability(map.next_value::<Availability>()?),
                    "on_request" => Standard::OnRequest(map.next_value::<Note>()?),
                    "best_effort" => Standard::BestEffort(map.next_value::<Note>()?),
                    other => return Err(de::Error::unknown_variant(other, &Standard::KINDS)),
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "uno standard per riga: `{extra}` va in un nuovo elemento dell'elenco, su una riga che inizia con `- `"
                    )));
                }
                Ok(standard)
            }
        }

        deserializer.deserialize_any(StandardVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Commitments, Standard};

    fn parse_str<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
        let mut sources = SourceMap::new();
        let file = sources.add("test.yaml", text.to_string());
        parse(text, &sources, file, 0)
    }

    const COMMITMENT: &str = "commitments:\n  - id: a\n    service: S\n    users: [u]\n    responsible: [x]\n    standards:\n";

    #[test]
    fn reads_every_standard_form() {
        let text = format!(
            "{COMMITMENT}      - take_charge: {{days: 3, percent: 85}}\n      - availability: {{percent: 99.6, note: 24x7}}\n      - on_request\n      - best_effort: il servizio è di tipo best effort\n      - on_request: {{note: n}}\n"
        );
        let commitments: Commitments = parse_str(&text).unwrap();
        let standards = &commitments.commitments[0].standards.value;
        assert!(
            matches!(&standards[0], Standard::TakeCharge(t) if t.days.value == 3 && t.percent.value == 85.0)
        );
        assert_eq!(standards[1].note(), Some("24x7"));
        assert_eq!(standards[2].note(), None);
        assert_eq!(
            standards[3].note(),
            Some("il servizio è di tipo best effort")
        );
        assert_eq!(standards[4].note(), Some("n"));
        assert_eq!(commitments.commitments[0].id.line, 2);
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
    fn bad_date_is_located() {
        let diagnostic =
            parse_str::<crate::model::Approval>("act: DD 1\ndate: 2025-02-30\n").unwrap_err();
        assert!(
            diagnostic.message.contains("AAAA-MM-GG"),
            "{}",
            diagnostic.message
        );
        assert!(matches!(
            diagnostic.location,
            Some(crate::diagnostics::Location::Source { line: 2, .. })
        ));
    }
}
