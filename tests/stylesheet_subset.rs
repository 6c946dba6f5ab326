//! The Bootstrap Italia stylesheet a site publishes (`--stylesheet bootstrap`, the default with
//! the built-in theme) holds only the rules its pages can use: every class of every built page still
//! finds its rule, the version AGID's validator reads is there in the form it reads, a project's own
//! template that adds a Bootstrap Italia class gets that class's rules, and the whole stylesheet is
//! still available (`--stylesheet bootstrap-full`).
//!
//! Bootstrap Italia is built into carta (vendored in `themes/agid/vendor/`): no test is skipped.

mod common;

use std::collections::BTreeSet;

use common::{Project, Site};
use scraper::Html;

const SUBSET: &str = "/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css";
const WHOLE: &str = "/assets/bootstrap-italia/css/bootstrap-italia.min.css";

/// Class names of Bootstrap Italia's documented markup that its stylesheet gives no rule (the
/// footer's link lists), written by the theme as the documentation writes them.
const UNSTYLED: &[&str] = &["footer-list"];

fn project() -> Project {
    Project::default_copy()
}

/// Every class Bootstrap Italia's whole stylesheet names.
fn bootstrap_classes() -> BTreeSet<String> {
    let installed = common::vendored_bootstrap();
    let css = std::fs::read_to_string(installed.join("css/bootstrap-italia.min.css")).unwrap();
    carta::css::class_names(&css).unwrap()
}

fn page_classes(html: &Html) -> BTreeSet<String> {
    html.tree
        .values()
        .filter_map(|node| node.as_element())
        .flat_map(|element| element.classes().map(str::to_string))
        .collect()
}

fn links(html: &Html) -> Vec<&str> {
    html.select(&common::sel("link[rel=stylesheet]"))
        .filter_map(|link| link.value().attr("href"))
        .collect()
}

fn subset_of(site: &Site) -> String {
    std::fs::read_to_string(site.file_for(SUBSET)).expect("the subset stylesheet is written")
}

#[test]
fn every_rule_that_matches_a_page_is_kept() {
    let project = project();
    let (run, site) = project.build_site("public", &["--stylesheet", "bootstrap"]);
    run.assert_success();
    let subset = subset_of(&site);
    let whole =
        std::fs::read_to_string(common::vendored_bootstrap().join("css/bootstrap-italia.min.css"))
            .unwrap();
    let kept_selectors = carta::css::selectors(&subset).unwrap();
    let kept_classes = carta::css::class_names(&subset).unwrap();
    let bootstrap = bootstrap_classes();

    // An oracle independent of carta's own matching: every selector of the whole stylesheet that
    // html5ever's DOM and the `selectors` crate (through scraper) match on a built page must be
    // in the subset. Selectors scraper cannot read or never matches (states such as `:hover`,
    // pseudo-elements) are left to the unit tests of src/css.rs.
    let styled: Vec<(&String, &Html)> = site
        .pages
        .iter()
        .filter(|(_, html)| links(html).contains(&SUBSET))
        .collect();
    // The print edition has a stylesheet of its own.
    assert_eq!(styled.len(), site.pages.len() - 1);
    let mut matched = BTreeSet::new();
    let mut classes_with_rules = BTreeSet::new();
    for text in carta::css::selectors(&whole).unwrap() {
        let Ok(selector) = scraper::Selector::parse(&text) else {
            continue;
        };
        for (url, html) in &styled {
            if let Some(element) = html.select(&selector).next() {
                assert!(
                    kept_selectors.contains(&text),
                    "{url}: `{text}` matches {:?} but is not in the subset",
                    element.value()
                );
                classes_with_rules.extend(carta::css::class_names(&format!("{text}{{}}")).unwrap());
                matched.insert(text.clone());
                break;
            }
        }
    }
    assert!(
        matched.len() > 80,
        "only {} selectors matched",
        matched.len()
    );

    // Every class of every page: Bootstrap Italia's (its rules that apply are in the subset, as
    // checked above) or the theme's own.
    let mut seen = BTreeSet::new();
    for (url, html) in &styled {
        let classes = page_classes(html);
        for class in &classes {
            if bootstrap.contains(class) {
                if classes_with_rules.contains(class) {
                    assert!(
                        kept_classes.contains(class),
                        "{url}: `{class}` lost its rules"
                    );
                }
            } else {
                assert!(
                    class == "carta"
                        || class.starts_with("carta-")
                        || UNSTYLED.contains(&class.as_str()),
                    "{url}: class `{class}` is neither Bootstrap Italia's nor the theme's own"
                );
            }
            seen.insert(class.clone());
        }
        // AGID's validator (criterion C.SI.1.2) wants at least 30% of a page's distinct classes
        // to be Bootstrap Italia's.
        let ours = classes.iter().filter(|c| bootstrap.contains(*c)).count();
        assert!(
            ours * 100 >= classes.len() * 30,
            "{url}: only {ours} of {} classes are Bootstrap Italia's",
            classes.len()
        );
    }
    assert!(seen.len() > 50, "only {} classes seen", seen.len());
    assert!(
        subset.len() * 10 < whole.len(),
        "the subset ({} bytes) is a small part of the whole ({} bytes)",
        subset.len(),
        whole.len()
    );
    assert!(
        !subset.contains("VideoJS") && !subset.contains(".modal"),
        "fonts and components no page uses are dropped"
    );
    assert!(
        !site.file_for(WHOLE).exists(),
        "the whole stylesheet is not published"
    );
}

