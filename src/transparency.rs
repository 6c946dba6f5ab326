//! The transparency pack, assembled once the site's own files are final: open data (CSV and JSON),
//! the DCAT-AP_IT catalogue, `manifest.json`, the pack's pages and the fragment for the ente's CMS,
//! then `sitemap.xml` and `robots.txt` over every page.
//!
//! It comes last because the manifest measures the files it lists (the home page, the print edition,
//! a PDF when the build made one, the data), and the pack's pages show those measures. Each file is
//! made by its own module in [`crate::output`]; this module only decides what goes in the pack and in
//! which order. Nothing here reads or writes the disk, except files the build copies, to hash them.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::editions;
use crate::licence::{self, Licence};
use crate::model::{Date, Project};
use crate::output::OutputFile;
use crate::output::dcat::{self, Catalogue, Dataset};
use crate::output::manifest::{
    self, ApprovalInfo, Artifact, ArtifactKind, ArtifactSpec, CharterInfo, EditionInfo, EnteInfo,
    LegalBasisInfo, Manifest, RetentionInfo,
};
use crate::output::open_data::{self, Header, LicenceInfo, Words};
use crate::output::sitemap::{self, Entry};
use crate::render::view::{ApprovalView, DateView};
use crate::render::{self, Page, editions as edition_pages, pack};
use crate::slug;
use crate::theme::Theme;

/// What the pack adds to a build: pages still to rewrite, and finished files.
pub struct Pack {
    pub pages: Vec<Page>,
    pub files: Vec<OutputFile>,
}

/// The print edition's folder when the theme does not name one (`[print] slug`).
const DEFAULT_PRINT_SLUG: &str = "stampa";

