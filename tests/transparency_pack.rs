//! The transparency pack: open data checked against the YAML they come from, the manifest checked
//! against the files it lists, the retention date, the pack's page, the fragment and its preview,
//! the DCAT-AP_IT catalogue, schema.org metadata, the sitemap and the publishing options.

mod common;

use std::path::Path;

use common::{Project, Site, select_all, select_in, single, text_of};
use serde_json::Value;
use sha2::{Digest, Sha256};

const BASE: &str = "https://cartaservizi.comune.fi.it/";

fn yaml(project: &Project, relative: &str) -> Value {
    serde_saphyr::from_str(&project.read(relative)).expect("the content's YAML parses")
}

fn json(site: &Site, relative: &str) -> Value {
    serde_json::from_slice(&std::fs::read(site.dir.join(relative)).unwrap())
        .unwrap_or_else(|error| panic!("{relative} is JSON: {error}"))
}

fn csv_records(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let records = reader.records().map(Result::unwrap).collect();
    (headers, records)
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A YAML number as the CSV writes it: 85, 99.6.
fn number(value: &Value) -> String {
    let float = value.as_f64().unwrap();
    if float.fract() == 0.0 {
        format!("{}", float as i64)
    } else {
        format!("{float}")
    }
}

#[test]
fn commitments_open_data_match_the_yaml_row_by_row() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let source = yaml(&project, "content/data/commitments.yaml");
    let commitments = source["commitments"].as_array().unwrap();
    let organization = yaml(&project, "content/data/organization.yaml");
    let mut unit_names = std::collections::BTreeMap::new();
    let direction = &organization["direction"];
    unit_names.insert(
        direction["id"].as_str().unwrap(),
        direction["name"].as_str().unwrap(),
    );
    for service in organization["services"].as_array().unwrap() {
        unit_names.insert(
            service["id"].as_str().unwrap(),
            service["name"].as_str().unwrap(),
        );
        for unit in service["units"].as_array().into_iter().flatten() {
            unit_names.insert(unit["id"].as_str().unwrap(), unit["name"].as_str().unwrap());
        }
    }

    // CSV: one row per standard, in order, with the YAML's numbers.
    let raw = std::fs::read(site.dir.join("trasparenza/impegni.csv")).unwrap();
    assert!(
        !raw.starts_with(b"\xef\xbb\xbf"),
        "UTF-8 without byte order mark"
    );
    assert!(raw.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    let (headers, records) = csv_records(&site.dir.join("trasparenza/impegni.csv"));
    let column = |name: &str| {
        headers
            .iter()
            .position(|header| header == name)
            .unwrap_or_else(|| panic!("column {name} in {headers:?}"))
    };
    let expected_rows: usize = commitments
        .iter()
        .map(|c| c["standards"].as_array().unwrap().len())
        .sum();
    assert_eq!(records.len(), expected_rows, "one row per standard");
    assert_eq!(expected_rows, 29);
    let mut rows = records.iter();
    for (index, commitment) in commitments.iter().enumerate() {
        let users: Vec<&str> = commitment["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        let responsible: Vec<&str> = commitment["responsible"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        for standard in commitment["standards"].as_array().unwrap() {
            let row = rows.next().unwrap();
            assert_eq!(&row[column("numero")], (index + 1).to_string());
            assert_eq!(
                &row[column("id_impegno")],
                commitment["id"].as_str().unwrap()
            );
            assert_eq!(
                &row[column("servizio")],
                commitment["service"].as_str().unwrap()
            );
            assert_eq!(&row[column("utenti")], users.join("; "));
            assert_eq!(
                &row[column("id_struttura_responsabile")],
                responsible.join("; ")
            );
            let names: Vec<&str> = responsible.iter().map(|id| unit_names[id]).collect();
            assert_eq!(&row[column("struttura_responsabile")], names.join("; "));
            assert_eq!(&row[column("stato")], "defined");
            if let Some(target) = standard.get("target") {
                // The full form: its own id, dimension, indicator and typed target.
                assert_eq!(&row[column("tipo_standard")], "", "not a short form");
                assert_eq!(
                    &row[column("id_standard")],
                    standard["id"].as_str().unwrap()
                );
                assert_eq!(
                    &row[column("indicatore")],
                    standard["indicator"].as_str().unwrap()
                );
                let dimension = standard["dimension"].as_str().unwrap().replace('à', "a");
                assert_eq!(&row[column("dimensione")], dimension);
                let target = target.as_object().unwrap();
                let (comparator, value) = target
                    .iter()
                    .find(|(key, _)| !matches!(key.as_str(), "unit" | "per"))
                    .unwrap();
                assert_eq!(&row[column("tipo_valore")], "measure");
                assert_eq!(&row[column("comparatore")], comparator.as_str());
                assert_eq!(&row[column("valore")], number(value));
                assert_eq!(&row[column("unita")], target["unit"].as_str().unwrap());
                assert_eq!(
                    &row[column("periodo")],
                    target.get("per").and_then(Value::as_str).unwrap_or("")
                );
                assert_eq!(&row[column("giorni")], "");
                assert_eq!(&row[column("disponibilita_percentuale")], "");
                assert_eq!(&row[column("nota_standard")], "");
                continue;
            }
            let (kind, numbers) = match standard {
                Value::String(kind) => (kind.as_str(), None),
                Value::Object(map) => {
                    let (kind, value) = map.iter().next().unwrap();
                    (kind.as_str(), value.as_object())
                }
                other => panic!("unexpected standard {other:?}"),
            };
            assert_eq!(&row[column("tipo_standard")], kind);
            assert_eq!(&row[column("id_standard")], kind.replace('_', "-"));
            let field = |name: &str| {
                numbers
                    .and_then(|n| n.get(name))
                    .map(number)
                    .unwrap_or_default()
            };
            match kind {
                "take_charge" | "response" => {
                    assert_eq!(&row[column("giorni")], field("days"));
                    assert_eq!(&row[column("percentuale_casi")], field("percent"));
                    assert_eq!(&row[column("disponibilita_percentuale")], "");
                    assert_eq!(&row[column("dimensione")], "tempestivita");
                    assert_eq!(&row[column("comparatore")], "within");
                    assert_eq!(&row[column("valore")], field("days"));
                    assert_eq!(&row[column("unita")], "days");
                    assert_eq!(&row[column("tipologia")], "general");
                }
                "availability" => {
                    assert_eq!(&row[column("giorni")], "");
                    assert_eq!(&row[column("disponibilita_percentuale")], field("percent"));
                    assert_eq!(&row[column("comparatore")], "above");
                    assert_eq!(&row[column("valore")], field("percent"));
                    assert_eq!(&row[column("unita")], "percent");
                    assert_eq!(&row[column("periodo")], "year");
                }
                _ => {
                    assert_eq!(&row[column("giorni")], "");
                    assert_eq!(&row[column("percentuale_casi")], "");
                    assert_eq!(&row[column("valore")], "");
                    assert_eq!(&row[column("tipo_valore")], kind);
                }
            }
            assert_eq!(
                &row[column("nota_standard")],
                numbers
                    .and_then(|n| n.get("note"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            );
        }
    }
    assert!(rows.next().is_none());
    // Accents survive the round trip.
    let all: String = records
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join("|"))
        .collect();
    for accented in [
        "Connettività Fi-Net",
        "università",
        "città",
        "Disponibilità annua",
        "Disponibilità superiore al 99,6% annuo",
        "Servizio di tipo «best effort»",
        "Architettura IT dell'Ente",
    ] {
        assert!(all.contains(accented), "{accented} intact in the CSV");
    }

    // JSON: the same commitments, nested, with numbers as numbers.
    let data = json(&site, "trasparenza/impegni.json");
    assert_eq!(data["ente"], "Comune di Firenze");
    assert_eq!(data["edizione"], "2025");
    assert_eq!(data["licenza"]["id"], "CC-BY-4.0");
    let items = data["impegni"].as_array().unwrap();
    assert_eq!(items.len(), commitments.len());
    for (item, commitment) in items.iter().zip(commitments) {
        assert_eq!(item["id"], commitment["id"]);
        assert_eq!(item["servizio"], commitment["service"]);
        assert_eq!(item["utenti"], commitment["users"]);
        let standards = commitment["standards"].as_array().unwrap();
        let written = item["standard"].as_array().unwrap();
        assert_eq!(written.len(), standards.len());
        for (written, standard) in written.iter().zip(standards) {
            if let Some(target) = standard.get("target") {
                assert_eq!(written["tipo"], Value::Null);
                assert_eq!(written["id"], standard["id"]);
                assert_eq!(written["indicatore"], standard["indicator"]);
                let target = target.as_object().unwrap();
                let (comparator, value) = target
                    .iter()
                    .find(|(key, _)| !matches!(key.as_str(), "unit" | "per"))
                    .unwrap();
                assert_eq!(written["comparatore"], comparator.as_str());
                assert_eq!(written["valore"].as_f64(), value.as_f64());
                assert_eq!(written["unita"], target["unit"]);
                assert!(written["giorni"].is_null());
                continue;
            }
            if let Value::Object(map) = standard {
                let (kind, numbers) = map.iter().next().unwrap();
                assert_eq!(written["tipo"], kind.as_str());
                if let Some(days) = numbers.get("days") {
                    assert_eq!(written["giorni"], *days);
                    assert_eq!(
                        written["percentuale_casi"].as_f64(),
                        numbers["percent"].as_f64()
                    );
                } else {
                    assert_eq!(
                        written["disponibilita_percentuale"].as_f64(),
                        numbers["percent"].as_f64()
                    );
                }
            }
        }
    }
}

#[test]
fn contacts_and_organization_open_data_match_the_yaml() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let contacts = yaml(&project, "content/data/contacts.yaml");
    let organization = yaml(&project, "content/data/organization.yaml");
    let processes = contacts["processes"].as_array().unwrap();
    let others = contacts["other"].as_array().map(Vec::len).unwrap_or(0);
    let phones = contacts["phones"].as_array().map(Vec::len).unwrap_or(0);

    let (headers, records) = csv_records(&site.dir.join("trasparenza/contatti.csv"));
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(records.len(), processes.len() + others + phones + 1);
    for (row, process) in records.iter().zip(processes) {
        assert_eq!(&row[column("tipo")], "processo");
        assert_eq!(&row[column("nome")], process["process"].as_str().unwrap());
        assert_eq!(
            &row[column("descrizione")],
            process["competences"].as_str().unwrap()
        );
        assert_eq!(
            &row[column("id_responsabile")],
            process["responsible"].as_str().unwrap()
        );
        let emails: Vec<&str> = process["emails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        assert_eq!(&row[column("email")], emails.join("; "));
    }
    let data = json(&site, "trasparenza/contatti.json");
    assert_eq!(data["processi"].as_array().unwrap().len(), processes.len());
    assert_eq!(data["sede"]["via"], contacts["address"]["street"]);

    let people = organization["people"].as_array().unwrap();
    let data = json(&site, "trasparenza/organizzazione.json");
    let names: Vec<&str> = data["persone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["nome"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = people.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, expected);
    assert!(names.contains(&"Nicolò Galia"), "accents intact in JSON");
    let services = organization["services"].as_array().unwrap();
    let units: usize = 1
        + services.len()
        + services
            .iter()
            .map(|s| s["units"].as_array().map(Vec::len).unwrap_or(0))
            .sum::<usize>();
    let (headers, records) = csv_records(&site.dir.join("trasparenza/organizzazione.csv"));
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(records.len(), units, "one row per unit");
    assert_eq!(&records[0][column("livello")], "direzione");
    assert_eq!(
        &records[0][column("id")],
        organization["direction"]["id"].as_str().unwrap()
    );
    assert_eq!(
        &records[1][column("id_superiore")],
        organization["direction"]["id"].as_str().unwrap()
    );
    let csv_text =
        std::fs::read_to_string(site.dir.join("trasparenza/organizzazione.csv")).unwrap();
    assert!(csv_text.contains("Nicolò Galia"));
}

#[test]
fn manifest_lists_every_artifact_with_size_and_sha256_of_the_written_file() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let manifest = json(&site, "trasparenza/manifest.json");
    assert_eq!(manifest["schema"], "carta-manifest/1");
    assert_eq!(manifest["carta"]["edizione"], "2025");
    assert_eq!(manifest["atto_approvazione"]["estremi"], "DD 2025/4073");
    assert_eq!(manifest["atto_approvazione"]["data"], "2025-06-03");
    assert_eq!(manifest["data_pubblicazione"], "2025-06-03");
    assert_eq!(manifest["ultimo_aggiornamento"], "2025-06-03");
    assert_eq!(manifest["in_pubblicazione_fino_al"], "2030-12-31");
    assert_eq!(manifest["pubblicazione"]["finche_in_vigore"], true);
    assert_eq!(manifest["ente"]["codice_ipa"], "c_d612");
    let references: Vec<&str> = manifest["base_giuridica"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["riferimento"].as_str().unwrap())
        .collect();
    assert!(references.iter().any(|r| r.starts_with("Art. 32, comma 1")));
    assert!(references.iter().any(|r| r.starts_with("Art. 9, comma 1")));
    assert!(references.iter().any(|r| r.starts_with("Art. 8, comma 3")));

    let files = manifest["file"].as_array().unwrap();
    let paths: Vec<&str> = files
        .iter()
        .map(|f| f["percorso"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "index.html",
            "stampa/index.html",
            "trasparenza/impegni.csv",
            "trasparenza/impegni.json",
            "trasparenza/contatti.csv",
            "trasparenza/contatti.json",
            "trasparenza/organizzazione.csv",
            "trasparenza/organizzazione.json",
            "trasparenza/dcat.jsonld",
        ],
        "the home page, the print edition, the data and the catalogue; no PDF in this build"
    );
    for file in files {
        let path = file["percorso"].as_str().unwrap();
        let bytes = std::fs::read(site.dir.join(path)).unwrap();
        assert_eq!(
            file["dimensione_byte"].as_u64(),
            Some(bytes.len() as u64),
            "{path}"
        );
        assert_eq!(
            file["sha256"].as_str(),
            Some(sha256(&bytes).as_str()),
            "{path}"
        );
        let url = file["url"].as_str().unwrap();
        assert_eq!(
            url,
            format!("{BASE}{}", path.trim_end_matches("index.html"))
        );
        let media = file["tipo_media"].as_str().unwrap();
        let expected = match path.rsplit('.').next().unwrap() {
            "html" => "text/html",
            "csv" => "text/csv",
            "json" => "application/json",
            "jsonld" => "application/ld+json",
            other => panic!("unexpected {other}"),
        };
        assert_eq!(media, expected, "{path}");
        assert_eq!(file["data"], "2025-06-03");
    }
}

#[test]
fn print_edition_and_pdf_are_listed_when_the_build_has_them() {
    use carta::output::{ArtifactKind, ArtifactSpec};
    use carta::output::{Contents, Facts, Input, Made, Output, OutputFile, Settings};

    let project = Project::default_copy();
    let (mut loaded, _) = carta::load::load(project.root()).unwrap_or_else(|_| panic!("loads"));
    let theme = carta::theme::load(
        project.root(),
        "agid",
        carta::theme::StylesheetMode::Fallback,
        &mut loaded.sources,
    )
    .unwrap_or_else(|_| panic!("the theme loads"));
    let mut render_cache = carta::render::Cache::default();
    let (cx, _) = carta::render::Context::new(&loaded, &theme, &mut render_cache)
        .unwrap_or_else(|_| panic!("renders"));
    let pdf = b"%PDF-1.7 not really a PDF".to_vec();
    let print = b"<!DOCTYPE html><title>Stampa</title>".to_vec();
    let files = vec![
        OutputFile {
            path: "index.html".into(),
            contents: Contents::Bytes(b"<!DOCTYPE html><title>Home</title>".to_vec()),
        },
        OutputFile {
            path: "stampa/index.html".into(),
            contents: Contents::Bytes(print.clone()),
        },
        OutputFile {
            path: "carta-dei-servizi.pdf".into(),
            contents: Contents::Bytes(pdf.clone()),
        },
    ];
    // What the site, print edition and PDF outputs declare to the pack.
    let date = loaded.charter.data.last_updated.value;
    let listed = [
        ("index.html", ArtifactKind::Sito),
        ("stampa/index.html", ArtifactKind::Stampa),
        ("carta-dei-servizi.pdf", ArtifactKind::Pdf),
    ]
    .into_iter()
    .map(|(path, kind)| ArtifactSpec {
        path: path.to_string(),
        title: path.to_string(),
        kind,
        date,
    })
    .collect();
    let mut made = Made::default();
    made.add(
        files,
        Facts {
            listed,
            ..Facts::default()
        },
    );
    let mut cache = carta::output::Cache::default();
    let mut pack_pages = Vec::new();
    let pack_outputs: [&dyn Output; 4] = [
        &carta::output::open_data::OpenData,
        &carta::output::dcat::Dcat,
        &carta::output::manifest::ManifestFile,
        &carta::output::pack::Pack,
    ];
    for output in pack_outputs {
        let input = Input {
            cx: &cx,
            made: &made,
            settings: &Settings::default(),
        };
        let product = output
            .make(&input, &mut cache)
            .unwrap_or_else(|_| panic!("the pack assembles"));
        pack_pages.extend(product.pages);
        made.add(product.files, product.facts);
    }
    let manifest = made
        .files
        .iter()
        .find(|file| file.path == Path::new("trasparenza/manifest.json"))
        .expect("a manifest");
    let Contents::Bytes(bytes) = &manifest.contents else {
        panic!("generated")
    };
    let manifest: Value = serde_json::from_slice(bytes).unwrap();
    let listed: Vec<(&str, &str, u64, &str)> = manifest["file"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["percorso"].as_str().unwrap(),
                f["tipo"].as_str().unwrap(),
                f["dimensione_byte"].as_u64().unwrap(),
                f["sha256"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed[1].0, "stampa/index.html");
    assert_eq!(listed[1].1, "stampa");
    assert_eq!(listed[1].2, print.len() as u64);
    assert_eq!(listed[1].3, sha256(&print));
    assert_eq!(listed[2].0, "carta-dei-servizi.pdf");
    assert_eq!(listed[2].1, "pdf");
    assert_eq!(listed[2].3, sha256(&pdf));
    let pdf_entry = &manifest["file"][2];
    assert_eq!(pdf_entry["tipo_media"], "application/pdf");
    assert_eq!(pdf_entry["url"], format!("{BASE}carta-dei-servizi.pdf"));
    // The page lists them too.
    let page = &pack_pages[0].html;
    assert!(page.contains("href=\"/carta-dei-servizi.pdf\""));
    assert!(page.contains("href=\"/stampa/\""));
}

#[test]
fn retention_follows_the_publication_date() {
    // (published, expected "in pubblicazione fino al")
    let cases = [
        ("2025-06-03", "2030-12-31", "31 dicembre 2030"),
        ("2025-12-31", "2030-12-31", "31 dicembre 2030"),
        ("2026-01-01", "2031-12-31", "31 dicembre 2031"),
    ];
    for (published, iso, text) in cases {
        let project = Project::default_copy();
        project.replace(
            "content/charter.yaml",
            "published: 2025-06-03",
            &format!("published: {published}"),
        );
        project.replace(
            "content/charter.yaml",
            "last_updated: 2025-06-03",
            &format!("last_updated: {published}"),
        );
        project.replace(
            "content/charter.yaml",
            "next_review: 2026-06-03",
            "next_review: 2027-06-03",
        );
        let (_run, site) = project.build_site("public", &[]);
        let manifest = json(&site, "trasparenza/manifest.json");
        assert_eq!(manifest["in_pubblicazione_fino_al"], iso, "{published}");
        assert_eq!(manifest["data_pubblicazione"], published);
        let page = site.page("/trasparenza/");
        let retention = single(page, ".carta-retention dd");
        assert_eq!(
            select_in(retention, "time")[0].attr("datetime"),
            Some(iso),
            "{published}"
        );
        assert_eq!(
            text_of(retention),
            format!("{text}, e comunque finché è in vigore")
        );
    }
}

#[test]
fn pack_page_lists_the_files_and_states_the_fragment_path() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let page = site.page("/trasparenza/");
    assert_eq!(text_of(single(page, "h1")), "Trasparenza e dati aperti");
    let table = single(page, "table.carta-files");
    assert!(!text_of(single(page, "table.carta-files caption")).is_empty());
    assert_eq!(
        select_in(table, "thead th[scope=col]").len(),
        4,
        "document, format, size, date"
    );
    let rows = select_in(table, "tbody tr");
    let manifest = json(&site, "trasparenza/manifest.json");
    assert_eq!(
        rows.len(),
        manifest["file"].as_array().unwrap().len() + 1,
        "every file of the manifest, and the manifest"
    );
    for row in &rows {
        let link = select_in(*row, "th[scope=row] a")[0];
        let href = link.attr("href").unwrap();
        assert!(site.file_for(href).is_file(), "{href} exists");
        let size: u64 = select_in(*row, "data")[0]
            .attr("value")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            size,
            std::fs::metadata(site.file_for(href)).unwrap().len(),
            "{href}"
        );
        assert_eq!(
            select_in(*row, "time")[0].attr("datetime"),
            Some("2025-06-03")
        );
    }
    let formats: Vec<String> = rows
        .iter()
        .map(|row| text_of(select_in(*row, "td")[0]))
        .collect();
    assert_eq!(
        formats,
        [
            "HTML", "HTML", "CSV", "JSON", "CSV", "JSON", "CSV", "JSON", "JSON-LD", "JSON"
        ]
    );
    let text = text_of(single(page, "main"));
    assert!(text.contains("Art. 32, comma 1, d.lgs. 14 marzo 2013, n. 33"));
    assert!(text.contains("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"));
    assert!(text.contains(
        "Amministrazione trasparente › Servizi erogati › Carta dei servizi e standard di qualità"
    ));
    // The fragment's file is named on the page and exists; its code is shown.
    assert!(
        text.contains("/trasparenza/frammento.txt"),
        "the fragment's path is stated"
    );
    assert!(site.dir.join("trasparenza/frammento.txt").is_file());
    let code = text_of(single(page, ".carta-code code"));
    let fragment = std::fs::read_to_string(site.dir.join("trasparenza/frammento.txt")).unwrap();
    assert_eq!(code, common::norm(&fragment));
}

#[test]
fn fragment_is_paste_ready_and_its_preview_shows_it_in_the_layout() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let text = std::fs::read_to_string(site.dir.join("trasparenza/frammento.txt")).unwrap();
    assert!(text.is_ascii(), "accents as character references");
    let fragment = scraper::Html::parse_fragment(&text);
    assert!(select_all(&fragment, "script, style, link, [style]").is_empty());
    assert!(
        select_all(&fragment, "*").iter().all(|element| element
            .value()
            .attrs()
            .all(|(name, _)| !name.starts_with("on"))),
        "no event handlers"
    );
    assert_eq!(
        text_of(single(&fragment, "h2")),
        "Carta dei servizi e standard di qualità"
    );
    assert!(
        select_all(&fragment, "h1").is_empty(),
        "the CMS page has the h1"
    );
    let table = single(&fragment, "table.table");
    assert!(!text_of(single(&fragment, "table caption")).is_empty());
    assert_eq!(select_in(table, "thead th[scope=col]").len(), 4);
    let region = single(&fragment, ".table-responsive");
    assert_eq!(region.attr("role"), Some("region"));
    assert_eq!(region.attr("tabindex"), Some("0"));
    for link in select_all(&fragment, "a[href]") {
        let href = link.attr("href").unwrap();
        assert!(href.starts_with("https://"), "absolute links only: {href}");
        if let Some(path) = href.strip_prefix(BASE) {
            assert!(
                site.file_for(&format!("/{path}")).is_file(),
                "{href} exists"
            );
        }
    }
    let text_content = text_of(fragment.root_element());
    assert!(text_content.contains("In pubblicazione fino al: 31 dicembre 2030"));
    assert!(text_content.contains("DD 2025/4073 del 3 giugno 2025"));

    let preview = site.page("/trasparenza/frammento-anteprima.html");
    assert_eq!(select_all(preview, "h1").len(), 1);
    let main = single(preview, "main");
    let inside = select_in(main, "section.carta-trasparenza");
    assert_eq!(inside.len(), 1, "the fragment inside the page's main");
    assert_eq!(
        select_in(inside[0], "tbody tr").len(),
        select_all(&fragment, "tbody tr").len()
    );
    assert!(text_of(main).contains("/trasparenza/frammento.txt"));
}

