//! The CI templates of `docs/ci/` check before they build: every job that runs `carta build` runs
//! `carta check --strict` first, so a charter with errors or warnings — a copied charter that still
//! names the ente it came from (`W180`) — is never published; and that check command works.

mod common;

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, Project, carta};

const TEMPLATES: [&str; 2] = ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"];

/// The template cut where a key without a value starts a block (`check:`, `  publish:`,
/// `  script:`): a GitHub job or a GitLab job's script. Comments are left out.
fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let header = indent <= 2 && trimmed.ends_with(':') && !trimmed.contains(' ');
        if header {
            blocks.push(Vec::new());
        }
        blocks.last_mut().unwrap().push(line);
    }
    blocks
}

/// The arguments after `carta` in a command line of a template.
fn carta_args(line: &str) -> Vec<String> {
    let command = &line[line.find("carta ").unwrap() + "carta ".len()..];
    command.split_whitespace().map(str::to_string).collect()
}

#[test]
fn every_job_that_builds_checks_strictly_first() {
    for template in TEMPLATES {
        let text = std::fs::read_to_string(common::repo_root().join(template)).unwrap();
        let mut builds = 0;
        for block in blocks(&text) {
            let runs = |command: &str| block.iter().position(|line| line.contains(command));
            let Some(build) = runs("/carta build") else {
                continue;
            };
            builds += 1;
            let check = runs("/carta check").unwrap_or_else(|| {
                panic!("{template}: a job builds without checking:\n{block:#?}")
            });
            assert!(
                check < build,
                "{template}: the check comes after the build:\n{block:#?}"
            );
            assert!(
                carta_args(block[check]).contains(&"--strict".to_string()),
                "{template}: the check must count warnings: {}",
                block[check]
            );
            for line in block.iter().filter(|line| line.contains("/carta build")) {
                assert!(carta_args(line).contains(&"--strict".to_string()), "{line}");
            }
        }
        assert_eq!(builds, 2, "{template}: a check job and a publish job build");
    }
}

#[test]
fn the_templates_check_command_passes_the_charter_and_stops_a_careless_fork() {
    let project = Project::default_copy();
    let mut commands = Vec::new();
    for template in TEMPLATES {
        let text = std::fs::read_to_string(common::repo_root().join(template)).unwrap();
        commands.extend(
            text.lines()
                .filter(|line| line.contains("/carta check") && !line.trim_start().starts_with('#'))
                .map(carta_args),
        );
    }
    assert_eq!(commands.len(), 4, "{commands:#?}");
    for args in &commands {
        carta(project.root(), args).assert_code(EXIT_OK);
    }

    // A copy of the charter with only its identity filled in still names Firenze: stopped.
    let fork = project.parent().join("copia");
    carta(
        project.parent(),
        &[
            "init",
            fork.to_str().unwrap(),
            "--from",
            project.root().to_str().unwrap(),
        ],
    )
    .assert_code(EXIT_OK);
    let site = std::fs::read_to_string(fork.join("site.toml")).unwrap();
    let filled = site
        .replace(
            "name = \"DA COMPILARE\"\nkind",
            "name = \"Comune di Quarto\"\nkind",
        )
        .replace("city = \"DA COMPILARE\"", "city = \"Quarto\"")
        .replace("demonym = \"DA COMPILARE\"", "demonym = \"quartesi\"")
        .replace(
            "domains = [\"DA COMPILARE\"]",
            "domains = [\"comune.quarto.na.it\"]",
        )
        .replace(
            "name = \"DA COMPILARE\"",
            "name = \"Città Metropolitana di Napoli\"",
        )
        .replace(
            "base_url = \"DA COMPILARE\"",
            "base_url = \"https://carta.comune.quarto.na.it/\"",
        )
        .replace(
            "accessibility = \"DA COMPILARE\"",
            "accessibility = \"https://form.agid.gov.it/view/comune-di-quarto\"",
        )
        .replace("\"DA COMPILARE\"", "\"https://www.comune.quarto.na.it/\"");
    std::fs::write(fork.join("site.toml"), filled).unwrap();
    for file in [
        "content/charter.yaml",
        "content/data/organization.yaml",
        "content/data/contacts.yaml",
    ] {
        let path = fork.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replace(
                "phones: [\"DA COMPILARE\", \"DA COMPILARE\"]",
                "phones: [\"081 8069222\"]",
            )
            .replace("\"DA COMPILARE\"", "\"Quarto\"");
        std::fs::write(&path, text).unwrap();
    }
    for args in &commands {
        let run = carta(&fork, args);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert!(
            diagnostics.iter().any(|d| d.code == "W180"),
            "{}",
            run.stderr
        );
        // The copy is a draft until the new ente approves it: strict CI refuses that too.
        assert!(
            diagnostics.iter().any(|d| d.code == "W149"),
            "{}",
            run.stderr
        );
        assert!(
            diagnostics
                .iter()
                .all(|d| matches!(d.code.as_str(), "W180" | "W143" | "W149")),
            "only what the copy still says of Firenze, units without contacts and the draft: {}",
            run.stderr
        );
    }
}

