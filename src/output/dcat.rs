//! `dcat.jsonld`: the open data described in DCAT-AP_IT, the Italian profile of DCAT, as JSON-LD, so
//! an open data portal (a CKAN with DCAT-AP_IT harvesting, as the national catalogue uses) can
//! harvest the charter's data sets from its URL.
//!
//! One catalogue, one agent (the ente, identified by its IPA code), one contact point, one licence,
//! and one data set per group of files (commitments, results when the charter has them, contacts,
//! organization) with a distribution per
//! file carrying its format, media type, size and SHA-256. Written with `serde_json`.

use serde_json::{Value, json};

use super::manifest::{self, Artifact};
use super::open_data::{self, pack_failure};
use super::{ArtifactKind, ArtifactSpec};
use super::{Cache, Contents, Facts, Failure, Input, Output, OutputFile, Product};
use crate::licence::{self, Licence};
use crate::model::Date;
use crate::render::pack;
use crate::slug;
use crate::strings::DatasetWords;

/// The catalogue of the open data, measured as they are written.
pub struct Dcat;

impl Output for Dcat {
    fn name(&self) -> &'static str {
        "dcat"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let config = &project.config;
        let charter = &project.charter.data;
        let folder = &strings.pack.slug;
        let failed = |message: String| Failure::Content(pack_failure(message));
        // The data files the outputs before declared, measured.
        let data: Vec<ArtifactSpec> = input
            .made
            .facts
            .listed
            .iter()
            .filter(|spec| spec.kind == ArtifactKind::Dati)
            .cloned()
            .collect();
        let all: Vec<&OutputFile> = input.made.files.iter().collect();
        let artifacts = manifest::describe(&all, &data, &config.site)
            .map_err(|error| failed(error.to_string()))?;
        let words = &strings.pack.datasets;
        let path = format!("{folder}/{FILE_NAME}");
        let local_id = format!(
            "carta-servizi-{}",
            slug::slugify(charter.office_short.as_deref().unwrap_or(&charter.office))
        );
        let catalogue = Catalogue {
            url: config.site.absolute_url(&path),
            title: words.catalogue_title.clone(),
            description: words.catalogue_description.clone(),
            homepage: config.site.base_url_slash(),
            landing_page: config.site.absolute_url(&pack::pack_url(strings)),
            ente_name: config.ente.name.clone(),
            ipa_code: config.ente.ipa_code.clone(),
            local_id,
            contact_name: charter.office.clone(),
            contact_email: contact_email(project),
            licence: licence::of_project(project),
            issued: charter.published_date(),
            modified: charter.last_updated.value,
            keywords: vec![
                "carta dei servizi".to_string(),
                "standard di qualità".to_string(),
                config.ente.name.clone(),
            ],
            datasets: datasets(&strings.pack.datasets, &artifacts),
        };
        let file = file(folder, &catalogue).map_err(failed)?;
        let listed = vec![ArtifactSpec {
            path,
            title: strings.pack.artifact_dcat.clone(),
            kind: ArtifactKind::Metadati,
            date: charter.last_updated.value,
        }];
        Ok(Product {
            pages: Vec::new(),
            files: vec![file],
            facts: Facts {
                listed,
                ..Facts::default()
            },
        })
    }
}

/// The office's e-mail, or the inefficiency report's address when the direction has none.
fn contact_email(project: &crate::model::Project) -> Option<String> {
    project
        .organization
        .data
        .direction
        .email
        .as_ref()
        .map(|email| email.value.clone())
        .or_else(|| {
            project
                .config
                .footer
                .get("report_inefficiency")
                .and_then(|link| link.strip_prefix("mailto:"))
                .map(str::to_string)
        })
}

