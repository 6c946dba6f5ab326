//! Content lint: accessibility mistakes in chapters are located warnings, errors with --strict;
//! an ente colour without AA contrast against white is a build error with a suggested colour.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project, repo_root};

const FIXTURE_5: &str = "content/chapters/05-capitolo-con-errori.md";
/// A long chapter (over 300 words) without sections.
const FIXTURE_6: &str = "content/chapters/06-capitolo-senza-sezioni.md";
/// A short chapter without sections: no W307.
const FIXTURE_7: &str = "07-capitolo-breve.md";
/// The long text of fixture 6, marked `sections: false`: no W307.
const FIXTURE_8: &str = "08-testo-approvato-senza-sezioni.md";
/// A short chapter whose title is in capitals.
const FIXTURE_9: &str = "content/chapters/09-titolo-in-maiuscolo.md";

fn project_with_lint_fixtures() -> Project {
    let project = Project::default_copy();
    for name in [
        "05-capitolo-con-errori.md",
        "06-capitolo-senza-sezioni.md",
        FIXTURE_7,
        FIXTURE_8,
        "09-titolo-in-maiuscolo.md",
    ] {
        let text =
            std::fs::read_to_string(repo_root().join("tests/fixtures/lint").join(name)).unwrap();
        project.write(&format!("content/chapters/{name}"), &text);
    }
    project
}

#[test]
fn each_lint_warning_is_reported_at_its_line() {
    let project = project_with_lint_fixtures();
    let run = project.build(&project.output("public"), &[]);
    run.assert_success();
    let found: Vec<(String, String, u32, u32)> = run
        .diagnostics()
        .into_iter()
        .map(|d| {
            (
                d.code,
                d.file.unwrap_or_default(),
                d.line.unwrap_or(0),
                d.col.unwrap_or(0),
            )
        })
        .collect();
    let expected: Vec<(String, String, u32, u32)> = [
        ("W302", FIXTURE_5, 10, 1),
        ("W301", FIXTURE_5, 12, 1),
        ("W303", FIXTURE_5, 14, 25),
        ("W304", FIXTURE_5, 16, 16),
        ("W305", FIXTURE_5, 18, 1),
        ("W306", FIXTURE_5, 22, 1),
        ("W302", FIXTURE_5, 24, 1),
        ("W307", FIXTURE_6, 5, 1),
        ("W306", FIXTURE_9, 2, 9),
    ]
    .into_iter()
    .map(|(code, file, line, col)| (code.to_string(), file.to_string(), line, col))
    .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("avviso[W303]: testo del link poco chiaro: «clicca qui»"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("«IL SERVIZIO È GARANTITO»"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "avviso[W306]: titolo del capitolo in maiuscolo: «PRINCIPALI CONTATTI A DISPOSIZIONE DEGLI UTENTI»"
        ),
        "{}",
        run.stderr
    );
    // Fixtures 7 and 8 have no sections either, and no finding: one is short, the other says
    // `sections: false`; both are built.
    for name in [FIXTURE_7, FIXTURE_8] {
        assert!(!run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    let site = common::Site::load(&project.output("public"));
    for url in ["/referenti-del-settore/", "/introduzione/"] {
        assert!(site.pages.contains_key(url), "{url} is built");
    }
    assert!(run.stdout.contains("9 avvisi"), "{}", run.stdout);
}

#[test]
fn a_long_chapter_without_sections_is_still_a_warning_with_the_way_out() {
    let project = project_with_lint_fixtures();
    let run = project.check(&[]);
    let w307: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W307")
        .collect();
    assert_eq!(w307.len(), 1, "{}", run.stderr);
    assert!(
        w307[0].message.contains("almeno 300 parole"),
        "{:?}",
        w307[0]
    );
    assert!(
        w307[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("scrivi `sections: false` nell'intestazione")),
        "{:?}",
        w307[0]
    );
    // Marked as approved without sections, the same text passes --strict.
    let text = project.read(FIXTURE_6);
    project.write(
        FIXTURE_6,
        &text.replace("order: 6\n", "order: 6\nsections: false\n"),
    );
    project.write(FIXTURE_9, "---\ntitle: Principali contatti a disposizione degli utenti\norder: 9\n---\n\nGli indirizzi.\n");
    std::fs::remove_file(project.path("content/chapters/05-capitolo-con-errori.md")).unwrap();
    let run = project.check(&["--strict"]);
    run.assert_success();
}

#[test]
fn strict_turns_lint_warnings_into_errors() {
    let project = project_with_lint_fixtures();
    let output = project.output("public");
    let run = project.build(&output, &["--strict"]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    run.assert_error_count(9);
    assert!(
        !output.exists(),
        "nothing is written when --strict finds problems"
    );
}

#[test]
fn the_default_charter_has_no_lint_findings() {
    let project = Project::default_copy();
    let run = project.build(&project.output("public"), &["--strict"]);
    run.assert_success();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}

#[test]
fn an_ente_colour_without_aa_contrast_is_an_error_with_a_darker_suggestion() {
    let project = Project::default_copy();
    let text = project.replace("site.toml", "colour = \"#0066CC\"", "colour = \"#66B2FF\"");
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "colour = \"#66B2FF\"", "colour");
    diagnostics[0].assert_at("E144", "site.toml", line, col);
    assert!(
        diagnostics[0].message.contains("contrasto 2,24"),
        "{}",
        diagnostics[0].message
    );
    let hint = diagnostics[0].hint.clone().unwrap_or_default();
    assert!(
        hint.starts_with("usa una tonalità più scura, per esempio \"#"),
        "{hint}"
    );
    // The suggested colour really passes: build again with it.
    let suggested = &hint["usa una tonalità più scura, per esempio \"".len()..][..7];
    project.replace(
        "site.toml",
        "colour = \"#66B2FF\"",
        &format!("colour = \"{suggested}\""),
    );
    project
        .build(&project.output("public"), &[])
        .assert_success();
}