/// The shell lines of a template that run carta once it is installed: GitHub's `run:` steps and
/// GitLab's script items that call `.carta-tool/bin/carta` (the cached install's check included),
/// with the manifest printed after publishing.
fn shell_steps(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            line.strip_prefix("- run: ")
                .or_else(|| line.strip_prefix("run: "))
                .or_else(|| line.strip_prefix("- "))
        })
        .filter(|step| step.contains(".carta-tool/bin/carta") || step.starts_with("cat public/"))
        .map(str::to_string)
        .collect()
}

/// Each template's steps after the installation, run as written by `sh` in a repository that
/// holds only a charter (site.toml and content/), with this build's carta where the cache puts it.
#[test]
fn the_templates_steps_build_a_charter_repository_with_the_installed_carta() {
    for template in TEMPLATES {
        let text = std::fs::read_to_string(common::repo_root().join(template)).unwrap();
        assert!(
            !text.contains("npm ") && !text.contains("cargo build"),
            "{template}: a charter repository builds no carta and installs no npm package"
        );
        assert!(
            text.contains("cargo install --locked --git \"$CARTA_REPOSITORY\" --tag \"$CARTA_VERSION\" --root .carta-tool carta"),
            "{template}: installs the pinned carta into the cached folder"
        );
        let steps = shell_steps(&text);
        assert!(steps.len() >= 4, "{template}: {steps:#?}");
        let project = Project::default_copy();
        let root = project.root();
        let names: Vec<String> = common::entries(root);
        assert_eq!(
            names,
            ["content", "site.toml"],
            "a charter's own files only"
        );
        let bin = root.join(".carta-tool/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_carta"), bin.join("carta")).unwrap();
        let temp = project.output("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        for step in &steps {
            let step = step.replace(
                "${{ steps.pages.outputs.base_url }}",
                "https://carta.example.invalid",
            );
            let output = std::process::Command::new("sh")
                .args(["-c", &step])
                .current_dir(root)
                .env("RUNNER_TEMP", &temp)
                .env("CI_PROJECT_DIR", root)
                .env_remove("CARTA_BASE_URL")
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{template}: `{step}` failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
        let html = scraper::Html::parse_document(&home);
        let sheets: Vec<&str> = html
            .select(&common::sel("link[rel=stylesheet]"))
            .filter_map(|link| link.value().attr("href"))
            .collect();
        assert!(
            sheets
                .iter()
                .any(|href| href.ends_with("bootstrap-italia.subset.min.css")),
            "{template}: the published site has the AGID look: {sheets:?}"
        );
        assert!(root.join("public/trasparenza/manifest.json").is_file());
    }
}
