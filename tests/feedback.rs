//! Surveys, complaints and class actions (`content/data/feedback.yaml`): on the results page with
//! the response rate and each target's status computed, as open data the pack lists, every bad
//! input a located diagnostic that keeps the previous output, and never copied into a fork.

mod common;

use common::{
    EXIT_CONTENT_ERRORS, EXIT_OK, Project, carta, carta_with_env, select_all, select_in, text_of,
};
use serde::Deserialize;

const FEEDBACK: &str = "content/data/feedback.yaml";

/// 2026-03-01.
const MARCH_2026: &str = "1772323200";

/// The Firenze charter (which has no results) with the invented feedback of the fixture.
fn with_feedback() -> Project {
    let project = Project::default_copy();
    project.overlay("results/feedback");
    project
}

/// Each survey row's period, title cell, counts, rate cell and score cell, and the statuses shown.
fn survey_rows(page: &scraper::Html) -> Vec<(String, Vec<String>, Vec<String>)> {
    select_all(page, "section[id^='indagini-'] tbody tr")
        .into_iter()
        .map(|row| {
            let cells = select_in(row, "th, td").into_iter().map(text_of).collect();
            let statuses = select_in(row, ".carta-status")
                .into_iter()
                .map(|status| {
                    status
                        .value()
                        .classes()
                        .find(|class| *class != "carta-status")
                        .unwrap()
                        .to_string()
                })
                .collect();
            (
                row.attr("data-period").unwrap().to_string(),
                cells,
                statuses,
            )
        })
        .collect()
}

#[test]
fn surveys_complaints_and_class_actions_are_on_the_results_page() {
    let project = with_feedback();
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/risultati/");
    let surveys = survey_rows(page);
    assert_eq!(surveys.len(), 3, "{surveys:#?}");
    let (period, cells, statuses) = &surveys[0];
    assert_eq!(period, "2024");
    assert_eq!(cells[2], "312 restituiti su 800 distribuiti");
    // 312 of 800 is 39%, over the 35% target; 4.1 reaches 4.
    assert!(
        cells[3].starts_with("39% Obiettivo della carta: almeno 35%."),
        "{cells:?}"
    );
    assert!(cells[4].starts_with("4,1 su 5"), "{cells:?}");
    assert_eq!(statuses, &["carta-status-met", "carta-status-met"]);
    assert!(cells[1].contains("Rapporto dell'indagine"));
    // 350 of 1,000 is exactly the 35% target: reached. 3.9 is under 4: not reached.
    let (period, cells, statuses) = &surveys[1];
    assert_eq!(period, "2025");
    assert!(cells[3].starts_with("35%"), "{cells:?}");
    assert_eq!(statuses, &["carta-status-met", "carta-status-missed"]);
    assert!(cells[4].contains("Non rispettato"), "{cells:?}");
    // A survey without targets or score says so, and shows no status.
    let (_, cells, statuses) = &surveys[2];
    assert_eq!(cells[3], "50%");
    assert_eq!(cells[4], "nessun punteggio complessivo");
    assert!(statuses.is_empty());

    let complaints: Vec<Vec<String>> = select_all(page, "section[id^='reclami-'] tbody tr")
        .into_iter()
        .map(|row| select_in(row, "th, td").into_iter().map(text_of).collect())
        .collect();
    assert_eq!(complaints[0], ["2024", "42", "15", "40 (95,2%)"]);
    // What the office did not count is said to be not given, never a zero.
    assert_eq!(
        complaints[1],
        [
            "2025",
            "57 Nota: Fondati e tempi di risposta non registrati",
            "non indicato",
            "non indicato"
        ]
    );

    let actions = select_all(page, ".carta-class-action");
    assert_eq!(actions.len(), 1);
    let action = text_of(actions[0]);
    assert!(
        action.contains("Tempi di rilascio delle credenziali"),
        "{action}"
    );
    assert!(
        action.contains("Ricorso proposto il 10 marzo 2025"),
        "{action}"
    );
    assert!(
        action.contains("Sentenza del 20 novembre 2025: Ricorso accolto in parte"),
        "{action}"
    );
    let links: Vec<&str> = select_in(actions[0], "a")
        .into_iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "https://www.comune.fi.it/ricorso-efficienza",
            "https://www.comune.fi.it/sentenza"
        ]
    );
    let times: Vec<&str> = select_in(actions[0], "time")
        .into_iter()
        .map(|t| t.attr("datetime").unwrap())
        .collect();
    assert_eq!(times, ["2025-03-10", "2025-11-20"]);

    // Firenze has no results: no standard's table, no link to results data, no summary.
    assert!(select_all(page, "section.carta-results-standard").is_empty());
    let data_links: Vec<&str> = select_all(page, ".carta-results-data a")
        .into_iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        data_links,
        ["/trasparenza/indagini.csv", "/trasparenza/reclami.csv"]
    );
    assert!(select_all(site.page("/"), ".carta-results-summary").is_empty());
}

