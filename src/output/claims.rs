//! Claims: every path of a site's output belongs to one source. As the outputs of a run hand over
//! their pages and files, each path is claimed; a second claim on a path already taken, whichever
//! outputs made the two, is refused (`E240`, at the source that has a place in the project, naming
//! both), before either is rewritten or written. The staging folder refuses a second write to one
//! path too ([`super::write::Staging`]), so nothing is ever silently replaced by the last writer.

use std::collections::BTreeMap;

use super::Output;
use crate::diagnostics::{Diagnostic, Location};
use crate::render::Context;

/// What made a file of the output, in words a reader of the diagnostic knows, and where it is
/// asked for in the project, when it is (a chapter's title, a key of `site.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `il capitolo content/chapters/09-note.md`, `la pagina delle note legali`…
    pub(crate) what: String,
    pub(crate) at: Option<Location>,
}

impl Origin {
    /// A file that output `name` ([`super::Output::name`]) made, with no place of its own.
    pub(crate) fn output(name: &str) -> Origin {
        Origin {
            what: described(name).to_string(),
            at: None,
        }
    }
}

/// The paths claimed so far in one run, each with the output that made it.
#[derive(Default)]
pub(crate) struct Claims {
    taken: BTreeMap<String, &'static dyn Output>,
}

impl Claims {
    /// Claims `path` (relative to the output folder, with `/`) for `output`; when another
    /// output (or this one, a second time) has it, the `E240` that names both sources.
    pub(crate) fn claim(
        &mut self,
        path: &str,
        output: &'static dyn Output,
        cx: &Context<'_>,
    ) -> Result<(), Diagnostic> {
        match self.taken.get(path) {
            Some(first) => Err(collision(
                path,
                &origin(*first, cx, path),
                &origin(output, cx, path),
            )),
            None => {
                self.taken.insert(path.to_string(), output);
                Ok(())
            }
        }
    }
}

/// Where `output` says the file at `path` comes from, or the output itself.
fn origin(output: &dyn Output, cx: &Context<'_>, path: &str) -> Origin {
    output
        .origin(cx, path)
        .unwrap_or_else(|| Origin::output(output.name()))
}

/// `E240`: two sources of one output file. Located at the second source when it has a place,
/// otherwise at the first; the message names both.
fn collision(path: &str, first: &Origin, second: &Origin) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        "E240",
        format!(
            "due file per lo stesso percorso del sito `{path}`: {} e {}; il secondo sostituirebbe il primo",
            first.what, second.what
        ),
    )
    .with_hint(
        "dai a una delle due pagine un indirizzo diverso: `slug:` nell'intestazione del capitolo, oppure lo `slug` della pagina nel file strings.toml del tema",
    );
    diagnostic.location = second.at.clone().or_else(|| first.at.clone());
    diagnostic
}

/// An output's files in Italian, for the diagnostic; `name` as given by [`super::Output::name`].
fn described(name: &str) -> &str {
    match name {
        "assets" => "i file statici del tema",
        "print" => "l'edizione a stampa",
        "pages" => "le pagine del sito",
        "services" => "le pagine degli impegni",
        "legal notes" => "la pagina delle note legali",
        "editions" => "le pagine delle edizioni",
        "pdf" => "il PDF dell'edizione a stampa",
        "home" => "la pagina iniziale",
        "open data" => "i dati aperti",
        "dcat" => "il catalogo DCAT-AP_IT",
        "manifest" => "il manifest",
        "pack" => "la pagina della trasparenza",
        "stylesheet" => "il foglio di stile",
        "sitemap" => "la mappa del sito",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collision_names_both_sources_at_the_one_with_a_place() {
        let chapter = Origin {
            what: "il capitolo content/chapters/09.md".to_string(),
            at: Some(Location::Path("content/chapters/09.md".into())),
        };
        let error = collision(
            "note-legali/index.html",
            &chapter,
            &Origin::output("legal notes"),
        );
        assert_eq!(error.code, "E240");
        assert!(error.is_error());
        assert_eq!(
            error.message,
            "due file per lo stesso percorso del sito `note-legali/index.html`: il capitolo content/chapters/09.md e la pagina delle note legali; il secondo sostituirebbe il primo"
        );
        assert_eq!(error.location, chapter.at, "at the source with a place");
        let error = collision(
            "stampa/index.html",
            &Origin::output("print"),
            &Origin::output("legal notes"),
        );
        assert_eq!(error.location, None);
        assert!(
            error
                .message
                .contains("l'edizione a stampa e la pagina delle note legali")
        );
    }
}
