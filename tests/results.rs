//! Measured results: the statuses computed from `results.yaml` (or the same rows as
//! `results.csv`) on the results page, the home page's summary and the commitments table; every
//! bad input a located diagnostic that keeps the previous output; a charter without results shows
//! none of it.

mod common;

use common::{
    EXIT_CONTENT_ERRORS, Project, Site, carta_with_env, select_all, select_in, single, text_of,
};

const RESULTS: &str = "content/data/results.yaml";

/// The Firenze charter with the fictional results of `tests/fixtures/results/<form>/`.
fn with_results(form: &str) -> Project {
    let project = Project::default_copy();
    project.overlay(&format!("results/{form}"));
    project
}

/// A row of a standard's table: its period, its status class and its text.
type Shown = (String, String, String);

/// Each standard's anchor on the results page, with its rows.
fn statuses(site: &Site) -> Vec<(String, Vec<Shown>)> {
    select_all(site.page("/risultati/"), "section.carta-results-standard")
        .into_iter()
        .map(|section| {
            let rows = select_in(section, "tr.carta-result")
                .into_iter()
                .map(|row| {
                    let status = select_in(row, ".carta-status")[0]
                        .value()
                        .classes()
                        .find(|class| *class != "carta-status")
                        .unwrap()
                        .to_string();
                    (
                        row.attr("data-period").unwrap().to_string(),
                        status,
                        text_of(row),
                    )
                })
                .collect();
            (section.attr("id").unwrap().to_string(), rows)
        })
        .collect()
}

fn status_of<'a>(all: &'a [(String, Vec<Shown>)], anchor: &str, period: &str) -> &'a Shown {
    let (_, rows) = all
        .iter()
        .find(|(id, _)| id == anchor)
        .unwrap_or_else(|| panic!("no standard {anchor}"));
    rows.iter()
        .find(|(key, _, _)| key == period)
        .unwrap_or_else(|| panic!("no period {period} for {anchor}"))
}

#[test]
fn statuses_are_computed_from_what_was_measured() {
    let project = with_results("yaml");
    let (_, site) = project.build_site("public", &[]);
    let all = statuses(&site);
    let expect = |anchor: &str, period: &str, status: &str| {
        let (_, got, text) = status_of(&all, anchor, period);
        assert_eq!(got, status, "{anchor} {period}: {text}");
    };
    // 850 of 1,000 is exactly the 85% promised: met.
    expect(
        "risultato-credenziali-firma-digitale-take-charge",
        "2024",
        "carta-status-met",
    );
    expect(
        "risultato-credenziali-firma-digitale-take-charge",
        "2025",
        "carta-status-met",
    );
    expect(
        "risultato-credenziali-firma-digitale-response",
        "2024",
        "carta-status-met",
    );
    // 849 of 1,000 is one case short of 85%.
    expect(
        "risultato-credenziali-firma-digitale-response",
        "2025",
        "carta-status-missed",
    );
    // "superiore al 98%": 97.5 is missed, 99.1 met.
    expect(
        "risultato-disponibilita-sistema-informativo-disponibilita-annua",
        "2024",
        "carta-status-missed",
    );
    expect(
        "risultato-disponibilita-sistema-informativo-disponibilita-annua",
        "2025",
        "carta-status-met",
    );
    // A mean cannot show that every answer came within 20 working days.
    expect(
        "risultato-reclami-tempo-di-risposta",
        "2025",
        "carta-status-not-verifiable",
    );
    let (_, _, text) = status_of(&all, "risultato-reclami-tempo-di-risposta", "2025");
    assert!(text.contains("Non verificabile (la media dei tempi non dice quanti casi sono rimasti entro la soglia)"), "{text}");
    expect(
        "risultato-vulnerability-assessment-frequenza",
        "2025",
        "carta-status-met",
    );
    expect(
        "risultato-customer-satisfaction-tasso-di-risposta",
        "2025",
        "carta-status-not-measured",
    );
    let (_, _, text) = status_of(
        &all,
        "risultato-customer-satisfaction-tasso-di-risposta",
        "2025",
    );
    assert!(
        text.contains("Il questionario 2025 non è stato somministrato"),
        "{text}"
    );
    expect(
        "risultato-supporto-eventi-on-request",
        "2025",
        "carta-status-declared-met",
    );
    // Nothing written for 2024: "non rilevato", neither met nor missed.
    expect(
        "risultato-reclami-tempo-di-risposta",
        "2024",
        "carta-status-not-measured",
    );
    // Every status is said in words beside its icon, the icon hidden from screen readers.
    for status in select_all(site.page("/risultati/"), ".carta-status") {
        let icon = select_in(status, ".carta-status-icon");
        assert_eq!(icon.len(), 1);
        assert_eq!(icon[0].attr("aria-hidden"), Some("true"));
        assert!(
            text_of(status)
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                > 5
        );
    }
}

