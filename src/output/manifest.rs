//! `manifest.json`: what the charter's publication is and every file it is made of, with its URL,
//! media type, size in bytes and SHA-256.
//!
//! [`describe`] takes the list of output files and the artifacts wanted among them, so whatever a
//! build produces (the site, the print edition, a PDF when one is built, the open data) can be listed
//! without this module knowing how it was made; artifacts whose file is not in the list are left out.
//! Sizes and hashes are computed from the exact bytes that will be written. The field names are
//! Italian and documented in `docs/transparency.md`.

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::open_data::{LicenceInfo, pack_failure};
use super::{
    ArtifactKind, ArtifactSpec, Cache, Contents, Facts, Failure, Input, Output, OutputFile, Product,
};
use crate::config::SiteSettings;
use crate::editions;
use crate::licence;
use crate::model::{Charter, Date};
use crate::render::editions::edition_url;
use crate::strings::LegalBasis;

/// `manifest.json`, listing every file the outputs before it declared, measured, then itself.
pub struct ManifestFile;

impl Output for ManifestFile {
    fn name(&self) -> &'static str {
        "manifest"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let config = &project.config;
        let charter = &project.charter.data;
        let updated = charter.last_updated.value;
        let folder = &strings.pack.slug;
        let failed = |message: String| Failure::Content(pack_failure(message));
        // Site, print edition, PDF, data, catalogue: by kind, in the order each was declared.
        let mut wanted = input.made.facts.listed.clone();
        wanted.sort_by_key(|spec| spec.kind.rank());
        let all: Vec<&OutputFile> = input.made.files.iter().collect();
        let mut artifacts =
            describe(&all, &wanted, &config.site).map_err(|error| failed(error.to_string()))?;
        let timeline = &cx.timeline;
        let Some(current) = timeline.last() else {
            return Err(failed("nessuna edizione in vigore".to_string()));
        };
        let manifest = Manifest {
            schema: SCHEMA,
            ente: EnteInfo {
                nome: config.ente.name.clone(),
                codice_ipa: config.ente.ipa_code.clone(),
                url: config.ente.url.clone(),
            },
            carta: CharterInfo {
                titolo: charter.title.clone(),
                ufficio: charter.office.clone(),
                edizione: charter.edition.clone(),
                url: config.site.base_url_slash(),
            },
            stato: if charter.is_draft() {
                "bozza"
            } else {
                "in_vigore"
            },
            in_vigore: current.in_force,
            atto_approvazione: approval_info(charter),
            data_pubblicazione: charter.published_date().map(|date| date.iso()),
            ultimo_aggiornamento: updated.iso(),
            prossima_revisione: charter.next_review.as_ref().map(|date| date.value.iso()),
            in_pubblicazione_fino_al: current.retention.map(|retention| retention.until.iso()),
            pubblicazione: current.retention.map(|retention| RetentionInfo {
                fino_al: retention.until.iso(),
                finche_in_vigore: retention.while_in_force,
                regola: strings.pack.retention_rule.clone(),
            }),
            sezione: strings.pack.section.clone(),
            base_giuridica: strings
                .pack
                .legal_basis
                .iter()
                .map(LegalBasisInfo::new)
                .collect(),
            licenza: LicenceInfo::new(licence::of_project(project)),
            file: artifacts.clone(),
            edizioni: edition_infos(timeline, config, strings),
        };
        let manifest_file = file(folder, &manifest).map_err(failed)?;
        let own = ArtifactSpec {
            path: format!("{folder}/{FILE_NAME}"),
            title: strings.pack.artifact_manifest.clone(),
            kind: ArtifactKind::Metadati,
            date: updated,
        };
        artifacts.extend(
            describe(&[&manifest_file], std::slice::from_ref(&own), &config.site)
                .map_err(|error| failed(error.to_string()))?,
        );
        Ok(Product {
            pages: Vec::new(),
            files: vec![manifest_file],
            facts: Facts {
                artifacts,
                ..Facts::default()
            },
        })
    }
}