#[test]
fn dcat_catalogue_describes_every_data_file() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let catalogue = json(&site, "trasparenza/dcat.jsonld");
    assert_eq!(
        catalogue["@context"]["dcatapit"],
        "http://dati.gov.it/onto/dcatapit#"
    );
    let graph = catalogue["@graph"].as_array().unwrap();
    let of_type = |kind: &str| -> Vec<&Value> {
        graph
            .iter()
            .filter(|node| node["@type"].as_array().unwrap().iter().any(|t| t == kind))
            .collect()
    };
    assert_eq!(of_type("dcatapit:Catalog").len(), 1);
    let agent = of_type("dcatapit:Agent");
    assert_eq!(agent[0]["dct:identifier"], "c_d612");
    let datasets = of_type("dcatapit:Dataset");
    assert_eq!(datasets.len(), 3);
    for dataset in &datasets {
        let identifier = dataset["dct:identifier"].as_str().unwrap();
        assert!(
            identifier.starts_with("c_d612:carta-servizi-dsi-"),
            "{identifier}"
        );
        assert_eq!(
            dataset["dcat:theme"]["@id"],
            "http://publications.europa.eu/resource/authority/data-theme/GOVE"
        );
    }
    let distributions = of_type("dcatapit:Distribution");
    assert_eq!(distributions.len(), 6);
    for distribution in distributions {
        let url = distribution["dcat:downloadURL"]["@id"].as_str().unwrap();
        let path = url.strip_prefix(BASE).unwrap();
        let bytes = std::fs::read(site.dir.join(path)).unwrap();
        assert_eq!(
            distribution["dcat:byteSize"]["@value"],
            bytes.len().to_string(),
            "{path}"
        );
        assert_eq!(
            distribution["spdx:checksum"]["spdx:checksumValue"],
            sha256(&bytes)
        );
        assert_eq!(
            distribution["dct:license"]["@id"],
            "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40"
        );
    }
}

