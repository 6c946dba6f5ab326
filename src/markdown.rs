//! Markdown → HTML for chapter bodies, with pulldown-cmark.
//!
//! CommonMark plus tables, footnotes and strikethrough. Headings get stable Italian-aware ids and
//! feed the page's table of contents; a paragraph that is only `{{ name }}` becomes a generated
//! block; links to other chapter files become links to their pages. Every link passes
//! [`url_policy`]; a body that holds raw HTML is checked by [`html_policy`] on the tree a browser
//! builds, and whatever is not on its allowlist is a located error (`E150`), never silently
//! dropped. This module knows nothing of templates or files.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::forms;
use crate::html_policy::{self, ProblemKind};
use crate::model::FrontMatter;
use crate::slug::{UniqueIds, slugify};
use crate::source::{FileId, SourceMap};
use crate::url_policy::{self, UrlUse};

/// Names of the generated blocks a chapter may place with `{{ name }}`.
pub(crate) const BLOCK_NAMES: [&str; 6] = crate::blocks::NAMES;

/// A heading of the body, for the page's "in this page" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocEntry {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
}

/// The HTML of a body, its headings, and the problems found while rendering it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Shared: a chapter's page and the print edition publish the same body without a copy.
    pub html: std::sync::Arc<String>,
    pub(crate) toc: Vec<TocEntry>,
    /// Problems of the body: the lint's, unknown blocks, HTML outside the allowlist (`E150`).
    pub diagnostics: Vec<Diagnostic>,
    /// Blocks placed by this body, in order.
    pub(crate) blocks_used: Vec<String>,
    /// For each block placed, in order: its name and the id of the heading it follows (none when
    /// it comes before the first heading). The print edition links to a block through it.
    pub(crate) block_headings: Vec<(String, Option<String>)>,
    /// Every link and image of the body that `carta check` can follow, in order.
    pub(crate) links: Vec<LinkUse>,
}

/// A link or image of a chapter, with where its destination is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkUse {
    /// Byte offset in the chapter file of the destination (or of the link when not found).
    pub(crate) offset: usize,
    /// Length of the destination in characters.
    pub(crate) len: u32,
    pub(crate) target: LinkTarget,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// A page of this site: a root-relative path such as `/impegni/` (or `None` for the chapter's
    /// own page), with an optional `#anchor`.
    Page {
        path: Option<String>,
        anchor: Option<String>,
    },
    /// A path relative to the chapter's page (`immagine.png`, `../impegni/`).
    Relative {
        path: String,
        anchor: Option<String>,
    },
    /// An `http://` or `https://` address on another site.
    External(String),
}

/// Where the body comes from and what it may refer to.
pub struct Source<'a> {
    /// The registered files, to place diagnostics in the body's file.
    pub sources: &'a SourceMap,
    /// The file the body is in; diagnostics point into it, from `body_offset` on.
    pub file: FileId,
    /// Byte offset of the body within the file.
    pub body_offset: usize,
    /// The chapter's front matter, when the body is a chapter's: the lint reads its title and
    /// `sections`.
    pub front: Option<&'a FrontMatter>,
}

/// What a body can link to or embed.
pub struct Links<'a> {
    /// Chapter file name (`02-descrizione-del-servizio.md`) → page URL (`/descrizione-del-servizio/`).
    pub chapter_urls: &'a BTreeMap<String, String>,
    /// Block name → rendered HTML, for the blocks whose data exists, with headings for a place
    /// under a section heading (`##`).
    pub blocks: &'a dyn BlockHtml,
    /// The same blocks with headings one level up, for a place before the chapter's first
    /// section heading: a chapter without sections skips no heading level either.
    pub blocks_before_sections: &'a BTreeMap<String, String>,
    /// Label of the scroll region around a table under a section heading, with `{section}` for
    /// the section's title (see `ChapterWords`).
    pub table_label: &'a str,
    /// Label of the scroll region around a table before the chapter's first section heading.
    pub table_label_no_section: &'a str,
}

impl Links<'_> {
    /// The HTML of block `name` for its place: before the first section heading or under one.
    pub(crate) fn block(&self, name: &str, before_sections: bool) -> Option<&String> {
        if before_sections {
            self.blocks_before_sections.get(name)
        } else {
            self.blocks.html(name)
        }
    }
}

/// The generated blocks a body can place: their names, and the HTML of each, which may be made
/// only when a body first asks for it (bodies are rendered in parallel).
pub trait BlockHtml: Sync {
    /// The HTML of block `name`; `None` when there is no such block.
    fn html(&self, name: &str) -> Option<&String>;
    /// The names of the blocks there are, in order.
    fn names(&self) -> Vec<&str>;
}

impl BlockHtml for BTreeMap<String, String> {
    fn html(&self, name: &str) -> Option<&String> {
        self.get(name)
    }