#[test]
fn class_actions_none_is_said_and_silence_says_nothing() {
    let project = with_feedback();
    let text = std::fs::read_to_string(project.root().join(FEEDBACK)).unwrap();
    let cut = text.find("class_actions:").unwrap();
    project.write(FEEDBACK, &format!("{}class_actions: none\n", &text[..cut]));
    let (_, site) = project.build_site("public", &[]);
    let said: Vec<String> = select_all(site.page("/risultati/"), "section[id^='ricorsi-'] > p")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        said.last().map(String::as_str),
        Some("L'ente dichiara che non sono stati proposti ricorsi per l'efficienza.")
    );
    assert!(select_all(site.page("/risultati/"), ".carta-class-action").is_empty());
    // Without the key the page says nothing about class actions.
    project.write(FEEDBACK, &text[..cut]);
    let (_, site) = project.build_site("public2", &[]);
    assert!(select_all(site.page("/risultati/"), "section[id^='ricorsi-']").is_empty());
}

#[derive(Debug, Deserialize)]
struct SurveyRow {
    periodo: String,
    indagine: String,
    questionari_distribuiti: u64,
    questionari_restituiti: u64,
    tasso_risposta: Option<f64>,
    obiettivo_tasso_risposta: Option<f64>,
    esito_tasso_risposta: Option<String>,
    punteggio: Option<f64>,
    scala_massimo: Option<f64>,
    esito_punteggio: Option<String>,
    rapporto: Option<String>,
    nota: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ComplaintsRow {
    periodo: String,
    dal: String,
    al: String,
    ricevuti: u64,
    fondati: Option<u64>,
    risposta_nei_termini: Option<u64>,
    nota: Option<String>,
}

#[test]
fn the_open_data_hold_what_the_yaml_says_and_the_pack_lists_them() {
    let project = with_feedback();
    let (_, site) = project.build_site("public", &[]);
    let surveys: Vec<SurveyRow> = csv::Reader::from_path(site.file_for("trasparenza/indagini.csv"))
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect();
    assert_eq!(surveys.len(), 3);
    let first = &surveys[0];
    assert_eq!(
        (
            first.periodo.as_str(),
            first.indagine.as_str(),
            first.questionari_distribuiti,
            first.questionari_restituiti,
            first.tasso_risposta,
            first.obiettivo_tasso_risposta,
        ),
        (
            "2024",
            "Questionario sui servizi digitali",
            800,
            312,
            Some(39.0),
            Some(35.0)
        )
    );
    assert_eq!(
        (
            first.punteggio,
            first.scala_massimo,
            first.esito_punteggio.as_deref()
        ),
        (Some(4.1), Some(5.0), Some("met"))
    );
    assert_eq!(
        first.rapporto.as_deref(),
        Some("https://www.comune.fi.it/indagine-2024")
    );
    assert_eq!(surveys[1].esito_tasso_risposta.as_deref(), Some("met"));
    assert_eq!(surveys[1].esito_punteggio.as_deref(), Some("missed"));
    assert_eq!(surveys[1].nota.as_deref(), Some("Proposto anche online"));
    assert_eq!(
        (
            surveys[2].tasso_risposta,
            surveys[2].esito_tasso_risposta.as_deref(),
            surveys[2].punteggio
        ),
        (Some(50.0), None, None)
    );

    let complaints: Vec<ComplaintsRow> =
        csv::Reader::from_path(site.file_for("trasparenza/reclami.csv"))
            .unwrap()
            .deserialize()
            .map(Result::unwrap)
            .collect();
    assert_eq!(
        complaints,
        [
            ComplaintsRow {
                periodo: "2024".into(),
                dal: "2024-01-01".into(),
                al: "2024-12-31".into(),
                ricevuti: 42,
                fondati: Some(15),
                risposta_nei_termini: Some(40),
                nota: None,
            },
            ComplaintsRow {
                periodo: "2025".into(),
                dal: "2025-01-01".into(),
                al: "2025-12-31".into(),
                ricevuti: 57,
                fondati: None,
                risposta_nei_termini: None,
                nota: Some("Fondati e tempi di risposta non registrati".into()),
            },
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for("trasparenza/reclami.json")).unwrap())
            .unwrap();
    assert_eq!(json["reclami"][0]["ricevuti"], 42);
    assert!(json["reclami"][1]["fondati"].is_null());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for("trasparenza/indagini.json")).unwrap())
            .unwrap();
    assert_eq!(json["indagini"][1]["tasso_risposta"], 35.0);

    // The manifest measures the four files; the catalogue has two data sets for them; no results
    // data set without results.
    let manifest = std::fs::read_to_string(site.file_for("trasparenza/manifest.json")).unwrap();
    for name in [
        "indagini.csv",
        "indagini.json",
        "reclami.csv",
        "reclami.json",
    ] {
        let bytes = std::fs::read(site.file_for(&format!("trasparenza/{name}"))).unwrap();
        let sha = {
            use sha2::Digest;
            format!("{:x}", sha2::Sha256::digest(&bytes))
        };
        assert!(
            manifest.contains(&sha),
            "{name} is in the manifest with its SHA-256"
        );
    }
    let dcat: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for("trasparenza/dcat.jsonld")).unwrap())
            .unwrap();
    let text = dcat.to_string();
    assert!(
        text.contains("Indagini di soddisfazione degli utenti") && text.contains("indagini.csv")
    );
    assert!(text.contains("reclami.json"));
    assert!(!text.contains("risultati.csv"));
    assert!(!site.file_for("trasparenza/risultati.csv").exists());
}

