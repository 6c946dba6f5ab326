//! Outputs: each artifact of a build is one module implementing [`Output`], and [`OUTPUTS`] lists
//! them in the order the build makes them. An output reads the charter's [`Context`] and what the
//! outputs before it made ([`Made`]), and returns its pages (which the build rewrites and writes),
//! its finished files and the [`Facts`] later outputs need — the print edition's place, the PDF's
//! size, the files the manifest lists — as typed values, never rediscovered from file names.
//!
//! Adding an artifact is one new module here and one line in [`OUTPUTS`]. [`write`](mod@write) puts the files
//! in a staging folder and swaps it in at once.

pub(crate) mod assets;
pub mod claims;
pub(crate) mod css_cache;
pub mod dcat;
pub(crate) mod editions;
pub(crate) mod feedback;
pub(crate) mod home;
pub(crate) mod legal_notes;
pub mod manifest;
pub mod open_data;
pub mod pack;
pub(crate) mod pages;
pub mod pdf;
pub(crate) mod print;
pub(crate) mod results;
pub(crate) mod services;
pub(crate) mod sitemap;
pub(crate) mod size;
pub(crate) mod stylesheet;
pub(crate) mod write;

use std::path::PathBuf;

use crate::css::Vocabulary;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::print::PrintInfo;
use crate::render::{self, Context, Page};
use manifest::Artifact;
use serde::Serialize;

use crate::model::Date;

/// Every artifact, in the order they are made: an output comes after those whose facts it reads
/// (the PDF after the print edition and the assets it is printed with, the home page after the
/// PDF it links, the manifest after every file it measures, the stylesheet after every page whose
/// elements it keeps, the sitemap last).
pub(crate) const OUTPUTS: &[&dyn Output] = &[
    &assets::Assets,
    &print::PrintEdition,
    &pages::Pages,
    &services::Services,
    &legal_notes::LegalNotes,
    &editions::Editions,
    &pdf::Pdf,
    &home::Home,
    &open_data::OpenData,
    &results::ResultsData,
    &feedback::FeedbackData,
    &dcat::Dcat,
    &manifest::ManifestFile,
    &pack::Pack,
    &stylesheet::Stylesheet,
    &sitemap::Sitemap,
];

/// One artifact of a build.
pub trait Output: Sync {
    /// Short name, for timings and messages.
    fn name(&self) -> &'static str;

    /// Whether the artifact is one of the site's pages that `carta check` looks at.
    fn is_site_pages(&self) -> bool {
        false
    }

    /// Makes the artifact.
    fn make(&self, input: &Input<'_>, cache: &mut Cache) -> Result<Product, Failure>;

    /// Where in the project the file at `path` it made is asked for (a chapter's page comes from
    /// the chapter), for a diagnostic about that file; `None` when it is the output's own.
    fn origin(&self, cx: &Context<'_>, path: &str) -> Option<claims::Origin> {
        let _ = (cx, path);
        None
    }
}

/// What an output reads.
pub struct Input<'a> {
    /// The charter's context, made once for every output.
    pub cx: &'a Context<'a>,
    /// What the outputs before this one made.
    pub made: &'a Made,
    /// What the build asked for besides the charter.
    pub settings: &'a Settings,
}

/// What the build asked for besides the charter.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Render the print edition to PDF with this engine (`carta build --pdf`).
    pub(crate) pdf: Option<crate::pdf::Engine>,
}

/// What outputs keep between runs (`carta serve`).
#[derive(Default)]
pub struct Cache {
    pub(crate) render: render::Cache,
    /// The Bootstrap Italia subset and the vocabulary it was made for.
    pub(crate) subset: Option<(Vocabulary, String)>,
}

/// What one output made.
#[derive(Default)]
pub struct Product {
    /// Pages still to rewrite.
    pub pages: Vec<Page>,
    /// Finished files.
    pub files: Vec<OutputFile>,
    /// What the outputs after this one need to know of it.
    pub facts: Facts,
}

/// Why an output made nothing.
pub enum Failure {
    /// Content or theme problems, reported with the others.
    Content(Diagnostics),
    /// A file the output needs could not be read; the output folder was not touched.
    Io(Diagnostic),
}

impl From<Diagnostics> for Failure {
    fn from(diagnostics: Diagnostics) -> Self {
        Failure::Content(diagnostics)
    }
}

