//! Diagnostics: problems found in a project, with a stable code, a location and a hint.
//!
//! Every stage (load, validate, render, rewrite) pushes [`Diagnostic`]s into one [`Diagnostics`]
//! list so a run reports all its problems at once. Messages and hints are Italian because the
//! people who read them edit Italian content; the codes are listed in `docs/diagnostics.md`.
//! This module only formats; it never decides what is wrong.

use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::accept::{Accepted, Rule};
use crate::source::{FileId, MapId, SourceMap, line_col, offset_of};

/// How serious a problem is. Errors stop the build; warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Warning,
    Error,
}

/// Where a problem is: a registered source file with a 1-based line and column, or just a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position inside a file whose text is in the [`SourceMap`].
    Source {
        /// The file, as registered in the [`SourceMap`].
        file: FileId,
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        col: u32,
        /// Length of the highlighted span in characters (at least 1 when shown).
        len: u32,
    },
    /// A file (or folder) that could not be read, or has no meaningful position.
    Path(PathBuf),
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// Stable code, for example `E101`; documented in `docs/diagnostics.md`.
    pub code: &'static str,
    pub(crate) message: String,
    /// Where the problem is; `None` when no file or position applies to it.
    pub location: Option<Location>,
    /// What to write instead, in plain words.
    pub(crate) hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    pub(crate) fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub(crate) fn at(mut self, file: FileId, line: u32, col: u32, len: u32) -> Self {
        self.location = Some(Location::Source {
            file,
            line: line.max(1),
            col: col.max(1),
            len,
        });
        self
    }

    /// Places the diagnostic at a byte offset of a registered file.
    pub(crate) fn at_offset(
        self,
        sources: &SourceMap,
        file: FileId,
        offset: usize,
        len: u32,
    ) -> Self {
        let (line, col) = line_col(sources.text(file), offset);
        self.at(file, line, col, len)
    }

    pub(crate) fn at_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.location = Some(Location::Path(path.into()));
        self
    }

    /// The same problem, found in a file of map `from`, located instead in `into`, which has
    /// adopted `from` ([`SourceMap::adopt`]).
    pub(crate) fn moved(mut self, from: MapId, into: &SourceMap) -> Self {
        if let Some(Location::Source { file, .. }) = &mut self.location
            && let Some(adopted) = into.translate(from, *file)
        {
            *file = adopted;
        }
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for an error, false for a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems of one run, in the order they were found; the warnings site.toml accepts are set
/// aside as they come (see [`crate::accept`]).
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Boxed, so a list that accepts nothing stays small.
    accepting: Option<Box<Accepting>>,
}

/// The acceptances of a run and what they set aside.
#[derive(Debug, Default)]
struct Accepting {
    /// In the order written (`None` for one that is not usable).
    rules: Vec<Option<Rule>>,
    accepted: Vec<Accepted>,
    /// Advice that is not a problem (`nota: …`), once per run.
    notes: Vec<String>,
}

impl Diagnostics {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        let Some(accepting) = self.accepting.as_deref_mut() else {
            self.items.push(diagnostic);
            return;
        };
        let rule = accepting
            .rules
            .iter()
            .enumerate()
            .find_map(|(index, rule)| {
                let rule = rule.as_ref().filter(|rule| rule.matches(&diagnostic))?;
                Some((index, rule.reason.clone()))
            });
        match rule {
            // One finding is accepted once, however many stages report it.
            Some((rule, reason)) => {
                if !accepting
                    .accepted
                    .iter()
                    .any(|a| a.diagnostic == diagnostic)
                {
                    accepting.accepted.push(Accepted {
                        diagnostic,
                        rule,
                        reason,
                    });
                }
            }
            None => self.items.push(diagnostic),
        }
    }

    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    /// From now on, sets aside the warnings `rules` accept (those already here too).
    pub(crate) fn accept_with(&mut self, rules: Vec<Option<Rule>>) {
        if rules.is_empty() {
            return;
        }
        self.accepting.get_or_insert_default().rules = rules;
        let items = std::mem::take(&mut self.items);
        self.extend(items);
    }

    /// Adds advice that is not a problem: it is printed as `nota: …`, never counted, never an
    /// error with `--strict`.
    pub(crate) fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        let aside = self.accepting.get_or_insert_default();
        if !aside.notes.contains(&text) {
            aside.notes.push(text);
        }
    }

    /// The notes of the run, in order.
    pub(crate) fn notes(&self) -> &[String] {
        self.accepting
            .as_deref()
            .map_or(&[], |accepting| &accepting.notes)
    }

    /// The warnings accepted so far, each with its reason.
    pub(crate) fn accepted(&self) -> &[Accepted] {
        self.accepting
            .as_deref()
            .map_or(&[], |accepting| &accepting.accepted)
    }

    /// True when any of the problems is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The problems, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The problems, in the order they were found (or by file and position, once sorted for a report).
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file, then position, so reports are stable whatever order stages ran in.
    pub(crate) fn sort(&mut self, sources: &SourceMap) {
        self.items.sort_by_cached_key(|d| sort_key(d, sources));
        if let Some(accepting) = self.accepting.as_deref_mut() {
            accepting
                .accepted
                .sort_by_cached_key(|a| sort_key(&a.diagnostic, sources));
        }
    }

    /// Turns every warning into an error (`--strict`).
    pub(crate) fn promote_warnings(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }
}

fn sort_key(diagnostic: &Diagnostic, sources: &SourceMap) -> (PathBuf, u32, u32) {
    match &diagnostic.location {
        Some(Location::Source {
            file, line, col, ..
        }) => (sources.path(*file).to_path_buf(), *line, *col),
        Some(Location::Path(path)) => (path.clone(), 0, 0),
        None => (PathBuf::new(), 0, 0),
    }
}

