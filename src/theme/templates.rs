//! Templates behind one door: Tera 2 is used here and nowhere else.
//!
//! Loads a theme's templates (built in or from a folder) with the project's overrides, renders a template with a charter's [`Globals`] and a
//! page's own context, and turns Tera's errors into located diagnostics that point into the
//! template file. The loaded templates are never changed by a render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, MapId, SourceMap};

/// Values every page of one charter sees (strings, site, charter, menu): converted once, shared
/// by every render of that charter, so one loaded theme can render several charters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Globals(Context);

impl Globals {
    /// Adds `value` as the global `key`.
    pub(crate) fn insert(&mut self, key: &'static str, value: &impl Serialize) {
        self.0.insert(key, value);
    }
}

/// One template file as read: its name for Tera (`blocks/impegni.html`), its path as messages
/// show it, and its text.
pub(crate) struct TemplateFile {
    pub(crate) name: String,
    pub(crate) shown: PathBuf,
    pub(crate) text: std::io::Result<String>,
}

/// The theme's templates, loaded once and shared read-only by every charter it renders.
pub(crate) struct Templates {
    tera: Tera,
    /// The theme's own source map, which holds the template files.
    map: MapId,
    /// Template name (`blocks/impegni.html`) → its file in that map, and its path as shown.
    files: BTreeMap<String, (FileId, PathBuf)>,
}

impl Templates {
    /// Reads the templates, first to last: a later file replaces an earlier one with the same
    /// name (the project's `templates/` over the theme's). The files are registered in `sources`,
    /// the theme's own map; `theme_dir` is the theme's folder of templates as messages show it.
    pub(crate) fn load(
        layers: Vec<TemplateFile>,
        theme_dir: &Path,
        sources: &mut SourceMap,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut files = BTreeMap::new();
        let mut diagnostics = Vec::new();
        for TemplateFile { name, shown, text } in layers {
            match text {
                Ok(text) => {
                    let file = sources.add(shown.clone(), text);
                    files.insert(name, (file, shown));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(
                        "E174",
                        format!("impossibile leggere il modello {name}: {error}"),
                    )
                    .at_path(shown),
                ),
            }
        }
        if files.is_empty() {
            diagnostics.push(
                Diagnostic::error("E174", "il tema non ha modelli")
                    .at_path(theme_dir)
                    .with_hint("la cartella templates/ del tema deve contenere i file .html"),
            );
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        let templates = files
            .iter()
            .map(|(name, (file, _))| (name.as_str(), sources.text(*file)));
        let added = tera.add_raw_templates(templates);
        let loaded = Self {
            tera,
            map: sources.id(),
            files,
        };
        match added {
            Ok(()) => Ok(loaded),
            Err(error) => Err(vec![loaded.diagnostic(&error, sources)]),
        }
    }

    /// Renders template `name` with `globals` (the charter's shared values) and the page's own
    /// `context`, which wins where both name the same value. An error points into the template's
    /// file as `sources` (the charter's map, which has adopted the theme's) numbers it.
    pub(crate) fn render(
        &self,
        name: &str,
        globals: &Globals,
        context: &impl Serialize,
        sources: &SourceMap,
    ) -> Result<String, Diagnostic> {
        let own = Context::from_serialize(context).map_err(|error| {
            Diagnostic::error(
                "E175",
                format!("dati non serializzabili per il modello {name}: {error}"),
            )
        })?;
        // Values share their contents: the copy of the globals costs one entry per global.
        let mut context = globals.0.clone();
        context.extend(own);
        self.tera
            .render(name, &context)
            .map_err(|error| self.diagnostic(&error, sources))
    }

    fn diagnostic(&self, error: &tera::Error, sources: &SourceMap) -> Diagnostic {
        let hint = "correggi il modello del tema; la sintassi è quella di Tera 2 (https://keats.github.io/tera/)";
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let diagnostic = Diagnostic::error(
                    "E176",
                    format!(
                        "errore nel modello {}: {}",
                        report.filename(),
                        report.message()
                    ),
                )
                .with_hint(hint);
                let Some((file, path)) = self.files.get(report.filename()) else {
                    return diagnostic;
                };
                let span = report.span();
                let line = span.start_line as u32;
                let col = span.start_col as u32 + 1;
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                match sources.translate(self.map, *file) {
                    Some(file) => diagnostic.at(file, line, col, len as u32),
                    // A map that has not adopted the theme's cannot quote the template: the
                    // position goes in the message instead.
                    None => Diagnostic {
                        message: format!("{} (riga {line}, colonna {col})", diagnostic.message),
                        ..diagnostic
                    }
                    .at_path(path),
                }
            }
            ErrorKind::TemplateNotFound(name) => {
                Diagnostic::error("E177", format!("il tema non ha il modello {name}")).with_hint(
                    "aggiungi il file al tema o controlla il nome in {% extends %} / {% include %}",
                )
            }
            _ => {
                let mut message = error.to_string();
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    message.push_str(": ");
                    message.push_str(&cause.to_string());
                    source = cause.source();
                }
                Diagnostic::error("E176", format!("errore nei modelli del tema: {message}"))
                    .with_hint(hint)
            }
        }
    }
}
