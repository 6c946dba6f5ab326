//! Load: reads `site.toml` and `content/` into the model, with every file registered for diagnostics.
//!
//! This is the only stage that reads the project's files. It reports every file that cannot be read
//! or parsed, then stops: later stages only ever see a complete [`Project`].

mod editions;
mod front_matter;
mod scratch;
pub mod yaml;

pub use editions::EDITIONS_DIR;
pub use scratch::is_scratch_file;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Chapter, DataFile, FrontMatter, Project};
use crate::slug;
use crate::source::{FileId, SourceMap};

/// Content files the loader knows, relative to `content/`.
pub const CHARTER_FILE: &str = "charter.yaml";
pub const DATA_DIR: &str = "data";
pub const CHAPTERS_DIR: &str = "chapters";
const DATA_FILES: [&str; 5] = [
    "organization.yaml",
    "commitments.yaml",
    "contacts.yaml",
    "stakeholders.yaml",
    "channels.yaml",
];

/// Loads the project rooted at `root`, with the warnings found on the way. On failure returns every
/// problem found.
pub fn load(root: &Path) -> Result<(Project, Diagnostics), (SourceMap, Diagnostics)> {
    let mut loader = Loader {
        root: root.to_path_buf(),
        sources: SourceMap::new(),
        diagnostics: Diagnostics::new(),
    };

    let config = loader.read("site.toml", true).and_then(|file| {
        config::parse(&loader.sources, file)
            .map_err(|diagnostic| loader.diagnostics.push(diagnostic))
            .ok()
            .map(|config| (config, file))
    });
    let charter = loader.data(&format!("content/{CHARTER_FILE}"), true);
    let organization = loader.data(&format!("content/{DATA_DIR}/{}", DATA_FILES[0]), true);
    let commitments = loader.data(&format!("content/{DATA_DIR}/{}", DATA_FILES[1]), true);
    let contacts = loader.data(&format!("content/{DATA_DIR}/{}", DATA_FILES[2]), true);
    let stakeholders = loader.data(&format!("content/{DATA_DIR}/{}", DATA_FILES[3]), false);
    let channels = loader.data(&format!("content/{DATA_DIR}/{}", DATA_FILES[4]), false);
    loader.warn_unknown_data_files();
    let chapters = loader.chapters();
    let editions = loader.editions();

    match (config, charter, organization, commitments, contacts) {
        (
            Some((config, config_file)),
            Some(charter),
            Some(organization),
            Some(commitments),
            Some(contacts),
        ) if !loader.diagnostics.has_errors() => Ok((
            Project {
                root: loader.root,
                sources: loader.sources,
                config,
                config_file,
                charter,
                chapters,
                organization,
                commitments,
                contacts,
                stakeholders,
                channels,
                editions,
            },
            loader.diagnostics,
        )),
        _ => Err((loader.sources, loader.diagnostics)),
    }
}

struct Loader {
    root: PathBuf,
    sources: SourceMap,
    diagnostics: Diagnostics,
}

impl Loader {
    /// Reads a file as UTF-8 text and registers it. Missing optional files return `None` silently.
    fn read(&mut self, relative: &str, required: bool) -> Option<FileId> {
        let fetched = fetch(&self.root, relative, required);
        self.register(relative, fetched)
    }

