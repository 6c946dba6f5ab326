//! Accepted findings: the warnings an office publishes with on purpose, each named in site.toml
//! (`[[accept]]`) by its code and place, with the reason in words.
//!
//! [`rules`] reads the acceptances once the project is loaded (`E250` for one that cannot be a
//! rule: an error's code, no reason, a key outside site.toml); the run's [`Diagnostics`] then set
//! aside every warning a rule matches, so `--strict` does not see it and each report shows it once,
//! with its reason. [`stale`] reports a rule that matched nothing in a whole run (`W250`).
//! Errors are never accepted: they stop the build because the site would be wrong.

use std::path::PathBuf;

use crate::config::{self, Acceptance, Spanned};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Project;
use crate::source::{FileId, SourceMap};

/// One acceptance, resolved against the files the run read.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    code: String,
    /// The file as registered in the run's sources, when the run read it.
    file: Option<FileId>,
    /// The file as written in site.toml (for findings located by path only).
    path: PathBuf,
    /// The line the finding must be on (written, or the line of `key`).
    line: Option<u32>,
    /// Why the warning is accepted.
    pub(crate) reason: String,
}

impl Rule {
    /// Whether `diagnostic` is the warning this rule accepts.
    pub(crate) fn matches(&self, diagnostic: &Diagnostic) -> bool {
        if diagnostic.is_error() || diagnostic.code != self.code {
            return false;
        }
        match &diagnostic.location {
            Some(Location::Source { file, line, .. }) => {
                Some(*file) == self.file && self.line.is_none_or(|wanted| wanted == *line)
            }
            Some(Location::Path(path)) => self.line.is_none() && path.ends_with(&self.path),
            None => false,
        }
    }
}

/// A warning set aside by a rule, with the rule's place in the list and its reason.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub(crate) diagnostic: Diagnostic,
    pub(crate) rule: usize,
    pub(crate) reason: String,
}

/// The project's acceptances as rules (in the order written, an unusable one left out so the
/// others keep their places), with an `E250` for each one that cannot be a rule.
pub(crate) fn rules(project: &Project) -> (Vec<Option<Rule>>, Vec<Diagnostic>) {
    let sources = &project.sources;
    let mut problems = Vec::new();
    let rules = project
        .config
        .accept
        .iter()
        .map(|entry| match rule(entry.get_ref(), sources) {
            Ok(rule) => Some(rule),
            Err((message, hint)) => {
                problems.push(
                    at_entry(Diagnostic::error("E250", message), project, entry).with_hint(hint),
                );
                None
            }
        })
        .collect();
    (rules, problems)
}

/// A rule from an acceptance, or why it cannot be one (message, hint).
fn rule(acceptance: &Acceptance, sources: &SourceMap) -> Result<Rule, (String, String)> {
    let code = acceptance.code.trim();
    if code.starts_with('E') {
        return Err((
            format!("un errore non si può accettare: {code}"),
            "un errore vuol dire che il sito sarebbe sbagliato: va corretto; si accettano solo gli avvisi (W…)".to_string(),
        ));
    }
    let well_formed =
        code.len() == 4 && code.starts_with('W') && code[1..].chars().all(|c| c.is_ascii_digit());
    if !well_formed || code == "W250" {
        return Err((
            format!("`{code}` non è il codice di un avviso che si possa accettare"),
            "scrivi il codice dell'avviso come carta lo stampa, per esempio code = \"W194\" (l'elenco è in docs/diagnostics.md)".to_string(),
        ));
    }
    if acceptance.reason.trim().is_empty() {
        return Err((
            format!("manca il motivo per cui l'avviso {code} è accettato"),
            "scrivi il motivo a parole, per esempio reason = \"in attesa della pubblicazione della dichiarazione di accessibilità\"".to_string(),
        ));
    }
    let path = PathBuf::from(acceptance.file.trim().trim_start_matches("./"));
    let file = sources.find(&path);
    let line = match (&acceptance.key, acceptance.line) {
        (Some(_), Some(_)) => {
            return Err((
                "un'accettazione indica il posto con `line` oppure con `key`, non con entrambi"
                    .to_string(),
                "togli una delle due chiavi".to_string(),
            ));
        }
        (Some(key), None) => {
            if path != std::path::Path::new("site.toml") {
                return Err((
                    format!("`key` vale solo per site.toml, non per {}", path.display()),
                    "per gli altri file indica la riga con `line`".to_string(),
                ));
            }
            let offset = file.and_then(|file| config::key_offset(sources.text(file), key));
            let Some((file, offset)) = file.zip(offset) else {
                return Err((
                    format!("in site.toml non c'è la chiave `{key}`"),
                    "scrivi la chiave come sezione.chiave, per esempio key = \"footer.accessibility\"".to_string(),
                ));
            };
            Some(crate::source::line_col(sources.text(file), offset).0)
        }
        (None, line) => line,
    };
    Ok(Rule {
        code: code.to_string(),
        file,
        path,
        line,
        reason: acceptance.reason.trim().to_string(),
    })
}

/// `W250` for every rule that accepted nothing in a whole run: what it accepted was fixed (or the
/// place is wrong), and a stale acceptance would hide the next warning of the same kind.
pub(crate) fn stale(project: &Project, diagnostics: &Diagnostics) -> Vec<Diagnostic> {
    let (rules, _) = rules(project);
    rules
        .iter()
        .enumerate()
        .filter(|(index, rule)| {
            rule.is_some() && !diagnostics.accepted().iter().any(|a| a.rule == *index)
        })
        .map(|(index, rule)| {
            let code = rule.as_ref().map_or("", |rule| rule.code.as_str());
            let entry = &project.config.accept[index];
            at_entry(
                Diagnostic::warning(
                    "W250",
                    format!("l'avviso {code} è accettato in site.toml, ma in questa carta non c'è più"),
                ),
                project,
                entry,
            )
            .with_hint("se il problema è stato risolto togli questo [[accept]]; altrimenti controlla `file`, `line` e `key`, che devono indicare il posto che carta stampa per l'avviso")
        })
        .collect()
}

/// Places `diagnostic` at an `[[accept]]` entry of site.toml.
fn at_entry(diagnostic: Diagnostic, project: &Project, entry: &Spanned<Acceptance>) -> Diagnostic {
    let text = project.sources.text(project.config_file);
    // The span starts at the entry's header; point at its `code` line (every entry has one), the
    // first thing a reader looks for.
    let span = entry.span();
    let mut start = span.start;
    for line in text.get(span.start..).unwrap_or("").split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("code") && trimmed[4..].trim_start().starts_with('=') {
            start += line.len() - trimmed.len();
            break;
        }
        start += line.len();
    }
    if start >= text.len() {
        start = span.start;
    }
    diagnostic.at_offset(&project.sources, project.config_file, start, 4)
}