fn check_on(project: &Project) -> common::Run {
    carta_with_env(
        project.root(),
        &["check", "--root", ".", "--color", "never"],
        &[("SOURCE_DATE_EPOCH", MARCH_2026)],
    )
}

#[test]
fn bad_feedback_is_located_errors() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("returned: 312\n", "returned: 812\n", "E290", "812"),
        ("given: 120\n", "given: 0\n", "E290", "0"),
        ("score: 4.1\n", "score: 5.1\n", "E291", "5.1"),
        (
            "        out_of: 5\n        target_response_rate: 35\n        target_score: 4\n        report",
            "        target_response_rate: 35\n        report",
            "E291",
            "4.1",
        ),
        ("founded: 15\n", "founded: 43\n", "E292", "43"),
        (
            "answered_in_time: 40\n",
            "answered_in_time: 44\n",
            "E292",
            "44",
        ),
        (
            "target_response_rate: 35\n        target_score: 4\n        report",
            "target_response_rate: 135\n        target_score: 4\n        report",
            "E293",
            "135",
        ),
        (
            "date: 2025-11-20\n",
            "date: 2025-02-20\n",
            "E294",
            "2025-02-20",
        ),
        (
            "date: 2025-11-20\n",
            "date: 2026-11-20\n",
            "E294",
            "2026-11-20",
        ),
        (
            "url: \"https://www.comune.fi.it/sentenza\"",
            "url: \"javascript:alert(1)\"",
            "E295",
            "javascript",
        ),
        (
            "notice: \"https://www.comune.fi.it/ricorso-efficienza\"",
            "notice: \"mailto:ufficio@comune.fi.it\"",
            "E295",
            "mailto",
        ),
        ("period: 2025\n", "period: 2025-Q5\n", "E281", "2025-Q5"),
        ("period: 2025\n", "period: 2024-S2\n", "E274", "2024-S2"),
        ("period: 2025\n", "period: 2026\n", "E275", "2026"),
        (
            "title: \"Valutazione dello sportello\"",
            "title: \" \"",
            "E296",
            "",
        ),
    ];
    for (from, to, code, underlined) in cases {
        let project = with_feedback();
        project.replace(FEEDBACK, from, to);
        check_on(&project).assert_one_error(code, FEEDBACK, underlined);
    }
    // A period with nothing in it, and an unknown key.
    let project = with_feedback();
    project.write(FEEDBACK, "periods:\n  - period: 2024\n");
    let run = check_on(&project);
    assert_eq!(run.with_code("E296").len(), 1, "{}", run.stderr);
    project.write(
        FEEDBACK,
        "periods:\n  - period: 2024\n    complaints:\n      recieved: 3\n",
    );
    let run = check_on(&project);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(run.stderr.contains("recieved"), "{}", run.stderr);
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let project = with_feedback();
    let output = project.output("public");
    project.build(&output, &[]).assert_success();
    let before = common::snapshot(&output);
    project.replace(FEEDBACK, "returned: 312\n", "returned: 812\n");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert_eq!(run.with_code("E290").len(), 1);
    assert!(
        before == common::snapshot(&output),
        "the previous output changed"
    );
}