    fn register(
        &mut self,
        relative: &str,
        fetched: Result<Option<String>, Diagnostic>,
    ) -> Option<FileId> {
        match fetched {
            Ok(Some(text)) => Some(self.sources.add(relative, text)),
            Ok(None) => None,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn data<T: DeserializeOwned>(&mut self, relative: &str, required: bool) -> Option<DataFile<T>> {
        let file = self.read(relative, required)?;
        match yaml::parse::<T>(self.sources.text(file), &self.sources, file, 0) {
            Ok(data) => Some(DataFile { file, data }),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// A misspelt data file name would otherwise be silently ignored.
    fn warn_unknown_data_files(&mut self) {
        let dir = self.root.join("content").join(DATA_DIR);
        for name in sorted_file_names(&dir) {
            if DATA_FILES.contains(&name.as_str()) {
                continue;
            }
            let mut diagnostic = Diagnostic::warning(
                "W113",
                format!("file sconosciuto content/{DATA_DIR}/{name}: non viene usato"),
            )
            .at_path(format!("content/{DATA_DIR}/{name}"));
            if let Some(close) = did_you_mean(&name, DATA_FILES) {
                diagnostic = diagnostic.with_hint(format!("forse intendevi {close}?"));
            }
            self.diagnostics.push(diagnostic);
        }
    }

    fn chapters(&mut self) -> Vec<Chapter> {
        let dir = self.root.join("content").join(CHAPTERS_DIR);
        if !dir.is_dir() {
            self.diagnostics.push(
                Diagnostic::error("E111", format!("manca la cartella content/{CHAPTERS_DIR}"))
                    .at_path(format!("content/{CHAPTERS_DIR}"))
                    .with_hint("crea la cartella con un file .md per capitolo"),
            );
            return Vec::new();
        }
        let names: Vec<String> = sorted_file_names(&dir)
            .into_iter()
            .filter(|name| name.ends_with(".md"))
            .collect();
        // Read in parallel, register in name order, parse in parallel: same result as one by one.
        let fetched: Vec<_> = names
            .par_iter()
            .map(|name| fetch(&self.root, &format!("content/{CHAPTERS_DIR}/{name}"), true))
            .collect();
        let files: Vec<(String, FileId)> = names
            .into_iter()
            .zip(fetched)
            .filter_map(|(name, fetched)| {
                let relative = format!("content/{CHAPTERS_DIR}/{name}");
                self.register(&relative, fetched).map(|file| (name, file))
            })
            .collect();
        let sources = &self.sources;
        let parsed: Vec<Result<Chapter, Diagnostic>> = files
            .into_par_iter()
            .map(|(name, file)| parse_chapter(sources, name, file))
            .collect();
        let mut chapters = Vec::with_capacity(parsed.len());
        for result in parsed {
            match result {
                Ok(chapter) => chapters.push(chapter),
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        if chapters.is_empty() && !self.diagnostics.has_errors() {
            self.diagnostics.push(
                Diagnostic::error("E111", format!("nessun capitolo in content/{CHAPTERS_DIR}"))
                    .at_path(format!("content/{CHAPTERS_DIR}"))
                    .with_hint(
                        "aggiungi almeno un file .md con la sua intestazione (title, order)",
                    ),
            );
        }
        chapters.sort_by(|a, b| {
            (a.front.order.value, &a.file_name).cmp(&(b.front.order.value, &b.file_name))
        });
        chapters
    }
}

/// Splits a chapter file and parses its front matter.
fn parse_chapter(
    sources: &SourceMap,
    file_name: String,
    file: FileId,
) -> Result<Chapter, Diagnostic> {
    let split = front_matter::split(sources, file)?;
    let mut front = yaml::parse::<FrontMatter>(split.yaml, sources, file, split.yaml_line - 1)?;
    front.shift_lines(split.yaml_line - 1);
    let slug = front
        .slug
        .as_ref()
        .map(|slug| slug.value.clone())
        .unwrap_or_else(|| slug::slugify(&front.title));
    Ok(Chapter {
        file,
        file_name,
        front,
        slug,
        body_offset: split.body_offset,
    })
}

/// Reads `relative` under `root` as UTF-8 text (without a byte-order mark). `Ok(None)` for a
/// missing optional file. Touches no shared state, so chapters can be read in parallel.
fn fetch(root: &Path, relative: &str, required: bool) -> Result<Option<String>, Diagnostic> {
    match std::fs::read(root.join(relative)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(match text.strip_prefix('\u{feff}') {
                Some(stripped) => stripped.to_string(),
                None => text,
            })),
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
                Err(Diagnostic::error(
                    "E110",
                    format!("il file non è in UTF-8 (byte non valido alla riga {line})"),
                )
                .at_path(relative)
                .with_hint("salva il file con codifica UTF-8 (in molti editor: «Salva con codifica» → UTF-8)"))
            }
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if required {
                Err(
                    Diagnostic::error("E111", format!("manca il file {relative}"))
                        .at_path(relative)
                        .with_hint("crealo seguendo l'esempio in docs/content.md"),
                )
            } else {
                Ok(None)
            }
        }
        Err(error) => Err(Diagnostic::error(
            "E112",
            format!("impossibile leggere {relative}: {error}"),
        )
        .at_path(relative)),
    }
}

/// File names directly inside `dir`, sorted so every build sees them in the same order, without
/// editors' swap, backup and temporary files.
fn sorted_file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .filter(|name| !is_scratch_file(name))
        .collect();
    names.sort();
    names
}
