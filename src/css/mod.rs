//! CSS: keeps from a large stylesheet (Bootstrap Italia's) only the rules that can match the
//! site's pages. The only module that uses lightningcss.
//!
//! The rewrite pass collects the [`Vocabulary`] of every built page: element names, classes, ids,
//! attribute names and values. A selector *can match* when every simple selector in it names
//! something the vocabulary holds; pseudo-classes and pseudo-elements do not count (every state is
//! kept: `:hover`, `:focus`, `:checked`, `::before`), nor do `:not()` and the structural ones
//! (`:nth-child`), nor the combinators: a selector whose parts all exist somewhere is kept even if
//! they never stand in that arrangement, so the subset errs on keeping. `:is()`, `:where()` and
//! `:has()` can match when one of their selectors can. Selectors that cannot match are removed from
//! their list and a rule left without selectors goes, inside `@media`, `@supports`, `@container`
//! and `@layer` too (an at-rule left empty goes with it). Then `@font-face` stays only for a family
//! that a kept declaration names (also through a custom property holding a font stack) and
//! `@keyframes` only for an animation a kept declaration runs; other at-rules (`@page`,
//! `@property`, ...) stay. Custom properties on `:root` stay, `--bootstrap-italia-version` with
//! them: lightningcss writes every string with double quotes, the form AGID's site validator reads.
//!
//! [`urls`] lists the addresses a piece of CSS loads (`url()`, `@import`), read by the tokenizer
//! lightningcss itself uses (cssparser), so escapes and comments are read as a browser reads them.

mod index;

use std::collections::{BTreeMap, BTreeSet};

use lightningcss::printer::PrinterOptions;
use lightningcss::properties::animation::AnimationName;
use lightningcss::properties::custom::{Token, TokenList, TokenOrValue};
use lightningcss::properties::font::FontFamily;
use lightningcss::properties::{Property, PropertyId};
use lightningcss::rules::font_face::FontFaceProperty;
use lightningcss::rules::keyframes::KeyframesName;
use lightningcss::rules::{CssRule, CssRuleList};
use lightningcss::selector::{Component, Selector};
use lightningcss::stylesheet::{ParserOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};
use lightningcss::traits::ToCss;
use lightningcss::vendor_prefix::VendorPrefix;

pub(crate) use index::{Index, subset_and_index};
use index::{Need, Operator};

/// What the built pages hold that a selector can name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vocabulary {
    /// Element names, lower case.
    pub(crate) elements: BTreeSet<String>,
    pub(crate) classes: BTreeSet<String>,
    pub(crate) ids: BTreeSet<String>,
    /// Attribute names (lower case), each with every value it has in the pages.
    pub(crate) attributes: BTreeMap<String, BTreeSet<String>>,
}

impl Vocabulary {
    /// The elements every HTML document has, written or not, and those a browser adds by itself
    /// (`tbody` around rows written straight into a `table`).
    pub(crate) fn with_implied_elements() -> Self {
        let mut vocabulary = Self::default();
        for name in ["html", "head", "body", "tbody"] {
            vocabulary.elements.insert(name.to_string());
        }
        vocabulary
    }

    /// Records one element and its attributes (names as written; compared without case).
    pub(crate) fn add_element<N: AsRef<str>, V: AsRef<str>>(
        &mut self,
        name: &str,
        attributes: impl IntoIterator<Item = (N, V)>,
    ) {
        insert(&mut self.elements, &name.to_ascii_lowercase());
        for (attribute, value) in attributes {
            let (attribute, value) = (attribute.as_ref(), value.as_ref());
            // Names from the rewrite pass are lower case already: no copy then.
            let attribute: std::borrow::Cow<'_, str> =
                if attribute.bytes().any(|byte| byte.is_ascii_uppercase()) {
                    attribute.to_ascii_lowercase().into()
                } else {
                    attribute.into()
                };
            match attribute.as_ref() {
                "class" => {
                    for class in value.split_ascii_whitespace() {
                        insert(&mut self.classes, class);
                    }
                }
                "id" if !value.is_empty() => insert(&mut self.ids, value),
                _ => {}
            }
            if VALUES_NOT_RECORDED.contains(&attribute.as_ref()) {
                if !self.attributes.contains_key(attribute.as_ref()) {
                    self.attributes
                        .insert(attribute.into_owned(), BTreeSet::new());
                }
                continue;
            }
            match self.attributes.get_mut(attribute.as_ref()) {
                Some(values) => insert(values, value),
                None => {
                    self.attributes
                        .insert(attribute.into_owned(), BTreeSet::from([value.to_string()]));
                }
            }
        }
    }

