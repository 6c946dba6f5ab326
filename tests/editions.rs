//! Editions: an earlier edition kept in content/editions/ gets its stable page, its open data, a row
//! in the archive and a "Cosa è cambiato" page listing exactly what changed; mistakes are located.

mod common;

use common::{Project, Site, repo_root, select_all, select_in, single, text_of};

/// The default charter (edition 2025) with the fixture's edition 2024 in content/editions/2024.
fn with_2024() -> Project {
    let project = Project::default_copy();
    common::copy_tree(
        &repo_root().join("tests/fixtures/editions/2024"),
        &project.path("content/editions/2024"),
    );
    project
}

fn build(project: &Project) -> Site {
    let (run, site) = project.build_site("public", &[]);
    assert_eq!(run.stderr.trim(), "", "no problems to report");
    site
}

const TC5_85: &str = "Presa in carico entro 5 giorni nell'85% dei casi";
const TC3_85: &str = "Presa in carico entro 3 giorni nell'85% dei casi";
const AV998: &str = "Disponibilità superiore al 99,8% annuo";
const AV996: &str = "Disponibilità superiore al 99,6% annuo";
const BEST_EFFORT: &str = "Servizio di tipo «best effort»";
const TC2_85: &str = "Presa in carico entro 2 giorni nell'85% dei casi";
const TC3_90: &str = "Presa in carico entro 3 giorni nel 90% dei casi";
const R4_95: &str = "Tempo di risposta entro 4 giorni nel 95% dei casi";
const R4_90: &str = "Tempo di risposta entro 4 giorni nel 90% dei casi";

