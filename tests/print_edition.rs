//! The print edition (`/stampa/`): the whole charter as one HTML document, read with a real parser.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{
    PRINT_EDITION, Project, Site, ancestor, norm, select_all, select_in, single, text_of,
};
use scraper::{ElementRef, Html, Node};

/// The chapters of the Firenze charter: number and title, id in the print edition, site page.
const CHAPTERS: [(&str, &str, &str); 4] = [
    (
        "1 Il valore del servizio",
        "il-valore-del-servizio",
        "/il-valore-del-servizio/",
    ),
    (
        "2 Descrizione del servizio",
        "descrizione-del-servizio",
        "/descrizione-del-servizio/",
    ),
    (
        "3 Standard di qualità",
        "standard-di-qualita",
        "/standard-di-qualita/",
    ),
    (
        "4 Rapporto con il cittadino",
        "rapporto-con-il-cittadino",
        "/rapporto-con-il-cittadino/",
    ),
];

const CHAPTER_3: &str = "content/chapters/03-standard-di-qualita.md";
const CHAPTER_4: &str = "content/chapters/04-rapporto-con-il-cittadino.md";

fn default_site() -> (Project, Site) {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &[]);
    (project, site)
}

fn edition(site: &Site) -> &Html {
    site.page(PRINT_EDITION)
}

fn ids(html: &Html) -> Vec<String> {
    select_all(html, "[id]")
        .into_iter()
        .map(|element| element.attr("id").unwrap().to_string())
        .collect()
}

/// The element with this id; panics when there is none.
fn by_id<'a>(html: &'a Html, id: &str) -> ElementRef<'a> {
    select_all(html, "[id]")
        .into_iter()
        .find(|element| element.attr("id") == Some(id))
        .unwrap_or_else(|| panic!("no element with id {id:?}"))
}

/// Whitespace-normalised text, leaving out the addresses printed after external links.
fn text_without_printed_urls(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    for node in element.descendants() {
        if let Node::Text(chunk) = node.value() {
            let printed = node.ancestors().filter_map(ElementRef::wrap).any(|parent| {
                parent.value().name() == "span"
                    && parent.value().classes().any(|c| c == "carta-print-url")
            });
            if !printed {
                text.push_str(chunk);
            }
        }
    }
    norm(&text)
}

fn chapter_section<'a>(html: &'a Html, id: &str) -> ElementRef<'a> {
    let section = by_id(html, id);
    assert_eq!(section.value().name(), "section", "#{id} is a section");
    section
}

