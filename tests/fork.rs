//! Forking the charter for another comune: `carta init --from` copies the Firenze charter, clears
//! its identity and records every fact of Firenze's charter in `[fork]`; `carta check` and `carta
//! build` then report, at its place, every one of them still in the copy (`W180`) until it is
//! changed or kept, and every value still to fill in (`E146`).
//!
//! The new ente is Comune di Quarto, whose real charter is a careless copy of Firenze's: it still
//! says «i cittadini fiorentini».

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, Project, Run, Site, carta, sel};
use serde::Deserialize;

const NEW_NAME: &str = "Comune di Quarto";

/// The paragraph of Comune di Quarto's charter (its introduction) copied from Firenze's text, as
/// Quarto published it.
const QUARTO_INTRODUCTION: &str = "Azioni di sviluppo in campo digitale orientate costantemente a incrementare i livelli qualitativi di servizio sono testimoniate dalle attività realizzate soprattutto nell'ultimo biennio dal Settore Ict del Comune di Quarto per aumentare il grado di digitalizzazione dei servizi della Pubblica Amministrazione, costituendo un benchmark di riferimento per altri Comuni del territorio campano. In ambito PA digitale, i cittadini fiorentini possono usufruire di una molteplicità di servizi telematici: anagrafe, servizi per le scuole e gli asili nido, pagamenti elettronici delle imposte comunali. La presente Carta dei Servizi Ict del Comune di Quarto è aggiornata a seguito di ogni modifica delle attività del servizio e sarà oggetto di revisione periodica, almeno una volta all'anno, al fine di valutare la costante idoneità degli indicatori di performance definiti dall'organizzazione.";

/// Lines of Firenze's charter (its organization and contacts) that a careless editor pastes into
/// a chapter: people (one written surname first), phones spaced otherwise than in the data, the
/// seat, the approval act and its date.
const FIRENZE_CONTACTS: &str = "\
Attuale direttore della Direzione Sistemi informativi è la dott.ssa **Caterina Graziani**:
Tel. 055 3283807, ed e-mail [caterina.graziani@comune.fi.it](mailto:caterina.graziani@comune.fi.it)

**SERVIZIO Sviluppo Infrastrutture Tecnologiche**: **Mencacci Marco**, Dirigente,
Tel. 055 328 2726, mail [marco.mencacci@comune.fi.it](mailto:marco.mencacci@comune.fi.it)

Tel. 055 3283807 - 055 3283858

La sede della DSI è in Via Reginaldo Giuliani 250 - 50127 Firenze

Approvazione con DD 2025/4073 del 03 giugno 2025
";

#[derive(Debug, Deserialize)]
struct JsonReport {
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Clone, Deserialize)]
struct JsonDiagnostic {
    severity: String,
    code: String,
    message: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    end_column: Option<u32>,
    hint: Option<String>,
}

impl JsonDiagnostic {
    fn place(&self) -> (String, u32, u32) {
        (
            self.file.clone().expect("located"),
            self.line.expect("located"),
            self.column.expect("located"),
        )
    }
}

