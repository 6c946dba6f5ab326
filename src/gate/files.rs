//! Static files (the project's `static/` and the theme's) by type: raster images, PDF, fonts,
//! plain text (the fonts' licences) and CSS pass, each only with the content its name promises;
//! an SVG passes as plain drawing ([`super::svg`]); HTML (a page belongs in `content/`), script
//! and every other type are refused.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::output::{Contents, OutputFile, path_text};
use crate::source::SourceMap;

/// Why a file cannot be published, and where.
pub(super) struct Refusal {
    code: &'static str,
    message: String,
    hint: String,
    /// The file as read from disk (or the output path, for a generated file).
    file: PathBuf,
    /// The file's text and the offset the problem is at, when it is text.
    at: Option<(String, usize)>,
}

impl Refusal {
    /// A file the gate could not read.
    pub(super) fn unreadable(file: &OutputFile, error: &std::io::Error) -> Refusal {
        Refusal {
            code: "E216",
            message: format!(
                "impossibile leggere {} per controllarlo: {error}",
                path_text(file)
            ),
            hint: "controlla i permessi del file".to_string(),
            file: source_of(file),
            at: None,
        }
    }

    /// The diagnostic, with the file shown relative to the project's folder.
    pub(super) fn into_diagnostic(self, root: &Path, sources: &mut SourceMap) -> Diagnostic {
        let shown = self
            .file
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or(self.file);
        let diagnostic = Diagnostic::error(self.code, self.message).with_hint(self.hint);
        match self.at {
            Some((text, offset)) => {
                let id = sources.add(shown, text);
                diagnostic.at_offset(sources, id, offset, 1)
            }
            None => diagnostic.at_path(shown),
        }
    }
}

fn source_of(file: &OutputFile) -> PathBuf {
    match &file.contents {
        Contents::Copy(path) | Contents::BuiltIn { source: path, .. } => path.clone(),
        _ => file.path.clone(),
    }
}

/// Checks one copied file by its extension and its content.
pub(super) fn check(file: &OutputFile, policy: &super::Policy) -> Result<(), Refusal> {
    let source = source_of(file);
    let extension = source
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let refuse = |code: &'static str, message: String, hint: &str, at: Option<(String, usize)>| {
        Err(Refusal {
            code,
            message,
            hint: hint.to_string(),
            file: source.clone(),
            at,
        })
    };
    let name = path_text(file);
    let read = || match &file.contents {
        Contents::BuiltIn { bytes, .. } => Ok(bytes.to_vec()),
        _ => std::fs::read(&source),
    };
    let bytes = match extension.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => {
            return refuse(
                "E216",
                format!("pagina HTML tra i file statici: {name}"),
                "una pagina va scritta come capitolo in content/, dove carta la controlla e la impagina; togli il file da static/",
                None,
            );
        }
        "js" | "mjs" | "cjs" | "wasm" => {
            return refuse(
                "E216",
                format!("script tra i file statici: {name}"),
                "le pagine del sito non eseguono script (Content-Security-Policy script-src 'none'): togli il file da static/",
                None,
            );
        }
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "ico" | "pdf" | "woff" | "woff2"
        | "ttf" | "otf" | "css" | "svg" | "txt" => match read() {
            Ok(bytes) => bytes,
            Err(error) => return Err(Refusal::unreadable(file, &error)),
        },
        _ => {
            return refuse(
                "E216",
                format!("tipo di file non ammesso tra i file statici: {name}"),
                "si pubblicano immagini (PNG, JPEG, GIF, WebP, AVIF, ICO, SVG), PDF, caratteri (WOFF2, WOFF, TTF, OTF), fogli di stile CSS e testo (.txt)",
                None,
            );
        }
    };
    if !signature_matches(&extension, &bytes) {
        return refuse(
            "E216",
            format!("il contenuto di {name} non è un file .{extension}"),
            "salva di nuovo il file nel suo formato, o dagli l'estensione giusta",
            None,
        );
    }
    check_text(&extension, &name, bytes, policy).map_err(|(code, message, hint, at)| Refusal {
        code,
        message,
        hint: hint.to_string(),
        file: source.clone(),
        at,
    })
}

/// What a refusal says: its code, message, hint, and the text and offset it is about.
type Said = (&'static str, String, &'static str, Option<(String, usize)>);

/// The checks of a file's text: an SVG as plain drawing, a stylesheet's addresses, UTF-8.
fn check_text(
    extension: &str,
    name: &str,
    bytes: Vec<u8>,
    policy: &super::Policy,
) -> Result<(), Said> {
    let refuse = |code: &'static str,
                  message: String,
                  hint: &'static str,
                  at: Option<(String, usize)>| Err((code, message, hint, at));
    let text = || String::from_utf8(bytes.clone()).ok();
    match extension {
        "svg" => {
            let Some(text) = text() else {
                return refuse(
                    "E217",
                    format!("l'SVG {name} non è testo UTF-8"),
                    "salva l'SVG in UTF-8",
                    None,
                );
            };
            if let Some(problem) = super::svg::check(&text) {
                return refuse(
                    "E217",
                    format!("{} ({name})", problem.message),
                    "esporta l'immagine come SVG semplice (solo disegno), o come PNG",
                    Some((text, problem.offset)),
                );
            }
        }
        "css" | "txt" => {
            let Some(text) = text() else {
                return refuse(
                    "E216",
                    format!("{name} non è testo UTF-8"),
                    "salva il file in UTF-8",
                    None,
                );
            };
            if extension == "css" {
                for url in crate::css::urls(&text) {
                    if inert_data(&url) {
                        continue;
                    }
                    if let Some(why) = policy.foreign(&url) {
                        let offset = text.find(&url).unwrap_or(0);
                        return refuse(
                            "E214",
                            format!("il foglio di stile {name} carica {why}"),
                            "copia il file (immagine, carattere) in static/ e usa un indirizzo relativo, oppure aggiungi il sito a [security] allowed_origins in site.toml",
                            Some((text, offset)),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A `data:` image or font inside a stylesheet: drawn, never run, and no request to anyone
/// (Bootstrap Italia draws its icons so).
fn inert_data(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    [
        "data:image/",
        "data:font/",
        "data:application/font-woff",
        "data:application/x-font-woff",
    ]
    .iter()
    .any(|prefix| lower.starts_with(prefix))
}

/// Whether `bytes` begin as every file of this type begins.
fn signature_matches(extension: &str, bytes: &[u8]) -> bool {
    let at = |offset: usize, signature: &[u8]| {
        bytes.get(offset..offset + signature.len()) == Some(signature)
    };
    match extension {
        "png" => at(0, b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => at(0, &[0xFF, 0xD8, 0xFF]),
        "gif" => at(0, b"GIF87a") || at(0, b"GIF89a"),
        "webp" => at(0, b"RIFF") && at(8, b"WEBP"),
        "avif" => at(4, b"ftypavif") || at(4, b"ftypavis"),
        "ico" => at(0, &[0, 0, 1, 0]),
        "pdf" => at(0, b"%PDF-"),
        "woff" => at(0, b"wOFF"),
        "woff2" => at(0, b"wOF2"),
        "ttf" => at(0, &[0, 1, 0, 0]) || at(0, b"true"),
        "otf" => at(0, b"OTTO"),
        _ => true,
    }
}
