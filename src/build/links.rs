//! Links between pages: every internal link and image of a chapter must lead to a page or file of
//! the site, and every `#anchor` to an `id` on that page (`E154`).
//!
//! It runs in every build (and so in `check` and `serve`), once the site's pages are rewritten:
//! the targets are the ids the rewrite pass read from the final pages and the theme's and
//! project's static files; the links are those the chapters' Markdown was rendered with, so each
//! problem points at the link in its chapter. Nothing is rendered or parsed a second time.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown::LinkTarget;
use crate::render::{self, Context};

/// Each page's address (`/impegni/`) and the ids it holds.
pub(crate) type Anchors = BTreeMap<String, BTreeSet<String>>;

/// The problems of the links of every chapter of `cx`, against the pages in `anchors`.
pub(crate) fn check(cx: &Context<'_>, anchors: &Anchors) -> Vec<Diagnostic> {
    let project = cx.project;
    let ids: BTreeMap<&str, &BTreeSet<String>> = anchors
        .iter()
        .map(|(url, ids)| (url.as_str(), ids))
        .collect();
    let files: BTreeSet<String> =
        crate::output::assets::files(cx.theme, &project.config.ente.colour)
            .unwrap_or_default()
            .into_iter()
            .map(|file| format!("/{}", file.path.to_string_lossy().replace('\\', "/")))
            .collect();
    let mut found = Vec::new();
    for (chapter, body) in project.chapters.iter().zip(&cx.bodies) {
        let own_url = render::chapter_url(chapter);
        for link in &body.links {
            let (path, anchor) = match &link.target {
                LinkTarget::External(_) => continue,
                LinkTarget::Page { path, anchor } => (
                    path.clone().unwrap_or_else(|| own_url.clone()),
                    anchor.clone(),
                ),
                LinkTarget::Relative { path, anchor } => (resolve(&own_url, path), anchor.clone()),
            };
            let at = |diagnostic: Diagnostic| {
                diagnostic.at_offset(&project.sources, chapter.file, link.offset, link.len)
            };
            let page = page_for(&ids, &path);
            let Some((url, page_ids)) = page else {
                if anchor.is_none() && files.contains(path.as_str()) {
                    continue;
                }
                let mut diagnostic = at(Diagnostic::error(
                    "E154",
                    format!("il link porta a un indirizzo che non esiste nel sito: {path}"),
                ));
                // Pages are folders: a file name (grafico.png) is never a typo of a page.
                let is_file = path
                    .rsplit('/')
                    .next()
                    .is_some_and(|last| last.contains('.'));
                let close = did_you_mean(&path, ids.keys().copied()).filter(|_| !is_file);
                diagnostic = match close {
                    Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
                    None => diagnostic.with_hint(
                        "per un altro capitolo scrivi il nome del suo file (03-standard-di-qualita.md); le pagine generate sono /impegni/, /contatti/, /organizzazione/; immagini e documenti vanno collegati con l'indirizzo completo https://…",
                    ),
                };
                found.push(diagnostic);
                continue;
            };
            let Some(anchor) = anchor.filter(|anchor| !anchor.is_empty()) else {
                continue;
            };
            if page_ids.contains(&anchor) || page_ids.contains(&percent_decode(&anchor)) {
                continue;
            }
            let mut diagnostic = at(Diagnostic::error(
                "E154",
                format!("l'ancora #{anchor} non esiste nella pagina {url}"),
            ));
            diagnostic = match did_you_mean(&anchor, page_ids.iter().map(String::as_str)) {
                Some(close) => diagnostic.with_hint(format!("forse intendevi `#{close}`?")),
                None => diagnostic.with_hint(
                    "l'ancora di una sezione si ricava dal suo titolo: «## 4.1 Reclami» → #4-1-reclami (vedi docs/content.md § 5.2)",
                ),
            };
            found.push(diagnostic);
        }
    }
    found
}

/// The page a root-relative path names: `/impegni/`, `/impegni`, `/impegni/index.html`.
fn page_for<'a>(
    ids: &BTreeMap<&'a str, &'a BTreeSet<String>>,
    path: &str,
) -> Option<(&'a str, &'a BTreeSet<String>)> {
    let trimmed = path.strip_suffix("index.html").unwrap_or(path);
    let candidates = [trimmed.to_string(), format!("{trimmed}/")];
    candidates
        .iter()
        .find_map(|candidate| ids.get_key_value(candidate.as_str()))
        .map(|(url, set)| (*url, *set))
}

/// `path` relative to the page at `base` (a folder URL such as `/slug/`), as a root-relative path.
pub(crate) fn resolve(base: &str, path: &str) -> String {
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = path.ends_with('/');
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut resolved = format!("/{}", segments.join("/"));
    if trailing && resolved != "/" {
        resolved.push('/');
    }
    resolved
}

/// `%C3%A0` → `à`; invalid sequences are left as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(hex) = text.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths_against_the_page() {
        assert_eq!(
            resolve("/capitolo/", "immagine.png"),
            "/capitolo/immagine.png"
        );
        assert_eq!(resolve("/capitolo/", "../impegni/"), "/impegni/");
        assert_eq!(resolve("/capitolo/", "./"), "/capitolo/");
        assert_eq!(percent_decode("citt%C3%A0"), "città");
    }
}