#[test]
fn cosa_e_cambiato_lists_exactly_the_differences_with_old_and_new_numbers() {
    let site = build(&with_2024());
    let page = site.page("/edizioni/2025/cosa-e-cambiato/");
    let main = single(page, "main");
    assert_eq!(
        text_of(single(page, "h1")),
        "Cosa è cambiato nell'edizione 2025"
    );

    let services = |section: &str| -> Vec<String> {
        select_in(main, &format!("{section} .carta-changed-service"))
            .into_iter()
            .map(text_of)
            .collect()
    };
    assert_eq!(
        services(".carta-changes-added"),
        ["Gestione documentale: AttiCo, SiGeDo, Lisia, Gespra, Sigepro"]
    );
    assert_eq!(
        services(".carta-changes-removed"),
        ["Posta elettronica certificata (PEC) istituzionale: caselle, domini, conservazione"]
    );
    let removed_standards: Vec<String> =
        select_in(main, ".carta-changes-removed .carta-standards li")
            .into_iter()
            .map(text_of)
            .collect();
    assert_eq!(
        removed_standards,
        [
            "Disponibilità superiore al 99,5% annuo",
            "Tempo di risposta entro 5 giorni nell'80% dei casi"
        ]
    );

    // The table of changed standards: commitment, before, after, direction, and nothing else.
    let table = single(page, ".carta-changes-table");
    assert!(!text_of(single(page, ".carta-changes-table caption")).is_empty());
    let rows: Vec<(String, String, String, String, String)> = select_in(table, "tbody tr")
        .into_iter()
        .map(|row| {
            let cells: Vec<String> = select_in(row, "th, td")
                .into_iter()
                .map(|cell| {
                    // The dash is for the eye; the hidden words say "added"/"removed".
                    let visible: String = select_in(cell, "[aria-hidden=true]")
                        .first()
                        .map(|dash| text_of(*dash))
                        .unwrap_or_else(|| text_of(cell));
                    visible
                })
                .collect();
            assert_eq!(
                select_in(row, "th[scope=row]").len(),
                1,
                "each row is headed by its commitment"
            );
            (
                row.attr("data-commitment").unwrap().to_string(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
                row.attr("class").unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "credenziali-firma-digitale",
            TC5_85,
            TC3_85,
            "Più stringente",
            "tightened",
        ),
        (
            "data-center-servizi-intranet",
            AV998,
            AV996,
            "Meno stringente",
            "relaxed",
        ),
        (
            "firenzewifi",
            "—",
            BEST_EFFORT,
            "Standard aggiunto",
            "added",
        ),
        (
            "help-desk-postazioni",
            TC2_85,
            TC3_90,
            "In parte più e in parte meno stringente",
            "mixed",
        ),
        (
            "help-desk-postazioni",
            R4_95,
            R4_90,
            "Meno stringente",
            "relaxed",
        ),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    for (row, (id, before, after, label, class)) in rows.iter().zip(expected) {
        assert_eq!(
            (
                row.0.as_str(),
                row.1.as_str(),
                row.2.as_str(),
                row.3.as_str()
            ),
            (id, before, after, label)
        );
        assert!(row.4.contains(&format!("carta-change-{class}")), "{row:?}");
    }

    let other: Vec<(String, String)> = select_in(main, ".carta-changes-other li")
        .into_iter()
        .map(|li| (li.attr("data-commitment").unwrap().to_string(), text_of(li)))
        .collect();
    assert_eq!(other.len(), 1, "{other:?}");
    assert_eq!(other[0].0, "applicazioni-aziendali");
    assert!(other[0].1.ends_with("modificati: utenti"), "{other:?}");

    let summary: Vec<String> = select_in(main, ".carta-changes-summary li")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        summary,
        [
            "Impegni aggiunti: 1",
            "Impegni eliminati: 1",
            "Standard più stringenti: 1",
            "Standard meno stringenti: 2"
        ]
    );
}

#[test]
fn earlier_edition_has_a_stable_page_open_data_and_a_row_in_the_archive() {
    let project = with_2024();
    let site = build(&project);

    let archive = site.page("/edizioni/");
    let rows = select_all(archive, ".carta-editions-table tbody tr");
    assert_eq!(rows.len(), 2, "the edition in force and the earlier one");
    let row_text: Vec<String> = rows.iter().map(|row| text_of(*row)).collect();
    assert!(row_text[0].starts_with("Edizione 2025"), "{row_text:?}");
    assert!(row_text[0].contains("DD 2025/4073 del 3 giugno 2025"));
    assert!(row_text[0].contains("31 dicembre 2030, e comunque finché è in vigore"));
    assert!(row_text[0].contains("In vigore"));
    assert!(row_text[1].starts_with("Edizione 2024"), "{row_text:?}");
    assert!(row_text[1].contains("DD 2024/1187 del 29 febbraio 2024"));
    // Published on a leap day of 2024: online until 31 December 2029.
    assert!(row_text[1].contains("31 dicembre 2029"), "{row_text:?}");
    assert!(!row_text[1].contains("finché"), "{row_text:?}");
    assert!(row_text[1].contains("Sostituita"));
    let changes_links: Vec<&str> = select_in(rows[0], "a")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(
        changes_links,
        ["/edizioni/2025/", "/edizioni/2025/cosa-e-cambiato/"]
    );

    let page = site.page("/edizioni/2024/");
    assert_eq!(text_of(single(page, "h1")), "Edizione 2024");
    let status = text_of(single(page, ".carta-edition-status"));
    assert!(
        status.contains("Sostituita dall'edizione 2025 dal 3 giugno 2025"),
        "{status}"
    );
    let table_rows = select_all(page, ".carta-commitments tbody tr");
    assert_eq!(
        table_rows.len(),
        14,
        "ten commitments of the table and four from the chapters in 2024 too"
    );
    assert!(text_of(table_rows[9]).contains("Posta elettronica certificata"));

    // Its open data, at a stable address, follow its own YAML.
    let csv_path = site.dir.join("edizioni/2024/impegni.csv");
    let mut reader = csv::Reader::from_path(&csv_path).expect("edizioni/2024/impegni.csv");
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let yaml: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(project.path("content/editions/2024/data/commitments.yaml"))
            .unwrap(),
    )
    .unwrap();
    let standards: usize = yaml["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|commitment| commitment["standards"].as_array().unwrap().len())
        .sum();
    assert_eq!(standards, 28);
    assert_eq!(
        records.len(),
        standards,
        "one row per standard of the 2024 edition"
    );
    let first = &records[0];
    assert_eq!(&first[column("id_impegno")], "credenziali-firma-digitale");
    assert_eq!(&first[column("giorni")], "5");
    let pec: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|r| &r[column("id_impegno")] == "posta-elettronica-certificata")
        .collect();
    assert_eq!(pec.len(), 2);
    assert_eq!(&pec[0][column("disponibilita_percentuale")], "99.5");
    assert_eq!(
        &pec[0][column("utenti")],
        "direzioni e uffici del comune; società partecipate"
    );

    // The manifest lists both editions, newest first.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.dir.join("trasparenza/manifest.json")).unwrap())
            .unwrap();
    let editions = manifest["edizioni"].as_array().unwrap();
    assert_eq!(editions.len(), 2);
    assert_eq!(editions[0]["edizione"], "2025");
    assert_eq!(editions[0]["in_vigore"], true);
    assert_eq!(editions[1]["edizione"], "2024");
    assert_eq!(editions[1]["sostituita_dal"], "2025-06-03");
    assert_eq!(editions[1]["in_pubblicazione_fino_al"], "2029-12-31");
    assert_eq!(
        editions[1]["url"],
        "https://cartaservizi.comune.fi.it/edizioni/2024/"
    );

    // Every edition's page is in the sitemap.
    let sitemap = std::fs::read_to_string(site.dir.join("sitemap.xml")).unwrap();
    for url in [
        "edizioni/2024/",
        "edizioni/2025/",
        "edizioni/2025/cosa-e-cambiato/",
    ] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://cartaservizi.comune.fi.it/{url}</loc>"
            )),
            "{url} in the sitemap"
        );
    }
}

