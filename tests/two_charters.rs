//! Two charters rendered in one run with one loaded theme, each through its own context: what the
//! portal of a comune's charters needs. Nothing of one charter may reach the other's pages, and a
//! page rendered beside another charter's is the page rendered alone.

mod common;

use common::repo_root;
use scraper::{Html, Selector};

use carta::render::{self, Context, pages};
use carta::theme::{self, StylesheetMode};

fn load(root: &std::path::Path) -> carta::model::Project {
    carta::load::load(root)
        .unwrap_or_else(|_| panic!("{} loads", root.display()))
        .0
}

/// The home page, a chapter page and the commitments page of a context, as rendered.
fn some_pages(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut jobs = vec![pages::home(cx, None)];
    jobs.extend(pages::chapters(cx).into_iter().take(1));
    jobs.extend(pages::generated(cx).into_iter().take(1));
    pages::render(cx, jobs, &mut render::Cache::default())
        .unwrap_or_else(|_| panic!("the pages render"))
        .into_iter()
        .map(|page| (page.path, page.html))
        .collect()
}

fn text(html: &str, selector: &str) -> String {
    let document = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .next()
        .map(|element| element.text().collect::<String>())
        .unwrap_or_default()
}

#[test]
fn one_theme_renders_two_charters_side_by_side_as_each_alone() {
    let root = repo_root();
    let mut firenze = load(&root);
    let quarto = load(&root.join("examples/quarto"));
    let theme = theme::load(
        &root,
        "agid",
        StylesheetMode::Fallback,
        &mut firenze.sources,
    )
    .unwrap_or_else(|_| panic!("the theme loads"));

    // Each alone, then both contexts alive at once, rendered in turn.
    let alone_firenze = {
        let (cx, _) = Context::new(&firenze, &theme, &mut render::Cache::default())
            .unwrap_or_else(|_| panic!("Firenze's context"));
        some_pages(&cx)
    };
    let alone_quarto = {
        let (cx, _) = Context::new(&quarto, &theme, &mut render::Cache::default())
            .unwrap_or_else(|_| panic!("Quarto's context"));
        some_pages(&cx)
    };
    let (cx_firenze, _) = Context::new(&firenze, &theme, &mut render::Cache::default())
        .unwrap_or_else(|_| panic!("Firenze's context"));
    let (cx_quarto, _) = Context::new(&quarto, &theme, &mut render::Cache::default())
        .unwrap_or_else(|_| panic!("Quarto's context"));
    let side_quarto = some_pages(&cx_quarto);
    let side_firenze = some_pages(&cx_firenze);

    assert_eq!(side_firenze, alone_firenze);
    assert_eq!(side_quarto, alone_quarto);
    assert_eq!(side_firenze.len(), 3);
    assert_eq!(side_quarto.len(), 3);

    // Each page names its own ente and never the other's.
    for (path, html) in &side_firenze {
        let title = text(html, "title");
        assert!(!html.contains("Quarto"), "{path}: {title}");
    }
    for (path, html) in &side_quarto {
        assert!(
            text(html, "title").contains("Bozza"),
            "{path}: Quarto's charter is a draft"
        );
        assert!(!html.contains("Comune di Firenze</"), "{path}");
    }
    let home_firenze = &side_firenze[0].1;
    let home_quarto = &side_quarto[0].1;
    assert!(text(home_firenze, "header").contains("Comune di Firenze"));
    assert!(text(home_quarto, "header").contains("Comune di Quarto"));
}
