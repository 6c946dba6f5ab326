//! General standards in a built site: a standard not yet defined is said so and exported as such,
//! never as a number; the full form shows its formula and legal basis; impossible combinations of
//! unit, comparator, period, share and kind are located errors whose hints give no other ente's
//! numbers. (The sentence of every unit and comparator is checked in `src/render/standards.rs`.)

mod common;

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, Project, Site, select_all, select_in, text_of};
use serde_json::Value;

const COMMITMENTS: &str = "content/data/commitments.yaml";

/// The standards of the first commitment in the default charter.
const FIRST_STANDARDS: &str = "    standards:\n      - take_charge: { days: 3, percent: 85 }\n      - response: { days: 4, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologiche]";

/// Replaces the first commitment's standards with `standards` (YAML lines under `standards:`,
/// or ` not_defined` on the same line).
fn with_first_standards(project: &Project, standards: &str) -> String {
    project.replace(
        COMMITMENTS,
        FIRST_STANDARDS,
        &format!(
            "    standards:{standards}\n    responsible: [gestione-infrastrutture-tecnologiche]"
        ),
    )
}

/// A standard as shown: its text and its classes.
type Shown = (String, Vec<String>);

/// Every commitment row of a page: its id and its standards.
fn rows(site: &Site, url: &str) -> Vec<(String, Vec<Shown>)> {
    select_all(site.page(url), "tr[id^=impegno-]")
        .into_iter()
        .map(|row| {
            let standards = select_in(row, "li.carta-standard")
                .into_iter()
                .map(|li| {
                    let classes = li.value().classes().map(str::to_string).collect();
                    (text_of(li), classes)
                })
                .collect();
            (row.attr("id").unwrap().to_string(), standards)
        })
        .collect()
}

fn csv(site: &Site) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(site.dir.join("trasparenza/impegni.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    (headers, reader.records().map(Result::unwrap).collect())
}

#[test]
fn a_standard_not_yet_defined_is_said_so_and_exported_without_a_number() {
    let project = Project::default_copy();
    with_first_standards(&project, " not_defined");
    // A defined commitment whose second standard is still to be defined, in full form.
    project.replace(
        COMMITMENTS,
        "      - id: tasso-di-risposta\n        dimension: efficacia\n        indicator: \"Tasso di risposta al questionario\"\n        target: { above: 35, unit: percent }",
        "      - id: tasso-di-risposta\n        dimension: efficacia\n        indicator: \"Tasso di risposta al questionario\"\n        target: not_defined",
    );
    // `standards: not_defined` is no longer an empty list: even --strict accepts it.
    let (run, site) = project.build_site("public", &["--strict"]);
    assert_eq!(run.stderr.trim(), "", "{}", run.stderr);

    for url in ["/impegni/", "/standard-di-qualita/"] {
        let rows = rows(&site, url);
        let (id, first) = &rows[0];
        assert_eq!(id, "impegno-credenziali-firma-digitale");
        assert_eq!(first.len(), 1, "{url}: one standard, not defined");
        assert_eq!(first[0].0, "Standard in via di definizione", "{url}");
        assert!(first[0].1.contains(&"carta-standard-undefined".to_string()));
        assert!(!first[0].0.chars().any(|c| c.is_ascii_digit()));
        let (_, survey) = rows.last().unwrap();
        assert_eq!(
            survey[1].0,
            "Tasso di risposta al questionario: standard in via di definizione Dimensione: Efficacia",
            "{url}"
        );
        assert!(
            survey[1]
                .1
                .contains(&"carta-standard-undefined".to_string())
        );
        // The defined ones are not marked.
        assert!(
            !survey[0]
                .1
                .contains(&"carta-standard-undefined".to_string())
        );
    }

    // CSV: status not_defined, no number anywhere in the row's figures.
    let (headers, records) = csv(&site);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let numbers = [
        "comparatore",
        "valore",
        "unita",
        "periodo",
        "percentuale_casi",
        "giorni",
        "disponibilita_percentuale",
        "tipologia",
    ];
    let undefined: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|row| &row[column("stato")] == "not_defined")
        .collect();
    assert_eq!(undefined.len(), 2);
    let first = undefined[0];
    assert_eq!(&first[column("id_impegno")], "credenziali-firma-digitale");
    assert_eq!(&first[column("id_standard")], "not-defined");
    assert_eq!(&first[column("tipo_standard")], "not_defined");
    assert_eq!(&first[column("tipo_valore")], "not_defined");
    assert_eq!(&first[column("standard")], "Standard in via di definizione");
    let survey = undefined[1];
    assert_eq!(&survey[column("id_standard")], "tasso-di-risposta");
    assert_eq!(&survey[column("dimensione")], "efficacia");
    assert_eq!(
        &survey[column("indicatore")],
        "Tasso di risposta al questionario"
    );
    for row in &undefined {
        for name in numbers {
            assert_eq!(&row[column(name)], "", "{name} of an undefined standard");
        }
    }
    assert!(
        records
            .iter()
            .filter(|row| &row[column("stato")] == "defined")
            .all(|row| !row[column("tipo_valore")].is_empty()),
    );

    // JSON: the same, with nulls.
    let data: Value =
        serde_json::from_slice(&std::fs::read(site.dir.join("trasparenza/impegni.json")).unwrap())
            .unwrap();
    let first = &data["impegni"][0]["standard"];
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_eq!(first[0]["stato"], "not_defined");
    assert_eq!(first[0]["descrizione"], "Standard in via di definizione");
    for name in [
        "comparatore",
        "valore",
        "unita",
        "periodo",
        "percentuale_casi",
        "giorni",
    ] {
        assert_eq!(first[0][name], Value::Null, "{name}");
    }
    let survey = data["impegni"].as_array().unwrap().last().unwrap()["standard"][1].clone();
    assert_eq!(survey["stato"], "not_defined");
    assert_eq!(survey["id"], "tasso-di-risposta");
    assert_eq!(survey["valore"], Value::Null);
    assert_eq!(survey["unita"], Value::Null);
}