#[test]
fn the_version_variable_is_there_double_quoted() {
    let project = project();
    let (run, site) = project.build_site("public", &["--stylesheet", "bootstrap"]);
    run.assert_success();
    let version = std::fs::read_to_string(common::vendored_bootstrap().join("VERSION")).unwrap();
    let version = version.trim();
    assert!(version.starts_with("2."), "Bootstrap Italia 2.x: {version}");
    let subset = subset_of(&site);
    // AGID's validator strips double quotes only; Bootstrap Italia writes single ones.
    let declaration = format!(":root{{--bootstrap-italia-version:\"{version}\"}}");
    assert!(
        subset.contains(&declaration),
        "{declaration} is in the subset: {}",
        &subset[..subset.len().min(1200)]
    );
    assert!(
        subset.starts_with("/*!\n * Bootstrap Italia"),
        "the licence comment is kept"
    );
}

#[test]
fn a_project_template_that_adds_a_bootstrap_class_gets_its_rules() {
    let project = project();
    let (run, site) = project.build_site("before", &["--stylesheet", "bootstrap"]);
    run.assert_success();
    let before = carta::css::class_names(&subset_of(&site)).unwrap();
    for class in ["callout", "callout-title", "alert-info"] {
        assert!(
            !before.contains(class),
            "the default site does not use `{class}`"
        );
    }

    // The project's own copy of a partial of the theme, with a Bootstrap Italia callout and alert.
    std::fs::create_dir_all(project.path("templates/partials")).unwrap();
    project.write(
        "templates/partials/last-updated.html",
        "<div class=\"callout\"><div class=\"callout-title\">Nota</div><p>Testo.</p></div>\n\
         <div class=\"alert alert-info\" role=\"note\">Avviso</div>\n\
         <p class=\"carta-last-updated\">{{ strings.ui.last_updated }} <time datetime=\"{{ page.last_updated.iso }}\">{{ page.last_updated.text }}</time></p>\n",
    );
    let (run, site) = project.build_site("after", &["--stylesheet", "bootstrap"]);
    run.assert_success();
    let subset = subset_of(&site);
    let after = carta::css::class_names(&subset).unwrap();
    for class in ["callout", "callout-title", "alert", "alert-info"] {
        assert!(after.contains(class), "`{class}` gets its rules");
    }
    assert!(
        subset.contains(".callout .callout-title{"),
        "the callout's own rules are kept"
    );
}