#[test]
fn the_print_edition_is_one_accessible_document_with_a_cover() {
    let (_project, site) = default_site();
    let html = edition(&site);
    let root = html.root_element();
    assert_eq!(root.attr("lang"), Some("it-IT"));
    assert_eq!(
        text_of(single(html, "title")),
        "Carta di qualità dei servizi – Direzione Sistemi Informativi – Comune di Firenze"
    );

    // One h1, the charter's title, inside the one main; the first link skips to it.
    let h1 = single(html, "main h1");
    assert_eq!(select_all(html, "h1").len(), 1);
    assert_eq!(text_of(h1), "Carta di qualità dei servizi");
    let main = single(html, "main");
    assert_eq!(main.attr("id"), Some("main"));
    let first_link = select_all(html, "body a")[0];
    assert_eq!(first_link.attr("href"), Some("#main"));
    assert_eq!(text_of(first_link), "Vai al contenuto principale");

    // The cover: ente, office, title, edition, approval act and date.
    let cover = single(html, "main > header.carta-print-cover");
    let facts: BTreeMap<String, String> = select_in(cover, "dt")
        .into_iter()
        .map(|dt| {
            let dd = select_in(ancestor(dt, "div").unwrap(), "dd")[0];
            (text_of(dt), text_of(dd))
        })
        .collect();
    let cover_text = text_of(cover);
    assert!(cover_text.starts_with("Comune di Firenze Direzione Sistemi Informativi (DSI)"));
    assert_eq!(facts["Edizione"], "2025");
    assert_eq!(facts["Approvazione"], "DD 2025/4073 del 3 giugno 2025");
    assert_eq!(facts["Ultimo aggiornamento"], "3 giugno 2025");
    assert_eq!(facts["Prossima revisione"], "3 giugno 2026");

    // What the PDF's metadata is made of: author, subject, dates from the content.
    let meta = |name: &str| {
        select_all(html, "meta[name]")
            .into_iter()
            .find(|m| m.attr("name") == Some(name))
            .and_then(|m| m.attr("content"))
            .unwrap_or_else(|| panic!("no meta {name}"))
            .to_string()
    };
    assert_eq!(meta("author"), "Comune di Firenze");
    assert_eq!(meta("dcterms.created"), "2025-06-03");
    assert_eq!(meta("dcterms.modified"), "2025-06-03");
    assert!(meta("description").contains("approvata con DD 2025/4073 del 3 giugno 2025"));

    // Running header and footer: the ente, the title and "Pagina X di Y", from the strings.
    let style = text_of(single(html, "head style"));
    for declaration in [
        r#"@top-left { content: "Comune di Firenze"; }"#,
        r#"@top-right { content: "Carta di qualità dei servizi"; }"#,
        r#"content: "Pagina" " " counter(page) " " "di" " " counter(pages);"#,
    ] {
        assert!(style.contains(declaration), "{declaration} in {style}");
    }

    // The stylesheets are linked relatively, so the PDF engine can read the page from disk.
    let sheets: Vec<&str> = select_all(html, "link[rel=stylesheet]")
        .into_iter()
        .map(|link| link.attr("href").unwrap())
        .collect();
    // With Bootstrap Italia (the default) the print edition sets its text in the self-hosted fonts.
    assert_eq!(
        sheets,
        [
            "../assets/css/fonts.css",
            "../assets/css/ente.css",
            "../assets/css/carta-print.css"
        ]
    );
    assert!(site.dir.join("assets/css/fonts.css").is_file());
    let css = std::fs::read_to_string(site.dir.join("assets/css/carta-print.css")).unwrap();
    for rule in [
        "size: A4",
        "target-counter(attr(href url), page)",
        "display: table-header-group",
        "break-before: page",
        "hyphens: auto",
    ] {
        assert!(css.contains(rule), "carta-print.css has {rule}");
    }
}

#[test]
fn the_table_of_contents_links_every_chapter_and_section() {
    let (_project, site) = default_site();
    let html = edition(&site);
    let toc = single(html, "nav.carta-print-toc");
    let heading = by_id(html, toc.attr("aria-labelledby").unwrap());
    assert_eq!(text_of(heading), "Indice");

    let parts = select_in(toc, "li.carta-print-toc-part");
    assert_eq!(parts.len(), CHAPTERS.len(), "one entry per chapter");
    for (part, (title, id, url)) in parts.into_iter().zip(CHAPTERS) {
        let link = select_in(part, "a")[0];
        assert_eq!(text_of(link), title);
        assert_eq!(link.attr("href"), Some(format!("#{id}").as_str()));
        let section = chapter_section(html, id);
        assert_eq!(text_of(select_in(section, "h2")[0]), title);

        // Sections: the chapter's own second-level headings, now third-level, in this section.
        let site_sections: Vec<String> = select_all(site.page(url), ".carta-content h2")
            .into_iter()
            .map(text_of)
            .collect();
        let entries = select_in(part, "ol.carta-print-toc-sections a");
        let texts: Vec<String> = entries.iter().map(|a| text_of(*a)).collect();
        assert_eq!(texts, site_sections, "{title}");
        for entry in entries {
            let target = by_id(html, &entry.attr("href").unwrap()[1..]);
            assert_eq!(target.value().name(), "h3");
            assert_eq!(ancestor(target, "section").unwrap().attr("id"), Some(id));
        }
    }
}

#[test]
fn chapters_keep_their_text_and_their_headings_move_one_level_down() {
    let (_project, site) = default_site();
    let html = edition(&site);
    for (title, id, url) in CHAPTERS {
        let page = site.page(url);
        let body = single(page, ".carta-content");
        let section = chapter_section(html, id);
        let print_body = select_in(section, ".carta-print-body")[0];
        assert_eq!(
            text_without_printed_urls(print_body),
            text_of(body),
            "{title}: the same text as the chapter page"
        );
        let levels = |root: ElementRef<'_>| -> Vec<(u8, String)> {
            select_in(root, "h2, h3, h4, h5, h6")
                .into_iter()
                .map(|h| (h.value().name()[1..].parse().unwrap(), text_of(h)))
                .collect()
        };
        let shifted: Vec<(u8, String)> = levels(body)
            .into_iter()
            .map(|(level, text)| (level + 1, text))
            .collect();
        assert_eq!(levels(print_body), shifted, "{title}");
    }
}