#[test]
fn the_full_form_shows_its_formula_and_legal_basis_and_exports_every_field() {
    let project = Project::default_copy();
    with_first_standards(
        &project,
        "\n      - id: conclusione\n        dimension: tempestività\n        sub_dimension: \"tempestività del procedimento\"\n        indicator: \"Conclusione del procedimento\"\n        formula: \"giorni lavorativi tra la richiesta e il provvedimento\"\n        target: { within: 30, unit: working_days }\n        share: 90\n        legal_basis: \"art. 2, legge 7 agosto 1990, n. 241\"\n      - dimension: accessibilità\n        indicator: \"Apertura dello sportello\"\n        target: { at_least: 18, unit: hours, per: week }",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert_eq!(run.stderr.trim(), "", "{}", run.stderr);
    let page = site.page("/impegni/");
    let row = select_all(page, "tr#impegno-credenziali-firma-digitale")[0];
    let items = select_in(row, "li.carta-standard");
    assert_eq!(
        text_of(items[0]),
        "Conclusione del procedimento: entro 30 giorni lavorativi nel 90% dei casi \
         Dimensione: Tempestività (tempestività del procedimento) \
         Formula: giorni lavorativi tra la richiesta e il provvedimento \
         Riferimento normativo: art. 2, legge 7 agosto 1990, n. 241"
    );
    assert_eq!(
        text_of(select_in(items[0], ".carta-standard-formula .carta-note-label")[0]),
        "Formula:"
    );
    assert_eq!(
        text_of(items[1]),
        "Apertura dello sportello: almeno 18 ore alla settimana Dimensione: Accessibilità"
    );

    let (headers, records) = csv(&site);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let get = |row: &csv::StringRecord, name: &str| row[column(name)].to_string();
    let first = &records[0];
    let expected = [
        ("id_standard", "conclusione"),
        ("stato", "defined"),
        ("dimensione", "tempestivita"),
        ("sottodimensione", "tempestività del procedimento"),
        ("indicatore", "Conclusione del procedimento"),
        (
            "formula",
            "giorni lavorativi tra la richiesta e il provvedimento",
        ),
        ("tipologia", "general"),
        ("tipo_standard", ""),
        ("tipo_valore", "measure"),
        ("comparatore", "within"),
        ("valore", "30"),
        ("unita", "working_days"),
        ("periodo", ""),
        ("percentuale_casi", "90"),
        ("base_normativa", "art. 2, legge 7 agosto 1990, n. 241"),
        ("giorni", ""),
    ];
    for (name, value) in expected {
        assert_eq!(get(first, name), value, "{name}");
    }
    let second = &records[1];
    assert_eq!(
        get(second, "id_standard"),
        "apertura-dello-sportello",
        "derived id"
    );
    assert_eq!(get(second, "periodo"), "week");
    assert_eq!(get(second, "unita"), "hours");
    assert_eq!(get(second, "tipologia"), "general");
}

#[test]
fn an_exact_value_reads_pari_a_and_is_exported_as_equal() {
    let project = Project::default_copy();
    with_first_standards(
        &project,
        "\n      - dimension: accessibilità\n        indicator: \"Apertura dello sportello\"\n        target: { equal: 36, unit: hours, per: week }\n      - dimension: efficacia\n        indicator: \"Pratiche evase\"\n        target: { equal: 80, unit: percent }",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert_eq!(run.stderr.trim(), "", "{}", run.stderr);
    for url in ["/impegni/", "/impegni/credenziali-firma-digitale/"] {
        let items = select_all(site.page(url), "li.carta-standard");
        let texts: Vec<String> = items.iter().take(2).map(|li| text_of(*li)).collect();
        assert_eq!(
            texts,
            [
                "Apertura dello sportello: pari a 36 ore alla settimana Dimensione: Accessibilità",
                "Pratiche evase: pari all'80% Dimensione: Efficacia"
            ],
            "{url}"
        );
    }
    let (headers, records) = csv(&site);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let cells = |row: &csv::StringRecord| {
        ["comparatore", "valore", "unita", "periodo"].map(|name| row[column(name)].to_string())
    };
    assert_eq!(cells(&records[0]), ["equal", "36", "hours", "week"]);
    assert_eq!(cells(&records[1]), ["equal", "80", "percent", ""]);
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(site.dir.join("trasparenza/impegni.json")).unwrap(),
    )
    .unwrap();
    let first = &json["impegni"][0]["standard"][0];
    assert_eq!(first["comparatore"], "equal");
    assert_eq!(first["valore"], 36.0);
}

#[test]
fn impossible_standards_are_located_errors_with_neutral_hints() {
    // (standard in full form after `target:` …, code, the text the error points at)
    let cases: [(&str, &str, &str); 13] = [
        ("target: { above: 120, unit: percent }", "E135", "120"),
        ("target: { equal: 0, unit: hours, per: week }", "E135", "0"),
        (
            "target: { at_least: -2, unit: count, per: year }",
            "E135",
            "-2",
        ),
        ("target: { within: 0, unit: working_days }", "E135", "0"),
        ("target: { within: 2.5, unit: working_days }", "E135", "2.5"),
        ("target: { above: 100, unit: percent }", "E135", "100"),
        ("target: { within: 90, unit: percent }", "E145", "percent"),
        (
            "target: { at_most: 15, unit: minutes, per: year }",
            "E145",
            "year",
        ),
        (
            "target: { within: 3, unit: days, per: year }",
            "E145",
            "year",
        ),
        (
            "target: { at_least: 2, unit: days, per: day }",
            "E145",
            "day }",
        ),
        (
            "target: { above: 35, unit: percent }\n        share: 90",
            "E145",
            "90",
        ),
        (
            "target: { within: 3, unit: days }\n        share: 90\n        kind: specific",
            "E145",
            "specific",
        ),
        ("target: immediate\n        share: 90", "E145", "90"),
    ];
    for (target, code, pointed) in cases {
        let project = Project::default_copy();
        let text = with_first_standards(
            &project,
            &format!(
                "\n      - dimension: tempestività\n        indicator: \"Tempo\"\n        {target}"
            ),
        );
        let run = project.build(&project.output("public"), &[]);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{target}: {}", run.stderr);
        let diagnostic = &diagnostics[0];
        // The error points at the value that makes the standard impossible.
        let block_start = text.find("indicator: \"Tempo\"").unwrap();
        let offset = block_start + text[block_start..].find(pointed).unwrap();
        let line = text[..offset].matches('\n').count() as u32 + 1;
        let col = text[..offset].rsplit('\n').next().unwrap().chars().count() as u32 + 1;
        diagnostic.assert_at(code, COMMITMENTS, line, col);
        let hint = diagnostic.hint.as_deref().expect("a hint");
        for number in ["85", "99.6", "99,6", "days: 3", "4073"] {
            assert!(
                !hint.contains(number),
                "{target}: the hint gives no other charter's numbers: {hint}"
            );
        }
    }
}

#[test]
fn empty_standards_and_a_lone_not_defined_among_others_say_how_to_write_them() {
    let project = Project::default_copy();
    let text = with_first_standards(&project, " []");
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "standards: []", "[]");
    diagnostics[0].assert_at("E136", COMMITMENTS, line, col);
    diagnostics[0].assert_hint(
        "aggiungi almeno uno standard, per esempio `- take_charge: {days: N, percent: P}`; se gli standard non sono ancora definiti scrivi `standards: not_defined`",
    );

    let project = Project::default_copy();
    let text = with_first_standards(
        &project,
        "\n      - take_charge: { days: 2, percent: 70 }\n      - not_defined",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "      - not_defined", "not_defined");
    diagnostics[0].assert_at("E145", COMMITMENTS, line, col);

    // A written id used twice in one commitment.
    let project = Project::default_copy();
    let text = with_first_standards(
        &project,
        "\n      - take_charge: { days: 2, percent: 70, id: presa }\n      - response: { days: 5, percent: 70, id: presa }",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    // The second `presa` is the one reported.
    let offset = text.rfind("id: presa").unwrap() + "id: ".len();
    let second_line = text[..offset].matches('\n').count() as u32 + 1;
    let second_col = text[..offset].rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    diagnostics[0].assert_at("E130", COMMITMENTS, second_line, second_col);
}

#[test]
fn a_charter_whose_standards_are_all_still_to_define_passes_strict_check() {
    let project = Project::default_copy();
    let text = project.read(COMMITMENTS);
    // Every commitment: `standards:` followed by its list, replaced by `standards: not_defined`.
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_start().starts_with("standards:") {
            out.push_str("    standards: not_defined\n");
            skipping = true;
            continue;
        }
        if skipping && line.starts_with("      ") {
            continue;
        }
        skipping = false;
        out.push_str(line);
        out.push('\n');
    }
    project.write(COMMITMENTS, &out);
    let check = project.check(&["--strict"]);
    check.assert_code(EXIT_OK);
    let (_run, site) = project.build_site("public", &[]);
    let sentences: Vec<String> = select_all(site.page("/impegni/"), "li.carta-standard")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(sentences.len(), 14);
    assert!(
        sentences
            .iter()
            .all(|s| s == "Standard in via di definizione"),
        "{sentences:?}"
    );
}

