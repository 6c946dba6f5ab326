//! Rewrite: one lol_html pass over every generated page (and over each part of the print
//! edition, together with the print edition's own handlers, in [`print`](mod@print)).
//!
//! Root-relative links and sources get the deployment path from `base_url`; external links get
//! `rel="noopener"` (and, when configured, open in a new window with a visually hidden warning);
//! `mailto:` and `tel:` links are checked for form; header cells of Markdown tables get
//! `scope="col"`. It sees one page at a time and keeps no state between pages.

pub(crate) mod print;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;

use lol_html::html_content::{ContentType, Element};
use lol_html::{ElementContentHandlers, HandlerResult, RewriteStrSettings, Selector, rewrite_str};

use crate::css::Vocabulary;
use crate::forms;

/// A handler of the elements `selector` matches, like lol_html's `element!`, with the selector
/// parsed once for the whole run instead of once for every page (a large site has thousands of
/// pages and parts, each with about twenty handlers).
macro_rules! element_handler {
    ($selector:expr, $handler:expr) => {{
        #[inline(always)]
        const fn type_hint<'h, T>(handler: T) -> T
        where
            T: FnMut(&mut lol_html::html_content::Element<'_, '_>) -> lol_html::HandlerResult + 'h,
        {
            handler
        }
        static SELECTOR: std::sync::LazyLock<lol_html::Selector> =
            std::sync::LazyLock::new(|| $selector.parse().expect("a selector of carta's own"));
        (
            std::borrow::Cow::Borrowed(&*SELECTOR),
            lol_html::ElementContentHandlers::default().element(type_hint($handler)),
        )
    }};
}

