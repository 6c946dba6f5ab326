//! Theme assets: the theme's static files, the self-hosted Bootstrap Italia stylesheet and fonts
//! when installed, and `ente.css` with the ente's colour.

use std::path::{Path, PathBuf};

use super::{Contents, OutputFile};
use crate::css::{self, Vocabulary};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// Bootstrap Italia's stylesheet inside its `dist/` folder.
pub const BOOTSTRAP_CSS: &str = "css/bootstrap-italia.min.css";

/// Where the site publishes the rules of Bootstrap Italia its pages use (`--stylesheet bootstrap`).
pub const BOOTSTRAP_SUBSET_URL: &str =
    "/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css";

/// Where the site publishes Bootstrap Italia's whole stylesheet (`--stylesheet bootstrap-full`).
pub const BOOTSTRAP_FULL_URL: &str = "/assets/bootstrap-italia/css/bootstrap-italia.min.css";

/// Bootstrap Italia files the site uses: the woff2 fonts and their licences, and the whole
/// stylesheet when asked for (otherwise [`bootstrap_subset`] writes the part the pages use).
/// The 1 MB JavaScript bundle is deliberately left out: the site needs no JavaScript.
fn wanted_from_bootstrap(relative: &Path, full_stylesheet: bool) -> bool {
    let name = relative.to_string_lossy();
    (full_stylesheet && name == BOOTSTRAP_CSS)
        || (name.starts_with("fonts/")
            && (name.ends_with(".woff2")
                || name.ends_with("OFL.txt")
                || name.ends_with("LICENSE.txt")))
}

/// The rules of Bootstrap Italia's stylesheet that can match an element of the built pages
/// (see [`crate::css`]), for [`BOOTSTRAP_SUBSET_URL`].
pub fn bootstrap_subset(theme: &Theme, vocabulary: &Vocabulary) -> Result<String, Diagnostic> {
    let dist = theme.bootstrap_dist.as_deref().unwrap_or(Path::new(""));
    let source = dist.join(BOOTSTRAP_CSS);
    let failed = |why: String| {
        Diagnostic::error(
            "E202",
            format!("impossibile ridurre il foglio di stile di Bootstrap Italia: {why}"),
        )
        .at_path(&source)
        .with_hint("reinstallalo con npm ci --prefix themes/<tema>, oppure pubblica il foglio intero con --stylesheet bootstrap-full")
    };
    let css = std::fs::read_to_string(&source).map_err(|error| failed(error.to_string()))?;
    let subset = css::subset(&css, vocabulary, &source.to_string_lossy()).map_err(failed)?;
    Ok(subset.css)
}

/// The file of the subset made by [`bootstrap_subset`].
pub fn bootstrap_subset_file(css: String) -> OutputFile {
    OutputFile {
        path: PathBuf::from(BOOTSTRAP_SUBSET_URL.trim_start_matches('/')),
        contents: Contents::Bytes(css.into_bytes()),
    }
}

pub fn files(theme: &Theme, colour: &str) -> std::io::Result<Vec<OutputFile>> {
    let mut files = copy_tree(&theme.dir.join("static"), Path::new("assets"), |_| true)?;
    if let Some(project_static) = &theme.project_static {
        // The project's own files come after the theme's and replace those with the same path.
        let own = copy_tree(project_static, Path::new("assets"), |_| true)?;
        files.retain(|file| !own.iter().any(|mine| mine.path == file.path));
        files.extend(own);
    }
    if let Some(dist) = &theme.bootstrap_dist {
        files.extend(copy_tree(
            dist,
            Path::new("assets/bootstrap-italia"),
            |path| wanted_from_bootstrap(path, theme.bootstrap_full),
        )?);
    }
    files.push(OutputFile {
        path: PathBuf::from("assets/css/ente.css"),
        contents: Contents::Bytes(format!(":root {{ --carta-primary: {colour}; }}\n").into_bytes()),
    });
    Ok(files)
}

fn copy_tree(
    from: &Path,
    to: &Path,
    keep: impl Fn(&Path) -> bool,
) -> std::io::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    if !from.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        if keep(relative) {
            files.push(OutputFile {
                path: to.join(relative),
                contents: Contents::Copy(entry.path().to_path_buf()),
            });
        }
    }
    Ok(files)
}
