//! The index of a stylesheet: its rules, each printed once as the subset prints it, with what each
//! selector needs of the pages ([`Need`]) and which fonts and animations each rule's declarations
//! use. Made from one parse of the stylesheet, it gives for any [`Vocabulary`] the same bytes as
//! [`super::subset`] without parsing again, so that a build only matches its vocabulary.
//!
//! An index is made only for what it models exactly: a stylesheet with nested style rules (CSS
//! nesting) or a rule whose printed form cannot be cut into its selectors and its block has none,
//! and is reduced by a fresh parse every time. [`Index::build`] checks what it made against the
//! printed stylesheet, and [`subset_and_index`] against the subset of the first vocabulary.

use std::collections::{BTreeSet, HashSet};

use lightningcss::printer::PrinterOptions;
use lightningcss::rules::font_face::FontFaceProperty;
use lightningcss::rules::keyframes::KeyframesName;
use lightningcss::rules::{CssRule, CssRuleList};
use lightningcss::selector::{Component, Selector};
use lightningcss::stylesheet::StyleSheet;
use lightningcss::traits::ToCss;
use parcel_selectors::attr::{AttrSelectorOperator, ParsedAttrSelectorOperation};
use serde::{Deserialize, Serialize};

use super::{Used, Vocabulary};

/// A stylesheet's rules, ready to be matched against a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Index {
    /// The licence comments, printed.
    head: String,
    rules: Vec<Node>,
}

/// One rule of the stylesheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Node {
    /// A style rule: each selector printed with what it needs; the block printed, with the font
    /// families and animations its declarations name.
    #[serde(rename = "s")]
    Style {
        selectors: Vec<(String, Need)>,
        block: String,
        families: Vec<String>,
        animations: Vec<String>,
    },
    /// A grouping at-rule (`@media`, `@supports`…): printed before and after the rules it keeps;
    /// it goes when it keeps none.
    #[serde(rename = "g")]
    Group {
        open: String,
        close: String,
        rules: Vec<Node>,
    },
    /// `@font-face`, kept for a family a kept declaration names.
    #[serde(rename = "f")]
    FontFace { families: Vec<String>, text: String },
    /// `@keyframes`, kept for an animation a kept declaration runs.
    #[serde(rename = "k")]
    Keyframes { name: String, text: String },
    /// Any other rule (`@page`, `@property`…), always kept.
    #[serde(rename = "o")]
    Other(String),
}

/// What a selector needs of the pages to be able to match (see [`super::can_match`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Need {
    /// Every one of these.
    #[serde(rename = "all")]
    All(Vec<Need>),
    /// One of these (`:is()`, `:where()`, `:has()`, `:nth-child(… of …)`).
    #[serde(rename = "any")]
    Any(Vec<Need>),
    /// An element of this name (lower case).
    #[serde(rename = "e")]
    Element(String),
    #[serde(rename = "c")]
    Class(String),
    #[serde(rename = "i")]
    Id(String),
    /// An attribute of this name, whatever its value.
    #[serde(rename = "a")]
    Attribute(String),
    /// An attribute with a value that satisfies `operator value`.
    #[serde(rename = "v")]
    Value {
        name: String,
        operator: Operator,
        value: String,
    },
    /// Nothing can give it (a shadow tree, an impossible attribute selector).
    #[serde(rename = "x")]
    Never,
}

/// The operators of attribute selectors, as lightningcss's own type has no serde form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Operator {
    Equal,
    Includes,
    DashMatch,
    Prefix,
    Suffix,
    Substring,
}

impl Operator {
    fn of(operator: AttrSelectorOperator) -> Operator {
        match operator {
            AttrSelectorOperator::Equal => Operator::Equal,
            AttrSelectorOperator::Includes => Operator::Includes,
            AttrSelectorOperator::DashMatch => Operator::DashMatch,
            AttrSelectorOperator::Prefix => Operator::Prefix,
            AttrSelectorOperator::Suffix => Operator::Suffix,
            AttrSelectorOperator::Substring => Operator::Substring,
        }
    }
}

impl Need {
    /// What `selector` needs: every simple selector in it (see [`super::can_match`]).
    pub(crate) fn of(selector: &Selector<'_>) -> Need {
        Need::All(
            selector
                .iter_raw_match_order()
                .filter_map(component_need)
                .collect(),
        )
    }

    /// Whether the pages of `vocabulary` give it.
    pub(crate) fn met_by(&self, vocabulary: &Vocabulary) -> bool {
        match self {
            Need::All(needs) => needs.iter().all(|need| need.met_by(vocabulary)),
            Need::Any(needs) => needs.iter().any(|need| need.met_by(vocabulary)),
            Need::Element(name) => vocabulary.elements.contains(name),
            Need::Class(class) => vocabulary.classes.contains(class),
            Need::Id(id) => vocabulary.ids.contains(id),
            Need::Attribute(name) => vocabulary.has_attribute(name),
            Need::Value {
                name,
                operator,
                value,
            } => vocabulary.attribute_matches(name, *operator, value),
            Need::Never => false,
        }
    }
}