    /// Takes in `other`, moving its names rather than copying them. The smaller set is inserted
    /// into the larger one: `BTreeSet::append` rebuilds both, so absorbing every page's
    /// vocabulary into the site's by `append` would cost the site's whole size once per page.
    pub(crate) fn absorb(&mut self, other: Vocabulary) {
        merge(&mut self.elements, other.elements);
        merge(&mut self.classes, other.classes);
        merge(&mut self.ids, other.ids);
        for (name, values) in other.attributes {
            match self.attributes.get_mut(&name) {
                Some(known) => merge(known, values),
                None => {
                    self.attributes.insert(name, values);
                }
            }
        }
    }

    fn has_attribute(&self, name: &str) -> bool {
        self.attributes.contains_key(&name.to_ascii_lowercase())
    }

    /// Whether some value of attribute `name` satisfies `operator expected`. Values are compared
    /// without regard to ASCII case, so `[type=checkbox]` and `[type=checkbox i]` are judged alike
    /// (keeping a rule too many, never one too few).
    fn attribute_matches(&self, name: &str, operator: Operator, expected: &str) -> bool {
        let name = name.to_ascii_lowercase();
        let Some(values) = self.attributes.get(&name) else {
            return false;
        };
        if VALUES_NOT_RECORDED.contains(&name.as_str()) {
            // Some value might match: the rule is kept.
            return true;
        }
        let expected = expected.to_ascii_lowercase();
        values.iter().any(|value| {
            let value = value.to_ascii_lowercase();
            match operator {
                Operator::Equal => value == expected,
                Operator::Includes => {
                    !expected.is_empty() && value.split_ascii_whitespace().any(|t| t == expected)
                }
                Operator::DashMatch => {
                    value == expected || value.starts_with(&format!("{expected}-"))
                }
                Operator::Prefix => !expected.is_empty() && value.starts_with(&expected),
                Operator::Suffix => !expected.is_empty() && value.ends_with(&expected),
                Operator::Substring => !expected.is_empty() && value.contains(&expected),
            }
        })
    }
}

/// Inserts without allocating when `value` is already there (most names repeat on every page).
/// Attributes whose values are text, different on almost every element (a cell's label, an
/// image's description, an id): recording them all costs more than it saves (a link's address,
/// which a stylesheet may well test, `a[href^=mailto]`, is recorded). Their presence is recorded; a selector on one of their values counts as matching
/// whenever the attribute is there, so the subset keeps a rule too many, never one too few.
const VALUES_NOT_RECORDED: &[&str] = &[
    "alt",
    "aria-describedby",
    "aria-label",
    "aria-labelledby",
    "content",
    "data-label",
    "datetime",
    "for",
    "headers",
    "id",
    "src",
    "srcset",
    "style",
    "title",
];

/// Adds `other` to `set`, inserting the smaller of the two into the larger.
fn merge(set: &mut BTreeSet<String>, mut other: BTreeSet<String>) {
    if other.len() > set.len() {
        std::mem::swap(set, &mut other);
    }
    set.extend(other);
}

fn insert(set: &mut BTreeSet<String>, value: &str) {
    if !set.contains(value) {
        set.insert(value.to_string());
    }
}

/// The browsers the printed stylesheet must keep working in: those of Bootstrap 5.3 (on which
/// Bootstrap Italia 2 is built), so lightningcss prints nothing newer than the original has (for
/// example `rgba()` rather than eight-digit hex colours).
fn targets() -> Targets {
    let version = |major: u32| Some(major << 16);
    Targets::from(Browsers {
        android: version(60),
        chrome: version(60),
        edge: version(79),
        firefox: version(60),
        ie: None,
        ios_saf: version(12),
        opera: version(47),
        safari: version(12),
        samsung: version(8),
    })
}

