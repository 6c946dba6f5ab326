//! Theme: reads a theme folder (`themes/<name>/`): its templates, its Italian UI strings and where
//! its static files and the optional Bootstrap Italia assets are.
//!
//! The theme owns every word the site shows that is not content; Rust reads the few strings it
//! needs (standard sentences, month names, opening hours' words, page titles) through [`Strings`].

use std::path::{Path, PathBuf};

#[cfg(feature = "serve")]
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::strings::Strings;
pub(crate) mod templates;

use crate::source::SourceMap;
use templates::Templates;

/// Where Bootstrap Italia is installed inside a theme (`npm ci --prefix themes/<name>`).
pub(crate) const BOOTSTRAP_DIST: &str = "node_modules/bootstrap-italia/dist";

/// Where the site publishes the rules of Bootstrap Italia its pages use (`--stylesheet bootstrap`).
pub(crate) const BOOTSTRAP_SUBSET_URL: &str =
    "/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css";

/// Where the site publishes Bootstrap Italia's whole stylesheet (`--stylesheet bootstrap-full`).
pub(crate) const BOOTSTRAP_FULL_URL: &str = "/assets/bootstrap-italia/css/bootstrap-italia.min.css";

/// Which stylesheet the site uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StylesheetMode {
    /// Bootstrap Italia when installed, otherwise the fallback.
    #[default]
    Auto,
    /// Bootstrap Italia, reduced to the rules the built pages can use; an error when it is not
    /// installed.
    Bootstrap,
    /// Bootstrap Italia's whole stylesheet; an error when it is not installed.
    BootstrapFull,
    /// The theme's own small stylesheet, even when Bootstrap Italia is installed.
    Fallback,
}

/// A loaded theme.
pub struct Theme {
    pub(crate) dir: PathBuf,
    pub(crate) templates: Templates,
    pub(crate) strings: Strings,
    /// The whole strings file, handed to templates as `strings`.
    pub(crate) strings_value: serde_json::Value,
    /// `…/node_modules/bootstrap-italia/dist` when the site uses Bootstrap Italia.
    pub(crate) bootstrap_dist: Option<PathBuf>,
    /// The site publishes Bootstrap Italia's whole stylesheet instead of the rules its pages use
    /// (`--stylesheet bootstrap-full`).
    pub(crate) bootstrap_full: bool,
    /// The project's own `static/` folder, whose files are added to (or replace) the theme's.
    pub(crate) project_static: Option<PathBuf>,
    /// The theme's files (templates, strings), which every charter's map adopts.
    sources: SourceMap,
}

/// The project's own folders that take precedence over the theme's (see themes/agid/README.md).
pub(crate) const PROJECT_TEMPLATES: &str = "templates";
pub(crate) const PROJECT_STATIC: &str = "static";

/// A theme name is the name of one folder in `themes/`: no separators, no `..`.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

impl Theme {
    /// The address of the Bootstrap Italia stylesheet the pages link, when the site uses it.
    pub(crate) fn bootstrap_stylesheet_url(&self) -> Option<&'static str> {
        match (self.bootstrap_dist.is_some(), self.bootstrap_full) {
            (false, _) => None,
            (true, false) => Some(BOOTSTRAP_SUBSET_URL),
            (true, true) => Some(BOOTSTRAP_FULL_URL),
        }
    }

    /// The site publishes only the rules of Bootstrap Italia its pages use.
    pub(crate) fn uses_subset(&self) -> bool {
        self.bootstrap_dist.is_some() && !self.bootstrap_full
    }

    /// Makes the theme's files part of a charter's source map (a charter loaded after the theme,
    /// or a second charter beside the first), so that the theme's errors while rendering that
    /// charter point into the right file. The theme itself does not change.
    pub fn register(&self, sources: &mut SourceMap) {
        sources.adopt(&self.sources);
    }
}