/// Formats one diagnostic the way rustc does: title with code, `--> file:line:col`, the source line
/// with a caret, then the hint.
pub(crate) fn render(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR.with_name("errore"),
        Severity::Warning => Level::WARNING.with_name("avviso"),
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code);
    let mut group: Group<'_> = match &diagnostic.location {
        Some(Location::Source {
            file,
            line,
            col,
            len,
        }) => {
            let text = sources.text(*file);
            let start = offset_of(text, *line, *col);
            let end = span_end(text, start, *len);
            let path = display(sources.path(*file));
            title.element(
                Snippet::source(text)
                    .path(path)
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        Some(Location::Path(path)) => title.element(annotate_snippets::Origin::path(display(path))),
        None => Group::with_title(title),
    };
    if let Some(hint) = &diagnostic.hint {
        group = group.element(Level::HELP.with_name("suggerimento").message(hint.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

fn span_end(text: &str, start: usize, len: u32) -> usize {
    let mut end = start;
    for ch in text[start..].chars().take(len.max(1) as usize) {
        if ch == '\n' {
            break;
        }
        end += ch.len_utf8();
    }
    end
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A one-line form `file:line:col: errore[E101]: message` for logs and tests.
pub fn one_line(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let kind = match diagnostic.severity {
        Severity::Error => "errore",
        Severity::Warning => "avviso",
    };
    let place = match &diagnostic.location {
        Some(Location::Source {
            file, line, col, ..
        }) => {
            format!("{}:{}:{}: ", display(sources.path(*file)), line, col)
        }
        Some(Location::Path(path)) => format!("{}: ", display(path)),
        None => String::new(),
    };
    format!("{place}{kind}[{}]: {}", diagnostic.code, diagnostic.message)
}

/// An accepted warning: its code and message, where it is, and the reason site.toml gives.
pub(crate) fn render_accepted(accepted: &Accepted, sources: &SourceMap) -> String {
    let diagnostic = &accepted.diagnostic;
    let mut text = format!("accettato[{}]: {}", diagnostic.code, diagnostic.message);
    if let Some(place) = place(diagnostic, sources) {
        text.push_str(&format!("\n  --> {place}"));
    }
    text.push_str(&format!(
        "\n  = motivo (site.toml, [[accept]]): {}",
        accepted.reason
    ));
    text
}

/// `file:line:col`, or the path alone, of a located diagnostic.
fn place(diagnostic: &Diagnostic, sources: &SourceMap) -> Option<String> {
    match &diagnostic.location {
        Some(Location::Source {
            file, line, col, ..
        }) => Some(format!("{}:{}:{}", display(sources.path(*file)), line, col)),
        Some(Location::Path(path)) => Some(display(path)),
        None => None,
    }
}

/// The diagnostics of a run as one JSON document, for CI annotations. Field names are stable and
/// documented in `docs/diagnostics.md` ("Formato JSON").
pub(crate) fn to_json(diagnostics: &Diagnostics, sources: &SourceMap) -> serde_json::Value {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            let (file, line, column, end_column) = match &diagnostic.location {
                Some(Location::Source {
                    file,
                    line,
                    col,
                    len,
                }) => (
                    Some(display(sources.path(*file))),
                    Some(*line),
                    Some(*col),
                    Some(*col + (*len).max(1)),
                ),
                Some(Location::Path(path)) => (Some(display(path)), None, None, None),
                None => (None, None, None, None),
            };
            serde_json::json!({
                "severity": match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "code": diagnostic.code,
                "message": diagnostic.message,
                "file": file,
                "line": line,
                "column": column,
                "end_column": end_column,
                "hint": diagnostic.hint,
            })
        })
        .collect();
    let accepted: Vec<serde_json::Value> = diagnostics
        .accepted()
        .iter()
        .map(|accepted| {
            let (file, line, column) = match &accepted.diagnostic.location {
                Some(Location::Source {
                    file, line, col, ..
                }) => (Some(display(sources.path(*file))), Some(*line), Some(*col)),
                Some(Location::Path(path)) => (Some(display(path)), None, None),
                None => (None, None, None),
            };
            serde_json::json!({
                "code": accepted.diagnostic.code,
                "message": accepted.diagnostic.message,
                "file": file,
                "line": line,
                "column": column,
                "reason": accepted.reason,
            })
        })
        .collect();
    serde_json::json!({
        "diagnostics": items,
        "errors": diagnostics.error_count(),
        "warnings": diagnostics.warning_count(),
        "accepted": accepted,
        "notes": diagnostics.notes(),
    })
}

/// The closest candidate to `word`, if one is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "order", "slug", "description"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("descrption", keys), Some("description"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn renders_location_code_and_hint() {
        let mut sources = SourceMap::new();
        let file = sources.add("content/charter.yaml", "title: x\ntitel: y\n".to_string());
        let diagnostic = Diagnostic::error("E102", "chiave sconosciuta `titel`")
            .at(file, 2, 1, 5)
            .with_hint("forse intendevi `title`?");
        let text = render(&diagnostic, &sources, false);
        assert!(
            text.contains("errore[E102]: chiave sconosciuta `titel`"),
            "{text}"
        );
        assert!(text.contains("content/charter.yaml:2:1"), "{text}");
        assert!(
            text.contains("suggerimento: forse intendevi `title`?"),
            "{text}"
        );
        assert_eq!(
            one_line(&diagnostic, &sources),
            "content/charter.yaml:2:1: errore[E102]: chiave sconosciuta `titel`"
        );
    }
}