#[test]
fn a_short_form_in_working_days_reads_and_exports_as_the_long_form() {
    let project = Project::default_copy();
    with_first_standards(
        &project,
        "\n      - take_charge: { days: 2, unit: working_days, percent: 90 }\n      - dimension: tempestività\n        indicator: \"Presa in carico\"\n        target: { within: 2, unit: working_days }\n        share: 90\n      - response: { days: 1, unit: calendar_days, percent: 85 }\n      - response: { days: 4, percent: 85 }",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert_eq!(run.stderr.trim(), "", "{}", run.stderr);

    let rows = rows(&site, "/impegni/");
    let texts: Vec<&str> = rows[0].1.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Presa in carico entro 2 giorni lavorativi nel 90% dei casi Dimensione: Tempestività",
            "Presa in carico: entro 2 giorni lavorativi nel 90% dei casi Dimensione: Tempestività",
            "Tempo di risposta entro 1 giorno di calendario nell'85% dei casi Dimensione: Tempestività",
            // Without a unit, as before: days not said which.
            "Tempo di risposta entro 4 giorni nell'85% dei casi Dimensione: Tempestività",
        ]
    );

    let (headers, records) = csv(&site);
    let column = |record: &csv::StringRecord, name: &str| {
        let index = headers.iter().position(|header| header == name).unwrap();
        record[index].to_string()
    };
    let first: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|record| column(record, "id_impegno") == "credenziali-firma-digitale")
        .collect();
    let (short, long) = (first[0], first[1]);
    // Every column that says what is promised is the long form's; only the form and the id,
    // which say how it was written, differ.
    for name in [
        "stato",
        "dimensione",
        "indicatore",
        "tipologia",
        "tipo_valore",
        "comparatore",
        "valore",
        "unita",
        "periodo",
        "percentuale_casi",
        "giorni",
    ] {
        assert_eq!(column(short, name), column(long, name), "{name}");
    }
    assert_eq!(column(short, "unita"), "working_days");
    assert_eq!(column(short, "valore"), "2");
    assert_eq!(
        column(short, "giorni"),
        "",
        "giorni is for days not said which"
    );
    assert_eq!(column(short, "tipo_standard"), "take_charge");
    assert_eq!(column(first[3], "giorni"), "4");
    assert_eq!(column(first[3], "unita"), "days");
}

#[test]
fn a_short_form_counts_only_days() {
    let project = Project::default_copy();
    let text = with_first_standards(
        &project,
        "\n      - take_charge: { days: 2, unit: hours, percent: 90 }",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let line = text
        .lines()
        .position(|line| line.contains("unit: hours"))
        .unwrap() as u32
        + 1;
    assert_eq!(
        (diagnostics[0].code.as_str(), diagnostics[0].line),
        ("E102", Some(line))
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("i tipi ammessi sono: days, working_days, calendar_days")
    );
}