fn check_json(dir: &Path, fork: &Path) -> (Run, JsonReport) {
    let run = carta(
        dir,
        &[
            "check",
            "--root",
            fork.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let report = serde_json::from_str(&run.stdout).expect("one JSON document");
    (run, report)
}

fn leftovers(report: &JsonReport) -> Vec<JsonDiagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W180")
        .cloned()
        .collect()
}

fn places(diagnostics: &[JsonDiagnostic]) -> BTreeSet<(String, u32, u32)> {
    diagnostics.iter().map(JsonDiagnostic::place).collect()
}

/// `carta init <dir>/quarto --from <original>`.
fn init_fork(original: &Project) -> PathBuf {
    let fork = original.parent().join("quarto");
    let init = carta(
        original.parent(),
        &[
            "init",
            fork.to_str().unwrap(),
            "--from",
            original.root().to_str().unwrap(),
        ],
    );
    init.assert_code(EXIT_OK);
    assert!(
        init.stdout
            .contains("copia della carta di Comune di Firenze"),
        "{}",
        init.stdout
    );
    fork
}

/// Every file of the fork that `check` reads, relative to the fork.
fn content_files(fork: &Path) -> Vec<String> {
    let mut files = vec!["site.toml".to_string()];
    for entry in walkdir::WalkDir::new(fork.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(fork).unwrap();
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    files
}

/// The value Comune di Quarto writes for a key still to fill in, by section (`site.toml`) or file.
fn quarto_value(section: &str, key: &str) -> &'static str {
    match (section, key) {
        ("ente", "name") => NEW_NAME,
        ("ente", "city") | (_, "city") => "Quarto",
        ("ente", "demonym") => "quartesi",
        ("ente", "url") => "https://www.comune.quarto.na.it/",
        ("ente", "domains") => "comune.quarto.na.it",
        ("ente.parent", "name") => "Città Metropolitana di Napoli",
        ("ente.parent", "url") => "https://www.cittametropolitana.na.it/",
        ("site", "base_url") => "https://carta.comune.quarto.na.it/",
        ("footer", "accessibility") => "https://form.agid.gov.it/view/comune-di-quarto",
        ("footer", "privacy") => "https://www.comune.quarto.na.it/privacy",
        ("footer", "legal_notes") => "https://www.comune.quarto.na.it/note-legali",
        ("footer", "faq") => "https://www.comune.quarto.na.it/faq",
        ("footer", "report_inefficiency") => "mailto:urp@comune.quarto.na.it",
        ("content/data/organization.yaml", "name") => "Aniello Mazzone",
        ("content/charter.yaml", "name") => "Ufficio Comunicazione, Comune di Quarto",
        (_, "phones" | "phone") => "081 8069222",
        (_, "office") => "Settore ICT",
        (_, "office_short") => "ICT",
        (_, "act") => "DG 2026/31",
        (_, "street") => "Via Enrico De Nicola 8",
        (_, "postcode") => "80010",
        (section, key) => panic!("no value for `{key}` in {section}"),
    }
}

/// The careless fork: every `DA COMPILARE` replaced with Comune di Quarto's data, by its key, and
/// nothing else touched.
fn fill_in_identity(fork: &Path) {
    for file in content_files(fork) {
        let path = fork.join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut section = file.clone();
        let filled: String = text
            .split_inclusive('\n')
            .map(|line| {
                let trimmed = line.trim_start();
                if file == "site.toml" && trimmed.starts_with('[') {
                    section = trimmed.trim_end().trim_matches(['[', ']']).to_string();
                }
                if !line.contains("DA COMPILARE") || trimmed.starts_with('#') {
                    return line.to_string();
                }
                let key = trimmed
                    .trim_start_matches("- ")
                    .split([':', '='])
                    .next()
                    .unwrap()
                    .trim();
                line.replace("DA COMPILARE", quarto_value(&section, key))
            })
            .collect();
        std::fs::write(&path, filled).unwrap();
    }
}

/// The careless editor puts the copied charter's commitments back, standards and all: `init` left
/// them `not_defined`, but the numbers are recorded and are leftovers again.
fn put_back_firenzes_commitments(original: &Project, fork: &Path) {
    let file = "content/data/commitments.yaml";
    std::fs::write(fork.join(file), original.read(file)).unwrap();
}

/// Appends a paragraph to a chapter; returns the 1-based line it starts on.
fn paste_into_chapter(fork: &Path, chapter: &str, text: &str) -> u32 {
    let path = fork.join("content/chapters").join(chapter);
    let mut body = std::fs::read_to_string(&path).unwrap();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    body.push('\n');
    let line = body.lines().count() as u32 + 1;
    body.push_str(text);
    body.push('\n');
    std::fs::write(&path, body).unwrap();
    line
}

/// The `[fork.origin]` table `init` wrote.
fn recorded(fork: &Path) -> toml::Table {
    let site: toml::Table = std::fs::read_to_string(fork.join("site.toml"))
        .unwrap()
        .parse()
        .expect("site.toml is valid TOML");
    site["fork"]["origin"].as_table().unwrap().clone()
}

fn strings(origin: &toml::Table, key: &str) -> Vec<String> {
    origin
        .get(key)
        .and_then(|value| value.as_array())
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Whole-line comments and `[fork]` of a file: not looked at.
fn skipped_lines(file: &str, text: &str) -> BTreeSet<u32> {
    let mut skipped = BTreeSet::new();
    let mut in_fork = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if file == "site.toml" && trimmed.starts_with('[') {
            in_fork = trimmed.starts_with("[fork");
        }
        let comment = !file.ends_with(".md") && trimmed.starts_with('#');
        if in_fork || comment {
            skipped.insert(index as u32 + 1);
        }
    }
    skipped
}

/// Independent of carta's scanner: whole-word, case-insensitive occurrences of `terms`, longest
/// first, as (file, line, column), outside comments and `[fork]`.
fn occurrences(fork: &Path, terms: &[String]) -> BTreeSet<(String, u32, u32)> {
    let terms: Vec<Vec<char>> = terms
        .iter()
        .map(|term| term.chars().flat_map(char::to_lowercase).collect())
        .collect();
    let mut found = BTreeSet::new();
    for file in content_files(fork) {
        let text = std::fs::read_to_string(fork.join(&file)).unwrap();
        let skipped = skipped_lines(&file, &text);
        for (number, line) in text.lines().enumerate() {
            if skipped.contains(&(number as u32 + 1)) {
                continue;
            }
            let chars: Vec<char> = line.chars().flat_map(char::to_lowercase).collect();
            let word = |at: Option<usize>| {
                at.and_then(|at| chars.get(at))
                    .is_some_and(|c| c.is_alphanumeric())
            };
            let mut index = 0;
            while index < chars.len() {
                let matched = terms
                    .iter()
                    .filter(|term| chars[index..].starts_with(term))
                    .filter(|term| {
                        (!word(index.checked_sub(1)) || !term[0].is_alphanumeric())
                            && (!word(Some(index + term.len()))
                                || !term[term.len() - 1].is_alphanumeric())
                    })
                    .map(|term| term.len())
                    .max();
                match matched {
                    Some(len) => {
                        found.insert((file.clone(), number as u32 + 1, index as u32 + 1));
                        index += len;
                    }
                    None => index += 1,
                }
            }
        }
    }
    found
}

/// Every number of a standard in the fork's `commitments.yaml` (`days: 3`, `percent: 85`, and the
/// general form's `within: 20`, `above: 98`, `share: 90`…), as (file, line, column of the number).
fn standard_numbers(fork: &Path) -> BTreeSet<(String, u32, u32)> {
    let file = "content/data/commitments.yaml";
    let text = std::fs::read_to_string(fork.join(file)).unwrap();
    let mut found = BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        for key in [
            "days: ",
            "percent: ",
            "within: ",
            "at_most: ",
            "at_least: ",
            "above: ",
            "below: ",
            "share: ",
        ] {
            for (at, _) in line.match_indices(key) {
                let col = line[..at + key.len()].chars().count() as u32 + 1;
                found.insert((file.to_string(), number as u32 + 1, col));
            }
        }
    }
    found
}

/// The text a diagnostic underlines.
fn underlined(fork: &Path, diagnostic: &JsonDiagnostic) -> String {
    let text = std::fs::read_to_string(fork.join(diagnostic.file.as_deref().unwrap())).unwrap();
    let line = text
        .lines()
        .nth(diagnostic.line.unwrap() as usize - 1)
        .unwrap();
    line.chars()
        .skip(diagnostic.column.unwrap() as usize - 1)
        .take((diagnostic.end_column.unwrap() - diagnostic.column.unwrap()) as usize)
        .collect()
}

/// The fact a hint says to add to `keep`, if it says so.
fn keep_entry(diagnostic: &JsonDiagnostic) -> Option<String> {
    let hint = diagnostic.hint.as_deref()?;
    let (before, _) = hint.split_once("\" a `keep`")?;
    Some(before.rsplit_once("aggiungi \"")?.1.to_string())
}

fn set_fork_list(fork: &Path, key: &str, values: &[String]) {
    let path = fork.join("site.toml");
    let site = std::fs::read_to_string(&path).unwrap();
    let list: Vec<String> = values
        .iter()
        .map(|value| serde_json::to_string(value).unwrap())
        .collect();
    let old = format!("\n{key} = []\n");
    assert!(site.contains(&old), "init wrote `{key} = []`");
    let site = site.replace(&old, &format!("\n{key} = [{}]\n", list.join(", ")));
    std::fs::write(&path, site).unwrap();
}

