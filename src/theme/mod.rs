//! Theme: the templates, the Italian UI strings and the static files of the site, with the
//! optional Bootstrap Italia stylesheet and fonts. The `agid` theme is built into carta
//! ([`files`]); a project may name a theme of its own in `themes/<name>/`, and override single
//! files of either in its `templates/` and `static/` folders.
//!
//! The theme owns every word the site shows that is not content; Rust reads the few strings it
//! needs (standard sentences, month names, opening hours' words, page titles) through [`Strings`].

use std::path::{Path, PathBuf};

#[cfg(feature = "serve")]
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::strings::Strings;
pub mod files;
pub(crate) mod templates;
pub(crate) mod upgrade;

use crate::source::SourceMap;
pub use files::ThemeFiles;
use templates::{TemplateFile, Templates};

/// Where the site publishes the rules of Bootstrap Italia its pages use (`--stylesheet bootstrap`).
pub(crate) const BOOTSTRAP_SUBSET_URL: &str =
    "/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css";

/// Where the site publishes Bootstrap Italia's whole stylesheet (`--stylesheet bootstrap-full`).
pub(crate) const BOOTSTRAP_FULL_URL: &str = "/assets/bootstrap-italia/css/bootstrap-italia.min.css";

/// Which stylesheet the site uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StylesheetMode {
    /// Bootstrap Italia when the theme has it (the built-in theme always has), otherwise the
    /// fallback.
    #[default]
    Auto,
    /// Bootstrap Italia, reduced to the rules the built pages can use; an error when the theme
    /// does not have it.
    Bootstrap,
    /// Bootstrap Italia's whole stylesheet; an error when the theme does not have it.
    BootstrapFull,
    /// The theme's own small stylesheet, even when Bootstrap Italia is there.
    Fallback,
}

/// Bootstrap Italia's files for a theme: the built-in vendored copy, or a folder theme's own.
#[derive(Debug, Clone)]
pub(crate) struct Bootstrap {
    pub(crate) files: ThemeFiles,
    /// The folder inside the theme laid out as the package's `dist/` (`vendor/bootstrap-italia`).
    pub(crate) dir: &'static str,
}

impl Bootstrap {
    /// The path inside the theme of a file given relative to `dist/`.
    pub(crate) fn path(&self, relative: &str) -> String {
        format!("{}/{relative}", self.dir)
    }
}

/// A loaded theme.
pub struct Theme {
    pub(crate) files: ThemeFiles,
    pub(crate) templates: Templates,
    pub(crate) strings: Strings,
    /// The whole strings file, handed to templates as `strings`.
    pub(crate) strings_value: serde_json::Value,
    /// Where Bootstrap Italia is, when the site uses it.
    pub(crate) bootstrap: Option<Bootstrap>,
    /// The site publishes Bootstrap Italia's whole stylesheet instead of the rules its pages use
    /// (`--stylesheet bootstrap-full`).
    pub(crate) bootstrap_full: bool,
    /// The project's own `static/` folder, whose files are added to (or replace) the theme's.
    pub(crate) project_static: Option<PathBuf>,
    /// What the project should know about its copy of the built-in theme and its overrides
    /// ([`upgrade`]), told again by every run that reuses this theme.
    pub(crate) findings: upgrade::Findings,
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
        match (self.bootstrap.is_some(), self.bootstrap_full) {
            (false, _) => None,
            (true, false) => Some(BOOTSTRAP_SUBSET_URL),
            (true, true) => Some(BOOTSTRAP_FULL_URL),
        }
    }

    /// The site publishes only the rules of Bootstrap Italia its pages use.
    pub(crate) fn uses_subset(&self) -> bool {
        self.bootstrap.is_some() && !self.bootstrap_full
    }

    /// Makes the theme's files part of a charter's source map (a charter loaded after the theme,
    /// or a second charter beside the first), so that the theme's errors while rendering that
    /// charter point into the right file. The theme itself does not change.
    pub fn register(&self, sources: &mut SourceMap) {
        sources.adopt(&self.sources);
    }

    /// Where the theme's files come from.
    pub fn files(&self) -> &ThemeFiles {
        &self.files
    }
}

/// Which files a project's `theme` names: the built-in theme for its name, otherwise the folder
/// `themes/<name>/` of the project. `None` when there is no such theme.
pub fn resolve(root: &Path, name: &str) -> Option<ThemeFiles> {
    if name == files::BUILT_IN {
        return Some(ThemeFiles::BuiltIn);
    }
    let shown = PathBuf::from("themes").join(name);
    let dir = root.join(&shown);
    dir.is_dir().then_some(ThemeFiles::Folder { dir, shown })
}