#[test]
fn the_whole_stylesheet_stays_available() {
    let project = project();
    let (run, site) = project.build_site("public", &["--stylesheet", "bootstrap-full"]);
    run.assert_success();
    assert_eq!(
        std::fs::read(site.file_for(WHOLE)).unwrap(),
        std::fs::read(common::vendored_bootstrap().join("css/bootstrap-italia.min.css")).unwrap(),
        "--stylesheet bootstrap-full publishes Bootstrap Italia's own file"
    );
    assert!(!site.file_for(SUBSET).exists());
    for (url, html) in site.web_pages() {
        let linked = links(html);
        assert!(linked.contains(&WHOLE), "{url} links {WHOLE}: {linked:?}");
    }
}

#[test]
fn the_subset_is_the_same_bytes_every_time() {
    let project = project();
    let (_, first) = project.build_site("first", &["--stylesheet", "bootstrap"]);
    let (_, second) = project.build_site("second", &["--stylesheet", "bootstrap"]);
    assert_eq!(subset_of(&first), subset_of(&second));
}

/// Bootstrap Italia is indexed once and the index kept on disk, in `$XDG_CACHE_HOME/carta/
/// css-index/`, named by the stylesheet's SHA-256, with the last subset beside it: a build from
/// either writes the bytes of a build that parses the stylesheet, and a cache file changed by one
/// byte or cut short is ignored and made again, never another subset.
#[test]
fn the_cached_index_gives_the_bytes_of_a_fresh_parse_and_a_damaged_cache_is_ignored() {
    use sha2::{Digest, Sha256};
    let project = project();
    let cache = tempfile::tempdir().unwrap();
    let xdg = cache.path().to_str().unwrap();
    let build = |name: &str, env: &[(&str, &str)]| {
        let output = project.output(name);
        let args = project.build_args(&output, &["--stylesheet", "bootstrap"]);
        common::carta_with_env(project.parent(), &args, env).assert_success();
        std::fs::read(output.join(SUBSET.trim_start_matches('/'))).unwrap()
    };
    // No cache folder at all (neither XDG_CACHE_HOME nor HOME): the stylesheet is parsed.
    let fresh = build("fresh", &[("XDG_CACHE_HOME", ""), ("HOME", "")]);
    assert_eq!(build("first", &[("XDG_CACHE_HOME", xdg)]), fresh);
    let folder = cache.path().join("carta/css-index");
    let files = common::entries(&folder);
    assert_eq!(files.len(), 2, "one index and one subset: {files:?}");
    let whole =
        std::fs::read(common::vendored_bootstrap().join("css/bootstrap-italia.min.css")).unwrap();
    let digest: String = Sha256::digest(&whole)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert!(
        files.iter().all(|file| file.starts_with(&digest)),
        "{files:?}"
    );
    let index = folder.join(files.iter().find(|f| f.ends_with(".json")).unwrap());
    let subset = folder.join(files.iter().find(|f| f.ends_with(".css")).unwrap());
    let written_index = std::fs::read_to_string(&index).unwrap();
    let written_subset = std::fs::read_to_string(&subset).unwrap();
    assert!(written_subset.ends_with(std::str::from_utf8(&fresh).unwrap()));
    assert_eq!(build("second", &[("XDG_CACHE_HOME", xdg)]), fresh);

    for (path, written) in [(&subset, &written_subset), (&index, &written_index)] {
        let changed = written.replacen("color:", "colour:", 1);
        let cut = written[..written.len() / 2].to_string();
        for (damage, text) in [("a changed byte", changed), ("cut short", cut)] {
            if path == &index {
                // Without the subset, the build needs the index.
                std::fs::remove_file(&subset).unwrap();
            }
            std::fs::write(path, text).unwrap();
            assert_eq!(build(damage, &[("XDG_CACHE_HOME", xdg)]), fresh, "{damage}");
            assert_eq!(
                &std::fs::read_to_string(path).unwrap(),
                written,
                "{damage} in {}: made again",
                path.display()
            );
        }
    }
}
