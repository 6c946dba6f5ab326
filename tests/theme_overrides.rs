//! Theme overrides: a project's own `templates/` and `static/` take precedence over the theme's,
//! one file at a time, and `[site] stylesheets` links extra stylesheets from the project.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project, repo_root, select_all, single};

const OVERRIDES: &str = "theme-overrides";

fn with_overrides() -> Project {
    let project = Project::default_copy();
    project.overlay(OVERRIDES);
    project
}

#[test]
fn one_overridden_template_replaces_the_themes_on_every_page() {
    let project = with_overrides();
    let (_, site) = project.build_site("public", &[]);
    for (url, page) in site.web_pages() {
        let note = single(page, "footer #nota-del-comune");
        assert_eq!(
            note.text().collect::<String>(),
            "Questo sito è curato dall'Ufficio Comunicazione.",
            "{url}"
        );
        // The rest of the theme is untouched.
        assert_eq!(select_all(page, "header").len(), 1, "{url}");
        assert_eq!(select_all(page, "main#main").len(), 1, "{url}");
    }
}

#[test]
fn an_extra_stylesheet_is_copied_and_linked_after_the_themes() {
    let project = with_overrides();
    project.replace(
        "site.toml",
        "external_links_new_window = false\n",
        "external_links_new_window = false\nstylesheets = [\"css/comune.css\"]\n",
    );
    let (_, site) = project.build_site("public", &[]);
    let copied = std::fs::read(site.dir.join("assets/css/comune.css")).expect("copied");
    let original =
        std::fs::read(repo_root().join("tests/fixtures/theme-overrides/static/css/comune.css"))
            .unwrap();
    assert_eq!(copied, original);
    // The theme's own stylesheets are still there.
    assert!(site.dir.join("assets/css/carta.css").is_file());
    let home = site.page("/");
    let links: Vec<String> = select_all(home, "head link[rel=stylesheet]")
        .into_iter()
        .map(|link| link.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links.last().map(String::as_str),
        Some("/assets/css/comune.css"),
        "{links:?}"
    );
    assert!(links.contains(&"/assets/css/ente.css".to_string()));
}

#[test]
fn a_static_file_of_the_project_replaces_the_themes() {
    let project = with_overrides();
    std::fs::write(project.path("static/css/carta.css"), "/* del comune */\n").unwrap();
    let (_, site) = project.build_site("public", &[]);
    assert_eq!(
        std::fs::read_to_string(site.dir.join("assets/css/carta.css")).unwrap(),
        "/* del comune */\n"
    );
}

#[test]
fn a_missing_stylesheet_is_e147_in_site_toml() {
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "external_links_new_window = false\n",
        "external_links_new_window = false\nstylesheets = [\"css/manca.css\", \"../fuori.css\"]\n",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 2, "{}", run.stderr);
    let (line, col) = common::locate(&text, "stylesheets = [", "stylesheets");
    diagnostics[0].assert_at("E147", "site.toml", line, col);
    assert_eq!(
        diagnostics[0].message,
        "foglio di stile non trovato: css/manca.css"
    );
    diagnostics[1].assert_at("E147", "site.toml", line, col);
    assert_eq!(
        diagnostics[1].message,
        "foglio di stile non valido: ../fuori.css"
    );
}

#[test]
fn a_mistake_in_an_overriding_template_points_into_the_project() {
    let project = with_overrides();
    let path = "templates/partials/footer.html";
    let text = project.read(path);
    project.write(path, &text.replacen("</footer>", "{% if %}</footer>", 1));
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E176");
    assert_eq!(diagnostics[0].file.as_deref(), Some(path), "{}", run.stderr);
}
