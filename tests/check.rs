//! `carta check`: what build checks plus links, anchors, contacts and dates, without writing
//! anything; every problem of a run at once; exit codes; `--strict`; `--format json`.

mod common;

use common::{
    Diag, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, Project, carta, entries, locate,
};
use serde::Deserialize;

const LINKS: &str = "content/chapters/05-link-da-controllare.md";
const ORGANIZATION: &str = "content/data/organization.yaml";
const CONTACTS: &str = "content/data/contacts.yaml";
const CHARTER: &str = "content/charter.yaml";

/// The last line a command printed on stdout (notes may come before it).
fn last_line(stdout: &str) -> &str {
    stdout.trim().lines().last().unwrap_or("")
}

fn find<'a>(diagnostics: &'a [Diag], code: &str, line: u32) -> &'a Diag {
    diagnostics
        .iter()
        .find(|d| d.code == code && d.line == Some(line))
        .unwrap_or_else(|| panic!("no {code} at line {line}: {diagnostics:#?}"))
}

#[test]
fn the_default_charter_passes_and_nothing_is_written() {
    let project = Project::default_copy();
    let run = project.check(&[]);
    run.assert_code(EXIT_OK);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // The Firenze charter types its numbers: a note, not a problem, says carta can give them.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("nota: 4 capitoli su 4 scrivono a mano il loro numero")
            && lines[0].contains("numbering = true"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "carta: controllo superato (nessun problema)");
    // With --quiet, only problems.
    let quiet = project.check(&["--quiet"]);
    quiet.assert_code(EXIT_OK);
    assert_eq!(quiet.stdout, "");
    assert_eq!(
        entries(project.parent()),
        ["project"],
        "check writes nothing"
    );
    assert!(!project.path("public").exists());
}