#[test]
fn ids_are_unique_and_every_link_stays_in_the_document() {
    let (_project, site) = default_site();
    let html = edition(&site);
    let all = ids(html);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "duplicate ids: {all:?}");

    let mut internal = 0;
    for link in select_all(html, "a[href]") {
        let href = link.attr("href").unwrap();
        if let Some(id) = href.strip_prefix('#') {
            assert!(unique.contains(&id.to_string()), "{href} has no target");
            internal += 1;
        } else {
            assert!(
                ["https://", "http://", "mailto:", "tel:"]
                    .iter()
                    .any(|scheme| href.starts_with(scheme)),
                "{href} leaves the document for a page of the site"
            );
        }
    }
    assert!(internal > 40, "only {internal} in-document links");

    // Every attribute that points at ids points at ids of this document.
    for element in select_all(html, "[aria-labelledby], [aria-describedby]") {
        for attribute in ["aria-labelledby", "aria-describedby"] {
            for id in element.attr(attribute).unwrap_or("").split_whitespace() {
                assert!(unique.contains(&id.to_string()), "{attribute}={id}");
            }
        }
    }
}

#[test]
fn every_commitment_contact_and_unit_is_in_the_print_edition() {
    let (_project, site) = default_site();
    let html = edition(&site);

    let rows = |page: &Html| -> Vec<(String, String)> {
        select_all(page, "tr[id^=impegno-]")
            .into_iter()
            .map(|row| (row.attr("id").unwrap().to_string(), text_of(row)))
            .collect()
    };
    let expected = rows(site.page("/impegni/"));
    assert_eq!(expected.len(), 14);
    assert_eq!(rows(html), expected, "every commitment row, once, in order");
    for table in select_all(html, "table") {
        assert!(
            !select_in(table, "caption").is_empty(),
            "tables have a caption"
        );
        for th in select_in(table, "th") {
            assert!(th.attr("scope").is_some(), "th has a scope: {}", th.html());
        }
    }

    // Commitments link their units to the organigram, which is in chapter 2.
    let organigram = single(html, ".carta-org-tree");
    for link in select_all(html, "tr[id^=impegno-] a") {
        let target = by_id(html, &link.attr("href").unwrap()[1..]);
        assert!(
            target.ancestors().any(|node| node.id() == organigram.id()),
            "{} points into the organigram",
            link.attr("href").unwrap()
        );
    }
    for card in select_all(site.page("/organizzazione/"), ".carta-org-card") {
        by_id(html, card.attr("id").unwrap());
    }

    let emails = |page: &Html| -> BTreeSet<String> {
        select_all(page, "a[href^='mailto:']")
            .into_iter()
            .map(|a| a.attr("href").unwrap().to_string())
            .collect()
    };
    let contacts = emails(site.page("/contatti/"));
    assert!(contacts.len() > 15);
    let printed = emails(html);
    let missing: Vec<&String> = contacts.difference(&printed).collect();
    assert!(missing.is_empty(), "contacts missing: {missing:?}");
}

#[test]
fn addresses_of_other_sites_are_printed_after_their_links() {
    let (_project, site) = default_site();
    let html = edition(&site);
    let institutional = select_all(html, "a[href='https://www.comune.firenze.it/']")
        .into_iter()
        .find(|a| text_of(*a) == "Sito istituzionale")
        .expect("the access channel link");
    let printed = institutional
        .next_siblings()
        .find_map(ElementRef::wrap)
        .expect("an element after the link");
    assert_eq!(printed.value().attr("class"), Some("carta-print-url"));
    assert_eq!(text_of(printed), "(https://www.comune.firenze.it/)");

    // A link whose text is its address is not printed twice.
    let cvss = "https://en.wikipedia.org/wiki/Common_Vulnerability_Scoring_System";
    let autolink = single(html, &format!("a[href='{cvss}']"));
    assert_eq!(text_of(autolink), cvss);
    let after = autolink.next_siblings().find_map(ElementRef::wrap);
    assert!(after.is_none_or(|element| element.value().attr("class") != Some("carta-print-url")));
}

