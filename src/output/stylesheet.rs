//! Bootstrap Italia reduced to the rules the built pages can use (`--stylesheet bootstrap`, the
//! default): made after every page, the pack's too, from what the rewritten
//! pages hold that a selector can name, matched against the stylesheet's index
//! ([`super::css_cache`]: parsed once, kept in memory and on disk).

use std::path::PathBuf;

use super::{Cache, Contents, Failure, Input, Output, OutputFile, Product};
use crate::css::Vocabulary;
use crate::diagnostics::Diagnostic;
use crate::theme::{self, Theme};

/// Bootstrap Italia's stylesheet inside its `dist/` folder.
pub(crate) const BOOTSTRAP_CSS: &str = "css/bootstrap-italia.min.css";

/// The subset of Bootstrap Italia, when the site uses one.
pub(crate) struct Stylesheet;

impl Output for Stylesheet {
    fn name(&self) -> &'static str {
        "stylesheet"
    }

    fn make(&self, input: &Input<'_>, cache: &mut Cache) -> Result<Product, Failure> {
        let theme = input.cx.theme;
        if !theme.uses_subset() {
            return Ok(Product::default());
        }
        let vocabulary = &input.made.vocabulary;
        // An edit that brings no new class, id, element or attribute (nearly every edit) reuses
        // the subset instead of parsing the stylesheet again.
        let kept = cache
            .subset
            .take()
            .filter(|(made_for, _)| made_for == vocabulary)
            .map(|(_, css)| css);
        let css = match kept {
            Some(css) => css,
            None => subset(theme, vocabulary).map_err(|diagnostic| {
                let mut diagnostics = crate::diagnostics::Diagnostics::new();
                diagnostics.push(diagnostic);
                Failure::Content(diagnostics)
            })?,
        };
        let file = OutputFile {
            path: PathBuf::from(theme::BOOTSTRAP_SUBSET_URL.trim_start_matches('/')),
            contents: Contents::Bytes(css.clone().into_bytes()),
        };
        if cache.render.keeps() {
            cache.subset = Some((vocabulary.clone(), css));
        }
        Ok(Product {
            files: vec![file],
            ..Product::default()
        })
    }
}

/// The rules of Bootstrap Italia's stylesheet that can match an element of the built pages
/// (see [`crate::css`]).
pub(crate) fn subset(theme: &Theme, vocabulary: &Vocabulary) -> Result<String, Diagnostic> {
    let Some(bootstrap) = &theme.bootstrap else {
        return Ok(String::new());
    };
    let relative = bootstrap.path(BOOTSTRAP_CSS);
    let source = bootstrap.files.shown(&relative);
    let failed = |why: String| {
        Diagnostic::error(
            "E202",
            format!("impossibile ridurre il foglio di stile di Bootstrap Italia: {why}"),
        )
        .at_path(&source)
        .with_hint("usa il tema integrato, che lo contiene, oppure pubblica il foglio intero con --stylesheet bootstrap-full")
    };
    let css = bootstrap
        .files
        .read_text(&relative)
        .map_err(|error| failed(crate::os_error::italian(&error)))?;
    super::css_cache::subset(&css, vocabulary, &source.to_string_lossy()).map_err(failed)
}
