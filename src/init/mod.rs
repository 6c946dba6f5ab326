//! Init: a new charter project for another ente, blank or copied from an existing charter.
//!
//! A blank project has one chapter and the required data files, with commented examples and the
//! marker `DA COMPILARE` where the new ente must write its own data. A copy (`--from`) keeps the
//! text, the services and the commitments, clears the identity (ente, office, domains, people,
//! phones, PEC, addresses, opening hours) with the same marker, and records the old ente in
//! `[fork]` of `site.toml`, so `carta check` reports every leftover. The copy is a draft (the old
//! ente's approval act approves nothing of the new one) whose standards are not defined yet (they
//! were the old ente's promises). Files are edited in place, so comments and layout stay.

mod blocks;

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::{Origin, SiteConfig};
use crate::diagnostics::Diagnostics;
use crate::forms::PLACEHOLDER;
use crate::load::{self, yaml};
use crate::model::{Located, Project};
use crate::source::{SourceMap, offset_of};

#[derive(Debug, Clone)]
pub(crate) struct InitOptions {
    /// The folder to create (it may exist if empty).
    pub dir: PathBuf,
    /// The charter to copy, if any.
    pub from: Option<PathBuf>,
}

/// What was created.
#[derive(Debug)]
pub(crate) struct Created {
    pub dir: PathBuf,
    pub files: usize,
    /// The name of the ente the charter was copied from.
    pub origin: Option<String>,
}

#[derive(Debug)]
pub(crate) enum InitError {
    /// A mistake on the command line or with the folders: message and hint.
    Usage(String, String),
    /// The charter to copy has errors of its own.
    Content(Box<(SourceMap, Diagnostics)>),
    Io(PathBuf, std::io::Error),
}

const BLANK: [(&str, &str); 6] = [
    ("site.toml", include_str!("blank/site.toml")),
    (
        "content/charter.yaml",
        include_str!("blank/content/charter.yaml"),
    ),
    (
        "content/chapters/01-il-servizio.md",
        include_str!("blank/content/chapters/01-il-servizio.md"),
    ),
    (
        "content/data/organization.yaml",
        include_str!("blank/content/data/organization.yaml"),
    ),
    (
        "content/data/commitments.yaml",
        include_str!("blank/content/data/commitments.yaml"),
    ),
    (
        "content/data/contacts.yaml",
        include_str!("blank/content/data/contacts.yaml"),
    ),
];

/// The `.gitignore` of a new project: the output folder and carta's work folder next to it
/// (see [`crate::output::write::place`]).
pub(crate) const GITIGNORE: &str = include_str!("gitignore");

pub(crate) fn init(options: &InitOptions) -> Result<Created, InitError> {
    let dir = &options.dir;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(InitError::Usage(
                format!("la cartella {} esiste già e non è vuota", dir.display()),
                "scegli una cartella nuova: carta init non sovrascrive mai file esistenti"
                    .to_string(),
            ));
        }
    }
    if let Some(from) = &options.from
        && !from.join("site.toml").is_file()
    {
        return Err(InitError::Usage(
            format!(
                "non trovo la carta da copiare: manca {}",
                from.join("site.toml").display()
            ),
            "indica con --from la cartella di una carta (quella che contiene site.toml e content/)"
                .to_string(),
        ));
    }
    let project = match &options.from {
        Some(from) => match load::load(from) {
            Ok((project, _warnings)) => Some(project),
            Err((sources, diagnostics)) => {
                return Err(InitError::Content(Box::new((sources, diagnostics))));
            }
        },
        None => None,
    };
    let mut files = 0;
    write(&dir.join(".gitignore"), GITIGNORE)?;
    files += 1;
    let origin = match &project {
        None => {
            for (relative, text) in BLANK {
                write(&dir.join(relative), text)?;
                files += 1;
            }
            None
        }
        Some(project) => {
            let from = options.from.as_deref().unwrap_or(Path::new("."));
            files += copy_tree(&from.join("content"), &dir.join("content"), MEASURED)?;
            // The project's own files: its overrides (with their record) and a theme of its own;
            // never a copy of the built-in theme, which carta carries.
            for own in [
                crate::theme::PROJECT_TEMPLATES,
                crate::theme::PROJECT_STATIC,
            ] {
                if from.join(own).is_dir() {
                    files += copy_tree(&from.join(own), &dir.join(own), &[])?;
                }
            }
            let theme = &project.config.site.theme;
            if theme != crate::theme::files::BUILT_IN && from.join("themes").join(theme).is_dir() {
                files += copy_tree(
                    &from.join("themes").join(theme),
                    &dir.join("themes").join(theme),
                    &[],
                )?;
            }
            let record = crate::theme::upgrade::RECORD;
            if from.join(record).is_file() {
                std::fs::copy(from.join(record), dir.join(record))
                    .map_err(|e| InitError::Io(dir.join(record), e))?;
                files += 1;
            }
            for (relative, text) in cleared(project) {
                write(&dir.join(relative), &text)?;
            }
            files += 1; // site.toml
            Some(project.config.ente.name.clone())
        }
    };
    Ok(Created {
        dir: dir.clone(),
        files,
        origin,
    })
}

