//! Hostile or broken input never panics or hangs: YAML alias bombs and absurd nesting, huge or
//! non-UTF-8 files, symbolic links out of the project and theme names with `..` are rejected
//! with located errors in bounded time; the fuzzing regression inputs replay cleanly.

mod common;

use std::time::{Duration, Instant};

use common::{EXIT_CONTENT_ERRORS, Project, Run, repo_root};

const STAKEHOLDERS: &str = "content/data/stakeholders.yaml";

/// Runs `check` and asserts it ended with exit code 1 within `limit`.
fn check_fails_quickly(project: &Project, limit: Duration) -> Run {
    let started = Instant::now();
    let run = project.check(&[]);
    let elapsed = started.elapsed();
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(elapsed < limit, "took {elapsed:?}");
    run
}

#[test]
fn a_yaml_alias_bomb_is_rejected_in_bounded_time() {
    let project = Project::default_copy();
    // Eleven levels of ten aliases each: 10^11 strings if it were expanded.
    let mut text = String::from(
        "groups:\n  - name: \"a\"\n    members: &a0 [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    for level in 1..=11 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 10].join(",");
        text.push_str(&format!(
            "  - name: \"a{level}\"\n    members: &a{level} [{items}]\n"
        ));
    }
    project.write(STAKEHOLDERS, &text);
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].file.as_deref(), Some(STAKEHOLDERS));
    assert!(
        diagnostics[0].line.is_some(),
        "located: {:#?}",
        diagnostics[0]
    );

    // Thousands of aliases where they would be accepted one by one: the budget stops them.
    let aliases = vec!["*n"; 2_000].join(", ");
    project.write(
        STAKEHOLDERS,
        &format!("groups:\n  - name: &n \"Cittadini\"\n    members: [{aliases}]\n"),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let diag = &diagnostics[0];
    assert_eq!(diag.code, "E106");
    assert_eq!(diag.file.as_deref(), Some(STAKEHOLDERS));
    assert!(diag.line.is_some(), "located: {diag:#?}");
    assert_eq!(
        diag.message,
        "file YAML troppo complesso: troppi alias (più di 1.000 riferimenti `*nome` ad ancore `&nome`)"
    );
    diag.assert_hint(
        "i file di contenuto non hanno bisogno di alias (&, *): scrivi ogni valore per esteso",
    );
}

const DEEPER_THAN_64: &str = "file YAML troppo complesso: annidamento più profondo di 64 livelli";