#[test]
fn pages_carry_schema_org_metadata_for_the_ente_and_the_commitments() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    for url in ["/", "/impegni/"] {
        let scripts = select_all(site.page(url), "head script[type=\"application/ld+json\"]");
        assert_eq!(scripts.len(), 1, "{url}");
        let text: String = scripts[0].text().collect();
        let data: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(data["@context"], "https://schema.org");
        let graph = data["@graph"].as_array().unwrap();
        let ente = graph
            .iter()
            .find(|node| node["@id"] == format!("{BASE}#ente"))
            .expect("the ente");
        assert_eq!(ente["@type"], "GovernmentOrganization");
        assert_eq!(ente["name"], "Comune di Firenze");
        let points = ente["contactPoint"].as_array().unwrap();
        assert_eq!(points.len(), 10, "one contact point per process");
        assert!(points.iter().all(|p| p["@type"] == "ContactPoint"));
        let services: Vec<&Value> = graph
            .iter()
            .filter(|node| node["@type"] == "GovernmentService")
            .collect();
        assert_eq!(services.len(), 14, "one service per commitment");
        assert_eq!(
            services[0]["@id"],
            format!("{BASE}impegni/#impegno-credenziali-firma-digitale")
        );
        assert_eq!(
            services[0]["description"],
            "Presa in carico entro 3 giorni nell'85% dei casi; Tempo di risposta entro 4 giorni nell'85% dei casi"
        );
        assert_eq!(
            services[12]["description"],
            "Risposta ai reclami e alle segnalazioni scritti: entro 20 giorni lavorativi"
        );
    }
}