/// Loads `themes/<name>/` under `root`. The templates and the strings file go into the theme's own
/// source map, which `sources` (the charter's) adopts, so their mistakes are reported with a
/// location; another charter's map adopts it with [`Theme::register`].
pub fn load(
    root: &Path,
    name: &str,
    mode: StylesheetMode,
    sources: &mut SourceMap,
) -> Result<Theme, Vec<Diagnostic>> {
    if !is_valid_name(name) {
        let mut diagnostic = Diagnostic::error(
            "E170",
            format!("nome del tema non valido: `{name}`"),
        )
        .with_hint("scrivi in `theme` solo il nome di una cartella di themes/, per esempio \"agid\", senza barre né `..`");
        diagnostic = match sources.find(Path::new("site.toml")) {
            Some(file) => {
                let text = sources.text(file);
                let offset = text
                    .find(&format!("\"{name}\""))
                    .map(|at| at + 1)
                    .unwrap_or(0);
                diagnostic.at_offset(sources, file, offset, name.chars().count().max(1) as u32)
            }
            None => diagnostic.at_path("site.toml"),
        };
        return Err(vec![diagnostic]);
    }
    let relative = PathBuf::from("themes").join(name);
    let dir = root.join(&relative);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::error("E170", format!("tema `{name}` non trovato"))
                .at_path(&relative)
                .with_hint("controlla `theme` in site.toml: il tema deve stare in themes/<nome>/"),
        ]);
    }
    let mut diagnostics = Vec::new();
    let mut own = SourceMap::new();
    let strings = load_strings(&dir, &relative, &mut own).map_err(|d| diagnostics.push(d));
    let theme_templates = dir.join("templates");
    let theme_display = relative.join("templates");
    let project_templates = root.join(PROJECT_TEMPLATES);
    let mut layers: Vec<(&Path, &Path)> = vec![(&theme_templates, &theme_display)];
    if project_templates.is_dir() {
        layers.push((&project_templates, Path::new(PROJECT_TEMPLATES)));
    }
    let templates = Templates::load_layers(&layers, &mut own).map_err(|d| diagnostics.extend(d));
    let project_static = Some(root.join(PROJECT_STATIC)).filter(|dir| dir.is_dir());
    let installed = dir.join(BOOTSTRAP_DIST);
    let has_bootstrap = installed.join("css/bootstrap-italia.min.css").is_file();
    let bootstrap_dist = match mode {
        StylesheetMode::Auto => has_bootstrap.then_some(installed),
        StylesheetMode::Fallback => None,
        StylesheetMode::Bootstrap | StylesheetMode::BootstrapFull if has_bootstrap => {
            Some(installed)
        }
        StylesheetMode::Bootstrap | StylesheetMode::BootstrapFull => {
            diagnostics.push(
                Diagnostic::error("E171", "Bootstrap Italia non è installato nel tema")
                    .at_path(relative.join(BOOTSTRAP_DIST))
                    .with_hint(format!(
                        "installalo con: npm ci --prefix {}",
                        relative.display()
                    )),
            );
            None
        }
    };
    sources.adopt(&own);
    match (strings, templates) {
        (Ok((strings, strings_value)), Ok(templates)) if diagnostics.is_empty() => Ok(Theme {
            dir,
            templates,
            strings,
            strings_value,
            bootstrap_dist,
            bootstrap_full: mode == StylesheetMode::BootstrapFull,
            project_static,
            sources: own,
        }),
        _ => Err(diagnostics
            .into_iter()
            .map(|diagnostic| diagnostic.moved(own.id(), sources))
            .collect()),
    }
}

/// The words of the live preview's error panel (`carta serve`), from the `[serve]` table of the
/// theme's strings file. Built sites never show them.
#[cfg(feature = "serve")]
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ServeWords {
    /// Title with one error.
    pub(crate) title_one: String,
    /// Title with several errors; `{count}` is their number.
    pub(crate) title_many: String,
    pub(crate) lead: String,
    pub(crate) error: String,
    pub(crate) warning: String,
    pub(crate) hint: String,
    pub(crate) close: String,
    /// Title and text of the page shown while no site has been generated yet.
    pub(crate) unavailable_title: String,
    pub(crate) unavailable_lead: String,
}