#[test]
fn a_yaml_file_with_too_many_values_is_rejected_as_too_large_not_too_deep() {
    let project = Project::default_copy();
    // Flat: one list of 260,000 one-letter values, past the limit of 250,000 nodes.
    let values = vec!["a"; 260_000].join(",");
    project.write(
        STAKEHOLDERS,
        &format!("groups:\n  - name: x\n    members: [{values}]\n"),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(20));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let diag = &diagnostics[0];
    assert_eq!(diag.code, "E106");
    assert_eq!(diag.file.as_deref(), Some(STAKEHOLDERS));
    assert_eq!(diag.line, Some(3), "{diag:#?}");
    assert_eq!(
        diag.message,
        "file YAML troppo grande: più di 250.000 valori (il limite è sul numero di elementi, non sull'annidamento)"
    );
    diag.assert_hint(
        "un file di contenuto ha al massimo qualche migliaio di voci: controlla che non vi sia stato incollato per errore un elenco generato o ripetuto",
    );

    // Deep but small (300 levels, 600 values): the nesting is named, not the size.
    project.write(
        STAKEHOLDERS,
        &format!(
            "groups:\n  - name: x\n    members: {}{}\n",
            "[".repeat(300),
            "]".repeat(300)
        ),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E106");
    assert_eq!(diagnostics[0].message, DEEPER_THAN_64);
    diagnostics[0].assert_hint(
        "i file di contenuto non hanno bisogno di più di qualche livello di rientro (o di parentesi [ ] e { } una dentro l'altra)",
    );
}

#[test]
fn absurdly_deep_nesting_is_rejected_in_bounded_time() {
    let project = Project::default_copy();
    let depth = 100_000;
    project.write(
        STAKEHOLDERS,
        &format!(
            "groups:\n  - name: x\n    members: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E106");
    assert_eq!(diagnostics[0].file.as_deref(), Some(STAKEHOLDERS));
    assert_eq!(diagnostics[0].message, DEEPER_THAN_64);

    // Deep block nesting in a chapter's front matter: a located error, quickly.
    let mut block = String::from("title: T\norder: 9\ndescription:\n");
    for level in 1..=1_000 {
        block.push_str(&format!("{}-\n", " ".repeat(level)));
    }
    project.write(STAKEHOLDERS, "groups:\n  - name: x\n");
    project.write(
        "content/chapters/09-profondo.md",
        &format!("---\n{block}---\n\n## Testo\n"),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(
        diagnostics[0].file.as_deref(),
        Some("content/chapters/09-profondo.md")
    );
    assert!(diagnostics[0].line.is_some());
}

#[test]
fn deeply_nested_markdown_renders_without_crashing() {
    let project = Project::default_copy();
    let mut body = String::from("---\ntitle: Profondo\norder: 9\n---\n\n## Citazioni\n\n");
    body.push_str(&"> ".repeat(20_000));
    body.push_str("testo\n\n## Elenchi\n\n");
    for level in 0..2_000 {
        body.push_str(&format!("{}- voce\n", "  ".repeat(level)));
    }
    body.push_str("\n## Enfasi\n\n");
    body.push_str(&"*_".repeat(20_000));
    body.push_str("\n\n");
    body.push_str(&"[".repeat(20_000));
    body.push('\n');
    project.write("content/chapters/09-profondo.md", &body);
    let started = Instant::now();
    let run = project.check(&[]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(run.code, Some(0) | Some(1)),
        "an exit code, not a crash: {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_chapter_not_in_utf8_is_e110() {
    let project = Project::default_copy();
    let chapter = "content/chapters/09-latin1.md";
    // "città" in ISO-8859-1, on line 6.
    let bytes = b"---\ntitle: Latin1\norder: 9\n---\n\nLa citt\xe0 di tutti.\n".to_vec();
    std::fs::write(project.path(chapter), bytes).unwrap();
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    diagnostics[0].assert_at("E110", chapter, 6, 8);
    assert_eq!(
        diagnostics[0].source_line.as_deref(),
        Some("La citt\u{fffd} di tutti."),
        "the line is shown with the invalid byte replaced"
    );
    assert_eq!(
        diagnostics[0].message,
        "il file non è in UTF-8 (byte non valido alla riga 6)"
    );
}

#[test]
fn a_huge_file_is_e114_without_reading_it_all() {
    let project = Project::default_copy();
    let chapter = "content/chapters/09-enorme.md";
    let mut text = String::from("---\ntitle: Enorme\norder: 9\n---\n\n");
    text.push_str(&"testo ".repeat(1_500_000));
    project.write(chapter, &text);
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E114");
    assert_eq!(diagnostics[0].file.as_deref(), Some(chapter));
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_project_are_e115() {
    let project = Project::default_copy();
    let outside = project.parent().join("fuori.md");
    std::fs::write(&outside, "---\ntitle: Fuori\norder: 9\n---\n\n## Segreto\n").unwrap();
    std::os::unix::fs::symlink(&outside, project.path("content/chapters/09-fuori.md")).unwrap();
    std::os::unix::fs::symlink(
        project.parent().join("non-esiste.md"),
        project.path("content/chapters/10-rotto.md"),
    )
    .unwrap();
    // A link that stays inside the project is fine.
    std::fs::create_dir_all(project.path("condivisi")).unwrap();
    std::fs::write(
        project.path("condivisi/11-dentro.md"),
        "---\ntitle: Dentro\norder: 11\n---\n\n## Sezione\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        project.path("condivisi/11-dentro.md"),
        project.path("content/chapters/11-dentro.md"),
    )
    .unwrap();
    let run = check_fails_quickly(&project, Duration::from_secs(10));
    let diagnostics = run.diagnostics();
    let found: Vec<(&str, Option<&str>)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("E115", Some("content/chapters/09-fuori.md")),
            ("E115", Some("content/chapters/10-rotto.md")),
        ],
        "{}",
        run.stderr
    );
    assert!(
        diagnostics[0]
            .message
            .starts_with("content/chapters/09-fuori.md porta fuori dalla cartella del progetto"),
        "{:#?}",
        diagnostics[0]
    );
    assert_eq!(
        diagnostics[1].message,
        "content/chapters/10-rotto.md è un collegamento a un file che non esiste"
    );
}

#[test]
fn a_theme_name_with_dots_is_e170_located_in_site_toml() {
    let project = Project::default_copy();
    let text = project.replace("site.toml", "theme = \"agid\"", "theme = \"../../agid\"");
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "theme = \"../../agid\"", "../../");
    diagnostics[0].assert_at("E170", "site.toml", line, col);
    assert_eq!(
        diagnostics[0].message,
        "nome del tema non valido: `../../agid`"
    );
}

/// Inputs kept from fuzzing (and the hostile seeds) go through the fuzz entry point here too.
#[test]
fn fuzzing_inputs_replay_without_panics() {
    let mut dirs = vec![repo_root().join("fuzz/seeds")];
    let regressions = repo_root().join("tests/fixtures/fuzz");
    if regressions.is_dir() {
        dirs.push(regressions);
    }
    let mut count = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let started = Instant::now();
            let _ = carta::fuzz::load_bytes(&bytes);
            carta::fuzz::html_bytes(&bytes);
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{} took {:?}",
                path.display(),
                started.elapsed()
            );
            count += 1;
        }
    }
    assert!(count >= 3);
}