#[test]
fn a_copy_for_another_ente_leaves_out_what_the_origin_measured() {
    let origin = common::repo_root().join("examples/risultati");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copia");
    let run = carta(
        dir.path(),
        &[
            "init",
            copy.to_str().unwrap(),
            "--from",
            origin.to_str().unwrap(),
        ],
    );
    run.assert_code(EXIT_OK);
    assert!(origin.join(FEEDBACK).is_file() && origin.join("content/data/results.yaml").is_file());
    for name in ["results.yaml", "results.csv", "feedback.yaml"] {
        assert!(
            !copy.join("content/data").join(name).exists(),
            "{name} copied"
        );
    }
    assert!(copy.join("content/data/commitments.yaml").is_file());
}

/// The fixture with its 2025 survey measuring Firenze's standard «tasso di risposta superiore al
/// 35%» instead of a target of its own.
fn with_survey_measuring_a_standard() -> Project {
    let project = with_feedback();
    project.replace(
        FEEDBACK,
        "        given: 1000\n        returned: 350\n        score: 3.9\n        out_of: 5\n        target_response_rate: 35\n",
        "        commitment: customer-satisfaction\n        standard: tasso-di-risposta\n        given: 1000\n        returned: 350\n        score: 3.9\n        out_of: 5\n",
    );
    project
}

#[test]
fn a_survey_that_measures_a_standard_gives_its_result_once() {
    let project = with_survey_measuring_a_standard();
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/risultati/");
    // The survey's row is read against the standard's own target: 35% is not «superiore al 35%».
    let surveys = survey_rows(page);
    let (period, cells, statuses) = &surveys[1];
    assert_eq!(period, "2025");
    assert!(
        cells[3].starts_with("35% Obiettivo della carta: superiore al 35%."),
        "{cells:?}"
    );
    assert_eq!(statuses[0], "carta-status-missed");
    // The standard's result for 2025 is the survey's, said as such; 2024 has none.
    let section = select_all(page, "#risultato-customer-satisfaction-tasso-di-risposta");
    assert_eq!(section.len(), 1);
    let rows: Vec<(String, String)> = select_in(section[0], "tr.carta-result")
        .into_iter()
        .map(|row| (row.attr("data-period").unwrap().to_string(), text_of(row)))
        .collect();
    // Without a results file the results are made from the surveys alone: only their period.
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].1.contains(
            "35% (350 restituiti su 1000 distribuiti; indagine «Questionario sui servizi digitali»)"
        ) && rows[0].1.contains("Non rispettato"),
        "{rows:?}"
    );
    #[derive(Deserialize)]
    struct ResultRow {
        periodo: String,
        id_impegno: String,
        id_standard: String,
        casi_entro_soglia: Option<u64>,
        casi_totali: Option<u64>,
        esito: String,
    }
    let results: Vec<ResultRow> =
        csv::Reader::from_path(site.file_for("trasparenza/risultati.csv"))
            .unwrap()
            .deserialize()
            .map(Result::unwrap)
            .collect();
    let row = results
        .iter()
        .find(|r| {
            r.periodo == "2025"
                && r.id_impegno == "customer-satisfaction"
                && r.id_standard == "tasso-di-risposta"
        })
        .unwrap();
    assert_eq!(
        (row.casi_entro_soglia, row.casi_totali, row.esito.as_str()),
        (Some(350), Some(1000), "missed")
    );
    // The survey's own row in the open data says which standard it measures and its target.
    #[derive(Deserialize)]
    struct Linked {
        periodo: String,
        id_impegno: Option<String>,
        id_standard: Option<String>,
        obiettivo_tasso_risposta: Option<f64>,
        esito_tasso_risposta: Option<String>,
    }
    let surveys: Vec<Linked> = csv::Reader::from_path(site.file_for("trasparenza/indagini.csv"))
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect();
    let linked = &surveys[1];
    assert_eq!(
        (
            linked.periodo.as_str(),
            linked.id_impegno.as_deref(),
            linked.id_standard.as_deref(),
            linked.obiettivo_tasso_risposta,
            linked.esito_tasso_risposta.as_deref()
        ),
        (
            "2025",
            Some("customer-satisfaction"),
            Some("tasso-di-risposta"),
            Some(35.0),
            Some("missed")
        )
    );
    assert_eq!(surveys[0].id_impegno, None);
}

