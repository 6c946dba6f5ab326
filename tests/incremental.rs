//! Incremental rebuilds (what `carta serve` does on every save) produce exactly the files of a full
//! build, and render again only what a change affects.
//!
//! Each step edits the project, generates the site with the cache kept from the previous steps and
//! from an empty cache, and compares the two file by file.

mod common;

use carta::build::{BuildOptions, Cache, Site, generate};
use carta::output::Contents;
use carta::render::RenderStats;
use carta::theme::StylesheetMode;
use common::Project;

/// Generates with `cache` and from scratch, asserts both give the same files, returns what the
/// cached run rendered.
fn same_as_full_build(project: &Project, cache: &mut Cache, step: &str) -> RenderStats {
    let options = BuildOptions {
        root: project.root().to_path_buf(),
        output: None,
        stylesheet: StylesheetMode::Auto,
        strict: false,
        base_url: None,
        allow_draft: false,
        pdf: None,
        force: false,
    };
    let warm = generate(&options, cache);
    let cold = generate(&options, &mut Cache::default());
    let warm_site = site(warm.result, step, "incremental");
    let cold_site = site(cold.result, step, "full");
    let paths = |site: &Site| {
        site.files
            .iter()
            .map(|f| f.path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&warm_site),
        paths(&cold_site),
        "{step}: file lists differ"
    );
    for (warm_file, cold_file) in warm_site.files.iter().zip(&cold_site.files) {
        assert!(
            warm_file.contents == cold_file.contents,
            "{step}: {} differs between the incremental and the full build",
            warm_file.path.display()
        );
    }
    assert!(
        !warm_site
            .files
            .iter()
            .any(|file| matches!(&file.contents, Contents::Bytes(b) if b.is_empty())),
        "{step}: an empty file"
    );
    warm_site.rendered
}