#[test]
fn control_characters_in_yaml_and_toml_text_are_located_errors() {
    let project = Project::default_copy();
    // Written as escapes (the parsed text holds the character) in the charter, a chapter's front
    // matter, a data file and site.toml.
    project.replace(
        "content/charter.yaml",
        "title: \"Carta di qualità dei servizi\"",
        "title: \"Carta di qualità\\f dei servizi\"",
    );
    project.replace(
        "content/chapters/01-il-valore-del-servizio.md",
        "title: Il valore del servizio",
        "title: \"Il valore\\e del servizio\"",
    );
    project.replace(
        "content/data/commitments.yaml",
        "service: \"Gestione e rilascio credenziali",
        "service: \"\\0Gestione e rilascio credenziali",
    );
    project.replace(
        "site.toml",
        "name = \"Comune di Firenze\"",
        "name = \"Comune di\\u000C Firenze\\u007F\"",
    );
    let run = check_fails_quickly(&project, Duration::from_secs(60));
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E220")
        .collect();
    assert_eq!(found.len(), 4, "{}", run.stderr);
    let at = |file: &str| {
        found
            .iter()
            .find(|d| d.file.as_deref() == Some(file))
            .unwrap_or_else(|| panic!("E220 in {file}: {}", run.stderr))
    };
    at("content/charter.yaml").assert_at("E220", "content/charter.yaml", 1, 8);
    assert!(
        at("content/charter.yaml")
            .message
            .ends_with("U+000C (salto pagina)")
    );
    at("content/chapters/01-il-valore-del-servizio.md").assert_at(
        "E220",
        "content/chapters/01-il-valore-del-servizio.md",
        2,
        8,
    );
    assert!(
        at("content/chapters/01-il-valore-del-servizio.md")
            .message
            .ends_with("U+001B (ESC)")
    );
    let data = at("content/data/commitments.yaml");
    assert!(data.message.ends_with("U+0000 (NUL)"), "{data:#?}");
    let config = at("site.toml");
    let line = project
        .read("site.toml")
        .lines()
        .position(|line| line.contains("Firenze\\u007F"))
        .unwrap() as u32
        + 1;
    config.assert_at("E220", "site.toml", line, 8);
    assert!(
        found.iter().all(|d| d
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("togli il carattere"))),
        "{}",
        run.stderr
    );
}

#[test]
fn deeply_nested_raw_html_is_a_located_error_in_bounded_time() {
    let project = Project::default_copy();
    // 100,000 nested <div> (500 KB): minutes of parsing before the bound.
    let n = 100_000;
    let chapter = "content/chapters/09-profondo.md";
    project.write(
        chapter,
        &format!(
            "---\ntitle: Profondo\norder: 9\n---\n\n## Uno\n\n{}x{}\n",
            "<div>".repeat(n),
            "</div>".repeat(n)
        ),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(30));
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E221")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    // The 101st <div> of line 8.
    found[0].assert_at("E221", chapter, 8, 501);
    assert!(
        found[0].message.contains("più di 100 elementi"),
        "{:#?}",
        found[0]
    );
}

#[test]
fn block_markers_past_the_limit_are_a_located_error_not_an_abort() {
    let project = Project::default_copy();
    // 1.5 MB of markers: each would be the whole commitments table.
    let chapter = "content/chapters/09-blocchi.md";
    project.write(
        chapter,
        &format!(
            "---\ntitle: Blocchi\norder: 9\n---\n\n## Uno\n\n{}",
            "{{ impegni }}\n\n".repeat(100_000)
        ),
    );
    let run = check_fails_quickly(&project, Duration::from_secs(60));
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E222")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    // The 17th marker: line 8 holds the first, one every two lines.
    found[0].assert_at("E222", chapter, 8 + 2 * 16, 1);

    // Sixteen are placed without a word.
    project.write(
        chapter,
        &format!(
            "---\ntitle: Blocchi\norder: 9\n---\n\n## Uno\n\n{}",
            "{{ impegni }}\n\n".repeat(16)
        ),
    );
    let run = project.check(&[]);
    assert!(
        run.diagnostics().iter().all(|d| d.code != "E222"),
        "{}",
        run.stderr
    );
}