fn write(path: &Path, text: &str) -> Result<(), InitError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
    }
    std::fs::write(path, text).map_err(|e| InitError::Io(path.to_path_buf(), e))
}

/// The files under `content/` a copy leaves out: what the origin measured and heard (its
/// results, surveys, complaints and class actions) is its own; the new ente has none until it
/// measures its own, and a copy would publish another ente's figures as the new one's.
const MEASURED: &[&str] = &[
    "data/results.yaml",
    "data/results.csv",
    "data/feedback.yaml",
];

/// Copies a folder, leaving out `node_modules` (reinstalled with npm), symbolic links and the
/// files `skip` names (relative to `from`).
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<usize, InitError> {
    let mut count = 0;
    let walker = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "node_modules");
    for entry in walker {
        let entry = entry.map_err(|e| InitError::Io(from.to_path_buf(), e.into()))?;
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        if skip.iter().any(|skipped| relative == Path::new(skipped)) {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| InitError::Io(target.clone(), e))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).map_err(|e| InitError::Io(target.clone(), e))?;
            count += 1;
        }
    }
    Ok(count)
}

/// The files of a copied charter whose identity is cleared, with their new text.
fn cleared(project: &Project) -> Vec<(&'static str, String)> {
    let sources = &project.sources;
    let mut out = vec![(
        "site.toml",
        site_toml(&project.config, &crate::fork::record(project)),
    )];
    let charter = sources.text(project.charter.file);
    if let Ok(view) = yaml::parse::<CharterView>(charter, sources, project.charter.file, 0) {
        out.push(("content/charter.yaml", charter_as_draft(charter, &view)));
    }
    let commitments = sources.text(project.commitments.file);
    out.push((
        "content/data/commitments.yaml",
        standards_not_defined(commitments),
    ));

    // People get neutral ids (persona-1, …), no name, honorific, phone or email: they are the old
    // ente's. Their references (heads, staff, processes) follow.
    let organization = sources.text(project.organization.file);
    let Ok(org_view) =
        yaml::parse::<OrganizationView>(organization, sources, project.organization.file, 0)
    else {
        return out;
    };
    let new_id = |old: &str| {
        org_view
            .people
            .iter()
            .position(|person| person.id.value == old)
            .map(|index| format!("persona-{}", index + 1))
    };
    let mut edits = Edits::new(organization);
    for person in &org_view.people {
        if let Some(id) = new_id(&person.id.value) {
            edits.replace(&person.id, &id);
        }
        edits.placeholder(&person.name);
        for (value, key) in [
            (&person.honorific, "honorific:"),
            (&person.phone, "phone:"),
            (&person.email, "email:"),
        ] {
            if let Some(value) = value {
                edits.remove_line_or_clear(value, &[key]);
            }
        }
    }
    let mut units: Vec<&UnitView> = vec![&org_view.direction];
    for service in &org_view.services {
        units.push(service);
        units.extend(service.units.iter());
    }
    for unit in units {
        if let Some(head) = &unit.head
            && let Some(id) = new_id(&head.value)
        {
            edits.replace(head, &id);
        }
        for member in &unit.staff {
            if let Some(id) = new_id(&member.person.value) {
                edits.replace(&member.person, &id);
            }
        }
        for phone in &unit.phones {
            edits.placeholder(phone);
        }
    }
    out.push(("content/data/organization.yaml", edits.apply()));

    let contacts = sources.text(project.contacts.file);
    out.push((
        "content/data/contacts.yaml",
        contacts_cleared(contacts, &project.contacts.data, &new_id),
    ));
    out
}

