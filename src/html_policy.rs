//! The allowlist for raw HTML in chapters, applied to the tree a browser builds.
//!
//! A chapter body that holds raw HTML is parsed as a fragment by html5ever with scripting on, as a
//! browser parses it inside the page (so `<noscript>`, `<textarea>`, `<title>` and the other
//! raw-text elements end where a browser ends them, and attribute values arrive entity-decoded).
//! Every element, attribute and URL of that tree must be on the list below; what is not is a
//! [`Problem`] for the caller to report. When there is none, the tree itself is serialised and
//! becomes the published body, so the page holds exactly what was checked.
//!
//! How deep elements may nest is bounded ([`MAX_DEPTH`]): a browser's tree builder looks through
//! the open elements at many tags, so its work grows with the depth times the number of tags, and
//! 100,000 nested `<div>` would take minutes. Past the bound the text is refused and the rest of it
//! is only tokenized, which is linear.
//!
//! The content carta adds to a body (generated blocks, the scroll region around tables) is not the
//! editor's: the caller replaces it with empty *slot* elements whose names carry a salt the text
//! cannot know, and puts it back into the serialised tree with [`Checked::fill`].

use std::cell::RefCell;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink, create_element};
use html5ever::{QualName, TokenizerResult, ns};
use scraper::{Html, HtmlTreeSink, Node};

use crate::url_policy::{self, UrlUse};

