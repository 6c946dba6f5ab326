//! What `carta init --from` records of the charter it copies: every fact that says which ente it
//! belongs to, by kind, as written in that charter (see `docs/content.md` § 3, `[fork]`).
//!
//! Facts are found by key in the files, not through the model: names of people under `people`,
//! unit names elsewhere in `organization.yaml`, numbers under the `standards` of a commitment, and
//! so on. Only what the source actually says is recorded; nothing is guessed from a name by rule,
//! except the demonyms its text uses that start like its city's name ("milanesi" for Milano).

use crate::config::Origin;
use crate::forms;
use crate::model::{Date, Located, Project};
use crate::source::FileId;

use super::tree::Tree;
use super::{demonym_forms, lower};

/// The facts of `project`, the charter being copied.
pub(crate) fn record(project: &Project) -> Origin {
    let ente = &project.config.ente;
    let sources = &project.sources;
    let parse = |file: FileId| Tree::parse(sources, file);
    let charter = parse(project.charter.file);
    let organization = parse(project.organization.file);
    let commitments = parse(project.commitments.file);
    let contacts = parse(project.contacts.file);
    let mut data: Vec<Located<Tree>> = [&organization, &commitments, &contacts]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let optional = [
        project.stakeholders.as_ref().map(|data| data.file),
        project.channels.as_ref().map(|data| data.file),
    ];
    data.extend(optional.into_iter().flatten().filter_map(parse));

    let mut origin = Origin {
        name: ente.name.trim().to_string(),
        ..Origin::default()
    };
    if filled(&ente.city) {
        origin.city = Some(ente.city.trim().to_string());
    }

    // Demonyms: the one `site.toml` declares, and the words of the text that start like the city.
    if let Some(demonym) = ente.demonym.as_deref().filter(|d| filled(d)) {
        push(&mut origin.demonyms, demonym);
    }
    let mut texts: Vec<&str> = vec![sources.text(project.config_file)];
    texts.extend(project.content_files().into_iter().map(|f| sources.text(f)));
    for word in city_demonyms(&ente.city, &texts) {
        let known = origin
            .demonyms
            .iter()
            .any(|demonym| demonym_forms(&demonym.to_lowercase()).contains(&word));
        if !known {
            push(&mut origin.demonyms, &word);
        }
    }

    for domain in &ente.domains {
        push(&mut origin.domains, domain);
    }
    if let Some(host) = ente.url.as_deref().and_then(host) {
        let covered = origin
            .domains
            .iter()
            .any(|domain| host == domain.to_lowercase() || host.ends_with(&format!(".{domain}")));
        if !covered {
            push(&mut origin.domains, &host);
        }
    }
    push(&mut origin.parent, &ente.parent.name);
    if let Some(host) = ente.parent.url.as_deref().and_then(host) {
        push(&mut origin.parent, &host);
    }

    if let Some(charter) = &charter {
        for key in ["office", "office_short"] {
            if let Some(office) = charter.get(key).and_then(|v| v.scalar()) {
                push(&mut origin.offices, office);
            }
        }
        origin.act = charter
            .get("approval")
            .and_then(|approval| approval.get("act"))
            .and_then(|act| act.scalar())
            .filter(|act| filled(act))
            .map(|act| act.trim().to_string());
        origin.edition = charter
            .get("edition")
            .and_then(|edition| edition.scalar())
            .filter(|edition| filled(edition))
            .map(|edition| edition.trim().to_string());
        charter.walk(&mut Vec::new(), &mut |_, value| {
            if let Some(date) = Date::parse(value) {
                push(&mut origin.dates, &date.iso());
            }
        });
    }

    if let Some(organization) = &organization {
        organization.walk(
            &mut Vec::new(),
            &mut |path, value| match (path.first(), path.last()) {
                (Some(&"people"), Some(&"name")) => push(&mut origin.people, value),
                (_, Some(&"name")) => {
                    let office = origin.offices.iter().any(|o| o.eq_ignore_ascii_case(value));
                    if !office {
                        push(&mut origin.units, value);
                    }
                }
                _ => {}
            },
        );
    }

    if let Some(commitments) = &commitments {
        for commitment in commitments
            .get("commitments")
            .map(|c| c.items())
            .unwrap_or(&[])
        {
            if let Some(service) = commitment.get("service").and_then(|s| s.scalar()) {
                push(&mut origin.services, service);
            }
        }
        for number in standard_numbers(commitments) {
            push(&mut origin.standards, &number.entry());
        }
    }

    let city = ente.city.trim().to_lowercase();
    for tree in &data {
        tree.walk(&mut Vec::new(), &mut |path, value| {
            let key = path.last().copied().unwrap_or("");
            if matches!(key, "phone" | "phones") && forms::is_phone(value.trim()) {
                push_phone(&mut origin.phones, value);
            }
            if path.contains(&"address") && value.trim().to_lowercase() != city {
                push(&mut origin.address, value);
            }
            if key != "id" && !value.contains("://") && !value.contains('@') {
                for name in proper_names(value) {
                    if name.to_lowercase() != city {
                        push(&mut origin.names, name);
                    }
                }
            }
        });
    }
    for text in texts {
        for email in emails(text) {
            push(&mut origin.emails, email);
        }
    }
    origin
}

