//! Print edition: the whole charter as one HTML document (`/stampa/`), the source of the PDF.
//!
//! Cover, table of contents, every chapter in order, then the generated tables that no chapter
//! places. The chapter bodies are the ones rendered for the site. Here the [`Plan`] fixes how they
//! become one document: a unique id for every element with an id, and where each link to a page of
//! the site lands inside it. The rewrite pass (`rewrite::print`) applies it to each body, moving
//! headings one level down and printing the address of every link to another site. It reads and
//! writes no files.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use lol_html::{RewriteStrSettings, rewrite_str};
use rayon::prelude::*;
use serde::Serialize;

use super::view::PageView;
use super::{Context, Page, Parts, chapter_url};
use crate::diagnostics::Diagnostic;
use crate::model::{Date, Project};
use crate::slug::{UniqueIds, slugify};
use crate::strings::Strings;

/// The template that lays out the print edition.
pub(crate) const TEMPLATE: &str = "print.html";

/// The print edition as the template `print.html` sees it, as `edition`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintView {
    /// Language of the document with its region (`it-IT`), also the PDF's `/Lang`.
    pub(crate) lang: String,
    /// The address of the site, printed on the cover.
    pub(crate) online_url: String,
    pub(crate) cover_id: String,
    pub(crate) toc_id: String,
    /// Chapters, then appendices, in order.
    pub(crate) parts: Vec<PartView>,
    /// Texts of the running header and footer as CSS string literals (quoted and escaped), for the
    /// `@page` rules of the template.
    pub(crate) css: PageCss,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartView {
    /// Id of the part's section: the chapter's slug, or the generated page's for an appendix.
    pub(crate) id: String,
    pub(crate) number: Option<String>,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// The body, with document-wide ids and in-document links.
    pub(crate) html: String,
    /// True for a generated table that no chapter places.
    pub(crate) appendix: bool,
    /// The part's second-level headings, for the table of contents.
    pub(crate) sections: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionView {
    pub(crate) id: String,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageCss {
    pub(crate) ente: String,
    pub(crate) title: String,
    pub(crate) page: String,
    pub(crate) page_of: String,
    /// "Bozza", on every page of a draft; none for an approved charter.
    pub(crate) draft: Option<String>,
}

#[derive(Serialize)]
struct PrintContext<'a> {
    page: &'a PageView<'a>,
    edition: &'a PrintView,
}

/// The URL of the print edition, e.g. `/stampa/`.
pub(crate) fn url(strings: &Strings) -> String {
    format!("/{}/", strings.print.slug)
}

/// Where the print edition is written and what the PDF made from it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintInfo {
    /// Path of the print edition in the output folder, e.g. `stampa/index.html`.
    pub(crate) page: String,
    /// File name of the PDF: charter title, ente, office and edition, as a slug.
    pub(crate) pdf_name: String,
    /// The charter's last update: the date a reproducible PDF carries.
    pub(crate) date: Date,
}

pub(crate) fn info(project: &Project, strings: &Strings) -> PrintInfo {
    let charter = &project.charter.data;
    let office = charter.office_short.as_deref().unwrap_or(&charter.office);
    let name = slugify(&format!(
        "{} {} {} {}",
        charter.title, project.config.ente.name, office, charter.edition
    ));
    PrintInfo {
        page: format!("{}index.html", url(strings).trim_start_matches('/')),
        pdf_name: format!("{name}.pdf"),
        date: charter.last_updated.value,
    }
}

/// The PDF as templates see it, as the global `pdf` (absent when the build made none).
#[derive(Debug, Clone, Serialize)]
pub struct PdfView {
    /// Root-relative URL of the file.
    pub(crate) url: String,
    pub(crate) name: String,
    pub(crate) bytes: u64,
    /// The size for readers, e.g. `140 kB`.
    pub(crate) size: String,
}

