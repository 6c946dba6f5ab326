//! The allowlist for raw HTML in chapters, applied to the tree a browser builds.
//!
//! A chapter body that holds raw HTML is parsed as a fragment by html5ever with scripting on, as a
//! browser parses it inside the page (so `<noscript>`, `<textarea>`, `<title>` and the other
//! raw-text elements end where a browser ends them, and attribute values arrive entity-decoded).
//! Every element, attribute and URL of that tree must be on the list below; what is not is a
//! [`Problem`] for the caller to report. When there is none, the tree itself is serialised and
//! becomes the published body, so the page holds exactly what was checked.
//!
//! The content carta adds to a body (generated blocks, the scroll region around tables) is not the
//! editor's: the caller replaces it with empty *slot* elements whose names carry a salt the text
//! cannot know, and puts it back into the serialised tree with [`Checked::fill`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, ns};
use scraper::{Html, HtmlTreeSink, Node};

use crate::url_policy::{self, UrlUse};

/// Elements the text may use: structure, phrasing, lists, tables, quotes, edits. Nothing that runs
/// code, loads a document, takes input or restyles the page.
pub const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes any allowed element may carry.
pub const GLOBAL_ATTRIBUTES: &[&str] = &["id", "title", "lang", "dir"];

/// Attributes allowed on some elements only: (element, attribute).
pub const ELEMENT_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("a", "hreflang"),
    ("img", "src"),
    ("img", "alt"),
    ("img", "width"),
    ("img", "height"),
    ("blockquote", "cite"),
    ("q", "cite"),
    ("del", "cite"),
    ("ins", "cite"),
    ("del", "datetime"),
    ("ins", "datetime"),
    ("time", "datetime"),
    ("data", "value"),
    ("ol", "start"),
    ("ol", "reversed"),
    ("ol", "type"),
    ("li", "value"),
    ("td", "colspan"),
    ("td", "rowspan"),
    ("td", "headers"),
    ("th", "colspan"),
    ("th", "rowspan"),
    ("th", "headers"),
    ("th", "scope"),
    ("th", "abbr"),
    ("col", "span"),
    ("colgroup", "span"),
    ("details", "open"),
];

/// Attributes that hold a URL, and what the URL may be.
const URL_ATTRIBUTES: &[(&str, UrlUse)] = &[
    ("href", UrlUse::Link),
    ("cite", UrlUse::Link),
    ("src", UrlUse::Image),
];

/// `class` and `style` are not the text's to set, except for the exact values Markdown itself
/// writes (footnotes, a code block's language, a table column's alignment).
fn fixed_value_allowed(element: &str, attribute: &str, value: &str) -> bool {
    match (element, attribute) {
        ("sup", "class") => matches!(value, "footnote-reference" | "footnote-definition-label"),
        ("div", "class") => value == "footnote-definition",
        ("code", "class") => value.strip_prefix("language-").is_some_and(|language| {
            !language.is_empty()
                && language
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
        }),
        ("th" | "td", "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        _ => false,
    }
}

/// Something in the tree that is not on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the checked text where the element's start tag ends.
    pub line: u64,
    /// The element's name as written (lowercase), for locating it in the source.
    pub element: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// An element that is not on the list (`script`, `noscript`, `svg`, `form`, …).
    Element,
    /// An attribute that is not on the list for this element (`onclick`, `style`, `class`, …).
    Attribute(String),
    /// A URL attribute whose URL is refused.
    Url {
        attribute: String,
        value: String,
        refusal: url_policy::Refusal,
    },
    /// Content carta adds was swallowed by the text's HTML (an element left open, such as a
    /// comment that never ends): the text breaks the page around it.
    Unclosed,
}

/// The result of [`check`]: the problems, and the serialised tree when there are none.
#[derive(Debug)]
pub struct Checked {
    pub problems: Vec<Problem>,
    html: String,
    salt: String,
}

impl Checked {
    /// The checked body, serialised from the tree, with each slot replaced by what `fill` gives
    /// for its number: `(number, closing)` → HTML (the opening or closing part of a wrapper slot,
    /// or the whole content of an empty slot, for which `closing` is never asked).
    pub fn fill(&self, mut content: impl FnMut(usize, bool) -> String) -> String {
        let mut out = String::with_capacity(self.html.len());
        let mut rest = self.html.as_str();
        let open = format!("<carta-slot-{}-", self.salt);
        let close = format!("</carta-slot-{}-", self.salt);
        loop {
            let next_open = rest.find(&open);
            let next_close = rest.find(&close);
            let (at, closing, prefix_len) = match (next_open, next_close) {
                (None, None) => break,
                (Some(o), Some(c)) if c < o => (c, true, close.len()),
                (Some(o), _) => (o, false, open.len()),
                (None, Some(c)) => (c, true, close.len()),
            };
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix_len..];
            let end = after.find('>').unwrap_or(after.len());
            let number: usize = after[..end].parse().unwrap_or(usize::MAX);
            if closing {
                if number & WRAPPER != 0 {
                    out.push_str(&content(number & !WRAPPER, true));
                }
            } else {
                out.push_str(&content(number & !WRAPPER, false));
            }
            rest = &after[(end + 1).min(after.len())..];
        }
        out.push_str(rest);
        out
    }
}