/// `charter.yaml` of the copy: office, short name and credits to fill in, and no approval act or
/// publication date (the copy is a draft until the new ente approves it). Should the result not
/// read as a draft (a layout the line scan misjudged), the act is left to fill in instead.
fn charter_as_draft(text: &str, view: &CharterView) -> String {
    let mut edits = Edits::new(text);
    edits.placeholder(&view.office);
    if let Some(short) = &view.office_short {
        edits.placeholder(short);
    }
    for credit in &view.credits {
        edits.placeholder(&credit.name);
    }
    let fallback = edits.clone();
    for block in blocks::key_blocks(text, "approval")
        .into_iter()
        .chain(blocks::key_blocks(text, "published"))
        .filter(|block| block.key_start == block.lines.start)
    {
        let comment = if text[block.key_start..].starts_with("approval") {
            DRAFT_COMMENT
        } else {
            ""
        };
        edits.push(block.lines, comment.to_string());
    }
    let draft = edits.apply();
    let is_draft = parse_as::<crate::model::Charter>(&draft)
        .is_some_and(|charter| charter.is_draft() && charter.published.is_none());
    if is_draft {
        return draft;
    }
    let mut edits = fallback;
    if let Some(approval) = &view.approval {
        edits.placeholder(&approval.act);
    }
    edits.apply()
}

/// Written where the copied charter had its approval act.
const DRAFT_COMMENT: &str = "\
# Copiata da un'altra carta: è una bozza finché il tuo ente non la approva (il sito lo dice in ogni
# pagina e `carta build --strict` la rifiuta, salvo --allow-draft). Quando c'è l'atto, aggiungi:
# approval:
#   act: \"…\"           # estremi dell'atto
#   date: AAAA-MM-GG   # data dell'atto
";

/// `commitments.yaml` of the copy: every commitment keeps its service, users and responsible
/// units, and its standards become `not_defined`, since the numbers were the old ente's promises
/// (they stay recorded in `[fork]`, so writing them back is reported). Unchanged if the result
/// would not read so.
fn standards_not_defined(text: &str) -> String {
    let mut edits = Edits::new(text);
    for block in blocks::key_blocks(text, "standards") {
        if block.inline == "not_defined" {
            continue;
        }
        let newline = if text[..block.lines.end].ends_with('\n') {
            "\n"
        } else {
            ""
        };
        edits.push(
            block.key_start..block.lines.end,
            format!("standards: not_defined{newline}"),
        );
    }
    if edits.is_empty() {
        return text.to_string();
    }
    let edited = format!("{STANDARDS_COMMENT}{}", edits.apply());
    let all_not_defined = parse_as::<crate::model::Commitments>(&edited).is_some_and(|data| {
        data.commitments
            .iter()
            .all(|commitment| commitment.standards.not_defined)
    });
    if all_not_defined {
        edited
    } else {
        text.to_string()
    }
}

/// Written at the top of the copy's `commitments.yaml`.
const STANDARDS_COMMENT: &str = "\
# Gli standard della carta copiata erano gli impegni dell'altro ente: qui sono «non ancora definiti»
# (standards: not_defined) finché il tuo ente non scrive i suoi. Guida: docs/content.md § 7.
";

/// `contacts.yaml` of the copy: process heads renamed like the people; the office's phones,
/// address and opening hours, and the PEC, phones, address and hours of the other contacts, to
/// fill in. The dates an office was closed or open otherwise (`exceptions`) were the old office's:
/// they go. Emails stay (like the units' own), to be checked with the leftovers (`W180`).
fn contacts_cleared(
    text: &str,
    view: &crate::model::Contacts,
    new_id: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut edits = Edits::new(text);
    for process in &view.processes {
        if let Some(id) = new_id(&process.responsible.value) {
            edits.replace(&process.responsible, &id);
        }
    }
    let mut places = vec![(&view.phones, &view.address, &view.hours)];
    for other in &view.other {
        if let Some(pec) = &other.pec {
            edits.placeholder(pec);
        }
        places.push((&other.phones, &other.address, &other.hours));
    }
    for (phones, address, hours) in places {
        for phone in phones {
            edits.placeholder(phone);
        }
        if let Some(address) = address {
            for part in [&address.street, &address.postcode, &address.city] {
                edits.placeholder(part);
            }
        }
        if let Some(hours) = hours {
            for rule in &hours.weekly {
                for times in &rule.times.value {
                    edits.placeholder(times);
                }
                if let Some(note) = &rule.note {
                    edits.placeholder(note);
                }
            }
            if let Some(note) = &hours.note {
                edits.placeholder(note);
            }
        }
    }
    let fallback = edits.clone();
    for block in blocks::key_blocks(text, "exceptions")
        .into_iter()
        .filter(|block| !block.in_item)
    {
        edits.push(block.lines, String::new());
    }
    let edited = edits.apply();
    let no_exceptions = parse_as::<crate::model::Contacts>(&edited).is_some_and(|contacts| {
        contacts
            .hours
            .iter()
            .chain(
                contacts
                    .other
                    .iter()
                    .filter_map(|other| other.hours.as_ref()),
            )
            .all(|hours| hours.exceptions.is_empty())
    });
    if no_exceptions {
        edited
    } else {
        fallback.apply()
    }
}