#[test]
fn init_records_every_fact_of_the_copied_charter() {
    let original = Project::default_copy();
    let fork = init_fork(&original);
    let origin = recorded(&fork);
    assert_eq!(origin["name"].as_str(), Some("Comune di Firenze"));
    assert_eq!(origin["city"].as_str(), Some("Firenze"));
    assert_eq!(strings(&origin, "demonyms"), ["fiorentini"]);
    assert_eq!(
        strings(&origin, "domains"),
        ["comune.fi.it", "comune.firenze.it"]
    );
    assert_eq!(
        strings(&origin, "parent"),
        ["Regione Toscana", "regione.toscana.it"]
    );
    assert_eq!(
        strings(&origin, "offices"),
        ["Direzione Sistemi Informativi", "DSI"]
    );
    assert_eq!(origin["act"].as_str(), Some("DD 2025/4073"));
    assert_eq!(origin["edition"].as_str(), Some("2025"));
    assert_eq!(strings(&origin, "dates"), ["2025-06-03", "2026-06-03"]);
    assert_eq!(
        strings(&origin, "address"),
        ["Via Reginaldo Giuliani 250", "50127"]
    );
    assert_eq!(
        strings(&origin, "names"),
        ["FirenzeWIFI", "Fi-Net", "AttiCo", "SiGeDo"],
        "the coined names of Firenze's data, not its acronyms or ordinary words"
    );

    // Lists compared with the source files, read here line by line.
    let source = |file: &str| original.read(file);
    let values = |text: &str, key: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| line.trim_start().trim_start_matches("- ").strip_prefix(key))
            .map(|value| value.trim().trim_matches('"').to_string())
            .collect()
    };
    let organization = source("content/data/organization.yaml");
    let (people, units) = organization.split_at(organization.find("\ndirection:").unwrap());
    assert_eq!(strings(&origin, "people"), values(people, "name: "));
    let mut expected_units = values(units, "name: ");
    expected_units.retain(|unit| unit != "Direzione Sistemi Informativi");
    assert_eq!(strings(&origin, "units"), expected_units);
    assert_eq!(
        strings(&origin, "services"),
        values(&source("content/data/commitments.yaml"), "service: ")
    );
    let emails: BTreeSet<String> = strings(&origin, "emails").into_iter().collect();
    let mut all_text = String::new();
    for file in content_files(original.root()) {
        all_text.push_str(&source(&file));
    }
    for word in all_text.split(|c: char| c.is_whitespace() || "()[]\":,".contains(c)) {
        let word = word.trim_start_matches("mailto:").trim_end_matches('.');
        if word.contains('@') && word.contains('.') {
            assert!(emails.contains(word), "{word} is recorded");
        }
    }
    assert_eq!(emails.len(), 26);
    let phones: BTreeSet<String> = strings(&origin, "phones").into_iter().collect();
    let written: BTreeSet<String> = values(&organization, "phone: ")
        .into_iter()
        .chain(
            organization
                .lines()
                .chain(source("content/data/contacts.yaml").lines())
                .filter_map(|line| line.trim().strip_prefix("phones: "))
                .flat_map(|list| {
                    list.trim_matches(['[', ']'])
                        .split(',')
                        .map(|phone| phone.trim().trim_matches('"').to_string())
                        .collect::<Vec<_>>()
                }),
        )
        .collect();
    assert_eq!(phones, written, "every phone number, once");
    let standards = strings(&origin, "standards");
    assert_eq!(standards.len(), standard_numbers(original.root()).len());
    for entry in [
        "credenziali-firma-digitale: take_charge.days = 3",
        "credenziali-firma-digitale: take_charge.percent = 85",
        "connettivita-fi-net: availability.percent = 99.6",
        "help-desk-postazioni: response.percent = 90",
    ] {
        assert!(standards.contains(&entry.to_string()), "{entry}");
    }
    assert!(
        !standards.iter().any(|s| s.starts_with("supporto-eventi")),
        "a standard without numbers records nothing"
    );
}