/// The three data sets, each with the measured files of its group.
fn datasets<'a>(words: &DatasetWords, artifacts: &'a [Artifact]) -> Vec<Dataset<'a>> {
    let by_name = |names: [&str; 2]| -> Vec<&Artifact> {
        artifacts
            .iter()
            .filter(|artifact| {
                names
                    .iter()
                    .any(|name| artifact.path.ends_with(&format!("/{name}")))
            })
            .collect()
    };
    vec![
        Dataset {
            key: "impegni",
            title: words.commitments_title.clone(),
            description: words.commitments_description.clone(),
            distributions: by_name([open_data::COMMITMENTS_CSV, open_data::COMMITMENTS_JSON]),
        },
        Dataset {
            key: "contatti",
            title: words.contacts_title.clone(),
            description: words.contacts_description.clone(),
            distributions: by_name([open_data::CONTACTS_CSV, open_data::CONTACTS_JSON]),
        },
        Dataset {
            key: "risultati",
            title: words.results_title.clone(),
            description: words.results_description.clone(),
            distributions: by_name([super::results::RESULTS_CSV, super::results::RESULTS_JSON]),
        },
        Dataset {
            key: "indagini",
            title: words.surveys_title.clone(),
            description: words.surveys_description.clone(),
            distributions: by_name([super::feedback::SURVEYS_CSV, super::feedback::SURVEYS_JSON]),
        },
        Dataset {
            key: "reclami",
            title: words.complaints_title.clone(),
            description: words.complaints_description.clone(),
            distributions: by_name([
                super::feedback::COMPLAINTS_CSV,
                super::feedback::COMPLAINTS_JSON,
            ]),
        },
        Dataset {
            key: "organizzazione",
            title: words.organization_title.clone(),
            description: words.organization_description.clone(),
            distributions: by_name([open_data::ORGANIZATION_CSV, open_data::ORGANIZATION_JSON]),
        },
    ]
    .into_iter()
    // A charter without results, surveys or complaints has none to describe; the other three
    // data sets every charter has.
    .filter(|dataset| !dataset.distributions.is_empty())
    .collect()
}

pub(crate) const FILE_NAME: &str = "dcat.jsonld";

const EU: &str = "http://publications.europa.eu/resource/authority/";

/// Everything the catalogue says.
pub(crate) struct Catalogue<'a> {
    /// Absolute URL of `dcat.jsonld` itself; node ids are fragments of it.
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) description: String,
    /// The site's home page.
    pub(crate) homepage: String,
    /// The page that presents the data (the transparency pack page).
    pub(crate) landing_page: String,
    pub(crate) ente_name: String,
    pub(crate) ipa_code: Option<String>,
    /// Short name used in data set identifiers, e.g. `carta-servizi-dsi`.
    pub(crate) local_id: String,
    pub(crate) contact_name: String,
    pub(crate) contact_email: Option<String>,
    pub(crate) licence: &'a Licence,
    /// The publication date; none for a draft, which is not published.
    pub(crate) issued: Option<Date>,
    pub(crate) modified: Date,
    pub(crate) keywords: Vec<String>,
    pub(crate) datasets: Vec<Dataset<'a>>,
}

pub(crate) struct Dataset<'a> {
    /// `impegni`, `contatti`, `organizzazione`: the fragment id and the identifier's suffix.
    pub(crate) key: &'static str,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) distributions: Vec<&'a Artifact>,
}

pub(crate) fn file(folder: &str, catalogue: &Catalogue<'_>) -> Result<OutputFile, String> {
    let mut bytes =
        serde_json::to_vec_pretty(&graph(catalogue)).map_err(|error| error.to_string())?;
    bytes.push(b'\n');
    Ok(OutputFile {
        path: std::path::Path::new(folder).join(FILE_NAME),
        contents: Contents::Bytes(bytes),
    })
}

fn it(text: &str) -> Value {
    json!({ "@language": "it", "@value": text })
}

/// A node without the keys whose value is missing (a draft's issue date).
fn without_nulls(mut node: Value) -> Value {
    if let Some(map) = node.as_object_mut() {
        map.retain(|_, value| !value.is_null());
    }
    node
}

fn date(date: Date) -> Value {
    json!({ "@type": "xsd:date", "@value": date.iso() })
}

fn id(uri: &str) -> Value {
    json!({ "@id": uri })
}

