//! Fork hygiene: finds what a charter still says of the ente it was copied from (`W180`).
//!
//! `carta init --from` records in `[fork]` of `site.toml` every fact of the copied charter that
//! belongs to its ente ([`record`](mod@record)): names, city, demonyms, domains, parent body, office, units,
//! people, emails, phones, address, services and the proper names in its data, approval act,
//! dates, edition and the numbers of its standards. [`leftovers`] reports each one still in the
//! new charter, at its place, until it is changed or listed in `keep` ("true for us too").
//!
//! Text is matched ignoring case, on whole words, with any run of spaces or line breaks between
//! the words of a phrase; a demonym in its four Italian forms (fiorentino, fiorentina, fiorentini,
//! fiorentine); a phone number whatever its spacing (055 3283807, 055 328 3807, 055.3283807);
//! a date as ISO or Italian date (2025-06-03, 03/06/2025, 3 giugno 2025). Numbers and the edition
//! are compared as data only: a standard's number where the same commitment has the same number,
//! the edition in `charter.yaml`. Text that names the new ente itself, or a phrase listed in
//! `allow`, is never reported; neither are `[fork]` itself nor whole-line comments. This module
//! only reads and reports; it changes nothing.

pub(crate) mod record;
pub(crate) mod tree;

pub(crate) use record::record;

use std::collections::HashMap;
use std::ops::Range;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::comments;
use crate::model::{Date, Located, Project};
use crate::source::{FileId, SourceMap};

use tree::Tree;

/// What a fact is, for the message and the hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    City,
    Demonym,
    Domain,
    Parent,
    Office,
    Unit,
    Person,
    Email,
    Phone,
    Address,
    Service,
    ProperName,
    Act,
    Date,
    Extra,
}

#[derive(Debug, Clone)]
enum Pattern {
    /// Lowercase characters; a space stands for any run of white space.
    Text(Vec<char>),
    /// The digits of a phone number, without the Italian country code.
    Phone(Vec<char>),
}

#[derive(Debug, Clone)]
struct Term {
    pattern: Pattern,
    kind: Kind,
    /// The fact as recorded in `[fork]`, to name in the hint (`keep`).
    fact: String,
}

/// The facts to look for, and the phrases where they are fine.
#[derive(Debug, Clone, Default)]
pub(crate) struct Terms {
    terms: Vec<Term>,
    allowed: Vec<Vec<char>>,
    /// Facts listed in `keep`, folded.
    kept: Vec<Vec<char>>,
    origin_name: String,
    /// The numbers of the old ente's standards and its edition, compared as data.
    standards: Vec<String>,
    edition: Option<String>,
    /// What to write instead, by kind: the new ente's name, city, demonym, first domain, parent
    /// body and office.
    own_name: String,
    own_city: String,
    own_demonym: Option<String>,
    own_domain: Option<String>,
    own_parent: Option<String>,
    own_office: Option<String>,
}

/// The forms of an Italian demonym: the word without its last vowel, plus a, e, i, o
/// ("fiorentini" → fiorentina, fiorentine, fiorentini, fiorentino; "milanesi" → milanese, milanesi).
pub(crate) fn demonym_forms(demonym: &str) -> Vec<String> {
    let word = demonym.trim();
    let stem = match word.chars().last() {
        Some(last) if "aeiouAEIOU".contains(last) && word.chars().count() > 3 => {
            &word[..word.len() - last.len_utf8()]
        }
        _ => return vec![word.to_string()],
    };
    let mut forms: Vec<String> = ["a", "e", "i", "o"]
        .iter()
        .map(|ending| format!("{stem}{ending}"))
        .collect();
    forms.dedup();
    forms
}

/// A character as compared: lowercase, with the typographic apostrophe as the plain one.
fn fold(ch: char) -> impl Iterator<Item = char> {
    ch.to_lowercase()
        .map(|lc| if lc == '\u{2019}' { '\'' } else { lc })
}

fn lower(text: &str) -> Vec<char> {
    let mut folded = Vec::new();
    let mut space = false;
    for ch in text.trim().chars() {
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            folded.push(' ');
            space = false;
        }
        folded.extend(fold(ch));
    }
    folded
}

fn filled(value: &str) -> Option<String> {
    (!value.trim().is_empty() && !crate::forms::is_placeholder(value))
        .then(|| value.trim().to_string())
}

