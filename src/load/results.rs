//! Reads the measured results: `content/data/results.yaml`, or `content/data/results.csv` for an
//! office whose ticketing system exports CSV. Both are read into the same raw rows and turned into
//! the model by one function, so the two files mean exactly the same thing.

use serde::Deserialize;

use super::{DATA_DIR, Loader};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{
    DataFile, Located, MeasureUnit, Measured, Measurement, Outcome, ResultPeriod, Results, Span,
    Statistic,
};
use crate::source::FileId;

/// The results file, under `content/data/`.
pub(crate) const YAML_FILE: &str = "results.yaml";
/// The same results as CSV, under `content/data/`.
pub(crate) const CSV_FILE: &str = "results.csv";

/// The columns of `results.csv`, in the documented order; `period`, `commitment` and `standard`
/// are required, the others may be left out or empty.
pub(crate) const CSV_COLUMNS: [&str; 13] = [
    "period",
    "commitment",
    "standard",
    "within",
    "total",
    "value",
    "statistic",
    "unit",
    "not_measured",
    "declared",
    "evidence",
    "note",
    "source",
];

/// `results.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    periods: Vec<RawPeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    period: Located<PeriodText>,
    #[serde(default)]
    source: Option<String>,
    results: Vec<Located<RawResult>>,
}

/// A period as written: a year is a YAML number, the other forms are text.
pub(super) struct PeriodText(pub(super) String);

