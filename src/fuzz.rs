//! Entry points for the fuzz targets in `fuzz/`: untrusted bytes through the same parsers the
//! loader uses, in memory.
//!
//! One input is read as a chapter (front matter + YAML + Markdown, then the lint and the
//! diagnostics rendering), as every YAML data file, as `site.toml`, and through the fork-hygiene
//! scan. A second entry point, [`html_bytes`], reads the input as a chapter body and checks that
//! what would be published holds only what the raw-HTML allowlist allows. Any panic, hang or
//! unbounded allocation here is a bug in carta: user mistakes must come back as diagnostics. The regression inputs in `tests/fixtures/fuzz/` replay through
//! [`load_bytes`] in the ordinary test suite.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::config;
use crate::diagnostics::{self, Diagnostic};
use crate::fork;
use crate::load::{self, yaml};
use crate::markdown::{self, Links, Source};
use crate::model::{Channels, Charter, Commitments, Contacts, Organization, Stakeholders};
use crate::source::{FileId, SourceMap};

/// Parses `data` every way the loader can; returns how many diagnostics came out.
pub fn load_bytes(data: &[u8]) -> usize {
    let text = match load::decode(data) {
        Ok(text) => text,
        Err(_) => return 1,
    };
    let mut sources = SourceMap::new();
    let chapter = sources.add("content/chapters/01-fuzz.md", text.clone());
    let data_file = sources.add("content/data/fuzz.yaml", text.clone());
    let config_file = sources.add("site.toml", text.clone());
    let mut found: Vec<Diagnostic> = Vec::new();

    match load::parse_chapter(&sources, chapter) {
        Ok((front, body_offset)) => {
            let rendered = render_fuzz_body(
                &sources.text(chapter)[body_offset..],
                &Source {
                    sources: &sources,
                    file: chapter,
                    body_offset,
                    front: Some(&front),
                },
                |_| String::new(),
            );
            // The renderer lints the body too: its diagnostics include the lint's warnings.
            found.extend(rendered.diagnostics);
        }
        Err(diagnostic) => found.push(diagnostic),
    }
    found.extend(parse_as::<Charter>(&sources, data_file));
    found.extend(parse_as::<Organization>(&sources, data_file));
    found.extend(parse_as::<Commitments>(&sources, data_file));
    found.extend(parse_as::<Contacts>(&sources, data_file));
    found.extend(parse_as::<Stakeholders>(&sources, data_file));
    found.extend(parse_as::<Channels>(&sources, data_file));
    if let Err(diagnostic) = config::parse(&sources, config_file) {
        found.push(diagnostic);
    }
    let terms = fork::Terms::for_fuzzing(&text);
    found.extend(terms.scan(&sources, data_file, &[]));

    for diagnostic in &found {
        let _ = diagnostics::render(diagnostic, &sources, false);
        let _ = diagnostics::one_line(diagnostic, &sources);
    }
    found.len()
}

/// Reads `data` as a chapter body through the Markdown renderer and the raw-HTML allowlist, and
/// panics when the result breaks the promise of `docs/content.md` § 5.6: a body without `E150`
/// publishes only allowlisted elements, attributes and URLs, and carta's own blocks intact.
pub fn html_bytes(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let file = sources.add("content/chapters/01-fuzz.md", body.to_string());
    let rendered = render_fuzz_body(
        body,
        &Source {
            sources: &sources,
            file,
            body_offset: 0,
            front: None,
        },
        |name| format!("<table><caption>{name}</caption></table>"),
    );
    // Safe whether or not there were errors: with errors the raw HTML is shown as text.
    if let Err(problem) = published_is_safe(&rendered.html) {
        panic!("unsafe output ({problem}) for {body:?}:\n{}", rendered.html);
    }
    let refused = rendered.diagnostics.iter().any(|d| d.code == "E150");
    if !refused {
        for name in &rendered.blocks_used {
            let caption = format!("<caption>{name}</caption>");
            assert!(
                rendered.html.contains(&caption),
                "block {name} lost for {body:?}:\n{}",
                rendered.html
            );
        }
    }
    for diagnostic in &rendered.diagnostics {
        let _ = diagnostics::render(diagnostic, &sources, false);
    }
}

/// Renders a fuzzed chapter body with every generated block available, as `block` draws it.
fn render_fuzz_body(
    body: &str,
    source: &Source<'_>,
    block: impl Fn(&str) -> String,
) -> markdown::Rendered {
    let chapter_urls: BTreeMap<String, String> =
        [("01-fuzz.md".to_string(), "/fuzz/".to_string())].into();
    let blocks: BTreeMap<String, String> = markdown::BLOCK_NAMES
        .iter()
        .map(|name| (name.to_string(), block(name)))
        .collect();
    markdown::render(
        body,
        source,
        &Links {
            chapter_urls: &chapter_urls,
            blocks: &blocks,
            blocks_before_sections: &blocks,
            table_label: "Tabella nella sezione «{section}»",
            table_label_no_section: "Tabella",
        },
    )
}

/// Parses published body HTML as a browser would and checks every element, attribute and URL
/// against the allowlist, allowing only carta's own table region besides.
fn published_is_safe(html: &str) -> Result<(), String> {
    use crate::html_policy::{ELEMENT_ATTRIBUTES, ELEMENTS, GLOBAL_ATTRIBUTES};
    use crate::url_policy::{self, UrlUse};
    let document = scraper::Html::parse_fragment(html);
    // The fragment's own root (an `html` element) is not the body's.
    for node in document.root_element().descendants().skip(1) {
        let scraper::Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name();
        if element.name.ns != html5ever::ns!(html) || !ELEMENTS.contains(&name) {
            return Err(format!("element <{name}>"));
        }
        let region =
            name == "div" && element.attr("class") == Some("table-responsive carta-table-region");
        for (attribute, value) in element.attrs() {
            let listed = GLOBAL_ATTRIBUTES.contains(&attribute)
                || ELEMENT_ATTRIBUTES.contains(&(name, attribute))
                || (region && matches!(attribute, "class" | "role" | "tabindex" | "aria-label"))
                || (attribute == "class"
                    && matches!(
                        (name, value),
                        ("sup", "footnote-reference" | "footnote-definition-label")
                            | ("div", "footnote-definition")
                    ))
                || (attribute == "class" && name == "code" && value.starts_with("language-"))
                || (attribute == "style"
                    && matches!(name, "th" | "td")
                    && value.starts_with("text-align: "));
            if !listed {
                return Err(format!("attribute {attribute} on <{name}>"));
            }
            let usage = match attribute {
                "href" | "cite" => UrlUse::Link,
                "src" => UrlUse::Image,
                _ => continue,
            };
            if url_policy::check(value, usage).is_err() {
                return Err(format!("URL {value:?} in {attribute} of <{name}>"));
            }
        }
    }
    Ok(())
}

fn parse_as<T: DeserializeOwned>(sources: &SourceMap, file: FileId) -> Option<Diagnostic> {
    yaml::parse::<T>(sources.text(file), sources, file, 0).err()
}
