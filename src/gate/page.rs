//! One finished page (or the CMS fragment) against the policy, read as a browser reads it by
//! lol_html's tokenizer, in pieces, so the print edition is never whole in memory: no script but
//! JSON-LD data, no event handler, no `javascript:`/`data:` navigation, unique ids, resources only
//! from the allowed origins, and the Content-Security-Policy first in `head`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;

use lol_html::html_content::{Attribute, Element};
use lol_html::{HandlerResult, HtmlRewriter, Settings};

use crate::rewrite::{Handler, Last, element_handler, text_handler};

use super::Policy;
use super::csp::PageKind;

/// Something on a page the policy refuses, with the raw texts that may be found in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) code: &'static str,
    /// What was found, in Italian, for the message.
    pub(crate) what: String,
    /// Texts to look for in the sources, the most telling first.
    pub(crate) needles: Vec<String>,
}

/// What a page must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A whole document: the policy's meta element first in `head`.
    Document(PageKind),
    /// A piece of HTML with no `head` of its own: the CMS fragment (for another site's page), a
    /// part of the print edition.
    Fragment,
}

/// Where the parser is relative to `head`.
#[derive(Default, PartialEq, Eq)]
enum Head {
    #[default]
    Before,
    /// `<head>` was just opened: the next element must be the policy.
    Opened,
    Passed,
}

#[derive(Default)]
struct State {
    findings: Vec<Finding>,
    ids: HashSet<String>,
    head: Head,
    /// The policy's meta element was found first in `head`, with the right content.
    csp: Option<Result<(), String>>,
    /// The text of the `style` element being read.
    style: String,
    /// The beginning of the `script` element being read (for the message and the search).
    script: Option<(String, Vec<String>)>,
}

/// Elements and attributes that navigate (a `javascript:` or `data:` value runs or shows a
/// document of the attacker's).
const NAVIGATIONS: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
];

/// Attributes that load a resource when the page is shown (`srcset` lists several).
const RESOURCES: &[(&str, &str)] = &[
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("object", "data"),
    ("embed", "src"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
    ("feimage", "xlink:href"),
    ("a", "ping"),
    ("area", "ping"),
    ("body", "background"),
    ("table", "background"),
    ("td", "background"),
    ("th", "background"),
    ("base", "href"),
];

/// SVG animations, which can set an attribute (an `href`) to a value of their own.
const ANIMATIONS: &[&str] = &["set", "animate", "animatemotion", "animatetransform"];

/// `link` relations that name a document rather than load anything.
const LINK_NAMES_ONLY: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "help",
    "license",
    "me",
    "next",
    "prev",
    "search",
];

/// The gate's reading of one page or part: lol_html handlers to run last in a pass over it (the
/// rewrite's own, or [`check`]'s), and what they found once the pass is over.
pub(crate) struct Inspector<'p> {
    state: RefCell<State>,
    policy: &'p Policy,
    /// The policy the page must carry first in `head`, for a whole document.
    expected: Option<&'p str>,
    /// The HTML the pass reads, when it is whole in memory: attribute names and values are read
    /// from it instead of copied out one `String` each.
    source: Option<&'p str>,
}

/// What the gate found in one page or part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Inspection {
    pub(crate) findings: Vec<Finding>,
    /// The page's ids, so that the parts of one document are checked together.
    pub(crate) ids: HashSet<String>,
}

impl Inspection {
    /// Adds what a part of the same document holds: an id it shares with another part is a
    /// second use.
    pub(crate) fn add_part(&mut self, part: Inspection) {
        self.findings.extend(part.findings);
        for id in part.ids {
            if self.ids.contains(&id) {
                self.findings.push(Finding {
                    code: "E213",
                    what: format!("id `{id}` usato due volte"),
                    needles: vec![format!("id=\"{id}\""), id.clone()],
                });
            } else {
                self.ids.insert(id);
            }
        }
    }
}

impl<'p> Inspector<'p> {
    pub(crate) fn new(shape: Shape, policy: &'p Policy) -> Self {
        let state = State {
            // A piece of HTML has no head to look for.
            head: match shape {
                Shape::Document(_) => Head::Before,
                Shape::Fragment => Head::Passed,
            },
            ..State::default()
        };
        Inspector {
            state: RefCell::new(state),
            policy,
            expected: match shape {
                Shape::Document(kind) => Some(policy.csp(kind)),
                Shape::Fragment => None,
            },
            source: None,
        }
    }