#[test]
fn a_survey_measuring_a_standard_is_checked_where_it_is_written() {
    let located = |project: &Project, code: &str, underlined: &str| {
        let run = check_on(project);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let found = run.with_code(code);
        assert_eq!(found.len(), 1, "{code}: {}", run.stderr);
        assert_eq!(found[0].file.as_deref(), Some(FEEDBACK), "{:#?}", found[0]);
        assert_eq!(
            found[0].underlined.as_deref(),
            Some(underlined),
            "{:#?}",
            found[0]
        );
    };
    // Half a reference.
    let project = with_survey_measuring_a_standard();
    project.replace(FEEDBACK, "        commitment: customer-satisfaction\n", "");
    located(&project, "E297", "tasso-di-risposta");
    // A target of its own beside the standard's.
    let project = with_survey_measuring_a_standard();
    project.replace(
        FEEDBACK,
        "        note: \"Proposto anche online\"\n",
        "        note: \"Proposto anche online\"\n        target_response_rate: 30\n",
    );
    located(&project, "E297", "30");
    // A standard the commitment does not have: the results' own check, at the survey.
    let project = with_survey_measuring_a_standard();
    project.replace(
        FEEDBACK,
        "standard: tasso-di-risposta",
        "standard: tasso-risposta",
    );
    located(&project, "E271", "tasso-risposta");
    // The same result written in the results too.
    let project = with_survey_measuring_a_standard();
    project.write(
        "content/data/results.yaml",
        "periods:\n  - period: 2025\n    results:\n      - commitment: customer-satisfaction\n        standard: tasso-di-risposta\n        within: 350\n        total: 1000\n",
    );
    located(&project, "E279", "tasso-di-risposta");
    // A survey in a period that overlaps one of the results'.
    let project = with_survey_measuring_a_standard();
    project.write(
        "content/data/results.yaml",
        "periods:\n  - period: 2025-S1\n    results: []\n",
    );
    located(&project, "E297", "2025");
}

#[test]
fn results_made_from_surveys_alone_read_feedback_yaml_once() {
    // feedback.yaml is then both the surveys' file and the results': a value still to fill in
    // there is reported once, not once per role.
    let project = with_survey_measuring_a_standard();
    project.replace(
        FEEDBACK,
        "note: \"Proposto anche online\"",
        "note: \"DA COMPILARE\"",
    );
    let run = check_on(&project);
    let markers: Vec<_> = run
        .with_code("E146")
        .into_iter()
        .filter(|d| d.file.as_deref() == Some(FEEDBACK))
        .collect();
    assert_eq!(markers.len(), 1, "{}", run.stderr);
}

#[test]
fn cosa_e_cambiato_says_a_survey_result_as_the_results_page_does() {
    // The 2024 survey measures Firenze's response-rate standard, whose target the edition 2024
    // set at «superiore al 30%» (today 35%): 2024's result is listed before the change.
    let project = with_feedback();
    common::copy_tree(
        &common::repo_root().join("tests/fixtures/editions/2024"),
        &project.path("content/editions/2024"),
    );
    project.replace(
        "content/editions/2024/data/commitments.yaml",
        "target: { above: 35, unit: percent }",
        "target: { above: 30, unit: percent }",
    );
    project.replace(
        FEEDBACK,
        "        target_response_rate: 35\n        target_score: 4\n        report:",
        "        commitment: customer-satisfaction\n        standard: tasso-di-risposta\n        target_score: 4\n        report:",
    );
    let (_, site) = project.build_site("public", &[]);
    let measured =
        "39% (312 restituiti su 800 distribuiti; indagine «Questionario sui servizi digitali»)";
    let before = select_all(
        site.page("/edizioni/2025/cosa-e-cambiato/"),
        "#risultati-prima-customer-satisfaction-tasso-di-risposta tr.carta-result",
    );
    assert_eq!(before.len(), 1);
    let cells: Vec<String> = select_in(before[0], "th, td")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(cells[..2], ["2024".to_string(), measured.to_string()]);
    assert_eq!(cells[2], "✓ Rispettato");
    let on_results = select_all(
        site.page("/risultati/"),
        "#risultato-customer-satisfaction-tasso-di-risposta tr.carta-result[data-period='2024'] td",
    );
    assert!(
        text_of(on_results[0]).starts_with(measured),
        "{}",
        text_of(on_results[0])
    );
}
