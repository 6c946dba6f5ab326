//! Stable, Italian-aware slugs for URLs and heading ids.
//!
//! "Principi e finalità" → `principi-e-finalita`, "Dell'utenza" → `dell-utenza`. Accented letters lose
//! their accent, apostrophes separate words, everything else that is not a letter or digit becomes a
//! single hyphen. The same text always gives the same slug.

/// Turns a title into a URL-safe slug; empty input gives an empty slug.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let base = fold_accent(ch);
        if base.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(base);
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// True for slugs as `slugify` makes them: lowercase ASCII words joined by single hyphens.
pub(crate) fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// Hands out unique ids within one page: the second "contatti" becomes `contatti-2`.
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    seen: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Marks an id as taken without changing it (for ids that must stay as they are).
    pub(crate) fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(1);
    }

    pub(crate) fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "sezione" } else { base };
        // Looked up before it is copied: a long print edition asks for thousands of ids.
        let count = match self.seen.get_mut(base) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                self.seen.insert(base.to_string(), 1);
                return base.to_string();
            }
        };
        let mut n = count;
        loop {
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(candidate.clone(), 1);
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_titles() {
        assert_eq!(
            slugify("1.1 Principi e finalità"),
            "1-1-principi-e-finalita"
        );
        assert_eq!(
            slugify("Individuazione di eventuali modalità di partecipazione degli utenti"),
            "individuazione-di-eventuali-modalita-di-partecipazione-degli-utenti"
        );
        assert_eq!(
            slugify("Monitoraggio, indagini di soddisfazione dell'utenza"),
            "monitoraggio-indagini-di-soddisfazione-dell-utenza"
        );
        assert_eq!(slugify("  È così  "), "e-cosi");
        assert_eq!(slugify("«»"), "");
    }

    #[test]
    fn validity() {
        assert!(is_valid("il-valore-del-servizio"));
        assert!(!is_valid("Il-valore"));
        assert!(!is_valid("doppio--trattino"));
        assert!(!is_valid(""));
    }

    #[test]
    fn unique_ids_never_collide() {
        let mut ids = UniqueIds::new();
        ids.reserve("a-2");
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-3");
        assert_eq!(ids.unique(""), "sezione");
    }
}