#[test]
fn a_careless_fork_reports_every_leftover_in_check_and_in_build() {
    let original = Project::default_copy();
    let dir = original.parent();
    let fork = init_fork(&original);
    let organization =
        std::fs::read_to_string(fork.join("content/data/organization.yaml")).unwrap();
    for person in ["Caterina Graziani", "caterina-graziani", "055 3283807"] {
        assert!(
            !organization.contains(person),
            "people are cleared: {person}"
        );
    }
    assert!(organization.contains("head: persona-1"), "{organization}");
    let contacts = std::fs::read_to_string(fork.join("content/data/contacts.yaml")).unwrap();
    assert!(contacts.contains("responsible: persona-2"), "{contacts}");
    assert!(!fork.join("themes/agid/node_modules").exists());
    // The copy is a draft, and promises nothing of its own yet.
    let charter = std::fs::read_to_string(fork.join("content/charter.yaml")).unwrap();
    for approved in ["\napproval:", "DD 2025/4073", "\npublished:"] {
        assert!(!charter.contains(approved), "{approved} in {charter}");
    }
    let commitments = std::fs::read_to_string(fork.join("content/data/commitments.yaml")).unwrap();
    assert_eq!(
        commitments
            .matches("\n    standards: not_defined\n")
            .count(),
        original
            .read("content/data/commitments.yaml")
            .matches("\n  - id: ")
            .count()
    );
    assert!(standard_numbers(&fork).is_empty(), "{commitments}");

    // Straight after the copy: the identity is still to fill in; init's own comments, which
    // explain the marker and name Firenze, are neither a value to fill in nor a leftover.
    let (fresh, report) = check_json(dir, &fork);
    fresh.assert_code(EXIT_CONTENT_ERRORS);
    let site = std::fs::read_to_string(fork.join("site.toml")).unwrap();
    assert!(site.lines().nth(1).unwrap().starts_with(
        "# Carta copiata da quella dell'ente «Comune di Firenze»: sostituisci ogni \"DA COMPILARE\""
    ));
    let site_lines: Vec<&str> = site.lines().collect();
    let e146: Vec<&JsonDiagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E146")
        .collect();
    assert!(e146.len() > 20, "{e146:#?}");
    assert!(
        e146.iter()
            .any(|d| d.message == "`name` è ancora da compilare"
                && d.file.as_deref() == Some("site.toml")
                && d.line == Some(7)),
        "{e146:#?}"
    );
    for diagnostic in report
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some("site.toml"))
    {
        let line = site_lines[diagnostic.line.unwrap() as usize - 1];
        assert!(
            !line.trim_start().starts_with('#'),
            "a comment is reported: {diagnostic:#?}"
        );
        assert_eq!(diagnostic.code, "E146", "{diagnostic:#?}");
    }

    // Comune di Quarto fills in every value, pastes some of Firenze's contacts into a chapter and
    // puts Firenze's standards back.
    fill_in_identity(&fork);
    let pasted = paste_into_chapter(&fork, "02-descrizione-del-servizio.md", FIRENZE_CONTACTS);
    put_back_firenzes_commitments(&original, &fork);
    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    assert!(
        report.diagnostics.iter().all(|d| d.code != "E146"),
        "{:#?}",
        report.diagnostics
    );
    let found = leftovers(&report);
    let reported = places(&found);
    assert_eq!(reported.len(), found.len(), "one warning per place");

    // What carta must find, computed here: every recorded fact written out in the text, the
    // phones and dates as pasted, every number of a standard and the edition.
    let origin = recorded(&fork);
    let mut terms: Vec<String> = vec!["Comune di Firenze".into(), "Firenze".into()];
    terms.extend(["fiorentino", "fiorentina", "fiorentini", "fiorentine"].map(String::from));
    for key in [
        "domains", "parent", "offices", "units", "people", "emails", "address", "services", "names",
    ] {
        terms.extend(strings(&origin, key));
    }
    terms.push("Mencacci Marco".into());
    terms.push(origin["act"].as_str().unwrap().into());
    terms.extend(
        [
            "055 3283807",
            "055 328 2726",
            "055 3283858",
            "2025-06-03",
            "2026-06-03",
            "03 giugno 2025",
        ]
        .map(String::from),
    );
    let mut expected = occurrences(&fork, &terms);
    expected.extend(standard_numbers(&fork));
    let charter = std::fs::read_to_string(fork.join("content/charter.yaml")).unwrap();
    let (line, col) = common::locate(&charter, "edition: \"2025\"", "\"2025\"");
    expected.insert(("content/charter.yaml".into(), line, col));
    assert!(
        expected.len() > 150,
        "Firenze's charter is full of Firenze: {}",
        expected.len()
    );
    let missing: Vec<_> = expected.difference(&reported).collect();
    let extra: Vec<_> = reported.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "each leftover is reported, nothing else\nmissing: {missing:#?}\nextra: {extra:#?}"
    );
    assert!(
        reported.iter().all(|(file, _, _)| file != "site.toml"),
        "the new identity, [fork] and init's comments are not leftovers"
    );

    // Each kind of fact, at its place, with what it is.
    let at = |file: &str, context: &str, inner: &str| -> &JsonDiagnostic {
        let text = std::fs::read_to_string(fork.join(file)).unwrap();
        let (line, col) = common::locate(&text, context, inner);
        found
            .iter()
            .find(|d| {
                d.file.as_deref() == Some(file) && d.line == Some(line) && d.column == Some(col)
            })
            .unwrap_or_else(|| panic!("{inner:?} in {file} is not reported: {found:#?}"))
    };
    let chapter = "content/chapters/02-descrizione-del-servizio.md";
    let commitments = "content/data/commitments.yaml";
    let cases: [(&str, &str, &str, &str); 17] = [
        (
            commitments,
            "service: \"FirenzeWIFI nelle aree coperte\"",
            "FirenzeWIFI nelle aree coperte",
            "è il nome di un servizio dell'ente di origine (Comune di Firenze)",
        ),
        (
            commitments,
            "id: firenzewifi",
            "firenzewifi",
            "è un nome proprio dei dati dell'ente di origine",
        ),
        (
            chapter,
            "(FI-Net)",
            "FI-Net",
            "è un nome proprio dei dati dell'ente di origine",
        ),
        (
            "content/data/organization.yaml",
            "\"Data center, sistemi e cloud\"",
            "Data center, sistemi e cloud",
            "è il nome di una struttura dell'ente di origine",
        ),
        (
            "content/data/organization.yaml",
            "\"direzione.sistemiinformativi@comune.fi.it\"",
            "direzione.sistemiinformativi@comune.fi.it",
            "è un indirizzo email dell'ente di origine",
        ),
        (
            chapter,
            "**Caterina Graziani**",
            "Caterina Graziani",
            "è il nome di una persona dell'ente di origine",
        ),
        (
            chapter,
            "**Mencacci Marco**",
            "Mencacci Marco",
            "è il nome di una persona dell'ente di origine",
        ),
        (
            chapter,
            "Tel. 055 328 2726",
            "055 328 2726",
            "è un numero di telefono dell'ente di origine",
        ),
        (
            chapter,
            "in Via Reginaldo Giuliani 250 - 50127",
            "Via Reginaldo Giuliani 250",
            "è l'indirizzo della sede dell'ente di origine",
        ),
        (
            chapter,
            "con DD 2025/4073 del",
            "DD 2025/4073",
            "è l'atto che ha approvato la carta dell'ente di origine",
        ),
        (
            chapter,
            "del 03 giugno 2025",
            "03 giugno 2025",
            "è una data della carta dell'ente di origine",
        ),
        (
            "content/charter.yaml",
            "last_updated: 2025-06-03",
            "2025-06-03",
            "è una data della carta dell'ente di origine",
        ),
        (
            "content/charter.yaml",
            "edition: \"2025\"",
            "\"2025\"",
            "è l'edizione della carta dell'ente di origine",
        ),
        (
            chapter,
            "presso il data center di Regione Toscana",
            "Regione Toscana",
            "è l'ente di appartenenza dell'ente di origine",
        ),
        (
            chapter,
            "La DSI ha svolto",
            "DSI",
            "è l'ufficio che ha scritto la carta dell'ente di origine",
        ),
        (
            "content/chapters/01-il-valore-del-servizio.md",
            "I cittadini fiorentini",
            "fiorentini",
            "gli abitanti dell'ente di origine",
        ),
        (
            "content/chapters/04-rapporto-con-il-cittadino.md",
            "La DSI del Comune di Firenze",
            "Comune di Firenze",
            "l'ente da cui è stata copiata la carta",
        ),
    ];
    for (file, context, inner, what) in cases {
        let diagnostic = at(file, context, inner);
        assert!(
            diagnostic.message.contains(what),
            "{inner}: {diagnostic:#?}"
        );
        assert_eq!(diagnostic.severity, "warning");
        assert_eq!(underlined(&fork, diagnostic), inner.lines().next().unwrap());
    }
    let wifi = at(
        commitments,
        "service: \"FirenzeWIFI nelle aree coperte\"",
        "FirenzeWIFI nelle aree coperte",
    );
    assert_eq!(
        keep_entry(wifi).as_deref(),
        Some("FirenzeWIFI nelle aree coperte"),
        "the hint says how to keep it: {wifi:#?}"
    );
    let commitments_text = std::fs::read_to_string(fork.join(commitments)).unwrap();
    let fi_net = &commitments_text[commitments_text.find("id: connettivita-fi-net").unwrap()..];
    let offset =
        commitments_text.len() - fi_net.len() + fi_net.find("take_charge: { days: 3").unwrap();
    let line = commitments_text[..offset].lines().count() as u32;
    let number = found
        .iter()
        .find(|d| {
            d.file.as_deref() == Some(commitments) && d.line == Some(line) && d.column == Some(30)
        })
        .expect("the standard's number is reported at its place");
    assert_eq!(
        number.message,
        "«3» è il numero dello standard `take_charge.days` dell'impegno `connettivita-fi-net` nella carta dell'ente di origine (Comune di Firenze)"
    );
    assert_eq!(
        keep_entry(number).as_deref(),
        Some("connettivita-fi-net: take_charge.days = 3")
    );
    assert!(
        found
            .iter()
            .filter(|d| d.file.as_deref() == Some(chapter))
            .any(|d| d.line == Some(pasted + 1)),
        "the pasted lines are read"
    );

    // `build --strict` refuses the same leftovers, each at its place, and writes nothing.
    let strict_output = dir.join("quarto-strict");
    let strict = carta(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--output",
            strict_output.to_str().unwrap(),
            "--strict",
            "--color",
            "never",
        ],
    );
    strict.assert_code(EXIT_CONTENT_ERRORS);
    let refused: Vec<_> = strict
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W180")
        .collect();
    assert!(refused.iter().all(|d| d.severity == "errore"));
    let refused_places: BTreeSet<(String, u32, u32)> = refused
        .iter()
        .map(|d| (d.file.clone().unwrap(), d.line.unwrap(), d.col.unwrap()))
        .collect();
    assert_eq!(
        refused_places, reported,
        "build --strict finds what check finds"
    );
    assert!(
        strict.final_line().contains("nessun file scritto"),
        "{}",
        strict.final_line()
    );
    assert!(!strict_output.exists());

    // Without --strict the build warns about each of them and still writes the site.
    let output = dir.join("quarto-sito");
    let build = carta(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--color",
            "never",
        ],
    );
    build.assert_success();
    let warned: BTreeSet<(String, u32, u32)> = build
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W180" && d.severity == "avviso")
        .map(|d| (d.file.clone().unwrap(), d.line.unwrap(), d.col.unwrap()))
        .collect();
    assert_eq!(warned, reported);
    assert!(build.stdout.contains(" avvisi"), "{}", build.stdout);
    assert!(output.join("index.html").is_file());
}