/// What one simple selector needs; `None` for what every page has (combinators, namespaces, `*`,
/// `:not()`, `:root`, `:nth-*()`, every other pseudo-class and pseudo-element, `&`).
fn component_need(component: &Component<'_>) -> Option<Need> {
    let any =
        |selectors: &[Selector<'_>]| Some(Need::Any(selectors.iter().map(Need::of).collect()));
    match component {
        Component::LocalName(name) => Some(Need::Element(name.lower_name.0.to_string())),
        Component::ID(id) => Some(Need::Id(id.0.to_string())),
        Component::Class(class) => Some(Need::Class(class.0.to_string())),
        Component::AttributeInNoNamespaceExists {
            local_name_lower, ..
        } => Some(Need::Attribute(local_name_lower.0.to_ascii_lowercase())),
        Component::AttributeInNoNamespace {
            local_name,
            operator,
            value,
            never_matches,
            ..
        } => Some(if *never_matches {
            Need::Never
        } else {
            Need::Value {
                name: local_name.0.to_ascii_lowercase(),
                operator: Operator::of(*operator),
                value: value.0.to_string(),
            }
        }),
        Component::AttributeOther(attribute) => Some(if attribute.never_matches {
            Need::Never
        } else {
            let name = attribute.local_name_lower.0.to_ascii_lowercase();
            match &attribute.operation {
                ParsedAttrSelectorOperation::Exists => Need::Attribute(name),
                ParsedAttrSelectorOperation::WithValue {
                    operator,
                    expected_value,
                    ..
                } => Need::Value {
                    name,
                    operator: Operator::of(*operator),
                    value: expected_value.0.to_string(),
                },
            }
        }),
        Component::Is(list) | Component::Where(list) | Component::Any(_, list) => any(list),
        Component::Has(list) => any(list),
        Component::NthOf(data) => any(data.selectors()),
        // Shadow trees: the pages have none.
        Component::Slotted(_) | Component::Part(_) | Component::Host(_) => Some(Need::Never),
        _ => None,
    }
}

/// The subset's printer: minified, for the browsers of Bootstrap 5.
fn printer() -> PrinterOptions<'static> {
    PrinterOptions {
        minify: true,
        targets: super::targets(),
        ..PrinterOptions::default()
    }
}

fn print(item: &impl ToCss) -> Option<String> {
    item.to_css_string(printer()).ok()
}

impl Index {
    /// The index of `sheet`, as parsed and not yet reduced; `None` when it has what the index
    /// does not model, or when the index does not print the whole stylesheet as lightningcss does.
    pub(crate) fn build(sheet: &mut StyleSheet<'_>) -> Option<Index> {
        let rules = std::mem::replace(&mut sheet.rules, CssRuleList(Vec::new()));
        let head = sheet.to_css(printer()).ok().map(|printed| printed.code);
        sheet.rules = rules;
        let index = Index {
            head: head?,
            rules: nodes(&sheet.rules)?,
        };
        let whole = sheet.to_css(printer()).ok()?.code;
        (index.print_all() == whole).then_some(index)
    }

    /// The rules that can match an element of `vocabulary`, printed as [`super::subset`] prints
    /// them.
    pub(crate) fn subset(&self, vocabulary: &Vocabulary) -> String {
        let matcher = Matcher::new(vocabulary);
        let mut used = Used::default();
        let mut kept = Vec::new();
        gather(&self.rules, &matcher, &mut used, &mut kept);
        let mut css = self.head.clone();
        emit(&self.rules, &used, &mut kept.into_iter(), &mut css);
        css.push('\n');
        css
    }

    /// Every rule, as if every selector could match: the stylesheet as lightningcss prints it.
    fn print_all(&self) -> String {
        fn all(nodes: &[Node], out: &mut String) {
            for node in nodes {
                match node {
                    Node::Style {
                        selectors, block, ..
                    } => {
                        let texts: Vec<&str> = selectors.iter().map(|(t, _)| t.as_str()).collect();
                        out.push_str(&texts.join(","));
                        out.push_str(block);
                    }
                    Node::Group { open, close, rules } => {
                        out.push_str(open);
                        all(rules, out);
                        out.push_str(close);
                    }
                    Node::FontFace { text, .. } | Node::Keyframes { text, .. } => {
                        out.push_str(text)
                    }
                    Node::Other(text) => out.push_str(text),
                }
            }
        }
        let mut out = self.head.clone();
        all(&self.rules, &mut out);
        out
    }
}