/// Marks a slot number as a wrapper (its content is the text's own).
const WRAPPER: usize = 1 << 30;

/// An empty slot, for content carta adds in the text's place.
pub fn slot(salt: &str, number: usize) -> String {
    format!("<carta-slot-{salt}-{number}></carta-slot-{salt}-{number}>")
}

/// The opening and closing tags of a wrapper slot, around content of the text.
pub fn wrapper_slot(salt: &str, number: usize) -> (String, String) {
    let number = number | WRAPPER;
    (
        format!("<carta-slot-{salt}-{number}>"),
        format!("</carta-slot-{salt}-{number}>"),
    )
}

/// Parses `html` as a browser would inside a page's `<div>` and checks it against the allowlist.
/// `slots` is how many slot numbers (empty and wrapper, counted together from 0) the caller used
/// with this `salt`; each must come out of the parse once, as an element, or the text broke it.
pub fn check(html: &str, salt: &str, slots: usize) -> Checked {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_fragment()),
        line: Cell::new(1),
        lines: RefCell::new(HashMap::new()),
    };
    let context = QualName::new(None, ns!(html), html5ever::local_name!("div"));
    let (mut tree, lines) =
        html5ever::driver::parse_fragment(sink, Default::default(), context, Vec::new(), false)
            .one(html);
    let mut problems = Vec::new();
    let mut seen = vec![0usize; slots];
    let mut comments = Vec::new();
    let slot_prefix = format!("carta-slot-{salt}-");
    let line_of = |id: NodeId| lines.get(&id).copied().unwrap_or(1);
    let root = tree.root_element().id();
    for node in tree.tree.nodes() {
        match node.value() {
            Node::Comment(_) | Node::ProcessingInstruction(_) | Node::Doctype(_) => {
                comments.push(node.id())
            }
            Node::Element(element) => {
                let line = line_of(node.id());
                let name = element.name.local.to_string();
                let problem = |kind| Problem {
                    line,
                    element: name.clone(),
                    kind,
                };
                if node.id() == root {
                    // The fragment's own root: attributes land here from a stray `<html …>`.
                    for (attribute, _) in &element.attrs {
                        problems.push(problem(ProblemKind::Attribute(attribute.local.to_string())));
                    }
                    continue;
                }
                if let Some(number) = name.strip_prefix(&slot_prefix) {
                    let number = number.parse::<usize>().ok().map(|n| n & !WRAPPER);
                    match number.filter(|n| *n < slots) {
                        Some(n) if element.attrs.is_empty() && element.name.ns == ns!(html) => {
                            seen[n] += 1
                        }
                        _ => problems.push(problem(ProblemKind::Element)),
                    }
                    continue;
                }
                if element.name.ns != ns!(html) || !ELEMENTS.contains(&name.as_str()) {
                    problems.push(problem(ProblemKind::Element));
                    continue;
                }
                for (attribute, value) in &element.attrs {
                    if let Some(kind) = check_attribute(&name, attribute, value) {
                        problems.push(problem(kind));
                    }
                }
            }
            Node::Document | Node::Fragment | Node::Text(_) => {}
        }
    }
    if seen.iter().any(|count| *count != 1) {
        // Where the text broke the page is where the last element before the slot opened; the
        // caller knows the slot's place, so the line of the whole text's end is a fair pointer.
        let line = lines.values().copied().max().unwrap_or(1);
        problems.push(Problem {
            line,
            element: String::new(),
            kind: ProblemKind::Unclosed,
        });
    }
    let html = if problems.is_empty() {
        for id in comments {
            if let Some(mut node) = tree.tree.get_mut(id) {
                node.detach();
            }
        }
        tree.root_element().inner_html()
    } else {
        String::new()
    };
    Checked {
        problems,
        html,
        salt: salt.to_string(),
    }
}

