//! The ente's logo and the site's favicon (`[ente] logo`, `logo_alt`, `[site] favicon`): shown in
//! every page's header and `<head>`, checked with located errors (E191 path, E192 type, E193
//! alternative text), never leaving the project; and the meta descriptions of the home and 404
//! pages, taken from the charter.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project};

const STEMMA: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 48\">\
                      <path d=\"M2 2h36v22c0 12-9 19-18 22C11 43 2 36 2 24z\" fill=\"#c00\"/></svg>\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// The default project with `lines` added to `[ente]` (after `ipa_code`) and to `[site]` (after
/// `external_links_new_window`); returns the new site.toml.
fn with_keys(project: &Project, ente: &str, site: &str) -> String {
    project.replace(
        "site.toml",
        "ipa_code = \"c_d612\"\n",
        &format!("ipa_code = \"c_d612\"\n{ente}"),
    );
    project.replace(
        "site.toml",
        "external_links_new_window = false\n",
        &format!("external_links_new_window = false\n{site}"),
    )
}

fn static_file(project: &Project, path: &str, bytes: &[u8]) {
    let full = project.path(&format!("static/{path}"));
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

#[test]
fn the_logo_is_in_every_header_and_the_favicon_in_every_head() {
    let project = Project::default_copy();
    static_file(&project, "img/stemma.svg", STEMMA.as_bytes());
    static_file(&project, "img/icona.png", PNG);
    with_keys(
        &project,
        "logo = \"img/stemma.svg\"\nlogo_alt = \"Stemma del Comune di Firenze\"\n",
        "favicon = \"img/icona.png\"\n",
    );
    let (run, site) = project.build_site("public", &[]);
    run.assert_success();
    for (url, html) in &site.pages {
        let icons: Vec<_> = html.select(&common::sel("head link[rel=icon]")).collect();
        assert_eq!(icons.len(), 1, "{url}: one icon link");
        let href = icons[0].value().attr("href").unwrap();
        assert_eq!(icons[0].value().attr("type"), Some("image/png"), "{url}");
        if url == common::PRINT_EDITION {
            assert_eq!(
                href, "../assets/img/icona.png",
                "relative in the print edition"
            );
            continue;
        }
        assert_eq!(href, "/assets/img/icona.png", "{url}");
        let logo = html
            .select(&common::sel("header .it-brand-wrapper a img.carta-logo"))
            .next()
            .unwrap_or_else(|| panic!("{url}: the logo in the brand link"));
        assert_eq!(logo.value().attr("src"), Some("/assets/img/stemma.svg"));
        assert_eq!(
            logo.value().attr("alt"),
            Some("Stemma del Comune di Firenze")
        );
    }
    assert_eq!(
        std::fs::read(site.dir.join("assets/img/stemma.svg")).unwrap(),
        STEMMA.as_bytes()
    );
    assert_eq!(
        std::fs::read(site.dir.join("assets/img/icona.png")).unwrap(),
        PNG
    );
}

#[test]
fn without_keys_the_theme_favicon_is_used_and_no_logo_is_shown() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &[]);
    run.assert_success();
    let icon = std::fs::read_to_string(site.dir.join("assets/img/favicon.svg")).unwrap();
    assert!(icon.starts_with("<svg"), "the theme's own icon");
    for (url, html) in site.web_pages() {
        let href = html
            .select(&common::sel("head link[rel=icon][type=\"image/svg+xml\"]"))
            .next()
            .and_then(|link| link.value().attr("href"))
            .unwrap_or_else(|| panic!("{url}: an icon link"));
        assert_eq!(href, "/assets/img/favicon.svg");
        assert!(
            html.select(&common::sel("img.carta-logo")).next().is_none(),
            "{url}: no logo"
        );
    }
}

#[test]
fn home_and_404_describe_the_charter() {
    let project = Project::default_copy();
    let (_, site) = project.build_site("public", &[]);
    let description = |url: &str| {
        site.page(url)
            .select(&common::sel("head meta[name=description]"))
            .next()
            .and_then(|meta| meta.value().attr("content"))
            .unwrap_or_else(|| panic!("{url} has a meta description"))
            .to_string()
    };
    let home = description("/");
    assert!(
        home.starts_with("La Carta dei Servizi è il documento nel quale ogni ente pubblico"),
        "the summary of charter.yaml: {home}"
    );
    assert!(
        !home.contains('\n') && !home.contains("  "),
        "one line: {home}"
    );
    assert_eq!(
        description("/404.html"),
        "Carta di qualità dei servizi — Direzione Sistemi Informativi, Comune di Firenze"
    );
}