    fn names(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

/// The pulldown-cmark extensions a body may use: tables, footnotes and strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Content carta adds to a body, which the body's own HTML must leave intact.
enum Trusted {
    /// A generated block, in place of its `{{ name }}` paragraph.
    Block(String),
    /// The scroll region around a table: its opening and closing tags.
    Region(String),
}

/// A piece of the body's own raw HTML: where it went in the rendered events, and where it is
/// written in the body.
struct RawSpan {
    event: usize,
    body: std::ops::Range<usize>,
}

/// Renders a chapter body. Problems are returned in [`Rendered::diagnostics`]; the HTML is still
/// produced so later problems can be found in the same run (with raw HTML that breaks the
/// allowlist shown as text, so even that HTML is safe).
pub fn render(body: &str, source: &Source<'_>, links: &Links<'_>) -> Rendered {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let out = Rendered {
        diagnostics: crate::lint::lint_events(
            &events,
            source.sources,
            source.file,
            source.body_offset,
            source.front,
        ),
        ..Rendered::default()
    };
    // Only a body with raw HTML needs the HTML parser: without it, pulldown-cmark escapes every
    // text and writes only its own elements, and every link has passed the URL policy.
    let has_raw_html = events
        .iter()
        .any(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    let mut walk = Walk {
        source,
        links,
        salt: if has_raw_html {
            salt_of(body)
        } else {
            String::new()
        },
        has_raw_html,
        out,
        trusted: Vec::new(),
        placed: 0,
        raw: Vec::new(),
        ids: UniqueIds::new(),
        numbers: Numbers::of(source.front),
        section: String::new(),
        output: Vec::with_capacity(events.len()),
    };
    let mut index = 0;
    while index < events.len() {
        index = walk.event(&events, index);
    }
    let Walk {
        mut out,
        output,
        raw,
        trusted,
        salt,
        ..
    } = walk;
    let html = if has_raw_html {
        checked_html(
            output,
            &raw,
            &trusted,
            &salt,
            body,
            source,
            &mut out.diagnostics,
        )
    } else {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, output.into_iter());
        html
    };
    out.html = std::sync::Arc::new(html);
    out
}

/// The state of one pass over a body's events: what is written so far and what carta added.
struct Walk<'s, 'e> {
    source: &'s Source<'s>,
    links: &'s Links<'s>,
    salt: String,
    has_raw_html: bool,
    out: Rendered,
    trusted: Vec<Trusted>,
    /// Generated blocks placed so far: bounded by [`MAX_BLOCKS_PER_CHAPTER`].
    placed: usize,
    raw: Vec<RawSpan>,
    ids: UniqueIds,
    numbers: Numbers<'s>,
    /// The current section's title, for the label of a table's region.
    section: String,
    output: Vec<Event<'e>>,
}

type Events<'e> = [(Event<'e>, std::ops::Range<usize>)];

impl<'e> Walk<'_, 'e> {
    /// Writes the event at `index` (with what belongs to it) and returns the index of the next.
    fn event(&mut self, events: &Events<'e>, index: usize) -> usize {
        let (event, range) = &events[index];
        match event {
            Event::Start(Tag::Heading { level, .. }) => return self.heading(events, index, *level),
            Event::Start(Tag::Paragraph) => {
                let end = find_end(events, index, |e| {
                    matches!(e, Event::End(TagEnd::Paragraph))
                });
                if let Some(name) = block_marker(&events[index + 1..end]) {
                    self.block(name, range);
                    return end + 1;
                }
                self.output.push(event.clone());
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw.push(RawSpan {
                    event: self.output.len(),
                    body: range.clone(),
                });
                self.output.push(event.clone());
            }
            Event::Start(Tag::Table(_)) => {
                self.open_table_region();
                self.output.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                self.output.push(event.clone());
                let close = match self
                    .trusted
                    .iter()
                    .rposition(|t| matches!(t, Trusted::Region(_)))
                {
                    Some(number) if self.has_raw_html => {
                        html_policy::wrapper_slot(&self.salt, number).1
                    }
                    _ => "</div>".to_string(),
                };
                self.output.push(Event::Html(CowStr::from(close)));
            }
            other => {
                let checked =
                    check_event(other.clone(), range, self.source, self.links, &mut self.out);
                self.output.push(checked);
            }
        }
        index + 1
    }

    /// A heading: carta's number and a unique id, its text checked; returns the index after it.
    fn heading(&mut self, events: &Events<'e>, index: usize, level: HeadingLevel) -> usize {
        let end = find_end(events, index, |e| {
            matches!(e, Event::End(TagEnd::Heading(_)))
        });
        let written = plain_text(&events[index + 1..end]);
        let level_number = heading_number(level);
        let heading = self.numbers.heading(level_number, &written);
        self.section.clone_from(&heading.text);
        let id = self.ids.unique(&slugify(&heading.words));
        if level_number >= 2 {
            self.out.toc.push(TocEntry {
                level: level_number,
                id: id.clone(),
                text: heading.text.clone(),
            });
        }
        open_heading(level, id, &heading, &mut self.ids, &mut self.output);
        let mut strip = heading.typed.map(str::len);
        for (inner, inner_range) in &events[index + 1..end] {
            // The typed number is not shown: carta's number takes its place.
            if let (Some(len), Event::Text(text)) = (strip.take(), inner)
                && let Some(rest) = text.get(len..)
            {
                self.output
                    .push(Event::Text(CowStr::from(rest.to_string())));
                continue;
            }
            if matches!(inner, Event::InlineHtml(_)) {
                self.raw.push(RawSpan {
                    event: self.output.len(),
                    body: inner_range.clone(),
                });
            }
            let checked = check_event(
                inner.clone(),
                inner_range,
                self.source,
                self.links,
                &mut self.out,
            );
            self.output.push(checked);
        }
        self.output.push(events[end].0.clone());
        end + 1
    }

    /// A `{{ name }}` paragraph: the generated block in its place, up to the bound.
    fn block(&mut self, name: &str, range: &std::ops::Range<usize>) {
        self.placed += 1;
        if self.placed > MAX_BLOCKS_PER_CHAPTER {
            // Each block is a whole table or list: past the bound, no more are made.
            if self.placed == MAX_BLOCKS_PER_CHAPTER + 1 {
                self.out
                    .diagnostics
                    .push(too_many_blocks(range, self.source));
            }
            return;
        }
        match self.links.block(name, self.out.toc.is_empty()) {
            Some(html) => {
                if self.has_raw_html {
                    let slot = html_policy::slot(&self.salt, self.trusted.len());
                    self.output.push(Event::Html(CowStr::from(slot)));
                    self.trusted.push(Trusted::Block(html.clone()));
                } else {
                    self.output.push(Event::Html(CowStr::from(html.clone())));
                }
                self.out.blocks_used.push(name.to_string());
                let heading = self.out.toc.last().map(|entry| entry.id.clone());
                self.out.block_headings.push((name.to_string(), heading));
            }
            None => self
                .out
                .diagnostics
                .push(unknown_block(name, range, self.source)),
        }
    }

    /// A wide table scrolls inside its own labelled, focusable region, not the page.
    fn open_table_region(&mut self) {
        let label = if self.section.is_empty() {
            self.links.table_label_no_section.to_string()
        } else {
            self.links.table_label.replace("{section}", &self.section)
        };
        let region = format!(
            "<div class=\"table-responsive carta-table-region\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
            escape_attribute(&label)
        );
        if self.has_raw_html {
            let (open, _) = html_policy::wrapper_slot(&self.salt, self.trusted.len());
            self.output.push(Event::Html(CowStr::from(open)));
            self.trusted.push(Trusted::Region(region));
        } else {
            self.output.push(Event::Html(CowStr::from(region)));
        }
    }
}