/// The `[serve]` words of `themes/<name>/strings.toml` under `root`. The panel must work while the
/// theme itself is broken, so when the file cannot be read or has no valid `[serve]` table this
/// falls back to the agid theme's table, compiled in.
#[cfg(feature = "serve")]
pub(crate) fn serve_words(root: &Path, name: &str) -> ServeWords {
    let path = root.join("themes").join(name).join("strings.toml");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serve_table(&text))
        .unwrap_or_else(builtin_serve_words)
}

#[cfg(feature = "serve")]
fn serve_table(text: &str) -> Option<ServeWords> {
    #[derive(Deserialize)]
    struct File {
        serve: ServeWords,
    }
    toml::from_str::<File>(text).ok().map(|file| file.serve)
}

#[cfg(feature = "serve")]
fn builtin_serve_words() -> ServeWords {
    const AGID: &str = include_str!("../../themes/agid/strings.toml");
    serve_table(AGID).unwrap_or_else(|| ServeWords {
        // Unreachable while the agid strings file has its `[serve]` table (a test checks it).
        title_one: "Errore".into(),
        title_many: "Errori: {count}".into(),
        lead: String::new(),
        error: "Errore".into(),
        warning: "Avviso".into(),
        hint: "Suggerimento:".into(),
        close: "Chiudi".into(),
        unavailable_title: "Anteprima non disponibile".into(),
        unavailable_lead: String::new(),
    })
}

fn load_strings(
    dir: &Path,
    relative: &Path,
    sources: &mut SourceMap,
) -> Result<(Strings, serde_json::Value), Diagnostic> {
    let relative = relative.join("strings.toml");
    let text = std::fs::read_to_string(dir.join("strings.toml")).map_err(|error| {
        Diagnostic::error(
            "E172",
            format!(
                "impossibile leggere il file dei testi del tema: {}",
                crate::os_error::italian(&error)
            ),
        )
        .at_path(&relative)
        .with_hint("ogni tema ha un file strings.toml con i testi dell'interfaccia")
    })?;
    let file = sources.add(&relative, text);
    let text = sources.text(file);
    let located = |error: toml::de::Error| {
        let offset = error.span().map(|span| span.start).unwrap_or(0);
        Diagnostic::error(
            "E173",
            format!("testi del tema non validi: {}", error.message()),
        )
        .at_offset(sources, file, offset, 1)
        .with_hint("le chiavi richieste sono elencate in themes/agid/README.md")
    };
    let strings: Strings = toml::from_str(text).map_err(located)?;
    let value: serde_json::Value = toml::from_str(text).map_err(located)?;
    if strings.dates.months.len() != 12 {
        return Err(
            Diagnostic::error("E173", "`dates.months` deve avere 12 nomi di mese").at_offset(
                sources,
                file,
                text.find("months").unwrap_or(0),
                6,
            ),
        );
    }
    Ok((strings, value))
}

#[cfg(all(test, feature = "serve"))]
mod tests {
    use super::*;

    #[test]
    fn serve_words_come_from_the_theme_or_the_built_in_agid_table() {
        let builtin = builtin_serve_words();
        assert_eq!(builtin.close, "Chiudi");
        assert!(builtin.title_many.contains("{count}"));

        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/mio");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::write(theme.join("strings.toml"), "[serve]\ntitle_one = 'x'\n").unwrap();
        assert_eq!(
            serve_words(dir.path(), "mio").close,
            "Chiudi",
            "incomplete table"
        );
        assert_eq!(
            serve_words(dir.path(), "assente").close,
            "Chiudi",
            "no theme"
        );
    }
}