/// `text` read as the model reads that file, if it can be.
fn parse_as<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let mut sources = SourceMap::new();
    let file = sources.add("copy.yaml", text.to_string());
    yaml::parse::<T>(text, &sources, file, 0).ok()
}

/// A TOML or YAML double-quoted string (JSON's escapes are valid in both).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{PLACEHOLDER}\""))
}

/// The new `site.toml`: the old settings without the old identity, and `[fork]` naming the old ente.
fn site_toml(config: &SiteConfig, origin: &Origin) -> String {
    let ente = &config.ente;
    let site = &config.site;
    let blank = quoted(PLACEHOLDER);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Identità dell'ente e impostazioni del sito. Guida completa: docs/content.md\n\
         # Carta copiata da quella dell'ente «{}»: sostituisci ogni \"{PLACEHOLDER}\" con i dati del\n\
         # tuo ente, poi lancia `carta check`, che elenca anche ogni dato rimasto del vecchio ente\n\
         # (la sezione [fork] in fondo dice quali sono).\n",
        ente.name
    );
    let _ = writeln!(text, "[ente]");
    let _ = writeln!(text, "name = {blank}\nkind = {}", quoted(&ente.kind));
    let _ = writeln!(text, "city = {blank}");
    let _ = writeln!(
        text,
        "# Nome degli abitanti (facoltativo): togli la riga se non serve."
    );
    let _ = writeln!(
        text,
        "demonym = {blank}\n# Sito istituzionale (facoltativo: se la carta non lo dà, togli la riga; non inventarlo).\nurl = {blank}\ndomains = [{blank}]"
    );
    let _ = writeln!(text, "colour = {}\n", quoted(&ente.colour));
    let _ = writeln!(
        text,
        "[ente.parent]\nname = {blank}\n# Sito dell'ente di appartenenza (facoltativo: senza, il nome compare senza link)."
    );
    let _ = writeln!(text, "url = {blank}\n");
    let _ = writeln!(text, "[site]\nbase_url = {blank}");
    let _ = writeln!(text, "language = {}", quoted(&site.language));
    let _ = writeln!(text, "theme = {}", quoted(&site.theme));
    let _ = writeln!(
        text,
        "external_links_new_window = {}",
        site.external_links_new_window
    );
    if site.numbering {
        // The chapters are copied as they are: without their numbers, carta gives them.
        let _ = writeln!(text, "numbering = true");
    }
    if !site.stylesheets.is_empty() {
        let sheets: Vec<String> = site.stylesheets.iter().map(|s| quoted(s)).collect();
        let _ = writeln!(text, "stylesheets = [{}]", sheets.join(", "));
    }
    let _ = writeln!(
        text,
        "\n[footer]\n# La dichiarazione di accessibilità del tuo ente, compilata su https://form.agid.gov.it/"
    );
    let _ = writeln!(text, "accessibility = {blank}\nprivacy = {blank}");
    let _ = writeln!(text, "legal_notes = {blank}\nfaq = {blank}");
    let _ = writeln!(
        text,
        "# Una pagina web oppure \"mailto:indirizzo@dominio.it\"\nreport_inefficiency = {blank}\n"
    );
    text.push_str(&fork_section(origin, config));
    text
}

