//! Earlier editions: `content/editions/<folder>/charter.yaml` and `data/commitments.yaml`, with an
//! optional `data/organization.yaml` when the organigram of that edition was different.
//!
//! Read with the same parsers as the current edition; missing files, syntax mistakes and unknown
//! files are reported like theirs (`E111`, `E101`…, `W113`). Whether the editions make sense
//! together (names, dates) is checked by validation.

use super::{DATA_DIR, Loader, sorted_file_names};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::Edition;

/// The folder of earlier editions, relative to `content/`.
pub(crate) const EDITIONS_DIR: &str = "editions";
const EDITION_FILES: [&str; 1] = ["charter.yaml"];
const EDITION_DATA_FILES: [&str; 2] = ["commitments.yaml", "organization.yaml"];

impl Loader {
    /// Every folder of `content/editions/`, in name order. No folder, no editions.
    pub(super) fn editions(&mut self) -> Vec<Edition> {
        let dir = self.root.join("content").join(EDITIONS_DIR);
        if !dir.is_dir() {
            return Vec::new();
        }
        for name in sorted_file_names(&dir) {
            self.diagnostics.push(
                Diagnostic::warning(
                    "W113",
                    format!("file sconosciuto content/{EDITIONS_DIR}/{name}: non viene usato"),
                )
                .at_path(format!("content/{EDITIONS_DIR}/{name}"))
                .with_hint(
                    "ogni edizione precedente è una cartella con charter.yaml e data/commitments.yaml",
                ),
            );
        }
        let mut editions = Vec::new();
        for folder in sorted_dir_names(&dir) {
            let base = format!("content/{EDITIONS_DIR}/{folder}");
            self.warn_unknown(&base, &EDITION_FILES, "charter.yaml");
            self.warn_unknown(
                &format!("{base}/{DATA_DIR}"),
                &EDITION_DATA_FILES,
                "commitments.yaml",
            );
            let charter = self.data(&format!("{base}/charter.yaml"), true);
            let commitments = self.data(&format!("{base}/{DATA_DIR}/commitments.yaml"), true);
            let organization = self.data(&format!("{base}/{DATA_DIR}/organization.yaml"), false);
            if let (Some(charter), Some(commitments)) = (charter, commitments) {
                editions.push(Edition {
                    folder,
                    charter,
                    commitments,
                    organization,
                });
            }
        }
        editions
    }

    fn warn_unknown(&mut self, relative_dir: &str, known: &[&str], example: &str) {
        for name in sorted_file_names(&self.root.join(relative_dir)) {
            if known.contains(&name.as_str()) {
                continue;
            }
            let diagnostic = Diagnostic::warning(
                "W113",
                format!("file sconosciuto {relative_dir}/{name}: non viene usato"),
            )
            .at_path(format!("{relative_dir}/{name}"));
            let hint = match did_you_mean(&name, known.iter().copied()) {
                Some(close) => format!("forse intendevi {close}?"),
                None => format!(
                    "in questa cartella carta legge solo {}; per esempio {example}",
                    known.join(", ")
                ),
            };
            self.diagnostics.push(diagnostic.with_hint(hint));
        }
    }
}

/// Folder names directly inside `dir`, sorted.
fn sorted_dir_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}