/// A salt for the slot names of a body: derived from the body, so the build stays deterministic,
/// and unknowable to the body's author, who would have to write the hash of the text into itself.
fn salt_of(body: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body.as_bytes());
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Checks a body with raw HTML against the allowlist and returns the HTML to publish: the checked
/// tree, serialised, with carta's own content put back into its slots. Problems become `E150`
/// diagnostics at the raw HTML they come from; the body is then published with its raw HTML shown
/// as text.
fn checked_html(
    output: Vec<Event<'_>>,
    raw: &[RawSpan],
    trusted: &[Trusted],
    salt: &str,
    body: &str,
    source: &Source<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let mut document = String::new();
    pulldown_cmark::html::push_html(&mut document, output.iter().cloned());
    let checked = html_policy::check(&document, salt, trusted.len());
    let part = |number: usize, closing: bool| match (trusted.get(number), closing) {
        (Some(Trusted::Block(html)), _) => html.clone(),
        (Some(Trusted::Region(open)), false) => open.clone(),
        (Some(Trusted::Region(_)), true) => "</div>".to_string(),
        (None, _) => String::new(),
    };
    if checked.problems.is_empty() {
        return checked.fill(part);
    }
    let locator = RawLocator::new(&document, raw, &output, body);
    for problem in &checked.problems {
        let at = locator.locate(problem);
        diagnostics.push(policy_diagnostic(problem).at_offset(
            source.sources,
            source.file,
            source.body_offset + at,
            1,
        ));
    }
    // Safe to show while the errors are fixed: the text's HTML as text, carta's content in place.
    let raw_events: std::collections::BTreeSet<usize> = raw.iter().map(|span| span.event).collect();
    let shown = output
        .into_iter()
        .enumerate()
        .map(|(index, event)| match event {
            Event::Html(html) | Event::InlineHtml(html) if raw_events.contains(&index) => {
                Event::Text(html)
            }
            other => other,
        });
    let mut escaped = String::new();
    pulldown_cmark::html::push_html(&mut escaped, shown);
    html_policy::check(&escaped, salt, trusted.len()).fill(part)
}

/// Finds where in the body an element of the checked document was written.
struct RawLocator<'a> {
    document: &'a str,
    /// Byte offset in the document where each line starts.
    line_starts: Vec<usize>,
    /// (offset in the document, text as rendered, range in the body) of each raw piece.
    pieces: Vec<(usize, &'a str, std::ops::Range<usize>)>,
    body: &'a str,
}

impl<'a> RawLocator<'a> {
    fn new(document: &'a str, raw: &[RawSpan], output: &'a [Event<'a>], body: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(document.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        // Raw HTML is written out verbatim and in order, so each piece is found after the last.
        let mut cursor = 0;
        let mut pieces = Vec::with_capacity(raw.len());
        for span in raw {
            if let Some(Event::Html(text) | Event::InlineHtml(text)) = output.get(span.event) {
                let text: &str = text;
                if let Some(at) = document[cursor..].find(text) {
                    pieces.push((cursor + at, text, span.body.clone()));
                    cursor += at + text.len();
                }
            }
        }
        RawLocator {
            document,
            line_starts,
            pieces,
            body,
        }
    }

    /// The byte offset in the body of the problem's element: the last `<name` written at or
    /// before the end of the line where the parser met it.
    fn locate(&self, problem: &html_policy::Problem) -> usize {
        if let Some(at) = self.nth_on_line(problem) {
            return at;
        }
        let line = usize::try_from(problem.line).unwrap_or(usize::MAX);
        let line_end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.document.len());
        let needle = format!("<{}", problem.element);
        let before: Vec<&(usize, &str, std::ops::Range<usize>)> = self
            .pieces
            .iter()
            .filter(|(at, _, _)| *at < line_end)
            .collect();
        for (at, text, range) in before.iter().rev() {
            if problem.element.is_empty() {
                break;
            }
            let visible = &text[..text.len().min(line_end - at)];
            if let Some(found) = rfind_ignore_case(visible, &needle) {
                let written = self.body.get(range.clone()).unwrap_or("");
                return range.start
                    + if written == *text {
                        found
                    } else {
                        rfind_ignore_case(written, &needle).unwrap_or(0)
                    };
            }
        }
        before
            .last()
            .or(self.pieces.first().as_ref())
            .map_or(0, |(_, _, range)| range.start)
    }
}