/// A handler of the text in the elements `selector` matches, like lol_html's `text!`, with the
/// selector parsed once for the whole run (see [`element_handler`]).
macro_rules! text_handler {
    ($selector:expr, $handler:expr) => {{
        #[inline(always)]
        const fn type_hint<'h, T>(handler: T) -> T
        where
            T: FnMut(&mut lol_html::html_content::TextChunk<'_>) -> lol_html::HandlerResult + 'h,
        {
            handler
        }
        static SELECTOR: std::sync::LazyLock<lol_html::Selector> =
            std::sync::LazyLock::new(|| $selector.parse().expect("a selector of carta's own"));
        (
            std::borrow::Cow::Borrowed(&*SELECTOR),
            lol_html::ElementContentHandlers::default().text(type_hint($handler)),
        )
    }};
}

pub(crate) use {element_handler, text_handler};

/// What the pass needs to know about the site.
#[derive(Debug, Clone, PartialEq)]
pub struct RewriteSettings {
    /// Deployment path, starting and ending with `/` (see `SiteSettings::root_path`).
    pub root: String,
    /// Hosts that count as this site (not external), e.g. `carta.comune.fi.it`.
    pub own_hosts: Vec<String>,
    /// Links to other sites open in a new window (`external_links_new_window` in site.toml).
    pub new_window: bool,
    /// Italian text read by screen readers after a link that opens a new window.
    pub new_window_hint: String,
    /// Record each page's [`Vocabulary`] (for the Bootstrap Italia subset).
    pub collect_vocabulary: bool,
}

/// A malformed link found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub(crate) href: String,
    pub(crate) kind: LinkProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkProblemKind {
    Email,
    Phone,
}

/// One lol_html handler: the elements it matches and what it does to them.
pub(crate) type Handler<'h> = (Cow<'h, Selector>, ElementContentHandlers<'h>);

/// Handlers another module runs last in the same pass (the gate's), borrowed for that pass only.
pub(crate) trait Last {
    /// Its handlers. With `every_element`, the pass has a handler on every element of its own,
    /// which calls [`Last::element`] last: lol_html makes an element object for every tag a
    /// handler on every element matches, and one such handler costs less than two.
    fn handlers(&self, every_element: bool) -> Vec<Handler<'_>>;
    /// Reads one element as the pass's other handlers left it (called by the pass's handler on
    /// every element, when [`Last::handlers`] was told there is one).
    fn element(&self, el: &mut Element<'_, '_>) -> HandlerResult;
}

/// Rewrites one page. Returns the new HTML and the malformed links it found.
pub fn rewrite(
    html: &str,
    settings: &RewriteSettings,
) -> Result<(String, Vec<LinkProblem>), String> {
    rewrite_page(html, settings, None).map(|pass| (pass.html, pass.problems))
}

/// What one pass over a page made and found.
pub(crate) struct Pass {
    /// The rewritten HTML.
    pub(crate) html: String,
    /// The malformed links found.
    pub(crate) problems: Vec<LinkProblem>,
    /// What the page holds that a selector can name, when the settings collect it.
    pub(crate) vocabulary: Option<Vocabulary>,
    /// Every `id` (and `<a name>`) of the rewritten page: the anchors a link to it may use.
    pub(crate) ids: BTreeSet<String>,
}

/// Rewrites one page. Returns the new HTML, the malformed links it found, its ids and, when
/// `settings.collect_vocabulary` is set, what the rewritten page holds that a selector can name.
/// `last` runs after every other handler, in the same pass (the gate's).
pub(crate) fn rewrite_page(
    html: &str,
    settings: &RewriteSettings,
    last: Option<&dyn Last>,
) -> Result<Pass, String> {
    let problems = RefCell::new(Vec::new());
    let vocabulary = RefCell::new(Vocabulary::with_implied_elements());
    let tables = RefCell::new(TableState::default());
    let ids = RefCell::new(BTreeSet::new());
    let mut handlers = site_handlers(settings, &problems);
    handlers.extend(table_handlers(&tables));
    // The ids are read in the same pass, so the link check needs no second parse of the page.
    handlers.push(id_handler(&ids));
    if settings.collect_vocabulary {
        // Last, so it sees each element as the handlers above left it; `last` reads each
        // element in the same handler, after it.
        handlers.push(vocabulary_handler(&vocabulary, last));
    }
    if let Some(last) = last {
        handlers.extend(last.handlers(settings.collect_vocabulary));
    }
    let output = run(html, handlers)?;
    let vocabulary = settings.collect_vocabulary.then(|| {
        let mut vocabulary = vocabulary.into_inner();
        if settings.new_window {
            // The hint appended to links that open a new window is not seen as an element.
            vocabulary.add_element("span", [("class", "visually-hidden")]);
        }
        vocabulary
    });
    Ok(Pass {
        html: output,
        problems: problems.into_inner(),
        vocabulary,
        ids: ids.into_inner(),
    })
}

/// Where the pass is in a generated table (`table.carta-table`).
#[derive(Default)]
pub(crate) struct TableState {
    /// The text of each column header of the current table, as written in the page (entities
    /// and all: it goes back into an attribute).
    headers: Vec<String>,
    /// Cells seen so far in the current body row.
    column: usize,
}

/// Each data cell of a generated table (`table.carta-table`) gets the text of its column's header
/// in `data-label`. On a narrow screen the theme shows each row as a block with these labels
/// before the cells (`display: block` and `::before`), hidden from screen readers, which keep the
/// table's own header cells. No ARIA role is written on the table's parts: HTML forbids a role on
/// `tr`, `th` and `td` inside a `table` (the Nu checker reports it as an error), and the browsers'
/// accessibility trees keep a table's rows and headers whatever its display (the e2e suite checks
/// Chromium's at 360 px).
pub(crate) fn table_handlers(state: &RefCell<TableState>) -> Vec<Handler<'_>> {
    vec![
        element_handler!("table.carta-table", move |_| {
            *state.borrow_mut() = TableState::default();
            Ok(())
        }),
        element_handler!("table.carta-table tr", move |_| {
            state.borrow_mut().column = 0;
            Ok(())
        }),
        element_handler!("table.carta-table > thead th", move |_| {
            state.borrow_mut().headers.push(String::new());
            Ok(())
        }),
        text_handler!("table.carta-table > thead th", move |chunk| {
            if let Some(header) = state.borrow_mut().headers.last_mut() {
                header.push_str(chunk.as_str());
            }
            Ok(())
        }),
        element_handler!("table.carta-table > tbody th", move |_| {
            state.borrow_mut().column += 1;
            Ok(())
        }),
        element_handler!("table.carta-table > tbody td", move |el| {
            let label = {
                let mut state = state.borrow_mut();
                state.column += 1;
                state
                    .headers
                    .get(state.column - 1)
                    .map(|header| header.split_whitespace().collect::<Vec<_>>().join(" "))
            };
            if let Some(label) = label.filter(|label| !label.is_empty())
                && el.get_attribute("data-label").is_none()
            {
                el.set_attribute("data-label", &label)?;
            }
            Ok(())
        }),
    ]
}

