//! Where a finding of the gate came from: its text looked up in the files the build read —
//! chapters and data first (what editors write), then the project's template overrides,
//! `site.toml`, and the theme — so the message points at the line to change.

use std::path::Path;

use super::page::Finding;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

/// The order in which sources are searched: a smaller rank first.
fn rank(path: &Path) -> u8 {
    if path.starts_with("content") {
        0
    } else if path.starts_with(crate::theme::PROJECT_TEMPLATES) {
        1
    } else if path == Path::new("site.toml") {
        2
    } else {
        3
    }
}

/// The diagnostic for `finding`, seen on the page at `url` (and on `more` other pages), located
/// at the first source that holds one of its texts.
pub(super) fn locate(finding: &Finding, url: &str, more: usize, sources: &SourceMap) -> Diagnostic {
    let pages = match more {
        0 => format!("nella pagina {url}"),
        1 => format!("nella pagina {url} e in un'altra"),
        more => format!("nella pagina {url} e in altre {more}"),
    };
    let diagnostic = Diagnostic::error(finding.code, format!("{} {pages}", finding.what))
        .with_hint(hint(finding.code));
    match find(finding, sources) {
        Some((file, offset, len)) => diagnostic.at_offset(sources, file, offset, len),
        None => diagnostic.with_hint(format!(
            "{} (il testo non si trova nei capitoli, nei dati né nei modelli: viene dal tema)",
            hint(finding.code)
        )),
    }
}

fn find(finding: &Finding, sources: &SourceMap) -> Option<(FileId, usize, u32)> {
    let mut files: Vec<FileId> = (0..sources.len()).map(FileId).collect();
    files.sort_by_key(|file| rank(sources.path(*file)));
    finding
        .needles
        .iter()
        .filter(|needle| !needle.trim().is_empty())
        .find_map(|needle| {
            files.iter().find_map(|file| {
                let offset = sources.text(*file).find(needle.as_str())?;
                Some((*file, offset, needle.chars().count().max(1) as u32))
            })
        })
}

fn hint(code: &str) -> &'static str {
    match code {
        "E210" => {
            "le pagine non eseguono script: togli l'elemento <script> (carta scrive da sé i soli dati JSON-LD)"
        }
        "E211" => "togli l'attributo on…: le pagine non eseguono script",
        "E212" => "usa un indirizzo https:, mailto:, tel: o un percorso del sito",
        "E213" => {
            "dai all'elemento un id che la pagina non usa già (main, footer e gli id dei titoli sono del tema)"
        }
        "E214" => {
            "copia il file in static/ e usa il suo percorso, oppure aggiungi l'origine a [security] allowed_origins in site.toml"
        }
        _ => {
            "un modello che sostituisce quello del tema apre <head> come il tema: <meta http-equiv=\"Content-Security-Policy\" content=\"{{ site.csp }}\"> (in print.html {{ site.csp_print }})"
        }
    }
}