impl RawLocator<'_> {
    /// The byte offset in the body of the problem's `<element` start tag that is the
    /// `occurrence`-th of its line, when the problem says which and the text has it as written.
    fn nth_on_line(&self, problem: &html_policy::Problem) -> Option<usize> {
        let line = usize::try_from(problem.line).ok()?;
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.document.len());
        let needle = format!("<{}", problem.element);
        let mut left = problem.occurrence;
        if left == 0 || problem.element.is_empty() {
            return None;
        }
        for (at, text, range) in &self.pieces {
            if at + text.len() <= start || *at >= end {
                continue;
            }
            let from = start.saturating_sub(*at);
            let to = (end - at).min(text.len());
            let visible = text.get(from..to)?.to_ascii_lowercase();
            let exact = self.body.get(range.clone()) == Some(*text);
            for (found, _) in visible.match_indices(&needle) {
                left -= 1;
                if left == 0 {
                    return Some(range.start + if exact { from + found } else { 0 });
                }
            }
        }
        None
    }
}

fn rfind_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().rfind(needle)
}

/// The `E150` for a problem found by the allowlist, with a hint that says what to do.
fn policy_diagnostic(problem: &html_policy::Problem) -> Diagnostic {
    let element = &problem.element;
    let (message, hint) = match &problem.kind {
        ProblemKind::Element => (
            format!("HTML non ammesso nel testo: <{element}>"),
            if matches!(
                element.as_str(),
                "script" | "style" | "iframe" | "object" | "embed" | "frame" | "frameset" | "noscript" | "template" | "link" | "meta" | "base"
            ) {
                "il testo dei capitoli non può contenere script, stili o contenuti incorporati: togli il tag".to_string()
            } else {
                "nei capitoli sono ammessi solo gli elementi HTML di testo, elenchi, tabelle e citazioni elencati in docs/content.md § 5.6: togli il tag o scrivi la parte in Markdown".to_string()
            },
        ),
        ProblemKind::Attribute(attribute) => (
            format!("attributo HTML non ammesso: {attribute}=\"…\" su <{element}>"),
            if attribute.starts_with("on") {
                "gli attributi on… eseguono codice: toglilo".to_string()
            } else if matches!(attribute.as_str(), "style" | "class") {
                "l'aspetto della pagina lo decide il tema: togli l'attributo".to_string()
            } else {
                "gli attributi ammessi sono elencati in docs/content.md § 5.6: togli l'attributo".to_string()
            },
        ),
        ProblemKind::Url {
            attribute,
            value,
            refusal,
        } => (
            format!(
                "{} in {attribute} di <{element}>: `{}`",
                refusal.describe(),
                value.chars().take(60).collect::<String>()
            ),
            URL_HINT.to_string(),
        ),
        ProblemKind::TooDeep => (
            format!(
                "HTML annidato troppo in profondità: <{element}> è dentro più di {} elementi aperti uno dentro l'altro",
                html_policy::MAX_DEPTH
            ),
            "chiudi gli elementi che apri (ogni <div> con il suo </div>): un capitolo non ha bisogno di più di qualche livello".to_string(),
        ),
        ProblemKind::Unclosed => (
            "l'HTML del testo lascia aperto un commento o un elemento che ingoia le tabelle o i blocchi generati da carta".to_string(),
            "chiudi ogni commento (<!-- … -->) e ogni elemento che apri, prima della fine del capitolo".to_string(),
        ),
    };
    if problem.kind == ProblemKind::TooDeep {
        return Diagnostic::error("E221", message).with_hint(hint);
    }
    Diagnostic::error("E150", message).with_hint(hint)
}

