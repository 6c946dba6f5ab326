//! Draft charters: a charter without an approval act says «Bozza» on every page and in the print
//! edition, claims no publication or retention date in the manifest and the pack, and is published
//! with `--strict` only when asked (`--allow-draft`). An approval act that is empty, or that says
//! the charter is not approved, is an error.

mod common;

use common::{
    EXIT_CONTENT_ERRORS, EXIT_OK, PRINT_EDITION, Project, Site, repo_root, select_all, select_in,
    single, text_of,
};
use serde_json::Value;

const CHARTER: &str = "content/charter.yaml";
const APPROVAL: &str =
    "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\npublished: 2025-06-03\n";

/// The default charter with its approval act and publication date taken out: a draft.
fn draft() -> Project {
    let project = Project::default_copy();
    project.replace(CHARTER, APPROVAL, "");
    project
}

fn json(site: &Site, relative: &str) -> Value {
    serde_json::from_slice(&std::fs::read(site.dir.join(relative)).unwrap())
        .unwrap_or_else(|error| panic!("{relative} is JSON: {error}"))
}

fn title(page: &scraper::Html) -> String {
    text_of(single(page, "title"))
}

/// The labels and values of a page's facts list (`dl.carta-facts`).
fn facts(page: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    select_all(page, &format!("{selector} > div"))
        .into_iter()
        .map(|fact| {
            (
                text_of(select_in(fact, "dt")[0]),
                text_of(select_in(fact, "dd")[0]),
            )
        })
        .collect()
}

#[test]
fn a_draft_says_bozza_on_every_page_and_in_the_print_edition() {
    let project = draft();
    let (run, site) = project.build_site("public", &[]);
    assert!(
        run.stderr.contains("avviso[W149]"),
        "a draft is built with a warning: {}",
        run.stderr
    );
    let mut checked = 0;
    for (url, page) in site.web_pages() {
        let banner = single(page, "header .carta-draft-banner");
        let badge = select_in(banner, ".carta-draft-badge");
        assert_eq!(badge.len(), 1, "{url}: one badge");
        assert_eq!(text_of(badge[0]), "Bozza", "{url}: the badge is a word");
        assert!(
            text_of(banner).contains("non è ancora approvata e non è in vigore"),
            "{url}: {}",
            text_of(banner)
        );
        assert!(
            select_all(
                page,
                ".visually-hidden .carta-draft-banner, [aria-hidden=true] .carta-draft-banner"
            )
            .is_empty(),
            "{url}: the banner is read by screen readers"
        );
        assert!(
            title(page).starts_with("Bozza – "),
            "{url}: the title says so too: {}",
            title(page)
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        site.pages.len() - 1,
        "every page but the print edition"
    );
    assert!(checked > 10, "the site has its pages: {checked}");

    // The home page shows the state instead of an act, and no publication date.
    let home = facts(site.page("/"), "main dl.carta-facts");
    assert!(
        home.contains(&("Stato".into(), "Bozza, non ancora approvata".into())),
        "{home:?}"
    );
    for (label, _) in &home {
        assert!(
            label != "Approvazione" && label != "Data di pubblicazione",
            "{home:?}"
        );
    }

    // The print edition: title and description (the PDF's title and subject), keywords, the
    // cover and the running header of every printed page.
    let print = site.page(PRINT_EDITION);
    assert!(title(print).starts_with("Bozza – "), "{}", title(print));
    let meta = |name: &str| {
        single(print, &format!("meta[name={name}]"))
            .attr("content")
            .unwrap()
            .to_string()
    };
    assert!(
        meta("description").starts_with("Bozza: "),
        "{}",
        meta("description")
    );
    assert!(meta("description").contains("Bozza, non ancora approvata"));
    assert!(
        meta("keywords").starts_with("Bozza, "),
        "{}",
        meta("keywords")
    );
    assert!(select_all(print, "meta[name='dcterms.created']").is_empty());
    let cover = single(print, ".carta-print-cover .carta-print-draft");
    assert!(text_of(cover).starts_with("Bozza "), "{}", text_of(cover));
    let cover_facts = facts(print, ".carta-print-facts");
    assert!(cover_facts.contains(&("Stato".into(), "Bozza, non ancora approvata".into())));
    let style = text_of(single(print, "head style"));
    assert!(
        style.contains("@top-center { content: \"Bozza\""),
        "running header: {style}"
    );
}

#[test]
fn an_approved_charter_shows_no_draft_marks() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &[]);
    assert!(!run.stderr.contains("W149"), "{}", run.stderr);
    for (url, page) in &site.pages {
        assert!(
            select_all(page, ".carta-draft-banner, .carta-print-draft").is_empty(),
            "{url}"
        );
        assert!(!title(page).starts_with("Bozza"), "{url}");
    }
    let home = facts(site.page("/"), "main dl.carta-facts");
    assert!(home.contains(&(
        "Approvazione".into(),
        "DD 2025/4073 del 3 giugno 2025".into()
    )));
    assert!(
        !text_of(single(site.page(PRINT_EDITION), "head style"))
            .contains("top-center { content: \"Bozza\"")
    );
}