/// Keeps from `css` the rules that can match an element of `vocabulary`, printed minified.
/// `filename` names the stylesheet in errors.
pub(crate) fn subset(css: &str, vocabulary: &Vocabulary, filename: &str) -> Result<String, String> {
    reduce(parse(css, filename)?, vocabulary)
}

/// Parses `css` as a browser reads it. `filename` names the stylesheet in errors.
fn parse<'i>(css: &'i str, filename: &str) -> Result<StyleSheet<'i>, String> {
    // A browser drops the byte order mark when it decodes the file; the parser would read it as
    // part of the first selector (and miss the licence comment before it).
    let css = css.strip_prefix('\u{feff}').unwrap_or(css);
    let options = ParserOptions {
        filename: filename.to_string(),
        error_recovery: true,
        ..ParserOptions::default()
    };
    StyleSheet::parse(css, options).map_err(|error| error.to_string())
}

/// Keeps from `sheet` the rules that can match an element of `vocabulary`, printed minified.
fn reduce(mut sheet: StyleSheet<'_>, vocabulary: &Vocabulary) -> Result<String, String> {
    prune(&mut sheet.rules, vocabulary);
    let mut used = Used::default();
    used.collect(&sheet.rules);
    keep_used(&mut sheet.rules, &used);
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets: targets(),
            ..PrinterOptions::default()
        })
        .map_err(|error| error.to_string())?;
    let mut css = printed.code;
    css.push('\n');
    Ok(css)
}

/// Every class name a selector of `css` names (Bootstrap Italia's own classes, for tests and for
/// measuring how much of a page's markup is Bootstrap Italia's).
pub fn class_names(css: &str) -> Result<BTreeSet<String>, String> {
    let css = css.strip_prefix('\u{feff}').unwrap_or(css);
    let options = ParserOptions {
        error_recovery: true,
        ..ParserOptions::default()
    };
    let sheet = StyleSheet::parse(css, options).map_err(|error| error.to_string())?;
    let mut names = BTreeSet::new();
    visit_style_rules(&sheet.rules, &mut |rule| {
        for selector in rule.selectors.0.iter() {
            selector_classes(selector, &mut names);
        }
    });
    Ok(names)
}

/// Every selector of the style rules of `css` (inside at-rules too), each as the subset prints it.
pub fn selectors(css: &str) -> Result<BTreeSet<String>, String> {
    let css = css.strip_prefix('\u{feff}').unwrap_or(css);
    let options = ParserOptions {
        error_recovery: true,
        ..ParserOptions::default()
    };
    let sheet = StyleSheet::parse(css, options).map_err(|error| error.to_string())?;
    let mut texts = BTreeSet::new();
    let mut failed = None;
    visit_style_rules(&sheet.rules, &mut |rule| {
        for selector in rule.selectors.0.iter() {
            match selector.to_css_string(PrinterOptions {
                minify: true,
                targets: targets(),
                ..PrinterOptions::default()
            }) {
                Ok(text) => {
                    texts.insert(text);
                }
                Err(error) => failed = Some(error.to_string()),
            }
        }
    });
    match failed {
        Some(error) => Err(error),
        None => Ok(texts),
    }
}

fn selector_classes(selector: &Selector<'_>, names: &mut BTreeSet<String>) {
    for component in selector.iter_raw_match_order() {
        match component {
            Component::Class(class) => {
                names.insert(class.0.to_string());
            }
            Component::Negation(list)
            | Component::Is(list)
            | Component::Where(list)
            | Component::Has(list)
            | Component::Any(_, list) => {
                for inner in list.iter() {
                    selector_classes(inner, names);
                }
            }
            _ => {}
        }
    }
}

type StyleRule<'i> = lightningcss::rules::style::StyleRule<'i>;

fn visit_style_rules<'i>(rules: &CssRuleList<'i>, visit: &mut impl FnMut(&StyleRule<'i>)) {
    for rule in &rules.0 {
        match rule {
            CssRule::Style(style) => {
                visit(style);
                visit_style_rules(&style.rules, visit);
            }
            _ => {
                if let Some(inner) = nested(rule) {
                    visit_style_rules(inner, visit);
                }
            }
        }
    }
}