/// A number of a standard in `commitments.yaml`, with the commitment and the keys that lead to it.
#[derive(Debug, Clone)]
pub(crate) struct StandardNumber<'a> {
    pub commitment: &'a str,
    /// `take_charge.days`; for a standard with an `id`, that id first (`frequenza.target.at_least`).
    pub path: String,
    pub number: &'a Located<Tree>,
}

impl StandardNumber<'_> {
    /// As recorded in `[fork]`: `credenziali-firma-digitale: take_charge.days = 3`.
    pub(crate) fn entry(&self) -> String {
        format!(
            "{}: {} = {}",
            self.commitment,
            self.path,
            self.number.scalar().unwrap_or("")
        )
    }
}

/// Every number under the `standards` of a commitment that has an `id`, in document order.
pub(crate) fn standard_numbers(commitments: &Located<Tree>) -> Vec<StandardNumber<'_>> {
    let mut found = Vec::new();
    for commitment in commitments
        .get("commitments")
        .map(|c| c.items())
        .unwrap_or(&[])
    {
        let Some(id) = commitment.get("id").and_then(|id| id.scalar()) else {
            continue;
        };
        for standard in commitment
            .get("standards")
            .map(|s| s.items())
            .unwrap_or(&[])
        {
            let mut path: Vec<&str> = standard
                .get("id")
                .and_then(|id| id.scalar())
                .into_iter()
                .collect();
            numbers(standard, &mut path, &mut |path, number| {
                found.push(StandardNumber {
                    commitment: id,
                    path: path.join("."),
                    number,
                })
            });
        }
    }
    found
}

fn numbers<'a>(
    tree: &'a Located<Tree>,
    path: &mut Vec<&'a str>,
    visit: &mut dyn FnMut(&[&str], &'a Located<Tree>),
) {
    match &tree.value {
        Tree::Number(_) => visit(path, tree),
        Tree::List(items) => {
            for item in items {
                numbers(item, path, visit);
            }
        }
        Tree::Map(entries) => {
            for (key, value) in entries {
                path.push(key);
                numbers(value, path, visit);
                path.pop();
            }
        }
        Tree::Text(_) | Tree::Other => {}
    }
}

fn filled(value: &str) -> bool {
    !value.trim().is_empty() && !forms::is_placeholder(value)
}

/// Adds a fact once (ignoring case), unless it is empty or still to fill in.
fn push(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if filled(value) && !list.iter().any(|known| lower(known) == lower(value)) {
        list.push(value.to_string());
    }
}

/// Adds a phone number once, whatever its spacing.
fn push_phone(list: &mut Vec<String>, value: &str) {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    if !list.iter().any(|known| digits(known) == digits(value)) {
        push(list, value);
    }
}

/// The host of a web address, without `www.`.
fn host(url: &str) -> Option<String> {
    let host = crate::rewrite::host_of(url.trim())?;
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    forms::is_domain(&host).then_some(host)
}

/// Endings of Italian demonyms: milanese, milanesi, fiorentino, romani, veronense…
const DEMONYM_ENDINGS: [&str; 12] = [
    "ese", "esi", "ino", "ina", "ini", "ine", "ano", "ana", "ani", "ane", "ense", "ensi",
];