#[test]
fn the_manifest_and_the_pack_of_a_draft_claim_no_dates_it_lacks() {
    let project = draft();
    let (_run, site) = project.build_site("public", &[]);
    let manifest = json(&site, "trasparenza/manifest.json");
    assert_eq!(manifest["stato"], "bozza");
    assert_eq!(manifest["in_vigore"], false);
    for field in [
        "atto_approvazione",
        "data_pubblicazione",
        "in_pubblicazione_fino_al",
        "pubblicazione",
    ] {
        assert_eq!(manifest[field], Value::Null, "{field}");
    }
    let editions = manifest["edizioni"].as_array().unwrap();
    assert_eq!(editions.len(), 1);
    assert_eq!(editions[0]["stato"], "bozza");
    assert_eq!(editions[0]["in_vigore"], false);
    for field in [
        "atto_approvazione",
        "data_pubblicazione",
        "in_pubblicazione_fino_al",
        "sostituita_dal",
    ] {
        assert_eq!(editions[0][field], Value::Null, "edizioni[0].{field}");
    }
    // No retention date anywhere: the five years count from a publication there has not been.
    let text = std::fs::read_to_string(site.dir.join("trasparenza/manifest.json")).unwrap();
    assert!(!text.contains("2030-12-31"), "{text}");

    // The DCAT catalogue has no issue date.
    let dcat = std::fs::read_to_string(site.dir.join("trasparenza/dcat.jsonld")).unwrap();
    assert!(!dcat.contains("dct:issued"), "{dcat}");

    // The pack page and the fragment: the state instead of the act, no retention date.
    let pack = site.page("/trasparenza/");
    let pack_facts = facts(pack, "dl.carta-pack-facts");
    assert!(pack_facts.contains(&("Stato".into(), "Bozza, non ancora approvata".into())));
    assert!(
        pack_facts.contains(&(
            "Data di pubblicazione".into(),
            "non pubblicata: la carta non è ancora approvata".into()
        )),
        "{pack_facts:?}"
    );
    assert!(
        pack_facts.iter().all(
            |(label, _)| label != "In pubblicazione fino al" && label != "Atto di approvazione"
        ),
        "{pack_facts:?}"
    );
    assert!(select_all(pack, ".carta-retention, .carta-retention-rule").is_empty());
    let fragment = std::fs::read_to_string(site.dir.join("trasparenza/frammento.txt")).unwrap();
    let fragment = scraper::Html::parse_fragment(&fragment);
    let items: Vec<String> = select_all(&fragment, "li")
        .into_iter()
        .map(text_of)
        .collect();
    assert!(
        items.contains(&"Stato: Bozza, non ancora approvata".to_string()),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .all(|item| !item.starts_with("In pubblicazione fino al")
                && !item.starts_with("Data di pubblicazione")
                && !item.starts_with("Atto di approvazione")),
        "{items:?}"
    );

    // The same files of the approved charter do have them.
    let approved = Project::default_copy();
    let (_run, site) = approved.build_site("public", &[]);
    let manifest = json(&site, "trasparenza/manifest.json");
    assert_eq!(manifest["stato"], "in_vigore");
    assert_eq!(manifest["in_vigore"], true);
    assert_eq!(manifest["atto_approvazione"]["estremi"], "DD 2025/4073");
    assert_eq!(manifest["data_pubblicazione"], "2025-06-03");
    assert_eq!(manifest["in_pubblicazione_fino_al"], "2030-12-31");
    assert_eq!(manifest["pubblicazione"]["finche_in_vigore"], true);
}