/// The ways a date is written in Italian text: 2025-06-03, 03/06/2025, 3/6/2025, 03.06.2025,
/// 03-06-2025, 3 giugno 2025, 03 giugno 2025 (and 1° for the first of the month).
fn date_forms(date: &Date) -> Vec<String> {
    let (y, m, d) = (date.year, date.month, date.day);
    let month = crate::model::ITALIAN_MONTHS[(m as usize).saturating_sub(1) % 12];
    let mut forms = vec![
        date.iso(),
        format!("{d:02}/{m:02}/{y}"),
        format!("{d}/{m}/{y}"),
        format!("{d:02}.{m:02}.{y}"),
        format!("{d}.{m}.{y}"),
        format!("{d:02}-{m:02}-{y}"),
        format!("{d} {month} {y}"),
        format!("{d:02} {month} {y}"),
    ];
    if d == 1 {
        forms.push(format!("1° {month} {y}"));
        forms.push(format!("1º {month} {y}"));
    }
    forms
}

impl Terms {
    /// The terms of a project's `[fork]` section; empty when there is none.
    #[cfg(test)]
    pub(crate) fn from_config(config: &SiteConfig) -> Terms {
        Terms::with_office(config, &[])
    }

    /// The terms of `site.toml` alone (`Terms::from_config`), with the new office (`office`, `office_short` of `charter.yaml`)
    /// counted as part of the new identity.
    pub(crate) fn for_project(project: &Project) -> Terms {
        let mut offices = Vec::new();
        if let Some(charter) = Tree::parse(&project.sources, project.charter.file) {
            for key in ["office", "office_short"] {
                if let Some(office) = charter.get(key).and_then(|v| v.scalar()) {
                    offices.extend(filled(office));
                }
            }
        }
        Terms::with_office(&project.config, &offices)
    }

    fn with_office(config: &SiteConfig, offices: &[String]) -> Terms {
        let ente = &config.ente;
        let mut terms = Terms {
            own_name: filled(&ente.name).unwrap_or_default(),
            own_city: filled(&ente.city).unwrap_or_default(),
            own_demonym: ente.demonym.as_deref().and_then(filled),
            own_domain: ente.domains.first().and_then(|d| filled(d)),
            own_parent: filled(&ente.parent.name),
            own_office: offices.first().cloned(),
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
        own.push(ente.parent.name.clone());
        own.extend(offices.iter().cloned());
        own.extend(fork.allow.iter().cloned());
        // A fact kept as true for the new ente covers what its words contain, as `allow` does.
        own.extend(fork.keep.iter().cloned());
        terms.allowed = own
            .iter()
            .filter(|text| !crate::forms::is_placeholder(text))
            .map(|text| lower(text))
            .filter(|chars| !chars.is_empty())
            .collect();
        terms.kept = fork.keep.iter().map(|fact| lower(fact)).collect();
        if let Some(origin) = &fork.origin {
            terms.add_origin(origin);
        }
        for extra in &fork.extra_terms {
            terms.add(extra, Kind::Extra, extra);
        }
        terms
    }

    fn add_origin(&mut self, origin: &crate::config::Origin) {
        self.origin_name = origin.name.clone();
        self.add(&origin.name, Kind::Name, &origin.name);
        if let Some(city) = &origin.city {
            self.add(city, Kind::City, city);
        }
        for demonym in origin.demonym.iter().chain(&origin.demonyms) {
            for form in demonym_forms(demonym) {
                self.add(&form, Kind::Demonym, demonym);
            }
        }
        for domain in &origin.domains {
            self.add(domain, Kind::Domain, domain);
        }
        for parent in &origin.parent {
            self.add(parent, Kind::Parent, parent);
        }
        for office in &origin.offices {
            self.add(office, Kind::Office, office);
        }
        for person in &origin.people {
            self.add(person, Kind::Person, person);
            // "Graziani Caterina", as lists and signatures often write it.
            let words: Vec<&str> = person.split_whitespace().collect();
            if let [first, last] = words[..] {
                self.add(&format!("{last} {first}"), Kind::Person, person);
            }
        }
        for email in &origin.emails {
            self.add(email, Kind::Email, email);
        }
        for phone in &origin.phones {
            self.add_phone(phone);
        }
        for part in &origin.address {
            self.add(part, Kind::Address, part);
            // "Via Reginaldo Giuliani 250" is also "via Reginaldo Giuliani, 250".
            if let Some((street, number)) = part.trim().rsplit_once(' ')
                && number.chars().next().is_some_and(|c| c.is_ascii_digit())
                && street.split_whitespace().count() >= 2
            {
                self.add(street.trim_end_matches(','), Kind::Address, part);
            }
        }
        for unit in &origin.units {
            self.add(unit, Kind::Unit, unit);
        }
        for service in &origin.services {
            self.add(service, Kind::Service, service);
        }
        for name in &origin.names {
            self.add(name, Kind::ProperName, name);
        }
        if let Some(act) = &origin.act {
            self.add(act, Kind::Act, act);
            // "DD 2025/4073": the number alone names the act too.
            if let Some((_, number)) = act.trim().rsplit_once(' ')
                && number.contains(|c: char| c.is_ascii_digit())
                && number.contains('/')
            {
                self.add(number, Kind::Act, act);
            }
        }
        for date in &origin.dates {
            if let Some(parsed) = Date::parse(date) {
                for form in date_forms(&parsed) {
                    self.add(&form, Kind::Date, date);
                }
            }
        }
        let edition = origin.edition.as_deref().and_then(filled);
        self.edition = edition.filter(|edition| !self.is_kept(edition));
        self.standards = origin.standards.clone();
    }

    /// Terms made up from the first line of a fuzzing input, so the scanner sees odd words too.
    pub(crate) fn for_fuzzing(text: &str) -> Terms {
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
            Kind::Phone,
            Kind::Person,
            Kind::Date,
            Kind::Extra,
        ];
        for (index, word) in first_line.split(',').take(8).enumerate() {
            match kinds[index % kinds.len()] {
                Kind::Demonym => {
                    for form in demonym_forms(word) {
                        terms.add(&form, Kind::Demonym, word);
                    }
                }
                Kind::Phone => terms.add_phone(word),
                kind => terms.add(word, kind, word),
            }
        }
        if let Some(allowed) = first_line.split(';').nth(1) {
            terms.allowed.push(lower(allowed));
        }
        terms
    }

