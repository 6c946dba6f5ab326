//! Theme assets: the theme's static files, the self-hosted Bootstrap Italia fonts (and its whole
//! stylesheet with `--stylesheet bootstrap-full`) when the site uses them, and `ente.css` with the ente's
//! colour.

use std::path::{Path, PathBuf};

use super::{Cache, Contents, Failure, Input, Output, OutputFile, Product};
use crate::diagnostics::Diagnostic;
use crate::theme::{Theme, ThemeFiles};

use super::stylesheet::BOOTSTRAP_CSS;

/// Bootstrap Italia files the site uses: the woff2 fonts and their licences, and the whole
/// stylesheet when asked for (otherwise [`super::stylesheet`] writes the part the pages use).
/// The 1 MB JavaScript bundle is deliberately left out: the site needs no JavaScript.
fn wanted_from_bootstrap(relative: &Path, full_stylesheet: bool) -> bool {
    let name = relative.to_string_lossy();
    (full_stylesheet && name == BOOTSTRAP_CSS)
        || (name.starts_with("fonts/")
            && (name.ends_with(".woff2")
                || name.ends_with("OFL.txt")
                || name.ends_with("LICENSE.txt")))
}

/// The theme's assets.
pub(crate) struct Assets;

impl Output for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let theme = input.cx.theme;
        let files = files(theme, &input.cx.project.config.ente.colour).map_err(|error| {
            Failure::Io(
                Diagnostic::error(
                    "E201",
                    format!(
                        "impossibile leggere i file statici del tema: {}",
                        crate::os_error::italian(&error)
                    ),
                )
                .at_path(theme.files.shown("static")),
            )
        })?;
        Ok(Product {
            files,
            ..Product::default()
        })
    }
}

pub(crate) fn files(theme: &Theme, colour: &str) -> std::io::Result<Vec<OutputFile>> {
    let mut files = theme_tree(&theme.files, "static", "assets", |_| true)?;
    if let Some(project_static) = &theme.project_static {
        // The project's own files come after the theme's and replace those with the same path.
        let own = copy_tree(project_static, Path::new("assets"), |_| true)?;
        files.retain(|file| !own.iter().any(|mine| mine.path == file.path));
        files.extend(own);
    }
    if let Some(bootstrap) = &theme.bootstrap {
        files.extend(theme_tree(
            &bootstrap.files,
            bootstrap.dir,
            "assets/bootstrap-italia",
            |path| wanted_from_bootstrap(path, theme.bootstrap_full),
        )?);
    }
    files.push(OutputFile {
        path: PathBuf::from("assets/css/ente.css"),
        contents: Contents::Bytes(format!(":root {{ --carta-primary: {colour}; }}\n").into_bytes()),
    });
    Ok(files)
}

/// The theme's files under `folder`, published under `to` with the same relative paths.
fn theme_tree(
    theme: &ThemeFiles,
    folder: &str,
    to: &str,
    keep: impl Fn(&Path) -> bool,
) -> std::io::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for name in theme.list(folder)? {
        let relative = Path::new(&name[folder.len() + 1..]).to_path_buf();
        if keep(&relative) {
            files.push(OutputFile {
                path: Path::new(to).join(&relative),
                contents: theme.contents(&name)?,
            });
        }
    }
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