#[test]
fn the_home_page_names_the_missed_standards_and_tables_show_the_latest() {
    let project = with_results("yaml");
    let (_, site) = project.build_site("public", &[]);
    let home = site.page("/");
    let summary = select_all(home, "section.carta-results-summary p");
    let sentence = text_of(summary[0]);
    assert!(
        sentence.starts_with("Nel periodo 2025, standard rispettati: 3 su 4 verificati."),
        "{sentence}"
    );
    // One of each kind reads in the singular, several in the plural.
    assert!(
        sentence.contains("Altri standard: 1 non verificabile, ")
            && sentence.contains(" non rilevati, 1 con esito dichiarato dall'ente."),
        "{sentence}"
    );
    let missed = select_in(summary[0], "a");
    assert_eq!(missed.len(), 1, "{sentence}");
    assert_eq!(
        missed[0].attr("href"),
        Some("/risultati/#risultato-credenziali-firma-digitale-response")
    );
    assert!(text_of(missed[0]).starts_with("Tempo di risposta – Gestione e rilascio credenziali"));
    // The link leads to the standard on the results page.
    assert_eq!(
        select_all(
            site.page("/risultati/"),
            "#risultato-credenziali-firma-digitale-response"
        )
        .len(),
        1
    );
    for url in ["/impegni/", "/impegni/credenziali-firma-digitale/"] {
        let latest: Vec<String> = select_all(site.page(url), ".carta-standard-latest")
            .into_iter()
            .map(text_of)
            .collect();
        assert!(
            latest.contains(&"Ultimo risultato (2025): ✓ Rispettato".to_string()),
            "{url}: {latest:?}"
        );
        assert!(
            latest.contains(&"Ultimo risultato (2025): ✗ Non rispettato".to_string()),
            "{url}: {latest:?}"
        );
    }
    // The menu links the results page.
    assert_eq!(select_all(home, "nav a[href='/risultati/']").len(), 1);
}

#[test]
fn the_csv_import_gives_the_same_results_as_the_yaml() {
    let (yaml_project, csv_project) = (with_results("yaml"), with_results("csv"));
    let (_, yaml) = yaml_project.build_site("public", &[]);
    let (_, csv) = csv_project.build_site("public", &[]);
    assert_eq!(statuses(&yaml), statuses(&csv));
    for path in [
        "risultati/index.html",
        "index.html",
        "impegni/index.html",
        "trasparenza/risultati.csv",
        "trasparenza/risultati.json",
    ] {
        let (a, b) = (
            std::fs::read(yaml.file_for(path)).unwrap(),
            std::fs::read(csv.file_for(path)).unwrap(),
        );
        assert!(a == b, "{path} differs between the YAML and the CSV");
    }
}

#[test]
fn charts_hold_the_numbers_of_their_table() {
    let project = with_results("yaml");
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/risultati/");
    let section = select_all(page, "#risultato-credenziali-firma-digitale-response")[0];
    let svg = select_in(section, "svg.carta-chart-svg")[0];
    assert_eq!(svg.attr("role"), Some("img"));
    let title_id = svg.attr("aria-labelledby").unwrap();
    let title = text_of(select_in(svg, &format!("title#{title_id}"))[0]);
    assert!(
        title.contains("(85%)"),
        "the target is in the text alternative: {title}"
    );
    assert!(
        title.contains("2024: 87%.") && title.contains("2025: 84,9%."),
        "{title}"
    );
    let values: Vec<String> = select_in(section, "tr.carta-result .carta-result-value")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(values, ["87%", "84,9%"]);
    // The missed year is drawn as an outline, not only in another colour.
    // The words under the bars are the same numbers as the table's, in the same order.
    let labels: Vec<String> = select_in(section, ".carta-chart-labels .carta-chart-value")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(labels, values);
    assert_eq!(select_in(svg, "rect.carta-chart-bar").len(), 2);
    assert!(
        select_in(svg, "text").is_empty(),
        "the words are HTML, which follows the text size"
    );
    let missed = select_in(svg, "rect.carta-chart-bar-missed");
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].attr("fill"), Some("none"));
    assert!(missed[0].attr("stroke-dasharray").is_some());
    let figure = select_in(section, "figure.carta-chart")[0];
    assert_eq!(
        select_in(figure, "a")[0].attr("href"),
        Some("/trasparenza/risultati.csv")
    );
}

/// One row of `risultati.csv`, as the documented columns name it.
#[derive(Debug, serde::Deserialize, PartialEq)]
struct CsvRow {
    periodo: String,
    dal: String,
    al: String,
    id_impegno: String,
    id_standard: String,
    unita: Option<String>,
    comparatore: Option<String>,
    valore_obiettivo: Option<f64>,
    percentuale_casi: Option<f64>,
    statistica: Option<String>,
    valore_misurato: Option<f64>,
    casi_entro_soglia: Option<u64>,
    casi_totali: Option<u64>,
    esito: String,
    motivo: Option<String>,
    nota: Option<String>,
    fonte: Option<String>,
}

