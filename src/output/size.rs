//! The bound on the size of a built site: a site over [`MAX_SITE_BYTES`] is refused, naming the
//! files that weigh most.
//!
//! Each page is bounded by what makes it (the chapter's size, its nesting, its blocks), but a
//! charter with many chapters, large static files or a theme with heavy assets can still add up to
//! more than any charter needs, and a build that writes gigabytes fills the disk of the CI runner
//! or the web server. The bound is checked once every file is made, before the swap, so a refused
//! site never replaces the previous one.

use super::{Contents, OutputFile};
use crate::diagnostics::Diagnostic;

/// The largest site carta writes: 1 GiB. A charter of a thousand pages with its print edition,
/// PDF, open data and theme is well under 200 MB.
pub(crate) const MAX_SITE_BYTES: u64 = 1024 * 1024 * 1024;

/// How many of the heaviest files the error names.
const NAMED: usize = 5;

/// The error for `files` when they add up to more than `limit` bytes.
pub(crate) fn over_limit(files: &[OutputFile], limit: u64) -> Option<Diagnostic> {
    let mut sizes: Vec<(u64, String)> = files
        .iter()
        .map(|file| (size_of(file), super::path_text(file)))
        .collect();
    let total: u64 = sizes.iter().map(|(size, _)| size).sum();
    if total <= limit {
        return None;
    }
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let heaviest: Vec<String> = sizes
        .iter()
        .take(NAMED)
        .map(|(size, path)| format!("{path} ({})", megabytes(*size)))
        .collect();
    Some(
        Diagnostic::error(
            "E223",
            format!(
                "il sito generato pesa {}, più del massimo di {}; i file più grandi: {}",
                megabytes(total),
                megabytes(limit),
                heaviest.join(", ")
            ),
        )
        .with_hint("controlla i file più grandi: un capitolo ripetuto, un file pesante in static/ o un blocco messo troppe volte; il sito precedente resta com'era")
        .at_path("site.toml"),
    )
}

fn size_of(file: &OutputFile) -> u64 {
    match &file.contents {
        Contents::Bytes(bytes) => bytes.len() as u64,
        Contents::BuiltIn { bytes, .. } => bytes.len() as u64,
        Contents::Copy(path) | Contents::Staged { path, .. } => {
            std::fs::metadata(path).map_or(0, |meta| meta.len())
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: usize) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(vec![b'x'; size]),
        }
    }

    #[test]
    fn a_site_over_the_limit_names_its_heaviest_files() {
        let files: Vec<OutputFile> = (0..8)
            .map(|n| file(&format!("p{n}/index.html"), 100_000 * (n + 1)))
            .collect();
        assert!(over_limit(&files, 4_000_000).is_none(), "3.6 MB fit");
        let error = over_limit(&files, 3_000_000).expect("3.6 MB do not fit 3 MB");
        assert_eq!(error.code, "E223");
        assert_eq!(
            error.message,
            "il sito generato pesa 3.6 MB, più del massimo di 3.0 MB; i file più grandi: \
             p7/index.html (0.8 MB), p6/index.html (0.7 MB), p5/index.html (0.6 MB), \
             p4/index.html (0.5 MB), p3/index.html (0.4 MB)"
        );
    }
}