/// Builds the pack from the project and the files the build has made so far.
pub fn assemble(
    project: &Project,
    theme: &Theme,
    site_files: &[OutputFile],
) -> Result<Pack, Diagnostics> {
    let failed = |message: String| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(pack::failure(message));
        diagnostics
    };
    let strings = &theme.strings;
    let config = &project.config;
    let charter = &project.charter.data;
    let folder = strings.pack.slug.clone();
    let licence: &Licence = licence::find(&config.open_data.licence).unwrap_or(&licence::KNOWN[0]);
    let words = Words {
        standards: &strings.standards,
        pack: &strings.pack,
    };
    let header = |edition: &str, updated: Date| Header {
        ente: config.ente.name.clone(),
        carta: charter.title.clone(),
        edizione: edition.to_string(),
        ultimo_aggiornamento: updated.iso(),
        fonte: config.site.base_url_slash(),
        licenza: LicenceInfo::new(licence),
    };
    let updated = charter.last_updated.value;

    // Open data of the edition in force, then of every edition at its stable address.
    let mut files = Vec::new();
    let current_header = header(&charter.edition, updated);
    files.extend(
        open_data::commitments_files(
            &folder,
            &current_header,
            &project.commitments.data,
            &project.organization.data,
            &words,
        )
        .map_err(failed)?,
    );
    files.extend(
        open_data::contacts_and_organization_files(
            &folder,
            &current_header,
            &project.contacts.data,
            &project.organization.data,
        )
        .map_err(failed)?,
    );
    let timeline = editions::timeline(project);
    for edition in &timeline {
        files.extend(
            open_data::commitments_files(
                &edition_pages::data_folder(strings, &edition.slug),
                &header(&edition.charter.edition, edition.charter.last_updated.value),
                edition.commitments,
                edition.organization,
                &words,
            )
            .map_err(failed)?,
        );
    }

    // Measure what the manifest lists: site, print edition, PDFs, data of the edition in force.
    let print_slug = theme
        .strings_value
        .pointer("/print/slug")
        .and_then(|value| value.as_str())
        .unwrap_or(DEFAULT_PRINT_SLUG);
    let mut wanted = vec![
        spec(
            "index.html",
            &strings.pack.artifact_site,
            ArtifactKind::Sito,
            updated,
        ),
        spec(
            &format!("{print_slug}/index.html"),
            &strings.pack.artifact_print,
            ArtifactKind::Stampa,
            updated,
        ),
    ];
    for file in site_files {
        let path = file.path.to_string_lossy().replace('\\', "/");
        if !path.contains('/') && path.ends_with(".pdf") {
            wanted.push(spec(
                &path,
                &strings.pack.artifact_pdf,
                ArtifactKind::Pdf,
                updated,
            ));
        }
    }
    let data_files = [
        (
            open_data::COMMITMENTS_CSV,
            &strings.pack.artifact_commitments_csv,
        ),
        (
            open_data::COMMITMENTS_JSON,
            &strings.pack.artifact_commitments_json,
        ),
        (open_data::CONTACTS_CSV, &strings.pack.artifact_contacts_csv),
        (
            open_data::CONTACTS_JSON,
            &strings.pack.artifact_contacts_json,
        ),
        (
            open_data::ORGANIZATION_CSV,
            &strings.pack.artifact_organization_csv,
        ),
        (
            open_data::ORGANIZATION_JSON,
            &strings.pack.artifact_organization_json,
        ),
    ];
    for (name, title) in data_files {
        wanted.push(spec(
            &format!("{folder}/{name}"),
            title,
            ArtifactKind::Dati,
            updated,
        ));
    }
    // References, not copies: the site's pages are the bulk of the output.
    let all: Vec<&OutputFile> = site_files.iter().chain(files.iter()).collect();
    let measure = |all: &[&OutputFile], wanted: &[ArtifactSpec]| {
        manifest::describe(all, wanted, &config.site).map_err(|error| failed(error.to_string()))
    };
    let mut artifacts = measure(&all, &wanted)?;
    drop(all);

    // The DCAT-AP_IT catalogue describes the data files, then is measured itself.
    let dcat_path = format!("{folder}/{}", dcat::FILE_NAME);
    let by_name = |name: &str| {
        artifacts
            .iter()
            .filter(|artifact| artifact.path.ends_with(&format!("/{name}")))
            .collect::<Vec<&Artifact>>()
    };
    let datasets_words = &strings.pack.datasets;
    let direction = &project.organization.data.direction;
    let local_id = format!(
        "carta-servizi-{}",
        slug::slugify(charter.office_short.as_deref().unwrap_or(&charter.office))
    );
    let catalogue = Catalogue {
        url: config.site.absolute_url(&dcat_path),
        title: datasets_words.catalogue_title.clone(),
        description: datasets_words.catalogue_description.clone(),
        homepage: config.site.base_url_slash(),
        landing_page: config.site.absolute_url(&pack::pack_url(strings)),
        ente_name: config.ente.name.clone(),
        ipa_code: config.ente.ipa_code.clone(),
        local_id,
        contact_name: charter.office.clone(),
        contact_email: direction
            .email
            .as_ref()
            .map(|email| email.value.clone())
            .or_else(|| {
                config
                    .footer
                    .get("report_inefficiency")
                    .and_then(|link| link.strip_prefix("mailto:"))
                    .map(str::to_string)
            }),
        licence,
        issued: charter.published_date(),
        modified: updated,
        keywords: vec![
            "carta dei servizi".to_string(),
            "standard di qualità".to_string(),
            config.ente.name.clone(),
        ],
        datasets: vec![
            Dataset {
                key: "impegni",
                title: datasets_words.commitments_title.clone(),
                description: datasets_words.commitments_description.clone(),
                distributions: [
                    by_name(open_data::COMMITMENTS_CSV),
                    by_name(open_data::COMMITMENTS_JSON),
                ]
                .concat(),
            },
            Dataset {
                key: "contatti",
                title: datasets_words.contacts_title.clone(),
                description: datasets_words.contacts_description.clone(),
                distributions: [
                    by_name(open_data::CONTACTS_CSV),
                    by_name(open_data::CONTACTS_JSON),
                ]
                .concat(),
            },
            Dataset {
                key: "organizzazione",
                title: datasets_words.organization_title.clone(),
                description: datasets_words.organization_description.clone(),
                distributions: [
                    by_name(open_data::ORGANIZATION_CSV),
                    by_name(open_data::ORGANIZATION_JSON),
                ]
                .concat(),
            },
        ],
    };
    let dcat_file = dcat::file(&folder, &catalogue).map_err(failed)?;
    let dcat_spec = spec(
        &dcat_path,
        &strings.pack.artifact_dcat,
        ArtifactKind::Metadati,
        updated,
    );
    artifacts.extend(measure(&[&dcat_file], std::slice::from_ref(&dcat_spec))?);
    files.push(dcat_file);

    // The manifest lists all of the above; the pack's pages list them and the manifest.
    let current = timeline
        .last()
        .expect("the edition in force is on the timeline");
    let manifest_data = Manifest {
        schema: manifest::SCHEMA,
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
        licenza: LicenceInfo::new(licence),
        file: artifacts.clone(),
        edizioni: timeline
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
                    .absolute_url(&edition_pages::edition_url(strings, &edition.slug)),
            })
            .collect(),
    };
    let manifest_file = manifest::file(&folder, &manifest_data).map_err(failed)?;
    let manifest_spec = spec(
        &format!("{folder}/{}", manifest::FILE_NAME),
        &strings.pack.artifact_manifest,
        ArtifactKind::Metadati,
        updated,
    );
    artifacts.extend(measure(
        &[&manifest_file],
        std::slice::from_ref(&manifest_spec),
    )?);
    files.push(manifest_file);

    let fragment_url = format!("{}{}", pack::pack_url(strings), pack::FRAGMENT_FILE);
    let view = pack::PackView {
        site_url: config.site.base_url_slash(),
        draft: charter.is_draft(),
        approval: ApprovalView::of(charter, strings),
        published: charter
            .published_date()
            .map(|date| DateView::new(date, strings)),
        last_updated: DateView::new(updated, strings),
        retention: current
            .retention
            .map(|retention| pack::RetentionView::new(retention, strings)),
        section: strings.pack.section.clone(),
        legal_basis: strings.pack.legal_basis.clone(),
        licence: pack::LicenceView::new(licence),
        artifacts: artifacts
            .iter()
            .map(|artifact| pack::ArtifactView::new(artifact, strings))
            .collect(),
        fragment_absolute_url: config.site.absolute_url(&fragment_url),
        fragment_url,
        preview_url: format!("{}{}", pack::pack_url(strings), pack::PREVIEW_FILE),
        fragment_code: String::new(),
    };
    let rendered = pack::render(project, theme, view, updated)?;
    files.push(OutputFile {
        path: std::path::Path::new(&folder).join(pack::FRAGMENT_FILE),
        contents: crate::output::Contents::Bytes(rendered.fragment.into_bytes()),
    });
    Ok(Pack {
        pages: rendered.pages,
        files,
    })
}