#[test]
fn quartos_introduction_pasted_unchanged_is_reported_by_check_and_build() {
    let original = Project::default_copy();
    let dir = original.parent();
    let fork = init_fork(&original);
    fill_in_identity(&fork);
    let chapter = "content/chapters/01-il-valore-del-servizio.md";
    // Firenze's own sentence about «i cittadini fiorentini» is rewritten; Quarto's paragraph, which
    // copied it, comes in unchanged.
    let path = fork.join(chapter);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("I cittadini fiorentini"));
    std::fs::write(&path, text.replace("I cittadini fiorentini", "I cittadini")).unwrap();
    let line = paste_into_chapter(&fork, "01-il-valore-del-servizio.md", QUARTO_INTRODUCTION);
    let col = QUARTO_INTRODUCTION[..QUARTO_INTRODUCTION.find("fiorentini").unwrap()]
        .chars()
        .count() as u32
        + 1;

    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    let on_paragraph: Vec<JsonDiagnostic> = leftovers(&report)
        .into_iter()
        .filter(|d| d.file.as_deref() == Some(chapter) && d.line == Some(line))
        .collect();
    assert_eq!(
        on_paragraph.len(),
        1,
        "only the demonym: Quarto's own name and office are fine: {on_paragraph:#?}"
    );
    let demonym = &on_paragraph[0];
    assert_eq!(
        (demonym.column, demonym.end_column),
        (Some(col), Some(col + 10))
    );
    assert_eq!(
        demonym.message,
        "il testo parla ancora di «fiorentini», gli abitanti dell'ente di origine (Comune di Firenze)"
    );
    assert_eq!(
        demonym.hint.as_deref(),
        Some("scrivi «quartesi» (al singolare o al femminile se serve), oppure «cittadini»")
    );

    let strict = carta(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--strict",
            "--color",
            "never",
        ],
    );
    strict.assert_code(EXIT_CONTENT_ERRORS);
    let refused = strict
        .diagnostics()
        .into_iter()
        .find(|d| d.file.as_deref() == Some(chapter) && d.line == Some(line))
        .expect("build --strict reports it too");
    refused.assert_at("W180", chapter, line, col);
    refused.assert_underlined("fiorentini");
}

#[test]
fn kept_and_replaced_facts_are_no_longer_reported_and_numbers_only_where_they_are_firenzes() {
    let original = Project::default_copy();
    let dir = original.parent();
    let fork = init_fork(&original);
    fill_in_identity(&fork);
    put_back_firenzes_commitments(&original, &fork);
    let (_, before) = check_json(dir, &fork);
    let before = leftovers(&before);
    let count = |found: &[JsonDiagnostic], what: &dyn Fn(&JsonDiagnostic) -> bool| {
        found.iter().filter(|d| what(d)).count()
    };
    let regione = |d: &JsonDiagnostic| d.message.starts_with("«Regione Toscana»");
    let help_desk = |d: &JsonDiagnostic| d.message.contains("dell'impegno `help-desk-postazioni`");
    let help_desk_service =
        |d: &JsonDiagnostic| d.message.starts_with("«Help desk e postazioni di lavoro»");
    assert!(count(&before, &regione) >= 3);
    assert_eq!(count(&before, &help_desk), 4);
    assert_eq!(count(&before, &help_desk_service), 1);

    // Kept: the same region, the same help desk service and one of its standards.
    set_fork_list(
        &fork,
        "keep",
        &[
            "Regione Toscana".into(),
            "help desk e postazioni di lavoro".into(),
            "help-desk-postazioni: take_charge.days = 3".into(),
            "intranet-posta-navigazione".into(),
        ],
    );
    // Replaced: Firenze's wifi, the edition, the dates and a number; a commitment gets a new id.
    let commitments = fork.join("content/data/commitments.yaml");
    let text = std::fs::read_to_string(&commitments).unwrap();
    let text = text
        .replace("FirenzeWIFI", "QuartoWiFi")
        .replace("id: firenzewifi", "id: quartowifi")
        .replace("id: applicazioni-aziendali", "id: applicativi-del-comune")
        .replacen(
            "take_charge: { days: 3, percent: 85 }",
            "take_charge: { days: 5, percent: 85 }",
            1,
        );
    std::fs::write(&commitments, text).unwrap();
    let charter = fork.join("content/charter.yaml");
    let text = std::fs::read_to_string(&charter)
        .unwrap()
        .replace("edition: \"2025\"", "edition: \"2026\"")
        .replace("2025-06-03", "2026-02-10")
        .replace("2026-06-03", "2027-02-10");
    std::fs::write(&charter, text).unwrap();
    // Numbers and years in the text are not Firenze's facts.
    let sentence = "Nel 2025 la presa in carico è avvenuta entro 3 giorni nell'85% dei casi; disponibilità 99.6%.";
    paste_into_chapter(&fork, "03-standard-di-qualita.md", sentence);

    let (run, after) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    let after = leftovers(&after);
    assert_eq!(count(&after, &regione), 0, "kept");
    assert_eq!(
        count(&after, &help_desk_service),
        0,
        "kept, whatever the case"
    );
    let help_desk_left: Vec<&JsonDiagnostic> = after.iter().filter(|d| help_desk(d)).collect();
    assert_eq!(
        help_desk_left.len(),
        3,
        "one standard kept, three still Firenze's"
    );
    assert!(
        help_desk_left
            .iter()
            .all(|d| !d.message.contains("`take_charge.days`"))
    );
    assert!(
        !after
            .iter()
            .any(|d| d.message.contains("`intranet-posta-navigazione`")),
        "a commitment's id keeps all its standards"
    );
    assert!(
        !after.iter().any(|d| {
            let text = d.message.to_lowercase();
            text.contains("firenzewifi")
                || text.contains("edizione")
                || text.contains("data della carta")
        }),
        "{after:#?}"
    );
    assert!(
        !after
            .iter()
            .any(|d| d.message.contains("`applicativi-del-comune`")
                || d.message.contains("`applicazioni-aziendali`")),
        "the same numbers under another commitment are the new ente's"
    );
    let first = after
        .iter()
        .filter(|d| d.message.contains("`credenziali-firma-digitale`"))
        .map(|d| d.message.clone())
        .collect::<Vec<_>>();
    assert_eq!(
        first.len(),
        3,
        "the changed number is no longer reported: {first:#?}"
    );
    assert!(!first.iter().any(|m| m.contains("take_charge.days")));
    assert!(
        !after.iter().any(|d| d.file.as_deref()
            == Some("content/chapters/03-standard-di-qualita.md")
            && (d.message.contains("è il numero") || d.message.contains("è una data"))),
        "numbers and years in the text are not reported: {after:#?}"
    );
    assert!(after.len() < before.len());
}