/// `[fork]`: what to keep and allow, then every fact of the old ente found in its charter, by kind.
fn fork_section(origin: &Origin, config: &SiteConfig) -> String {
    let mut text = String::new();
    let city = origin.city.as_deref().unwrap_or("Firenze");
    let _ = writeln!(
        text,
        "[fork]\n\
         # Carta copiata da quella dell'ente «{name}». In [fork.origin], più sotto, ci sono i dati\n\
         # di quell'ente trovati nella sua carta: `carta check` e `carta build` segnalano (W180) ogni\n\
         # punto in cui uno di essi compare ancora. Sostituiscilo con il dato del tuo ente; se invece\n\
         # vale anche per il tuo ente (la stessa regione, un servizio con lo stesso nome, lo stesso\n\
         # standard), scrivilo in `keep` come è scritto sotto e non sarà più segnalato (l'id di un\n\
         # impegno tiene tutti i suoi standard).\n\
         keep = []\n\
         # Frasi in cui il vecchio ente può comparire di proposito, per esempio [\"Città metropolitana di {city}\"].\n\
         allow = []",
        name = origin.name
    );
    let extra: Vec<&String> = config
        .fork
        .iter()
        .flat_map(|fork| fork.extra_terms.iter())
        .collect();
    let _ = writeln!(
        text,
        "# Altri termini del vecchio ente da cercare (luoghi, progetti), per esempio [\"Palazzo Vecchio\"].\n\
         extra_terms = {}\n",
        toml_list(&extra)
    );
    let _ = writeln!(
        text,
        "[fork.origin]\n# Scritto da `carta init --from`: si può correggere, aggiungere o togliere un dato.\n\
         name = {}",
        quoted(&origin.name)
    );
    if let Some(city) = &origin.city {
        let _ = writeln!(text, "city = {}", quoted(city));
    }
    let list = |text: &mut String, key: &str, values: &[String], comment: &str| {
        if !values.is_empty() {
            let values: Vec<&String> = values.iter().collect();
            let _ = writeln!(text, "# {comment}\n{key} = {}", toml_list(&values));
        }
    };
    list(
        &mut text,
        "demonyms",
        &origin.demonyms,
        "Gli abitanti: ogni nome è cercato al maschile e al femminile, singolare e plurale.",
    );
    list(
        &mut text,
        "domains",
        &origin.domains,
        "Domini, cercati anche dentro gli indirizzi email e web.",
    );
    list(
        &mut text,
        "parent",
        &origin.parent,
        "L'ente di appartenenza.",
    );
    list(
        &mut text,
        "offices",
        &origin.offices,
        "L'ufficio che ha scritto la carta, e la sua sigla.",
    );
    list(
        &mut text,
        "units",
        &origin.units,
        "Le strutture dell'organigramma.",
    );
    list(&mut text, "people", &origin.people, "Le persone.");
    list(&mut text, "emails", &origin.emails, "Indirizzi email.");
    list(
        &mut text,
        "phones",
        &origin.phones,
        "Telefoni, cercati comunque siano scritti (055 3283807, 055 328 3807, 055.3283807).",
    );
    list(&mut text, "address", &origin.address, "La sede.");
    list(
        &mut text,
        "services",
        &origin.services,
        "I servizi degli impegni.",
    );
    list(
        &mut text,
        "names",
        &origin.names,
        "Nomi propri nei dati: servizi, sistemi, progetti.",
    );
    if let Some(act) = &origin.act {
        let _ = writeln!(text, "# L'atto di approvazione.\nact = {}", quoted(act));
    }
    list(
        &mut text,
        "dates",
        &origin.dates,
        "Date della carta, cercate anche scritte per esteso (3 giugno 2025, 03/06/2025).",
    );
    if let Some(edition) = &origin.edition {
        let _ = writeln!(
            text,
            "# L'edizione: segnalata solo in charter.yaml.\nedition = {}",
            quoted(edition)
        );
    }
    list(
        &mut text,
        "standards",
        &origin.standards,
        "I numeri degli standard, per impegno: segnalati solo dove lo stesso impegno ha lo stesso numero.",
    );
    text
}

/// A TOML array of strings: on one line when short, otherwise one item per line.
fn toml_list(values: &[&String]) -> String {
    let items: Vec<String> = values.iter().map(|value| quoted(value)).collect();
    let one_line = format!("[{}]", items.join(", "));
    if one_line.chars().count() <= 90 {
        return one_line;
    }
    let mut text = "[\n".to_string();
    for item in items {
        let _ = writeln!(text, "  {item},");
    }
    text.push(']');
    text
}