/// Records every element, class, id and attribute of a page into `vocabulary`, then lets `last`
/// read the element.
fn vocabulary_handler<'h>(
    vocabulary: &'h RefCell<Vocabulary>,
    last: Option<&'h dyn Last>,
) -> Handler<'h> {
    element_handler!("*", move |el| {
        let name = el.tag_name();
        let attributes = el.attributes();
        vocabulary.borrow_mut().add_element(
            &name,
            attributes
                .iter()
                .map(|attribute| (attribute.name(), attribute.value())),
        );
        match last {
            Some(last) => last.element(el),
            None => Ok(()),
        }
    })
}

/// One pass of `handlers` over `html`.
fn run(html: &str, handlers: Vec<Handler<'_>>) -> Result<String, String> {
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    rewrite_str(html, settings).map_err(|error| error.to_string())
}

/// The handlers of the site's pass, to run alone ([`rewrite`]) or after others in the same pass
/// (the print edition's, in [`print`](mod@print)). Malformed links go to `problems`.
pub(crate) fn site_handlers<'h>(
    settings: &'h RewriteSettings,
    problems: &'h RefCell<Vec<LinkProblem>>,
) -> Vec<Handler<'h>> {
    let rebase = |value: &str| -> Option<String> {
        (value.starts_with('/') && !value.starts_with("//") && settings.root != "/")
            .then(|| format!("{}{}", settings.root, &value[1..]))
    };
    vec![
        element_handler!("a[href], link[href], area[href]", move |el| {
            let Some(href) = el.get_attribute("href") else {
                return Ok(());
            };
            if let Some(rebased) = rebase(&href) {
                el.set_attribute("href", &rebased)?;
            } else if let Some(address) = href.strip_prefix("mailto:") {
                let address = address.split('?').next().unwrap_or("");
                if !forms::is_email(address) {
                    problems.borrow_mut().push(LinkProblem {
                        href: href.clone(),
                        kind: LinkProblemKind::Email,
                    });
                }
            } else if let Some(number) = href.strip_prefix("tel:") {
                if !forms::is_phone(number) {
                    problems.borrow_mut().push(LinkProblem {
                        href: href.clone(),
                        kind: LinkProblemKind::Phone,
                    });
                }
            } else if el.tag_name() == "a" && is_external(&href, &settings.own_hosts) {
                let mut rel: Vec<String> = el
                    .get_attribute("rel")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                if !rel.iter().any(|token| token == "noopener") {
                    rel.push("noopener".to_string());
                }
                if settings.new_window {
                    if !rel.iter().any(|token| token == "noreferrer") {
                        rel.push("noreferrer".to_string());
                    }
                    el.set_attribute("target", "_blank")?;
                    let hint = format!(
                        " <span class=\"visually-hidden\">{}</span>",
                        escape_html(&settings.new_window_hint)
                    );
                    el.append(&hint, ContentType::Html);
                }
                el.set_attribute("rel", &rel.join(" "))?;
            }
            Ok(())
        }),
        element_handler!("img[src], source[src], script[src]", move |el| {
            if let Some(src) = el.get_attribute("src")
                && let Some(rebased) = rebase(&src)
            {
                el.set_attribute("src", &rebased)?;
            }
            Ok(())
        }),
        element_handler!("form[action]", move |el| {
            if let Some(action) = el.get_attribute("action")
                && let Some(rebased) = rebase(&action)
            {
                el.set_attribute("action", &rebased)?;
            }
            Ok(())
        }),
        // Markdown tables put header cells only in the header row. A simple selector (no
        // descendant combinator) keeps the pass from tracking the open-element stack.
        element_handler!("th:not([scope])", |el| {
            el.set_attribute("scope", "col")?;
            Ok(())
        }),
    ]
}

/// Records every `id` (and `<a name>`) into `ids`: the anchors a link to the page may use. Put
/// it after the handlers that change ids, so it sees the ids the page is written with.
pub(crate) fn id_handler(ids: &RefCell<BTreeSet<String>>) -> Handler<'_> {
    element_handler!("[id], a[name]", move |el| {
        let mut ids = ids.borrow_mut();
        ids.extend(el.get_attribute("id"));
        if el.tag_name() == "a" {
            ids.extend(el.get_attribute("name"));
        }
        Ok(())
    })
}