    /// The inspector of a pass over `source`, all of it in one piece: what the pass reads of an
    /// attribute that no handler before changed is found in `source` at its place.
    pub(crate) fn over(self, source: &'p str) -> Self {
        Inspector {
            source: Some(source),
            ..self
        }
    }

    /// The handlers, to run after every handler that changes the page, so that they see each
    /// element as it is written; with `every_element`, without the one on every element (the
    /// pass calls [`Last::element`] from its own).
    fn own_handlers(&self, every_element: bool) -> Vec<Handler<'_>> {
        let state = &self.state;
        let policy = self.policy;
        let mut handlers = Vec::with_capacity(5);
        if !every_element {
            handlers.push(element_handler!("*", move |el| self.element(el)));
        }
        handlers.extend([
            element_handler!("script", move |el| {
                script_element(el, &mut state.borrow_mut());
                Ok(())
            }),
            element_handler!("meta", move |el| {
                refresh(el, &mut state.borrow_mut());
                Ok(())
            }),
            text_handler!("style", move |chunk| {
                let mut state = state.borrow_mut();
                state.style.push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let css = std::mem::take(&mut state.style);
                    check_css(&css, "<style>", policy, &mut state.findings);
                }
                Ok(())
            }),
            text_handler!("script", move |chunk| {
                let mut state = state.borrow_mut();
                if let Some((start, _)) = state.script.as_mut() {
                    if start.len() < 80 {
                        start.push_str(chunk.as_str());
                    }
                    if chunk.last_in_text_node() {
                        finish_script(&mut state);
                    }
                }
                Ok(())
            }),
        ]);
        handlers
    }

    /// What the handlers found, once the pass is over.
    pub(crate) fn finish(self) -> Inspection {
        let mut state = self.state.into_inner();
        if state.script.is_some() {
            finish_script(&mut state);
        }
        if self.expected.is_some() {
            match state.csp {
                Some(Ok(())) => {}
                Some(Err(found)) => state.findings.push(Finding {
                    code: "E215",
                    what: format!(
                        "la Content-Security-Policy della pagina non è quella di carta: {found}"
                    ),
                    needles: if found.starts_with("il primo elemento") {
                        vec!["<head>".to_string()]
                    } else {
                        vec![
                            found,
                            "Content-Security-Policy".to_string(),
                            "<head>".to_string(),
                        ]
                    },
                }),
                None => state.findings.push(Finding {
                    code: "E215",
                    what: "manca la Content-Security-Policy come primo elemento di <head>"
                        .to_string(),
                    needles: vec!["<head>".to_string()],
                }),
            }
        }
        Inspection {
            findings: state.findings,
            ids: state.ids,
        }
    }
}

impl Last for Inspector<'_> {
    fn handlers(&self, every_element: bool) -> Vec<Handler<'_>> {
        self.own_handlers(every_element)
    }

    fn element(&self, el: &mut Element<'_, '_>) -> HandlerResult {
        on_element(
            el,
            &mut self.state.borrow_mut(),
            self.policy,
            self.expected,
            self.source,
        );
        Ok(())
    }
}

/// Checks one page read from `source`, in pieces (a file the rewrite pass did not read).
pub(crate) fn check(
    source: impl Read,
    shape: Shape,
    policy: &Policy,
) -> std::io::Result<Vec<Finding>> {
    let inspector = Inspector::new(shape, policy);
    let settings = inspector
        .own_handlers(false)
        .into_iter()
        .fold(Settings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let mut source = source;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = source.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        rewriter
            .write(&buffer[..read])
            .map_err(std::io::Error::other)?;
    }
    rewriter.end().map_err(std::io::Error::other)?;
    Ok(inspector.finish().findings)
}