#[test]
fn sitemap_lists_every_page_and_robots_names_it() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let sitemap = std::fs::read_to_string(site.dir.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|piece| piece.split("</loc>").next().unwrap())
        .collect();
    let mut expected: Vec<String> = site
        .pages
        .keys()
        .filter(|url| *url != "/404.html" && !url.ends_with("frammento-anteprima.html"))
        .map(|url| format!("{BASE}{}", url.trim_start_matches('/')))
        .collect();
    expected.sort();
    assert_eq!(locs, expected);
    assert_eq!(
        sitemap.matches("<lastmod>2025-06-03</lastmod>").count(),
        locs.len()
    );
    let robots = std::fs::read_to_string(site.dir.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert!(
        !robots.contains("Disallow: /\n"),
        "nothing is hidden from search engines"
    );
}

#[test]
fn licence_comes_from_site_toml_and_a_wrong_one_is_located() {
    let project = Project::default_copy();
    project.replace(
        "site.toml",
        "licence = \"CC-BY-4.0\"",
        "licence = \"CC0-1.0\"",
    );
    let (_run, site) = project.build_site("public", &[]);
    assert_eq!(
        json(&site, "trasparenza/manifest.json")["licenza"]["id"],
        "CC0-1.0"
    );
    assert_eq!(
        json(&site, "trasparenza/impegni.json")["licenza"]["id"],
        "CC0-1.0"
    );
    let page = text_of(single(site.page("/trasparenza/"), "main"));
    assert!(page.contains("CC0 1.0"), "{page}");

    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "licence = \"CC-BY-4.0\"",
        "licence = \"CC-BY-40\"",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "licence = \"CC-BY-40\"", "licence");
    diagnostics[0].assert_at("E180", "site.toml", line, col);
    diagnostics[0].assert_hint("forse intendevi \"CC-BY-4.0\"?");

    // Without the [open_data] section the licence is CC BY 4.0.
    let project = Project::default_copy();
    let text = project.read("site.toml");
    let cut = text.find("\n[open_data]").unwrap();
    project.write("site.toml", &text[..cut]);
    let (_run, site) = project.build_site("public", &[]);
    assert_eq!(
        json(&site, "trasparenza/manifest.json")["licenza"]["id"],
        "CC-BY-4.0"
    );
}