#[test]
fn paths_outside_static_missing_files_and_links_are_e191() {
    let project = Project::default_copy();
    let outside = project.parent().join("fuori.svg");
    std::fs::write(&outside, STEMMA).unwrap();
    std::fs::create_dir_all(project.path("static/img")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, project.path("static/img/link.svg")).unwrap();
    let cases = [
        ("../site.toml", "percorso del logo non valido: ../site.toml"),
        ("/etc/passwd", "percorso del logo non valido: /etc/passwd"),
        ("img/manca.svg", "logo non trovato: static/img/manca.svg"),
        #[cfg(unix)]
        (
            "img/link.svg",
            "il logo passa per un collegamento simbolico: static/img/link.svg",
        ),
    ];
    for (path, message) in cases {
        let project_text = project.read("site.toml");
        let text = with_keys(
            &project,
            &format!("logo = \"{path}\"\nlogo_alt = \"Stemma\"\n"),
            "",
        );
        let run = project.build(&project.output("public"), &[]);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{path}: {}", run.stderr);
        let at = format!("logo = \"{path}\"");
        let (line, col) = common::locate(&text, &at, &format!("\"{path}\""));
        diagnostics[0].assert_at("E191", "site.toml", line, col);
        assert_eq!(diagnostics[0].message, message);
        assert!(!project.output("public").exists(), "nothing written");
        project.write("site.toml", &project_text);
    }
}

#[test]
fn wrong_types_and_scripts_are_e192_and_a_logo_needs_its_text_e193() {
    let project = Project::default_copy();
    static_file(&project, "img/stemma.gif", b"GIF89a");
    static_file(&project, "img/finto.png", b"<svg></svg>");
    static_file(
        &project,
        "img/attivo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>",
    );
    static_file(&project, "img/stemma.svg", STEMMA.as_bytes());
    let cases = [
        (
            "logo = \"img/stemma.gif\"\nlogo_alt = \"Stemma\"\n",
            "",
            "E192",
            "logo = \"img/stemma.gif\"",
            "tipo di file non ammesso per il logo: img/stemma.gif",
        ),
        (
            "",
            "favicon = \"img/finto.png\"\n",
            "E192",
            "favicon = \"img/finto.png\"",
            "il favicon static/img/finto.png non è un'immagine PNG",
        ),
        (
            "logo = \"img/attivo.svg\"\nlogo_alt = \"Stemma\"\n",
            "",
            "E192",
            "logo = \"img/attivo.svg\"",
            "il logo static/img/attivo.svg non è un SVG ammesso: attributo `onload` non ammesso su <svg>",
        ),
        (
            "logo = \"img/stemma.svg\"\n",
            "",
            "E193",
            "logo = \"img/stemma.svg\"",
            "manca il testo alternativo del logo (`logo_alt`)",
        ),
        (
            "logo = \"img/stemma.svg\"\nlogo_alt = \"  \"\n",
            "",
            "E193",
            "logo_alt = \"  \"",
            "manca il testo alternativo del logo (`logo_alt`)",
        ),
    ];
    for (ente, site, code, at, message) in cases {
        let original = project.read("site.toml");
        let text = with_keys(&project, ente, site);
        let run = project.build(&project.output("public"), &[]);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{at}: {}", run.stderr);
        let value = &at[at.find("= ").unwrap() + 2..];
        let (line, col) = common::locate(&text, at, value);
        diagnostics[0].assert_at(code, "site.toml", line, col);
        assert_eq!(diagnostics[0].message, message);
        assert!(diagnostics[0].hint.is_some(), "{at}: a hint");
        project.write("site.toml", &original);
    }
}

#[test]
fn carta_check_reports_the_same_errors() {
    let project = Project::default_copy();
    with_keys(
        &project,
        "logo = \"img/manca.png\"\nlogo_alt = \"Stemma\"\n",
        "",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert_eq!(run.diagnostics()[0].code, "E191", "{}", run.stderr);
}