#[test]
fn a_fork_cleaned_up_checks_clean_and_builds() {
    let original = Project::default_copy();
    let dir = original.parent();
    let fork = init_fork(&original);
    fill_in_identity(&fork);
    set_fork_list(&fork, "allow", &["Città Metropolitana di Firenze".into()]);
    let (_, report) = check_json(dir, &fork);
    let found = leftovers(&report);
    let stakeholders =
        std::fs::read_to_string(fork.join("content/data/stakeholders.yaml")).unwrap();
    let allowed_line = stakeholders
        .lines()
        .position(|line| line.contains("Città Metropolitana di Firenze"))
        .unwrap() as u32
        + 1;
    assert!(
        found.iter().all(
            |d| !(d.file.as_deref() == Some("content/data/stakeholders.yaml")
                && d.line == Some(allowed_line))
        ),
        "the allowed phrase is not reported"
    );

    // What names Firenze is rewritten; everything else that holds for Quarto too is kept.
    let mut keep = BTreeSet::new();
    let mut rewrites: BTreeMap<String, Vec<&JsonDiagnostic>> = BTreeMap::new();
    for diagnostic in &found {
        let written = underlined(&fork, diagnostic).to_lowercase();
        let names_firenze = [
            "firenze",
            "fiorentin",
            "fi-net",
            "comune.fi",
            "attico",
            "sigedo",
        ]
        .iter()
        .any(|name| written.contains(name));
        match keep_entry(diagnostic) {
            Some(entry) if !names_firenze => {
                keep.insert(entry);
            }
            _ => rewrites
                .entry(diagnostic.file.clone().unwrap())
                .or_default()
                .push(diagnostic),
        }
    }
    let replacements = [
        ("Comune di Firenze", NEW_NAME),
        ("FirenzeWIFI", "QuartoWiFi"),
        ("firenzewifi", "quartowifi"),
        ("Firenze", "Quarto"),
        ("firenze", "quarto"),
        ("fiorentini", "quartesi"),
        ("FI-Net", "Qu-Net"),
        ("Fi-Net", "Qu-Net"),
        ("fi-net", "qu-net"),
        ("comune.firenze.it", "comune.quarto.na.it"),
        ("comune.fi.it", "comune.quarto.na.it"),
        ("AttiCo", "AttiQ"),
        ("SiGeDo", "SiGeQ"),
        ("Sigedo", "Sigeq"),
    ];
    for (file, mut places) in rewrites {
        let path = fork.join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        places.sort_by_key(|d| std::cmp::Reverse((d.line, d.column)));
        for place in places {
            let line = &mut lines[place.line.unwrap() as usize - 1];
            let chars: Vec<char> = line.chars().collect();
            let (start, end) = (
                place.column.unwrap() as usize - 1,
                place.end_column.unwrap() as usize - 1,
            );
            let old: String = chars[start..end].iter().collect();
            let new = replacements
                .iter()
                .fold(old.clone(), |text, (from, to)| text.replace(from, to));
            assert_ne!(new, old, "unexpected leftover {old:?} in {file}");
            *line = chars[..start]
                .iter()
                .chain(new.chars().collect::<Vec<_>>().iter())
                .chain(chars[end..].iter())
                .collect();
        }
        std::fs::write(&path, lines.concat()).unwrap();
    }
    let keep: Vec<String> = keep.into_iter().collect();
    set_fork_list(&fork, "keep", &keep);

    let strict = carta(
        dir,
        &[
            "check",
            "--root",
            fork.to_str().unwrap(),
            "--strict",
            "--color",
            "never",
        ],
    );
    let remaining: Vec<_> = strict
        .diagnostics()
        .into_iter()
        .filter(|d| d.code.starts_with('E') || d.code == "W180")
        .collect();
    assert!(remaining.is_empty(), "{remaining:#?}");

    let output = dir.join("quarto-sito");
    let build = carta(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--color",
            "never",
        ],
    );
    build.assert_success();
    assert!(!build.stderr.contains("W180"), "{}", build.stderr);
    let site = Site::load(&output);
    let home = site.page("/");
    let text: String = home.root_element().text().collect();
    assert!(
        text.contains(NEW_NAME),
        "the home page names the new comune"
    );
    assert!(!text.contains("Firenze"), "and no longer Firenze");
    assert!(home.select(&sel("h1")).next().is_some());
}