#[test]
fn the_open_data_hold_what_the_yaml_says_and_the_pack_lists_them() {
    let project = with_results("yaml");
    let (_, site) = project.build_site("public", &[]);
    let path = site.file_for("trasparenza/risultati.csv");
    let rows: Vec<CsvRow> = csv::Reader::from_path(&path)
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect();
    let find = |period: &str, commitment: &str, standard: &str| {
        rows.iter()
            .find(|r| {
                r.periodo == period && r.id_impegno == commitment && r.id_standard == standard
            })
            .unwrap_or_else(|| panic!("no row {period} {commitment} {standard}"))
    };
    // Every defined standard that guarantees a level, in both periods.
    assert_eq!(rows.len() % 2, 0);
    assert_eq!(
        rows.iter().filter(|r| r.periodo == "2024").count(),
        rows.len() / 2
    );
    let response = find("2025", "credenziali-firma-digitale", "response");
    assert_eq!(
        (
            response.casi_entro_soglia,
            response.casi_totali,
            response.valore_misurato
        ),
        (Some(849), Some(1000), Some(84.9))
    );
    assert_eq!(
        (response.percentuale_casi, response.valore_obiettivo),
        (Some(85.0), Some(4.0))
    );
    assert_eq!(response.esito, "missed");
    assert_eq!(
        (response.dal.as_str(), response.al.as_str()),
        ("2025-01-01", "2025-12-31")
    );
    let take_charge = find("2024", "credenziali-firma-digitale", "take-charge");
    assert_eq!(take_charge.esito, "met");
    assert_eq!(
        take_charge.fonte.as_deref(),
        Some("Estrazione dal sistema di ticketing")
    );
    let availability = find(
        "2024",
        "disponibilita-sistema-informativo",
        "disponibilita-annua",
    );
    assert_eq!(
        (
            availability.valore_misurato,
            availability.statistica.as_deref(),
            availability.esito.as_str()
        ),
        (Some(97.5), Some("percentage"), "missed")
    );
    assert_eq!(
        (
            availability.comparatore.as_deref(),
            availability.unita.as_deref()
        ),
        (Some("above"), Some("percent"))
    );
    assert_eq!(
        availability.nota.as_deref(),
        Some("Fermo di due giorni per il trasloco del data center")
    );
    let complaints = find("2025", "reclami", "tempo-di-risposta");
    assert_eq!(
        (complaints.esito.as_str(), complaints.motivo.as_deref()),
        ("not_verifiable", Some("mean_only"))
    );
    assert_eq!(
        find("2024", "reclami", "tempo-di-risposta").esito,
        "not_measured"
    );
    let survey = find("2025", "customer-satisfaction", "tasso-di-risposta");
    assert_eq!(
        survey.motivo.as_deref(),
        Some("Il questionario 2025 non è stato somministrato")
    );
    assert_eq!(
        find("2025", "supporto-eventi", "on-request").esito,
        "declared_met"
    );
    assert!(
        rows.iter().all(|r| r.id_standard != "best-effort"),
        "best effort promises nothing to measure"
    );

    // The JSON holds the same rows, with numbers as numbers.
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.file_for("trasparenza/risultati.json")).unwrap(),
    )
    .unwrap();
    let listed = json["risultati"].as_array().unwrap();
    assert_eq!(listed.len(), rows.len());
    let first = &listed[0];
    assert_eq!(first["periodo"], rows[0].periodo.as_str());
    assert_eq!(first["esito"], rows[0].esito.as_str());
    assert!(json["ente"].is_string() && json["licenza"]["id"].is_string());

    // The manifest measures both files, and the catalogue has them as one data set.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for("trasparenza/manifest.json")).unwrap())
            .unwrap();
    let text = manifest.to_string();
    for name in ["risultati.csv", "risultati.json"] {
        let bytes = std::fs::read(site.file_for(&format!("trasparenza/{name}"))).unwrap();
        let sha = {
            use sha2::Digest;
            format!("{:x}", sha2::Sha256::digest(&bytes))
        };
        assert!(
            text.contains(&sha),
            "{name} is in the manifest with its SHA-256"
        );
        assert!(
            text.contains(&format!("\"dimensione_byte\":{}", bytes.len())),
            "{name}'s size"
        );
    }
    let dcat = std::fs::read_to_string(site.file_for("trasparenza/dcat.jsonld")).unwrap();
    assert!(dcat.contains("risultati.csv") && dcat.contains("Risultati degli standard di qualità"));
}

#[test]
fn a_charter_without_results_shows_none() {
    let project = Project::default_copy();
    let (_, site) = project.build_site("public", &[]);
    assert!(site.file_for("index.html").exists());
    assert!(!site.file_for("risultati/index.html").exists());
    assert!(!site.file_for("trasparenza/risultati.csv").exists());
    let dcat = std::fs::read_to_string(site.file_for("trasparenza/dcat.jsonld")).unwrap();
    // The catalogue's own description may name results in general; no data set or file is one.
    assert!(
        !dcat.contains("risultati.csv")
            && !dcat.contains("risultati.json")
            && !dcat.contains("Risultati degli standard di qualità"),
        "no results data set without results"
    );
    for (url, page) in site.web_pages() {
        assert!(
            select_all(page, "a[href^='/risultati/']").is_empty(),
            "{url}"
        );
        assert!(
            select_all(page, ".carta-standard-latest, .carta-results-summary").is_empty(),
            "{url}"
        );
    }
}

/// Runs `check` with today fixed, and returns the diagnostics.
fn check_on(project: &Project, today_epoch: &str) -> common::Run {
    carta_with_env(
        project.root(),
        &["check", "--root", ".", "--color", "never"],
        &[("SOURCE_DATE_EPOCH", today_epoch)],
    )
}

/// 2026-03-01.
const MARCH_2026: &str = "1772323200";

