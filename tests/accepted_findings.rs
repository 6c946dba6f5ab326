//! Accepted findings: a warning named in site.toml (`[[accept]]`) by code and place, with a reason,
//! is shown once per run as accepted, and `--strict` passes; an acceptance that matches nothing
//! warns (`W250`); an error cannot be accepted (`E250`).

mod common;

use common::{
    Diag, EXIT_CONTENT_ERRORS, EXIT_OK, Project, REPOSITORY_ACCEPTANCE, REPOSITORY_STATEMENT_LINE,
    locate, select_all, single, statement_line, text_of,
};

const REASON: &str =
    "in attesa della pubblicazione della dichiarazione di accessibilità su form.agid.gov.it";

fn accepted(diagnostics: &[Diag]) -> Vec<&Diag> {
    diagnostics
        .iter()
        .filter(|d| d.severity == "accettato")
        .collect()
}

#[test]
fn the_repository_charter_passes_strict_with_w194_accepted_and_its_reason_shown_once() {
    let project = Project::repository_copy();
    let text = project.read("site.toml");
    assert!(text.contains(REPOSITORY_STATEMENT_LINE) && text.contains(REPOSITORY_ACCEPTANCE));

    let check = project.check(&["--strict"]);
    check.assert_code(EXIT_OK);
    let diagnostics = check.diagnostics();
    assert_eq!(
        diagnostics.len(),
        1,
        "only the accepted one: {}",
        check.stderr
    );
    let w194 = accepted(&diagnostics)[0];
    let (line, col) = locate(&text, REPOSITORY_STATEMENT_LINE, "accessibility");
    assert_eq!(
        (
            w194.code.as_str(),
            w194.file.as_deref(),
            w194.line,
            w194.col
        ),
        ("W194", Some("site.toml"), Some(line), Some(col))
    );
    assert_eq!(w194.reason.as_deref(), Some(REASON));
    assert_eq!(
        check.stdout.trim().lines().last().unwrap_or(""),
        "carta: controllo superato, 1 avviso accettato"
    );

    let output = project.output("public");
    let build = project.build(&output, &["--strict"]);
    build.assert_success();
    assert_eq!(
        build.stderr.matches("accettato[W194]").count(),
        1,
        "once per run: {}",
        build.stderr
    );
    assert!(
        build.stdout.contains("1 avviso accettato"),
        "{}",
        build.stdout
    );

    // The JSON report carries it apart from the problems, with its reason.
    let json = project.check(&["--strict", "--format", "json"]);
    json.assert_code(EXIT_OK);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["accepted"][0]["code"], "W194");
    assert_eq!(report["accepted"][0]["reason"], REASON);
    assert_eq!(report["accepted"][0]["line"], line);
}

#[test]
fn the_footer_does_not_call_a_link_to_agids_home_page_the_published_statement() {
    let project = Project::repository_copy();
    let (_, site) = project.build_site("public", &["--strict"]);
    for page in ["/", "/trasparenza/"] {
        let html = site.page(page);
        let link = single(html, "footer a[data-element=accessibility-link]");
        assert_eq!(link.value().attr("href"), Some("https://form.agid.gov.it/"));
        assert_eq!(
            text_of(link),
            "Dichiarazione di accessibilità (non ancora pubblicata)",
            "{page}"
        );
    }

    // With the published statement's address, the link is the statement's.
    let project = Project::default_copy();
    let (_, site) = project.build_site("public", &["--strict"]);
    let html = site.page("/trasparenza/");
    let links = select_all(html, "footer a[data-element=accessibility-link]");
    assert_eq!(text_of(links[0]), "Dichiarazione di accessibilità");
}

#[test]
fn an_acceptance_that_matches_nothing_is_a_located_warning() {
    // The statement is published: the acceptance has nothing left to accept.
    let project = Project::repository_copy();
    let text = project.replace("site.toml", REPOSITORY_STATEMENT_LINE, &statement_line());
    let run = project.check(&[]);
    run.assert_code(EXIT_OK);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(&text, REPOSITORY_ACCEPTANCE, "code");
    diagnostics[0].assert_warning_at("W250", "site.toml", line, col);
    assert_eq!(
        diagnostics[0].message,
        "l'avviso W194 è accettato in site.toml, ma in questa carta non c'è più"
    );
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("togli questo [[accept]]")),
        "{:?}",
        diagnostics[0].hint
    );
    project
        .check(&["--strict"])
        .assert_code(EXIT_CONTENT_ERRORS);
    let build = project.build(&project.output("public"), &["--strict"]);
    build.assert_code(EXIT_CONTENT_ERRORS);
    assert!(!project.output("public").exists());
}

#[test]
fn a_line_names_one_place_and_another_line_accepts_nothing() {
    let project = Project::repository_copy();
    let text = project.read("site.toml");
    let (line, _) = locate(&text, REPOSITORY_STATEMENT_LINE, "accessibility");
    let by_line =
        REPOSITORY_ACCEPTANCE.replace("key = \"footer.accessibility\"", &format!("line = {line}"));
    project.replace("site.toml", REPOSITORY_ACCEPTANCE, &by_line);
    project.check(&["--strict"]).assert_code(EXIT_OK);

    let wrong = by_line.replace(&format!("line = {line}"), &format!("line = {}", line + 1));
    project.replace("site.toml", &by_line, &wrong);
    let run = project.check(&[]);
    let mut codes: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.severity, d.code))
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("avviso".to_string(), "W194".to_string()),
            ("avviso".to_string(), "W250".to_string())
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn errors_cannot_be_accepted_and_an_acceptance_needs_a_reason() {
    let project = Project::default_copy();
    let site = project.read("site.toml");
    project.write(
        "site.toml",
        &format!(
            "{site}\n[[accept]]\ncode = \"E154\"\nfile = \"content/chapters/04-rapporto-con-il-cittadino.md\"\nreason = \"link da sistemare\"\n\n[[accept]]\ncode = \"W307\"\nfile = \"content/chapters/01-il-valore-del-servizio.md\"\nreason = \"  \"\n"
        ),
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    let messages: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            ("E250", "un errore non si può accettare: E154"),
            ("E250", "manca il motivo per cui l'avviso W307 è accettato"),
        ],
        "{}",
        run.stderr
    );
    let text = project.read("site.toml");
    let (line, col) = locate(&text, "code = \"E154\"", "code");
    diagnostics[0].assert_at("E250", "site.toml", line, col);
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("va corretto")),
        "{:?}",
        diagnostics[0].hint
    );
}
