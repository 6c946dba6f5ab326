//! Forking the charter for another comune: `carta init --from` copies the Firenze charter and
//! clears its identity; `carta check` then reports every value still to fill in and every text
//! that still names Firenze; once they are fixed the fork checks clean and builds.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, Project, Run, Site, carta, sel};
use serde::Deserialize;

const NEW_NAME: &str = "Comune di Borgo Sereno";

#[derive(Debug, Deserialize)]
struct JsonReport {
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Deserialize)]
struct JsonDiagnostic {
    code: String,
    message: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    end_column: Option<u32>,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    carta(dir, args)
}

fn check_json(dir: &Path, fork: &Path) -> (Run, JsonReport) {
    let run = run_in(
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

/// Independent of carta's scanner: whole-word, case-insensitive occurrences of the old ente's
/// terms, longest first, as (file, line, column).
fn expected_leftovers(fork: &Path) -> BTreeSet<(String, u32, u32)> {
    let terms = [
        "comune di firenze",
        "firenze",
        "fiorentino",
        "fiorentina",
        "fiorentini",
        "fiorentine",
        "comune.fi.it",
        "comune.firenze.it",
    ];
    let mut found = BTreeSet::new();
    for file in content_files(fork) {
        let mut text = std::fs::read_to_string(fork.join(&file)).unwrap();
        if file == "site.toml" {
            // The [fork] section names the old ente on purpose.
            let start = text.find("[fork]").expect("init wrote [fork]");
            text.truncate(start);
        }
        for (number, line) in text.lines().enumerate() {
            let chars: Vec<char> = line.chars().flat_map(char::to_lowercase).collect();
            let mut index = 0;
            while index < chars.len() {
                let word = |at: Option<usize>| {
                    at.and_then(|at| chars.get(at))
                        .is_some_and(|c| c.is_alphanumeric())
                };
                let matched = terms
                    .iter()
                    .map(|term| term.chars().collect::<Vec<char>>())
                    .filter(|term| chars[index..].starts_with(term))
                    .filter(|term| !word(index.checked_sub(1)) && !word(Some(index + term.len())))
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

/// Writes the new comune's identity and fills every "DA COMPILARE" by its key.
fn fill_in_identity(fork: &Path) {
    let site = std::fs::read_to_string(fork.join("site.toml")).unwrap();
    let fork_section = &site[site.find("[fork]").unwrap()..];
    let identity = format!(
        r##"[ente]
name = "{NEW_NAME}"
kind = "Comune"
city = "Borgo Sereno"
demonym = "borghigiani"
url = "https://www.comune.borgosereno.it/"
domains = ["comune.borgosereno.it"]
colour = "#0066CC"

[ente.parent]
name = "Regione Toscana"
url = "https://www.regione.toscana.it/"

[site]
base_url = "https://carta.comune.borgosereno.it/"
language = "it"
theme = "agid"

[footer]
accessibility = "https://form.agid.gov.it/view/borgo-sereno"
privacy = "https://www.comune.borgosereno.it/privacy"
legal_notes = "https://www.comune.borgosereno.it/note-legali"
faq = "https://www.comune.borgosereno.it/faq"
report_inefficiency = "mailto:urp@comune.borgosereno.it"

{fork_section}"##
    );
    std::fs::write(fork.join("site.toml"), identity).unwrap();
    for file in content_files(fork) {
        let path = fork.join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        if !text.contains("DA COMPILARE") {
            continue;
        }
        let filled: String = text
            .split_inclusive('\n')
            .map(|line| {
                if !line.contains("DA COMPILARE") {
                    return line.to_string();
                }
                let key = line.trim_start().split(':').next().unwrap_or("").trim();
                let value = match key {
                    "name" => "Anna Bianchi",
                    "phones" | "phone" => "0577 123456",
                    "office" => "Servizi Informativi",
                    "office_short" => "SI",
                    "act" => "DG 2026/12",
                    "street" => "Piazza del Comune 1",
                    "postcode" => "53100",
                    "city" => "Borgo Sereno",
                    other => panic!("no value for `{other}` in {file}: {line}"),
                };
                line.replace("DA COMPILARE", value)
            })
            .collect();
        std::fs::write(&path, filled).unwrap();
    }
}

/// Replaces each reported leftover with the new comune's word for it.
fn fix_leftovers(fork: &Path, report: &JsonReport) {
    let mut by_file: std::collections::BTreeMap<&str, Vec<&JsonDiagnostic>> = Default::default();
    for diagnostic in report.diagnostics.iter().filter(|d| d.code == "W180") {
        by_file
            .entry(diagnostic.file.as_deref().unwrap())
            .or_default()
            .push(diagnostic);
    }
    for (file, mut leftovers) in by_file {
        let path = fork.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        leftovers.sort_by_key(|d| std::cmp::Reverse((d.line, d.column)));
        for leftover in leftovers {
            let line = &mut lines[leftover.line.unwrap() as usize - 1];
            let chars: Vec<char> = line.chars().collect();
            let (start, end) = (
                leftover.column.unwrap() as usize - 1,
                leftover.end_column.unwrap() as usize - 1,
            );
            let old: String = chars[start..end].iter().collect();
            let new = match old.as_str() {
                "firenzewifi" => "borgowifi",
                "FirenzeWIFI" => "BorgoWIFI",
                _ => "",
            };
            let new = match old.to_lowercase().as_str() {
                _ if !new.is_empty() => new,
                "comune di firenze" => NEW_NAME,
                "firenze" => "Borgo Sereno",
                "fiorentini" => "borghigiani",
                "comune.fi.it" | "comune.firenze.it" => "comune.borgosereno.it",
                other => panic!("unexpected leftover {other:?}"),
            };
            *line = chars[..start]
                .iter()
                .chain(new.chars().collect::<Vec<_>>().iter())
                .chain(chars[end..].iter())
                .collect();
        }
        std::fs::write(&path, lines.concat()).unwrap();
    }
}

#[test]
fn a_fork_reports_every_leftover_of_the_original_ente_then_builds() {
    let original = Project::default_copy();
    let dir = original.parent();
    let fork = dir.join("borgo-sereno");

    let init = run_in(
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
            .contains("copia della carta di Comune di Firenze"),
        "{}",
        init.stdout
    );
    let site = std::fs::read_to_string(fork.join("site.toml")).unwrap();
    assert!(
        site.contains(
            "origin = { name = \"Comune di Firenze\", city = \"Firenze\", demonym = \"fiorentini\", domains = [\"comune.fi.it\", \"comune.firenze.it\"] }"
        ),
        "{site}"
    );
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
    assert!(
        !fork.join("themes/agid/node_modules").exists(),
        "the theme is copied without node_modules"
    );

    // Straight after the copy: the identity is still to fill in.
    let fresh = run_in(
        dir,
        &[
            "check",
            "--root",
            fork.to_str().unwrap(),
            "--color",
            "never",
        ],
    );
    fresh.assert_code(EXIT_CONTENT_ERRORS);
    let e146: Vec<_> = fresh
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E146")
        .collect();
    assert!(e146.len() > 20, "{}", fresh.stderr);
    assert!(
        e146.iter()
            .any(|d| d.message == "`name` è ancora da compilare"
                && d.file.as_deref() == Some("site.toml")
                && d.line == Some(6)),
        "{}",
        fresh.stderr
    );

    // The new comune writes its identity; the old ente's text and data are still there.
    fill_in_identity(&fork);
    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    assert!(
        report.diagnostics.iter().all(|d| d.code != "E146"),
        "{:#?}",
        report.diagnostics
    );
    let reported: BTreeSet<(String, u32, u32)> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W180")
        .map(|d| (d.file.clone().unwrap(), d.line.unwrap(), d.column.unwrap()))
        .collect();
    let expected = expected_leftovers(&fork);
    assert!(expected.len() > 40, "the Firenze text is full of Firenze");
    assert_eq!(
        reported, expected,
        "each leftover is reported, nothing else"
    );
    assert!(
        reported.iter().all(|(file, _, _)| file != "site.toml"),
        "the new identity and [fork] are not leftovers"
    );
    let demonym = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("«fiorentini»"))
        .expect("i cittadini fiorentini");
    assert_eq!(
        demonym.file.as_deref(),
        Some("content/chapters/01-il-valore-del-servizio.md")
    );

    // `allow` accepts a phrase on purpose; `extra_terms` adds words of the old ente.
    let site = std::fs::read_to_string(fork.join("site.toml")).unwrap();
    let site = site
        .replace("extra_terms = []", "extra_terms = [\"FirenzeWIFI\"]")
        .replace("allow = []", "allow = [\"Città Metropolitana di Firenze\"]");
    std::fs::write(fork.join("site.toml"), site).unwrap();
    let (_, report) = check_json(dir, &fork);
    let leftovers: Vec<&JsonDiagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W180")
        .collect();
    assert_eq!(
        leftovers.len(),
        expected.len() - 1 + 2,
        "one phrase allowed; the new term found twice (the service and its id)"
    );
    let stakeholders =
        std::fs::read_to_string(fork.join("content/data/stakeholders.yaml")).unwrap();
    let allowed_line = stakeholders
        .lines()
        .position(|line| line.contains("Città Metropolitana di Firenze"))
        .unwrap() as u32
        + 1;
    assert!(
        leftovers.iter().all(
            |d| !(d.file.as_deref() == Some("content/data/stakeholders.yaml")
                && d.line == Some(allowed_line))
        ),
        "the allowed phrase is not reported"
    );
    assert!(
        leftovers
            .iter()
            .any(|d| d.message.contains("«FirenzeWIFI»")),
        "{leftovers:#?}"
    );

    // Fixing every reported leftover leaves a clean charter that builds.
    fix_leftovers(&fork, &report);
    let (run, report) = check_json(dir, &fork);
    run.assert_code(EXIT_OK);
    let remaining: Vec<&JsonDiagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('E') || d.code == "W180")
        .collect();
    assert!(remaining.is_empty(), "{remaining:#?}");

    let output = dir.join("borgo-sereno-sito");
    let build = run_in(
        dir,
        &[
            "build",
            "--root",
            fork.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    );
    build.assert_success();
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
    let run = carta(&common::repo_root(), &["init", new.to_str().unwrap()]);
    run.assert_code(EXIT_OK);
    for file in [
        "site.toml",
        "content/charter.yaml",
        "content/chapters/01-il-servizio.md",
        "content/data/organization.yaml",
        "content/data/commitments.yaml",
        "content/data/contacts.yaml",
        "themes/agid/templates/base.html",
    ] {
        assert!(new.join(file).is_file(), "{file} is created");
    }
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
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code == "E146" || d.code == "W149"),
        "a blank project only lacks its data: {}",
        check.stderr
    );
    // A new charter is not approved yet: it is a draft, and says so.
    let draft: Vec<_> = diagnostics.iter().filter(|d| d.code == "W149").collect();
    assert_eq!(draft.len(), 1, "{}", check.stderr);
    assert_eq!(draft[0].file.as_deref(), Some("content/charter.yaml"));
    let chapter = diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some("content/chapters/01-il-servizio.md"))
        .expect("the chapter text is to be written too");
    assert_eq!((chapter.line, chapter.col), (Some(10), Some(1)));
    assert_eq!(chapter.message, "questo valore è ancora da compilare");

    // Never over an existing project.
    let again = carta(&common::repo_root(), &["init", new.to_str().unwrap()]);
    again.assert_code(EXIT_USAGE_OR_IO);
    assert!(
        again.stderr.contains("esiste già e non è vuota"),
        "{}",
        again.stderr
    );
}