#[test]
fn same_headings_in_two_chapters_get_unique_ids_and_links_follow_them() {
    let project = Project::default_copy();
    project.replace(
        CHAPTER_4,
        "## 4.1 Reclami\n",
        "## 4.1 Reclami\n\n\
         Si vedano [i principi del primo capitolo](01-il-valore-del-servizio.md#1-1-principi-e-finalita), \
         [i principi di questo capitolo](#1-1-principi-e-finalita), \
         [gli impegni di servizio](/impegni/) e [il responsabile della sicurezza](/organizzazione/#sicurezza-infrastruttura-architettura-it).\n\n\
         ## 1.1 Principi e finalità\n\nTesto.\n",
    );
    let (_run, site) = project.build_site("public", &[]);
    let html = edition(&site);
    let all = ids(html);
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        all.len(),
        "duplicate ids: {all:?}"
    );
    let chapter_4 = chapter_section(html, "rapporto-con-il-cittadino");
    let href = |text: &str| -> String {
        select_in(chapter_4, "a")
            .into_iter()
            .find(|a| text_of(*a) == text)
            .unwrap_or_else(|| panic!("link {text:?}"))
            .attr("href")
            .unwrap()
            .to_string()
    };
    let section_of = |href: &str| {
        ancestor(by_id(html, &href[1..]), "section")
            .unwrap()
            .attr("id")
            .unwrap()
            .to_string()
    };
    let first = href("i principi del primo capitolo");
    assert_eq!(first, "#1-1-principi-e-finalita");
    assert_eq!(section_of(&first), "il-valore-del-servizio");
    let own = href("i principi di questo capitolo");
    assert_eq!(own, "#1-1-principi-e-finalita-2");
    assert_eq!(section_of(&own), "rapporto-con-il-cittadino");
    // A generated page is where the chapter placed its block: under the heading before it.
    assert_eq!(href("gli impegni di servizio"), "#impegni-di-servizio");
    assert_eq!(
        href("il responsabile della sicurezza"),
        "#sicurezza-infrastruttura-architettura-it"
    );
    // The second "1.1" is listed under chapter 4 with its new id.
    let toc_links: Vec<&str> = select_all(html, "nav.carta-print-toc a")
        .into_iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert!(
        toc_links.contains(&"#1-1-principi-e-finalita-2"),
        "{toc_links:?}"
    );
}

#[test]
fn a_generated_table_no_chapter_places_becomes_an_appendix() {
    let project = Project::default_copy();
    project.replace(CHAPTER_3, "## Impegni di servizio\n\n{{ impegni }}\n", "");
    let (_run, site) = project.build_site("public", &[]);
    let html = edition(&site);
    let appendix = chapter_section(html, "impegni");
    assert!(
        appendix
            .value()
            .classes()
            .any(|c| c == "carta-print-appendix")
    );
    assert_eq!(
        text_of(select_in(appendix, "h2")[0]),
        "Impegni e standard di qualità"
    );
    assert_eq!(select_in(appendix, "tr[id^=impegno-]").len(), 14);
    let last_entry = select_all(html, "li.carta-print-toc-part a")
        .into_iter()
        .last()
        .unwrap();
    assert_eq!(last_entry.attr("href"), Some("#impegni"));
    // Contacts and organigram stay where chapter 2 places them: no appendix for them.
    assert_eq!(select_all(html, "section.carta-print-appendix").len(), 1);
}

#[test]
fn the_home_page_links_the_print_edition_and_no_pdf_unless_asked() {
    let (_project, site) = default_site();
    let home = site.page("/");
    let link = single(home, ".carta-downloads a[href='/stampa/']");
    assert_eq!(text_of(link), "Edizione per la stampa");
    assert!(select_all(home, "a[href$='.pdf']").is_empty());
    assert!(std::fs::read_dir(&site.dir).unwrap().all(|entry| {
        !entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".pdf")
    }));
}

#[test]
fn a_chapter_cannot_take_the_print_edition_address() {
    let project = Project::default_copy();
    project.replace(CHAPTER_4, "order: 4\n", "order: 4\nslug: stampa\n");
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E137");
    assert!(
        diagnostics[0].message.contains("/stampa/")
            && diagnostics[0].message.contains("Edizione per la stampa"),
        "{}",
        diagnostics[0].message
    );
}