#[test]
fn bad_results_are_located_errors() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "commitment: reclami\n",
            "commitment: reclamo\n",
            "E270",
            "reclamo",
        ),
        (
            "standard: tempo-di-risposta\n",
            "standard: tempo\n",
            "E271",
            "tempo",
        ),
        ("unit: percent\n", "unit: hours\n", "E273", "hours"),
        ("within: 849\n", "within: 1849\n", "E276", "1849"),
        ("value: 99.1\n", "value: 100.5\n", "E277", "100.5"),
        (
            "value: 2\n        statistic: count\n",
            "value: 2\n        statistic: mean\n",
            "E278",
            "frequenza",
        ),
        (
            "declared: met\n        evidence:",
            "within: 3\n        total: 4\n        evidence:",
            "E280",
            "",
        ),
        ("period: 2024\n", "period: 2024-S3\n", "E281", "2024-S3"),
        (
            "        evidence: \"Tutte le 14 richieste di supporto registrate nel protocollo sono state accolte\"\n",
            "",
            "E280",
            "",
        ),
    ];
    for (from, to, code, underlined) in cases {
        let project = with_results("yaml");
        project.replace(RESULTS, from, to);
        check_on(&project, MARCH_2026).assert_one_error(code, RESULTS, underlined);
    }
}

#[test]
fn results_that_cannot_be_read_against_their_standard() {
    let cases: &[(&str, &str, &str)] = &[
        // A standard not defined yet has nothing to measure.
        (
            "standard: tasso-di-risposta\n        not_measured: \"Il questionario 2025 non è stato somministrato\"\n",
            "standard: tasso-di-risposta\n        value: 40\n        statistic: percentage\n",
            "E272",
        ),
        // A best-effort standard guarantees nothing to compare with.
        (
            "commitment: supporto-eventi\n        standard: on-request\n",
            "commitment: firenzewifi\n        standard: best-effort\n",
            "E284",
        ),
        // A standard with a number is measured, not declared.
        (
            "commitment: supporto-eventi\n        standard: on-request\n",
            "commitment: reclami\n        standard: tempo-di-risposta\n",
            "E284",
        ),
    ];
    for (index, (from, to, code)) in cases.iter().enumerate() {
        let project = with_results("yaml");
        if index == 0 {
            project.replace(
                "content/data/commitments.yaml",
                "target: { above: 35, unit: percent }",
                "target: not_defined",
            );
        }
        project.replace(RESULTS, from, to);
        let run = check_on(&project, MARCH_2026);
        let codes: Vec<String> = run
            .diagnostics()
            .into_iter()
            .filter(|d| d.severity == "errore")
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&code.to_string()), "{code}: {}", run.stderr);
        run.assert_code(EXIT_CONTENT_ERRORS);
    }
}