fn site(result: Result<Site, carta::build::Outcome>, step: &str, which: &str) -> Site {
    match result {
        Ok(site) => site,
        Err(outcome) => panic!("{step}: the {which} build failed: {outcome:?}"),
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds_and_render_only_what_changed() {
    let project = Project::default_copy();
    let mut cache = Cache::kept();
    let pages = 9;

    let first = same_as_full_build(&project, &mut cache, "first build");
    assert_eq!(first.pages, pages, "the first build renders every page");

    let nothing = same_as_full_build(&project, &mut cache, "no change");
    assert_eq!(
        nothing,
        RenderStats::default(),
        "nothing changed, nothing rendered"
    );

    // A chapter's text: that chapter's body and page only.
    project.replace(
        "content/chapters/01-il-valore-del-servizio.md",
        "\n## ",
        "\n## Premessa aggiunta\n\nTesto nuovo.\n\n## ",
    );
    let body = same_as_full_build(&project, &mut cache, "chapter body");
    assert_eq!(
        (body.bodies, body.pages, body.blocks),
        (1, 1, 0),
        "{body:?}"
    );

    // A chapter's title is in every page's menu: every page.
    project.replace(
        "content/chapters/04-rapporto-con-il-cittadino.md",
        "title: ",
        "title: Nuovo titolo - ",
    );
    let title = same_as_full_build(&project, &mut cache, "chapter title");
    assert_eq!(title.pages, pages, "{title:?}");

    // A data file: its block, the chapter that places it, its own page, and the two pages whose
    // schema.org description lists the ente's contact points (home and /impegni/).
    project.replace(
        "content/data/contacts.yaml",
        "eq.backoffice@comune.fi.it",
        "backoffice.nuovo@comune.fi.it",
    );
    let data = same_as_full_build(&project, &mut cache, "contacts data");
    assert_eq!(
        (data.bodies, data.pages),
        (1, 4),
        "chapter 2 (which places {{{{ contatti }}}}), /contatti/, / and /impegni/: {data:?}"
    );

    // Commitments: the chapter that places the table, /impegni/, and the home page, whose
    // schema.org description lists the commitments as services.
    let commitments = project.read("content/data/commitments.yaml");
    project.write(
        "content/data/commitments.yaml",
        &commitments.replacen("service: \"", "service: \"Servizio rinominato - ", 1),
    );
    let commitments = same_as_full_build(&project, &mut cache, "commitments data");
    assert_eq!(
        (commitments.bodies, commitments.pages),
        (1, 3),
        "{commitments:?}"
    );

    // The charter's identity is on every page (footer, home).
    let charter = project.read("content/charter.yaml");
    project.write(
        "content/charter.yaml",
        &charter.replacen("edition: \"", "edition: \"Nuova ", 1),
    );
    let edition = same_as_full_build(&project, &mut cache, "charter edition");
    assert_eq!(edition.pages, pages, "{edition:?}");

    // A broken file fails the build; fixing it gives the full build again.
    let good = project.read("content/data/organization.yaml");
    project.write("content/data/organization.yaml", "people: [\n");
    let broken = generate(
        &BuildOptions {
            root: project.root().to_path_buf(),
            output: None,
            stylesheet: StylesheetMode::Auto,
            strict: false,
            base_url: None,
            allow_draft: false,
            pdf: None,
            force: false,
        },
        &mut cache,
    );
    assert!(broken.result.is_err(), "a broken YAML file fails the build");
    project.write("content/data/organization.yaml", &good);
    same_as_full_build(&project, &mut cache, "after a fix");

    // A new chapter and a removed chapter.
    project.write(
        "content/chapters/05-nuovo.md",
        "---\ntitle: Capitolo nuovo\norder: 5\n---\n\n## Sezione\n\nTesto.\n",
    );
    same_as_full_build(&project, &mut cache, "new chapter");
    std::fs::remove_file(project.path("content/chapters/05-nuovo.md")).unwrap();
    same_as_full_build(&project, &mut cache, "removed chapter");

    // site.toml: the colour goes to ente.css and every page's context.
    project.replace("site.toml", "#0066CC", "#004D99");
    let colour = same_as_full_build(&project, &mut cache, "site colour");
    assert_eq!(colour.pages, pages, "{colour:?}");

    // A template change (the project's override): the cache is told, as `carta serve` does when
    // templates/ changes.
    project.eject("templates/404.html");
    project.replace(
        "templates/404.html",
        "<p>{{ strings.not_found.hint }}</p>",
        "<p class=\"carta-hint\">{{ strings.not_found.hint }}</p>",
    );
    cache.forget_theme();
    let theme = same_as_full_build(&project, &mut cache, "theme template");
    assert_eq!(theme.pages, pages, "{theme:?}");
}

/// With Bootstrap Italia, the stylesheet subset of an incremental rebuild is the full build's: kept
/// while an edit brings nothing new to match, made again when a chapter brings an element that
/// Bootstrap Italia styles and no page had (a thematic break, `hr`).
#[test]
fn incremental_rebuilds_keep_the_bootstrap_subset_right() {
    let project = Project::default_copy();
    let subset = |site: &Site| {
        site.files
            .iter()
            .find(|file| file.path.ends_with("bootstrap-italia.subset.min.css"))
            .map(|file| match &file.contents {
                Contents::Bytes(bytes) => String::from_utf8(bytes.clone()).unwrap(),
                _ => panic!("the subset is written from memory"),
            })
            .expect("a subset file")
    };
    let options = BuildOptions {
        root: project.root().to_path_buf(),
        output: None,
        stylesheet: StylesheetMode::Bootstrap,
        strict: false,
        base_url: None,
        allow_draft: false,
        pdf: None,
        force: false,
    };
    let mut cache = Cache::kept();
    let mut build = |step: &str| {
        let warm = site(generate(&options, &mut cache).result, step, "incremental");
        let cold = site(
            generate(&options, &mut Cache::default()).result,
            step,
            "full",
        );
        assert_eq!(subset(&warm), subset(&cold), "{step}: subsets differ");
        subset(&warm)
    };
    let first = build("first build");
    let chapter = "content/chapters/01-il-valore-del-servizio.md";
    let text = project.read(chapter);
    project.write(chapter, &format!("{text}\nUna frase in più.\n"));
    assert_eq!(build("text edit"), first, "no new vocabulary, same subset");
    project.write(chapter, &format!("{text}\n***\n\nDopo la linea.\n"));
    let with_rule = build("a new element");
    assert!(!first.contains("}hr{"), "no page had a thematic break");
    assert!(with_rule.contains("}hr{"), "the rules of hr come in");
}

/// A generated block is rendered for a place in a chapter only when a chapter places it there:
/// taken out of its chapter, the organigram is rendered once (for its page, which the print
/// edition's appendix reuses), and for the chapter again once the chapter places it again.
#[test]
fn a_block_is_rendered_for_a_chapter_only_when_one_places_it() {
    let project = Project::default_copy();
    let chapter = "content/chapters/02-descrizione-del-servizio.md";
    let placed = same_as_full_build(&project, &mut Cache::kept(), "every block placed");
    // Five blocks with data, each placed by a chapter: each rendered for its page and for it.
    assert_eq!(placed.blocks, 10, "{placed:?}");

    project.replace(chapter, "{{ organigramma }}\n", "");
    let mut cache = Cache::kept();
    let unplaced = same_as_full_build(&project, &mut cache, "organigram not placed");
    assert_eq!(unplaced.blocks, 9, "{unplaced:?}");

    project.replace(
        chapter,
        "{{ portatori-di-interesse }}",
        "{{ organigramma }}\n\n{{ portatori-di-interesse }}",
    );
    let again = same_as_full_build(&project, &mut cache, "organigram placed again");
    assert_eq!(
        (again.blocks, again.bodies),
        (1, 1),
        "the organigram for the chapter, and the chapter: {again:?}"
    );
}
