//! The PDF of the print edition (`carta build --pdf`): the print edition and the assets it is
//! printed with are written to a scratch folder, the engine (see [`crate::pdf`]) renders it, and
//! the PDF joins the site at its root. Its name and size are a [`Facts`] value: the home page links
//! it with its size and the manifest lists it.

use std::path::{Path, PathBuf};

use super::{
    ArtifactKind, ArtifactSpec, Cache, Contents, Facts, Failure, Input, Output, OutputFile, Product,
};
use crate::diagnostics::Diagnostic;
use crate::pdf::RenderOptions;
use crate::render::print::{PdfView, PrintInfo};
use crate::strings::Strings;

/// A rendered PDF published with the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFile {
    /// File name at the root of the site, e.g. `carta-di-qualita-dei-servizi-…-2025.pdf`.
    pub(crate) name: String,
    /// Size in bytes.
    pub(crate) bytes: u64,
    /// The engine that rendered it, as it names itself (`WeasyPrint 70.0`).
    pub(crate) engine: String,
}

impl PdfFile {
    /// Root-relative URL, as templates write links (the rewrite pass adds the deployment path).
    pub(crate) fn url(&self) -> String {
        format!("/{}", self.name)
    }

    /// The PDF as the home page's template sees it, as `pdf`.
    pub(crate) fn view(&self, strings: &Strings) -> PdfView {
        PdfView {
            url: self.url(),
            name: self.name.clone(),
            bytes: self.bytes,
            size: size_text(self.bytes, &strings.standards.decimal_separator),
        }
    }
}

/// The PDF, when the build was asked for one.
pub(crate) struct Pdf;

impl Output for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let (Some(engine), Some(print)) = (&input.settings.pdf, &input.made.facts.print) else {
            return Ok(Product::default());
        };
        let failed = |message: String| {
            Failure::Io(Diagnostic::error(
                "E203",
                format!("PDF non generato: {message}"),
            ))
        };
        let scratch = tempfile::tempdir()
            .map_err(|error| failed(format!("cartella temporanea non creata: {error}")))?;
        lay_out(&input.made.files, print, scratch.path()).map_err(failed)?;
        let pdf_path = scratch.path().join(&print.pdf_name);
        engine
            .render(
                &scratch.path().join(&print.page),
                &pdf_path,
                &RenderOptions { date: print.date },
            )
            .map_err(|error| failed(error.to_string()))?;
        let bytes = std::fs::read(&pdf_path).map_err(|error| failed(error.to_string()))?;
        let pdf = PdfFile {
            name: print.pdf_name.clone(),
            bytes: bytes.len() as u64,
            engine: engine.version.clone(),
        };
        let cx = input.cx;
        let listed = vec![ArtifactSpec {
            path: pdf.name.clone(),
            title: cx.strings.pack.artifact_pdf.clone(),
            kind: ArtifactKind::Pdf,
            date: cx.project.charter.data.last_updated.value,
        }];
        Ok(Product {
            pages: Vec::new(),
            files: vec![OutputFile {
                path: PathBuf::from(&pdf.name),
                contents: Contents::Bytes(bytes),
            }],
            facts: Facts {
                pdf: Some(pdf),
                listed,
                ..Facts::default()
            },
        })
    }
}

/// Writes into `scratch` the print edition and every file that is not a page (the stylesheets,
/// fonts and images it is printed with), at their places in the site.
fn lay_out(files: &[OutputFile], print: &PrintInfo, scratch: &Path) -> Result<(), String> {
    let print_page = Path::new(&print.page);
    let wanted = files.iter().filter(|file| {
        file.path == print_page || file.path.extension().is_none_or(|ext| ext != "html")
    });
    for file in wanted {
        let target = scratch.join(&file.path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(|error| error.to_string())?;
        }
        match &file.contents {
            Contents::Bytes(bytes) => std::fs::write(&target, bytes),
            Contents::BuiltIn { bytes, .. } => std::fs::write(&target, bytes),
            Contents::Copy(source) | Contents::Staged { path: source, .. } => {
                std::fs::copy(source, &target).map(|_| ())
            }
        }
        .map_err(|error| format!("{}: {error}", file.path.display()))?;
    }
    if !scratch.join(print_page).is_file() {
        return Err(format!(
            "l'edizione a stampa {} non è stata scritta",
            print.page
        ));
    }
    Ok(())
}

/// A file size for readers, in SI units: `840 B`, `140 kB`, `1,2 MB` (with the theme's decimal
/// separator).
pub fn size_text(bytes: u64, decimal_separator: &str) -> String {
    if bytes < 1_000 {
        return format!("{bytes} B");
    }
    if bytes < 999_500 {
        return format!("{} kB", (bytes + 500) / 1_000);
    }
    // Tenths of a megabyte, rounded.
    let tenths = (bytes + 50_000) / 100_000;
    if tenths.is_multiple_of(10) || tenths >= 100 {
        format!("{} MB", (tenths + 5) / 10)
    } else {
        format!("{}{decimal_separator}{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_download_link() {
        assert_eq!(size_text(840, ","), "840 B");
        assert_eq!(size_text(139_986, ","), "140 kB");
        assert_eq!(size_text(999_499, ","), "999 kB");
        assert_eq!(size_text(999_500, ","), "1 MB");
        assert_eq!(size_text(1_234_567, ","), "1,2 MB");
        assert_eq!(size_text(12_345_678, ","), "12 MB");
    }
}