/// The rules inside a grouping at-rule.
fn nested<'a, 'i>(rule: &'a CssRule<'i>) -> Option<&'a CssRuleList<'i>> {
    match rule {
        CssRule::Media(media) => Some(&media.rules),
        CssRule::Supports(supports) => Some(&supports.rules),
        CssRule::Container(container) => Some(&container.rules),
        CssRule::LayerBlock(layer) => Some(&layer.rules),
        CssRule::Scope(scope) => Some(&scope.rules),
        CssRule::StartingStyle(starting) => Some(&starting.rules),
        CssRule::MozDocument(document) => Some(&document.rules),
        CssRule::Nesting(nesting) => Some(&nesting.style.rules),
        _ => None,
    }
}

fn nested_mut<'a, 'i>(rule: &'a mut CssRule<'i>) -> Option<&'a mut CssRuleList<'i>> {
    match rule {
        CssRule::Media(media) => Some(&mut media.rules),
        CssRule::Supports(supports) => Some(&mut supports.rules),
        CssRule::Container(container) => Some(&mut container.rules),
        CssRule::LayerBlock(layer) => Some(&mut layer.rules),
        CssRule::Scope(scope) => Some(&mut scope.rules),
        CssRule::StartingStyle(starting) => Some(&mut starting.rules),
        CssRule::MozDocument(document) => Some(&mut document.rules),
        CssRule::Nesting(nesting) => Some(&mut nesting.style.rules),
        _ => None,
    }
}

/// Removes the selectors that cannot match and the rules left without any.
fn prune(rules: &mut CssRuleList<'_>, vocabulary: &Vocabulary) {
    rules.0.retain_mut(|rule| match rule {
        CssRule::Style(style) => {
            style
                .selectors
                .0
                .retain(|selector| can_match(selector, vocabulary));
            prune(&mut style.rules, vocabulary);
            !style.selectors.0.is_empty()
        }
        CssRule::Nesting(nesting) => {
            let style = &mut nesting.style;
            style
                .selectors
                .0
                .retain(|selector| can_match(selector, vocabulary));
            prune(&mut style.rules, vocabulary);
            !style.selectors.0.is_empty()
        }
        CssRule::Ignored => false,
        other => match nested_mut(other) {
            Some(inner) => {
                prune(inner, vocabulary);
                !inner.0.is_empty()
            }
            None => true,
        },
    });
}

/// Whether every simple selector of `selector` names something the pages hold (what each needs:
/// [`Need::of`]).
fn can_match(selector: &Selector<'_>, vocabulary: &Vocabulary) -> bool {
    Need::of(selector).met_by(vocabulary)
}

/// Font families and animations the kept declarations name.
#[derive(Default)]
struct Used {
    families: BTreeSet<String>,
    animations: BTreeSet<String>,
}

impl Used {
    fn collect(&mut self, rules: &CssRuleList<'_>) {
        visit_style_rules(rules, &mut |rule| {
            let block = &rule.declarations;
            for property in block
                .declarations
                .iter()
                .chain(block.important_declarations.iter())
            {
                self.property(property);
            }
        });
    }

    fn property(&mut self, property: &Property<'_>) {
        match property {
            Property::FontFamily(families) => self.families(families),
            Property::Font(font) => self.families(&font.family),
            Property::AnimationName(names, _) => {
                for name in names.iter() {
                    self.animation(name);
                }
            }
            Property::Animation(animations, _) => {
                for animation in animations.iter() {
                    self.animation(&animation.name);
                }
            }
            // A custom property may hold a font stack or an animation name, used through var().
            Property::Custom(custom) => {
                let Ok(text) = property.value_to_css_string(PrinterOptions::default()) else {
                    return;
                };
                let options = || ParserOptions::default();
                if let Ok(Property::FontFamily(families)) =
                    Property::parse_string(PropertyId::FontFamily, &text, options())
                {
                    self.families(&families);
                }
                if let Ok(Property::AnimationName(names, _)) = Property::parse_string(
                    PropertyId::AnimationName(VendorPrefix::None),
                    &text,
                    options(),
                ) {
                    for name in names.iter() {
                        self.animation(name);
                    }
                }
                self.tokens(&custom.value);
            }
            Property::Unparsed(unparsed) => self.tokens(&unparsed.value),
            _ => {}
        }
    }