#[test]
fn strict_refuses_a_draft_unless_it_is_allowed() {
    let project = draft();
    let output = project.output("public");
    let refused = project.build(&output, &["--strict"]);
    refused.assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists(), "nothing is written");
    let diagnostics = refused.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", refused.stderr);
    let text = project.read(CHARTER);
    let (line, col) = common::locate(&text, "edition: \"2025\"", "\"2025\"");
    diagnostics[0].assert_at("W149", CHARTER, line, col);
    assert_eq!(
        diagnostics[0].message,
        "l'edizione «2025» è una bozza: manca l'atto di approvazione (`approval`)"
    );
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("--allow-draft"),
        "the hint says how to publish it on purpose: {:?}",
        diagnostics[0].hint
    );

    let allowed = project.build(&output, &["--strict", "--allow-draft"]);
    allowed.assert_success();
    assert!(!allowed.stderr.contains("W149"), "{}", allowed.stderr);
    assert!(
        Site::load(&output)
            .page("/")
            .select(&common::sel(".carta-draft-banner"))
            .next()
            .is_some()
    );

    project
        .check(&["--strict"])
        .assert_code(EXIT_CONTENT_ERRORS);
    let checked = project.check(&["--strict", "--allow-draft"]);
    checked.assert_code(EXIT_OK);
    assert!(!checked.stderr.contains("W149"), "{}", checked.stderr);
}

#[test]
fn an_empty_or_draft_approval_act_is_an_error() {
    for act in ["\"\"", "\"Bozza, non ancora approvata\""] {
        let project = Project::default_copy();
        let text = project.replace(CHARTER, "act: \"DD 2025/4073\"", &format!("act: {act}"));
        let run = project.build(&project.output("public"), &[]);
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{act}: {}", run.stderr);
        let (line, col) = common::locate(&text, &format!("act: {act}"), act);
        diagnostics[0].assert_at("E148", CHARTER, line, col);
        let hint = diagnostics[0].hint.as_deref().unwrap();
        assert!(hint.contains("togli tutto il gruppo `approval`"), "{hint}");
        assert!(!hint.contains("4073"), "no other act's number: {hint}");
    }

    // `approval:` with nothing after it is not a draft by accident.
    let project = Project::default_copy();
    let text = project.replace(
        CHARTER,
        "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\n",
        "approval:\n",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics[0].code, "E104", "{}", run.stderr);
    assert!(diagnostics[0].message.contains("`approval` è vuoto"));
    assert!(
        diagnostics[0]
            .line
            .is_some_and(|line| line >= common::locate(&text, "approval:", "approval").0)
    );

    // A draft has no publication date.
    let project = Project::default_copy();
    let text = project.replace(
        CHARTER,
        "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\n",
        "",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code.starts_with('E'))
        .collect();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&text, "published: 2025-06-03", "2025-06-03");
    diagnostics[0].assert_at("E139", CHARTER, line, col);
}

#[test]
fn a_draft_after_an_approved_edition_leaves_that_edition_in_force() {
    let project = draft();
    common::copy_tree(
        &repo_root().join("tests/fixtures/editions/2024"),
        &project.path("content/editions/2024"),
    );
    // The draft is the next edition.
    project.replace(CHARTER, "edition: \"2025\"", "edition: \"2026\"");
    let (_run, site) = project.build_site("public", &["--allow-draft"]);
    let manifest = json(&site, "trasparenza/manifest.json");
    let editions = manifest["edizioni"].as_array().unwrap();
    let summary: Vec<(&str, &str, bool)> = editions
        .iter()
        .map(|edition| {
            (
                edition["edizione"].as_str().unwrap(),
                edition["stato"].as_str().unwrap(),
                edition["in_vigore"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("2026", "bozza", false), ("2024", "in_vigore", true)]
    );
    assert_eq!(
        editions[1]["sostituita_dal"],
        Value::Null,
        "a draft replaces nothing"
    );
    assert_eq!(editions[1]["in_pubblicazione_fino_al"], "2029-12-31");

    let archive = site.page("/edizioni/");
    let statuses: Vec<String> = select_all(archive, ".carta-editions-table tbody tr")
        .into_iter()
        .map(|row| text_of(*select_in(row, "td").last().unwrap()))
        .collect();
    assert!(statuses[0].starts_with("Bozza"), "{statuses:?}");
    assert!(statuses[1].starts_with("In vigore"), "{statuses:?}");
    let page = site.page("/edizioni/2024/");
    assert_eq!(
        text_of(single(page, ".carta-edition-status")),
        "È l'edizione in vigore: l'edizione successiva è ancora una bozza."
    );
}
