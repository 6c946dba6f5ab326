//! Load: reads `site.toml` and `content/` into the model, with every file registered for diagnostics.
//!
//! This is the only stage that reads the project's files. It reports every file that cannot be read
//! or parsed, then stops: later stages only ever see a complete [`Project`].

pub(crate) mod comments;
mod editions;
mod feedback;
mod front_matter;
mod results;
mod scratch;
pub(crate) mod yaml;

pub(crate) use scratch::is_scratch_file;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Chapter, DataFile, FrontMatter, Project};
use crate::slug;
use crate::source::{FileId, SourceMap};

/// Content files the loader knows, relative to `content/`.
pub(crate) const CHARTER_FILE: &str = "charter.yaml";
pub(crate) const DATA_DIR: &str = "data";
pub(crate) const CHAPTERS_DIR: &str = "chapters";
use crate::blocks::{self, DATA_FILES};

/// Loads the project rooted at `root`, with the warnings found on the way. On failure returns every
/// problem found.
pub fn load(root: &Path) -> Result<(Project, Diagnostics), (SourceMap, Diagnostics)> {
    let mut loader = Loader {
        root: root.to_path_buf(),
        real_root: root.canonicalize().ok(),
        sources: SourceMap::new(),
        diagnostics: Diagnostics::new(),
    };

    let site_toml = loader.read("site.toml", true);
    if let Some(refused) =
        site_toml.and_then(|file| crate::version::requirement(&loader.sources, file))
    {
        // Written for another carta: its other keys and files are not this carta's to judge.
        loader.diagnostics.push(refused);
        return Err((loader.sources, loader.diagnostics));
    }
    let config = site_toml.and_then(|file| {
        let controls = config::control_characters(&loader.sources, file);
        loader.diagnostics.extend(controls);
        config::parse(&loader.sources, file)
            .map_err(|diagnostic| loader.diagnostics.push(diagnostic))
            .ok()
            .map(|config| (config, file))
    });
    let charter = loader.data(&format!("content/{CHARTER_FILE}"), true);
    let organization = loader.data(
        &format!("content/{DATA_DIR}/{}", blocks::ORGANIGRAM.data_file),
        blocks::ORGANIGRAM.required,
    );
    let commitments = loader.data(
        &format!("content/{DATA_DIR}/{}", blocks::COMMITMENTS.data_file),
        blocks::COMMITMENTS.required,
    );
    let contacts = loader.data(
        &format!("content/{DATA_DIR}/{}", blocks::CONTACTS.data_file),
        blocks::CONTACTS.required,
    );
    let stakeholders = loader.data(
        &format!("content/{DATA_DIR}/{}", blocks::STAKEHOLDERS.data_file),
        blocks::STAKEHOLDERS.required,
    );
    let channels = loader.data(
        &format!("content/{DATA_DIR}/{}", blocks::CHANNELS.data_file),
        blocks::CHANNELS.required,
    );
    let mut results = loader.results();
    let feedback = loader.feedback();
    loader.survey_results(&mut results, feedback.as_ref());
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
                chapters: numbered(chapters, config.site.numbering),
                config,
                config_file,
                charter,
                organization,
                commitments,
                contacts,
                stakeholders,
                channels,
                results,
                feedback,
                editions,
            },
            loader.diagnostics,
        )),
        _ => Err((loader.sources, loader.diagnostics)),
    }
}

struct Loader {
    root: PathBuf,
    /// The project folder with links resolved, to refuse files that lead outside it.
    real_root: Option<PathBuf>,
    sources: SourceMap,
    diagnostics: Diagnostics,
}

impl Loader {
    /// Reads a file as UTF-8 text and registers it. Missing optional files return `None` silently.
    fn read(&mut self, relative: &str, required: bool) -> Option<FileId> {
        let fetched = fetch(&self.root, self.real_root.as_deref(), relative, required);
        self.register(relative, fetched)
    }