/// An absolute http(s) link to a host that is not this site.
fn is_external(href: &str, own_hosts: &[String]) -> bool {
    let rest = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))
        .or_else(|| href.strip_prefix("//"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    !own_hosts.iter().any(|own| own.eq_ignore_ascii_case(host))
}

/// Escapes the hint text for HTML; it comes from the theme's strings file.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The host of an absolute URL, for `own_hosts`.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(root: &str, new_window: bool) -> RewriteSettings {
        RewriteSettings {
            root: root.to_string(),
            own_hosts: vec!["carta.comune.fi.it".to_string()],
            new_window,
            new_window_hint: "(si apre in una nuova finestra)".to_string(),
            collect_vocabulary: false,
        }
    }

    #[test]
    fn rebases_root_relative_links_only() {
        let html = r#"<a href="/impegni/">I</a><a href="//cdn.example/x">C</a><link href="/assets/css/carta.css" rel="stylesheet"><img src="/assets/a.png" alt="">"#;
        let (out, _) = rewrite(html, &settings("/carta/", false)).unwrap();
        assert!(out.contains(r#"href="/carta/impegni/""#), "{out}");
        assert!(
            out.contains(r#"href="/carta/assets/css/carta.css""#),
            "{out}"
        );
        assert!(out.contains(r#"src="/carta/assets/a.png""#), "{out}");
        assert!(out.contains(r#"href="//cdn.example/x""#), "{out}");
        let (same, _) = rewrite(html, &settings("/", false)).unwrap();
        assert!(same.contains(r#"href="/impegni/""#), "{same}");
    }

    #[test]
    fn marks_external_links() {
        let html = r#"<a href="https://www.comune.firenze.it/">F</a><a href="https://carta.comune.fi.it/x">S</a>"#;
        let (out, _) = rewrite(html, &settings("/", false)).unwrap();
        assert!(
            out.contains(r#"<a href="https://www.comune.firenze.it/" rel="noopener">F</a>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<a href="https://carta.comune.fi.it/x">S</a>"#),
            "{out}"
        );
        let (out, _) = rewrite(html, &settings("/", true)).unwrap();
        assert!(out.contains(r#"target="_blank""#), "{out}");
        assert!(
            out.contains(
                r#"F <span class="visually-hidden">(si apre in una nuova finestra)</span></a>"#
            ),
            "{out}"
        );
    }

    #[test]
    fn reports_malformed_mailto_and_tel() {
        let html = r#"<a href="mailto:a@comune.fi.it">ok</a><a href="mailto:rotto">x</a><a href="tel:+390553283807">t</a><a href="tel:abc">y</a>"#;
        let (_, problems) = rewrite(html, &settings("/", false)).unwrap();
        assert_eq!(
            problems,
            vec![
                LinkProblem {
                    href: "mailto:rotto".into(),
                    kind: LinkProblemKind::Email
                },
                LinkProblem {
                    href: "tel:abc".into(),
                    kind: LinkProblemKind::Phone
                },
            ]
        );
    }

    #[test]
    fn generated_tables_get_column_labels() {
        let html = "<table class=\"table carta-table\"><caption>C</caption><thead><tr><th scope=\"col\">Servizio</th>\
                    <th scope=\"col\">Utenza</th><th scope=\"col\">Data dell&#x27;atto <span>(gg)</span></th></tr></thead>\
                    <tbody><tr><th scope=\"row\">S</th><td>U</td><td>D</td></tr></tbody></table>\
                    <table><tr><td>Markdown</td></tr></table>";
        let out = rewrite_page(html, &settings("/", false), None)
            .unwrap()
            .html;
        for expected in [
            r#"<tbody><tr><th scope="row">S</th><td data-label="Utenza">U</td>"#,
            r#"<td data-label="Data dell&#x27;atto (gg)">D</td>"#,
            "<table><tr><td>Markdown</td></tr></table>",
        ] {
            assert!(out.contains(expected), "{expected} in {out}");
        }
    }

    #[test]
    fn table_headers_get_scope() {
        let (out, _) = rewrite(
            "<table><thead><tr><th>A</th><th scope=\"row\">B</th></tr></thead></table>",
            &settings("/", false),
        )
        .unwrap();
        assert!(out.contains(r#"<th scope="col">A</th>"#), "{out}");
        assert!(out.contains(r#"<th scope="row">B</th>"#), "{out}");
    }
}