#[test]
fn base_url_option_publishes_under_another_address() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site(
        "public",
        &["--base-url", "https://comune.gitlab.io/carta-servizi/"],
    );
    let home = site.page("/");
    let links: Vec<&str> = select_all(home, "a[href^=\"/\"]")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(!links.is_empty());
    assert!(
        links.iter().all(|href| href.starts_with("/carta-servizi/")),
        "{links:?}"
    );
    let manifest = json(&site, "trasparenza/manifest.json");
    assert_eq!(
        manifest["file"][1]["url"],
        "https://comune.gitlab.io/carta-servizi/stampa/"
    );
    assert_eq!(
        manifest["file"][2]["url"],
        "https://comune.gitlab.io/carta-servizi/trasparenza/impegni.csv"
    );
    let fragment = std::fs::read_to_string(site.dir.join("trasparenza/frammento.txt")).unwrap();
    assert!(fragment.contains("href=\"https://comune.gitlab.io/carta-servizi/\""));

    let run = project.build(
        &project.output("other"),
        &["--base-url", "comune.gitlab.io"],
    );
    run.assert_code(common::EXIT_USAGE_OR_IO);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
}

#[test]
fn a_service_name_with_a_semicolon_yields_no_formula_when_split_on_semicolons() {
    let project = Project::default_copy();
    project.replace(
        "content/data/commitments.yaml",
        "service: \"Gestione e rilascio credenziali",
        "service: \"X;=1+1; +cmd|' /C calc'!A0;@SUM(A1);-2+3; Gestione e rilascio credenziali",
    );
    let (_run, site) = project.build_site("public", &[]);
    let text = std::fs::read_to_string(site.dir.join("trasparenza/impegni.csv")).unwrap();
    // As a spreadsheet set in Italian opens it: every line split on `;`, quotes or not.
    for line in text.split("\r\n") {
        for segment in line.split(';') {
            let start = segment.trim_start_matches([' ', '"']);
            assert!(
                !start.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{segment:?} starts a formula in {line:?}"
            );
        }
    }
    // Read as RFC 4180, the cell is whole and in quotes, its value readable after the apostrophes.
    let (headers, records) = csv_records(&site.dir.join("trasparenza/impegni.csv"));
    let column = headers.iter().position(|name| name == "servizio").unwrap();
    assert!(
        records[0][column].starts_with("X;'=1+1; '+cmd|' /C calc'!A0;'@SUM(A1);'-2+3; Gestione"),
        "{}",
        &records[0][column]
    );
    assert!(text.contains("\"X;'=1+1;"), "text cells are quoted");
    // The JSON keeps the name as written.
    let data = json(&site, "trasparenza/impegni.json");
    assert!(data.to_string().contains("X;=1+1; +cmd"));
}