#[test]
fn a_blank_project_lists_what_to_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("nuova-carta");
    // From any folder: the theme is built into carta.
    let run = carta(dir.path(), &["init", new.to_str().unwrap()]);
    run.assert_code(EXIT_OK);
    for file in [
        "site.toml",
        "content/charter.yaml",
        "content/chapters/01-il-servizio.md",
        "content/data/organization.yaml",
        "content/data/commitments.yaml",
        "content/data/contacts.yaml",
    ] {
        assert!(new.join(file).is_file(), "{file} is created");
    }
    assert!(
        !new.join("themes").exists(),
        "no copy of the built-in theme"
    );
    // The output folder and carta's work folder next to it are not content to commit.
    let ignored = std::fs::read_to_string(new.join(".gitignore")).unwrap();
    let rules: Vec<&str> = ignored
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert_eq!(rules, ["/public/", "/.carta/"], "{ignored}");
    let check = carta(
        dir.path(),
        &["check", "--root", new.to_str().unwrap(), "--color", "never"],
    );
    check.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = check.diagnostics();
    assert!(!diagnostics.is_empty());
    let site_text = std::fs::read_to_string(new.join("site.toml")).unwrap();
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code == "E146" || d.code == "W149"),
        "a blank project only lacks its data: {}",
        check.stderr
    );
    // Every fact init cannot know is a marker check reports, never an invented value: the dates,
    // the edition, the kind of ente, the users, the heads' roles.
    let charter = std::fs::read_to_string(new.join("content/charter.yaml")).unwrap();
    for (file, text, key) in [
        ("content/charter.yaml", charter.as_str(), "last_updated"),
        ("content/charter.yaml", charter.as_str(), "edition"),
        ("site.toml", site_text.as_str(), "kind"),
    ] {
        let line = text
            .lines()
            .position(|line| {
                line.starts_with(&format!("{key}:")) || line.starts_with(&format!("{key} ="))
            })
            .unwrap_or_else(|| panic!("{key} in {file}")) as u32
            + 1;
        assert!(
            diagnostics.iter().any(|d| d.code == "E146"
                && d.file.as_deref() == Some(file)
                && d.line == Some(line)),
            "{key}: {}",
            check.stderr
        );
    }
    for (file, key, count) in [
        ("content/data/commitments.yaml", "users", 1),
        ("content/data/organization.yaml", "role", 2),
    ] {
        let found = diagnostics
            .iter()
            .filter(|d| {
                d.code == "E146"
                    && d.file.as_deref() == Some(file)
                    && d.message.contains(&format!("`{key}`"))
            })
            .count();
        assert_eq!(found, count, "{file} {key}: {}", check.stderr);
    }
    // A draft may leave its next review out: init writes none.
    assert!(
        charter.lines().all(|line| !line.starts_with("next_review")),
        "{charter}"
    );
    assert!(
        !charter.contains("2026-01-15") && !charter.contains("2027-01-15"),
        "{charter}"
    );
    // A new charter is not approved yet: it is a draft, and says so.
    let draft: Vec<_> = diagnostics.iter().filter(|d| d.code == "W149").collect();
    assert_eq!(draft.len(), 1, "{}", check.stderr);
    assert_eq!(draft[0].file.as_deref(), Some("content/charter.yaml"));
    let chapter = diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some("content/chapters/01-il-servizio.md"))
        .expect("the chapter text is to be written too");
    assert_eq!((chapter.line, chapter.col), (Some(8), Some(1)));
    assert_eq!(chapter.message, "questo valore è ancora da compilare");
    // The comment that explains the marker is not a value to fill in.
    let site = std::fs::read_to_string(new.join("site.toml")).unwrap();
    assert!(site.lines().nth(1).unwrap().contains("\"DA COMPILARE\""));
    // The example is numbered by carta: no number typed in the chapter or its headings.
    assert!(
        site.lines().any(|line| line == "numbering = true"),
        "{site}"
    );
    let example = std::fs::read_to_string(new.join("content/chapters/01-il-servizio.md")).unwrap();
    assert!(
        !example.contains("\nnumber:") && !example.contains("\norder:"),
        "{example}"
    );
    assert!(example.contains("\n## Che cosa facciamo\n"), "{example}");
    for diagnostic in diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some("site.toml"))
    {
        let line = site
            .lines()
            .nth(diagnostic.line.unwrap() as usize - 1)
            .unwrap();
        assert!(!line.trim_start().starts_with('#'), "{diagnostic:#?}");
    }

    // Never over an existing project.
    let again = carta(&common::repo_root(), &["init", new.to_str().unwrap()]);
    again.assert_code(EXIT_USAGE_OR_IO);
    assert!(
        again.stderr.contains("esiste già e non è vuota"),
        "{}",
        again.stderr
    );
}