#[test]
fn without_earlier_editions_the_archive_shows_the_edition_in_force_only() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    let archive = site.page("/edizioni/");
    assert_eq!(
        select_all(archive, ".carta-editions-table tbody tr").len(),
        1
    );
    assert!(site.pages.contains_key("/edizioni/2025/"));
    assert!(!site.dir.join("edizioni/2025/cosa-e-cambiato").exists());
}

#[test]
fn edition_mistakes_are_located() {
    // The folder says 2023, the file says 2024.
    let project = with_2024();
    std::fs::rename(
        project.path("content/editions/2024"),
        project.path("content/editions/2023"),
    )
    .unwrap();
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    diagnostics[0].assert_at("E182", "content/editions/2023/charter.yaml", 5, 10);
    diagnostics[0].assert_underlined("\"2024\"");
    assert!(!project.output("public").exists(), "nothing written");

    // An earlier edition approved after the edition in force, and the same edition twice.
    let project = with_2024();
    project.replace(
        "content/editions/2024/charter.yaml",
        "  date: 2024-02-29",
        "  date: 2025-07-01",
    );
    common::copy_tree(
        &project.path("content/editions/2024"),
        &project.path("content/editions/2025"),
    );
    project.replace(
        "content/editions/2025/charter.yaml",
        "edition: \"2024\"",
        "edition: \"2025\"",
    );
    project.replace(
        "content/editions/2025/charter.yaml",
        "  date: 2025-07-01",
        "  date: 2023-05-10",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    let codes: Vec<(&str, Option<&str>)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [
            ("E184", Some("content/editions/2024/charter.yaml")),
            ("E183", Some("content/editions/2025/charter.yaml")),
        ],
        "{}",
        run.stderr
    );
    diagnostics[0].assert_underlined("2025-07-01");
    assert!(
        diagnostics[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("in vigore")
    );

    // A missing data file and a misspelt key in an edition, like in the current one.
    let project = with_2024();
    std::fs::remove_file(project.path("content/editions/2024/data/commitments.yaml")).unwrap();
    project.replace(
        "content/editions/2024/charter.yaml",
        "office_short:",
        "office_shrt:",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E102", "E111"], "{}", run.stderr);
    diagnostics[0].assert_at("E102", "content/editions/2024/charter.yaml", 4, 1);
    diagnostics[0].assert_hint("forse intendevi `office_short`?");
    assert_eq!(
        diagnostics[1].file.as_deref(),
        Some("content/editions/2024/data/commitments.yaml")
    );

    // A reference to a unit that does not exist, in an edition's commitments.
    let project = with_2024();
    project.replace(
        "content/editions/2024/data/commitments.yaml",
        "    responsible: [gestione-infrastrutture-tecnologiche]\n\n  - id: data-center",
        "    responsible: [gestione-infrastruture]\n\n  - id: data-center",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E131");
    assert_eq!(
        diagnostics[0].file.as_deref(),
        Some("content/editions/2024/data/commitments.yaml")
    );
    diagnostics[0].assert_hint("forse intendevi `gestione-infrastrutture-tecnologiche`?");
}

#[test]
fn an_unknown_file_in_an_edition_is_a_warning() {
    let project = with_2024();
    std::fs::write(
        project.path("content/editions/2024/data/commitment.yaml"),
        "commitments: []\n",
    )
    .unwrap();
    let run = project.build(&project.output("public"), &[]);
    run.assert_success();
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "W113");
    diagnostics[0].assert_hint("forse intendevi commitments.yaml?");
}