/// A script element ends: only carta's JSON-LD data may be there.
fn finish_script(state: &mut State) {
    if let Some((start, mut needles)) = state.script.take() {
        let start = start.trim().chars().take(60).collect::<String>();
        if !start.is_empty() {
            needles.insert(0, start.clone());
        }
        state.findings.push(Finding {
            code: "E210",
            what: format!("script eseguibile: <script>{start}"),
            needles,
        });
    }
}

fn on_element(
    el: &mut Element<'_, '_>,
    state: &mut State,
    policy: &Policy,
    expected: Option<&str>,
    source: Option<&str>,
) {
    // The tag name is read only where it matters: it costs an allocation for every element.
    let mut name = None;
    if state.head != Head::Passed {
        let tag = el.tag_name();
        match state.head {
            Head::Opened => {
                state.head = Head::Passed;
                if let Some(expected) = expected {
                    state.csp = Some(csp_of(el, &tag, expected));
                }
            }
            Head::Before if tag == "head" => state.head = Head::Opened,
            _ => {}
        }
        name = Some(tag);
    }
    let mut rel: Option<Option<String>> = None;
    for attribute in el.attributes() {
        let attribute_name = attribute_name(attribute, source);
        // Most attributes (class, alt, aria-*) can do nothing the policy is about: their values
        // are not even read.
        if !may_matter(&attribute_name) {
            continue;
        }
        let raw = attribute_value(attribute, source);
        if attribute_name == "id" {
            // An id is only ever a second use: no element's name is needed for it.
            check_id(&raw, state);
            continue;
        }
        let name = name.get_or_insert_with(|| el.tag_name());
        // Only the link element's relation changes what its `href` does.
        let rel = rel.get_or_insert_with(|| {
            (name == "link")
                .then(|| el.get_attribute("rel"))
                .flatten()
                .map(|value| super::decode_attribute(&value).to_ascii_lowercase())
        });
        on_attribute(name, &attribute_name, &raw, rel.as_deref(), state, policy);
    }
}

/// An attribute's name, ASCII-lowercased as lol_html's `name()` gives it: read from `source`
/// when the attribute is there as written (no handler before changed it), so that the names of
/// the about one million attributes of a large site are not each copied into a new `String`.
fn attribute_name<'a>(attribute: &'a Attribute<'_>, source: Option<&'a str>) -> Cow<'a, str> {
    let name = match attribute
        .name_source_location()
        .and_then(|location| source?.get(location.bytes()))
    {
        Some(name) if name.bytes().any(|byte| byte.is_ascii_uppercase()) => {
            Cow::Owned(name.to_ascii_lowercase())
        }
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(attribute.name()),
    };
    debug_assert_eq!(name, attribute.name(), "the name as lol_html reads it");
    name
}

/// An attribute's value as written (character references not decoded), read from `source` as
/// its name is in [`attribute_name`].
fn attribute_value<'a>(attribute: &'a Attribute<'_>, source: Option<&'a str>) -> Cow<'a, str> {
    let value = match attribute
        .value_source_location()
        .and_then(|location| source?.get(location.bytes()))
    {
        Some(value) => Cow::Borrowed(value),
        None => Cow::Owned(attribute.value()),
    };
    debug_assert_eq!(value, attribute.value(), "the value as lol_html reads it");
    value
}

/// An `id` attribute written `raw`: a second use of the same id on the page is refused.
fn check_id(raw: &str, state: &mut State) {
    let value = super::decode_attribute(raw);
    if state.ids.contains(value.as_ref()) {
        state.findings.push(Finding {
            code: "E213",
            what: format!("id `{value}` usato due volte"),
            needles: attribute_needles("id", raw),
        });
    } else {
        state.ids.insert(value.into_owned());
    }
}

/// Whether an attribute named `attribute` can run script, navigate, load something, or is an id:
/// every other attribute passes whatever its value.
fn may_matter(attribute: &str) -> bool {
    attribute.starts_with("on")
        || matches!(
            attribute,
            "srcdoc"
                | "id"
                | "style"
                | "href"
                | "xlink:href"
                | "src"
                | "srcset"
                | "action"
                | "formaction"
                | "data"
                | "poster"
                | "ping"
                | "background"
                | "to"
                | "from"
                | "by"
                | "values"
        )
}

