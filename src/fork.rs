//! Fork hygiene: finds text that still names the ente a charter was copied from.
//!
//! The terms come from `[fork]` in `site.toml` (the old ente's name, city, demonym and domains,
//! recorded by `carta init --from`, plus `extra_terms`). Matching ignores case, respects word
//! boundaries and knows the Italian forms of a demonym (fiorentino, fiorentina, fiorentini,
//! fiorentine). Text that names the new ente itself, or a phrase listed in `allow`, is never
//! reported. This module only reads text and reports; it changes nothing.

use std::ops::Range;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

/// What a term is, for the message and the hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    City,
    Demonym,
    Domain,
    Extra,
}

#[derive(Debug, Clone)]
struct Term {
    /// Lowercase characters to match.
    chars: Vec<char>,
    kind: Kind,
}

/// The words to look for, and the phrases where they are fine.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    terms: Vec<Term>,
    allowed: Vec<Vec<char>>,
    origin_name: String,
    /// What to write instead, by kind: the new ente's name, city, demonym and first domain.
    own_name: String,
    own_city: String,
    own_demonym: Option<String>,
    own_domain: Option<String>,
}

/// The forms of an Italian demonym: the word without its last vowel, plus a, e, i, o
/// ("fiorentini" → fiorentina, fiorentine, fiorentini, fiorentino; "milanesi" → milanese, milanesi).
pub fn demonym_forms(demonym: &str) -> Vec<String> {
    let word = demonym.trim();
    let stem = match word.chars().last() {
        Some(last) if "aeiouAEIOU".contains(last) && word.chars().count() > 3 => {
            &word[..word.len() - last.len_utf8()]
        }
        _ => return vec![word.to_string()],
    };
    ["a", "e", "i", "o"]
        .iter()
        .map(|ending| format!("{stem}{ending}"))
        .collect()
}

fn lower(text: &str) -> Vec<char> {
    text.trim().chars().flat_map(char::to_lowercase).collect()
}

impl Terms {
    /// The terms of a project's `[fork]` section; empty when there is none.
    pub fn from_config(config: &SiteConfig) -> Terms {
        let ente = &config.ente;
        // Values still to fill in (`DA COMPILARE`) are no suggestion.
        let filled = |value: &String| (!crate::forms::is_placeholder(value)).then(|| value.clone());
        let mut terms = Terms {
            own_name: filled(&ente.name).unwrap_or_default(),
            own_city: filled(&ente.city).unwrap_or_default(),
            own_demonym: ente.demonym.as_ref().and_then(filled),
            own_domain: ente.domains.first().and_then(filled),
            ..Terms::default()
        };
        let Some(fork) = &config.fork else {
            return terms;
        };
        // The new ente's own identity is always fine.
        let mut own: Vec<String> = vec![ente.name.clone(), ente.city.clone()];
        if let Some(demonym) = &ente.demonym {
            own.extend(demonym_forms(demonym));
        }
        own.extend(ente.domains.iter().cloned());
        own.extend(fork.allow.iter().cloned());
        terms.allowed = own
            .iter()
            .map(|text| lower(text))
            .filter(|chars| !chars.is_empty())
            .collect();
        if let Some(origin) = &fork.origin {
            terms.origin_name = origin.name.clone();
            terms.add(&origin.name, Kind::Name);
            if let Some(city) = &origin.city {
                terms.add(city, Kind::City);
            }
            if let Some(demonym) = &origin.demonym {
                for form in demonym_forms(demonym) {
                    terms.add(&form, Kind::Demonym);
                }
            }
            for domain in &origin.domains {
                terms.add(domain, Kind::Domain);
            }
        }
        for extra in &fork.extra_terms {
            terms.add(extra, Kind::Extra);
        }
        terms
    }

    /// Terms made up from the first line of a fuzzing input, so the scanner sees odd words too.
    pub fn for_fuzzing(text: &str) -> Terms {
        let first_line = text.lines().next().unwrap_or("");
        let mut terms = Terms {
            origin_name: "Ente".to_string(),
            own_demonym: Some("abitanti".to_string()),
            ..Terms::default()
        };
        let kinds = [
            Kind::Name,
            Kind::City,
            Kind::Demonym,
            Kind::Domain,
            Kind::Extra,
        ];
        for (index, word) in first_line.split(',').take(8).enumerate() {
            let kind = kinds[index % kinds.len()];
            if kind == Kind::Demonym {
                for form in demonym_forms(word) {
                    terms.add(&form, kind);
                }
            } else {
                terms.add(word, kind);
            }
        }
        if let Some(allowed) = first_line.split(';').nth(1) {
            terms.allowed.push(lower(allowed));
        }
        terms
    }