/// Renders the print edition page from the chapter bodies as rendered for the site, in chapter
/// order; the page shares them as its parts.
pub(crate) fn render(cx: &Context<'_>) -> Result<Page, Vec<Diagnostic>> {
    let project = cx.project;
    let bodies = &cx.bodies;
    let words = &cx.strings.print;
    let (parts, chapter_count) = parts(cx);
    let block_pages: BTreeMap<String, String> = cx
        .generated
        .iter()
        .map(|page| (page.block.to_string(), page.url.clone()))
        .collect();
    let settings = Settings {
        cover_id: &words.cover_id,
        toc_id: &words.toc_id,
        block_pages: &block_pages,
        base_url: &project.config.site.base_url,
        external_url: &words.external_url,
    };
    let plan = plan(&parts, &settings).map_err(|error| {
        vec![Diagnostic::error(
            "E162",
            format!("edizione a stampa non generata: {error}"),
        )]
    })?;
    // The bodies are the bulk of the document (megabytes for a long charter): the template gets a
    // marker for each, and the page carries the bodies as parts, which the rewrite pass makes one
    // document with the plan, in parallel; they never go through the template. The chapters'
    // bodies are shared with their pages, not copied; the appendices (blocks the site's own pages
    // show too) are copied.
    let mut views: Vec<PartView> = parts
        .iter()
        .enumerate()
        .map(|(index, part)| plan.view(part, index, String::new()))
        .collect();
    let appendices: Vec<Arc<String>> = parts[chapter_count..]
        .iter()
        .map(|part| Arc::new(part.html.to_string()))
        .collect();
    let texts = bodies
        .iter()
        .take(chapter_count)
        .map(|body| Arc::clone(&body.html))
        .chain(appendices)
        .collect();
    let bodies = Parts::new(texts, Some(Arc::new(plan)));
    for (index, view) in views.iter_mut().enumerate() {
        view.html = bodies.marker(index);
    }
    let config = &project.config;
    let edition = PrintView {
        lang: language_with_region(&config.site.language),
        online_url: config.site.base_url.clone(),
        cover_id: words.cover_id.clone(),
        toc_id: words.toc_id.clone(),
        parts: views,
        css: PageCss {
            ente: css_string(&config.ente.name),
            title: css_string(&project.charter.data.title),
            page: css_string(&words.page),
            page_of: css_string(&words.page_of),
            draft: project
                .charter
                .data
                .is_draft()
                .then(|| css_string(&cx.strings.draft.badge)),
        },
    };
    let url = url(cx.strings);
    let page = PageView::new(
        "print",
        words.title.clone(),
        url.clone(),
        cx.last_updated.clone(),
    );
    let context = PrintContext {
        page: &page,
        edition: &edition,
    };
    let html = cx
        .render(TEMPLATE, &context)
        .map_err(|diagnostic| vec![diagnostic])?;
    let mut page = Page::new(
        format!("{}index.html", url.trim_start_matches('/')),
        url,
        html,
    );
    page.parts = bodies;
    Ok(page)
}

/// The print edition's parts: every chapter, in order, then as appendices the generated blocks no
/// chapter places; with the number of chapters.
fn parts<'c>(cx: &'c Context<'_>) -> (Vec<Part<'c>>, usize) {
    let bodies = &cx.bodies;
    let mut parts: Vec<Part<'c>> = cx
        .project
        .chapters
        .iter()
        .zip(bodies)
        .map(|(chapter, body)| Part {
            url: chapter_url(chapter),
            slug: chapter.slug.clone(),
            number: chapter.front.number.clone(),
            title: chapter.front.title.value.clone(),
            description: chapter.front.description.clone(),
            html: &body.html,
            appendix: false,
            sections: body
                .toc
                .iter()
                .filter(|entry| entry.level == 2)
                .map(|entry| (entry.id.clone(), entry.text.clone()))
                .collect(),
            blocks: body.block_headings.clone(),
        })
        .collect();
    let chapter_count = parts.len();
    for page in &cx.generated {
        let placed = bodies
            .iter()
            .any(|body| body.blocks_used.iter().any(|name| name == page.block));
        // An appendix is the block alone under the part's title: rendered as on its own page
        // (its headings one level below the title once the part moves them down), not as in a
        // chapter, where it sits under a section heading.
        let Some(html) = cx.blocks_on_pages.get(page.block) else {
            continue;
        };
        if !placed {
            parts.push(Part {
                url: page.url.clone(),
                slug: page.url.trim_matches('/').to_string(),
                number: None,
                title: page.title.clone(),
                description: Some(page.description.clone()),
                html,
                appendix: true,
                sections: Vec::new(),
                blocks: vec![(page.block.to_string(), None)],
            });
        }
    }
    (parts, chapter_count)
}

/// The language tag of the document with its region: carta publishes the charters of Italian
/// public bodies, so a bare language (`it`) is the language as used in Italy (`it-IT`).
pub(crate) fn language_with_region(language: &str) -> String {
    if language.contains('-') || language.is_empty() {
        language.to_string()
    } else {
        format!("{language}-IT")
    }
}