/// The JSON-LD document.
pub(crate) fn graph(catalogue: &Catalogue<'_>) -> Value {
    let node = |fragment: &str| format!("{}#{fragment}", catalogue.url);
    let agent = node("ente");
    let contact = node("contatto");
    let licence = catalogue.licence;
    let mut nodes = Vec::new();
    nodes.push(without_nulls(json!({
        "@id": node("catalogo"),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": it(&catalogue.title),
        "dct:description": it(&catalogue.description),
        "dct:publisher": id(&agent),
        "dct:issued": catalogue.issued.map(date),
        "dct:modified": date(catalogue.modified),
        "dct:language": id(&format!("{EU}language/ITA")),
        "foaf:homepage": id(&catalogue.homepage),
        "dcat:themeTaxonomy": id(&format!("{EU}data-theme")),
        "dcat:dataset": catalogue
            .datasets
            .iter()
            .map(|dataset| id(&node(dataset.key)))
            .collect::<Vec<_>>(),
    })));
    let mut agent_node = json!({
        "@id": agent,
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": it(&catalogue.ente_name),
    });
    if let Some(code) = &catalogue.ipa_code {
        agent_node["dct:identifier"] = json!(code);
    }
    nodes.push(agent_node);
    let mut contact_node = json!({
        "@id": contact,
        "@type": ["vcard:Organization", "vcard:Kind", "dcatapit:Organization"],
        "vcard:fn": it(&catalogue.contact_name),
    });
    if let Some(email) = &catalogue.contact_email {
        contact_node["vcard:hasEmail"] = id(&format!("mailto:{email}"));
    }
    nodes.push(contact_node);
    nodes.push(json!({
        "@id": licence.vocabulary_uri,
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "foaf:name": it(licence.name),
        "dct:type": id(if licence.id == "CC0-1.0" {
            "http://purl.org/adms/licencetype/PublicDomain"
        } else {
            "http://purl.org/adms/licencetype/Attribution"
        }),
        "rdfs:seeAlso": id(licence.url),
    }));
    for dataset in &catalogue.datasets {
        nodes.extend(dataset_nodes(catalogue, dataset, &agent, &contact));
    }
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "spdx": "http://spdx.org/rdf/terms#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": nodes,
    })
}

/// A data set's node and one node per distribution.
fn dataset_nodes(
    catalogue: &Catalogue<'_>,
    dataset: &Dataset<'_>,
    agent: &str,
    contact: &str,
) -> Vec<Value> {
    let node = |fragment: &str| format!("{}#{fragment}", catalogue.url);
    let licence = catalogue.licence;
    let mut nodes = Vec::new();
    let identifier = match &catalogue.ipa_code {
        Some(code) => format!("{code}:{}-{}", catalogue.local_id, dataset.key),
        None => node(dataset.key),
    };
    nodes.push(without_nulls(json!({
        "@id": node(dataset.key),
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": identifier,
        "dct:title": it(&dataset.title),
        "dct:description": it(&dataset.description),
        "dct:issued": catalogue.issued.map(date),
        "dct:modified": date(catalogue.modified),
        "dct:language": id(&format!("{EU}language/ITA")),
        "dcat:theme": id(&format!("{EU}data-theme/GOVE")),
        "dct:accrualPeriodicity": id(&format!("{EU}frequency/ANNUAL")),
        "dct:publisher": id(agent),
        "dct:rightsHolder": id(agent),
        "dcat:contactPoint": id(contact),
        "dcat:landingPage": id(&catalogue.landing_page),
        "dcat:keyword": catalogue.keywords.iter().map(|k| it(k)).collect::<Vec<_>>(),
        "dcat:distribution": dataset
            .distributions
            .iter()
            .map(|artifact| id(&node(&distribution_id(artifact))))
            .collect::<Vec<_>>(),
    })));
    for artifact in &dataset.distributions {
        nodes.push(json!({
            "@id": node(&distribution_id(artifact)),
            "@type": ["dcat:Distribution", "dcatapit:Distribution"],
            "dct:title": it(&format!("{} ({})", artifact.title, artifact.format)),
            "dct:format": id(&format!("{EU}file-type/{}", artifact.format)),
            "dcat:mediaType": artifact.media_type,
            "dcat:accessURL": id(&artifact.url),
            "dcat:downloadURL": id(&artifact.url),
            "dct:license": id(licence.vocabulary_uri),
            "dct:modified": date(artifact.date),
            "dcat:byteSize": { "@type": "xsd:decimal", "@value": artifact.size.to_string() },
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": id("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
                "spdx:checksumValue": artifact.sha256,
            },
        }));
    }
    nodes
}

/// `impegni.csv` → `impegni-csv`.
fn distribution_id(artifact: &Artifact) -> String {
    artifact
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&artifact.path)
        .replace('.', "-")
}
