//! Numbering by carta (`numbering = true` in site.toml): chapters are numbered in their order,
//! `##` and `###` headings from their structure, anchors come from the headings' words, and a
//! number typed in a heading is kept as an alias of its anchor. Inserting a chapter is one new
//! file: chapters, sections, menu, home index and print edition follow with no other edit.

mod common;

use common::{PRINT_EDITION, Project, Site, select_all, single, text_of};

const CHAPTERS: [&str; 4] = [
    "content/chapters/01-il-valore-del-servizio.md",
    "content/chapters/02-descrizione-del-servizio.md",
    "content/chapters/03-standard-di-qualita.md",
    "content/chapters/04-rapporto-con-il-cittadino.md",
];

/// The Firenze charter with carta's numbering: `number` and `order` gone from the chapters, the
/// numbers typed in the headings left where they are; chapter 1 links the complaints' section by
/// the anchor it had («## 4.1 Reclami» → `#4-1-reclami`).
fn numbered_charter() -> Project {
    let project = Project::default_copy();
    project.replace(
        "site.toml",
        "external_links_new_window = false",
        "external_links_new_window = false\nnumbering = true",
    );
    for chapter in CHAPTERS {
        let text = project.read(chapter);
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| !line.starts_with("number: ") && !line.starts_with("order: "))
            .collect();
        project.write(chapter, &(kept.join("\n") + "\n"));
    }
    let first = project.read(CHAPTERS[0]);
    project.write(
        CHAPTERS[0],
        &format!(
            "{first}\nPer un reclamo vedi [i reclami](04-rapporto-con-il-cittadino.md#4-1-reclami).\n"
        ),
    );
    project
}

/// The chapters' numbers and addresses as the home page's index lists them.
fn home_index(site: &Site) -> Vec<(String, String)> {
    select_all(site.page("/"), ".carta-card-title a")
        .into_iter()
        .filter_map(|link| {
            let number = link
                .select(&common::sel(".carta-number"))
                .next()
                .map(text_of)?;
            Some((number, link.value().attr("href").unwrap().to_string()))
        })
        .collect()
}

/// The chapters' addresses in the menu's order.
fn menu(site: &Site) -> Vec<String> {
    select_all(site.page("/"), "nav.carta-menu a")
        .into_iter()
        .filter_map(|link| link.value().attr("href").map(str::to_string))
        .filter(|href| {
            [
                "/il-valore",
                "/descrizione",
                "/standard",
                "/un-capitolo",
                "/rapporto",
            ]
            .iter()
            .any(|start| href.starts_with(start))
        })
        .collect()
}

/// The texts of the print edition's chapter and section headings.
fn print_headings(site: &Site) -> Vec<String> {
    select_all(site.page(PRINT_EDITION), "main h2, main h3")
        .into_iter()
        .map(text_of)
        .filter(|text| text.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

#[test]
fn inserting_a_chapter_is_one_new_file_and_everything_is_renumbered_with_old_anchors_kept() {
    let project = numbered_charter();
    let (_, before) = project.build_site("before", &["--strict"]);
    let page = before.page("/rapporto-con-il-cittadino/");
    assert_eq!(text_of(single(page, "h1 .carta-number")), "Capitolo 4");
    assert_eq!(text_of(single(page, "h2#reclami")), "4.1 Reclami");
    assert_eq!(
        home_index(&before)
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["Capitolo 1", "Capitolo 2", "Capitolo 3", "Capitolo 4"]
    );
    // A heading the charter did not number gets carta's number too.
    let standards = before.page("/standard-di-qualita/");
    assert_eq!(
        text_of(single(standards, "h2#impegni-di-servizio")),
        "3.1 Impegni di servizio"
    );

    // One new file, named to sort between the third and the fourth; nothing else changes.
    project.write(
        "content/chapters/03b-un-capitolo-nuovo.md",
        "---\ntitle: Un capitolo nuovo\n---\n\n## Prima sezione\n\nTesto.\n\n### Un dettaglio\n\nAltro testo.\n",
    );
    let (run, after) = project.build_site("after", &["--strict"]);
    assert!(!run.stderr.contains("E154"), "{}", run.stderr);

    assert_eq!(
        home_index(&after),
        [
            ("Capitolo 1", "/il-valore-del-servizio/"),
            ("Capitolo 2", "/descrizione-del-servizio/"),
            ("Capitolo 3", "/standard-di-qualita/"),
            ("Capitolo 4", "/un-capitolo-nuovo/"),
            ("Capitolo 5", "/rapporto-con-il-cittadino/"),
        ]
        .map(|(n, url)| (n.to_string(), url.to_string()))
    );
    assert_eq!(
        menu(&after),
        [
            "/il-valore-del-servizio/",
            "/descrizione-del-servizio/",
            "/standard-di-qualita/",
            "/un-capitolo-nuovo/",
            "/rapporto-con-il-cittadino/",
        ]
    );
    let new = after.page("/un-capitolo-nuovo/");
    assert_eq!(text_of(single(new, "h1 .carta-number")), "Capitolo 4");
    assert_eq!(
        text_of(single(new, "h2#prima-sezione")),
        "4.1 Prima sezione"
    );
    assert_eq!(
        text_of(single(new, "h3#un-dettaglio")),
        "4.1.1 Un dettaglio"
    );

    let moved = after.page("/rapporto-con-il-cittadino/");
    assert_eq!(text_of(single(moved, "h1 .carta-number")), "Capitolo 5");
    let reclami = single(moved, "h2#reclami");
    assert_eq!(text_of(reclami), "5.1 Reclami", "renumbered, same anchor");
    // The anchor the heading had when «4.1» was typed still leads to it.
    let old = single(moved, "[id='4-1-reclami']");
    assert_eq!(
        old.parent().and_then(scraper::ElementRef::wrap),
        Some(reclami)
    );
    assert_eq!(text_of(old), "");
    assert!(select_all(moved, "[id='5-1-reclami']").is_empty());
    // The page's list of headings follows.
    let toc: Vec<String> = select_all(moved, ".carta-toc a")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        toc.first().map(String::as_str),
        Some("5.1 Reclami"),
        "{toc:?}"
    );

    // The print edition, whose headings the PDF's outline follows.
    let print = print_headings(&after);
    let expected_start = ["1 Il valore del servizio", "1.1 Principi e finalità"];
    assert_eq!(&print[..2], expected_start, "{print:#?}");
    let at = |text: &str| {
        print
            .iter()
            .position(|heading| heading == text)
            .unwrap_or_else(|| panic!("no «{text}» in {print:#?}"))
    };
    assert!(at("3 Standard di qualità") < at("4 Un capitolo nuovo"));
    assert!(at("4 Un capitolo nuovo") < at("4.1 Prima sezione"));
    assert!(at("4.1 Prima sezione") < at("5 Rapporto con il cittadino"));
    assert!(at("5 Rapporto con il cittadino") < at("5.1 Reclami"));
}

#[test]
fn chapters_either_all_have_order_or_none_does() {
    // The Firenze charter orders its chapters with `order`; a new one without it is refused.
    let project = Project::default_copy();
    let new = "content/chapters/03b-un-capitolo-nuovo.md";
    project.write(
        new,
        "---\ntitle: Un capitolo nuovo\n---\n\n## Prima sezione\n\nTesto.\n",
    );
    let run = project.check(&[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    diagnostics[0].assert_at("E251", new, 2, 8);
    assert_eq!(
        diagnostics[0].message,
        "il capitolo non ha `order`, ma altri sì (per esempio 01-il-valore-del-servizio.md)"
    );
}