/// A CSS string literal, serialized as CSSOM's "serialize a string" says, and safe inside a
/// `<style>` element: U+0000 becomes U+FFFD; every other control character (U+0001–U+001F,
/// U+007F) and `<` and `>` (which could close the element) become a hex escape with its
/// terminating space; `"` and `\` are escaped with a backslash. So no character of `text` can end
/// the string, the declaration or the style element, whatever it is (a form feed included).
pub(crate) fn css_string(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '\0' => out.push('\u{FFFD}'),
            '\u{1}'..='\u{1f}' | '\u{7f}' | '<' | '>' => {
                let _ = write!(out, "\\{:X} ", ch as u32);
            }
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

// ---- Assembly: ids and links across the document ----------------------------------------------

/// One part of the document before assembly: a chapter or an appendix.
pub(crate) struct Part<'a> {
    /// The site URL this part stands for (`/il-valore-del-servizio/`, `/impegni/`).
    pub(crate) url: String,
    /// Preferred id of the part's section.
    pub(crate) slug: String,
    pub(crate) number: Option<String>,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) html: &'a str,
    pub(crate) appendix: bool,
    /// Second-level headings of the body: (id on the site, text).
    pub(crate) sections: Vec<(String, String)>,
    /// Blocks the part places, in order: name and the site id of the heading each follows.
    pub(crate) blocks: Vec<(String, Option<String>)>,
}

/// How site links map into the document.
pub(crate) struct Settings<'a> {
    pub(crate) cover_id: &'a str,
    pub(crate) toc_id: &'a str,
    /// Block name → URL of its generated page (`impegni` → `/impegni/`).
    pub(crate) block_pages: &'a BTreeMap<String, String>,
    /// Where the site is published, for links to pages the document does not contain.
    pub(crate) base_url: &'a str,
    /// Pattern printed after the text of a link to another site (`{url}`).
    pub(crate) external_url: &'a str,
}

/// Where a site page lands in the document: the id to link to, and the part whose ids resolve the
/// page's fragments (none for the cover).
#[derive(Debug)]
struct Target {
    id: String,
    part: Option<usize>,
}

/// The document-wide ids and the link map of the print edition, computed here from the bodies and
/// applied by the rewrite pass (`rewrite::print`) to each part.
#[derive(Debug)]
pub(crate) struct Plan {
    part_ids: Vec<String>,
    /// For each part, the new id of every element with an id, in document order.
    element_ids: Vec<Vec<String>>,
    /// For each part: id on the site → id in the document (first occurrence).
    maps: Vec<BTreeMap<String, String>>,
    /// Site URL path (`/impegni/`) → where it is in the document.
    targets: BTreeMap<String, Target>,
    /// Where the site is published, for links to pages the document does not contain.
    base_url: String,
    /// Pattern printed after the text of a link to another site (`{url}`).
    external_url: String,
}

/// Fixes every id of the document and where every site link lands, before any part is rewritten.
pub(crate) fn plan(parts: &[Part<'_>], settings: &Settings<'_>) -> Result<Plan, String> {
    let mut ids = UniqueIds::new();
    ids.reserve(settings.cover_id);
    ids.reserve(settings.toc_id);
    let part_ids: Vec<String> = parts.iter().map(|part| ids.unique(&part.slug)).collect();
    // Finding the ids reads every body (megabytes for a long charter): in parallel. Making them
    // unique depends on the order, so that part stays sequential.
    let found: Vec<Vec<String>> = parts
        .par_iter()
        .map(|part| ids_in(part.html))
        .collect::<Result<_, _>>()?;
    let mut element_ids = Vec::with_capacity(parts.len());
    let mut maps = Vec::with_capacity(parts.len());
    for part_ids_found in found {
        let mut new_ids = Vec::new();
        let mut map = BTreeMap::new();
        for id in part_ids_found {
            let new = ids.unique(&id);
            map.entry(id).or_insert_with(|| new.clone());
            new_ids.push(new);
        }
        element_ids.push(new_ids);
        maps.push(map);
    }

    let mut targets = BTreeMap::new();
    targets.insert(
        "/".to_string(),
        Target {
            id: settings.cover_id.to_string(),
            part: None,
        },
    );
    for (index, part) in parts.iter().enumerate() {
        targets.insert(
            part.url.clone(),
            Target {
                id: part_ids[index].clone(),
                part: Some(index),
            },
        );
    }
    // A generated page is where its block is placed first: under the heading the block follows.
    for (index, part) in parts.iter().enumerate() {
        for (block, heading) in &part.blocks {
            let Some(url) = settings.block_pages.get(block) else {
                continue;
            };
            if targets.contains_key(url) {
                continue;
            }
            let id = heading
                .as_ref()
                .and_then(|heading| maps[index].get(heading))
                .unwrap_or(&part_ids[index])
                .clone();
            targets.insert(
                url.clone(),
                Target {
                    id,
                    part: Some(index),
                },
            );
        }
    }
    Ok(Plan {
        part_ids,
        element_ids,
        maps,
        targets,
        base_url: settings.base_url.to_string(),
        external_url: settings.external_url.to_string(),
    })
}

/// Every `id` in a fragment, in document order.
fn ids_in(html: &str) -> Result<Vec<String>, String> {
    let found = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(crate::rewrite::element_handler!(
            "[id]",
            |el| {
                if let Some(id) = el.get_attribute("id") {
                    found.borrow_mut().push(id);
                }
                Ok(())
            }
        )),
    )
    .map_err(|error| error.to_string())?;
    Ok(found.into_inner())
}