/// One attribute of element `name` (`rel` is the element's, decoded and lowercased).
fn on_attribute(
    name: &str,
    attribute: &str,
    raw: &str,
    rel: Option<&str>,
    state: &mut State,
    policy: &Policy,
) {
    let needles = || attribute_needles(attribute, raw);
    if attribute.starts_with("on") || attribute == "srcdoc" {
        let what = if attribute == "srcdoc" {
            format!("documento incorporato (`srcdoc`) in <{name}>")
        } else {
            format!("attributo di evento `{attribute}` su <{name}>")
        };
        state.findings.push(Finding {
            code: if attribute == "srcdoc" {
                "E210"
            } else {
                "E211"
            },
            what,
            needles: needles(),
        });
        return;
    }
    let value = super::decode_attribute(raw);
    if attribute == "style" {
        check_css(
            &value,
            &format!("style su <{name}>"),
            policy,
            &mut state.findings,
        );
    }
    let pair = (name, attribute);
    let svg_link = attribute == "xlink:href" || (attribute == "href" && name != "link");
    let animated =
        ANIMATIONS.contains(&name) && matches!(attribute, "to" | "from" | "by" | "values");
    let navigates = NAVIGATIONS.contains(&pair) || svg_link || animated;
    if let Some(scheme) = navigates.then(|| super::runs_or_shows(&value)).flatten() {
        state.findings.push(Finding {
            code: "E212",
            what: format!("indirizzo `{scheme}:` in {attribute} di <{name}>"),
            needles: needles(),
        });
        return;
    }
    let loads = RESOURCES.contains(&pair)
        || (name == "link"
            && attribute == "href"
            && !rel.is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .all(|one| LINK_NAMES_ONLY.contains(&one))
            }));
    if loads {
        let urls: Vec<&str> = if attribute.ends_with("srcset") {
            srcset_urls(&value)
        } else if attribute == "ping" {
            value.split_ascii_whitespace().collect()
        } else {
            vec![value.as_ref()]
        };
        for url in urls {
            if let Some(why) = policy.foreign(url) {
                state.findings.push(Finding {
                    code: "E214",
                    what: format!("<{name} {attribute}> carica {why}"),
                    needles: needles(),
                });
            }
        }
    }
}

/// A `<meta http-equiv="refresh">` whose address runs or shows a document.
fn refresh(el: &lol_html::html_content::Element<'_, '_>, state: &mut State) {
    let value = |wanted: &str| {
        el.get_attribute(wanted)
            .map(|value| super::decode_attribute(&value).to_string())
    };
    if !value("http-equiv").is_some_and(|equiv| equiv.eq_ignore_ascii_case("refresh")) {
        return;
    }
    let content = value("content").unwrap_or_default();
    let target = content
        .split_once([';', ','])
        .map(|(_, rest)| rest.trim_start())
        .unwrap_or("");
    let target = target
        .strip_prefix("url=")
        .or_else(|| target.strip_prefix("URL="))
        .unwrap_or(target)
        .trim_matches(['\'', '"']);
    if let Some(scheme) = super::runs_or_shows(target) {
        state.findings.push(Finding {
            code: "E212",
            what: format!("indirizzo `{scheme}:` in un <meta http-equiv=\"refresh\">"),
            needles: vec![content.clone(), "refresh".to_string()],
        });
    }
}

fn script_element(el: &lol_html::html_content::Element<'_, '_>, state: &mut State) {
    let data_block = el.namespace_uri() == "http://www.w3.org/1999/xhtml"
        && el.get_attribute("type").is_some_and(|kind| {
            super::decode_attribute(&kind)
                .trim()
                .eq_ignore_ascii_case("application/ld+json")
        })
        && !el.has_attribute("src");
    if state.script.is_some() {
        // The one before had no text the handler saw.
        finish_script(state);
    }
    if data_block {
        return;
    }
    let mut needles = Vec::new();
    if let Some(src) = el.get_attribute("src") {
        needles.push(src);
    }
    needles.push("<script".to_string());
    if el.is_self_closing() || el.namespace_uri() != "http://www.w3.org/1999/xhtml" {
        // An SVG script may have no text the handler sees: report it now.
        state.script = Some((String::new(), needles));
        finish_script(state);
    } else {
        state.script = Some((String::new(), needles));
    }
}