    fn is_kept(&self, fact: &str) -> bool {
        let fact = lower(fact);
        !fact.is_empty() && self.kept.contains(&fact)
    }

    fn add(&mut self, text: &str, kind: Kind, fact: &str) {
        let chars = lower(text);
        // A term that is also part of the new identity (two offices of the same comune) is fine.
        if chars.is_empty() || self.allowed.contains(&chars) || self.is_kept(fact) {
            return;
        }
        let known = self.terms.iter().any(|term| match &term.pattern {
            Pattern::Text(known) => *known == chars,
            Pattern::Phone(_) => false,
        });
        if !known {
            self.push(Pattern::Text(chars), kind, fact);
        }
    }

    fn add_phone(&mut self, phone: &str) {
        let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
        let digits = match phone.trim_start().strip_prefix("+39") {
            Some(_) => digits[2..].to_vec(),
            None => digits,
        };
        // Shorter runs of digits are too common to be a phone number of anyone in particular.
        if digits.len() < 6 || self.is_kept(phone) {
            return;
        }
        let known = self.terms.iter().any(|term| match &term.pattern {
            Pattern::Phone(known) => *known == digits,
            Pattern::Text(_) => false,
        });
        if !known {
            self.push(Pattern::Phone(digits), Kind::Phone, phone);
        }
    }