/// What outputs tell the outputs after them.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Where the print edition is and what its PDF is called.
    pub print: Option<PrintInfo>,
    /// The PDF, when the build made one.
    pub pdf: Option<pdf::PdfFile>,
    /// Files the manifest lists, in the order outputs declared them.
    pub listed: Vec<ArtifactSpec>,
    /// The files of the pack, measured, the manifest last.
    pub artifacts: Vec<Artifact>,
}

impl Facts {
    fn absorb(&mut self, other: Facts) {
        self.print = other.print.or(self.print.take());
        self.pdf = other.pdf.or(self.pdf.take());
        self.listed.extend(other.listed);
        self.artifacts.extend(other.artifacts);
    }
}

/// What the outputs made so far.
#[derive(Default)]
pub struct Made {
    /// Every file, rewritten pages included.
    pub files: Vec<OutputFile>,
    pub(crate) facts: Facts,
    /// What the rewritten pages hold that a selector can name (when collected).
    pub(crate) vocabulary: Vocabulary,
}

impl Made {
    /// Adds what an output made; its pages were rewritten into `files` by the build.
    pub fn add(&mut self, files: Vec<OutputFile>, facts: Facts) {
        self.files.extend(files);
        self.facts.absorb(facts);
    }
}

/// One file of the output, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, e.g. `impegni/index.html`.
    pub path: PathBuf,
    /// What to write there.
    pub contents: Contents,
}

/// Generated bytes, or a file copied as it is (read only when written), or a file the build has
/// already written into its staging folder (see [`write::Staging`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// The file's bytes, made by the build.
    Bytes(Vec<u8>),
    /// The file to copy, as it is (a theme asset).
    Copy(PathBuf),
    /// A file of the theme built into carta, as it is: its path in the theme (for messages and
    /// the gate's rules by extension) and its bytes.
    BuiltIn {
        /// The file as messages show it (`themes/agid/static/css/carta.css`).
        source: PathBuf,
        /// Its bytes.
        bytes: std::borrow::Cow<'static, [u8]>,
    },
    /// Where the file is in the staging folder, to read it back (the manifest measures some), and
    /// its size and SHA-256 when they were taken as it was written.
    Staged {
        /// The file in the staging folder.
        path: PathBuf,
        /// Its size and SHA-256; `None` when they were not taken while writing.
        digest: Option<manifest::Digest>,
    },
}

/// The path of `file` with `/` separators.
pub(crate) fn path_text(file: &OutputFile) -> String {
    file.path.to_string_lossy().replace('\\', "/")
}

/// What an artifact is, for readers and for the manifest's `tipo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArtifactKind {
    /// The website (its home page).
    Sito,
    /// The print edition (one HTML document).
    Stampa,
    /// The print edition as a tagged PDF.
    Pdf,
    /// Open data.
    Dati,
    /// Descriptions of the data (DCAT-AP_IT) or of the publication.
    Metadati,
}

impl ArtifactKind {
    /// Where artifacts of this kind come in the manifest: the site first, the metadata last.
    pub(crate) fn rank(self) -> u8 {
        match self {
            ArtifactKind::Sito => 0,
            ArtifactKind::Stampa => 1,
            ArtifactKind::Pdf => 2,
            ArtifactKind::Dati => 3,
            ArtifactKind::Metadati => 4,
        }
    }

    /// The kind as the pack's templates and the manifest name it.
    pub(crate) fn word(self) -> &'static str {
        match self {
            ArtifactKind::Sito => "sito",
            ArtifactKind::Stampa => "stampa",
            ArtifactKind::Pdf => "pdf",
            ArtifactKind::Dati => "dati",
            ArtifactKind::Metadati => "metadati",
        }
    }
}

/// An artifact wanted in the list: its path in the output and how to present it.
#[derive(Debug, Clone)]
pub struct ArtifactSpec {
    /// Relative to the output folder, with `/`: `index.html`, `trasparenza/impegni.csv`.
    pub path: String,
    /// How the list names it (the manifest's `titolo`).
    pub title: String,
    /// What it is (the manifest's `tipo`).
    pub kind: ArtifactKind,
    /// Its date in the manifest (`data`); every output gives the charter's `last_updated`.
    pub date: Date,
}
