//! The PDF of the print edition, when the build was given one: one file at the root of the site.
//!
//! The PDF is rendered beforehand from a written print edition (see [`crate::pdf`] and
//! `carta build --pdf`); here it only joins the site's files. [`PdfFile`] is also what the home page
//! and the transparency link pack need to link it: its URL and its size.

use std::path::PathBuf;

use super::{Contents, OutputFile};

/// A rendered PDF to publish with the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFile {
    /// File name at the root of the site, e.g. `carta-di-qualita-dei-servizi-…-2025.pdf`.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Where the rendered file is now; it is copied into the output.
    pub source: PathBuf,
}

impl PdfFile {
    /// Root-relative URL, as templates write links (the rewrite pass adds the deployment path).
    pub fn url(&self) -> String {
        format!("/{}", self.name)
    }
}

pub fn files(pdf: &PdfFile) -> Vec<OutputFile> {
    vec![OutputFile {
        path: PathBuf::from(&pdf.name),
        contents: Contents::Copy(pdf.source.clone()),
    }]
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
