//! Where a theme's files come from: built into carta at compile time (the `agid` theme, with the
//! Bootstrap Italia files it uses), or a folder of the project (`themes/<name>/`, a theme of its
//! own). Everything that reads a theme file asks a [`ThemeFiles`], so one loaded theme serves
//! every charter of a run from memory, whatever its source.
//!
//! `rust-embed` is used here and nowhere else.

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};

use crate::output::Contents;

/// The theme built into carta: its templates, strings and static files, and the vendored
/// Bootstrap Italia files (`themes/agid/vendor.sh`). `node_modules/`, the npm manifests, the
/// README and the script stay out: they are how the theme is made, not what it is.
#[derive(rust_embed::Embed)]
#[folder = "themes/agid/"]
#[include = "templates/**"]
#[include = "static/**"]
#[include = "strings.toml"]
#[include = "vendor/bootstrap-italia/**"]
#[exclude = "node_modules/**"]
struct Agid;

/// The name of the built-in theme (`theme = "agid"` in site.toml, the default).
pub const BUILT_IN: &str = "agid";

/// The folder of the built-in Bootstrap Italia files, inside the theme.
pub(crate) const VENDOR: &str = "vendor/bootstrap-italia";

/// Where the files of a folder theme's Bootstrap Italia may be: vendored as in the built-in
/// theme, or installed with npm.
pub(crate) const FOLDER_BOOTSTRAP: [&str; 2] = [VENDOR, "node_modules/bootstrap-italia/dist"];

/// The version of the built-in theme (its `package.json`).
pub fn theme_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../themes/agid/package.json"))
                .unwrap_or_default();
        manifest["version"].as_str().unwrap_or("0.0.0").to_string()
    })
}

/// The version of the Bootstrap Italia files built in (`vendor/bootstrap-italia/VERSION`).
pub fn bootstrap_version() -> &'static str {
    include_str!("../../themes/agid/vendor/bootstrap-italia/VERSION").trim()
}

/// The files of one theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeFiles {
    /// The theme built into carta.
    BuiltIn,
    /// A theme folder: where it is, and the path shown in messages (`themes/<name>`).
    Folder {
        /// The folder on disk.
        dir: PathBuf,
        /// The folder as messages show it, relative to the project.
        shown: PathBuf,
    },
}

impl ThemeFiles {
    /// The path of a theme file as messages show it: `themes/agid/templates/base.html`, the path
    /// of the built-in file in carta's own repository (and the argument of `carta theme eject`).
    pub(crate) fn shown(&self, relative: &str) -> PathBuf {
        match self {
            ThemeFiles::BuiltIn => Path::new("themes").join(BUILT_IN).join(relative),
            ThemeFiles::Folder { shown, .. } => shown.join(relative),
        }
    }

    /// The files under `folder` (`templates`, `static`), as paths relative to the theme with `/`
    /// separators, sorted. A folder theme's missing folder has none.
    pub(crate) fn list(&self, folder: &str) -> io::Result<Vec<String>> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        let mut names: Vec<String> = match self {
            ThemeFiles::BuiltIn => Agid::iter()
                .filter(|name| name.starts_with(&prefix))
                .map(Cow::into_owned)
                .collect(),
            ThemeFiles::Folder { dir, .. } => {
                let root = dir.join(folder);
                let mut names = Vec::new();
                if root.is_dir() {
                    for entry in walkdir::WalkDir::new(&root) {
                        let entry = entry.map_err(io::Error::other)?;
                        if !entry.file_type().is_file() {
                            continue;
                        }
                        if let Ok(relative) = entry.path().strip_prefix(dir) {
                            names.push(relative.to_string_lossy().replace('\\', "/"));
                        }
                    }
                }
                names
            }
        };
        names.sort();
        Ok(names)
    }

    /// Whether the theme has the file `relative`.
    pub(crate) fn has(&self, relative: &str) -> bool {
        match self {
            ThemeFiles::BuiltIn => Agid::get(relative).is_some(),
            ThemeFiles::Folder { dir, .. } => dir.join(relative).is_file(),
        }
    }

    /// The bytes of the file `relative`.
    pub(crate) fn read(&self, relative: &str) -> io::Result<Cow<'static, [u8]>> {
        match self {
            ThemeFiles::BuiltIn => Agid::get(relative).map(|file| file.data).ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, format!("{relative} non c'è"))
            }),
            ThemeFiles::Folder { dir, .. } => std::fs::read(dir.join(relative)).map(Cow::Owned),
        }
    }

    /// The text of the file `relative`.
    pub(crate) fn read_text(&self, relative: &str) -> io::Result<String> {
        let bytes = self.read(relative)?;
        String::from_utf8(bytes.into_owned())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "non è testo UTF-8"))
    }

    /// The file `relative` as an output's contents: copied from disk when written, or the bytes
    /// built into carta.
    pub(crate) fn contents(&self, relative: &str) -> io::Result<Contents> {
        match self {
            ThemeFiles::BuiltIn => Ok(Contents::BuiltIn {
                source: self.shown(relative),
                bytes: self.read(relative)?,
            }),
            ThemeFiles::Folder { dir, .. } => Ok(Contents::Copy(dir.join(relative))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_its_files_and_nothing_of_npm() {
        let theme = ThemeFiles::BuiltIn;
        let templates = theme.list("templates").unwrap();
        assert!(templates.contains(&"templates/base.html".to_string()));
        assert!(theme.has("strings.toml"));
        let vendored = theme.list(VENDOR).unwrap();
        assert!(vendored.contains(&"vendor/bootstrap-italia/css/bootstrap-italia.min.css".into()));
        assert!(vendored.iter().any(|name| name.ends_with(".woff2")));
        assert!(vendored.contains(&"vendor/bootstrap-italia/LICENSE".into()));
        assert!(Agid::iter().all(|name| !name.contains("node_modules")
            && !name.ends_with("package.json")
            && !name.ends_with(".sh")));
        assert_eq!(
            theme.read("static/css/carta.css").unwrap().as_ref(),
            std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/agid/static/css/carta.css")
            )
            .unwrap()
        );
        // The vendored files are the version package.json pins.
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../themes/agid/package.json")).unwrap();
        assert_eq!(
            manifest["dependencies"]["bootstrap-italia"].as_str(),
            Some(bootstrap_version())
        );
        assert_eq!(Some(theme_version()), manifest["version"].as_str());
        assert!(semver::Version::parse(theme_version()).is_ok());
    }
}
