//! Theme: reads a theme folder (`themes/<name>/`): its templates, its Italian UI strings and where
//! its static files and the optional Bootstrap Italia assets are.
//!
//! The theme owns every word the site shows that is not content; Rust reads the few strings it
//! needs (standard sentences, month names, page titles) through [`Strings`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::render::standards::StandardWords;
use crate::render::templates::Templates;
use crate::source::SourceMap;

/// Where Bootstrap Italia is installed inside a theme (`npm ci --prefix themes/<name>`).
pub const BOOTSTRAP_DIST: &str = "node_modules/bootstrap-italia/dist";

/// Which stylesheet the site uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StylesheetMode {
    /// Bootstrap Italia when installed, otherwise the fallback.
    #[default]
    Auto,
    /// Bootstrap Italia; an error when it is not installed.
    Bootstrap,
    /// The theme's own small stylesheet, even when Bootstrap Italia is installed.
    Fallback,
}

/// A loaded theme.
pub struct Theme {
    pub dir: PathBuf,
    pub templates: Templates,
    pub strings: Strings,
    /// The whole strings file, handed to templates as `strings`.
    pub strings_value: serde_json::Value,
    /// `…/node_modules/bootstrap-italia/dist` when the site uses Bootstrap Italia.
    pub bootstrap_dist: Option<PathBuf>,
    /// The project's own `static/` folder, whose files are added to (or replace) the theme's.
    pub project_static: Option<PathBuf>,
}

/// The project's own folders that take precedence over the theme's (see themes/agid/README.md).
pub const PROJECT_TEMPLATES: &str = "templates";
pub const PROJECT_STATIC: &str = "static";

/// A theme name is the name of one folder in `themes/`: no separators, no `..`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The strings Rust needs from `strings.toml`; the file may hold many more for the templates.
#[derive(Debug, Clone, Deserialize)]
pub struct Strings {
    pub standards: StandardWords,
    pub dates: DateWords,
    pub links: LinkWords,
    pub pages: PageWords,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DateWords {
    pub months: Vec<String>,
    /// For example `{day} {month} {year}`.
    pub format: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LinkWords {
    pub new_window_hint: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PageWords {
    pub home_title: String,
    pub commitments_title: String,
    pub commitments_slug: String,
    pub commitments_description: String,
    pub contacts_title: String,
    pub contacts_slug: String,
    pub contacts_description: String,
    pub organization_title: String,
    pub organization_slug: String,
    pub organization_description: String,
    pub not_found_title: String,
}

impl Strings {
    pub fn date(&self, date: crate::model::Date) -> String {
        let month = self
            .dates
            .months
            .get(date.month as usize - 1)
            .cloned()
            .unwrap_or_default();
        self.dates
            .format
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }
}

/// Loads `themes/<name>/` under `root`. Every template and the strings file are registered in
/// `sources` so their mistakes are reported with a location.
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
    let strings = load_strings(&dir, &relative, sources).map_err(|d| diagnostics.push(d));
    let theme_templates = dir.join("templates");
    let theme_display = relative.join("templates");
    let project_templates = root.join(PROJECT_TEMPLATES);
    let mut layers: Vec<(&Path, &Path)> = vec![(&theme_templates, &theme_display)];
    if project_templates.is_dir() {
        layers.push((&project_templates, Path::new(PROJECT_TEMPLATES)));
    }
    let templates = Templates::load_layers(&layers, sources).map_err(|d| diagnostics.extend(d));
    let project_static = Some(root.join(PROJECT_STATIC)).filter(|dir| dir.is_dir());
    let installed = dir.join(BOOTSTRAP_DIST);
    let has_bootstrap = installed.join("css/bootstrap-italia.min.css").is_file();
    let bootstrap_dist = match mode {
        StylesheetMode::Auto => has_bootstrap.then_some(installed),
        StylesheetMode::Fallback => None,
        StylesheetMode::Bootstrap if has_bootstrap => Some(installed),
        StylesheetMode::Bootstrap => {
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
    match (strings, templates) {
        (Ok((strings, strings_value)), Ok(templates)) if diagnostics.is_empty() => Ok(Theme {
            dir,
            templates,
            strings,
            strings_value,
            bootstrap_dist,
            project_static,
        }),
        _ => Err(diagnostics),
    }
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
            format!("impossibile leggere il file dei testi del tema: {error}"),
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
