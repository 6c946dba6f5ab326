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
    let mut quarto = load(&root.join("examples/quarto"));
    let theme = theme::load(
        &root,
        "agid",
        StylesheetMode::Fallback,
        &mut firenze.sources,
    )
    .unwrap_or_else(|_| panic!("the theme loads"));
    theme.register(&mut quarto.sources);

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

/// The one error of rendering `project`'s home page with `theme` (whose footer is broken), as the
/// one-line report shows it against the charter's own source map.
fn footer_error(project: &carta::model::Project, theme: &theme::Theme) -> String {
    let (cx, _) = Context::new(project, theme, &mut render::Cache::default())
        .unwrap_or_else(|_| panic!("the context is made before any page"));
    let jobs = vec![pages::home(&cx, None)];
    let diagnostics = match pages::render(&cx, jobs, &mut render::Cache::default()) {
        Ok(_) => panic!("the broken footer renders"),
        Err(diagnostics) => diagnostics.into_vec(),
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    carta::diagnostics::one_line(&diagnostics[0], &project.sources)
}

#[test]
fn a_template_error_points_into_the_template_for_either_charter() {
    // Firenze's copy overrides the footer with a value no charter has, on a known line.
    let project = common::Project::default_copy();
    let footer = std::fs::read_to_string(
        common::repo_root().join("themes/agid/templates/partials/footer.html"),
    )
    .unwrap();
    let line = footer
        .lines()
        .position(|l| l.contains("charter.edition"))
        .unwrap()
        + 1;
    let broken = footer.replacen(
        "{{ charter.edition }}",
        "{{ charter.edition }}{{ nessun_valore.campo }}",
        1,
    );
    std::fs::create_dir_all(project.path("templates/partials")).unwrap();
    project.write("templates/partials/footer.html", &broken);
    // Tera places the error at the name it does not know; columns count characters.
    let broken_line = broken.lines().nth(line - 1).unwrap();
    let col = broken_line[..broken_line.find("nessun_valore").unwrap()]
        .chars()
        .count()
        + 1;

    let mut firenze = load(project.root());
    let mut quarto = load(&common::repo_root().join("examples/quarto"));
    assert_ne!(
        firenze.sources.len(),
        quarto.sources.len(),
        "the two maps number their files differently"
    );
    let theme = theme::load(
        project.root(),
        "agid",
        StylesheetMode::Fallback,
        &mut firenze.sources,
    )
    .unwrap_or_else(|_| panic!("the theme loads"));

    // A map that has not adopted the theme's files still names the template and the place.
    let unadopted = footer_error(&quarto, &theme);
    assert!(
        unadopted.starts_with("templates/partials/footer.html: errore[E176]:")
            && unadopted.contains(&format!("(riga {line}, colonna ")),
        "{unadopted}"
    );

    theme.register(&mut quarto.sources);
    theme.register(&mut quarto.sources);
    let expected = format!("templates/partials/footer.html:{line}:");
    for (name, project) in [("Firenze", &firenze), ("Quarto", &quarto)] {
        let report = footer_error(project, &theme);
        assert!(
            report.starts_with(&expected) && report.contains("errore[E176]"),
            "{name}: {report}"
        );
        let at: Vec<&str> = report.splitn(4, ':').collect();
        assert_eq!(at[2].parse::<usize>().ok(), Some(col), "{name}: {report}");
    }
}
