//! The ente's logo and the site's favicon: checked, then handed to the templates.
//!
//! `[ente] logo` (with `logo_alt`) and `[site] favicon` in `site.toml` name files of the project's
//! `static/` folder, published under `/assets/` like every file there. A path must stay inside
//! that folder (plain, relative, no `..`, no symbolic link on the way), the file must exist and be
//! an image of an allowed type, by its name and by its content; an SVG is read as XML and must be
//! plain drawing ([`crate::gate::svg`], the check every static SVG passes). Without
//! a favicon of its own the site uses the theme's neutral one (`static/img/favicon.svg`).

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::Project;
use crate::source::{FileId, SourceMap};
use crate::theme::PROJECT_STATIC;

/// The theme's own favicon, under its `static/` folder.
pub(crate) const DEFAULT_FAVICON: &str = "img/favicon.svg";

/// Image types a logo may have.
const LOGO_TYPES: &[ImageType] = &[
    ImageType::Svg,
    ImageType::Png,
    ImageType::Jpeg,
    ImageType::Webp,
];
/// Image types a favicon may have.
const FAVICON_TYPES: &[ImageType] = &[ImageType::Svg, ImageType::Png, ImageType::Ico];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageType {
    Svg,
    Png,
    Jpeg,
    Webp,
    Ico,
}

impl ImageType {
    fn from_extension(path: &str) -> Option<Self> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "svg" => Self::Svg,
            "png" => Self::Png,
            "jpg" | "jpeg" => Self::Jpeg,
            "webp" => Self::Webp,
            "ico" => Self::Ico,
            _ => return None,
        })
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Ico => "image/x-icon",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Svg => "SVG",
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Webp => "WebP",
            Self::Ico => "ICO",
        }
    }

    /// Whether `bytes` are an image of this type, by the signature every such file starts with
    /// (for SVG: UTF-8 text; [`crate::gate::svg`] then reads it as XML).
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Self::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            Self::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Webp => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
            Self::Ico => bytes.starts_with(&[0, 0, 1, 0]),
            Self::Svg => std::str::from_utf8(bytes).is_ok(),
        }
    }
}

/// The favicon as templates see it (`site.favicon`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaviconView {
    /// Root-relative URL, `/assets/…`.
    pub url: String,
    /// Its media type, for `<link rel="icon" type="…">`.
    pub media_type: &'static str,
}

/// The ente's logo as templates see it (`site.ente.logo`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogoView {
    pub url: String,
    pub alt: String,
}

/// The favicon of the site: the project's `[site] favicon`, or the theme's.
pub(crate) fn favicon(project: &Project) -> FaviconView {
    let path = project
        .config
        .site
        .favicon
        .as_ref()
        .map(|favicon| favicon.get_ref().as_str())
        .unwrap_or(DEFAULT_FAVICON);
    FaviconView {
        url: format!("/assets/{path}"),
        media_type: ImageType::from_extension(path)
            .map(ImageType::media_type)
            .unwrap_or("image/svg+xml"),
    }
}

/// The ente's logo, when `site.toml` names one.
pub(crate) fn logo(project: &Project) -> Option<LogoView> {
    let ente = &project.config.ente;
    let logo = ente.logo.as_ref()?;
    Some(LogoView {
        url: format!("/assets/{}", logo.get_ref()),
        alt: ente
            .logo_alt
            .as_ref()
            .map(|alt| alt.get_ref().trim().to_string())
            .unwrap_or_default(),
    })
}

/// Checks `[ente] logo`, `logo_alt` and `[site] favicon`: `E191` for a path that is not a file
/// inside the project's `static/` folder, `E192` for a file that is not an allowed image, `E193`
/// for a logo without its alternative text.
pub(crate) fn validate(project: &Project) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let file = project.config_file;
    let sources = &project.sources;
    let ente = &project.config.ente;
    if let Some(logo) = &ente.logo {
        diagnostics.extend(check_image(
            project,
            logo.get_ref(),
            logo.span(),
            "logo",
            LOGO_TYPES,
        ));
        let alt = ente.logo_alt.as_ref();
        if alt.is_none_or(|alt| alt.get_ref().trim().is_empty()) {
            let diagnostic = Diagnostic::error(
                "E193",
                "manca il testo alternativo del logo (`logo_alt`)",
            )
            .with_hint(
                "scrivi in [ente] che cosa mostra il logo, per chi non lo vede: logo_alt = \"Stemma del Comune di …\"",
            );
            let span = alt.map(|alt| alt.span()).unwrap_or_else(|| logo.span());
            diagnostics.push(located(diagnostic, sources, file, span));
        }
    } else if let Some(alt) = &ente.logo_alt {
        let diagnostic = Diagnostic::error("E193", "`logo_alt` senza `logo`")
            .with_hint("aggiungi in [ente] il logo (logo = \"img/stemma.svg\", dentro static/) oppure togli logo_alt");
        diagnostics.push(located(diagnostic, sources, file, alt.span()));
    }
    if let Some(favicon) = &project.config.site.favicon {
        diagnostics.extend(check_image(
            project,
            favicon.get_ref(),
            favicon.span(),
            "favicon",
            FAVICON_TYPES,
        ));
    }
    diagnostics
}