/// What a refused link should be instead.
pub(crate) const URL_HINT: &str = "un link deve portare a una pagina (https://…), a un altro capitolo (file .md), a un indirizzo email (mailto:, al più con subject e body) o a un telefono (tel:)";

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders a short Markdown text from a data file (such as the charter's summary). Raw HTML is
/// shown as text, never interpreted: strings from YAML are always escaped.
pub(crate) fn render_text(text: &str) -> String {
    let events = Parser::new_ext(text, options()).map(|mut event| {
        let usage = match &event {
            Event::Start(Tag::Image { .. }) => UrlUse::Image,
            _ => UrlUse::Link,
        };
        match &mut event {
            Event::Html(html) | Event::InlineHtml(html) => {
                return Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
            // Validation reports these (`E150`); nothing refused is ever written.
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if url_policy::check(dest_url, usage).is_err() =>
            {
                *dest_url = CowStr::Borrowed("#");
            }
            _ => {}
        }
        event
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The destinations of a short Markdown text's links and images that the URL policy refuses,
/// with why: validation reports them for data files.
pub(crate) fn refused_urls(text: &str) -> Vec<(String, url_policy::Refusal)> {
    Parser::new_ext(text, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => url_policy::check(&dest_url, UrlUse::Link)
                .err()
                .map(|refusal| (dest_url.to_string(), refusal)),
            Event::Start(Tag::Image { dest_url, .. }) => {
                url_policy::check(&dest_url, UrlUse::Image)
                    .err()
                    .map(|refusal| (dest_url.to_string(), refusal))
            }
            _ => None,
        })
        .collect()
}

/// Checks one event that is not a heading, paragraph start or HTML block; may rewrite link targets.
fn check_event<'e>(
    event: Event<'e>,
    range: &std::ops::Range<usize>,
    source: &Source<'_>,
    links: &Links<'_>,
    out: &mut Rendered,
) -> Event<'e> {
    match event {
        Event::Text(text) if text.contains("{{") && text.contains("}}") => {
            out.diagnostics.push(
                Diagnostic::error("E153", "segnaposto di blocco dentro una frase: non viene sostituito")
                    .at_offset(source.sources, source.file, source.body_offset + range.start, (range.end - range.start).min(80) as u32)
                    .with_hint("metti il blocco, per esempio {{ contatti }}, da solo su una riga, con una riga vuota prima e dopo"),
            );
            Event::Text(text)
        }
        mut other => {
            let usage = match &other {
                Event::Start(Tag::Image { .. }) => UrlUse::Image,
                _ => UrlUse::Link,
            };
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                &mut other
            {
                let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                let (offset, len) = destination_span(source, range, &dest);
                *dest_url = if climbs_out(&dest, offset, len, source, &mut out.diagnostics) {
                    dest
                } else if let Err(refusal) = url_policy::check(&dest, usage) {
                    out.diagnostics.push(
                        Diagnostic::error(
                            "E150",
                            format!(
                                "{} nel link: `{}`",
                                refusal.describe(),
                                dest.chars().take(60).collect::<String>()
                            ),
                        )
                        .at_offset(source.sources, source.file, offset, len.max(1))
                        .with_hint(URL_HINT),
                    );
                    // Never written, even while the error waits to be fixed.
                    CowStr::Borrowed("#")
                } else {
                    let resolved =
                        check_link(dest, range.start, source, links, &mut out.diagnostics);
                    if let Some(target) = link_target(&resolved) {
                        out.links.push(LinkUse {
                            offset,
                            len,
                            target,
                        });
                    }
                    resolved
                };
            }
            other
        }
    }
}

fn check_link<'e>(
    dest: CowStr<'e>,
    offset: usize,
    source: &Source<'_>,
    links: &Links<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CowStr<'e> {
    if let Some(address) = dest.strip_prefix("mailto:") {
        let address = address.split('?').next().unwrap_or("");
        if !forms::is_email(address) {
            diagnostics.push(
                Diagnostic::error(
                    "E132",
                    format!("indirizzo email non valido nel link: `{address}`"),
                )
                .at_offset(source.sources, source.file, source.body_offset + offset, 1)
                .with_hint("scrivi [nome@dominio.it](mailto:nome@dominio.it)"),
            );
        }
        return dest;
    }
    if let Some(address) = dest.strip_prefix("tel:") {
        if forms::is_phone(address) {
            // `tel:055 3283807` becomes `tel:+390553283807`: spaces are not allowed in the URI.
            return CowStr::from(format!("tel:{}", forms::tel_uri_number(address)));
        } else {
            diagnostics.push(
                Diagnostic::error(
                    "E133",
                    format!("numero di telefono non valido nel link: `{address}`"),
                )
                .at_offset(source.sources, source.file, source.body_offset + offset, 1)
                .with_hint("scrivi [055 1234567](tel:+390551234567)"),
            );
        }
        return dest;
    }
    let is_local = !dest.contains("://") && !dest.starts_with('#') && !dest.starts_with('/');
    if !is_local {
        return dest;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest.as_ref(), None),
    };
    if !path.ends_with(".md") {
        return dest;
    }
    let file_name = path.rsplit('/').next().unwrap_or(path);
    match links.chapter_urls.get(file_name) {
        Some(url) => CowStr::from(match anchor {
            Some(anchor) => format!("{url}#{anchor}"),
            None => url.clone(),
        }),
        None => {
            let mut diagnostic = Diagnostic::error(
                "E151",
                format!("link a un capitolo che non esiste: `{path}`"),
            )
            .at_offset(source.sources, source.file, source.body_offset + offset, 1);
            if let Some(close) =
                did_you_mean(file_name, links.chapter_urls.keys().map(String::as_str))
            {
                diagnostic = diagnostic.with_hint(format!("forse intendevi `{close}`?"));
            } else {
                diagnostic = diagnostic.with_hint("usa il nome di un file di content/chapters/");
            }
            diagnostics.push(diagnostic);
            dest
        }
    }
}

/// Where the destination of a link is written in the file: inside the link's own source when it
/// is there (inline links), otherwise the start of the link (reference links).
fn destination_span(
    source: &Source<'_>,
    range: &std::ops::Range<usize>,
    dest: &str,
) -> (usize, u32) {
    let text = source.sources.text(source.file);
    let start = (source.body_offset + range.start).min(text.len());
    let end = (source.body_offset + range.end).min(text.len());
    let written = text.get(start..end).unwrap_or("");
    match written.rfind(dest).filter(|_| !dest.is_empty()) {
        Some(at) => (start + at, dest.chars().count() as u32),
        None => (start, 1),
    }
}