/// The nodes of `rules`; `None` for a rule the index does not model.
fn nodes(rules: &CssRuleList<'_>) -> Option<Vec<Node>> {
    let mut nodes = Vec::with_capacity(rules.0.len());
    for rule in &rules.0 {
        let node = match rule {
            CssRule::Ignored => continue,
            CssRule::Style(style) => {
                if !style.rules.0.is_empty() || !style.vendor_prefix.is_empty() {
                    return None;
                }
                let selectors = style
                    .selectors
                    .0
                    .iter()
                    .map(|selector| Some((print(selector)?, Need::of(selector))))
                    .collect::<Option<Vec<_>>>()?;
                let texts: Vec<&str> = selectors.iter().map(|(t, _)| t.as_str()).collect();
                let printed = print(rule)?;
                let block = printed.strip_prefix(&texts.join(","))?.to_string();
                if !block.starts_with('{') {
                    return None;
                }
                let mut used = Used::default();
                let declarations = &style.declarations;
                for property in declarations
                    .declarations
                    .iter()
                    .chain(declarations.important_declarations.iter())
                {
                    used.property(property);
                }
                Node::Style {
                    selectors,
                    block,
                    families: used.families.into_iter().collect(),
                    animations: used.animations.into_iter().collect(),
                }
            }
            CssRule::FontFace(face) => Node::FontFace {
                families: face
                    .properties
                    .iter()
                    .filter_map(|property| match property {
                        // Printed as `keep_used` prints it, to compare alike.
                        FontFaceProperty::FontFamily(family) => family
                            .to_css_string(PrinterOptions::default())
                            .ok()
                            .map(|text| text.to_ascii_lowercase()),
                        _ => None,
                    })
                    .collect(),
                text: print(rule)?,
            },
            CssRule::Keyframes(keyframes) => Node::Keyframes {
                name: match &keyframes.name {
                    KeyframesName::Ident(ident) => ident.0.to_string(),
                    KeyframesName::Custom(string) => string.to_string(),
                },
                text: print(rule)?,
            },
            CssRule::Nesting(_) | CssRule::NestedDeclarations(_) => return None,
            other => match super::nested(other) {
                Some(inner) => group(other, inner)?,
                None => Node::Other(print(other)?),
            },
        };
        nodes.push(node);
    }
    Some(nodes)
}

/// A grouping rule: what it prints around its rules (the whole rule printed is that, its rules
/// printed, and `}`; an `@media` that always matches prints its rules alone).
fn group(rule: &CssRule<'_>, inner: &CssRuleList<'_>) -> Option<Node> {
    let whole = print(rule)?;
    let rules = print(inner)?;
    let (open, close) = if whole == rules {
        (String::new(), String::new())
    } else {
        let open = whole.strip_suffix('}')?.strip_suffix(rules.as_str())?;
        (open.to_string(), "}".to_string())
    };
    Some(Node::Group {
        open,
        close,
        rules: nodes(inner)?,
    })
}

/// A vocabulary looked up by hash: an index asks it once for each of thousands of selectors.
struct Matcher<'a> {
    vocabulary: &'a Vocabulary,
    elements: HashSet<&'a str>,
    classes: HashSet<&'a str>,
    ids: HashSet<&'a str>,
}

impl<'a> Matcher<'a> {
    fn new(vocabulary: &'a Vocabulary) -> Self {
        let set = |names: &'a BTreeSet<String>| names.iter().map(String::as_str).collect();
        Matcher {
            vocabulary,
            elements: set(&vocabulary.elements),
            classes: set(&vocabulary.classes),
            ids: set(&vocabulary.ids),
        }
    }

    /// [`Need::met_by`], faster.
    fn met(&self, need: &Need) -> bool {
        match need {
            Need::All(needs) => needs.iter().all(|need| self.met(need)),
            Need::Any(needs) => needs.iter().any(|need| self.met(need)),
            Need::Element(name) => self.elements.contains(name.as_str()),
            Need::Class(class) => self.classes.contains(class.as_str()),
            Need::Id(id) => self.ids.contains(id.as_str()),
            other => other.met_by(self.vocabulary),
        }
    }
}

/// Decides every selector once, in order, into `kept`; and gathers the fonts and animations of
/// the style rules that keep one.
fn gather(nodes: &[Node], matcher: &Matcher<'_>, used: &mut Used, kept: &mut Vec<bool>) {
    for node in nodes {
        match node {
            Node::Style {
                selectors,
                families,
                animations,
                ..
            } => {
                let before = kept.len();
                kept.extend(selectors.iter().map(|(_, need)| matcher.met(need)));
                if kept[before..].contains(&true) {
                    used.families.extend(families.iter().cloned());
                    used.animations.extend(animations.iter().cloned());
                }
            }
            Node::Group { rules, .. } => gather(rules, matcher, used, kept),
            _ => {}
        }
    }
}