/// Whether `el`, the first element of `head`, is the policy `expected`: `Err` with what was found.
fn csp_of(
    el: &lol_html::html_content::Element<'_, '_>,
    name: &str,
    expected: &str,
) -> Result<(), String> {
    let is_policy = name == "meta"
        && el.get_attribute("http-equiv").is_some_and(|equiv| {
            super::decode_attribute(&equiv).eq_ignore_ascii_case("content-security-policy")
        });
    if !is_policy {
        return Err(format!("il primo elemento di <head> è <{name}>"));
    }
    let content = el.get_attribute("content").unwrap_or_default();
    if super::decode_attribute(&content) == expected {
        Ok(())
    } else {
        Err(content)
    }
}

/// The addresses of a `srcset`: the first word of each candidate.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_ascii_whitespace().next())
        .collect()
}

/// Every address a piece of CSS loads, against the policy.
fn check_css(css: &str, place: &str, policy: &Policy, findings: &mut Vec<Finding>) {
    for url in crate::css::urls(css) {
        if let Some(why) = policy.foreign(&url) {
            findings.push(Finding {
                code: "E214",
                what: format!("il CSS di {place} carica {why}"),
                needles: vec![url.clone()],
            });
        }
    }
}

/// The texts an attribute may have in its source: as written with either quote, its value, its
/// name.
fn attribute_needles(attribute: &str, raw: &str) -> Vec<String> {
    let mut needles = vec![
        format!("{attribute}=\"{raw}\""),
        format!("{attribute}='{raw}'"),
        format!("{attribute}={raw}"),
    ];
    if raw.len() >= 4 {
        needles.push(raw.to_string());
    }
    needles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy::new(
            "https://carta.comune.example.it/",
            &["https://video.example.it".to_string()],
            false,
        )
    }

    fn codes(html: &str, shape: Shape) -> Vec<&'static str> {
        check(html.as_bytes(), shape, &policy())
            .unwrap()
            .into_iter()
            .map(|finding| finding.code)
            .collect()
    }

    fn page(head: &str, body: &str) -> String {
        let csp = policy().csp(PageKind::Site).replace('\'', "&#39;");
        format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">{head}</head><body>{body}</body></html>"
        )
    }

    /// A page's body smuggling one thing past the policy, and the code it gets.
    const DOORS: &[(&str, &str)] = &[
        ("<script>alert(1)</script>", "E210"),
        ("<svg><script href=\"/x.js\"/></svg>", "E210"),
        (
            "<script type=\"application/ld+json\" src=\"/x.json\"></script>",
            "E210",
        ),
        ("<img src=\"/x.png\" alt=\"\" onerror=\"a()\">", "E211"),
        ("<a href=\"jav&#x61;script:a()\">x</a>", "E212"),
        ("<a href=\" java\tscript:a()\">x</a>", "E212"),
        ("<a href=\"data:text/html,x\">x</a>", "E212"),
        (
            "<svg><a xlink:href=\"javascript:a()\"><text>x</text></a></svg>",
            "E212",
        ),
        ("<p id=\"main\">x</p><div id=\"main\"></div>", "E213"),
        (
            "<img src=\"https://tracker.example/p.gif\" alt=\"\">",
            "E214",
        ),
        ("<img src=\"//tracker.example/p.gif\" alt=\"\">", "E214"),
        (
            "<img srcset=\"/a.png 1x, https://t.example/b.png 2x\" alt=\"\">",
            "E214",
        ),
        ("<img src=\"data:image/png;base64,AAAA\" alt=\"\">", "E214"),
        (
            "<p style=\"background:url(https://t.example/b.png)\">x</p>",
            "E214",
        ),
        ("<style>@import 'https://t.example/x.css';</style>", "E214"),
        ("<video poster=\"https://t.example/p.jpg\"></video>", "E214"),
        (
            "<iframe title=\"x\" srcdoc=\"&lt;p&gt;x\"></iframe>",
            "E210",
        ),
        ("<base href=\"https://t.example/\">", "E214"),
        (
            "<svg><a><set attributeName=\"href\" to=\"javascript:a()\"/><text>x</text></a></svg>",
            "E212",
        ),
        ("<IMG SRC=\"/x.png\" ALT=\"\" OnError=\"a()\">", "E211"),
        ("<A HREF=\"JavaScript:a()\">x</A>", "E212"),
        ("<p ID=\"main\">x</p><div id=\"main\"></div>", "E213"),
    ];

    #[test]
    fn a_clean_page_passes() {
        let html = page(
            "<script type=\"application/ld+json\">{\"a\":1}</script><link rel=\"stylesheet\" href=\"/a.css\"><link rel=\"canonical\" href=\"https://elsewhere.example/\">",
            "<main id=\"main\"><img src=\"/x.png\" alt=\"\"><a href=\"https://www.example.org/\">x</a><iframe title=\"v\" src=\"https://video.example.it/v\"></iframe><td style=\"text-align: left\"></td></main>",
        );
        assert_eq!(
            codes(&html, Shape::Document(PageKind::Site)),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn every_door_is_found() {
        for (body, code) in DOORS {
            let html = page("", body);
            assert_eq!(
                codes(&html, Shape::Document(PageKind::Site)),
                vec![*code],
                "{body}"
            );
        }
    }

    /// In the rewrite pass the gate reads the page's own text where no handler changed an
    /// attribute (and lol_html's copy where one did: the link rebased under `/carta/`), from its
    /// own handler on every element or from the vocabulary's: it finds what it finds alone.
    #[test]
    fn the_rewrite_pass_reads_as_the_gate_alone() {
        let policy = policy();
        for (root, vocabulary) in [
            ("/", false),
            ("/", true),
            ("/carta/", false),
            ("/carta/", true),
        ] {
            let settings = crate::rewrite::RewriteSettings {
                root: root.to_string(),
                own_hosts: Vec::new(),
                new_window: false,
                new_window_hint: String::new(),
                collect_vocabulary: vocabulary,
            };
            let linked = [("<a href=\"/x/\" onclick=\"a()\">x</a>", "E211")];
            for (body, code) in DOORS.iter().chain(&linked) {
                let html = page("", body);
                let inspector =
                    Inspector::new(Shape::Document(PageKind::Site), &policy).over(&html);
                crate::rewrite::rewrite_page(&html, &settings, Some(&inspector)).unwrap();
                let found: Vec<&str> = inspector
                    .finish()
                    .findings
                    .iter()
                    .map(|finding| finding.code)
                    .collect();
                assert_eq!(found, vec![*code], "{body} under {root}, {vocabulary}");
            }
        }
    }

    #[test]
    fn the_policy_must_come_first_and_be_carta_s() {
        let missing =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>";
        assert_eq!(
            codes(missing, Shape::Document(PageKind::Site)),
            vec!["E215"]
        );
        let weakened = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\"></head><body></body></html>";
        assert_eq!(
            codes(weakened, Shape::Document(PageKind::Site)),
            vec!["E215"]
        );
        // A fragment has no head of its own.
        assert_eq!(codes("<p>x</p>", Shape::Fragment), Vec::<&str>::new());
    }

    /// The parts of one document (the print edition's chapters) are read one by one: an id two
    /// parts share is found when they are put together.
    #[test]
    fn parts_of_one_document_share_their_ids() {
        let policy = policy();
        let read = |html: &str| {
            let inspector = Inspector::new(Shape::Fragment, &policy);
            crate::rewrite::rewrite_page(
                html,
                &crate::rewrite::RewriteSettings {
                    root: "/".to_string(),
                    own_hosts: Vec::new(),
                    new_window: false,
                    new_window_hint: String::new(),
                    collect_vocabulary: false,
                },
                Some(&inspector),
            )
            .unwrap();
            inspector.finish()
        };
        let mut document = read("<h2 id=\"a\">x</h2><p id=\"b\">y</p>");
        assert!(document.findings.is_empty());
        document.add_part(read("<h2 id=\"c\">x</h2>"));
        assert!(document.findings.is_empty());
        document.add_part(read(
            "<h2 id=\"b\">x</h2><img src=\"https://t.example/p.gif\" alt=\"\">",
        ));
        let codes: Vec<&str> = document.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["E214", "E213"]);
    }
}
