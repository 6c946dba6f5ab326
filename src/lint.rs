//! Content lint: accessibility mistakes in chapter text that the parser accepts.
//!
//! Images without alternative text, skipped heading levels, link texts such as "clicca qui",
//! empty links, tables without a header row, runs of ALL-CAPS words in the text, its headings and
//! the chapter's title (screen readers spell them out letter by letter), long chapters without any
//! section heading. Each finding is a located warning; `--strict` makes them errors. It reads
//! Markdown and the chapter's front matter and reports; it renders nothing.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::model::FrontMatter;
use crate::source::{FileId, SourceMap};

/// A chapter body with fewer words than this needs no section headings (`W307`): about what fits
/// on one screen, or a minute and a half of listening with a screen reader. Longer chapters need
/// them unless their front matter says `sections: false`.
pub(crate) const SHORT_CHAPTER_WORDS: usize = 300;

/// Link texts that say nothing about where the link goes.
const VAGUE_LINK_TEXTS: [&str; 9] = [
    "clicca qui",
    "clicca",
    "qui",
    "qua",
    "link",
    "questo link",
    "clicca su questo link",
    "vai",
    "leggi qui",
];

/// Lints a body already parsed into events (with byte ranges relative to the body), so the
/// renderer can lint what it renders without parsing twice; `front` is the chapter's front
/// matter, whose title is linted too and whose `sections` decides `W307`.
pub(crate) fn lint_events(
    events: &[(Event<'_>, Range<usize>)],
    sources: &SourceMap,
    file: FileId,
    body_offset: usize,
    front: Option<&FrontMatter>,
) -> Vec<Diagnostic> {
    let mut lint = Lint {
        sources,
        file,
        body: &sources.text(file)[body_offset..],
        body_offset,
        findings: Vec::new(),
    };
    if let Some(front) = front {
        lint.title(front);
    }
    lint.run(events, front.and_then(|front| front.sections));
    lint.findings
}

struct Lint<'a> {
    sources: &'a SourceMap,
    file: FileId,
    body: &'a str,
    body_offset: usize,
    findings: Vec<Diagnostic>,
}

/// What is being collected between a start and an end tag.
enum Open {
    Link {
        start: usize,
        text: String,
        has_image_alt: bool,
    },
    Image {
        start: usize,
        alt: String,
    },
    TableHead {
        start: usize,
        text: String,
    },
}

impl Lint<'_> {
    fn warn(&mut self, code: &'static str, message: String, hint: &str, offset: usize, len: usize) {
        let diagnostic = Diagnostic::warning(code, message)
            .at_offset(
                self.sources,
                self.file,
                self.body_offset + offset,
                len.max(1) as u32,
            )
            .with_hint(hint);
        self.findings.push(diagnostic);
    }

    /// `sections` is the front matter's: `Some(false)` when the chapter has no sections on
    /// purpose, `Some(true)` when it must have them whatever its length.
    fn run(&mut self, events: &[(Event<'_>, Range<usize>)], sections: Option<bool>) {
        let mut previous_level = 1u8;
        let mut headings = 0usize;
        // Counted only up to the threshold: past it the chapter is long, whatever follows.
        let mut words = 0usize;
        let mut open: Vec<Open> = Vec::new();
        for (event, range) in events {
            let range = range.clone();
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    headings += 1;
                    // `HeadingLevel` counts from 1.
                    let level = *level as u8;
                    if level == 1 {
                        self.warn(
                            "W302",
                            "titolo di livello 1 nel testo del capitolo".to_string(),
                            "il titolo del capitolo viene dall'intestazione (title): usa ## per le sezioni e ### per le sottosezioni",
                            range.start,
                            1,
                        );
                    } else if level > previous_level + 1 {
                        self.warn(
                            "W302",
                            format!("livello di titolo saltato: da {} a {}", previous_level, level),
                            &format!(
                                "usa {} per questo titolo, oppure aggiungi prima un titolo di livello {}",
                                "#".repeat(previous_level as usize + 1),
                                previous_level + 1
                            ),
                            range.start,
                            level as usize,
                        );
                    }
                    previous_level = level;
                }
                Event::Start(Tag::Link { .. }) => open.push(Open::Link {
                    start: range.start,
                    text: String::new(),
                    has_image_alt: false,
                }),
                Event::Start(Tag::Image { .. }) => open.push(Open::Image {
                    start: range.start,
                    alt: String::new(),
                }),
                Event::Start(Tag::TableHead) => open.push(Open::TableHead {
                    start: range.start,
                    text: String::new(),
                }),
                Event::End(TagEnd::Image) => {
                    if let Some(Open::Image { start, alt }) = open.pop() {
                        let alt = alt.trim().to_string();
                        if alt.is_empty() {
                            self.warn(
                                "W301",
                                "immagine senza testo alternativo".to_string(),
                                "descrivi l'immagine tra le parentesi quadre: ![Logo del Comune](logo.png); se è solo decorativa, toglila dal testo",
                                start,
                                range.end - start,
                            );
                        } else if let Some(Open::Link { has_image_alt, .. }) = open.last_mut() {
                            *has_image_alt = true;
                        }
                    }
                }
                Event::End(TagEnd::Link) => {
                    if let Some(Open::Link {
                        start,
                        text,
                        has_image_alt,
                    }) = open.pop()
                    {
                        self.link_text(&text, has_image_alt, start, range.end - start);
                    }
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(Open::TableHead { start, text }) = open.pop()
                        && text.trim().is_empty()
                    {
                        self.warn(
                            "W305",
                            "tabella senza intestazione".to_string(),
                            "scrivi nella prima riga della tabella il nome di ogni colonna",
                            start,
                            1,
                        );
                    }
                }
                Event::Text(text) | Event::Code(text) => {
                    if words < SHORT_CHAPTER_WORDS {
                        words += text
                            .split_whitespace()
                            .take(SHORT_CHAPTER_WORDS - words)
                            .count();
                    }
                    if let Some(current) = open.last_mut() {
                        match current {
                            Open::Link {
                                text: collected, ..
                            }
                            | Open::Image { alt: collected, .. }
                            | Open::TableHead {
                                text: collected, ..
                            } => collected.push_str(text),
                        }
                    }
                    if matches!(event_kind(&open), Some(false) | None) {
                        self.capitals(text, &range);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, range.start),
                _ => {}
            }
        }
        let needs_sections = match sections {
            Some(wanted) => wanted,
            None => words >= SHORT_CHAPTER_WORDS,
        };
        if headings == 0 && needs_sections {
            let message = match sections {
                Some(true) => {
                    "il capitolo non ha titoli di sezione, ma l'intestazione dice `sections: true`"
                        .to_string()
                }
                _ => format!(
                    "il capitolo non ha titoli di sezione ed è lungo (almeno {SHORT_CHAPTER_WORDS} parole)"
                ),
            };
            self.findings.push(
                Diagnostic::warning("W307", message)
                    .at_offset(self.sources, self.file, self.body_offset, 1)
                    .with_hint("dividi il testo in sezioni con titoli ## : aiutano chi naviga con un lettore di schermo. Se il testo approvato non ha sezioni, non inventarle: scrivi `sections: false` nell'intestazione del capitolo"),
            );
        }
    }

    /// `W306` for the chapter's title, as for the body's text: it is the page's `h1`, and screen
    /// readers spell a title in capitals letter by letter.
    fn title(&mut self, front: &FrontMatter) {
        let title = &front.title;
        let text = self.sources.text(self.file);
        let start = crate::source::offset_of(text, title.line, title.col);
        let line_end = text[start..]
            .find('\n')
            .map_or(text.len(), |index| start + index);
        let line = &text[start..line_end];
        for run in shouting(&title.value) {
            // The title may be quoted or escaped in the source: find its words on its line.
            let first = run.words[0].as_str();
            let last = run.words[run.words.len() - 1].as_str();
            let offset = line.find(first).unwrap_or(0);
            let len = line[offset..]
                .find(last)
                .map(|at| at + last.len())
                .unwrap_or(first.len());
            let diagnostic = Diagnostic::warning(
                "W306",
                format!("titolo del capitolo in maiuscolo: «{}»", run.words.join(" ")),
            )
            .at_offset(
                self.sources,
                self.file,
                start + offset,
                line[offset..offset + len].chars().count().max(1) as u32,
            )
            .with_hint("scrivi il titolo in minuscolo con l'iniziale maiuscola, per esempio «Principali contatti»: i lettori di schermo leggono le parole in maiuscolo lettera per lettera");
            self.findings.push(diagnostic);
        }
    }

    fn link_text(&mut self, text: &str, has_image_alt: bool, start: usize, len: usize) {
        let normalised: String = text
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() || c == '»' || c == '«')
            .to_lowercase();
        if normalised.is_empty() && !has_image_alt {
            self.warn(
                "W304",
                "link senza testo".to_string(),
                "scrivi tra le parentesi quadre dove porta il link: [Regolamento sui reclami](reclami.md)",
                start,
                len,
            );
        } else if VAGUE_LINK_TEXTS.contains(&normalised.as_str()) {
            self.warn(
                "W303",
                format!("testo del link poco chiaro: «{}»", text.trim()),
                "il testo del link deve dire dove porta, anche letto da solo: [modulo di reclamo](…) invece di [clicca qui](…)",
                start,
                len,
            );
        }
    }

    /// `W306` for the runs of capitals ([`shouting`]) in one text event of the body.
    fn capitals(&mut self, text: &str, range: &Range<usize>) {
        for run in shouting(text) {
            let first_word = run.words[0].as_str();
            // The text may differ from the source (escapes); find the words in the source.
            let offset = self.body[range.clone()]
                .find(first_word)
                .unwrap_or(run.start);
            self.warn(
                "W306",
                format!("parole tutte in maiuscolo: «{}»", run.words.join(" ")),
                "scrivi in minuscolo con l'iniziale maiuscola dove serve: i lettori di schermo leggono le parole in maiuscolo lettera per lettera",
                range.start + offset,
                run.end - run.start,
            );
        }
    }

    fn raw_html(&mut self, html: &str, offset: usize) {
        use lol_html::{RewriteStrSettings, element, rewrite_str};

        let images_without_alt = std::cell::Cell::new(0usize);
        let tables = std::cell::Cell::new(0usize);
        let header_cells = std::cell::Cell::new(0usize);
        let settings = RewriteStrSettings::new()
            .append_element_content_handler(element!("img", |el| {
                if el.get_attribute("alt").is_none() {
                    images_without_alt.set(images_without_alt.get() + 1);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("table", |_| {
                tables.set(tables.get() + 1);
                Ok(())
            }))
            .append_element_content_handler(element!("table th", |_| {
                header_cells.set(header_cells.get() + 1);
                Ok(())
            }));
        // A fragment lol_html cannot read has nothing to lint.
        let _ = rewrite_str(html, settings);
        if images_without_alt.get() > 0 {
            self.warn(
                "W301",
                "immagine senza testo alternativo (attributo alt)".to_string(),
                "aggiungi alt=\"descrizione\" all'immagine, oppure alt=\"\" se è solo decorativa",
                offset,
                1,
            );
        }
        if tables.get() > 0 && header_cells.get() == 0 {
            self.warn(
                "W305",
                "tabella senza celle di intestazione (th)".to_string(),
                "scrivi la tabella in Markdown, con la prima riga di intestazione, oppure usa <th> per le intestazioni",
                offset,
                1,
            );
        }
    }
}

/// A run of words in capitals: byte offsets of its first word and past its last one in the text.
struct Run {
    start: usize,
    end: usize,
    words: Vec<String>,
}

/// Two or more capitalised words in a row (with one of five letters or more), or one word of
/// eight capitals or more: acronyms like "UNI EN ISO" pass, shouting like "IL VALORE" does not.
fn shouting(text: &str) -> Vec<Run> {
    // Most text has no two capitals in a row: skip it with one pass over the bytes. Every word
    // the rule can flag has two adjacent ASCII capitals ("QUALITÀ" has "QU").
    if !has_adjacent_ascii_capitals(text.as_bytes()) {
        return Vec::new();
    }
    // The marker `carta init` leaves to be filled in is reported once, as E146, not as shouting.
    // It is blanked with as many spaces, so offsets stay those of `text`.
    let blanked;
    let text = if text.contains(crate::forms::PLACEHOLDER) {
        blanked = text.replace(
            crate::forms::PLACEHOLDER,
            &" ".repeat(crate::forms::PLACEHOLDER.len()),
        );
        blanked.as_str()
    } else {
        text
    };
    let mut found = Vec::new();
    let mut run: Vec<(usize, &str)> = Vec::new();
    let flush = |run: &mut Vec<(usize, &str)>, found: &mut Vec<Run>| {
        let longest = run
            .iter()
            .map(|(_, word)| word.chars().count())
            .max()
            .unwrap_or(0);
        if (run.len() >= 2 && longest >= 5) || longest >= 8 {
            let (first, _) = run[0];
            let (last, last_word) = run[run.len() - 1];
            found.push(Run {
                start: first,
                end: last + last_word.len(),
                words: run.iter().map(|(_, word)| word.to_string()).collect(),
            });
        }
        run.clear();
    };
    for token in text.split_ascii_whitespace() {
        // Fast path for the common case: a word that starts with a lowercase letter.
        if token.as_bytes()[0].is_ascii_lowercase() {
            if !run.is_empty() {
                flush(&mut run, &mut found);
            }
            continue;
        }
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let is_capital_word = letters >= 2
            && word.chars().all(|c| !c.is_lowercase())
            && word.chars().any(char::is_alphabetic);
        // A one-letter capital ("È", "A") continues a run but does not start one.
        let is_capital_letter = letters == 1 && word.chars().all(|c| !c.is_lowercase());
        if is_capital_word || (is_capital_letter && !run.is_empty()) {
            // Both are slices of `text`: the difference of their addresses is the offset.
            let index = word.as_ptr() as usize - text.as_ptr() as usize;
            run.push((index, word));
        } else if !word.is_empty() {
            flush(&mut run, &mut found);
        }
    }
    flush(&mut run, &mut found);
    found
}

/// Whether the innermost open element is a link (Some(true)), something else (Some(false)) or none.
fn event_kind(open: &[Open]) -> Option<bool> {
    open.last()
        .map(|current| matches!(current, Open::Link { .. }))
}

/// True when two ASCII capitals stand side by side. Every chapter's text goes through this, so it
/// looks at 64 bytes at a time without stopping inside a block, a loop the compiler vectorizes.
fn has_adjacent_ascii_capitals(bytes: &[u8]) -> bool {
    let is_capital = |byte: u8| byte.wrapping_sub(b'A') < 26;
    let Some(rest) = bytes.get(1..) else {
        return false;
    };
    bytes.chunks(64).zip(rest.chunks(64)).any(|(left, right)| {
        left.iter().zip(right).fold(false, |found, (a, b)| {
            found | (is_capital(*a) & is_capital(*b))
        })
    })
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    /// Lints one chapter: its body, which starts at `body_offset` in `file`, and its front matter
    /// when there is one.
    fn lint_chapter(
        sources: &SourceMap,
        file: FileId,
        body_offset: usize,
        front: Option<&FrontMatter>,
    ) -> Vec<Diagnostic> {
        let body = &sources.text(file)[body_offset..];
        let events: Vec<(Event<'_>, Range<usize>)> =
            Parser::new_ext(body, crate::markdown::options())
                .into_offset_iter()
                .collect();
        lint_events(&events, sources, file, body_offset, front)
    }

    use super::*;

    #[test]
    fn adjacent_capitals_are_found_across_block_boundaries() {
        assert!(!has_adjacent_ascii_capitals(b""));
        assert!(!has_adjacent_ascii_capitals(b"A"));
        assert!(!has_adjacent_ascii_capitals("Città È a B".as_bytes()));
        for at in [0, 62, 63, 64, 126, 127, 198] {
            let mut text = vec![b'a'; 200];
            text[at] = b'Q';
            assert!(!has_adjacent_ascii_capitals(&text), "one capital at {at}");
            text[at + 1] = b'U';
            assert!(
                has_adjacent_ascii_capitals(&text),
                "capitals at {at} and {}",
                at + 1
            );
        }
    }

    fn lint(body: &str) -> Vec<(&'static str, u32, u32)> {
        let mut sources = SourceMap::new();
        let file = sources.add("c.md", body.to_string());
        places(lint_chapter(&sources, file, 0, None))
    }

    fn places(found: Vec<Diagnostic>) -> Vec<(&'static str, u32, u32)> {
        found
            .into_iter()
            .map(|d| match d.location {
                Some(crate::diagnostics::Location::Source { line, col, .. }) => (d.code, line, col),
                _ => (d.code, 0, 0),
            })
            .collect()
    }

    /// Lints a whole chapter file, front matter included.
    fn lint_file(text: &str) -> Vec<Diagnostic> {
        let mut sources = SourceMap::new();
        let file = sources.add("content/chapters/01-c.md", text.to_string());
        let (front, body_offset) = crate::load::parse_chapter(&sources, file).unwrap();
        lint_chapter(&sources, file, body_offset, Some(&front))
    }

    /// A body of `words` plain words, in paragraphs of ten.
    fn words(count: usize) -> String {
        (0..count)
            .map(|index| {
                if index % 10 == 9 {
                    "parola.\n\n"
                } else {
                    "parola "
                }
            })
            .collect()
    }

    #[test]
    fn clean_text_has_no_findings() {
        let body = "## 1.1 Sezione\n\nTesto con [il regolamento](r.md), UNI EN ISO 9001 e PNRR.\n\n### 1.1.1 Sotto\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![Logo del Comune](logo.png)\n";
        assert_eq!(lint(body), vec![]);
    }

    #[test]
    fn each_mistake_is_located() {
        let body = "## Sezione\n\n#### Salto\n\n![](foto.png)\n\nPer il modulo [clicca qui](m.pdf) o [](x.md).\n\n|   |   |\n|---|---|\n| 1 | 2 |\n\nIL VALORE DEL SERVIZIO è alto.\n\n# Titolo\n";
        assert_eq!(
            lint(body),
            vec![
                ("W302", 3, 1),
                ("W301", 5, 1),
                ("W303", 7, 15),
                ("W304", 7, 37),
                ("W305", 9, 1),
                ("W306", 13, 1),
                ("W302", 15, 1),
            ]
        );
    }

    #[test]
    fn raw_html_is_linted() {
        let found =
            lint("Solo testo.\n\n<img src=\"a.png\">\n\n<table><tr><td>1</td></tr></table>\n");
        assert_eq!(found, vec![("W301", 3, 1), ("W305", 5, 1)]);
    }

    #[test]
    fn only_long_chapters_need_sections() {
        let short = words(SHORT_CHAPTER_WORDS - 1);
        assert_eq!(lint(&short), vec![], "a short chapter needs no sections");
        let long = words(SHORT_CHAPTER_WORDS);
        assert_eq!(lint(&long), vec![("W307", 1, 1)]);
        let sectioned = format!("## Sezione\n\n{long}");
        assert_eq!(lint(&sectioned), vec![], "a long chapter with a section");
        // Words of links, emphasis and code count too.
        let mixed = format!(
            "{}[parola](x.md) *parola* `parola`\n",
            words(SHORT_CHAPTER_WORDS - 3)
        );
        assert_eq!(lint(&mixed), vec![("W307", 1, 1)]);
    }

    #[test]
    fn the_front_matter_decides_sections() {
        let front = |sections: &str, body: &str| {
            format!("---\ntitle: Capitolo\norder: 1\n{sections}---\n\n{body}")
        };
        let long = words(SHORT_CHAPTER_WORDS + 50);
        let found = lint_file(&front("sections: false\n", &long));
        assert!(found.is_empty(), "sections: false: {found:?}");
        let found = lint_file(&front("", &long));
        assert_eq!(
            places(found),
            vec![("W307", 5, 1)],
            "no key: a long chapter"
        );
        let found = lint_file(&front("sections: true\n", "Breve testo.\n"));
        assert_eq!(places(found.clone()), vec![("W307", 6, 1)]);
        assert!(found[0].message.contains("sections: true"), "{found:?}");
        let hint = lint_file(&front("", &long))[0].hint.clone().unwrap();
        assert!(hint.contains("sections: false"), "{hint}");
    }

    #[test]
    fn titles_in_capitals_are_linted() {
        let found = lint_file(
            "---\ntitle: \"PRINCIPALI CONTATTI A DISPOSIZIONE DEGLI UTENTI\"\norder: 1\n---\n\n## ORGANIZZAZIONE DEL SETTORE\n\nTesto.\n",
        );
        assert_eq!(places(found.clone()), vec![("W306", 2, 9), ("W306", 6, 4)]);
        assert_eq!(
            found[0].message,
            "titolo del capitolo in maiuscolo: «PRINCIPALI CONTATTI A DISPOSIZIONE DEGLI UTENTI»"
        );
        assert!(matches!(
            found[0].location,
            Some(crate::diagnostics::Location::Source { len: 47, .. })
        ));
        // Acronyms and ordinary titles pass, quoted or not.
        let found = lint_file("---\ntitle: Servizi ICT e PEC\norder: 1\n---\n\nTesto.\n");
        assert!(found.is_empty(), "{found:?}");
        let found = lint_file("---\ntitle: CARTA DEI SERVIZI DELL'ICT\norder: 1\n---\n\nTesto.\n");
        assert_eq!(places(found), vec![("W306", 2, 8)]);
    }
}