/// A charter shaped like Comune di Quarto's (`tests/fixtures/quarto/`: a settore with a head and
/// two staff referents, no office address), with a PEC, another desk's phones, address and hours,
/// and the office's hours with a day they differ.
fn quarto_shaped_origin() -> Project {
    let project = Project::default_copy();
    std::fs::remove_dir_all(project.path("content")).unwrap();
    std::fs::remove_file(project.path("site.toml")).unwrap();
    project.overlay("quarto");
    std::fs::remove_file(project.path("README.md")).unwrap();
    project.write(
        "content/data/contacts.yaml",
        "\
processes: []
other:
  - email: \"ced@comune.quarto.na.it\"
  - label: \"Protocollo\"
    pec: \"protocollo@pec.comune.quarto.na.it\"
  - label: \"Sportello\"
    phones: [\"081 8069200\", \"081 8069201\"]
    address: { street: \"Via Enrico De Nicola 8\", postcode: \"80010\", city: \"Quarto\" }
    hours:
      weekly:
        - days: [lunedì-venerdì]
          times: [\"09:00-12:00\"]
          note: \"solo su appuntamento\"
      exceptions:
        - from: 2026-08-10
          to: 2026-08-21
          closed: true
          note: \"chiusura estiva\"
hours:
  weekly:
    - days: [martedì, giovedì]
      times: [\"15:00-17:00\", \"09:00-12:00\"]
  exceptions:
    - from: 2026-12-24
      times: [\"09:00-11:00\"]
  note: \"Orari ridotti nei giorni prefestivi.\"
",
    );
    project
}

/// Every `DA COMPILARE` of the fork outside comment lines, as (file, line, column).
fn markers(fork: &Path) -> BTreeSet<(String, u32, u32)> {
    let mut found = BTreeSet::new();
    for file in content_files(fork) {
        let text = std::fs::read_to_string(fork.join(&file)).unwrap();
        for (number, line) in text.lines().enumerate() {
            if !file.ends_with(".md") && line.trim_start().starts_with('#') {
                continue;
            }
            for (at, _) in line.match_indices("DA COMPILARE") {
                let col = line[..at].chars().count() as u32 + 1;
                found.insert((file.clone(), number as u32 + 1, col));
            }
        }
    }
    found
}

#[test]
fn a_fork_of_a_settore_with_staff_pec_and_hours_clears_them_and_lists_what_to_fill_in() {
    let original = quarto_shaped_origin();
    let check = original.check(&["--strict", "--allow-draft"]);
    assert!(check.diagnostics().is_empty(), "{}", check.stderr);
    let approved = original.read("content/charter.yaml");
    assert!(approved.contains("approval:"), "the origin is approved");

    let dir = original.parent();
    let fork = original.parent().join("copia");
    let init = carta(
        dir,
        &[
            "init",
            fork.to_str().unwrap(),
            "--from",
            original.root().to_str().unwrap(),
        ],
    );
    init.assert_code(EXIT_OK);
    assert!(
        init.stdout
            .contains("copia della carta di Comune di Quarto")
    );
    let read = |file: &str| std::fs::read_to_string(fork.join(file)).unwrap();

    // Every person has a neutral id, and every reference to one follows: head, staff.
    let organization = read("content/data/organization.yaml");
    let ids: Vec<&str> = organization
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- id: "))
        .collect();
    assert_eq!(
        ids,
        ["persona-1", "persona-2", "persona-3"],
        "{organization}"
    );
    let references: Vec<&str> = organization
        .lines()
        .filter_map(|line| {
            let line = line.trim().trim_start_matches("- ");
            line.strip_prefix("head: ")
                .or_else(|| line.strip_prefix("person: "))
        })
        .collect();
    assert_eq!(references, ["persona-1", "persona-2", "persona-3"]);

    // The old ente's values are gone from every content file: people, their honorific, phones
    // and emails, the PEC, the desk's phones, address and hours, the dates the office differed,
    // the approval act.
    let mut content = String::new();
    for file in content_files(&fork) {
        if file != "site.toml" {
            content.push_str(&read(&file));
        }
    }
    for old in [
        "Aniello Mazzone",
        "Gianluca Di Pietro",
        "Giovanni Sbrizzi",
        "aniello-mazzone",
        "gianluca-di-pietro",
        "giovanni-sbrizzi",
        "dott.",
        "081 8069222",
        "081 8069203",
        "081 8069223",
        "aniello.mazzone@",
        "dipietro.gianluca@",
        "urp@",
        "protocollo@pec.comune.quarto.na.it",
        "081 8069200",
        "081 8069201",
        "Via Enrico De Nicola 8",
        "80010",
        "09:00-12:00",
        "15:00-17:00",
        "09:00-11:00",
        "solo su appuntamento",
        "Orari ridotti",
        "chiusura estiva",
        "2026-08-10",
        "2026-12-24",
        "Atto di prova",
        "Settore ICT/Trasporti/Sport/Beni confiscati",
    ] {
        assert!(!content.contains(old), "{old} is still in the copy");
    }
    // What the editor reviews rather than fills in stays: the services, the days of the hours,
    // the other contacts' labels and emails, the standards (not defined here already).
    let contacts = read("content/data/contacts.yaml");
    for kept in [
        "ced@comune.quarto.na.it",
        "label: \"Protocollo\"",
        "days: [lunedì-venerdì]",
        "days: [martedì, giovedì]",
    ] {
        assert!(contacts.contains(kept), "{kept}: {contacts}");
    }
    assert!(!contacts.contains("exceptions:"), "{contacts}");
    let charter = read("content/charter.yaml");
    assert!(
        !charter.contains("\napproval:") && !charter.contains("\npublished:"),
        "a draft: {charter}"
    );
    assert!(read("content/data/commitments.yaml").contains("standards: not_defined"));

    // The copy loads: besides the draft (W149), a settore whose people have no contacts yet
    // (W143), the values to fill in (E146) and the leftovers (W180), nothing.
    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        BTreeSet::from(["E146", "W143", "W149", "W180"]),
        "{:#?}",
        report.diagnostics
    );
    // E146: exactly every marker, each once.
    let to_fill: Vec<JsonDiagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E146")
        .cloned()
        .collect();
    assert_eq!(
        places(&to_fill).len(),
        to_fill.len(),
        "one finding per marker"
    );
    assert_eq!(places(&to_fill), markers(&fork));
    for (file, context, inner) in [
        (
            "content/data/contacts.yaml",
            "pec: \"DA COMPILARE\"",
            "DA COMPILARE",
        ),
        (
            "content/data/contacts.yaml",
            "street: \"DA COMPILARE\"",
            "DA COMPILARE",
        ),
        (
            "content/data/contacts.yaml",
            "times: [\"DA COMPILARE\"]",
            "DA COMPILARE",
        ),
        (
            "content/data/contacts.yaml",
            "]\n  note: \"DA COMPILARE\"",
            "DA COMPILARE",
        ),
        (
            "content/data/organization.yaml",
            "persona-3\n    name: \"DA COMPILARE\"",
            "DA COMPILARE",
        ),
        (
            "content/charter.yaml",
            "office: \"DA COMPILARE\"",
            "DA COMPILARE",
        ),
    ] {
        let place = common::locate(&read(file), context, inner);
        assert!(
            to_fill
                .iter()
                .any(|d| d.place() == (file.to_string(), place.0, place.1)),
            "{context} in {file}"
        );
    }
    // W180: exactly the facts of the old ente still written, computed here from [fork.origin].
    let origin = recorded(&fork);
    let mut terms: Vec<String> = vec!["Comune di Quarto".into(), "Quarto".into()];
    for key in [
        "domains", "parent", "offices", "units", "people", "emails", "phones", "address",
        "services", "names", "dates",
    ] {
        terms.extend(strings(&origin, key));
    }
    let mut expected = occurrences(&fork, &terms);
    let (line, col) = common::locate(&charter, "edition: \"prova\"", "\"prova\"");
    expected.insert(("content/charter.yaml".into(), line, col));
    let found = leftovers(&report);
    assert_eq!(places(&found).len(), found.len(), "one warning per place");
    assert_eq!(places(&found), expected, "{found:#?}");
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("ced@comune.quarto.na.it")),
        "{found:#?}"
    );

    // Once every marker holds the new ente's value, the copy checks with nothing but the
    // leftovers to review and the draft; it builds as a draft.
    let mut times = 0;
    for file in content_files(&fork) {
        let path = fork.join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let filled: String = text
            .split_inclusive('\n')
            .map(|line| {
                let trimmed = line.trim_start();
                if !line.contains("DA COMPILARE") || trimmed.starts_with('#') {
                    return line.to_string();
                }
                let mut line = line.to_string();
                while let Some(at) = line.find("DA COMPILARE") {
                    // The key is the last word followed by `:` or `=` before the marker.
                    let before = &line[..at];
                    let key = before
                        .rmatch_indices([':', '='])
                        .map(|(at, _)| {
                            let word = before[..at].trim_end();
                            let start = word
                                .rfind(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                                .map_or(0, |index| index + 1);
                            word[start..].to_string()
                        })
                        .find(|word| !word.is_empty())
                        .unwrap_or_default();
                    let value = match key.as_str() {
                        "url" => "https://www.comune.example.it/".to_string(),
                        "base_url" => "https://carta.comune.example.it/".to_string(),
                        "domains" => "comune.example.it".to_string(),
                        "accessibility" => "https://form.agid.gov.it/view/esempio".to_string(),
                        "privacy" | "legal_notes" | "faq" => {
                            format!("https://www.comune.example.it/{key}")
                        }
                        "report_inefficiency" => "mailto:urp@comune.example.it".to_string(),
                        "pec" => "protocollo@pec.comune.example.it".to_string(),
                        "phones" | "phone" => "0123 456789".to_string(),
                        "postcode" => "00100".to_string(),
                        "times" => {
                            times += 1;
                            format!("{:02}:00-{:02}:30", 7 + times, 7 + times)
                        }
                        _ => format!("Esempio {key}"),
                    };
                    line.replace_range(at..at + "DA COMPILARE".len(), &value);
                }
                line
            })
            .collect();
        std::fs::write(&path, filled).unwrap();
    }
    assert!(markers(&fork).is_empty());
    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        BTreeSet::from(["W143", "W149", "W180"]),
        "{report:#?}"
    );
    assert_eq!(places(&leftovers(&report)), expected);
    let output = dir.join("copia-sito");
    let build = carta(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--allow-draft",
        ],
    );
    build.assert_success();
    let site = Site::load(&output);
    let home: String = site.page("/").root_element().text().collect();
    assert!(home.contains("Bozza"), "the copy is a draft");
}