    fn push(&mut self, pattern: Pattern, kind: Kind, fact: &str) {
        self.terms.push(Term {
            pattern,
            kind,
            fact: fact.trim().to_string(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.standards.is_empty() && self.edition.is_none()
    }

    /// Every leftover in a registered file, as located warnings (`W180`). `skip` holds byte ranges
    /// of the file not to look at (the `[fork]` section of `site.toml`, comments).
    pub(crate) fn scan(
        &self,
        sources: &SourceMap,
        file: FileId,
        skip: &[Range<usize>],
    ) -> Vec<Diagnostic> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let text = sources.text(file);
        // Folded characters, each with the byte offset of the character it came from.
        let mut folded: Vec<(char, usize)> = Vec::with_capacity(text.len());
        for (offset, ch) in text.char_indices() {
            folded.extend(fold(ch).map(|lc| (lc, offset)));
        }
        let byte_at = |index: usize| folded.get(index).map(|(_, at)| *at).unwrap_or(text.len());

        let mut by_first: HashMap<char, Vec<&Term>> = HashMap::new();
        let mut phones: Vec<&Term> = Vec::new();
        for term in &self.terms {
            match &term.pattern {
                Pattern::Text(chars) => by_first.entry(chars[0]).or_default().push(term),
                Pattern::Phone(_) => phones.push(term),
            }
        }
        let allowed: Vec<Range<usize>> = self
            .allowed
            .iter()
            .flat_map(|phrase| matches(&folded, phrase))
            .collect();
        let mut found = Vec::new();
        let mut index = 0;
        while index < folded.len() {
            let ch = folded[index].0;
            // Inside a word nothing starts: every term begins a word.
            if ch.is_alphanumeric() && index > 0 && is_word(&folded, index - 1) {
                index += 1;
                continue;
            }
            let texts = by_first.get(&ch).into_iter().flatten();
            let phones = phones.iter().filter(|_| ch.is_ascii_digit() || ch == '+');
            let best = texts
                .chain(phones)
                .filter_map(|term| match_at(&folded, index, &term.pattern).map(|end| (term, end)))
                .max_by_key(|(_, end)| *end);
            let Some((term, end)) = best else {
                index += 1;
                continue;
            };
            let inside_allowed = allowed
                .iter()
                .any(|range| range.start <= index && end <= range.end);
            let (start_byte, end_byte) = (byte_at(index), byte_at(end));
            if !inside_allowed && !comments::contains(skip, start_byte) {
                let written = &text[start_byte..end_byte.max(start_byte)];
                // A phrase broken over two lines is underlined on its first line.
                let shown = written.lines().next().unwrap_or(written);
                found.push(self.diagnostic(term, written).at_offset(
                    sources,
                    file,
                    start_byte,
                    shown.chars().count() as u32,
                ));
            }
            index = end;
        }
        found
    }

    fn origin(&self) -> String {
        if self.origin_name.is_empty() {
            "l'ente di origine".to_string()
        } else {
            self.origin_name.clone()
        }
    }

    fn diagnostic(&self, term: &Term, written: &str) -> Diagnostic {
        let written = written.split_whitespace().collect::<Vec<_>>().join(" ");
        let origin = self.origin();
        let allow = "se il riferimento è voluto, aggiungi la frase ad `allow` nella sezione [fork] di site.toml";
        let keep = |what: &str| {
            format!(
                "{what}; se vale anche per il tuo ente, aggiungi \"{}\" a `keep` nella sezione [fork] di site.toml",
                term.fact
            )
        };
        let own = |prefix: &str, own: &Option<String>, otherwise: &str| match own {
            Some(own) => format!("{prefix}, «{own}»"),
            None => otherwise.to_string(),
        };
        let (message, hint) = match term.kind {
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
            Kind::Parent => (
                format!("«{written}» è l'ente di appartenenza dell'ente di origine ({origin})"),
                keep(&own("scrivi l'ente di appartenenza del tuo ente", &self.own_parent, "scrivi l'ente di appartenenza del tuo ente")),
            ),
            Kind::Office => (
                format!("«{written}» è l'ufficio che ha scritto la carta dell'ente di origine ({origin})"),
                keep(&own("scrivi il nome del tuo ufficio", &self.own_office, "scrivi il nome del tuo ufficio")),
            ),
            Kind::Unit => (
                format!("«{written}» è il nome di una struttura dell'ente di origine ({origin})"),
                keep("scrivi il nome della struttura del tuo ente (organization.yaml)"),
            ),
            Kind::Person => (
                format!("«{written}» è il nome di una persona dell'ente di origine ({origin})"),
                keep("scrivi chi se ne occupa nel tuo ente, o togli il nome"),
            ),
            Kind::Email => (
                format!("«{written}» è un indirizzo email dell'ente di origine ({origin})"),
                keep(&match &self.own_domain {
                    Some(own) => format!("scrivi un indirizzo del tuo ente, per esempio su {own}"),
                    None => "scrivi un indirizzo email del tuo ente".to_string(),
                }),
            ),
            Kind::Phone => (
                format!("«{written}» è un numero di telefono dell'ente di origine ({origin})"),
                keep("scrivi un numero del tuo ente"),
            ),
            Kind::Address => (
                format!("«{written}» è l'indirizzo della sede dell'ente di origine ({origin})"),
                keep("scrivi l'indirizzo del tuo ente"),
            ),
            Kind::Service => (
                format!("«{written}» è il nome di un servizio dell'ente di origine ({origin})"),
                keep("scrivi il servizio come lo offre il tuo ente, o toglilo"),
            ),
            Kind::ProperName => (
                format!("«{written}» è un nome proprio dei dati dell'ente di origine ({origin}): un servizio, un sistema o un progetto"),
                keep("scrivi il nome che usa il tuo ente, o togli il riferimento"),
            ),
            Kind::Act => (
                format!("«{written}» è l'atto che ha approvato la carta dell'ente di origine ({origin})"),
                keep("scrivi gli estremi dell'atto che approva la tua carta"),
            ),
            Kind::Date => (
                format!("«{written}» è una data della carta dell'ente di origine ({origin}): approvazione, pubblicazione, aggiornamento o revisione"),
                keep("scrivi la data della tua carta"),
            ),
            Kind::Extra => (
                format!("il testo contiene ancora «{written}», uno dei termini dell'ente di origine"),
                "sostituisci o togli il termine (è elencato in `extra_terms` della sezione [fork] di site.toml)".to_string(),
            ),
        };
        Diagnostic::warning("W180", message).with_hint(hint)
    }

    /// The standards of `commitments.yaml` whose number is the old ente's for the same commitment.
    fn standard_leftovers(&self, sources: &SourceMap, file: FileId) -> Vec<Diagnostic> {
        if self.standards.is_empty() {
            return Vec::new();
        }
        let Some(commitments) = Tree::parse(sources, file) else {
            return Vec::new();
        };
        let recorded: Vec<(&str, &str, f64)> = self
            .standards
            .iter()
            .filter_map(|entry| parse_standard_entry(entry))
            .collect();
        let mut found = Vec::new();
        for standard in record::standard_numbers(&commitments) {
            let Some(value) = standard.number.scalar().and_then(|n| n.parse::<f64>().ok()) else {
                continue;
            };
            let same = recorded.iter().any(|(commitment, path, number)| {
                *commitment == standard.commitment && *path == standard.path && *number == value
            });
            let entry = standard.entry();
            if !same || self.is_kept(standard.commitment) || self.is_kept(&entry) {
                continue;
            }
            let written = standard.number.scalar().unwrap_or("");
            found.push(
                Diagnostic::warning(
                    "W180",
                    format!(
                        "«{written}» è il numero dello standard `{}` dell'impegno `{}` nella carta dell'ente di origine ({})",
                        standard.path,
                        standard.commitment,
                        self.origin()
                    ),
                )
                .with_hint(format!(
                    "scrivi lo standard che garantisce il tuo ente; se è davvero lo stesso, aggiungi \"{entry}\" a `keep` nella sezione [fork] di site.toml (oppure l'id dell'impegno, \"{}\", per tenerne tutti gli standard)",
                    standard.commitment
                ))
                .at(file, standard.number.line, standard.number.col, located_len(standard.number)),
            );
        }
        found
    }

    /// The edition of `charter.yaml`, when it is still the old ente's.
    fn edition_leftover(&self, sources: &SourceMap, file: FileId) -> Option<Diagnostic> {
        let recorded = self.edition.as_deref()?;
        let charter = Tree::parse(sources, file)?;
        let edition = charter.get("edition")?;
        let written = edition.scalar()?;
        (written.trim() == recorded).then(|| {
            Diagnostic::warning(
                "W180",
                format!(
                    "«{written}» è l'edizione della carta dell'ente di origine ({})",
                    self.origin()
                ),
            )
            .with_hint(format!(
                "scrivi l'edizione della tua carta (di solito l'anno in cui è approvata); se è la stessa, aggiungi \"{recorded}\" a `keep` nella sezione [fork] di site.toml"
            ))
            .at(file, edition.line, edition.col, located_len(edition))
        })
    }
}

/// The length to underline of a located scalar (its quotes included when it has them).
fn located_len(value: &Located<Tree>) -> u32 {
    value.len.max(1)
}

/// `credenziali-firma-digitale: take_charge.days = 3` → (commitment, path, number).
fn parse_standard_entry(entry: &str) -> Option<(&str, &str, f64)> {
    let (commitment, rest) = entry.split_once(':')?;
    let (path, number) = rest.split_once('=')?;
    Some((
        commitment.trim(),
        path.trim(),
        number.trim().replace(',', ".").parse().ok()?,
    ))
}

/// `W180`: everything the project still says of the ente it was copied from, in `site.toml` (but
/// its `[fork]` section), `charter.yaml`, the data files and the chapters. Nothing without `[fork]`.
pub(crate) fn leftovers(project: &Project) -> Vec<Diagnostic> {
    if project.config.fork.is_none() {
        return Vec::new();
    }
    let terms = Terms::for_project(project);
    if terms.is_empty() {
        return Vec::new();
    }
    let sources = &project.sources;
    let skipped = |file: FileId| {
        let mut skip = comments::whole_line(sources.path(file), sources.text(file));
        if file == project.config_file {
            skip.extend(fork_section(sources.text(file)));
        }
        skip
    };
    let mut found = terms.scan(sources, project.config_file, &skipped(project.config_file));
    for file in project.content_files() {
        found.extend(terms.scan(sources, file, &skipped(file)));
    }
    found.extend(terms.standard_leftovers(sources, project.commitments.file));
    found.extend(terms.edition_leftover(sources, project.charter.file));
    found
}

/// Where `pattern` matches at `index` of `folded` as whole words: the index just past the match.
fn match_at(folded: &[(char, usize)], index: usize, pattern: &Pattern) -> Option<usize> {
    match pattern {
        Pattern::Text(chars) => match_text(folded, index, chars),
        Pattern::Phone(digits) => match_phone(folded, index, digits),
    }
}

fn is_word(folded: &[(char, usize)], at: usize) -> bool {
    folded.get(at).is_some_and(|(ch, _)| ch.is_alphanumeric())
}

fn match_text(folded: &[(char, usize)], index: usize, term: &[char]) -> Option<usize> {
    let mut at = index;
    for wanted in term {
        if *wanted == ' ' {
            // Any run of white space (a phrase may be broken over lines).
            if !folded.get(at).is_some_and(|(ch, _)| ch.is_whitespace()) {
                return None;
            }
            while folded.get(at).is_some_and(|(ch, _)| ch.is_whitespace()) {
                at += 1;
            }
        } else if folded.get(at).is_some_and(|(ch, _)| ch == wanted) {
            at += 1;
        } else {
            return None;
        }
    }
    let first = term.first()?;
    let last = term.last()?;
    let starts = index == 0 || !is_word(folded, index - 1) || !first.is_alphanumeric();
    let ends = !is_word(folded, at) || !last.is_alphanumeric();
    (starts && ends).then_some(at)
}

/// A phone number at `index`, written with any single spaces, dots, slashes or hyphens between its
/// digits and an optional `+39` in front.
fn match_phone(folded: &[(char, usize)], index: usize, digits: &[char]) -> Option<usize> {
    if index > 0 && (is_word(folded, index - 1) || folded[index - 1].0 == '+') {
        return None;
    }
    let separator = |ch: char| matches!(ch, ' ' | '.' | '/' | '-' | '\u{a0}');
    let mut at = index;
    if folded.get(at).is_some_and(|(ch, _)| *ch == '+') {
        let country: String = folded
            .iter()
            .skip(at + 1)
            .take(2)
            .map(|(ch, _)| *ch)
            .collect();
        if country != "39" {
            return None;
        }
        at += 3;
        if folded.get(at).is_some_and(|(ch, _)| separator(*ch)) {
            at += 1;
        }
    }
    for (position, wanted) in digits.iter().enumerate() {
        if position > 0
            && folded.get(at).is_some_and(|(ch, _)| separator(*ch))
            && folded
                .get(at + 1)
                .is_some_and(|(ch, _)| ch.is_ascii_digit())
        {
            at += 1;
        }
        if folded.get(at).is_some_and(|(ch, _)| ch == wanted) {
            at += 1;
        } else {
            return None;
        }
    }
    (!is_word(folded, at)).then_some(at)
}

/// Every whole-word occurrence of `phrase`, as index ranges into `folded`.
fn matches(folded: &[(char, usize)], phrase: &[char]) -> Vec<Range<usize>> {
    if phrase.is_empty() || phrase.len() > folded.len() {
        return Vec::new();
    }
    (0..folded.len())
        .filter(|&index| folded[index].0 == phrase[0])
        .filter_map(|index| match_text(folded, index, phrase).map(|end| index..end))
        .collect()
}

/// The byte range of the `[fork]` table in `site.toml` (header line to the next table), if any.
pub(crate) fn fork_section(toml_text: &str) -> Option<Range<usize>> {
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
            match kind {
                Kind::Phone => terms.add_phone(text),
                kind => terms.add(text, *kind, text),
            }
        }
        terms
    }