/// Replacements in one file's text, applied together from the end so offsets stay valid.
#[derive(Clone)]
struct Edits<'a> {
    text: &'a str,
    edits: Vec<(Range<usize>, String)>,
}

impl<'a> Edits<'a> {
    fn new(text: &'a str) -> Self {
        Edits {
            text,
            edits: Vec::new(),
        }
    }

    /// The bytes of the scalar at a position, quotes included.
    fn scalar(&self, value: &Located<String>) -> Option<Range<usize>> {
        let text = self.text;
        let mut start = offset_of(text, value.line, value.col);
        if start > 0
            && matches!(text.as_bytes().get(start), Some(c) if *c != b'"' && *c != b'\'')
            && matches!(text.as_bytes()[start - 1], b'"' | b'\'')
        {
            start -= 1;
        }
        let rest = text.get(start..)?;
        let end = match rest.chars().next()? {
            '"' => {
                let mut escaped = false;
                let mut end = None;
                for (index, ch) in rest.char_indices().skip(1) {
                    match ch {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => {
                            end = Some(index + 1);
                            break;
                        }
                        '\n' => break,
                        _ => escaped = false,
                    }
                }
                start + end?
            }
            '\'' => start + 1 + rest[1..].find('\'')? + 1,
            _ => {
                let plain: usize = rest
                    .chars()
                    .take(value.len.max(1) as usize)
                    .take_while(|c| *c != '\n')
                    .map(char::len_utf8)
                    .sum();
                start + plain
            }
        };
        Some(start..end)
    }

    fn push(&mut self, range: Range<usize>, new: String) {
        self.edits.push((range, new));
    }

    fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    fn replace(&mut self, value: &Located<String>, new: &str) {
        if let Some(range) = self.scalar(value) {
            self.edits.push((range, new.to_string()));
        }
    }

    fn placeholder(&mut self, value: &Located<String>) {
        self.replace(value, &quoted(PLACEHOLDER));
    }

    /// Removes the whole line when it holds only this key; otherwise clears the value.
    fn remove_line_or_clear(&mut self, value: &Located<String>, keys: &[&str]) {
        let text = self.text;
        let start = offset_of(text, value.line, 1);
        let end = text[start..]
            .find('\n')
            .map(|at| start + at + 1)
            .unwrap_or(text.len());
        let line = text[start..end].trim_start();
        if keys.iter().any(|key| line.starts_with(key)) {
            self.edits.push((start..end, String::new()));
        } else {
            self.placeholder(value);
        }
    }

    fn apply(mut self) -> String {
        self.edits
            .sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut text = self.text.to_string();
        let mut last_start = usize::MAX;
        for (range, new) in self.edits {
            // Overlapping edits cannot happen with well-formed files; skip rather than corrupt.
            if range.end > last_start {
                continue;
            }
            last_start = range.start;
            text.replace_range(range, &new);
        }
        text
    }
}

// Views of the data files with positions for the values `init` replaces; other keys are ignored.

#[derive(Deserialize)]
struct CharterView {
    office: Located<String>,
    #[serde(default)]
    office_short: Option<Located<String>>,
    #[serde(default)]
    approval: Option<ApprovalView>,
    #[serde(default)]
    credits: Vec<CreditView>,
}

#[derive(Deserialize)]
struct ApprovalView {
    act: Located<String>,
}

#[derive(Deserialize)]
struct CreditView {
    name: Located<String>,
}

#[derive(Deserialize)]
struct OrganizationView {
    people: Vec<PersonView>,
    direction: UnitView,
    #[serde(default)]
    services: Vec<UnitView>,
}

#[derive(Deserialize)]
struct PersonView {
    id: Located<String>,
    name: Located<String>,
    #[serde(default)]
    honorific: Option<Located<String>>,
    #[serde(default)]
    phone: Option<Located<String>>,
    #[serde(default)]
    email: Option<Located<String>>,
}

#[derive(Deserialize)]
struct UnitView {
    #[serde(default)]
    head: Option<Located<String>>,
    #[serde(default)]
    phones: Vec<Located<String>>,
    #[serde(default)]
    staff: Vec<StaffView>,
    #[serde(default)]
    units: Vec<UnitView>,
}

#[derive(Deserialize)]
struct StaffView {
    person: Located<String>,
}