impl Plan {
    /// The part as the template sees it: its document-wide id and sections, and `html` (the
    /// marker its body replaces).
    fn view(&self, part: &Part<'_>, index: usize, html: String) -> PartView {
        let map = &self.maps[index];
        PartView {
            id: self.part_ids[index].clone(),
            number: part.number.clone(),
            title: part.title.clone(),
            description: part.description.clone(),
            html,
            appendix: part.appendix,
            sections: part
                .sections
                .iter()
                .filter_map(|(id, text)| {
                    map.get(id).map(|id| SectionView {
                        id: id.clone(),
                        text: text.clone(),
                    })
                })
                .collect(),
        }
    }

    /// The new id of each element with an id in part `part`, in document order.
    pub(crate) fn element_ids(&self, part: usize) -> &[String] {
        &self.element_ids[part]
    }

    /// The new id of an id of part `part`, if it has one.
    pub(crate) fn id_in(&self, part: usize, id: &str) -> Option<&str> {
        self.maps[part].get(id).map(String::as_str)
    }

    /// Pattern printed after the text of a link to another site (`{url}`).
    pub(crate) fn external_url(&self) -> &str {
        &self.external_url
    }

    /// The new `href` of a link found in part `part`, or `None` to leave it as it is.
    pub(crate) fn resolve(&self, href: &str, part: usize) -> Option<String> {
        let base_url = self.base_url.as_str();
        if let Some(fragment) = href.strip_prefix('#') {
            return self.maps[part].get(fragment).map(|id| format!("#{id}"));
        }
        if !href.starts_with('/') || href.starts_with("//") {
            return None;
        }
        let (path, fragment) = match href.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (href, None),
        };
        match self.targets.get(&page_path(path)) {
            Some(target) => {
                let id = fragment
                    .zip(target.part)
                    .and_then(|(fragment, part)| self.maps[part].get(fragment))
                    .unwrap_or(&target.id);
                Some(format!("#{id}"))
            }
            // A page the document does not contain: the reader of a printed copy needs its address.
            None => Some(format!("{}/{}", base_url.trim_end_matches('/'), &href[1..])),
        }
    }
}