/// Every edition, newest first, with its state and its page.
fn edition_infos(
    timeline: &[editions::EditionRef<'_>],
    config: &crate::config::SiteConfig,
    strings: &crate::strings::Strings,
) -> Vec<EditionInfo> {
    timeline
        .iter()
        .rev()
        .map(|edition| EditionInfo {
            edizione: edition.charter.edition.clone(),
            stato: if edition.draft {
                "bozza"
            } else if edition.in_force {
                "in_vigore"
            } else {
                "sostituita"
            },
            in_vigore: edition.in_force,
            atto_approvazione: approval_info(edition.charter),
            data_pubblicazione: edition.charter.published_date().map(|date| date.iso()),
            sostituita_dal: edition.superseded_on.map(|date| date.iso()),
            in_pubblicazione_fino_al: edition.retention.map(|retention| retention.until.iso()),
            url: config
                .site
                .absolute_url(&edition_url(strings, &edition.slug)),
        })
        .collect()
}

/// The approval act as the manifest writes it; none for a draft.
fn approval_info(charter: &Charter) -> Option<ApprovalInfo> {
    charter.approval.as_ref().map(|approval| ApprovalInfo {
        estremi: approval.act.value.clone(),
        data: approval.date.value.iso(),
    })
}

/// Version of the manifest's shape, written in the file.
pub(crate) const SCHEMA: &str = "carta-manifest/1";
pub(crate) const FILE_NAME: &str = "manifest.json";

/// An artifact found in the output, measured.
#[derive(Debug, Clone, Serialize)]
pub struct Artifact {
    #[serde(rename = "titolo")]
    pub(crate) title: String,
    #[serde(rename = "tipo")]
    pub(crate) kind: ArtifactKind,
    /// Absolute URL: `https://…/trasparenza/impegni.csv`; a page's URL is its folder.
    pub(crate) url: String,
    /// Root-relative URL inside the site, before the deployment path: `/trasparenza/impegni.csv`.
    #[serde(skip)]
    pub(crate) site_url: String,
    #[serde(rename = "percorso")]
    pub(crate) path: String,
    #[serde(rename = "formato")]
    pub(crate) format: &'static str,
    #[serde(rename = "tipo_media")]
    pub(crate) media_type: &'static str,
    #[serde(rename = "dimensione_byte")]
    pub(crate) size: u64,
    pub(crate) sha256: String,
    #[serde(rename = "data", serialize_with = "iso_date")]
    pub(crate) date: Date,
}

fn iso_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&date.iso())
}

/// Measures every wanted artifact present in `files`, in the order of `wanted`.
pub(crate) fn describe(
    files: &[&OutputFile],
    wanted: &[ArtifactSpec],
    site: &SiteSettings,
) -> std::io::Result<Vec<Artifact>> {
    let mut found = Vec::new();
    for spec in wanted {
        let Some(file) = files
            .iter()
            .find(|file| file.path.to_string_lossy().replace('\\', "/") == spec.path)
        else {
            continue;
        };
        let (size, sha256) = match &file.contents {
            Contents::Bytes(bytes) => (bytes.len() as u64, sha256_hex(bytes)),
            Contents::BuiltIn { bytes, .. } => (bytes.len() as u64, sha256_hex(bytes)),
            Contents::Staged {
                digest: Some(digest),
                ..
            } => (digest.bytes, digest.sha256.clone()),
            Contents::Copy(source) | Contents::Staged { path: source, .. } => {
                file_sha256_hex(source)?
            }
        };
        let (format, media_type) = media_type(&spec.path);
        let site_url = site_url(&spec.path);
        found.push(Artifact {
            title: spec.title.clone(),
            kind: spec.kind,
            url: site.absolute_url(&site_url),
            site_url,
            path: spec.path.clone(),
            format,
            media_type,
            size,
            sha256,
            date: spec.date,
        });
    }
    Ok(found)
}

/// `index.html` → `/`, `stampa/index.html` → `/stampa/`, `trasparenza/impegni.csv` → itself.
pub(crate) fn site_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

/// Format label and media type by file extension.
pub(crate) fn media_type(path: &str) -> (&'static str, &'static str) {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "html" => ("HTML", "text/html"),
        "csv" => ("CSV", "text/csv"),
        "json" => ("JSON", "application/json"),
        "jsonld" => ("JSON-LD", "application/ld+json"),
        "pdf" => ("PDF", "application/pdf"),
        "xml" => ("XML", "application/xml"),
        "txt" => ("TXT", "text/plain"),
        _ => ("", "application/octet-stream"),
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Size and SHA-256 of a file, as the manifest lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub(crate) bytes: u64,
    /// Lowercase hexadecimal.
    pub(crate) sha256: String,
}

