//! The legal notes page carta writes on request (`[site] legal_notes_page = true`): AGID's model
//! text for CC-BY 4.0 under the data-element names AGID's validator reads (C.SI.3.4), linked from
//! every footer; refused beside the ente's own page or with another licence.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project, select_all, single, text_of};

/// AGID's model text, as the validator holds it (src/audits/license/legalNotes.ts).
const AGID_TEXT: &str = "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo 7 marzo 2005, n. 82 (CAD) e salvo dove diversamente specificato (compresi i contenuti incorporati di terzi), i dati, i documenti e le informazioni pubblicati sul sito sono rilasciati con licenza CC-BY 4.0. Gli utenti sono quindi liberi di condividere (riprodurre, distribuire, comunicare al pubblico, esporre in pubblico), rappresentare, eseguire e recitare questo materiale con qualsiasi mezzo e formato e modificare (trasformare il materiale e utilizzarlo per opere derivate) per qualsiasi fine, anche commerciale con il solo onere di attribuzione, senza apporre restrizioni aggiuntive.";

const ENTE_PAGE: &str = "legal_notes = \"https://www.comune.fi.it/pagina/note-legali\"\n";

fn with_generated_page(project: &Project) {
    project.replace("site.toml", "[site]\n", "[site]\nlegal_notes_page = true\n");
}

/// `carta check` fails with exactly one `E195`, returned.
fn the_one_e195(project: &Project) -> common::Diag {
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let mut found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E195")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    found.remove(0)
}

#[test]
fn the_generated_page_holds_agids_text_and_every_footer_links_it() {
    let project = Project::default_copy();
    with_generated_page(&project);
    project.replace("site.toml", ENTE_PAGE, "");
    let (_run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    let page = site.page("/note-legali/");
    let section = single(page, "[data-element='legal-notes-section']");
    assert_eq!(
        text_of(section).trim().to_lowercase(),
        "licenza dei contenuti"
    );
    let body: Vec<String> = select_all(page, "[data-element='legal-notes-body']")
        .into_iter()
        .map(text_of)
        .collect();
    // Compared as the validator compares: joined, lower case, spaces collapsed.
    let joined = body
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(joined.to_lowercase(), AGID_TEXT.to_lowercase());
    assert_eq!(text_of(single(page, "h1")), "Note legali");
    for (url, html) in site.web_pages() {
        let links = select_all(html, "footer [data-element='legal-notes']");
        assert_eq!(links.len(), 1, "{url}");
        assert_eq!(links[0].attr("href"), Some("/note-legali/"), "{url}");
    }
    let sitemap = std::fs::read_to_string(site.dir.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/note-legali/</loc>"));
}

#[test]
fn without_the_option_the_footer_links_the_entes_page_and_no_page_is_written() {
    let project = Project::default_copy();
    let (_run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    assert!(!site.dir.join("note-legali").exists());
    let home = site.page("/");
    let link = single(home, "footer [data-element='legal-notes']");
    assert_eq!(
        link.attr("href"),
        Some("https://www.comune.fi.it/pagina/note-legali")
    );
}

#[test]
fn the_generated_page_beside_the_entes_own_is_refused_at_the_key() {
    let project = Project::default_copy();
    with_generated_page(&project);
    let found = the_one_e195(&project);
    let text = project.read("site.toml");
    let (line, col) = common::locate(&text, ENTE_PAGE.trim_end(), "legal_notes");
    found.assert_at("E195", "site.toml", line, col);
}

#[test]
fn the_generated_page_with_another_licence_is_refused() {
    let project = Project::default_copy();
    with_generated_page(&project);
    project.replace("site.toml", ENTE_PAGE, "");
    let text = project.replace(
        "site.toml",
        "licence = \"CC-BY-4.0\"",
        "licence = \"CC0-1.0\"",
    );
    let found = the_one_e195(&project);
    let (line, col) = common::locate(&text, "legal_notes_page = true", "legal_notes_page");
    found.assert_at("E195", "site.toml", line, col);
    assert!(found.message.contains("CC0-1.0"), "{found:?}");
}

/// A chapter at the legal notes page's address is refused (`E137`), by `check` and by `build`,
/// rather than replaced by the page (or replacing it) with the menu still naming the chapter.
#[test]
fn a_chapter_at_the_legal_notes_address_is_refused() {
    let project = Project::default_copy();
    with_generated_page(&project);
    project.replace("site.toml", ENTE_PAGE, "");
    let chapter = "content/chapters/04-rapporto-con-il-cittadino.md";
    let text = project.replace(chapter, "order: 4\n", "order: 4\nslug: note-legali\n");
    let (line, col) = common::locate(&text, "title: Rapporto con il cittadino", "Rapporto");
    let check = project.check(&[]);
    check.assert_code(EXIT_CONTENT_ERRORS);
    let output = project.output("public");
    let build = project.build(&output, &[]);
    build.assert_code(EXIT_CONTENT_ERRORS);
    for run in [&check, &build] {
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
        diagnostics[0].assert_at("E137", chapter, line, col);
        assert_eq!(
            diagnostics[0].message,
            "il capitolo ha lo stesso indirizzo /note-legali/ della pagina «Note legali»"
        );
    }
    assert!(!output.exists(), "nothing written");
}

/// Two of carta's own pages at one address (a theme whose legal notes page takes the print
/// edition's slug) are refused as one `E240` naming both, located at the key that asks for the
/// second page; nothing is written, where the last page written used to replace the first.
#[test]
fn two_outputs_on_one_path_are_refused_naming_both() {
    let project = Project::default_copy();
    with_generated_page(&project);
    let site = project.replace("site.toml", ENTE_PAGE, "");
    // The built-in theme's strings are carta's: a theme of the project's own changes them.
    project.own_theme("comune");
    project.replace(
        "themes/comune/strings.toml",
        "slug = \"note-legali\"",
        "slug = \"stampa\"",
    );
    let (line, col) = common::locate(&site, "legal_notes_page = true", "legal_notes_page");
    let output = project.output("public");
    let build = project.build(&output, &[]);
    let check = project.check(&[]);
    for run in [&build, &check] {
        run.assert_code(EXIT_CONTENT_ERRORS);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
        diagnostics[0].assert_at("E240", "site.toml", line, col);
        assert_eq!(
            diagnostics[0].message,
            "due file per lo stesso percorso del sito `stampa/index.html`: l'edizione a stampa e la pagina delle note legali (`legal_notes_page` in site.toml); il secondo sostituirebbe il primo"
        );
    }
    assert!(!output.exists(), "nothing written");
}