/// `/impegni`, `/impegni/index.html` and `/impegni/` are the same page.
fn page_path(path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part<'a>(url: &str, slug: &str, html: &'a str) -> Part<'a> {
        Part {
            url: url.to_string(),
            slug: slug.to_string(),
            number: None,
            title: slug.to_string(),
            description: None,
            html,
            appendix: false,
            sections: Vec::new(),
            blocks: Vec::new(),
        }
    }

    fn settings(block_pages: &BTreeMap<String, String>) -> Settings<'_> {
        Settings {
            cover_id: "copertina",
            toc_id: "indice",
            block_pages,
            base_url: "https://carta.comune.fi.it/",
            external_url: " ({url})",
        }
    }

    /// The parts as the template and the document get them: the plan, then each part rewritten
    /// with it (and the site's handlers, as the rewrite pass does).
    fn assemble(parts: &[Part<'_>], settings: &Settings<'_>) -> Result<Vec<PartView>, String> {
        let plan = plan(parts, settings)?;
        let site = crate::rewrite::RewriteSettings {
            root: "/".to_string(),
            own_hosts: vec!["carta.comune.fi.it".to_string()],
            new_window: false,
            new_window_hint: String::new(),
            collect_vocabulary: false,
        };
        parts
            .iter()
            .enumerate()
            .map(|(index, part)| {
                let html =
                    crate::rewrite::print::rewrite_part(part.html, index, &plan, &site, None)?.html;
                Ok(plan.view(part, index, html))
            })
            .collect()
    }

    #[test]
    fn ids_are_unique_and_links_follow_them() {
        let pages: BTreeMap<String, String> =
            [("impegni".to_string(), "/impegni/".to_string())].into();
        let one = r##"<h2 id="premessa">Premessa</h2><p><a href="/due/#premessa">due</a> <a href="#premessa">qui</a></p>"##;
        let two = r##"<h2 id="premessa">Premessa</h2><h2 id="tabella">T</h2><div role="region" aria-labelledby="cap"><table><caption id="cap">C</caption></table></div><p><a href="/uno/">uno</a> <a href="#premessa">qui</a> <a href="/impegni/">impegni</a> <a href="/">home</a> <a href="/altro/">altro</a></p>"##;
        let mut first = part("/uno/", "uno", one);
        first.sections = vec![("premessa".into(), "Premessa".into())];
        let mut second = part("/due/", "due", two);
        second.sections = vec![("premessa".into(), "Premessa".into())];
        second.blocks = vec![("impegni".into(), Some("tabella".into()))];
        let views = assemble(&[first, second], &settings(&pages)).unwrap();
        assert_eq!(views[0].id, "uno");
        assert!(
            views[0].html.contains(r##"<h3 id="premessa">"##),
            "{}",
            views[0].html
        );
        assert!(views[0].html.contains(r##"<a href="#premessa-2">due</a>"##));
        assert!(views[0].html.contains(r##"<a href="#premessa">qui</a>"##));
        let html = &views[1].html;
        assert!(html.contains(r##"<h3 id="premessa-2">"##), "{html}");
        assert!(
            html.contains(r##"<a href="#premessa-2">qui</a>"##),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#uno">uno</a>"##), "{html}");
        assert!(
            html.contains(r##"<a href="#tabella">impegni</a>"##),
            "{html}"
        );
        assert!(
            html.contains(r##"<a href="#copertina">home</a>"##),
            "{html}"
        );
        assert!(
            html.contains(r##"<a href="https://carta.comune.fi.it/altro/">altro</a><span class="carta-print-url"> (https://carta.comune.fi.it/altro/)</span>"##),
            "{html}"
        );
        assert_eq!(views[1].sections[0].id, "premessa-2");
    }

    #[test]
    fn part_ids_never_take_the_cover_or_toc_ids() {
        let pages = BTreeMap::new();
        let views = assemble(
            &[
                part("/indice/", "indice", r#"<p id="uno">x</p>"#),
                part("/uno/", "uno", ""),
            ],
            &settings(&pages),
        )
        .unwrap();
        assert_eq!(views[0].id, "indice-2");
        assert_eq!(views[1].id, "uno");
        assert!(views[0].html.contains(r#"id="uno-2""#), "{}", views[0].html);
    }

    #[test]
    fn external_addresses_are_printed_once() {
        let pages = BTreeMap::new();
        let html = r#"<a href="https://www.comune.fi.it/">Sito <b>istituzionale</b></a> <a href="https://en.wikipedia.org/wiki/CVSS">https://en.wikipedia.org/wiki/CVSS</a> <a href="mailto:a@b.it">a@b.it</a>"#;
        let views = assemble(&[part("/uno/", "uno", html)], &settings(&pages)).unwrap();
        let out = &views[0].html;
        assert!(
            out.contains(r#"istituzionale</b></a><span class="carta-print-url"> (https://www.comune.fi.it/)</span>"#),
            "{out}"
        );
        assert_eq!(out.matches("carta-print-url").count(), 1, "{out}");
    }

    #[test]
    fn css_strings_are_quoted_and_cannot_close_the_style() {
        assert_eq!(css_string("Comune di Firenze"), "\"Comune di Firenze\"");
        assert_eq!(
            css_string("a\"b\\c</style>"),
            "\"a\\\"b\\\\c\\3C /style\\3E \""
        );
        // Every control character is escaped, the form feed (a line break in CSS) included.
        assert_eq!(
            css_string("a\u{c}b\nc\rd\te\u{1b}f\u{7f}g\0h"),
            "\"a\\C b\\A c\\D d\\9 e\\1B f\\7F g\u{FFFD}h\""
        );
        let hostile = "x\u{c}}body{display:none}@import url(//x.example/b);";
        let out = css_string(hostile);
        assert!(!out.contains('\u{c}'), "{out}");
        assert_eq!(out.matches('"').count(), 2, "one string: {out}");
    }

    #[test]
    fn language_gets_the_italian_region() {
        assert_eq!(language_with_region("it"), "it-IT");
        assert_eq!(language_with_region("de-IT"), "de-IT");
    }
}