#[test]
fn periods_must_be_over_distinct_and_each_standard_once() {
    // A period not over yet.
    let project = with_results("yaml");
    project.replace(RESULTS, "period: 2025\n", "period: 2026-Q1\n");
    let run = check_on(&project, MARCH_2026);
    let error = run
        .diagnostics()
        .into_iter()
        .find(|d| d.code == "E275")
        .expect(&run.stderr);
    assert_eq!(
        (error.file.as_deref(), error.line),
        (Some(RESULTS), Some(19))
    );
    // Overlapping periods.
    let project = with_results("yaml");
    project.replace(RESULTS, "period: 2025\n", "period: 2024-S2\n");
    let run = check_on(&project, MARCH_2026);
    assert!(
        run.diagnostics().iter().any(|d| d.code == "E274"),
        "{}",
        run.stderr
    );
    // The same standard twice in a period.
    let project = with_results("yaml");
    project.replace(
        RESULTS,
        "      - commitment: reclami\n",
        "      - commitment: vulnerability-assessment\n        standard: frequenza\n        value: 3\n        statistic: count\n      - commitment: reclami\n",
    );
    let run = check_on(&project, MARCH_2026);
    let codes: Vec<String> = run.diagnostics().into_iter().map(|d| d.code).collect();
    assert_eq!(
        codes.iter().filter(|c| *c == "E279").count(),
        1,
        "{}",
        run.stderr
    );
    // Both files at once.
    let project = with_results("yaml");
    project.overlay("results/csv");
    let run = check_on(&project, MARCH_2026);
    assert!(
        run.diagnostics().iter().any(|d| d.code == "E282"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_standard_without_a_result_for_the_last_period_is_a_warning() {
    let project = with_results("yaml");
    let run = check_on(&project, MARCH_2026);
    run.assert_success();
    let warnings: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W270")
        .collect();
    // The take-charge standard of the first commitment has its 2025 result; its neighbour in
    // the list, `sistemi-pubblici`, does not.
    assert!(warnings.iter().all(|w| {
        !w.message
            .contains("credenziali-firma-digitale / take-charge")
    }));
    let public = warnings
        .iter()
        .find(|w| {
            w.message
                .contains("vulnerability-assessment / sistemi-pubblici")
        })
        .expect(&run.stderr);
    assert_eq!(
        public.file.as_deref(),
        Some("content/data/commitments.yaml")
    );
    assert_eq!(public.underlined.as_deref(), Some("sistemi-pubblici"));
    // A year on, 2026 is the last year over and has no results at all: said once.
    let run = check_on(&project, "1804032000");
    let codes: Vec<String> = run.diagnostics().into_iter().map(|d| d.code).collect();
    assert_eq!(
        codes.iter().filter(|c| *c == "W271").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(!codes.contains(&"W270".to_string()));
    // Periods written as two dates: the latest written is the one every standard needs.
    project.replace(RESULTS, "period: 2024\n", "period: 2024-01-01/2024-12-31\n");
    project.replace(RESULTS, "period: 2025\n", "period: 2025-01-01/2025-12-31\n");
    let run = check_on(&project, MARCH_2026);
    run.assert_success();
    let warnings = run.with_code("W270");
    assert!(
        warnings.iter().any(|w| w.message.contains(
            "vulnerability-assessment / sistemi-pubblici non ha un risultato per il periodo 2025-01-01/2025-12-31"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_csv_is_located() {
    let project = with_results("csv");
    let csv = "content/data/results.csv";
    project.replace(
        csv,
        "2025,reclami,tempo-di-risposta,,,12,mean",
        "2025,reclami,tempo-di-risposta,,,12 giorni,mean",
    );
    let run = check_on(&project, MARCH_2026);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let error = run
        .diagnostics()
        .into_iter()
        .find(|d| d.code == "E283")
        .expect(&run.stderr);
    assert_eq!(
        (error.file.as_deref(), error.line, error.col),
        (Some(csv), Some(8), Some(34))
    );
    // Quoted cells (with an escaped quote) before the bad one, and a bad cell in quotes: the
    // column is where the value is written, past the quotes.
    let project = with_results("csv");
    project.replace(
        csv,
        "2025,reclami,tempo-di-risposta,,,12,mean",
        "\"2025\",\"reclami\",\"tempo-di-\"\"risposta\",,,\" 12 giorni\",mean",
    );
    let run = check_on(&project, MARCH_2026);
    let error = run
        .diagnostics()
        .into_iter()
        .find(|d| d.code == "E283")
        .expect(&run.stderr);
    assert_eq!((error.line, error.col), (Some(8), Some(44)), "{error:#?}");
    assert_eq!(error.underlined.as_deref(), Some("12 giorni"));
    let project = with_results("csv");
    project.replace(csv, "declared,evidence", "declard,evidence");
    let run = check_on(&project, MARCH_2026);
    let error = run
        .diagnostics()
        .into_iter()
        .find(|d| d.code == "E283")
        .expect(&run.stderr);
    assert_eq!(error.hint.as_deref(), Some("forse intendevi `declared`?"));
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let project = with_results("yaml");
    let output = project.output("public");
    project.build(&output, &[]).assert_success();
    let before = common::snapshot(&output);
    project.replace(RESULTS, "within: 849\n", "within: 1849\n");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(run.diagnostics().iter().any(|d| d.code == "E276"));
    assert!(
        before == common::snapshot(&output),
        "the previous output changed"
    );
}

#[test]
fn a_missed_standard_says_what_a_citizen_can_do() {
    let project = with_results("yaml");
    // Without remedies in the charter, a missed standard is a warning.
    let run = check_on(&project, MARCH_2026);
    let warning = run
        .diagnostics()
        .into_iter()
        .find(|d| d.code == "W272")
        .expect(&run.stderr);
    assert_eq!(warning.file.as_deref(), Some("content/charter.yaml"));
    let charter = project.read("content/charter.yaml");
    project.write(
        "content/charter.yaml",
        &format!(
            "{}\nremedies:\n  complaint: \"Reclamo scritto alla Direzione\"\n  complaint_url: \"/rapporto-con-il-cittadino/\"\n  compensation: not_provided\n",
            charter.trim_end()
        ),
    );
    let run = check_on(&project, MARCH_2026);
    assert!(
        run.diagnostics().iter().all(|d| d.code != "W272"),
        "{}",
        run.stderr
    );
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/risultati/");
    let remedies = select_all(page, "#rimedi-2");
    assert_eq!(remedies.len(), 1);
    let text = text_of(remedies[0]);
    assert!(
        text.contains("Reclamo: Reclamo scritto alla Direzione"),
        "{text}"
    );
    assert!(text.contains("Indennizzo: non previsto"), "{text}");
    // Beside the missed result, and only there, a link to them.
    let section = select_all(page, "#risultato-credenziali-firma-digitale-response")[0];
    let rows = select_in(section, "tr.carta-result");
    assert!(select_in(rows[0], ".carta-result-remedy").is_empty());
    let beside = select_in(rows[1], ".carta-result-remedy a");
    assert_eq!(beside[0].attr("href"), Some("#rimedi-2"));
    let service = site.page("/impegni/credenziali-firma-digitale/");
    let section = select_all(service, "section[aria-labelledby=carta-service-remedies]");
    assert_eq!(section.len(), 1);
    assert!(text_of(section[0]).contains("Indennizzo: non previsto"));
}

/// Results for 2024 and 2025 of two standards whose targets the fixture's edition 2024 (in force
/// from 29 February 2024 to 3 June 2025) set otherwise: the data centre's availability was
/// "above 99.8%" (today 99.6%), the credentials' taking charge "within 5 days in 85%" (today 3).
const ACROSS_EDITIONS: &str = "periods:
  - period: 2024
    results:
      - commitment: data-center-servizi-intranet
        standard: availability
        value: 99.7
        statistic: percentage
      - commitment: credenziali-firma-digitale
        standard: take-charge
        within: 850
        total: 1000
  - period: 2025
    results:
      - commitment: data-center-servizi-intranet
        standard: availability
        value: 99.7
        statistic: percentage
      - commitment: credenziali-firma-digitale
        standard: take-charge
        within: 930
        total: 1000
";

/// The Firenze charter with [`ACROSS_EDITIONS`], and with the fixture's edition 2024 when asked.
fn across_editions(with_2024: bool) -> Project {
    let project = Project::default_copy();
    if with_2024 {
        common::copy_tree(
            &common::repo_root().join("tests/fixtures/editions/2024"),
            &project.path("content/editions/2024"),
        );
    }
    project.write(RESULTS, ACROSS_EDITIONS);
    project
}

#[derive(Debug, serde::Deserialize)]
struct TargetColumns {
    periodo: String,
    id_impegno: String,
    id_standard: String,
    valore_obiettivo: Option<f64>,
    edizione_obiettivo: String,
    esito: String,
}

fn target_columns(
    site: &Site,
    commitment: &str,
    standard: &str,
) -> Vec<(String, f64, String, String)> {
    csv::Reader::from_path(site.file_for("trasparenza/risultati.csv"))
        .unwrap()
        .deserialize::<TargetColumns>()
        .map(Result::unwrap)
        .filter(|row| row.id_impegno == commitment && row.id_standard == standard)
        .map(|row| {
            (
                row.periodo,
                row.valore_obiettivo.unwrap(),
                row.edizione_obiettivo,
                row.esito,
            )
        })
        .collect()
}

#[test]
fn each_period_is_read_against_the_target_in_force_on_its_last_day() {
    let project = across_editions(true);
    let (_, site) = project.build_site("public", &[]);
    let all = statuses(&site);
    let availability = "risultato-data-center-servizi-intranet-availability";
    // 99.7% missed the 99.8% of the edition in force in 2024, and met today's 99.6% in 2025.
    let (_, status, text) = status_of(&all, availability, "2024");
    assert_eq!(status, "carta-status-missed", "{text}");
    let (_, status, text) = status_of(&all, availability, "2025");
    assert_eq!(status, "carta-status-met", "{text}");
    // The earlier target is said beside the value, and only there.
    let page = site.page("/risultati/");
    let section = select_all(page, &format!("#{availability}"))[0];
    let said: Vec<(String, String)> = select_in(section, "tr.carta-result")
        .into_iter()
        .map(|row| {
            let target = select_in(row, ".carta-result-target");
            (
                row.attr("data-period").unwrap().to_string(),
                target.first().map(|t| text_of(*t)).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            (
                "2024".to_string(),
                "Obiettivo in vigore allora (edizione 2024): superiore al 99,8% su base annua"
                    .to_string()
            ),
            ("2025".to_string(), String::new()),
        ]
    );
    // The credentials' share of 85% was the same in both editions: the chart has one line, and
    // the row still names the deadline of then.
    let take_charge = select_all(page, "#risultato-credenziali-firma-digitale-take-charge")[0];
    assert_eq!(select_in(take_charge, "line.carta-chart-target").len(), 1);
    assert_eq!(
        text_of(select_in(take_charge, ".carta-result-target")[0]),
        "Obiettivo in vigore allora (edizione 2024): entro 5 giorni nell'85% dei casi"
    );
    assert_eq!(
        target_columns(&site, "data-center-servizi-intranet", "availability"),
        [
            ("2024".into(), 99.8, "2024".into(), "missed".into()),
            ("2025".into(), 99.6, "2025".into(), "met".into()),
        ]
    );
}

#[test]
fn the_chart_draws_the_target_of_each_period_as_a_labelled_step() {
    let project = across_editions(true);
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/risultati/");
    let section = select_all(page, "#risultato-data-center-servizi-intranet-availability")[0];
    let svg = select_in(section, "svg.carta-chart-svg")[0];
    let number = |element: scraper::ElementRef<'_>, name: &str| -> f64 {
        element.attr(name).unwrap().parse().unwrap()
    };
    let steps: Vec<(f64, f64, f64)> = select_in(svg, "line.carta-chart-target")
        .into_iter()
        .map(|line| {
            assert_eq!(number(line, "y1"), number(line, "y2"), "a step is level");
            (number(line, "x1"), number(line, "x2"), number(line, "y1"))
        })
        .collect();
    assert_eq!(steps.len(), 2, "{steps:?}");
    let ((x1, x2, higher), (next_x1, next_x2, lower)) = (steps[0], steps[1]);
    // The first step over the 2024 bar, the second over 2025's, and 99.8% above 99.6%.
    assert_eq!((x1, x2, next_x1, next_x2), (0.0, 160.0, 160.0, 320.0));
    assert!(higher < lower, "{steps:?}");
    let bars = select_in(svg, "rect.carta-chart-bar");
    for (bar, (from, to)) in bars.iter().zip([(x1, x2), (next_x1, next_x2)]) {
        let x = number(*bar, "x");
        assert!(
            from <= x && x + number(*bar, "width") <= to,
            "the bar under its step"
        );
    }
    // The line falls where the target changed, at the edge between the two periods.
    let rise: Vec<_> = select_in(svg, "line")
        .into_iter()
        .filter(|line| line.attr("x1") == Some("160.0") && line.attr("x2") == Some("160.0"))
        .collect();
    assert_eq!(rise.len(), 1);
    assert_eq!(
        (number(rise[0], "y1"), number(rise[0], "y2")),
        (higher, lower)
    );
    // Labelled: in the key, under each bar and in the text alternative.
    let key = text_of(select_in(section, ".carta-chart-key")[0]);
    assert_eq!(key, "Obiettivo 99,8% nel 2024, 99,6% nel 2025");
    let under: Vec<String> = select_in(section, ".carta-chart-bar-target")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(under, ["Obiettivo 99,8%", "Obiettivo 99,6%"]);
    let title = text_of(select_in(svg, "title")[0]);
    assert!(
        title.contains("(99,8% nel 2024, 99,6% nel 2025). 2024: 99,7%. 2025: 99,7%."),
        "{title}"
    );
}

#[test]
fn without_the_earlier_edition_every_period_is_read_against_todays_target() {
    let project = across_editions(false);
    let (_, site) = project.build_site("public", &[]);
    let all = statuses(&site);
    let availability = "risultato-data-center-servizi-intranet-availability";
    for period in ["2024", "2025"] {
        let (_, status, text) = status_of(&all, availability, period);
        assert_eq!(status, "carta-status-met", "{period}: {text}");
    }
    let page = site.page("/risultati/");
    assert!(select_all(page, ".carta-result-target, .carta-chart-bar-target").is_empty());
    assert_eq!(
        select_all(
            page,
            "#risultato-data-center-servizi-intranet-availability line.carta-chart-target"
        )
        .len(),
        1
    );
    assert_eq!(
        target_columns(&site, "data-center-servizi-intranet", "availability"),
        [
            ("2024".into(), 99.6, "2025".into(), "met".into()),
            ("2025".into(), 99.6, "2025".into(), "met".into()),
        ]
    );
}

/// A changed standard's results on "Cosa è cambiato": its block's id, its old target, and each
/// period with its status.
type ChangeResults = (String, String, Vec<(String, String)>);

#[test]
fn cosa_e_cambiato_gives_the_results_before_the_change_against_the_old_target() {
    let project = across_editions(true);
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/edizioni/2025/cosa-e-cambiato/");
    let section = single(page, "section.carta-changes-results");
    assert_eq!(
        text_of(select_in(section, "h2")[0]),
        "Risultati prima del cambiamento"
    );
    // Each changed standard with results measured under the edition 2024: its old target and
    // each period with its status against it (99.7% missed 99.8%; 85% met 85%).
    let shown: Vec<ChangeResults> = select_in(section, ".carta-change-results")
        .into_iter()
        .map(|block| {
            let rows = select_in(block, "tr.carta-result")
                .into_iter()
                .map(|row| {
                    (
                        row.attr("data-period").unwrap().to_string(),
                        text_of(select_in(row, ".carta-status")[0]),
                    )
                })
                .collect();
            (
                block.attr("id").unwrap().to_string(),
                text_of(select_in(block, "p")[0]),
                rows,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "risultati-prima-credenziali-firma-digitale-take-charge".to_string(),
                "Obiettivo precedente: Presa in carico entro 5 giorni nell'85% dei casi"
                    .to_string(),
                vec![("2024".to_string(), "✓ Rispettato".to_string())]
            ),
            (
                "risultati-prima-data-center-servizi-intranet-availability".to_string(),
                "Obiettivo precedente: Disponibilità superiore al 99,8% annuo".to_string(),
                vec![("2024".to_string(), "✗ Non rispettato".to_string())]
            ),
        ]
    );
    // A target relaxed after it was missed is said plainly; a tightened one is not.
    let plain: Vec<(String, String)> = select_in(section, ".carta-change-relaxed-after-missed")
        .into_iter()
        .map(|p| {
            let block = common::ancestor(p, "div").unwrap();
            (block.attr("id").unwrap().to_string(), text_of(p))
        })
        .collect();
    assert_eq!(
        plain,
        [(
            "risultati-prima-data-center-servizi-intranet-availability".to_string(),
            "L'obiettivo è stato ridotto dopo che nel 2024 non era stato rispettato.".to_string()
        )]
    );
    let table = select_in(section, "table")[0];
    assert_eq!(
        text_of(select_in(table, "caption")[0]),
        "Risultati con l'obiettivo precedente: Presa in carico – Gestione e rilascio credenziali di autenticazione, firma digitale; richieste relative a PKI e PEC"
    );
}

#[test]
fn cosa_e_cambiato_says_nothing_of_results_where_there_are_none() {
    let project = Project::default_copy();
    common::copy_tree(
        &common::repo_root().join("tests/fixtures/editions/2024"),
        &project.path("content/editions/2024"),
    );
    let (_, site) = project.build_site("public", &[]);
    let page = site.page("/edizioni/2025/cosa-e-cambiato/");
    assert!(select_all(page, ".carta-changes-results, .carta-change-results").is_empty());
    assert!(!text_of(single(page, "main")).contains("Risultati"));
}

#[test]
fn a_draft_that_relaxes_a_missed_target_says_so_in_its_own_words() {
    let project = across_editions(true);
    // Without its approval the edition 2025 is a draft: the edition 2024 stays in force, and
    // both years are read against its 99.8%.
    project.replace(
        "content/charter.yaml",
        "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\npublished: 2025-06-03\n",
        "",
    );
    let (_, site) = project.build_site("public", &["--allow-draft"]);
    let all = statuses(&site);
    for period in ["2024", "2025"] {
        let (_, status, text) = status_of(
            &all,
            "risultato-data-center-servizi-intranet-availability",
            period,
        );
        assert_eq!(status, "carta-status-missed", "{period}: {text}");
    }
    let page = site.page("/edizioni/2025/cosa-e-cambiato/");
    let block = single(
        page,
        "#risultati-prima-data-center-servizi-intranet-availability",
    );
    assert_eq!(select_in(block, "tr.carta-result").len(), 2);
    assert_eq!(
        text_of(select_in(block, ".carta-change-relaxed-after-missed")[0]),
        "Questa bozza riduce l'obiettivo, che nel 2025 non è stato rispettato."
    );
}

#[test]
fn results_compared_across_a_change_of_target_are_a_warning_at_the_first_result_after_it() {
    let project = across_editions(true);
    let run = check_on(&project, MARCH_2026);
    run.assert_success();
    let warnings = run.with_code("W273");
    let said: Vec<(&str, Option<u32>, Option<u32>)> = warnings
        .iter()
        .map(|w| (w.message.as_str(), w.line, w.col))
        .collect();
    // Lines 14 and 18 of ACROSS_EDITIONS: the 2025 results of the two standards.
    assert_eq!(
        said,
        [
            (
                "lo standard data-center-servizi-intranet / availability ha un obiettivo meno stringente dall'edizione 2025 (da `above 99.8 percent` dell'edizione 2024 a `above 99.6 percent`): i risultati del periodo 2024 e del periodo 2025 sono confrontati a cavallo del cambiamento",
                Some(14),
                Some(21)
            ),
            (
                "lo standard credenziali-firma-digitale / take-charge ha un obiettivo più stringente dall'edizione 2025 (da `within 5 days, 85% dei casi` dell'edizione 2024 a `within 3 days, 85% dei casi`): i risultati del periodo 2024 e del periodo 2025 sono confrontati a cavallo del cambiamento",
                Some(18),
                Some(21)
            ),
        ],
        "{}",
        run.stderr
    );
    assert!(warnings.iter().all(|w| {
        w.file.as_deref() == Some("content/data/results.yaml")
            && w.hint
                .as_deref()
                .is_some_and(|hint| hint.contains("controlla che i dati siano confrontabili"))
    }));
    // A target that became stricter in one way and looser in another, or that changed its unit,
    // is said as such.
    let take_charge = |run: &common::Run| -> String {
        run.with_code("W273")
            .into_iter()
            .map(|w| w.message)
            .find(|message| message.contains("take-charge"))
            .unwrap_or_else(|| panic!("no W273 for take-charge: {}", run.stderr))
    };
    let fixture = "content/editions/2024/data/commitments.yaml";
    project.replace(
        fixture,
        "take_charge: { days: 5, percent: 85 }",
        "take_charge: { days: 5, percent: 90 }",
    );
    assert!(
        take_charge(&check_on(&project, MARCH_2026)).starts_with(
            "lo standard credenziali-firma-digitale / take-charge ha un obiettivo in parte più e in parte meno stringente dall'edizione 2025 (da `within 5 days, 90% dei casi` dell'edizione 2024 a `within 3 days, 85% dei casi`)"
        )
    );
    project.replace(
        fixture,
        "take_charge: { days: 5, percent: 90 }",
        "take_charge: { days: 5, unit: working_days, percent: 85 }",
    );
    let changed = take_charge(&check_on(&project, MARCH_2026));
    assert!(
        changed.contains(
            "ha un obiettivo diverso dall'edizione 2025 (da `within 5 working_days, 85% dei casi`"
        ),
        "{changed}"
    );
    // Results on one side of the change only, or without the earlier edition: no warning.
    project.write(
        RESULTS,
        &ACROSS_EDITIONS[..ACROSS_EDITIONS.find("  - period: 2025").unwrap()],
    );
    assert!(check_on(&project, MARCH_2026).with_code("W273").is_empty());
    let project = across_editions(false);
    assert!(check_on(&project, MARCH_2026).with_code("W273").is_empty());
}

#[test]
fn a_result_is_checked_against_the_standard_of_its_period() {
    // In the edition 2024 the credentials' response time was counted in working days; today in
    // calendar days. A 2024 result in working days fits its standard; a 2025 one does not.
    let project = across_editions(true);
    project.replace(
        "content/editions/2024/data/commitments.yaml",
        "      - response: { days: 4, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologiche]",
        "      - response: { days: 4, unit: working_days, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologiche]",
    );
    let response = |period: &str| {
        format!(
            "  - period: {period}\n    results:\n      - commitment: credenziali-firma-digitale\n        standard: response\n        within: 870\n        total: 1000\n        unit: working_days\n"
        )
    };
    project.write(
        RESULTS,
        &format!("periods:\n{}{}", response("2024"), response("2025")),
    );
    let run = check_on(&project, MARCH_2026);
    let wrong: Vec<(Option<u32>, String)> = run
        .with_code("E273")
        .into_iter()
        .map(|d| (d.line, d.message))
        .collect();
    assert_eq!(
        wrong,
        [(
            Some(15),
            "il risultato di credenziali-firma-digitale / response è in `working_days`, ma lo standard si misura in `days`".to_string()
        )],
        "{}",
        run.stderr
    );
}