    fn register(&mut self, relative: &str, fetched: Fetched) -> Option<FileId> {
        match fetched {
            Fetched::Text(text) => Some(self.sources.add(relative, text)),
            Fetched::Missing => None,
            Fetched::Refused(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
            Fetched::NotUtf8 {
                shown,
                offset,
                line,
            } => {
                // Registered with the invalid bytes replaced, so the snippet points at the first one.
                let file = self.sources.add(relative, shown);
                self.diagnostics.push(
                    Diagnostic::error(
                        "E110",
                        format!("il file non è in UTF-8 (byte non valido alla riga {line})"),
                    )
                    .at_offset(&self.sources, file, offset, 1)
                    .with_hint("salva il file con codifica UTF-8 (in molti editor: «Salva con codifica» → UTF-8)"),
                );
                None
            }
        }
    }

    fn data<T: DeserializeOwned>(&mut self, relative: &str, required: bool) -> Option<DataFile<T>> {
        let file = self.read(relative, required)?;
        match yaml::parse::<T>(self.sources.text(file), &self.sources, file, 0) {
            Ok(data) => {
                let controls = yaml::control_characters(self.sources.text(file), file, 0);
                self.diagnostics.extend(controls);
                Some(DataFile { file, data })
            }
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
            if DATA_FILES.contains(&name.as_str())
                || name == results::CSV_FILE
                || name == feedback::FILE
            {
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
            .map(|name| {
                let relative = format!("content/{CHAPTERS_DIR}/{name}");
                fetch(&self.root, self.real_root.as_deref(), &relative, true)
            })
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
            .map(|(name, file)| chapter(sources, name, file))
            .collect();
        let mut chapters = Vec::with_capacity(parsed.len());
        for result in parsed {
            match result {
                Ok(chapter) => {
                    if let Ok(split) = front_matter::split(&self.sources, chapter.file) {
                        let controls =
                            yaml::control_characters(split.yaml, chapter.file, split.yaml_line - 1);
                        self.diagnostics.extend(controls);
                    }
                    chapters.push(chapter);
                }
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
        let order = |chapter: &Chapter| chapter.front.order.as_ref().map(|order| order.value);
        chapters.sort_by(|a, b| (order(a), &a.file_name).cmp(&(order(b), &b.file_name)));
        chapters
    }
}

/// The note for a charter that types its chapters' numbers (`number`) without carta's numbering:
/// it keeps working, and the numbers can go.
pub(crate) fn typed_numbers_note(project: &Project) -> Option<String> {
    if project.config.site.numbering {
        return None;
    }
    let typed = project
        .chapters
        .iter()
        .filter(|chapter| chapter.front.number.is_some())
        .count();
    (typed > 0).then(|| {
        format!(
            "{typed} capitoli su {} scrivono a mano il loro numero (`number`, e i titoli come «4.1 Reclami»): con `numbering = true` in [site] di site.toml i numeri li mette carta, le ancore restano valide e un capitolo nuovo è un solo file (docs/content.md § 5.7)",
            project.chapters.len()
        )
    })
}

/// With carta's numbering, each chapter's number is its place in the order (a `number` typed in
/// the front matter is not shown); without it, the typed numbers stay.
fn numbered(mut chapters: Vec<Chapter>, numbering: bool) -> Vec<Chapter> {
    if numbering {
        for (index, chapter) in chapters.iter_mut().enumerate() {
            chapter.front.number = Some((index + 1).to_string());
            chapter.front.numbered = true;
        }
    }
    chapters
}

/// Splits a registered chapter file into its parsed front matter and the offset of its body.
pub(crate) fn parse_chapter(
    sources: &SourceMap,
    file: FileId,
) -> Result<(FrontMatter, usize), Diagnostic> {
    let split = front_matter::split(sources, file)?;
    let mut front = yaml::parse::<FrontMatter>(split.yaml, sources, file, split.yaml_line - 1)?;
    front.shift_lines(split.yaml_line - 1);
    Ok((front, split.body_offset))
}

/// A chapter from its registered file.
fn chapter(sources: &SourceMap, file_name: String, file: FileId) -> Result<Chapter, Diagnostic> {
    let (front, body_offset) = parse_chapter(sources, file)?;
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
        body_offset,
    })
}

/// What reading one file gave.
enum Fetched {
    Text(String),
    /// An optional file that is not there.
    Missing,
    /// A file that is not there, too large, unreadable or outside the project.
    Refused(Diagnostic),
    /// Not UTF-8: the text with the invalid bytes replaced, the byte offset of the first one in it
    /// and its line.
    NotUtf8 {
        shown: String,
        offset: usize,
        line: usize,
    },
}

/// Largest content file carta reads: a charter chapter is a few dozen kilobytes.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads `relative` under `root`. Touches no shared state, so chapters can be read in parallel.
fn fetch(root: &Path, real_root: Option<&Path>, relative: &str, required: bool) -> Fetched {
    let path = root.join(relative);
    if let Some(diagnostic) = outside_project(real_root, &path, relative) {
        return Fetched::Refused(diagnostic);
    }
    match read_limited(&path) {
        Ok(bytes) => match decode_owned(bytes) {
            Ok(text) => Fetched::Text(text),
            Err((bytes, line)) => {
                // `bytes` is without its byte-order mark already.
                let valid = std::str::from_utf8(&bytes)
                    .err()
                    .map(|error| error.valid_up_to())
                    .unwrap_or(0);
                Fetched::NotUtf8 {
                    shown: String::from_utf8_lossy(&bytes).into_owned(),
                    // The valid prefix is unchanged by the lossy conversion.
                    offset: valid,
                    line,
                }
            }
        },
        Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => Fetched::Refused(
            Diagnostic::error(
                "E114",
                format!(
                    "il file {relative} è troppo grande (più di {} MB)",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .at_path(relative)
            .with_hint("un file di contenuto è testo: dividi il capitolo in più file o togli i dati incollati per errore"),
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if required {
                Fetched::Refused(
                    Diagnostic::error("E111", format!("manca il file {relative}"))
                        .at_path(relative)
                        .with_hint("crealo seguendo l'esempio in docs/content.md"),
                )
            } else {
                Fetched::Missing
            }
        }
        Err(error) => Fetched::Refused(
            Diagnostic::error("E112", format!(
                "impossibile leggere {relative}: {}",
                crate::os_error::italian(&error)
            ))
                .at_path(relative),
        ),
    }
}

/// A file that is, or sits behind, a symbolic link leading outside the project folder (or to
/// nothing) is refused: a copied charter must not publish files from elsewhere on the disk.
fn outside_project(real_root: Option<&Path>, path: &Path, relative: &str) -> Option<Diagnostic> {
    let root = real_root?;
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) => None,
        Ok(real) => Some(
            Diagnostic::error(
                "E115",
                format!(
                    "{relative} porta fuori dalla cartella del progetto ({})",
                    real.display()
                ),
            )
            .at_path(relative)
            .with_hint("copia il file dentro il progetto al posto del collegamento: carta legge solo i file del progetto"),
        ),
        Err(_) if is_link => Some(
            Diagnostic::error("E115", format!("{relative} è un collegamento a un file che non esiste"))
                .at_path(relative)
                .with_hint("sostituisci il collegamento con il file vero, oppure toglilo"),
        ),
        Err(_) => None,
    }
}

/// Reads a file, refusing one larger than [`MAX_FILE_BYTES`] without reading it all.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    // Sized from the file's length, so a chapter is read in one go rather than in growing steps;
    // the limit still holds if the file grows meanwhile.
    let expected = file.metadata().map(|meta| meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected.min(MAX_FILE_BYTES) as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::ErrorKind::FileTooLarge.into());
    }
    Ok(bytes)
}

/// [`decode`] taking the bytes, so valid UTF-8 (the usual case) becomes the text without a copy;
/// on failure, the bytes come back with the line.
fn decode_owned(mut bytes: Vec<u8>) -> Result<String, (Vec<u8>, usize)> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.into_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        (bytes, line)
    })
}

/// Decodes a file's bytes as UTF-8 without its byte-order mark; on failure, the 1-based line of
/// the first invalid byte.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, usize> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let valid = error.valid_up_to();
            Err(bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1)
        }
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
        // Links are listed too, so one that leads outside the project is reported, not skipped.
        .filter(|entry| entry.file_type().is_file() || entry.file_type().is_symlink())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .filter(|name| !is_scratch_file(name))
        .collect();
    names.sort();
    names
}