/// Takes a [`Digest`] of a file while it is written piece by piece, so a large file need not be
/// read back to be listed.
#[derive(Default)]
pub(crate) struct Hasher {
    sha256: Sha256,
    bytes: u64,
}

impl Hasher {
    pub(crate) fn update(&mut self, piece: &[u8]) {
        self.sha256.update(piece);
        self.bytes += piece.len() as u64;
    }

    pub(crate) fn finish(self) -> Digest {
        Digest {
            bytes: self.bytes,
            sha256: hex(&self.sha256.finalize()),
        }
    }
}

/// Size and SHA-256 of a file on disk, read in pieces: the print edition of a long charter is tens
/// of megabytes, and holding it whole again only to hash it would cost that much memory.
fn file_sha256_hex(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let size = std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok((size, hex(&hasher.finalize())))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

// ---- The manifest's shape -------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Manifest {
    pub(crate) schema: &'static str,
    pub(crate) ente: EnteInfo,
    pub(crate) carta: CharterInfo,
    /// `in_vigore` for an approved edition, `bozza` for a draft.
    pub(crate) stato: &'static str,
    /// False for a draft: it is not in force.
    pub(crate) in_vigore: bool,
    /// None for a draft, as every date a draft does not have yet.
    pub(crate) atto_approvazione: Option<ApprovalInfo>,
    pub(crate) data_pubblicazione: Option<String>,
    pub(crate) ultimo_aggiornamento: String,
    pub(crate) prossima_revisione: Option<String>,
    /// Art. 8 c.3: last day of the minimum publication period.
    pub(crate) in_pubblicazione_fino_al: Option<String>,
    pub(crate) pubblicazione: Option<RetentionInfo>,
    /// Where in "Amministrazione trasparente" the charter belongs.
    pub(crate) sezione: String,
    pub(crate) base_giuridica: Vec<LegalBasisInfo>,
    pub(crate) licenza: LicenceInfo,
    pub(crate) file: Vec<Artifact>,
    pub(crate) edizioni: Vec<EditionInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnteInfo {
    pub(crate) nome: String,
    pub(crate) codice_ipa: Option<String>,
    /// `null` when the charter gives no website.
    pub(crate) url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CharterInfo {
    pub(crate) titolo: String,
    pub(crate) ufficio: String,
    pub(crate) edizione: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApprovalInfo {
    pub(crate) estremi: String,
    pub(crate) data: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RetentionInfo {
    pub(crate) fino_al: String,
    /// True for the edition in force: it also stays online while in force.
    pub(crate) finche_in_vigore: bool,
    pub(crate) regola: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LegalBasisInfo {
    pub(crate) riferimento: String,
    pub(crate) descrizione: String,
    pub(crate) url: String,
}

impl LegalBasisInfo {
    pub(crate) fn new(basis: &LegalBasis) -> Self {
        Self {
            riferimento: basis.reference.clone(),
            descrizione: basis.description.clone(),
            url: basis.url.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionInfo {
    pub(crate) edizione: String,
    /// `in_vigore`, `sostituita` or `bozza`.
    pub(crate) stato: &'static str,
    pub(crate) in_vigore: bool,
    pub(crate) atto_approvazione: Option<ApprovalInfo>,
    pub(crate) data_pubblicazione: Option<String>,
    pub(crate) sostituita_dal: Option<String>,
    pub(crate) in_pubblicazione_fino_al: Option<String>,
    pub(crate) url: String,
}

/// The manifest as a file in `folder`.
pub(crate) fn file(folder: &str, manifest: &Manifest) -> Result<OutputFile, String> {
    Ok(OutputFile {
        path: std::path::Path::new(folder).join(FILE_NAME),
        contents: Contents::Bytes(super::open_data::json_bytes(manifest)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_urls() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(site_url("index.html"), "/");
        assert_eq!(site_url("stampa/index.html"), "/stampa/");
        assert_eq!(site_url("carta.pdf"), "/carta.pdf");
        assert_eq!(media_type("carta.pdf"), ("PDF", "application/pdf"));
    }
}