fn located(
    diagnostic: Diagnostic,
    sources: &SourceMap,
    file: FileId,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let len = sources
        .text(file)
        .get(span.clone())
        .map(|text| text.chars().count())
        .unwrap_or(1)
        .max(1);
    diagnostic.at_offset(sources, file, span.start, len as u32)
}

/// One image named in `site.toml` (`key` is `logo` or `favicon`), at `span` of the file.
fn check_image(
    project: &Project,
    path: &str,
    span: std::ops::Range<usize>,
    key: &str,
    allowed: &[ImageType],
) -> Option<Diagnostic> {
    let allowed_names = allowed
        .iter()
        .map(|kind| kind.name())
        .collect::<Vec<_>>()
        .join(", ");
    let error = |code: &'static str, message: String, hint: String| {
        Some(located(
            Diagnostic::error(code, message).with_hint(hint),
            &project.sources,
            project.config_file,
            span.clone(),
        ))
    };
    if !is_plain(path) {
        return error(
            "E191",
            format!("percorso del {key} non valido: {path}"),
            format!(
                "scrivi il percorso del file dentro la cartella static/ del progetto, senza `/` iniziale né `..`: {key} = \"img/{key}.svg\""
            ),
        );
    }
    let static_dir = project.root.join(PROJECT_STATIC);
    let full = static_dir.join(path);
    match link_on_the_way(&project.root, &full) {
        Ok(Some(link)) => {
            let shown = link.strip_prefix(&project.root).unwrap_or(&link);
            return error(
                "E191",
                format!(
                    "il {key} passa per un collegamento simbolico: {}",
                    shown.display()
                ),
                format!(
                    "copia il file in static/{path}: carta pubblica solo file del progetto, mai collegamenti che possono portare fuori"
                ),
            );
        }
        Ok(None) => {}
        // A part of the way that does not exist: the file is not there, as below.
        Err(_) => {}
    }
    if !full.is_file() {
        return error(
            "E191",
            format!("{key} non trovato: static/{path}"),
            format!(
                "metti il file in static/{path} nella cartella del progetto, oppure correggi il nome in `{key}`"
            ),
        );
    }
    let Some(kind) = ImageType::from_extension(path).filter(|kind| allowed.contains(kind)) else {
        return error(
            "E192",
            format!("tipo di file non ammesso per il {key}: {path}"),
            format!("usa un'immagine {allowed_names}, con l'estensione giusta"),
        );
    };
    let bytes = match std::fs::read(&full) {
        Ok(bytes) => bytes,
        Err(reason) => {
            return error(
                "E191",
                format!("{key} non leggibile: static/{path}: {reason}"),
                "controlla i permessi del file".to_string(),
            );
        }
    };
    if !kind.matches(&bytes) {
        return error(
            "E192",
            format!("il {key} static/{path} non è un'immagine {}", kind.name()),
            format!(
                "il contenuto del file non corrisponde all'estensione: salvalo di nuovo come {} o cambia l'estensione ({allowed_names})",
                kind.name()
            ),
        );
    }
    if kind == ImageType::Svg {
        let text = String::from_utf8(bytes).unwrap_or_default();
        let problem = crate::gate::svg::check(&text)?;
        return error(
            "E192",
            format!("il {key} static/{path} non è un SVG ammesso: {}", problem.message),
            "un'immagine pubblicata è solo disegno: esportala come SVG semplice (senza script, DOCTYPE, elementi di altri spazi dei nomi né riferimenti esterni) o come PNG".to_string(),
        );
    }
    None
}

/// A path written plainly inside `static/`: relative, `/`-separated, without `..`, empty parts or
/// a scheme.
fn is_plain(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains("://")
        && Path::new(path)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
        && path.split('/').all(|part| !part.is_empty())
}

/// The first symbolic link among the folders and the file from `root` down to `path` (which is
/// inside `root`), if any; an error when some part of the way does not exist.
fn link_on_the_way(root: &Path, path: &Path) -> std::io::Result<Option<PathBuf>> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut current = root.to_path_buf();
    for part in relative.components() {
        current.push(part);
        if std::fs::symlink_metadata(&current)?
            .file_type()
            .is_symlink()
        {
            return Ok(Some(current));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_are_read_from_the_content() {
        assert!(ImageType::Png.matches(b"\x89PNG\r\n\x1a\nrest"));
        assert!(!ImageType::Png.matches(b"GIF89a"));
        assert!(ImageType::Jpeg.matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(ImageType::Webp.matches(b"RIFF\x10\0\0\0WEBPVP8 "));
        assert!(ImageType::Ico.matches(&[0, 0, 1, 0, 1, 0]));
        assert!(ImageType::Svg.matches(
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
        ));
        assert!(!ImageType::Svg.matches(b"\xff\xfe"));
    }
}