    fn add(&mut self, text: &str, kind: Kind) {
        let chars = lower(text);
        // A term that is also part of the new identity (two offices of the same comune) is fine.
        if chars.is_empty() || self.allowed.contains(&chars) {
            return;
        }
        if !self.terms.iter().any(|term| term.chars == chars) {
            self.terms.push(Term { chars, kind });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Every leftover in a registered file, as located warnings (`W180`). `skip` is a byte range of
    /// the file not to look at (the `[fork]` section of `site.toml` itself).
    pub fn scan(
        &self,
        sources: &SourceMap,
        file: FileId,
        skip: Option<Range<usize>>,
    ) -> Vec<Diagnostic> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let text = sources.text(file);
        // Lowercased characters, each with the byte offset of the character it came from.
        let mut folded: Vec<(char, usize)> = Vec::with_capacity(text.len());
        for (offset, ch) in text.char_indices() {
            folded.extend(ch.to_lowercase().map(|lc| (lc, offset)));
        }
        let byte_at = |index: usize| folded.get(index).map(|(_, at)| *at).unwrap_or(text.len());

        let allowed: Vec<Range<usize>> = self
            .allowed
            .iter()
            .flat_map(|phrase| matches(&folded, phrase))
            .collect();
        let mut found = Vec::new();
        let mut index = 0;
        while index < folded.len() {
            let best = self
                .terms
                .iter()
                .filter(|term| term.chars.len() <= folded.len() - index)
                .filter(|term| is_match(&folded, index, &term.chars))
                .max_by_key(|term| term.chars.len());
            let Some(term) = best else {
                index += 1;
                continue;
            };
            let end = index + term.chars.len();
            let inside_allowed = allowed
                .iter()
                .any(|range| range.start <= index && end <= range.end);
            let (start_byte, end_byte) = (byte_at(index), byte_at(end));
            let skipped = skip
                .as_ref()
                .is_some_and(|range| range.start <= start_byte && start_byte < range.end);
            if !inside_allowed && !skipped {
                let written = &text[start_byte..end_byte.max(start_byte)];
                found.push(self.diagnostic(term.kind, written).at_offset(
                    sources,
                    file,
                    start_byte,
                    written.chars().count() as u32,
                ));
            }
            index = end;
        }
        found
    }

    fn diagnostic(&self, kind: Kind, written: &str) -> Diagnostic {
        let origin = if self.origin_name.is_empty() {
            "l'ente di origine".to_string()
        } else {
            self.origin_name.clone()
        };
        let allow = "se il riferimento è voluto, aggiungi la frase ad `allow` nella sezione [fork] di site.toml";
        let (message, hint) = match kind {
            Kind::Name => (
                format!("il testo nomina ancora «{written}», l'ente da cui è stata copiata la carta"),
                if self.own_name.is_empty() {
                    format!("scrivi il nome del tuo ente; {allow}")
                } else {
                    format!("scrivi il nome del tuo ente, «{}»; {allow}", self.own_name)
                },
            ),
            Kind::City => (
                format!("il testo nomina ancora «{written}», la città dell'ente di origine ({origin})"),
                if self.own_city.is_empty() {
                    format!("scrivi la tua città o riformula; {allow}")
                } else {
                    format!("scrivi la tua città, «{}», o riformula; {allow}", self.own_city)
                },
            ),
            Kind::Demonym => (
                format!("il testo parla ancora di «{written}», gli abitanti dell'ente di origine ({origin})"),
                match &self.own_demonym {
                    Some(own) => format!("scrivi «{own}» (al singolare o al femminile se serve), oppure «cittadini»"),
                    None => "scrivi «cittadini» o il nome degli abitanti del tuo ente".to_string(),
                },
            ),
            Kind::Domain => (
                format!("«{written}» è un dominio dell'ente di origine ({origin})"),
                match &self.own_domain {
                    Some(own) => format!("usa un indirizzo del tuo ente, per esempio su {own}"),
                    None => "usa un indirizzo email o web del tuo ente".to_string(),
                },
            ),
            Kind::Extra => (
                format!("il testo contiene ancora «{written}», uno dei termini dell'ente di origine"),
                "sostituisci o togli il termine (è elencato in `extra_terms` della sezione [fork] di site.toml)".to_string(),
            ),
        };
        Diagnostic::warning("W180", message).with_hint(hint)
    }
}

/// Whether `term` occurs at `index` of `folded` as a whole word.
fn is_match(folded: &[(char, usize)], index: usize, term: &[char]) -> bool {
    let end = index + term.len();
    if end > folded.len() {
        return false;
    }
    let word = |at: usize| folded.get(at).is_some_and(|(ch, _)| ch.is_alphanumeric());
    folded[index..end]
        .iter()
        .zip(term)
        .all(|((ch, _), wanted)| ch == wanted)
        && (index == 0 || !word(index - 1) || !term[0].is_alphanumeric())
        && (!word(end) || !term[term.len() - 1].is_alphanumeric())
}

/// Every whole-word occurrence of `phrase`, as index ranges into `folded`.
fn matches(folded: &[(char, usize)], phrase: &[char]) -> Vec<Range<usize>> {
    if phrase.is_empty() || phrase.len() > folded.len() {
        return Vec::new();
    }
    (0..=folded.len() - phrase.len())
        .filter(|&index| is_match(folded, index, phrase))
        .map(|index| index..index + phrase.len())
        .collect()
}

/// The byte range of the `[fork]` table in `site.toml` (header line to the next table), if any.
pub fn fork_section(toml_text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in toml_text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim();
            if let Some(begin) = start {
                if !(name == "fork" || name.starts_with("fork.")) {
                    return Some(begin..offset);
                }
            } else if name == "fork" || name.starts_with("fork.") {
                start = Some(offset);
            }
        }
        offset += line.len();
    }
    start.map(|begin| begin..toml_text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(origin: &[(&str, Kind)], allowed: &[&str]) -> Terms {
        let mut terms = Terms {
            origin_name: "Comune di Firenze".into(),
            own_name: "Comune di Borgo".into(),
            own_city: "Borgo".into(),
            ..Terms::default()
        };
        terms.allowed = allowed.iter().map(|a| lower(a)).collect();
        for (text, kind) in origin {
            terms.add(text, *kind);
        }
        terms
    }

    fn scan(terms: &Terms, text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("a.md", text.to_string());
        terms
            .scan(&sources, file, None)
            .iter()
            .map(|d| match d.location {
                Some(crate::diagnostics::Location::Source { line, col, len, .. }) => {
                    format!("{line}:{col}:{len}")
                }
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn demonym_has_four_forms() {
        assert_eq!(
            demonym_forms("fiorentini"),
            ["fiorentina", "fiorentine", "fiorentini", "fiorentino"]
        );
        assert!(demonym_forms("milanesi").contains(&"milanese".to_string()));
    }

    #[test]
    fn whole_words_case_insensitive_longest_first() {
        let mut origin: Vec<(&str, Kind)> = vec![
            ("Comune di Firenze", Kind::Name),
            ("Firenze", Kind::City),
            ("comune.fi.it", Kind::Domain),
        ];
        let forms = demonym_forms("fiorentini");
        origin.extend(forms.iter().map(|f| (f.as_str(), Kind::Demonym)));
        let terms = terms(&origin, &["Città metropolitana di Firenze"]);
        assert_eq!(
            scan(
                &terms,
                "Il COMUNE DI FIRENZE e i Fiorentini.\nFirenzeWIFI, a@comune.fi.it, Città Metropolitana di Firenze, Firenze."
            ),
            ["1:4:17", "1:26:10", "2:16:12", "2:62:7"]
        );
    }

    #[test]
    fn the_new_entes_own_identity_is_never_a_leftover() {
        // Two offices of the same city: the city is the new ente's too.
        assert!(terms(&[("Firenze", Kind::City)], &["Firenze"]).is_empty());
        // A new ente whose name contains the old city.
        let terms = terms(
            &[("Firenze", Kind::City)],
            &["Unione dei Comuni di Firenze Nord"],
        );
        assert_eq!(
            scan(
                &terms,
                "L'Unione dei comuni di Firenze Nord e la città di Firenze."
            ),
            ["1:51:7"]
        );
    }

    #[test]
    fn fork_section_is_found() {
        let text = "[ente]\nname = \"A\"\n[fork]\nextra_terms = []\n[fork.origin]\nname = \"B\"\n[site]\nx = 1\n";
        let range = fork_section(text).unwrap();
        assert_eq!(
            &text[range],
            "[fork]\nextra_terms = []\n[fork.origin]\nname = \"B\"\n"
        );
    }
}