/// Loads the theme `name` for the project at `root`: the built-in theme, or `themes/<name>/`
/// under `root`, with the project's overrides. The templates and the strings file go into the
/// theme's own source map, which `sources` (the charter's) adopts, so their mistakes are reported
/// with a location; another charter's map adopts it with [`Theme::register`].
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
    let Some(files) = resolve(root, name) else {
        return Err(vec![
            Diagnostic::error("E170", format!("tema `{name}` non trovato"))
                .at_path(Path::new("themes").join(name))
                .with_hint(format!(
                    "controlla `theme` in site.toml: il tema integrato in carta è \"{}\"; un tema proprio sta in themes/<nome>/",
                    files::BUILT_IN
                )),
        ]);
    };
    let mut diagnostics = Vec::new();
    let mut own = SourceMap::new();
    let strings = load_strings(&files, &mut own).map_err(|d| diagnostics.push(d));
    let project = ThemeFiles::Folder {
        dir: root.to_path_buf(),
        shown: PathBuf::new(),
    };
    let mut template_files = Vec::new();
    for layer in [&files, &project] {
        match layer.list("templates") {
            Ok(names) => template_files.extend(names.into_iter().map(|relative| TemplateFile {
                name: relative["templates/".len()..].to_string(),
                shown: layer.shown(&relative),
                text: layer.read_text(&relative),
            })),
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    "E174",
                    format!(
                        "impossibile leggere i modelli: {}",
                        crate::os_error::italian(&error)
                    ),
                )
                .at_path(layer.shown("templates")),
            ),
        }
    }
    let templates = Templates::load(template_files, &files.shown("templates"), &mut own)
        .map_err(|d| diagnostics.extend(d));
    let project_static = Some(root.join(PROJECT_STATIC)).filter(|dir| dir.is_dir());
    let available = bootstrap_of(&files);
    let bootstrap = match mode {
        StylesheetMode::Auto => available,
        StylesheetMode::Fallback => None,
        StylesheetMode::Bootstrap | StylesheetMode::BootstrapFull if available.is_some() => {
            available
        }
        StylesheetMode::Bootstrap | StylesheetMode::BootstrapFull => {
            diagnostics.push(
                Diagnostic::error("E171", "Bootstrap Italia non è installato nel tema")
                    .at_path(files.shown(files::FOLDER_BOOTSTRAP[1]))
                    .with_hint(format!(
                        "installalo con: npm ci --prefix {}, oppure usa il tema integrato \"{}\", che lo contiene",
                        files.shown("").display().to_string().trim_end_matches('/'),
                        files::BUILT_IN
                    )),
            );
            None
        }
    };
    let findings = upgrade::inspect(root, name);
    sources.adopt(&own);
    match (strings, templates) {
        (Ok((strings, strings_value)), Ok(templates)) if diagnostics.is_empty() => Ok(Theme {
            files,
            templates,
            strings,
            strings_value,
            bootstrap,
            bootstrap_full: mode == StylesheetMode::BootstrapFull,
            project_static,
            findings,
            sources: own,
        }),
        _ => Err(diagnostics
            .into_iter()
            .map(|diagnostic| diagnostic.moved(own.id(), sources))
            .collect()),
    }
}

/// The theme's Bootstrap Italia, when it has one: always for the built-in theme; for a folder
/// theme, vendored as the built-in one or installed with npm.
fn bootstrap_of(files: &ThemeFiles) -> Option<Bootstrap> {
    let candidates: &[&'static str] = match files {
        ThemeFiles::BuiltIn => &[files::VENDOR],
        ThemeFiles::Folder { .. } => &files::FOLDER_BOOTSTRAP,
    };
    candidates
        .iter()
        .map(|dir| Bootstrap {
            files: files.clone(),
            dir,
        })
        .find(|bootstrap| files.has(&bootstrap.path(crate::output::stylesheet::BOOTSTRAP_CSS)))
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

/// The `[serve]` words of the strings of theme `name` (built in, or `themes/<name>/` under `root`). The panel must work while the
/// theme itself is broken, so when the file cannot be read or has no valid `[serve]` table this
/// falls back to the agid theme's table, compiled in.
#[cfg(feature = "serve")]
pub(crate) fn serve_words(root: &Path, name: &str) -> ServeWords {
    resolve(root, name)
        .and_then(|files| files.read_text("strings.toml").ok())
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
    files: &ThemeFiles,
    sources: &mut SourceMap,
) -> Result<(Strings, serde_json::Value), Diagnostic> {
    let relative = files.shown("strings.toml");
    let text = files.read_text("strings.toml").map_err(|error| {
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