/// The approval act as the manifest writes it; none for a draft.
fn approval_info(charter: &crate::model::Charter) -> Option<ApprovalInfo> {
    charter.approval.as_ref().map(|approval| ApprovalInfo {
        estremi: approval.act.value.clone(),
        data: approval.date.value.iso(),
    })
}

fn spec(path: &str, title: &str, kind: ArtifactKind, date: Date) -> ArtifactSpec {
    ArtifactSpec {
        path: path.to_string(),
        title: title.to_string(),
        kind,
        date,
    }
}

/// `sitemap.xml` and `robots.txt` for every page among `files`, except `404.html` and the
/// fragment's preview, each dated by its last update.
pub fn sitemap(project: &Project, theme: &Theme, files: &[OutputFile]) -> Vec<OutputFile> {
    let strings = &theme.strings;
    let charter = &project.charter.data;
    let mut dates: BTreeMap<String, Date> = BTreeMap::new();
    for chapter in &project.chapters {
        if let Some(date) = &chapter.front.last_reviewed {
            dates.insert(render::chapter_url(chapter), date.value);
        }
    }
    for edition in editions::timeline(project) {
        let date = edition.charter.last_updated.value;
        dates.insert(edition_pages::edition_url(strings, &edition.slug), date);
        dates.insert(edition_pages::changes_url(strings, &edition.slug), date);
    }
    let preview = format!("{}/{}", strings.pack.slug, pack::PREVIEW_FILE);
    let entries = files
        .iter()
        .map(|file| file.path.to_string_lossy().replace('\\', "/"))
        .filter(|path| path.ends_with(".html") && path != "404.html" && *path != preview)
        .map(|path| {
            let url = manifest::site_url(&path);
            Entry {
                last_modified: dates
                    .get(&url)
                    .copied()
                    .unwrap_or(charter.last_updated.value),
                url,
            }
        })
        .collect();
    sitemap::files(&project.config.site.base_url_slash(), entries)
}