/// A long charter's print edition is rewritten and written a few chapters at a time: the file on
/// disk has the very bytes of the page assembled whole in memory (what `carta serve` does), and
/// every chapter in its place.
#[test]
fn a_long_print_edition_written_in_pieces_is_the_page_assembled_whole() {
    let project = Project::default_copy();
    let extra = 75;
    for n in 1..=extra {
        project.write(
            &format!("content/chapters/9{n:02}-aggiunta.md"),
            &format!(
                "---\ntitle: Capitolo aggiuntivo {n}\norder: {}\n---\n\n## Sezione {n}\n\n\
                 Testo {n}, con [gli impegni](/impegni/) e [un sito](https://example.org/{n}).\n",
                100 + n
            ),
        );
    }
    let output = project.output("public");
    project.build(&output, &[]).assert_success();
    let written = std::fs::read(output.join("stampa/index.html")).unwrap();

    let options = carta::build::BuildOptions {
        root: project.root().to_path_buf(),
        output: None,
        stylesheet: carta::theme::StylesheetMode::Auto,
        strict: false,
        base_url: None,
        allow_draft: false,
        pdf: None,
        force: false,
    };
    let report = carta::build::generate(&options, &mut carta::build::Cache::default());
    let Ok(site) = report.result else {
        panic!("the charter generates in memory");
    };
    let in_memory = site
        .files
        .iter()
        .find(|file| file.path == std::path::Path::new("stampa/index.html"))
        .expect("the print edition is generated");
    let carta::output::Contents::Bytes(in_memory) = &in_memory.contents else {
        panic!("a site generated in memory holds its pages' bytes");
    };
    assert!(written == *in_memory, "the written print edition differs");

    let html = String::from_utf8(written).unwrap();
    let mut last = 0;
    for n in 1..=extra {
        let at = html
            .find(&format!(">Capitolo aggiuntivo {n}<"))
            .unwrap_or_else(|| panic!("chapter {n} is in the print edition"));
        assert!(at > last, "chapter {n} comes after chapter {}", n - 1);
        last = at;
    }
    assert!(html.contains("<span class=\"carta-print-url\"> (https://example.org/75)</span>"));
}

/// Every heading's level in document order, with its text.
fn heading_levels(html: &Html) -> Vec<(u8, String)> {
    select_all(html, "h1, h2, h3, h4, h5, h6")
        .into_iter()
        .map(|h| (h.value().name()[1..].parse().unwrap(), text_of(h)))
        .collect()
}

/// No heading is more than one level below the one before it.
fn assert_no_skipped_level(headings: &[(u8, String)], what: &str) {
    for pair in headings.windows(2) {
        assert!(
            pair[1].0 <= pair[0].0 + 1,
            "{what}: «{}» (h{}) follows «{}» (h{})",
            pair[1].1,
            pair[1].0,
            pair[0].1,
            pair[0].0
        );
    }
}

#[test]
fn blocks_placed_in_no_chapter_are_appendices_without_a_skipped_heading_level() {
    // A charter that places no block in a chapter (tests/fixtures/anagrafe).
    let project = Project::default_copy();
    std::fs::remove_dir_all(project.path("content")).unwrap();
    std::fs::remove_file(project.path("site.toml")).unwrap();
    project.overlay("anagrafe");
    let (_run, site) = project.build_site("public", &["--allow-draft"]);
    let html = edition(&site);
    let headings = heading_levels(html);
    assert_no_skipped_level(&headings, "anagrafe");
    // The three blocks are appendices, each an h2 with its own headings under it at h3.
    let appendices = select_all(html, "section.carta-print-appendix");
    let titles: Vec<String> = appendices
        .iter()
        .map(|section| text_of(select_in(*section, "h2")[0]))
        .collect();
    assert_eq!(
        titles,
        ["Impegni e standard di qualità", "Contatti", "Organigramma"]
    );
    let contacts = appendices[1];
    let inner: Vec<&str> = select_in(contacts, "h3, h4, h5, h6")
        .into_iter()
        .map(|h| h.value().name())
        .collect();
    assert!(
        !inner.is_empty() && inner.iter().all(|name| *name == "h3"),
        "{inner:?}"
    );
    // And the default charter, which places them in its chapters, has none either.
    let (_, site) = default_site();
    assert_no_skipped_level(&heading_levels(edition(&site)), "default");
}