fn check_attribute(element: &str, attribute: &QualName, value: &str) -> Option<ProblemKind> {
    let name = attribute.local.as_ref();
    let listed = attribute.ns == ns!()
        && (GLOBAL_ATTRIBUTES.contains(&name) || ELEMENT_ATTRIBUTES.contains(&(element, name)));
    if !listed {
        return (!(attribute.ns == ns!() && fixed_value_allowed(element, name, value)))
            .then(|| ProblemKind::Attribute(attribute_name(attribute)));
    }
    let usage = URL_ATTRIBUTES
        .iter()
        .find(|(url_attribute, _)| *url_attribute == name)
        .map(|(_, usage)| *usage)?;
    url_policy::check(value, usage)
        .err()
        .map(|refusal| ProblemKind::Url {
            attribute: name.to_string(),
            value: value.to_string(),
            refusal,
        })
}

fn attribute_name(attribute: &QualName) -> String {
    match &attribute.prefix {
        Some(prefix) => format!("{prefix}:{}", attribute.local),
        None => attribute.local.to_string(),
    }
}

/// scraper's tree sink, remembering the line on which each element was created.
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    lines: RefCell<HashMap<NodeId, u64>>,
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = (Html, HashMap<NodeId, u64>);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }
    fn parse_error(&self, _msg: std::borrow::Cow<'static, str>) {}
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.lines.borrow_mut().insert(id, self.line.get());
        id
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.lines.borrow_mut().insert(*target, self.line.get());
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
    fn allow_declarative_shadow_roots(&self, _intended_parent: &NodeId) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<(String, ProblemKind)> {
        check(html, "s", 0)
            .problems
            .into_iter()
            .map(|p| (p.element, p.kind))
            .collect()
    }

    #[test]
    fn allowed_html_is_serialised_from_the_tree() {
        let checked = check(
            "<details><summary>Orari</summary><p title=\"a&amp;b\">Lun<br>Mar</p></details><!-- nota -->",
            "s",
            0,
        );
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        assert_eq!(
            checked.fill(|_, _| String::new()),
            "<details><summary>Orari</summary><p title=\"a&amp;b\">Lun<br>Mar</p></details>"
        );
    }

    #[test]
    fn raw_text_elements_end_where_a_browser_ends_them() {
        for tag in [
            "noscript",
            "textarea",
            "title",
            "xmp",
            "noembed",
            "noframes",
            "style",
            "iframe",
            "plaintext",
        ] {
            let html =
                format!("Testo <{tag}><p title=\"</{tag}><img src=x onerror=alert(1)>\"> fine.");
            let found = kinds(&html);
            assert!(
                found.contains(&(tag.to_string(), ProblemKind::Element)),
                "{tag}: {found:?}"
            );
        }
        // With scripting on, `<noscript>` is raw text: the image after it is a real element.
        let found = kinds("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">");
        assert!(
            found.contains(&(
                "img".to_string(),
                ProblemKind::Attribute("onerror".to_string())
            )),
            "{found:?}"
        );
    }

    #[test]
    fn urls_are_read_decoded() {
        for href in [
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#0000106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "java&#10;script:alert(1)",
            "&#x20;javascript:alert(1)",
            "vbscript&#58;x",
            "data:text/html,x",
        ] {
            let found = kinds(&format!("<a href=\"{href}\">x</a>"));
            assert!(
                matches!(found.as_slice(), [(_, ProblemKind::Url { .. })]),
                "{href}: {found:?}"
            );
        }
    }

    #[test]
    fn slots_must_survive_the_text() {
        let body = format!("<p>a</p>{}<p>b</p>", slot("s", 0));
        let checked = check(&body, "s", 1);
        assert!(checked.problems.is_empty());
        assert_eq!(checked.fill(|n, _| format!("[{n}]")), "<p>a</p>[0]<p>b</p>");
        // A comment left open swallows the slot.
        let body = format!("<p>a</p><!-- {}<p>b</p>", slot("s", 0));
        assert_eq!(check(&body, "s", 1).problems[0].kind, ProblemKind::Unclosed);
        // A slot written by the text (the salt guessed) counts twice.
        let body = format!("{}{}", slot("s", 0), slot("s", 0));
        assert_eq!(check(&body, "s", 1).problems[0].kind, ProblemKind::Unclosed);
        let (open, close) = wrapper_slot("s", 1);
        let body = format!(
            "{}{open}<table><tr><td>x</td></tr></table>{close}",
            slot("s", 0)
        );
        let checked = check(&body, "s", 2);
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        assert_eq!(
            checked.fill(|n, closing| format!("[{n}{}]", if closing { "/" } else { "" })),
            "[0][1]<table><tbody><tr><td>x</td></tr></tbody></table>[1/]"
        );
    }
}