    fn families(&mut self, families: &[FontFamily<'_>]) {
        for family in families {
            if let FontFamily::FamilyName(_) = family
                && let Ok(text) = family.to_css_string(PrinterOptions::default())
            {
                self.families.insert(text.to_ascii_lowercase());
            }
        }
    }

    fn animation(&mut self, name: &AnimationName<'_>) {
        match name {
            AnimationName::Ident(ident) => {
                self.animations.insert(ident.0.to_string());
            }
            AnimationName::String(string) => {
                self.animations.insert(string.0.to_string());
            }
            AnimationName::None => {}
        }
    }

    /// Animation names written among other values (`animation: var(--x) spin 1s`).
    fn tokens(&mut self, list: &TokenList<'_>) {
        for token in &list.0 {
            match token {
                TokenOrValue::AnimationName(name) => self.animation(name),
                TokenOrValue::Token(Token::Ident(ident)) => {
                    self.animations.insert(ident.to_string());
                }
                TokenOrValue::Function(function) => self.tokens(&function.arguments),
                TokenOrValue::Var(variable) => {
                    if let Some(fallback) = &variable.fallback {
                        self.tokens(fallback);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Drops `@font-face` and `@keyframes` rules that nothing kept uses.
fn keep_used(rules: &mut CssRuleList<'_>, used: &Used) {
    rules.0.retain_mut(|rule| match rule {
        CssRule::FontFace(face) => face.properties.iter().any(|property| match property {
            FontFaceProperty::FontFamily(family) => family
                .to_css_string(PrinterOptions::default())
                .is_ok_and(|text| used.families.contains(&text.to_ascii_lowercase())),
            _ => false,
        }),
        CssRule::Keyframes(keyframes) => match &keyframes.name {
            KeyframesName::Ident(ident) => used.animations.contains(ident.0.as_ref()),
            KeyframesName::Custom(string) => used.animations.contains(string.as_ref()),
        },
        other => {
            if let Some(inner) = nested_mut(other) {
                keep_used(inner, used);
                !inner.0.is_empty()
            } else {
                true
            }
        }
    });
}

/// Every address `css` (a stylesheet, or a `style` attribute's declarations) would load: the
/// `url()` values, the strings of `src()`, `image()`, `image-set()` and `@import`, decoded by
/// cssparser as a browser decodes them.
pub(crate) fn urls(css: &str) -> Vec<String> {
    let mut input = cssparser::ParserInput::new(css);
    let mut parser = cssparser::Parser::new(&mut input);
    let mut found = Vec::new();
    collect_urls(&mut parser, &mut found, false);
    found
}

/// Walks the tokens of `parser` and its nested blocks; `strings_load` says whether a quoted
/// string here is an address (inside `url()`, `src()`, `image-set()`, after `@import`).
fn collect_urls(
    parser: &mut cssparser::Parser<'_, '_>,
    found: &mut Vec<String>,
    strings_load: bool,
) {
    use cssparser::Token;
    let mut after_import = false;
    while let Ok(token) = parser.next_including_whitespace_and_comments() {
        let mut nested = None;
        match token {
            Token::UnquotedUrl(url) => found.push(url.to_string()),
            Token::QuotedString(text) if strings_load || after_import => {
                found.push(text.to_string())
            }
            Token::AtKeyword(name) => {
                after_import = name.eq_ignore_ascii_case("import");
                continue;
            }
            Token::Function(name) => {
                let loads = [
                    "url",
                    "src",
                    "image",
                    "image-set",
                    "-webkit-image-set",
                    "cross-fade",
                ]
                .iter()
                .any(|known| name.eq_ignore_ascii_case(known));
                nested = Some(loads);
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                nested = Some(false);
            }
            Token::WhiteSpace(_) | Token::Comment(_) => continue,
            _ => {}
        }
        after_import = false;
        if let Some(loads) = nested {
            let _ = parser.parse_nested_block(|inner| {
                collect_urls(inner, found, loads || strings_load);
                Ok::<(), cssparser::ParseError<'_, ()>>(())
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_as_a_browser_reads_them() {
        let css = "a { background: u\\72 l(https://a.example/x.png) } @import 'https://b.example/y.css';\n b { background-image: image-set(\"https://c.example/z.png\" 1x); content: \"https://not.example\" } c { background: url( \"/ok.png\" ) }";
        assert_eq!(
            urls(css),
            vec![
                "https://a.example/x.png",
                "https://b.example/y.css",
                "https://c.example/z.png",
                "/ok.png"
            ]
        );
    }

    fn vocabulary(html: &[(&str, &[(&str, &str)])]) -> Vocabulary {
        let mut vocabulary = Vocabulary::with_implied_elements();
        for (name, attributes) in html {
            vocabulary.add_element(name, attributes.iter().copied());
        }
        vocabulary
    }

    #[test]
    fn rules_whose_selectors_cannot_match_go_and_states_stay() {
        let pages = vocabulary(&[
            ("div", &[("class", "card  card-body"), ("id", "main")]),
            ("a", &[("href", "mailto:x@example.it")]),
            ("input", &[("type", "checkbox")]),
        ]);
        let css = ".card{color:red}.modal{color:blue}.card:hover,.btn:focus{color:green}\
                   #main::before{content:\"x\"}#other{color:red}a[href^=mailto]{color:red}\
                   a[href^=http]{color:blue}[type=checkbox]:checked{color:red}[type=radio]{color:red}\
                   @media (min-width:576px){.card-body{padding:0}.navbar{padding:0}}\
                   @media print{.toast{display:none}}\
                   .card>:not(.x){margin:0}:is(.card,.nope) div{margin:0}:is(.nope) a{margin:0}";
        let out = subset(css, &pages, "test.css").unwrap();
        for kept in [
            ".card{color:red}",
            ".card:hover{color:green}",
            "#main:before",
            "a[href^=mailto]",
            "[type=checkbox]:checked",
            "@media (min-width:576px){.card-body{padding:0}}",
            ".card>:not(.x)",
            ":is(.card,.nope) div",
        ] {
            assert!(out.contains(kept), "{kept} missing from {out}");
        }
        for dropped in [
            ".modal",
            ".btn",
            "#other",
            "href^=http",
            "type=radio",
            ".navbar",
            "@media print",
            ":is(.nope) a",
        ] {
            assert!(!out.contains(dropped), "{dropped} kept in {out}");
        }
    }

    #[test]
    fn font_faces_and_keyframes_stay_only_when_used() {
        let pages = vocabulary(&[("div", &[("class", "spinner text")])]);
        let css = "@font-face{font-family:VideoJS;src:url(v.woff)}\
                   @font-face{font-family:\"Titillium Web\";src:url(t.woff2)}\
                   @font-face{font-family:Lora;src:url(l.woff2)}\
                   :root{--bs-font-sans-serif:\"Titillium Web\",Geneva,sans-serif}\
                   .vjs-icon{font-family:VideoJS}\
                   .text{font-family:var(--bs-font-sans-serif)}\
                   @keyframes spin{to{transform:rotate(360deg)}}\
                   @keyframes grow{to{opacity:1}}\
                   .spinner{animation:spin 1s linear}.progress{animation:grow 1s}";
        let out = subset(css, &pages, "test.css").unwrap();
        assert!(out.contains("Titillium Web"), "{out}");
        assert!(!out.contains("VideoJS"), "{out}");
        assert!(!out.contains("Lora"), "{out}");
        assert!(out.contains("@keyframes spin"), "{out}");
        assert!(!out.contains("@keyframes grow"), "{out}");
    }

    #[test]
    fn the_version_variable_is_kept_double_quoted() {
        let pages = vocabulary(&[]);
        let css = "\u{feff}/*! Bootstrap Italia, BSD-3-Clause */:root{--bootstrap-italia-version: '2.18.3'}:root{--bs-blue:#0066cc}";
        let out = subset(css, &pages, "test.css").unwrap();
        assert!(
            out.starts_with("/*! Bootstrap Italia, BSD-3-Clause */\n:root{--bootstrap-italia-version:\"2.18.3\"}"),
            "the licence comment and the version come first: {out}"
        );
    }

    #[test]
    fn class_names_lists_every_class_a_selector_names() {
        let names = class_names(".a .b:hover,:not(.c)>.d{x:y}@media print{.e{x:y}}").unwrap();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }
}