#[test]
fn broken_links_and_anchors_are_located_errors() {
    let project = Project::default_copy();
    project.overlay("check/links");
    let text = project.read(LINKS);
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["E154", "E154", "E154", "E154"],
        "{}",
        run.stderr
    );

    let (line, col) = locate(
        &text,
        "[i reclami](04-rapporto-con-il-cittadino.md#4-1-reclamo)",
        "04-",
    );
    let anchor = find(&diagnostics, "E154", line);
    anchor.assert_at("E154", LINKS, line, col);
    assert_eq!(
        anchor.message,
        "l'ancora #4-1-reclamo non esiste nella pagina /rapporto-con-il-cittadino/"
    );
    anchor.assert_hint("forse intendevi `#4-1-reclami`?");
    anchor.assert_underlined("04-rapporto-con-il-cittadino.md#4-1-reclamo");

    let (line, col) = locate(&text, "[sopra](#link-che-funzionan)", "#");
    let same_page = find(&diagnostics, "E154", line);
    same_page.assert_at("E154", LINKS, line, col);
    assert_eq!(
        same_page.message,
        "l'ancora #link-che-funzionan non esiste nella pagina /link-da-controllare/"
    );
    same_page.assert_hint("forse intendevi `#link-che-funzionano`?");

    let (line, col) = locate(&text, "(/impegnii/)", "/impegnii/");
    let page = find(&diagnostics, "E154", line);
    page.assert_at("E154", LINKS, line, col);
    assert_eq!(
        page.message,
        "il link porta a un indirizzo che non esiste nel sito: /impegnii/"
    );
    page.assert_hint("forse intendevi `/impegni/`?");

    let (line, col) = locate(&text, "(grafico-reclami.png)", "grafico");
    let image = find(&diagnostics, "E154", line);
    image.assert_at("E154", LINKS, line, col);
    assert!(
        image
            .message
            .ends_with("/link-da-controllare/grafico-reclami.png"),
        "{image:#?}"
    );
    assert!(
        image.hint.as_deref().unwrap_or("").contains("https://"),
        "images are linked with their full address: {image:#?}"
    );

    assert!(
        run.final_line().starts_with("carta: 4 errori;"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_fails_on_a_broken_link_or_anchor_as_check_does_and_writes_nothing() {
    let project = Project::default_copy();
    project.overlay("check/links");
    let text = project.read(LINKS);
    let output = project.output("public");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E154", "E154", "E154", "E154"], "{}", run.stderr);

    let (line, col) = locate(
        &text,
        "[i reclami](04-rapporto-con-il-cittadino.md#4-1-reclamo)",
        "04-",
    );
    let anchor = find(&diagnostics, "E154", line);
    anchor.assert_at("E154", LINKS, line, col);
    assert_eq!(
        anchor.message,
        "l'ancora #4-1-reclamo non esiste nella pagina /rapporto-con-il-cittadino/"
    );
    anchor.assert_hint("forse intendevi `#4-1-reclami`?");

    let (line, col) = locate(&text, "(/impegnii/)", "/impegnii/");
    let page = find(&diagnostics, "E154", line);
    page.assert_at("E154", LINKS, line, col);
    assert_eq!(
        page.message,
        "il link porta a un indirizzo che non esiste nel sito: /impegnii/"
    );
    assert!(!output.exists(), "nothing is published with a broken link");

    // Fixed, the same chapter builds: the links that work are not reported.
    let fixed = text
        .replace("#4-1-reclamo)", "#4-1-reclami)")
        .replace("(#link-che-funzionan)", "(#link-che-funzionano)")
        .replace("(/impegnii/)", "(/impegni/)")
        .replace("![Grafico dei reclami](grafico-reclami.png)", "");
    project.write(LINKS, &fixed);
    project.build(&output, &[]).assert_success();
}

#[test]
fn paths_that_climb_out_of_the_site_are_errors_in_build_and_check() {
    let project = Project::default_copy();
    project.overlay("check/escape");
    const ESCAPE: &str = "content/chapters/05-percorsi-fuori-dal-sito.md";
    let text = project.read(ESCAPE);
    for run in [
        project.build(&project.output("public"), &[]),
        project.check(&[]),
    ] {
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 2, "{}", run.stderr);
        let (line, col) = locate(&text, "(../../regolamento.pdf)", "../../");
        diagnostics[0].assert_at("E155", ESCAPE, line, col);
        assert_eq!(
            diagnostics[0].message,
            "il percorso `../../regolamento.pdf` esce dalla cartella del sito con `..`"
        );
        diagnostics[0].assert_underlined("../../regolamento.pdf");
        let (line, col) = locate(&text, "(../../../altro/01-regole.md)", "../../../");
        diagnostics[1].assert_at("E155", ESCAPE, line, col);
        diagnostics[1].assert_hint(
            "per un altro capitolo scrivi solo il nome del file, per esempio `03-standard-di-qualita.md`",
        );
    }
}

/// A unit whose head has no phone or email, and which has none of its own.
fn without_contact(project: &Project) -> String {
    project.replace(
        ORGANIZATION,
        "    name: \"Leonardo Ricci\"\n    phone: \"055 3283810\"\n    email: \"leonardo.ricci@comune.fi.it\"\n",
        "    name: \"Leonardo Ricci\"\n",
    )
}

#[test]
fn a_unit_nobody_can_contact_is_a_warning_and_an_error_with_strict() {
    let project = Project::default_copy();
    let text = without_contact(&project);
    let run = project.check(&[]);
    run.assert_code(EXIT_OK);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let warning = &diagnostics[0];
    let (line, col) = locate(&text, "- id: servizi-digitali-per-la-citta", "servizi");
    warning.assert_warning_at("W143", ORGANIZATION, line, col);
    assert_eq!(
        warning.message,
        "la struttura «Servizi digitali per la città» non ha un recapito: né email né telefono, né suoi né del responsabile"
    );
    warning.assert_hint("aggiungi `email:` o `phones:` alla struttura, oppure `phone:` o `email:` alla persona `leonardo-ricci` in people; se la struttura si raggiunge solo dal centralino scrivi `switchboard: true`");
    assert_eq!(
        last_line(&run.stdout),
        "carta: controllo superato, 1 avviso"
    );

    let strict = project.check(&["--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = strict.diagnostics();
    assert_eq!(diagnostics[0].severity, "errore");
    assert_eq!(diagnostics[0].code, "W143");
    assert!(
        strict.final_line().starts_with("carta: 1 errore;"),
        "{}",
        strict.stderr
    );
}

#[test]
fn every_problem_of_a_run_comes_at_once() {
    let project = Project::default_copy();
    without_contact(&project);
    project.replace(
        CONTACTS,
        "responsible: marco-mencacci",
        "responsible: marco-menccaci",
    );
    project.replace(CONTACTS, "\"rgq.dsi@comune.fi.it\"", "\"rgq.dsi@comune\"");
    project.replace(CHARTER, "published: 2025-06-03", "published: 2025-06-01");
    project.replace(
        CHARTER,
        "next_review: 2026-06-03",
        "next_review: 2025-01-01",
    );
    project.overlay("check/escape");
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let mut codes: Vec<String> = run.diagnostics().into_iter().map(|d| d.code).collect();
    codes.sort();
    assert_eq!(
        codes,
        ["E131", "E132", "E139", "E139", "E155", "E155", "W143"],
        "validation stops the rendering, so anchors wait for the next run; the rest comes together:\n{}",
        run.stderr
    );
    assert!(
        run.final_line().starts_with("carta: 6 errori e 1 avviso;"),
        "{}",
        run.stderr
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonReport {
    diagnostics: Vec<JsonDiagnostic>,
    /// The warnings site.toml accepts, with their reasons (none here).
    accepted: Vec<serde_json::Value>,
    /// Advice that is not a problem.
    notes: Vec<String>,
    errors: usize,
    warnings: usize,
    exit_code: i32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
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

#[test]
fn json_format_is_one_document_on_stdout() {
    let project = Project::default_copy();
    let text = without_contact(&project);
    project.overlay("check/links");
    let run = project.check(&["--format", "json"]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(run.stderr.is_empty(), "nothing on stderr: {}", run.stderr);
    let report: JsonReport =
        serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    assert!(report.accepted.is_empty());
    assert_eq!(
        report.notes.len(),
        1,
        "the typed numbers' note: {:?}",
        report.notes
    );
    assert_eq!(
        (report.errors, report.warnings, report.exit_code),
        (4, 1, 1)
    );
    assert_eq!(report.diagnostics.len(), 5);

    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "W143")
        .expect("the W143 warning");
    let (line, col) = locate(&text, "- id: servizi-digitali-per-la-citta", "servizi");
    assert_eq!(warning.severity, "warning");
    assert_eq!(warning.file.as_deref(), Some(ORGANIZATION));
    assert_eq!((warning.line, warning.column), (Some(line), Some(col)));
    assert_eq!(
        warning.end_column,
        Some(col + "servizi-digitali-per-la-citta".len() as u32)
    );
    assert!(warning.hint.as_deref().unwrap().contains("leonardo-ricci"));

    let error = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("/impegnii/"))
        .unwrap();
    assert_eq!(
        (error.severity.as_str(), error.code.as_str()),
        ("error", "E154")
    );
    assert_eq!(error.file.as_deref(), Some(LINKS));
    assert_eq!(error.hint.as_deref(), Some("forse intendevi `/impegni/`?"));

    let clean = Project::default_copy().check(&["--format", "json"]);
    clean.assert_code(EXIT_OK);
    let report: JsonReport = serde_json::from_str(&clean.stdout).unwrap();
    assert!(report.diagnostics.is_empty());
    assert_eq!(
        (report.errors, report.warnings, report.exit_code),
        (0, 0, 0)
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = carta(
        dir.path(),
        &["check", "--root", "non-esiste", "--color", "never"],
    );
    run.assert_code(EXIT_USAGE_OR_IO);
    assert!(
        run.stderr
            .contains("non è la cartella di un progetto carta"),
        "{}",
        run.stderr
    );
    let json = carta(
        dir.path(),
        &["check", "--root", "non-esiste", "--format", "json"],
    );
    json.assert_code(EXIT_USAGE_OR_IO);
    let report: JsonReport = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report.exit_code, 2);
    let bad_option = carta(dir.path(), &["check", "--format", "xml"]);
    bad_option.assert_code(EXIT_USAGE_OR_IO);
}

/// `W194`: the accessibility statement link must be the statement the ente published on
/// form.agid.gov.it (`/view/<id>`), not the site's home page or another of its pages. AGID's
/// validator (criterion C.SI.3.2) looks in the linked page for the site's domain and "WCAG 2.1".
#[test]
fn an_accessibility_link_that_is_not_a_published_statement_is_a_located_warning() {
    // form.agid.gov.it's home page, as the repository's charter links it: the only finding.
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        &common::statement_line(),
        common::REPOSITORY_STATEMENT_LINE,
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_OK);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let warning = &diagnostics[0];
    let (line, col) = locate(&text, common::REPOSITORY_STATEMENT_LINE, "accessibility");
    warning.assert_warning_at("W194", "site.toml", line, col);
    warning.assert_underlined("accessibility");
    assert_eq!(
        warning.message,
        "il link alla dichiarazione di accessibilità non porta alla dichiarazione pubblicata dell'ente: https://form.agid.gov.it/"
    );
    let hint = warning.hint.as_deref().unwrap_or("");
    assert!(hint.contains("https://form.agid.gov.it/view/"), "{hint}");
    assert_eq!(
        last_line(&run.stdout),
        "carta: controllo superato, 1 avviso"
    );

    // An error with --strict; and build says it too.
    let strict = project.check(&["--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = strict.diagnostics();
    assert_eq!(
        (diagnostics.len(), diagnostics[0].code.as_str()),
        (1, "W194")
    );
    assert_eq!(diagnostics[0].severity, "errore");
    let build = project.build(&project.output("public"), &[]);
    build.assert_code(EXIT_OK);
    let found: Vec<_> = build
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W194")
        .collect();
    assert_eq!(found.len(), 1, "{}", build.stderr);
    assert_eq!((found[0].line, found[0].col), (Some(line), Some(col)));

    // Other pages of form.agid.gov.it are not a statement either; a published one is.
    for (url, warns) in [
        ("https://form.agid.gov.it/view/", true),
        ("https://form.agid.gov.it/login", true),
        ("https://form.agid.gov.it/view/abc/dichiarazione", true),
        (
            "https://form.agid.gov.it/view/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            false,
        ),
        (
            "https://form.agid.gov.it/view/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/",
            false,
        ),
    ] {
        let project = Project::default_copy();
        let text = project.replace(
            "site.toml",
            &common::statement_line(),
            &format!("accessibility = \"{url}\""),
        );
        let run = project.check(&[]);
        run.assert_code(EXIT_OK);
        let codes: Vec<(String, Option<u32>)> = run
            .diagnostics()
            .into_iter()
            .map(|d| (d.code, d.line))
            .collect();
        let (line, _) = locate(&text, &format!("accessibility = \"{url}\""), url);
        let expected = if warns {
            vec![("W194".to_string(), Some(line))]
        } else {
            vec![]
        };
        assert_eq!(codes, expected, "{url}: {}", run.stderr);
    }
}

/// `W196`: a chapter may not take the title of another chapter or of a page carta makes: the menu,
/// a screen reader's list of links and the browser's tabs would show two pages the same. Titles
/// are compared as heard, without case, spaces or punctuation.
#[test]
fn a_chapter_titled_like_another_page_is_a_located_warning() {
    let project = Project::default_copy();
    let second = "content/chapters/02-descrizione-del-servizio.md";
    let fourth = "content/chapters/04-rapporto-con-il-cittadino.md";
    let second_text = project.replace(
        second,
        "title: Descrizione del servizio",
        "title: Organigramma",
    );
    let fourth_text = project.replace(
        fourth,
        "title: Rapporto con il cittadino",
        "title: \"standard  di Qualità!\"\nslug: altri-standard",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_OK);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 2, "{}", run.stderr);
    let (line, col) = locate(&second_text, "title: Organigramma", "Organigramma");
    diagnostics[0].assert_warning_at("W196", second, line, col);
    assert_eq!(
        diagnostics[0].message,
        "il capitolo ha lo stesso titolo della pagina /organizzazione/ «Organigramma»: nel menu e nell'elenco dei link le due pagine non si distinguono"
    );
    diagnostics[0].assert_underlined("Organigramma");
    let (line, col) = locate(&fourth_text, "title: \"standard", "\"standard");
    diagnostics[1].assert_warning_at("W196", fourth, line, col);
    assert!(
        diagnostics[1]
            .message
            .starts_with("il capitolo ha lo stesso titolo della pagina /standard-di-qualita/ «Standard di qualità»"),
        "{:#?}",
        diagnostics[1]
    );
    diagnostics[1].assert_hint(
        "dai al capitolo un titolo che dica che cosa contiene e lo distingua dall'altra pagina",
    );
    assert_eq!(
        last_line(&run.stdout),
        "carta: controllo superato, 2 avvisi"
    );

    // The build publishes with the warnings, and refuses with --strict.
    project
        .build(&project.output("public"), &[])
        .assert_success();
    let strict = project.build(&project.output("strict"), &["--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);
    assert_eq!(
        strict
            .diagnostics()
            .iter()
            .map(|d| (d.code.as_str(), d.severity.as_str()))
            .collect::<Vec<_>>(),
        [("W196", "errore"), ("W196", "errore")]
    );
}

/// `--strict` is one rule for `build` and `check`: a warning found while the charter's context is
/// made (`W196`) is an error for both, also when that stage stops on an error of its own (`E137`).
#[test]
fn strict_promotes_a_warning_of_the_context_alike_in_build_and_check() {
    let project = Project::default_copy();
    let second = "content/chapters/02-descrizione-del-servizio.md";
    let fourth = "content/chapters/04-rapporto-con-il-cittadino.md";
    project.replace(
        second,
        "title: Descrizione del servizio",
        "title: Organigramma",
    );
    project.replace(fourth, "order: 4\n", "order: 4\nslug: edizioni\n");
    let codes = |run: &common::Run| {
        run.diagnostics()
            .iter()
            .map(|d| (d.code.clone(), d.severity.clone()))
            .collect::<Vec<_>>()
    };
    let expected = [
        ("W196".to_string(), "errore".to_string()),
        ("E137".to_string(), "errore".to_string()),
    ];
    let check = project.check(&["--strict"]);
    check.assert_code(EXIT_CONTENT_ERRORS);
    assert_eq!(codes(&check), expected, "{}", check.stderr);
    let build = project.build(&project.output("public"), &["--strict"]);
    build.assert_code(EXIT_CONTENT_ERRORS);
    assert_eq!(codes(&build), expected, "{}", build.stderr);
    assert_eq!(
        build.final_line(),
        "carta: 2 errori; nessun file scritto, l'output precedente è rimasto com'era"
    );
    assert!(!project.output("public").exists());

    // Without --strict the warning stays a warning in both.
    let lenient = [
        ("W196".to_string(), "avviso".to_string()),
        ("E137".to_string(), "errore".to_string()),
    ];
    assert_eq!(codes(&project.check(&[])), lenient);
    assert_eq!(
        codes(&project.build(&project.output("public"), &[])),
        lenient
    );
}
