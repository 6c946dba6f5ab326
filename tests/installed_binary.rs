//! carta is a tool you install: the binary copied alone into an empty folder, with no repository
//! beside it and no npm, creates a project, and builds a charter that holds only its own files
//! with the AGID look (Bootstrap Italia's subset stylesheet and its fonts, from inside the binary).
//! A copy of the theme left by an older carta is reported, an override of a file the theme changed
//! since it was copied is warned about, and a project asking for another carta is refused.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, Run};

/// A temporary folder holding only a copy of this build's binary.
struct Alone {
    dir: tempfile::TempDir,
    carta: PathBuf,
}

impl Alone {
    fn new() -> Alone {
        let dir = tempfile::tempdir().unwrap();
        let carta = dir.path().join("bin/carta");
        std::fs::create_dir_all(carta.parent().unwrap()).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_carta"), &carta).unwrap();
        Alone { dir, carta }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs the copied binary in the temporary folder, with no cache and no home.
    fn run(&self, args: &[&str]) -> Run {
        let colour: &[&str] = if args[0] == "theme" {
            &[]
        } else {
            &["--color", "never"]
        };
        let output = Command::new(&self.carta)
            .args(args)
            .args(colour)
            .current_dir(self.dir.path())
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env_remove("HOME")
            .output()
            .unwrap();
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    fn run_plain(&self, args: &[&str]) -> Run {
        let output = Command::new(&self.carta)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

fn copy_quarto(to: &Path) {
    common::copy_tree(&common::repo_root().join("examples/quarto"), to);
    let _ = std::fs::remove_dir_all(to.join("public"));
    assert!(!to.join("themes").exists(), "the example holds no theme");
}

#[test]
fn the_binary_alone_creates_a_project_and_builds_quarto_with_bootstrap_italia() {
    let alone = Alone::new();
    let version = alone.run_plain(&["--version"]);
    version.assert_code(EXIT_OK);
    assert!(
        version
            .stdout
            .starts_with(&format!("carta {} (tema agid ", env!("CARGO_PKG_VERSION")))
            && version.stdout.contains("Bootstrap Italia 2."),
        "{}",
        version.stdout
    );

    alone.run(&["init", "blank"]).assert_code(EXIT_OK);
    assert!(!alone.path("blank/themes").exists(), "no copy of the theme");
    let check = alone.run(&["check", "--root", "blank"]);
    check.assert_code(EXIT_CONTENT_ERRORS);
    let markers = check
        .diagnostics()
        .into_iter()
        .filter(|diagnostic| diagnostic.code == "E146")
        .count();
    assert!(
        markers > 0,
        "check lists the DA COMPILARE markers: {}",
        check.all_output()
    );

    let quarto = alone.path("quarto");
    copy_quarto(&quarto);
    alone
        .run(&["check", "--strict", "--allow-draft", "--root", "quarto"])
        .assert_code(EXIT_OK);
    let built = alone.run(&["build", "--allow-draft", "--root", "quarto"]);
    built.assert_code(EXIT_OK);
    assert!(
        !built.all_output().contains("npm"),
        "{}",
        built.all_output()
    );
    let site = quarto.join("public");
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    let html = scraper::Html::parse_document(&home);
    let sheets: Vec<&str> = html
        .select(&common::sel("link[rel=stylesheet]"))
        .filter_map(|link| link.value().attr("href"))
        .collect();
    let subset = sheets
        .iter()
        .find(|href| href.ends_with("/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css"))
        .unwrap_or_else(|| panic!("the home page links Bootstrap Italia's subset: {sheets:?}"));
    assert!(!subset.is_empty());
    let css = std::fs::read_to_string(
        site.join("assets/bootstrap-italia/css/bootstrap-italia.subset.min.css"),
    )
    .unwrap();
    assert!(
        css.starts_with("/*!\n * Bootstrap Italia"),
        "{}",
        &css[..80.min(css.len())]
    );
    for font in [
        "Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2",
        "Titillium_Web/OFL.txt",
        "Lora/OFL.txt",
        "Roboto_Mono/LICENSE.txt",
    ] {
        let published = std::fs::read(site.join("assets/bootstrap-italia/fonts").join(font))
            .unwrap_or_else(|_| panic!("{font} is published"));
        assert_eq!(
            published,
            std::fs::read(common::vendored_bootstrap().join("fonts").join(font)).unwrap(),
            "{font} is the vendored file"
        );
    }

    // A fork of it: content and overrides, never the theme.
    alone
        .run(&["init", "fork", "--from", "quarto"])
        .assert_code(EXIT_OK);
    assert!(alone.path("fork/site.toml").is_file());
    assert!(
        !alone.path("fork/themes").exists(),
        "init --from copies no theme"
    );
}

/// A project made by an older carta, with the whole theme copied into `themes/agid/`.
fn project_with_theme_copy(alone: &Alone) -> PathBuf {
    let quarto = alone.path("quarto");
    copy_quarto(&quarto);
    let theme = quarto.join("themes/agid");
    copy_theme_files(&theme);
    std::fs::copy(
        common::repo_root().join("themes/agid/package.json"),
        theme.join("package.json"),
    )
    .unwrap();
    quarto
}

/// The theme's templates, static files and strings, copied into `theme` as an older carta did.
fn copy_theme_files(theme: &Path) {
    for part in ["templates", "static"] {
        common::copy_tree(
            &common::repo_root().join("themes/agid").join(part),
            &theme.join(part),
        );
    }
    std::fs::copy(
        common::repo_root().join("themes/agid/strings.toml"),
        theme.join("strings.toml"),
    )
    .unwrap();
}

#[test]
fn an_unmodified_copy_of_the_theme_is_reported_deletable_and_a_modified_one_by_its_files() {
    let alone = Alone::new();
    let quarto = project_with_theme_copy(&alone);
    let run = alone.run(&["check", "--allow-draft", "--root", "quarto"]);
    run.assert_code(EXIT_OK);
    let notes: Vec<&str> = run
        .stdout
        .lines()
        .chain(run.stderr.lines())
        .filter(|line| line.contains("themes/agid/"))
        .collect();
    assert_eq!(notes.len(), 1, "one note: {}", run.all_output());
    assert!(
        notes[0].starts_with("nota: themes/agid/ è una copia non modificata")
            && notes[0].contains("si può cancellare"),
        "{notes:?}"
    );
    assert!(run.diagnostics().is_empty(), "{}", run.all_output());
    // A fork of it does not carry the old copy along.
    alone
        .run(&["init", "fork", "--from", "quarto"])
        .assert_code(EXIT_OK);
    assert!(!alone.path("fork/themes").exists());

    // A file changed by the office: the copy is no longer the theme, and the warning names it.
    let footer = quarto.join("themes/agid/templates/partials/footer.html");
    std::fs::write(&footer, "<footer>modificato</footer>\n").unwrap();
    let run = alone.run(&["check", "--allow-draft", "--root", "quarto"]);
    let warnings = run.with_code("W260");
    assert_eq!(warnings.len(), 1, "{}", run.all_output());
    assert!(
        warnings[0]
            .message
            .contains("templates/partials/footer.html")
            && !warnings[0].message.contains("base.html"),
        "{}",
        warnings[0].message
    );
    assert_eq!(warnings[0].file.as_deref(), Some("themes/agid"));
    // The copy is not used: the site keeps the built-in footer.
    alone
        .run(&["build", "--allow-draft", "--root", "quarto"])
        .assert_code(EXIT_OK);
    let home = std::fs::read_to_string(quarto.join("public/index.html")).unwrap();
    assert!(!home.contains("modificato"));
}

#[test]
fn init_from_copies_a_theme_of_the_projects_own_and_its_overrides() {
    let alone = Alone::new();
    let quarto = alone.path("quarto");
    copy_quarto(&quarto);
    let theme = quarto.join("themes/comune");
    copy_theme_files(&theme);
    let site = std::fs::read_to_string(quarto.join("site.toml")).unwrap();
    assert_eq!(site.matches("theme = \"agid\"").count(), 1);
    std::fs::write(
        quarto.join("site.toml"),
        site.replace("theme = \"agid\"", "theme = \"comune\""),
    )
    .unwrap();
    alone
        .run(&[
            "theme",
            "eject",
            "static/img/favicon.svg",
            "--root",
            "quarto",
        ])
        .assert_code(EXIT_OK);
    alone
        .run(&["init", "fork", "--from", "quarto"])
        .assert_code(EXIT_OK);
    assert!(
        alone
            .path("fork/themes/comune/templates/base.html")
            .is_file()
    );
    assert!(alone.path("fork/static/img/favicon.svg").is_file());
    assert!(alone.path("fork/.carta-theme.toml").is_file());
}

#[test]
fn an_override_of_a_file_the_theme_changed_since_is_warned_about() {
    let alone = Alone::new();
    let quarto = alone.path("quarto");
    copy_quarto(&quarto);
    let eject = alone.run(&[
        "theme",
        "eject",
        "templates/partials/footer.html",
        "--root",
        "quarto",
    ]);
    eject.assert_code(EXIT_OK);
    let copied = quarto.join("templates/partials/footer.html");
    assert_eq!(
        std::fs::read(&copied).unwrap(),
        std::fs::read(common::repo_root().join("themes/agid/templates/partials/footer.html"))
            .unwrap()
    );
    let record = std::fs::read_to_string(quarto.join(".carta-theme.toml")).unwrap();
    assert!(
        record.contains("path = \"templates/partials/footer.html\""),
        "{record}"
    );
    let list = alone.run(&["theme", "list", "--root", "quarto"]);
    assert!(
        list.stdout
            .lines()
            .any(|line| line.contains("templates/partials/footer.html")
                && line.contains("sostituito dal progetto")),
        "{}",
        list.stdout
    );
    // Copied from the theme as it is: nothing to say.
    let run = alone.run(&["check", "--strict", "--allow-draft", "--root", "quarto"]);
    run.assert_code(EXIT_OK);

    // The record says the copy came from a theme whose file was different: the theme changed since.
    let older = record.replace(
        &record[record.find("sha256 = \"").unwrap() + 10..][..64],
        &"0".repeat(64),
    );
    let older = older.replace("theme = \"agid ", "theme = \"agid 0.0.1-");
    std::fs::write(quarto.join(".carta-theme.toml"), older).unwrap();
    let run = alone.run(&["check", "--allow-draft", "--root", "quarto"]);
    let warned = run.with_code("W261");
    assert_eq!(warned.len(), 1, "{}", run.all_output());
    assert_eq!(
        warned[0].file.as_deref(),
        Some("templates/partials/footer.html")
    );
    assert!(
        run.stderr
            .contains("carta theme diff templates/partials/footer.html"),
        "{}",
        run.stderr
    );
    let strict = alone.run(&["check", "--strict", "--allow-draft", "--root", "quarto"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);

    // After a look at the difference, recording the current theme silences it.
    let diff = alone.run(&[
        "theme",
        "diff",
        "templates/partials/footer.html",
        "--root",
        "quarto",
    ]);
    diff.assert_code(EXIT_OK);
    std::fs::write(
        &copied,
        "{# del Comune #}\n".to_string() + &std::fs::read_to_string(&copied).unwrap(),
    )
    .unwrap();
    let diff = alone.run(&[
        "theme",
        "diff",
        "templates/partials/footer.html",
        "--root",
        "quarto",
    ]);
    diff.assert_code(EXIT_CONTENT_ERRORS);
    assert!(diff.stdout.contains("+{# del Comune #}"), "{}", diff.stdout);
    alone
        .run(&[
            "theme",
            "eject",
            "--record",
            "templates/partials/footer.html",
            "--root",
            "quarto",
        ])
        .assert_code(EXIT_OK);
    alone
        .run(&["check", "--strict", "--allow-draft", "--root", "quarto"])
        .assert_code(EXIT_OK);
}

#[test]
fn a_project_asking_for_a_newer_carta_is_refused_with_the_place_of_the_requirement() {
    let alone = Alone::new();
    let quarto = alone.path("quarto");
    copy_quarto(&quarto);
    let site = std::fs::read_to_string(quarto.join("site.toml")).unwrap();
    std::fs::write(
        quarto.join("site.toml"),
        format!("carta = \">=99.0\"\n{site}\n[futuro]\nchiave = 1\n"),
    )
    .unwrap();
    let run = alone.run(&["build", "--allow-draft", "--root", "quarto"]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics.len(),
        1,
        "only the version: {}",
        run.all_output()
    );
    assert_eq!(diagnostics[0].code, "E261");
    diagnostics[0].assert_at("E261", "site.toml", 1, 9);
    assert!(
        diagnostics[0].message.contains(&format!(
            "la versione in uso è la {}",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        diagnostics[0].message
    );
    assert!(!quarto.join("public").exists());

    let met = format!("carta = \">={}\"\n{site}", env!("CARGO_PKG_VERSION"));
    std::fs::write(quarto.join("site.toml"), met).unwrap();
    alone
        .run(&["check", "--strict", "--allow-draft", "--root", "quarto"])
        .assert_code(EXIT_OK);
}
