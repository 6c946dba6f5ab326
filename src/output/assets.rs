//! Theme assets: the theme's static files, the self-hosted Bootstrap Italia stylesheet and fonts
//! when installed, and `ente.css` with the ente's colour.

use std::path::{Path, PathBuf};

use super::{Contents, OutputFile};
use crate::theme::Theme;

/// Bootstrap Italia files the site uses: the stylesheet, the woff2 fonts and their licences.
/// The 1 MB JavaScript bundle is deliberately left out: the site needs no JavaScript.
fn wanted_from_bootstrap(relative: &Path) -> bool {
    let name = relative.to_string_lossy();
    name == "css/bootstrap-italia.min.css"
        || (name.starts_with("fonts/")
            && (name.ends_with(".woff2")
                || name.ends_with("OFL.txt")
                || name.ends_with("LICENSE.txt")))
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
            wanted_from_bootstrap,
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