/// A relative path that climbs out of the site (or, for a chapter file, out of the project) with
/// `..` is an error (`E155`): it can only be a mistake, and it must never reach a file elsewhere.
fn climbs_out(
    dest: &str,
    offset: usize,
    len: u32,
    source: &Source<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if dest.contains("://") || dest.starts_with("//") || !dest.contains("..") {
        return false;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    // Chapter files live two levels down (content/chapters/); pages one level (/<slug>/).
    let is_chapter = path.ends_with(".md");
    let depth = match (path.starts_with('/'), is_chapter) {
        (true, _) => 0,
        (false, true) => 2,
        (false, false) => 1,
    };
    if !escapes(path, depth) {
        return false;
    }
    diagnostics.push(
        Diagnostic::error(
            "E155",
            format!("il percorso `{path}` esce dalla cartella del sito con `..`"),
        )
        .at_offset(source.sources, source.file, offset, len.max(1))
        .with_hint(if is_chapter {
            "per un altro capitolo scrivi solo il nome del file, per esempio `03-standard-di-qualita.md`"
        } else {
            "collega le pagine del sito con un indirizzo che inizia con `/` (per esempio `/impegni/`) e i file esterni con l'indirizzo completo https://…"
        }),
    );
    true
}

/// Classifies a link's destination (after chapter files became page addresses) for `carta check`.
fn link_target(dest: &str) -> Option<LinkTarget> {
    let lower = dest.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(LinkTarget::External(dest.trim().to_string()));
    }
    if dest.starts_with("//") || url_policy::check(dest, UrlUse::Link).is_err() {
        return None;
    }
    // Any other scheme (mailto:, tel:, ftp:, data:…) is not a page of this site.
    if let Some(colon) = dest.find(':')
        && !dest[..colon].contains(['/', '#', '?'])
    {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.ends_with(".md") {
        // A chapter file that does not exist: already reported as E151.
        return None;
    }
    Some(if path.is_empty() {
        LinkTarget::Page { path: None, anchor }
    } else if path.starts_with('/') {
        LinkTarget::Page {
            path: Some(path.to_string()),
            anchor,
        }
    } else {
        LinkTarget::Relative {
            path: path.to_string(),
            anchor,
        }
    })
}

/// Whether a path with `..` segments climbs above its root, starting `depth` folders down.
pub(crate) fn escapes(path: &str, depth: usize) -> bool {
    let mut level = depth as isize;
    for segment in path.split(['/', '\\']) {
        match segment {
            ".." => {
                level -= 1;
                if level < 0 {
                    return true;
                }
            }
            "" | "." => {}
            _ => level += 1,
        }
    }
    false
}

/// How many generated blocks one chapter may place. A block is a whole table or list (the
/// commitments table is tens of kilobytes), so a chapter of markers alone would otherwise make a
/// page thousands of times its own size; a charter places each block once or twice.
pub(crate) const MAX_BLOCKS_PER_CHAPTER: usize = 16;

fn too_many_blocks(range: &std::ops::Range<usize>, source: &Source<'_>) -> Diagnostic {
    Diagnostic::error(
        "E222",
        format!(
            "troppi blocchi generati in un capitolo: questo è il {}°, il massimo è {MAX_BLOCKS_PER_CHAPTER}",
            MAX_BLOCKS_PER_CHAPTER + 1
        ),
    )
    .with_hint("metti ogni blocco ({{ impegni }}, {{ contatti }}, …) una volta sola, dove serve: i blocchi oltre il massimo non vengono generati")
    .at_offset(
        source.sources,
        source.file,
        source.body_offset + range.start,
        (range.end - range.start).min(80) as u32,
    )
}

fn unknown_block(name: &str, range: &std::ops::Range<usize>, source: &Source<'_>) -> Diagnostic {
    let diagnostic = if crate::blocks::find(name).is_some() {
        Diagnostic::error("E152", format!("il blocco `{{{{ {name} }}}}` non ha dati")).with_hint(
            "manca il file di dati corrispondente in content/data/ (vedi docs/content.md)",
        )
    } else {
        let diagnostic =
            Diagnostic::error("E152", format!("blocco sconosciuto `{{{{ {name} }}}}`"));
        match did_you_mean(name, BLOCK_NAMES) {
            Some(close) => diagnostic.with_hint(format!("forse intendevi `{{{{ {close} }}}}`?")),
            None => diagnostic.with_hint(format!(
                "i blocchi disponibili sono: {}",
                BLOCK_NAMES.join(", ")
            )),
        }
    };
    diagnostic.at_offset(
        source.sources,
        source.file,
        source.body_offset + range.start,
        (range.end - range.start).min(80) as u32,
    )
}

/// `{{ name }}` alone in a paragraph → `name` (whatever is written between the braces).
fn block_marker<'a>(inner: &'a [(Event<'a>, std::ops::Range<usize>)]) -> Option<&'a str> {
    let [(Event::Text(text), _)] = inner else {
        return None;
    };
    let name = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    (!name.contains("{{") && !name.contains("}}")).then_some(name)
}

fn find_end(
    events: &[(Event<'_>, std::ops::Range<usize>)],
    start: usize,
    is_end: impl Fn(&Event<'_>) -> bool,
) -> usize {
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 && is_end(event) {
                    return index;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The first paragraph of a chapter's Markdown, as plain text on one line and at most about 200
/// characters (cut at a word, with "…"): the page's `<meta name="description">` when its front
/// matter gives none. A paragraph that is only a generated block's marker (`{{ impegni }}`) is not
/// text and is passed over; a chapter with no paragraph gives an empty string.
pub(crate) fn first_paragraph(text: &str) -> String {
    const MAX: usize = 200;
    let mut plain = String::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                plain.clear();
                depth = 1;
            }
            Event::Start(_) if depth > 0 => depth += 1,
            Event::End(TagEnd::Paragraph) if depth == 1 => {
                let words = plain.split_whitespace().collect::<Vec<_>>().join(" ");
                if !words.is_empty() && !words.starts_with("{{") {
                    plain = words;
                    break;
                }
                plain.clear();
                depth = 0;
            }
            Event::End(_) if depth > 1 => depth -= 1,
            Event::Text(t) | Event::Code(t) if depth > 0 => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak if depth > 0 => plain.push(' '),
            _ => {}
        }
    }
    if depth == 0 {
        return String::new();
    }
    if plain.chars().count() <= MAX {
        return plain;
    }
    let mut cut: String = plain.chars().take(MAX).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The text of a short Markdown text from a data file (the charter's summary) without its
/// markup, on one line: for a `<meta name="description">`.
pub(crate) fn plain_summary(text: &str) -> String {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let mut plain = String::new();
    for (event, _) in &events {
        match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => plain.push(' '),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The numbers carta gives a chapter's headings: `4.1` for the first `##` of chapter 4, `4.1.2`
/// for the second `###` under it. Only for a chapter carta numbers (`numbering` in site.toml).
struct Numbers<'a> {
    chapter: Option<&'a str>,
    section: usize,
    subsection: usize,
}

/// A heading as carta shows it.
struct Heading<'a> {
    /// The words, without a typed number: the anchor is made from them.
    words: String,
    /// What the heading shows and the page's list of headings lists: `4.1 Reclami`.
    text: String,
    /// carta's number, for a numbered chapter's `##` and `###`.
    number: Option<String>,
    /// The number typed at the start of the heading (`4.1 `), which carta does not show.
    typed: Option<&'a str>,
    /// The anchor the heading had with its typed number (`4-1-reclami`), kept as an alias.
    alias: Option<String>,
}

impl<'a> Numbers<'a> {
    fn of(front: Option<&'a FrontMatter>) -> Self {
        Numbers {
            chapter: front
                .filter(|front| front.numbered)
                .and_then(|front| front.number.as_deref()),
            section: 0,
            subsection: 0,
        }
    }

    fn heading<'t>(&mut self, level: u8, written: &'t str) -> Heading<'t> {
        let unnumbered = Heading {
            words: written.to_string(),
            text: written.to_string(),
            number: None,
            typed: None,
            alias: None,
        };
        let Some(chapter) = self.chapter.filter(|_| (2..=3).contains(&level)) else {
            return unnumbered;
        };
        let number = if level == 2 {
            self.section += 1;
            self.subsection = 0;
            format!("{chapter}.{}", self.section)
        } else {
            self.subsection += 1;
            format!("{chapter}.{}.{}", self.section, self.subsection)
        };
        let typed = typed_number(written);
        let words = typed.map_or(written, |typed| &written[typed.len()..]);
        Heading {
            text: format!("{number} {words}"),
            words: words.to_string(),
            number: Some(number),
            typed,
            alias: typed.map(|_| slugify(written)),
        }
    }
}

/// Opens heading `heading` with its id, then the alias of its typed number and carta's number.
fn open_heading(
    level: HeadingLevel,
    id: String,
    heading: &Heading<'_>,
    ids: &mut UniqueIds,
    output: &mut Vec<Event<'_>>,
) {
    output.push(Event::Start(Tag::Heading {
        level,
        id: Some(CowStr::from(id)),
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    if let Some(alias) = &heading.alias {
        // The anchor the heading had when its number was typed: links to it from outside keep
        // working. An empty element, so the id stays unique and the page valid.
        let alias = ids.unique(alias);
        output.push(Event::InlineHtml(CowStr::from(format!(
            "<span id=\"{alias}\"></span>"
        ))));
    }
    if let Some(number) = &heading.number {
        output.push(Event::Text(CowStr::from(format!("{number} "))));
    }
}

/// The number typed at the start of a heading, with the space after it: `4.1 ` of `4.1 Reclami`.
pub(crate) fn typed_number(heading: &str) -> Option<&str> {
    let digits_and_dots = heading
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(heading.len(), |(at, _)| at);
    let number = &heading[..digits_and_dots];
    let rest = &heading[digits_and_dots..];
    let space = rest.len() - rest.trim_start().len();
    // A section's number has a dot (`4.1`, `3.`): a year that starts a heading is its words.
    let numbered = number.starts_with(|c: char| c.is_ascii_digit()) && number.contains('.');
    (numbered && space > 0 && !rest.trim().is_empty()).then(|| &heading[..digits_and_dots + space])
}

/// `##` → 2.
pub(crate) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_paragraph_is_plain_text_and_skips_block_markers() {
        let text = "## Sezione\n\n{{ contatti }}\n\nLa **DSI** gestisce i [servizi](x.md)\ndella città.\n\nAltro.\n";
        assert_eq!(
            first_paragraph(text),
            "La DSI gestisce i servizi della città."
        );
        assert_eq!(first_paragraph("# Solo un titolo\n\n- una voce\n"), "");
        let long = "parola ".repeat(60);
        let cut = first_paragraph(&long);
        assert!(cut.ends_with("parola…"), "{cut}");
        assert!(cut.chars().count() <= 201, "{cut}");
    }

    /// Renders `body` and keeps only the errors (the lint's warnings have their own tests).
    fn run(body: &str) -> Rendered {
        let mut out = run_with_warnings(body);
        out.diagnostics.retain(Diagnostic::is_error);
        out
    }

    fn run_with_warnings(body: &str) -> Rendered {
        let mut sources = SourceMap::new();
        let file = sources.add("c.md", body.to_string());
        let chapter_urls: BTreeMap<String, String> =
            [("02-altro.md".to_string(), "/altro/".to_string())].into();
        let blocks: BTreeMap<String, String> = [(
            "impegni".to_string(),
            "<table><caption>I</caption></table>".to_string(),
        )]
        .into();
        render(
            body,
            &Source {
                sources: &sources,
                file,
                body_offset: 0,
                front: None,
            },
            &Links {
                chapter_urls: &chapter_urls,
                blocks: &blocks,
                blocks_before_sections: &blocks,
                table_label: "Tabella nella sezione «{section}»",
                table_label_no_section: "Tabella",
            },
        )
    }

    #[test]
    fn a_typed_number_is_digits_and_dots_before_words() {
        assert_eq!(typed_number("4.1 Reclami"), Some("4.1 "));
        assert_eq!(typed_number("1.1.7 Tutela della privacy"), Some("1.1.7 "));
        assert_eq!(typed_number("3. Standard"), Some("3. "));
        assert_eq!(
            typed_number("2025 in cifre"),
            None,
            "a year is not a number typed"
        );
        assert_eq!(typed_number("Reclami"), None);
        assert_eq!(
            typed_number("4.1"),
            None,
            "a number alone is the heading's words"
        );
        assert_eq!(typed_number(".5 punti"), None);
    }

    #[test]
    fn headings_get_unique_italian_ids_and_toc() {
        let out = run("## 1.1 Principi e finalità\n\n### Continuità\n\n### Continuità\n");
        assert!(
            out.html.contains("<h2 id=\"1-1-principi-e-finalita\">"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<h3 id=\"continuita-2\">"),
            "{}",
            out.html
        );
        assert_eq!(out.toc.len(), 3);
        assert_eq!(out.toc[0].text, "1.1 Principi e finalità");
    }

    #[test]
    fn block_markers_are_replaced() {
        let out = run("Prima\n\n{{ impegni }}\n\nDopo\n");
        assert!(
            out.html.contains("<table><caption>I</caption></table>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("{{"), "{}", out.html);
        assert_eq!(out.blocks_used, vec!["impegni"]);
        assert_eq!(out.block_headings, vec![("impegni".to_string(), None)]);
        let out = run("## Impegni\n\n{{ impegni }}\n");
        assert_eq!(
            out.block_headings,
            vec![("impegni".to_string(), Some("impegni".to_string()))]
        );
        let out = run("{{ impegno }}\n");
        assert_eq!(out.diagnostics[0].code, "E152");
        assert_eq!(
            out.diagnostics[0].hint.as_deref(),
            Some("forse intendevi `{{ impegni }}`?")
        );
    }

    #[test]
    fn scripts_and_handlers_are_located_errors() {
        let out = run(
            "Testo\n\n<script>alert(1)</script>\n\nAltro <img src=x onerror=\"a()\"> e [x](javascript:alert(1))\n",
        );
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec!["E150", "E150", "E150"], "{:?}", out.diagnostics);
        let script = out
            .diagnostics
            .iter()
            .find(|d| d.message.contains("<script>"))
            .expect("the script is reported");
        assert!(matches!(
            script.location,
            Some(crate::diagnostics::Location::Source {
                line: 3,
                col: 1,
                ..
            })
        ));
    }

    #[test]
    fn errors_inside_html_blocks_point_at_their_own_line() {
        let out = run(
            "Testo\n\n<div>\n<p>x</p>\n<script>a()</script>\n  <a href=\"#\" onclick=\"b()\">y</a>\n</div>\n",
        );
        let places: Vec<(u32, u32)> = out
            .diagnostics
            .iter()
            .filter_map(|d| match d.location {
                Some(crate::diagnostics::Location::Source { line, col, .. }) => Some((line, col)),
                _ => None,
            })
            .collect();
        assert_eq!(places, vec![(5, 1), (6, 3)], "{:?}", out.diagnostics);
    }

    #[test]
    fn misspelt_or_inline_markers_are_errors() {
        let out = run("{{ Impegni }}\n\nVedi {{ impegni }} qui.\n\n{{ canali di accesso }}\n");
        let found: Vec<(&str, Option<&str>)> = out
            .diagnostics
            .iter()
            .map(|d| (d.code, d.hint.as_deref()))
            .collect();
        assert_eq!(found[0], ("E152", Some("forse intendevi `{{ impegni }}`?")));
        assert_eq!(found[1].0, "E153");
        assert_eq!(
            found[2],
            ("E152", Some("forse intendevi `{{ canali-di-accesso }}`?"))
        );
    }

    #[test]
    fn the_lint_runs_on_the_rendered_events() {
        let out = run_with_warnings("Testo senza sezioni, [qui](02-altro.md). IL VALORE.\n");
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec!["W303", "W306"]);
    }

    #[test]
    fn tables_scroll_in_a_labelled_region() {
        let out = run("## 2.5 Contatti & recapiti\n\n| A | B |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            out.html.contains("<div class=\"table-responsive carta-table-region\" role=\"region\" tabindex=\"0\" aria-label=\"Tabella nella sezione «2.5 Contatti &amp; recapiti»\"><table>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("</table>\n</div>") || out.html.contains("</table></div>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn chapter_links_resolve() {
        let out = run("[vedi](02-altro.md#sezione) e [rotto](03-nulla.md)\n");
        assert!(
            out.html.contains("href=\"/altro/#sezione\""),
            "{}",
            out.html
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "E151");
    }
}