/// Prints the kept rules of `nodes` into `out`, taking the decisions of [`gather`] in the same
/// order; returns how many rules it kept.
fn emit(
    nodes: &[Node],
    used: &Used,
    kept: &mut impl Iterator<Item = bool>,
    out: &mut String,
) -> usize {
    let mut count = 0;
    for node in nodes {
        match node {
            Node::Style {
                selectors, block, ..
            } => {
                let mut first = true;
                for (text, _) in selectors {
                    if !kept.next().unwrap_or(false) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    out.push_str(text);
                    first = false;
                }
                if !first {
                    out.push_str(block);
                    count += 1;
                }
            }
            Node::Group { open, close, rules } => {
                let mark = out.len();
                out.push_str(open);
                if emit(rules, used, kept, out) > 0 {
                    out.push_str(close);
                    count += 1;
                } else {
                    out.truncate(mark);
                }
            }
            Node::FontFace { families, text } => {
                if families.iter().any(|family| used.families.contains(family)) {
                    out.push_str(text);
                    count += 1;
                }
            }
            Node::Keyframes { name, text } => {
                if used.animations.contains(name) {
                    out.push_str(text);
                    count += 1;
                }
            }
            Node::Other(text) => {
                out.push_str(text);
                count += 1;
            }
        }
    }
    count
}

/// Parses `css` once: the subset for `vocabulary`, and the stylesheet's index when it models the
/// stylesheet and gives the same subset.
pub(crate) fn subset_and_index(
    css: &str,
    vocabulary: &Vocabulary,
    filename: &str,
) -> Result<(String, Option<Index>), String> {
    let mut sheet = super::parse(css, filename)?;
    let index = Index::build(&mut sheet);
    let subset = super::reduce(sheet, vocabulary)?;
    let index = index.filter(|index| index.subset(vocabulary) == subset);
    Ok((subset, index))
}

/// Every class, id, element and attribute the stylesheet's selectors name (to test an index
/// against vocabularies that keep a great deal of it).
#[cfg(test)]
fn named(nodes: &[Node], into: &mut BTreeSet<String>) {
    fn walk(need: &Need, into: &mut BTreeSet<String>) {
        match need {
            Need::All(needs) | Need::Any(needs) => needs.iter().for_each(|n| walk(n, into)),
            Need::Class(class) => {
                into.insert(class.clone());
            }
            _ => {}
        }
    }
    for node in nodes {
        match node {
            Node::Style { selectors, .. } => selectors.iter().for_each(|(_, n)| walk(n, into)),
            Node::Group { rules, .. } => named(rules, into),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(classes: &[&str]) -> Vocabulary {
        let mut vocabulary = Vocabulary::with_implied_elements();
        for element in [
            "div", "a", "p", "ul", "li", "input", "button", "span", "nav",
        ] {
            vocabulary.add_element(
                element,
                [("class", classes.join(" ")), ("type", "checkbox".into())],
            );
        }
        vocabulary
    }

    const SHEET: &str = "\u{feff}/*! licence */:root{--x:\"Titillium Web\"}\
        @font-face{font-family:\"Titillium Web\";src:url(t.woff2)}@font-face{font-family:Lora;src:url(l.woff2)}\
        .a,.b:hover,#c{color:red}.d{font-family:var(--x);animation:spin 1s}\
        @media (min-width:576px){.a{padding:0}.z{padding:1px}@keyframes grow{to{opacity:1}}}\
        @media all{.b{margin:0}}@supports (display:grid){.z{display:grid}}\
        @keyframes spin{to{transform:rotate(1turn)}}[type=checkbox]:checked{color:blue}\
        :is(.a,.nope) p,:where(.nope) a{margin:0}@page{margin:1cm}";

    #[test]
    fn the_index_gives_the_subsets_bytes_for_every_vocabulary() {
        let none = vocabulary(&[]);
        let (_, index) = subset_and_index(SHEET, &none, "t.css").unwrap();
        let index = index.expect("the sheet is modelled");
        for classes in [
            &[][..],
            &["a"],
            &["b", "d"],
            &["z"],
            &["a", "b", "d", "z", "nope"],
        ] {
            let vocabulary = vocabulary(classes);
            let fresh = super::super::subset(SHEET, &vocabulary, "t.css").unwrap();
            assert_eq!(index.subset(&vocabulary), fresh, "{classes:?}");
        }
        let mut classes = BTreeSet::new();
        named(&index.rules, &mut classes);
        assert!(
            classes.contains("nope") && classes.contains("z"),
            "{classes:?}"
        );
    }

    #[test]
    fn nesting_is_not_indexed() {
        let css = ".a{color:red;.b{color:blue}}";
        let (subset, index) = subset_and_index(css, &vocabulary(&["a", "b"]), "t.css").unwrap();
        assert!(index.is_none());
        assert!(subset.contains(".a"), "{subset}");
    }
}