/// Elements the text may use: structure, phrasing, lists, tables, quotes, edits. Nothing that runs
/// code, loads a document, takes input or restyles the page.
pub(crate) const ELEMENTS: &[&str] = &[
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
pub(crate) const GLOBAL_ATTRIBUTES: &[&str] = &["id", "title", "lang", "dir"];

/// Attributes allowed on some elements only: (element, attribute).
pub(crate) const ELEMENT_ATTRIBUTES: &[(&str, &str)] = &[
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

/// How many elements that need an end tag may be open inside one another in a chapter's raw HTML.
/// A charter needs a few (a table in a list in a `<details>`); the bound keeps parsing linear.
pub(crate) const MAX_DEPTH: usize = 100;

/// Elements whose end tag may be left out or that have none: they do not count towards
/// [`MAX_DEPTH`], since the tree builder closes them itself (a `<p>` closes the open `<p>`).
const SELF_CLOSING_OR_OPTIONAL_END: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "li", "dt", "dd", "p", "rt", "rp", "optgroup", "option", "colgroup", "thead", "tbody",
    "tfoot", "tr", "td", "th", "html", "head", "body",
];

/// Something in the tree that is not on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// 1-based line of the checked text where the element's start tag ends.
    pub line: u64,
    /// The element's name as written (lowercase), for locating it in the source.
    pub element: String,
    pub kind: ProblemKind,
    /// Which `<element` start tag of its line it is (1 for the first), when known; 0 otherwise.
    pub occurrence: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProblemKind {
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
    /// More than [`MAX_DEPTH`] elements open inside one another, at this element.
    TooDeep,
}

/// The result of [`check`]: the problems, and the serialised tree when there are none.
#[derive(Debug)]
pub(crate) struct Checked {
    pub problems: Vec<Problem>,
    html: String,
    salt: String,
}

impl Checked {
    /// The checked body, serialised from the tree, with each slot replaced by what `fill` gives
    /// for its number: `(number, closing)` → HTML (the opening or closing part of a wrapper slot,
    /// or the whole content of an empty slot, for which `closing` is never asked).
    pub(crate) fn fill(&self, mut content: impl FnMut(usize, bool) -> String) -> String {
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
pub(crate) fn slot(salt: &str, number: usize) -> String {
    format!("<carta-slot-{salt}-{number}></carta-slot-{salt}-{number}>")
}

/// The opening and closing tags of a wrapper slot, around content of the text.
pub(crate) fn wrapper_slot(salt: &str, number: usize) -> (String, String) {
    let number = number | WRAPPER;
    (
        format!("<carta-slot-{salt}-{number}>"),
        format!("</carta-slot-{salt}-{number}>"),
    )
}

/// Parses `html` as a browser would inside a page's `<div>` and checks it against the allowlist.
/// `slots` is how many slot numbers (empty and wrapper, counted together from 0) the caller used
/// with this `salt`; each must come out of the parse once, as an element, or the text broke it.
///
/// Every start tag the tokenizer meets is checked, including those the tree builder then ignores
/// (a second `<body>`, a `<frameset>`): nothing on the list is dropped unseen. The tree builder
/// drives the tokenizer as in a browser, so raw-text elements end where they end there.
pub(crate) fn check(html: &str, salt: &str, slots: usize) -> Checked {
    let sink = HtmlTreeSink::new(Html::new_fragment());
    let context = create_element(
        &sink,
        QualName::new(None, ns!(html), html5ever::local_name!("div")),
        Vec::new(),
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, TreeBuilderOpts::default());
    let initial_state = builder.tokenizer_state_for_context_elem(false);
    let tokenizer = Tokenizer::new(
        TagSpy {
            builder,
            tags: RefCell::new(Vec::new()),
            depth: std::cell::Cell::new(0),
            open: RefCell::new(std::collections::HashMap::new()),
            too_deep: RefCell::new(None),
            on_line: RefCell::new((0, std::collections::HashMap::new())),
        },
        TokenizerOpts {
            initial_state: Some(initial_state),
            ..TokenizerOpts::default()
        },
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let TagSpy {
        builder,
        tags,
        too_deep,
        ..
    } = tokenizer.sink;
    if let Some((name, line, occurrence)) = too_deep.into_inner() {
        // The tree stopped at the bound: only the depth is reported, nothing is published.
        return Checked {
            problems: vec![Problem {
                line,
                element: name,
                kind: ProblemKind::TooDeep,
                occurrence,
            }],
            html: String::new(),
            salt: salt.to_string(),
        };
    }
    let mut tree = builder.sink.finish();

    let slot_prefix = format!("carta-slot-{salt}-");
    let mut problems = Vec::new();
    let mut last_line = 1;
    for (tag, line) in tags.into_inner() {
        last_line = line;
        let name = tag.name.to_string();
        let problem = |kind| Problem {
            line,
            element: name.clone(),
            kind,
            occurrence: 0,
        };
        if let Some(number) = name.strip_prefix(&slot_prefix) {
            let known = number
                .parse::<usize>()
                .is_ok_and(|n| (n & !WRAPPER) < slots);
            if !known || !tag.attrs.is_empty() {
                problems.push(problem(ProblemKind::Element));
            }
            continue;
        }
        if !ELEMENTS.contains(&name.as_str()) {
            problems.push(problem(ProblemKind::Element));
            continue;
        }
        for attribute in &tag.attrs {
            if let Some(kind) = check_attribute(&name, &attribute.name, &attribute.value) {
                problems.push(problem(kind));
            }
        }
    }

    // What the tree holds: each slot once, in the HTML namespace (not swallowed by a comment, a
    // raw-text element or foreign content); comments, which are not published.
    let mut seen = vec![0usize; slots];
    let mut comments = Vec::new();
    for node in tree.tree.nodes() {
        match node.value() {
            Node::Comment(_) | Node::ProcessingInstruction(_) | Node::Doctype(_) => {
                comments.push(node.id())
            }
            Node::Element(element) => {
                let number = element
                    .name
                    .local
                    .strip_prefix(&slot_prefix)
                    .and_then(|number| number.parse::<usize>().ok())
                    .map(|number| number & !WRAPPER)
                    .filter(|number| *number < slots);
                if let Some(number) = number
                    && element.name.ns == ns!(html)
                {
                    seen[number] += 1;
                }
            }
            _ => {}
        }
    }
    if seen.iter().any(|count| *count != 1) {
        problems.push(Problem {
            line: last_line,
            element: String::new(),
            kind: ProblemKind::Unclosed,
            occurrence: 0,
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

/// The tree builder, as the tokenizer's sink, with every start tag kept for the check, and the
/// depth of elements that need an end tag counted on the way.
struct TagSpy {
    builder: TreeBuilder<NodeId, HtmlTreeSink>,
    tags: RefCell<Vec<(Tag, u64)>>,
    /// Start tags of elements that need an end tag, less their end tags: at least the depth of
    /// such elements in the tree. Only an end tag whose element is counted open takes one off, so
    /// stray end tags (`<div></span>` repeated) cannot hide the depth.
    depth: std::cell::Cell<usize>,
    /// How many elements of each name are counted open.
    open: RefCell<std::collections::HashMap<String, usize>>,
    /// Where [`MAX_DEPTH`] was passed (element, line, which of its start tags on the line): the
    /// builder has seen nothing since.
    too_deep: RefCell<Option<(String, u64, usize)>>,
    /// The current line and how many start tags of each name it has had so far.
    on_line: RefCell<(u64, std::collections::HashMap<String, usize>)>,
}

impl TokenSink for TagSpy {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        if self.too_deep.borrow().is_some() {
            return TokenSinkResult::Continue;
        }
        if let Token::TagToken(tag) = &token {
            let counted = !SELF_CLOSING_OR_OPTIONAL_END.contains(&tag.name.as_ref());
            match tag.kind {
                TagKind::StartTag => {
                    let occurrence = {
                        let mut on_line = self.on_line.borrow_mut();
                        if on_line.0 != line_number {
                            *on_line = (line_number, std::collections::HashMap::new());
                        }
                        let count = on_line.1.entry(tag.name.to_string()).or_insert(0);
                        *count += 1;
                        *count
                    };
                    if counted {
                        *self
                            .open
                            .borrow_mut()
                            .entry(tag.name.to_string())
                            .or_insert(0) += 1;
                        self.depth.set(self.depth.get() + 1);
                        if self.depth.get() > MAX_DEPTH {
                            *self.too_deep.borrow_mut() =
                                Some((tag.name.to_string(), line_number, occurrence));
                            return TokenSinkResult::Continue;
                        }
                    }
                    self.tags.borrow_mut().push((tag.clone(), line_number));
                }
                TagKind::EndTag if counted => {
                    if let Some(open) = self.open.borrow_mut().get_mut::<str>(&tag.name)
                        && *open > 0
                    {
                        *open -= 1;
                        self.depth.set(self.depth.get().saturating_sub(1));
                    }
                }
                TagKind::EndTag => {}
            }
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fastest of three runs of `check` on `html`.
    fn timed(html: &str) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                let _ = check(html, "s", 0);
                started.elapsed()
            })
            .min()
            .unwrap()
    }

    #[test]
    fn nesting_past_the_bound_is_refused_at_its_tag() {
        let nested = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert!(check(&nested(MAX_DEPTH), "s", 0).problems.is_empty());
        let problems = check(&format!("<p>a\n{}", nested(MAX_DEPTH + 1)), "s", 0).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].kind, ProblemKind::TooDeep);
        assert_eq!(
            (
                problems[0].line,
                problems[0].element.as_str(),
                problems[0].occurrence
            ),
            (2, "div", MAX_DEPTH + 1)
        );
        // Elements the parser closes itself do not count: a thousand paragraphs, list items and
        // cells without end tags are not deep.
        let flat = format!(
            "{}<ul>{}</ul><table>{}</table>",
            "<p>a".repeat(1000),
            "<li>b".repeat(1000),
            "<tr><td>c".repeat(1000)
        );
        assert!(check(&flat, "s", 0).problems.is_empty());
        // Stray end tags of elements that are not open take nothing off.
        let stray = "<div></span>".repeat(MAX_DEPTH + 1);
        let problems = check(&stray, "s", 0).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].kind, ProblemKind::TooDeep);
    }

    #[test]
    fn the_work_is_linear_up_to_the_bound_and_past_it() {
        // Blocks nested just under the bound, N and 2N of them: the parser's scope checks cost
        // at most the bound per tag, so twice the text takes about twice the time.
        let block = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH - 1),
            "</div>".repeat(MAX_DEPTH - 1)
        );
        let (one, two) = (block.repeat(50), block.repeat(100));
        let (t1, t2) = (timed(&one), timed(&two));
        assert!(
            t2 < t1 * 3 + std::time::Duration::from_millis(50),
            "N: {t1:?}, 2N: {t2:?}"
        );
        // Past the bound only the tokenizer runs: 50,000 and 100,000 nested elements.
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let (d1, d2) = (timed(&deep(50_000)), timed(&deep(100_000)));
        assert!(
            d2 < d1 * 3 + std::time::Duration::from_millis(50),
            "50k: {d1:?}, 100k: {d2:?}"
        );
        assert!(d2 < std::time::Duration::from_secs(5), "{d2:?}");
    }

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