    fn scan(terms: &Terms, text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("a.md", text.to_string());
        terms
            .scan(&sources, file, &[])
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

    #[test]
    fn phones_whatever_their_spacing() {
        let terms = terms(
            &[
                ("055 3282726", Kind::Phone),
                ("+39 055 3283807", Kind::Phone),
            ],
            &[],
        );
        assert_eq!(
            scan(
                &terms,
                "Tel. 055 328 2726, 055.3282726 o +39 0553283807; non 1055 3282726 né 055 32827261."
            ),
            ["1:6:12", "1:20:11", "1:34:14"]
        );
    }

    #[test]
    fn phrases_across_lines_and_apostrophes() {
        let terms = terms(
            &[
                ("Servizio Sicurezza dell'Ente", Kind::Unit),
                ("DSI", Kind::Office),
            ],
            &[],
        );
        assert_eq!(
            scan(
                &terms,
                "Il Servizio\n  sicurezza dell\u{2019}Ente e la DSI, non DSIT."
            ),
            ["1:4:8", "2:28:3"]
        );
    }

    #[test]
    fn dates_in_every_usual_form_and_only_those_dates() {
        let mut terms = terms(&[], &[]);
        for form in date_forms(&Date::parse("2025-06-03").unwrap()) {
            terms.add(&form, Kind::Date, "2025-06-03");
        }
        assert_eq!(
            scan(
                &terms,
                "date: 2025-06-03\nDD del 03 giugno 2025, il 3/6/2025, il 03.06.2025; non il 13/6/2025, né il 3 giugno 2024, né nel 2025."
            ),
            ["1:7:10", "2:8:14", "2:27:8", "2:40:10"]
        );
    }

    #[test]
    fn kept_facts_are_not_terms() {
        let mut terms = terms(&[], &[]);
        terms.kept = vec![lower("Regione Toscana"), lower("055 3282726")];
        terms.add("regione toscana", Kind::Parent, "Regione Toscana");
        terms.add_phone("055 3282726");
        terms.add("DSI", Kind::Office, "DSI");
        assert_eq!(
            scan(&terms, "Regione Toscana, 055 3282726, DSI"),
            ["1:31:3"]
        );
    }

    #[test]
    fn standard_entries_parse() {
        assert_eq!(
            parse_standard_entry("credenziali-firma-digitale: take_charge.percent = 99.6"),
            Some(("credenziali-firma-digitale", "take_charge.percent", 99.6))
        );
        assert_eq!(parse_standard_entry("senza numero"), None);
    }

    #[test]
    fn a_fork_section_written_by_an_older_carta_still_reads() {
        let toml = r#"
[ente]
name = "Comune di Quarto"
kind = "Comune"
city = "Quarto"
url = "https://www.comune.quarto.na.it/"
[ente.parent]
name = "Città Metropolitana di Napoli"
url = "https://www.cittametropolitana.na.it/"
[site]
base_url = "https://carta.comune.quarto.na.it/"
[footer]
accessibility = "https://form.agid.gov.it/"
privacy = "https://www.comune.quarto.na.it/privacy"
legal_notes = "https://www.comune.quarto.na.it/note-legali"
faq = "https://www.comune.quarto.na.it/faq"
report_inefficiency = "mailto:urp@comune.quarto.na.it"
[fork]
origin = { name = "Comune di Firenze", city = "Firenze", demonym = "fiorentini", domains = ["comune.fi.it"] }
extra_terms = ["FirenzeWIFI"]
allow = []
"#;
        let mut sources = SourceMap::new();
        let file = sources.add("site.toml", toml.to_string());
        let config = crate::config::parse(&sources, file).expect("valid site.toml");
        let terms = Terms::from_config(&config);
        assert_eq!(
            scan(
                &terms,
                "Le cittadine fiorentine, FirenzeWIFI, a@comune.fi.it, Quarto."
            ),
            ["1:14:10", "1:26:11", "1:41:12"]
        );
    }
}