impl<'de> Deserialize<'de> for PeriodText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PeriodText;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a period")
            }
            fn visit_u64<E: serde::de::Error>(self, year: u64) -> Result<PeriodText, E> {
                Ok(PeriodText(year.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, year: i64) -> Result<PeriodText, E> {
                Ok(PeriodText(year.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PeriodText, E> {
                Ok(PeriodText(text.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One result as written, every form's keys optional: [`measurement`] tells which form it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResult {
    commitment: Located<String>,
    standard: Located<String>,
    #[serde(default)]
    within: Option<Located<u64>>,
    #[serde(default)]
    total: Option<Located<u64>>,
    #[serde(default)]
    value: Option<Located<f64>>,
    #[serde(default)]
    statistic: Option<Located<Statistic>>,
    #[serde(default)]
    unit: Option<Located<MeasureUnit>>,
    #[serde(default)]
    not_measured: Option<Located<String>>,
    #[serde(default)]
    declared: Option<Located<Outcome>>,
    #[serde(default)]
    evidence: Option<Located<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

impl Loader {
    /// The results, from whichever of the two files the project has; `None` without either.
    pub(super) fn results(&mut self) -> Option<DataFile<Results>> {
        let yaml_path = format!("content/{DATA_DIR}/{YAML_FILE}");
        let csv_path = format!("content/{DATA_DIR}/{CSV_FILE}");
        let yaml = self.read(&yaml_path, false);
        let csv = self.read(&csv_path, false);
        match (yaml, csv) {
            (Some(_), Some(_)) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "E282",
                        format!("i risultati sono scritti due volte: {yaml_path} e {csv_path}"),
                    )
                    .at_path(&csv_path)
                    .with_hint(
                        "tieni uno solo dei due file: lo YAML scritto a mano o il CSV esportato",
                    ),
                );
                None
            }
            (Some(file), None) => {
                let raw = self.data_in::<RawFile>(file)?;
                let periods = raw
                    .periods
                    .into_iter()
                    .map(|period| {
                        let text = period.period;
                        let written = Located::new(text.value.0, text.line, text.col, text.len);
                        (written, period.source, period.results)
                    })
                    .collect();
                self.build_results(file, periods)
            }
            (None, Some(file)) => {
                let periods = self.csv_rows(file)?;
                self.build_results(file, periods)
            }
            (None, None) => None,
        }
    }

    pub(super) fn data_in<T: serde::de::DeserializeOwned>(&mut self, file: FileId) -> Option<T> {
        match super::yaml::parse::<T>(self.sources.text(file), &self.sources, file, 0) {
            Ok(data) => {
                let controls = super::yaml::control_characters(self.sources.text(file), file, 0);
                self.diagnostics.extend(controls);
                Some(data)
            }
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Turns the raw periods into the model, reporting every period that cannot be read and every
    /// result whose form is not one of the four.
    fn build_results(&mut self, file: FileId, raw: Vec<RawGroup>) -> Option<DataFile<Results>> {
        let mut periods = Vec::with_capacity(raw.len());
        let mut sound = true;
        for (text, source, rows) in raw {
            let Some(span) = Span::parse(&text.value) else {
                sound = false;
                self.diagnostics.push(
                    Diagnostic::error("E281", format!("periodo non valido `{}`", text.value))
                        .at(file, text.line, text.col, text.len)
                        .with_hint(PERIOD_HINT),
                );
                continue;
            };
            let mut results = Vec::with_capacity(rows.len());
            for row in rows {
                match measurement(row) {
                    Ok(measurement) => results.push(measurement),
                    Err(diagnostic) => {
                        sound = false;
                        self.diagnostics.push(diagnostic.in_file(file));
                    }
                }
            }
            periods.push(ResultPeriod {
                span: Located::new(span, text.line, text.col, text.len),
                from_feedback: false,
                source,
                results,
            });
        }
        sound.then_some(DataFile {
            file,
            data: Results { periods },
        })
    }

    /// The rows of `results.csv`, grouped by period in the order periods first appear.
    fn csv_rows(&mut self, file: FileId) -> Option<Vec<RawGroup>> {
        match csv_groups(self.sources.text(file)) {
            Ok(groups) => Some(groups),
            Err(problems) => {
                self.diagnostics
                    .extend(problems.into_iter().map(|problem| problem.in_file(file)));
                None
            }
        }
    }
}

/// A period as written, its source and its rows.
type RawGroup = (Located<String>, Option<String>, Vec<Located<RawResult>>);

/// A problem found before the file is known to the caller: the message, hint and place.
struct Problem {
    code: &'static str,
    message: String,
    hint: String,
    at: (u32, u32, u32),
}

impl Problem {
    fn new<T>(code: &'static str, message: String, hint: &str, at: &Located<T>) -> Problem {
        Problem {
            code,
            message,
            hint: hint.to_string(),
            at: (at.line, at.col, at.len),
        }
    }

    fn in_file(self, file: FileId) -> Diagnostic {
        let (line, col, len) = self.at;
        Diagnostic::error(self.code, self.message)
            .at(file, line, col, len)
            .with_hint(self.hint)
    }
}

/// The hint of a period carta cannot read.
pub(super) const PERIOD_HINT: &str = "scrivi un anno (2025), un semestre (2025-S1), un trimestre (2025-Q3) oppure due date AAAA-MM-GG/AAAA-MM-GG";

/// The hint of every result whose form cannot be told.
const FORMS_HINT: &str = "scrivi una sola forma: `within` e `total` (casi entro la soglia e casi totali), `value` con `statistic`, `not_measured` con il motivo, oppure `declared` (met o missed) con `evidence`";

/// One result, in the form its keys say.
fn measurement(row: Located<RawResult>) -> Result<Measurement, Problem> {
    let at = Located::new((), row.line, row.col, row.len);
    let raw = row.value;
    let cases = raw.within.is_some() || raw.total.is_some();
    let value = raw.value.is_some() || raw.statistic.is_some();
    let not_measured = raw.not_measured.is_some();
    let declared = raw.declared.is_some() || raw.evidence.is_some();
    let forms = [cases, value, not_measured, declared]
        .iter()
        .filter(|form| **form)
        .count();
    let what = format!("{} / {}", raw.commitment.value, raw.standard.value);
    if forms != 1 {
        let message = if forms == 0 {
            format!("il risultato di {what} non dice che cosa è stato misurato")
        } else {
            format!("il risultato di {what} è scritto in più forme insieme")
        };
        return Err(Problem::new("E280", message, FORMS_HINT, &at));
    }
    let incomplete = |missing: &str| {
        Problem::new(
            "E280",
            format!("al risultato di {what} manca `{missing}`"),
            FORMS_HINT,
            &at,
        )
    };
    let measured = if cases {
        Measured::Cases {
            within: raw.within.ok_or_else(|| incomplete("within"))?,
            total: raw.total.ok_or_else(|| incomplete("total"))?,
        }
    } else if value {
        Measured::Value {
            value: raw.value.ok_or_else(|| incomplete("value"))?,
            statistic: raw.statistic.ok_or_else(|| incomplete("statistic"))?,
        }
    } else if let Some(reason) = raw.not_measured {
        if reason.value.trim().is_empty() {
            return Err(Problem::new(
                "E280",
                format!("il risultato non rilevato di {what} non dice perché"),
                "scrivi il motivo dopo `not_measured:` (per esempio «il sistema di rilevazione non era attivo»)",
                &reason,
            ));
        }
        Measured::Unavailable {
            reason: reason.value,
        }
    } else {
        let evidence = raw.evidence.ok_or_else(|| incomplete("evidence"))?;
        if evidence.value.trim().is_empty() {
            return Err(incomplete("evidence"));
        }
        Measured::Declared {
            outcome: raw.declared.ok_or_else(|| incomplete("declared"))?,
            evidence: evidence.value,
        }
    };
    if !matches!(measured, Measured::Value { .. } | Measured::Cases { .. })
        && let Some(unit) = &raw.unit
    {
        return Err(Problem::new(
            "E280",
            format!("il risultato di {what} ha `unit` ma nessun valore misurato"),
            "togli `unit`: serve solo accanto a `value`",
            unit,
        ));
    }
    Ok(Measurement {
        commitment: raw.commitment,
        standard: raw.standard,
        measured,
        unit: raw.unit,
        note: raw.note.filter(|note| !note.trim().is_empty()),
        source: raw.source.filter(|source| !source.trim().is_empty()),
        survey: None,
    })
}

/// Reads the CSV text into groups of rows by period. The separator is `,`, or `;` when the header
/// has `;` and no `,` (as spreadsheets set to Italian export), and then a decimal comma is read too.
fn csv_groups(text: &str) -> Result<Vec<RawGroup>, Vec<Problem>> {
    let header_line = text.lines().next().unwrap_or_default();
    let semicolon = header_line.contains(';') && !header_line.contains(',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return Err(vec![csv_error(&error)]),
    };
    let mut problems = Vec::new();
    let mut columns: Vec<Option<usize>> = vec![None; CSV_COLUMNS.len()];
    let mut col = 1u32;
    for (index, name) in headers.iter().enumerate() {
        let here = Located::new((), 1, col, name.chars().count() as u32);
        col += name.chars().count() as u32 + 1;
        match CSV_COLUMNS.iter().position(|known| *known == name.trim()) {
            Some(known) if columns[known].is_none() => columns[known] = Some(index),
            Some(_) => problems.push(Problem::new(
                "E283",
                format!("la colonna `{name}` compare due volte"),
                "tieni una sola colonna con questo nome",
                &here,
            )),
            None => {
                let hint = match did_you_mean(name.trim(), CSV_COLUMNS) {
                    Some(close) => format!("forse intendevi `{close}`?"),
                    None => format!("le colonne ammesse sono: {}", CSV_COLUMNS.join(", ")),
                };
                problems.push(Problem::new(
                    "E283",
                    format!("colonna sconosciuta `{name}`"),
                    &hint,
                    &here,
                ));
            }
        }
    }
    for required in 0..3 {
        if columns[required].is_none() {
            problems.push(Problem::new(
                "E283",
                format!("manca la colonna `{}`", CSV_COLUMNS[required]),
                "la prima riga del CSV nomina le colonne: period, commitment e standard sono obbligatorie (docs/content.md)",
                &Located::new((), 1, 1, 1),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut groups: Vec<RawGroup> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(csv_error(&error));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as u32);
        let places = record.position().map_or_else(Vec::new, |p| {
            field_places(text, p.byte() as usize, if semicolon { b';' } else { b',' })
        });
        let cell = |name: usize| -> Option<Located<String>> {
            let index = columns[name]?;
            let value = record.get(index)?.trim();
            if value.is_empty() {
                return None;
            }
            let (below, col) = places.get(index).copied().unwrap_or((0, 1));
            Some(Located::new(
                value.to_string(),
                line + below,
                col,
                value.chars().count() as u32,
            ))
        };
        match csv_row(&cell, semicolon) {
            Ok((period, row)) => {
                let row = Located::new(row, line, 1, 1);
                match groups
                    .iter_mut()
                    .find(|group| group.0.value == period.value)
                {
                    Some(group) => group.2.push(row),
                    None => groups.push((period, None, vec![row])),
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(groups)
    } else {
        Err(problems)
    }
}

/// One CSV row as a raw result, with its period.
fn csv_row(
    cell: &dyn Fn(usize) -> Option<Located<String>>,
    decimal_comma: bool,
) -> Result<(Located<String>, RawResult), Vec<Problem>> {
    let mut problems = Vec::new();
    let column = |name: &str| {
        CSV_COLUMNS
            .iter()
            .position(|known| *known == name)
            .unwrap_or(0)
    };
    let get = |name: &str| cell(column(name));
    let mut required = |name: &str| {
        get(name).unwrap_or_else(|| {
            problems.push(Problem {
                code: "E283",
                message: format!("la colonna `{name}` è vuota"),
                hint: format!("scrivi `{name}` in ogni riga"),
                at: (0, 1, 1),
            });
            Located::default()
        })
    };
    let period = required("period");
    let commitment = required("commitment");
    let standard = required("standard");
    // Rows without a line (the CSV reader always gives one) are placed at the period's.
    for problem in &mut problems {
        problem.at.0 = period.line.max(commitment.line);
    }
    let number = |problems: &mut Vec<Problem>, name: &str, whole: bool| -> Option<Located<f64>> {
        let written = get(name)?;
        let text = if decimal_comma {
            written.value.replace(',', ".")
        } else {
            written.value.clone()
        };
        let parsed = text.parse::<f64>().ok().filter(|n| n.is_finite());
        match parsed {
            Some(n) if !whole || (n >= 0.0 && n.fract() == 0.0) => {
                Some(Located::new(n, written.line, written.col, written.len))
            }
            _ => {
                let need = if whole {
                    "un numero intero non negativo"
                } else {
                    "un numero"
                };
                problems.push(Problem::new(
                    "E283",
                    format!(
                        "valore non valido `{}` nella colonna `{name}`: serve {need}",
                        written.value
                    ),
                    "scrivi la cifra senza unità né simboli; i decimali con il punto (99.6)",
                    &written,
                ));
                None
            }
        }
    };
    let whole =
        |n: Option<Located<f64>>| n.map(|n| Located::new(n.value as u64, n.line, n.col, n.len));
    let within = whole(number(&mut problems, "within", true));
    let total = whole(number(&mut problems, "total", true));
    let value = number(&mut problems, "value", false);
    let keyword = |problems: &mut Vec<Problem>, name: &str, keys: &[&str]| {
        let written = get(name)?;
        if keys.contains(&written.value.as_str()) {
            return Some(written);
        }
        let hint = match did_you_mean(&written.value, keys.iter().copied()) {
            Some(close) => format!("forse intendevi `{close}`?"),
            None => format!("i valori ammessi sono: {}", keys.join(", ")),
        };
        problems.push(Problem::new(
            "E283",
            format!(
                "valore sconosciuto `{}` nella colonna `{name}`",
                written.value
            ),
            &hint,
            &written,
        ));
        None
    };
    let statistic = keyword(&mut problems, "statistic", &Statistic::KEYS).map(|s| {
        Located::new(
            Statistic::from_key(&s.value).unwrap_or(Statistic::Mean),
            s.line,
            s.col,
            s.len,
        )
    });
    let unit = keyword(&mut problems, "unit", &MeasureUnit::KEYS).map(|s| {
        Located::new(
            MeasureUnit::from_key(&s.value).unwrap_or(MeasureUnit::Count),
            s.line,
            s.col,
            s.len,
        )
    });
    let declared = keyword(&mut problems, "declared", &Outcome::KEYS).map(|s| {
        Located::new(
            Outcome::from_key(&s.value).unwrap_or(Outcome::Met),
            s.line,
            s.col,
            s.len,
        )
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        period,
        RawResult {
            commitment,
            standard,
            within,
            total,
            value,
            statistic,
            unit,
            not_measured: get("not_measured"),
            declared,
            evidence: get("evidence"),
            note: get("note").map(|note| note.value),
            source: get("source").map(|source| source.value),
        },
    ))
}

/// Where each cell's value of the record starting at byte `start` is written: lines below the
/// record's first and the 1-based column of its first character, past the opening quote and any
/// leading spaces. The record is read again by the CSV reader's own core, so quoting and escaped
/// quotes count exactly as the reader counted them.
fn field_places(text: &str, start: usize, delimiter: u8) -> Vec<(u32, u32)> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let bytes = &text.as_bytes()[start.min(text.len())..];
    let mut places = Vec::new();
    let mut consumed = 0;
    // The reader needs somewhere to write the field; its text is read from the record itself.
    let mut scratch = [0u8; 1024];
    let mut field_start = 0;
    loop {
        let (result, read, _) = reader.read_field(&bytes[consumed..], &mut scratch);
        consumed += read;
        match result {
            csv_core::ReadFieldResult::OutputFull => continue,
            csv_core::ReadFieldResult::InputEmpty if consumed < bytes.len() => continue,
            csv_core::ReadFieldResult::InputEmpty => {
                places.push(place_of(text, start, field_start));
                break;
            }
            csv_core::ReadFieldResult::Field { record_end } => {
                places.push(place_of(text, start, field_start));
                field_start = consumed;
                if record_end {
                    break;
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    places
}

/// Lines below `start` and the column of the value of the cell written at `start + offset`.
fn place_of(text: &str, start: usize, offset: usize) -> (u32, u32) {
    let cell_start = start + offset;
    let written = &text[cell_start.min(text.len())..];
    let unspaced = written.trim_start_matches([' ', '\t']);
    let value = unspaced.strip_prefix('"').unwrap_or(unspaced).trim_start();
    let skipped = written.len() - value.len();
    let value_start = cell_start + skipped;
    let before = text.get(start..value_start).unwrap_or_default();
    let below = before.matches('\n').count() as u32;
    let line_start = text[..value_start]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let col = text
        .get(line_start..value_start)
        .map_or(0, |line| line.chars().count()) as u32
        + 1;
    (below, col)
}

/// A CSV the reader cannot read (rows of different lengths, bad quoting).
fn csv_error(error: &csv::Error) -> Problem {
    let line = error.position().map_or(1, |p| p.line() as u32);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("questa riga ha {len} celle, la prima riga ne nomina {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "il file non è in UTF-8".to_string(),
        _ => "riga CSV non leggibile".to_string(),
    };
    Problem {
        code: "E283",
        message,
        hint: "ogni riga ha tante celle quante colonne nella prima riga; un testo con virgole va tra virgolette doppie".to_string(),
        at: (line, 1, 1),
    }
}
