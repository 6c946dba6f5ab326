//! Every charter's shape: charters that are not Firenze's. An ente without an office address or
//! some optional footer links, a settore with one responsible and staff referents and no units,
//! people without a direct phone, contacts that are only a PEC or a labelled address, opening
//! hours as data, and a charter that must promise something.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project, locate, select_all, select_in, text_of};
use scraper::Html;

const COMMITMENTS: &str = "content/data/commitments.yaml";

#[test]
fn a_charter_without_commitments_is_an_error() {
    let project = Project::default_copy();
    project.write(COMMITMENTS, "# Nessun impegno.\ncommitments: []\n");
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let text = project.read(COMMITMENTS);
    let (line, col) = locate(&text, "commitments: []", "commitments");
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E136")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    found[0].assert_at("E136", COMMITMENTS, line, col);
    assert_eq!(
        found[0].message,
        "la carta non ha impegni: l'elenco `commitments` è vuoto"
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("scrivi almeno un impegno")),
        "{:?}",
        found[0]
    );
    // build refuses it too, and writes nothing.
    let output = project.output("public");
    project.build(&output, &[]).assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists());
}

/// Every link of a page leads somewhere and says where: an `href` that is not empty and not a
/// bare scheme (`mailto:`, `tel:`), and a text (or an accessible name).
fn assert_links_lead_somewhere(url: &str, html: &Html) {
    for link in select_all(html, "a") {
        let href = link.attr("href").unwrap_or("");
        assert!(
            !href.trim().is_empty() && !matches!(href, "mailto:" | "tel:" | "tel:+39" | "#"),
            "{url}: a link without a target: {}",
            link.html()
        );
        let name = text_of(link);
        let label = link.attr("aria-label").unwrap_or("");
        assert!(
            !name.is_empty() || !label.trim().is_empty(),
            "{url}: a link without a label: {}",
            link.html()
        );
    }
    for item in select_all(html, "li, dd, td, address") {
        assert!(
            !text_of(item).is_empty(),
            "{url}: an empty {}: {}",
            item.value().name(),
            item.html()
        );
    }
}

#[test]
fn an_ente_without_an_faq_page_has_no_faq_link() {
    for without_faq in ["", "faq = \"\"\n"] {
        let project = Project::default_copy();
        project.replace(
            "site.toml",
            "faq = \"https://www.comune.fi.it/pagina/faq\"\n",
            without_faq,
        );
        let (run, site) = project.build_site("public", &["--strict"]);
        assert!(run.diagnostics().is_empty(), "{}", run.stderr);
        for (url, html) in site.web_pages() {
            assert!(
                select_all(html, "footer a[data-element=\"faq\"]").is_empty(),
                "{url}: no FAQ link"
            );
            let small_prints = select_all(html, "footer .it-footer-small-prints-list > li");
            let found: Vec<(String, String)> = small_prints
                .iter()
                .map(|item| {
                    let link = select_in(*item, "a")[0];
                    (
                        link.attr("data-element").unwrap_or("").to_string(),
                        link.attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
            assert_eq!(
                found,
                [
                    ("accessibility-link", "https://form.agid.gov.it/"),
                    (
                        "privacy-policy-link",
                        "https://www.comune.fi.it/pagina/privacy"
                    ),
                    ("legal-notes", "https://www.comune.fi.it/pagina/note-legali"),
                    (
                        "report-inefficiency",
                        "mailto:direzione.sistemiinformativi@comune.fi.it"
                    ),
                ]
                .map(|(element, href)| (element.to_string(), href.to_string())),
                "{url}: the four required links, in order, and nothing else"
            );
            assert!(
                !html.html().contains("FAQ"),
                "{url}: the FAQ label is not shown without its link"
            );
            assert_links_lead_somewhere(url, html);
        }
    }
}

#[test]
fn a_missing_required_footer_link_is_a_located_error() {
    // Left out: pointed at the [footer] section, with a hint that says what to write.
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "privacy = \"https://www.comune.fi.it/pagina/privacy\"\n",
        "",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(&text, "\n[footer]\n", "[footer]");
    diagnostics[0].assert_at("E186", "site.toml", line, col);
    assert_eq!(
        diagnostics[0].message,
        "manca nel piè di pagina il link all'informativa privacy (`privacy`), obbligatorio per le linee guida AGID"
    );
    let hint = diagnostics[0].hint.clone().unwrap_or_default();
    assert!(hint.contains("privacy = \"https://…\""), "{hint}");
    assert!(
        !hint.contains("comune.fi.it"),
        "no other ente's address: {hint}"
    );

    // Written but blank: pointed at the key.
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "accessibility = \"https://form.agid.gov.it/\"",
        "accessibility = \"\"",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(&text, "accessibility = \"\"", "accessibility");
    diagnostics[0].assert_at("E186", "site.toml", line, col);
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("https://form.agid.gov.it/")),
        "{:?}",
        diagnostics[0]
    );
    assert!(!project.output("public").exists());

    // No [footer] at all: the four required links, one error each; not the optional FAQ.
    let project = Project::default_copy();
    let text = project.read("site.toml");
    let start = text.find("[footer]").unwrap();
    let end = text.find("[open_data]").unwrap();
    project.write("site.toml", &format!("{}{}", &text[..start], &text[end..]));
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let keys: Vec<String> = run
        .diagnostics()
        .iter()
        .map(|d| {
            assert_eq!((d.code.as_str(), d.line, d.col), ("E186", Some(1), Some(1)));
            d.message.split('`').nth(1).unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(
        keys,
        [
            "accessibility",
            "privacy",
            "legal_notes",
            "report_inefficiency"
        ],
        "{}",
        run.stderr
    );
}