/// The words of `texts` that look like a demonym of a one-word `city`: they start with the city's
/// name without its last vowel and end like a demonym ("Milano" → "milanesi", "milanese").
fn city_demonyms(city: &str, texts: &[&str]) -> Vec<String> {
    let city = city.trim().to_lowercase();
    if city.contains(char::is_whitespace) || !filled(&city) {
        return Vec::new();
    }
    let stem = match city.chars().last() {
        Some(last) if "aeiou".contains(last) => &city[..city.len() - last.len_utf8()],
        _ => city.as_str(),
    };
    if stem.chars().count() < 4 {
        return Vec::new();
    }
    let mut found: Vec<String> = Vec::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let word = word.to_lowercase();
            let demonym = word.starts_with(stem)
                && word.chars().count() >= stem.chars().count() + 3
                && word != city
                && DEMONYM_ENDINGS.iter().any(|ending| word.ends_with(ending));
            if demonym && !found.contains(&word) {
                found.push(word);
            }
        }
    }
    found
}

/// Generic words written in mixed case that name no ente in particular.
const GENERIC_NAMES: [&str; 22] = [
    "wifi",
    "wi-fi",
    "iot",
    "iaas",
    "paas",
    "saas",
    "pagopa",
    "appio",
    "app-io",
    "mepa",
    "eidas",
    "spa",
    "srl",
    "devops",
    "javascript",
    "youtube",
    "linkedin",
    "whatsapp",
    "github",
    "gitlab",
    "sharepoint",
    "onedrive",
];

/// The coined names in a text: words in mixed case with a capital inside ("FirenzeWIFI",
/// "SiGeDo") or hyphenated capitalised parts ("Fi-Net"). Ordinary capitalised words and
/// acronyms ("Intranet", "PEC") are not.
pub(crate) fn proper_names(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || ",;:()[]{}\"«»/".contains(c))
        .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|token| is_coined(token))
        .collect()
}

fn is_coined(token: &str) -> bool {
    let chars: Vec<char> = token.chars().collect();
    let mixed = chars.iter().any(|c| c.is_lowercase()) && chars.iter().any(|c| c.is_uppercase());
    let camel = chars
        .windows(2)
        .any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase());
    let hyphenated = token.contains('-')
        && token
            .split('-')
            .all(|part| part.chars().next().is_some_and(char::is_uppercase));
    mixed && (camel || hyphenated) && !GENERIC_NAMES.contains(&token.to_lowercase().as_str())
}

/// The email addresses written in a text (in links, in data, in prose).
fn emails(text: &str) -> Vec<&str> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| local(*c))
            .last()
            .map(|(index, _)| index)
            .unwrap_or(at);
        let end = at
            + 1
            + text[at + 1..]
                .find(|c: char| !domain(c))
                .unwrap_or(text.len() - at - 1);
        let email = text[start..end].trim_matches(|c: char| c == '.' || c == '\'');
        if forms::is_email(email) {
            found.push(email);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coined_names_not_ordinary_words() {
        assert_eq!(
            proper_names("FirenzeWIFI nelle aree coperte, Connettività Fi-Net"),
            ["FirenzeWIFI", "Fi-Net"]
        );
        assert_eq!(
            proper_names("Gestione documentale: AttiCo, SiGeDo, Lisia, Gespra, Sigepro"),
            ["AttiCo", "SiGeDo"]
        );
        assert!(
            proper_names("Intranet: PEC, SSO, ANCI-ANCITEL, Office365, e-mail, WiFi, pagoPA")
                .is_empty()
        );
    }

    #[test]
    fn emails_anywhere_in_text() {
        assert_eq!(
            emails("scrivi a [a.b@comune.fi.it](mailto:a.b@comune.fi.it). Oppure: x@y, @z"),
            ["a.b@comune.fi.it", "a.b@comune.fi.it"]
        );
    }

    #[test]
    fn demonyms_that_start_like_the_city() {
        let texts = [
            "I milanesi e la milanese; Milano, milanista, milan.",
            "MILANESI",
        ];
        assert_eq!(city_demonyms("Milano", &texts), ["milanesi", "milanese"]);
        assert!(city_demonyms("Firenze", &["i fiorentini"]).is_empty());
        assert!(city_demonyms("Borgo Sereno", &["borghigiani"]).is_empty());
        assert!(
            city_demonyms("Bra", &["braini"]).is_empty(),
            "a stem too short"
        );
    }
}
