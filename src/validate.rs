//! Validate: checks a loaded [`Project`] for mistakes the parser cannot see.
//!
//! Duplicate ids, references to people or units that do not exist, malformed emails, phones and
//! addresses, impossible percentages, incoherent dates, site settings AGID requires. It reads the
//! model and returns diagnostics; it never changes the model and never renders anything.

mod feedback;
mod results;

use std::collections::HashMap;

use crate::colour::{self, Rgb};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::forms;
use crate::model::{
    Commitment, Commitments, Comparator, DataFile, Located, MeasureUnit, Organization, Preset,
    Project, Standard, StandardKind, Target, Unit,
};
use crate::slug;
use crate::source::{FileId, SourceMap};

pub(crate) fn validate(project: &Project) -> Diagnostics {
    let mut check = Checker {
        sources: &project.sources,
        diagnostics: Diagnostics::new(),
    };
    check.config(project);
    check.stylesheets(project);
    check.charter(project);
    check.chapters(project);
    check.organization(&project.organization);
    check.commitments(
        project.commitments.file,
        &project.commitments.data,
        &project.organization.data,
    );
    let today = crate::results::today();
    check.results(project, today);
    check.feedback(project, today);
    check.contacts(project);
    check.commitments_present(project);
    check.channels(project);
    check.legal_notes_page(project);
    check.service_urls(project);
    check.editions(project);
    check.placeholders(project);
    check.diagnostics
}

/// What makes publishing a draft a choice (`--allow-draft`), since `--strict` turns warnings into
/// errors: `W149`, the charter is a draft (every page says so), and `W186` for each footer link
/// AGID requires that the draft does not have yet (the footer says it is not available yet). An
/// approved charter has neither: its missing footer links are `E186`, reported by [`validate`].
pub(crate) fn draft(project: &Project) -> Vec<Diagnostic> {
    let charter = &project.charter.data;
    if !charter.is_draft() {
        return Vec::new();
    }
    let diagnostic = Diagnostic::warning(
        "W149",
        format!(
            "l'edizione «{}» è una bozza: manca l'atto di approvazione (`approval`)",
            charter.edition
        ),
    )
    .with_hint("ogni pagina, l'edizione a stampa e il PDF dicono «Bozza»; quando la carta è approvata aggiungi `approval` con `act` e `date`. Per pubblicare la bozza anche con --strict usa --allow-draft");
    let mut found = vec![crate::editions::at_key(
        diagnostic,
        &project.sources,
        project.charter.file,
        "edition",
    )];
    let mut check = Checker {
        sources: &project.sources,
        diagnostics: Diagnostics::new(),
    };
    check.required_footer_links(project);
    found.extend(check.diagnostics.into_vec());
    found
}

struct Checker<'a> {
    sources: &'a SourceMap,
    diagnostics: Diagnostics,
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn located<T>(&self, diagnostic: Diagnostic, file: FileId, value: &Located<T>) -> Diagnostic {
        diagnostic.at(file, value.line, value.col, value.len)
    }

    fn config(&mut self, project: &Project) {
        let config = &project.config;
        let file = project.config_file;
        let footer = &config.footer;
        // In a draft a missing link is W186, which `--allow-draft` accepts like W149: see [`draft`].
        if !project.charter.data.is_draft() {
            self.required_footer_links(project);
        }
        if let Some(accessibility) = footer.get("accessibility")
            && !accessibility.starts_with("https://form.agid.gov.it/")
            && !forms::is_placeholder(accessibility)
        {
            let diagnostic = Diagnostic::error(
                "E140",
                "la dichiarazione di accessibilità deve stare su form.agid.gov.it",
            )
            .with_hint("copia in `accessibility` l'indirizzo della dichiarazione compilata su https://form.agid.gov.it/");
            self.push(self.at_key(diagnostic, file, "footer.accessibility"));
        } else if let Some(accessibility) = footer.get("accessibility")
            && !forms::is_published_statement(accessibility)
            && !forms::is_placeholder(accessibility)
        {
            // AGID's validator (criterion C.SI.3.2) opens the link and looks there for the site's
            // domain and "WCAG 2.1"; only a statement's own page `/view/<id>` has them.
            let diagnostic = Diagnostic::warning(
                "W194",
                format!("il link alla dichiarazione di accessibilità non porta alla dichiarazione pubblicata dell'ente: {accessibility}"),
            )
            .with_hint("su form.agid.gov.it apri la dichiarazione di accessibilità di questo sito, già pubblicata, e copia qui il suo indirizzo: https://form.agid.gov.it/view/ seguito dal codice della dichiarazione");
            self.push(self.at_key(diagnostic, file, "footer.accessibility"));
        }
        let links = [
            ("footer.privacy", footer.get("privacy")),
            ("footer.legal_notes", footer.get("legal_notes")),
            ("footer.faq", footer.get("faq")),
            ("ente.url", config.ente.url.as_deref()),
            ("ente.parent.url", config.ente.parent.url.as_deref()),
            ("site.base_url", Some(config.site.base_url.as_str())),
        ];
        for (key, value) in links {
            let Some(value) = value else {
                continue;
            };
            if !forms::is_web_url(value) && !forms::is_placeholder(value) {
                let diagnostic = Diagnostic::error(
                    "E138",
                    format!("indirizzo web non valido in `{key}`: {value}"),
                )
                .with_hint(
                    "scrivi l'indirizzo completo, per esempio https://www.comune.example.it/pagina",
                );
                self.push(self.at_key(diagnostic, file, key));
            }
        }
        if let Some(report) = footer.get("report_inefficiency") {
            let report_ok = match report.strip_prefix("mailto:") {
                Some(address) => {
                    forms::is_email(address)
                        && crate::url_policy::check(report, crate::url_policy::UrlUse::Link).is_ok()
                }
                None => forms::is_web_url(report),
            };
            if !report_ok && !forms::is_placeholder(report) {
                let diagnostic = Diagnostic::error(
                    "E138",
                    format!("`report_inefficiency` non è né un indirizzo web né un mailto: valido: {report}"),
                )
                .with_hint("per esempio https://www.comune.example.it/segnalazioni oppure mailto:urp@comune.example.it");
                self.push(self.at_key(diagnostic, file, "footer.report_inefficiency"));
            }
        }
        let language = &config.site.language;
        let language_ok = match language.split_once('-') {
            None => language.len() == 2 && language.chars().all(|c| c.is_ascii_lowercase()),
            Some((code, region)) => {
                code.len() == 2
                    && code.chars().all(|c| c.is_ascii_lowercase())
                    && region.len() == 2
                    && region.chars().all(|c| c.is_ascii_uppercase())
            }
        };
        if !language_ok {
            let diagnostic =
                Diagnostic::error("E138", format!("codice di lingua non valido: {language}"))
                    .with_hint("usa il codice ISO della lingua: \"it\" (oppure \"it-IT\")");
            self.push(self.at_key(diagnostic, file, "site.language"));
        }
        let colour = &config.ente.colour;
        match Rgb::parse_hex(colour) {
            None => {
                let diagnostic = Diagnostic::error("E141", format!("colore non valido: {colour}"))
                    .with_hint("scrivi il colore in esadecimale, per esempio \"#0066CC\"");
                self.push(self.at_key(diagnostic, file, "ente.colour"));
            }
            Some(rgb) => {
                // The theme writes white text on the ente's colour.
                let ratio = colour::contrast(rgb, colour::WHITE);
                if ratio < colour::AA_NORMAL_TEXT {
                    let suggestion = colour::darken_until(rgb, colour::AA_NORMAL_TEXT);
                    let diagnostic = Diagnostic::error(
                        "E144",
                        format!(
                            "il colore {colour} ha contrasto {}:1 con il testo bianco, sotto il minimo 4,5:1 (WCAG AA)",
                            decimal(ratio)
                        ),
                    )
                    .with_hint(format!(
                        "usa una tonalità più scura, per esempio \"{}\" ({}:1)",
                        suggestion.hex(),
                        decimal(colour::contrast(suggestion, colour::WHITE))
                    ));
                    self.push(self.at_key(diagnostic, file, "ente.colour"));
                }
            }
        }
        let licence = &config.open_data.licence;
        if crate::licence::find(licence).is_none() {
            let diagnostic =
                Diagnostic::error("E180", format!("licenza non riconosciuta: {licence}"));
            let diagnostic = match did_you_mean(licence, crate::licence::ids()) {
                Some(close) => diagnostic.with_hint(format!("forse intendevi \"{close}\"?")),
                None => diagnostic.with_hint(format!(
                    "scrivi una di queste licenze aperte: {}",
                    crate::licence::ids().collect::<Vec<_>>().join(", ")
                )),
            };
            self.push(self.at_key(diagnostic, file, "open_data.licence"));
        }
        if let Some(code) = &config.ente.ipa_code
            && !forms::is_ipa_code(code)
        {
            let diagnostic = Diagnostic::error("E181", format!("codice IPA non valido: {code}"))
                .with_hint("copia il codice dell'ente dall'Indice delle Pubbliche Amministrazioni (indicepa.gov.it), per esempio \"c_d612\"");
            self.push(self.at_key(diagnostic, file, "ente.ipa_code"));
        }
        for domain in &config.ente.domains {
            if !forms::is_domain(domain) && !forms::is_placeholder(domain) {
                let diagnostic = Diagnostic::error("E138", format!("dominio non valido: {domain}"))
                    .with_hint(
                        "scrivi solo il dominio, senza https:// e senza barre: comune.example.it",
                    );
                self.push(self.at_key(diagnostic, file, "ente.domains"));
            }
        }
    }

    /// `E195`: the legal notes page carta writes states the CC-BY 4.0 licence in AGID's words, so
    /// it is refused for another licence, and beside a legal notes page of the ente's own.
    fn legal_notes_page(&mut self, project: &Project) {
        let config = &project.config;
        if !config.site.legal_notes_page {
            return;
        }
        let file = project.config_file;
        if config.footer.get("legal_notes").is_some() {
            let diagnostic = Diagnostic::error(
                "E195",
                "due pagine di note legali: `legal_notes_page = true` e `footer.legal_notes`",
            )
            .with_hint("tieni la pagina dell'ente (togli legal_notes_page) oppure quella generata da carta (togli footer.legal_notes)");
            self.push(self.at_key(diagnostic, file, "footer.legal_notes"));
        }
        if config.open_data.licence != "CC-BY-4.0" {
            let diagnostic = Diagnostic::error(
                "E195",
                format!(
                    "la pagina delle note legali generata dichiara la licenza CC-BY 4.0, ma i dati sono pubblicati con {}",
                    config.open_data.licence
                ),
            )
            .with_hint("usa la licenza CC-BY-4.0 in [open_data], oppure togli legal_notes_page e indica la pagina delle note legali dell'ente in footer.legal_notes");
            self.push(self.at_key(diagnostic, file, "site.legal_notes_page"));
        }
    }

    /// `E186`: a footer link AGID requires is missing (or blank). The footer never shows a link to
    /// nowhere, so each of them must point somewhere real; an optional link such as `faq` is
    /// simply left out. In a draft the ente may not have the page yet: the same finding is the
    /// warning `W186` (see [`draft`]), and the footer names the link as not available yet.
    fn required_footer_links(&mut self, project: &Project) {
        let file = project.config_file;
        let draft = project.charter.data.is_draft();
        for key in crate::config::FooterLinks::REQUIRED {
            if project.config.footer.get(key).is_some()
                || (key == "legal_notes" && project.config.site.legal_notes_page)
            {
                continue;
            }
            let (label, hint) = match key {
                "accessibility" => (
                    "alla dichiarazione di accessibilità",
                    "compila la dichiarazione di accessibilità del sito su https://form.agid.gov.it/ (è obbligatoria per la legge 4/2004) e copia qui il suo indirizzo: accessibility = \"https://form.agid.gov.it/view/…\"",
                ),
                "privacy" => (
                    "all'informativa privacy",
                    "scrivi l'indirizzo della pagina con l'informativa privacy del sito dell'ente: privacy = \"https://…\"",
                ),
                "legal_notes" => (
                    "alle note legali",
                    "scrivi l'indirizzo della pagina delle note legali del sito dell'ente (licenza dei contenuti): legal_notes = \"https://…\"",
                ),
                _ => (
                    "per segnalare un disservizio",
                    "scrivi la pagina web per le segnalazioni oppure un indirizzo email dell'ente preceduto da mailto: (report_inefficiency = \"mailto:…\")",
                ),
            };
            let message = format!(
                "manca nel piè di pagina il link {label} (`{key}`), obbligatorio per le linee guida AGID"
            );
            let diagnostic = if draft {
                Diagnostic::warning("W186", format!("{message}: la bozza lo mostra come «non ancora disponibile»"))
                    .with_hint(format!("{hint}. Una carta approvata senza questo link non viene pubblicata (E186); per pubblicare la bozza anche con --strict usa --allow-draft"))
            } else {
                Diagnostic::error("E186", message).with_hint(hint)
            };
            let diagnostic = if project.config.footer.written(key).is_some() {
                // Written but blank: point at the key.
                self.at_key(diagnostic, file, &format!("footer.{key}"))
            } else {
                self.at_section(diagnostic, file, "footer")
            };
            self.push(diagnostic);
        }
    }

    /// The line `[section]` of site.toml, or the file's first line when the section is missing.
    fn at_section(&self, diagnostic: Diagnostic, file: FileId, section: &str) -> Diagnostic {
        let text = self.sources.text(file);
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(header) = trimmed.strip_prefix('[')
                && header.split(']').next().map(str::trim) == Some(section)
            {
                let indent = line.len() - trimmed.len();
                return diagnostic.at_offset(
                    self.sources,
                    file,
                    offset + indent,
                    section.len() as u32 + 2,
                );
            }
            offset += line.len();
        }
        diagnostic.at(file, 1, 1, 1)
    }

    /// `E147`: every extra stylesheet is a `.css` file of the project's (or the theme's) `static/`
    /// folder, named by a plain relative path.
    fn stylesheets(&mut self, project: &Project) {
        let theme = &project.config.site.theme;
        for sheet in &project.config.site.stylesheets {
            let plain = !sheet.starts_with('/')
                && !sheet.contains('\\')
                && !sheet.contains("://")
                && sheet.ends_with(".css")
                && sheet
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..");
            let exists = plain
                && (project
                    .root
                    .join(crate::theme::PROJECT_STATIC)
                    .join(sheet)
                    .is_file()
                    || (crate::theme::is_valid_name(theme)
                        && project
                            .root
                            .join("themes")
                            .join(theme)
                            .join("static")
                            .join(sheet)
                            .is_file()));
            if exists {
                continue;
            }
            let diagnostic = if plain {
                Diagnostic::error("E147", format!("foglio di stile non trovato: {sheet}"))
                    .with_hint(format!("metti il file in static/{sheet} nella cartella del progetto, oppure correggi il nome in `stylesheets`"))
            } else {
                Diagnostic::error("E147", format!("foglio di stile non valido: {sheet}"))
                    .with_hint("scrivi il percorso del file .css dentro la cartella static/ del progetto, senza `/` iniziale né `..`: \"css/comune.css\"")
            };
            self.push(self.at_key(diagnostic, project.config_file, "site.stylesheets"));
        }
    }

    /// site.toml values have no positions of their own; point at the line that sets the key.
    /// `path` is `section.key`, e.g. `ente.parent.url`.
    fn at_key(&self, diagnostic: Diagnostic, file: FileId, path: &str) -> Diagnostic {
        let key = path.rsplit_once('.').map_or(path, |(_, key)| key);
        match crate::config::key_offset(self.sources.text(file), path) {
            Some(offset) => diagnostic.at_offset(self.sources, file, offset, key.len() as u32),
            None => diagnostic.at(file, 1, 1, 1),
        }
    }

    fn charter(&mut self, project: &Project) {
        let charter = &project.charter.data;
        let file = project.charter.file;
        for (dest, refusal) in crate::markdown::refused_urls(&charter.summary) {
            let text = self.sources.text(file);
            let at = text
                .find(&dest)
                .or_else(|| text.find("summary:"))
                .unwrap_or(0);
            let diagnostic = Diagnostic::error(
                "E150",
                format!("{} nel link del sommario: `{dest}`", refusal.describe()),
            )
            .with_hint(crate::markdown::URL_HINT)
            .at_offset(self.sources, file, at, dest.chars().count().max(1) as u32);
            self.push(diagnostic);
        }
        self.approval_act(file, charter);
        let Some(approval) = charter.approval.as_ref().map(|approval| &approval.date) else {
            // A draft: not published, so no publication date yet.
            if let Some(published) = &charter.published {
                let diagnostic = Diagnostic::error(
                    "E139",
                    "una bozza non ha una data di pubblicazione: la carta non è ancora approvata",
                )
                .with_hint("togli `published`; quando la carta è approvata aggiungi `approval` con `act` e `date`, poi la data di pubblicazione");
                self.push(self.located(diagnostic, file, published));
            }
            return;
        };
        if approval.value.is_to_fill() {
            // Still to fill in (E146): no date to compare with.
            return;
        }
        if let Some(published) = &charter.published
            && published.value < approval.value
            && !published.value.is_to_fill()
        {
            let diagnostic = Diagnostic::error(
                "E139",
                format!(
                    "la data di pubblicazione ({}) precede l'approvazione ({})",
                    published.value.iso(),
                    approval.value.iso()
                ),
            )
            .with_hint("una carta si pubblica dopo l'atto che la approva: controlla le due date");
            self.push(self.located(diagnostic, file, published));
        }
        if let Some(next_review) = &charter.next_review
            && next_review.value <= approval.value
            && !next_review.value.is_to_fill()
        {
            let diagnostic = Diagnostic::error(
                "E139",
                format!(
                    "la prossima revisione ({}) non è successiva all'approvazione ({})",
                    next_review.value.iso(),
                    approval.value.iso()
                ),
            )
            .with_hint("indica la data entro cui la carta sarà rivista, dopo l'approvazione");
            self.push(self.located(diagnostic, file, next_review));
        }
        if charter.last_updated.value < approval.value && !charter.last_updated.value.is_to_fill() {
            let diagnostic = Diagnostic::warning(
                "W139",
                "l'ultimo aggiornamento precede l'approvazione di questa edizione",
            )
            .with_hint("aggiorna `last_updated` alla data dell'approvazione o a una successiva");
            self.push(self.located(diagnostic, file, &charter.last_updated));
        }
    }

    /// `E148`: the approval act names an act. An empty one, or one that says the charter is not
    /// approved, would be shown as if it were an act: a charter not approved yet is a draft,
    /// written without `approval`.
    fn approval_act(&mut self, file: FileId, charter: &crate::model::Charter) {
        let Some(approval) = &charter.approval else {
            return;
        };
        let act = approval.act.value.trim();
        let lower = act.to_lowercase();
        let message = if act.is_empty() {
            "l'atto di approvazione è vuoto"
        } else if lower.contains("bozza")
            || lower.contains("non approvat")
            || lower.contains("da approvare")
        {
            "l'atto di approvazione dice che la carta non è approvata"
        } else {
            return;
        };
        let diagnostic = Diagnostic::error("E148", message)
            .with_hint("scrivi gli estremi dell'atto che approva la carta, per esempio \"DG 2026/NNN\"; se la carta non è ancora approvata togli tutto il gruppo `approval`: è una bozza, e il sito lo dice in ogni pagina");
        self.push(self.located(diagnostic, file, &approval.act));
    }

    fn chapters(&mut self, project: &Project) {
        let mut slugs: HashMap<&str, (&str, u32)> = HashMap::new();
        let mut orders: HashMap<i64, &str> = HashMap::new();
        let ordered = project
            .chapters
            .iter()
            .find(|chapter| chapter.front.order.is_some())
            .map(|chapter| chapter.file_name.as_str());
        for chapter in &project.chapters {
            let front = &chapter.front;
            if front.title.value.trim().is_empty() {
                let diagnostic = Diagnostic::error("E104", "il titolo del capitolo è vuoto")
                    .with_hint("scrivi il titolo dopo `title:`");
                self.push(self.located(diagnostic, chapter.file, &front.title));
            }
            if !slug::is_valid(&chapter.slug) {
                let diagnostic = Diagnostic::error(
                    "E137",
                    format!("indirizzo del capitolo non valido: `{}`", chapter.slug),
                )
                .with_hint(format!(
                    "usa solo minuscole, cifre e trattini, per esempio `{}`",
                    slug::slugify(&front.title)
                ));
                let diagnostic = match &front.slug {
                    Some(slug) => self.located(diagnostic, chapter.file, slug),
                    None => self.located(diagnostic, chapter.file, &front.title),
                };
                self.push(diagnostic);
            }
            if let Some((other, _)) = slugs.insert(chapter.slug.as_str(), (&chapter.file_name, 0)) {
                let diagnostic = Diagnostic::error(
                    "E137",
                    format!(
                        "due capitoli hanno lo stesso indirizzo `{}` (anche {other})",
                        chapter.slug
                    ),
                )
                .with_hint("cambia il titolo o aggiungi `slug:` con un indirizzo diverso");
                self.push(self.located(diagnostic, chapter.file, &front.title));
            }
            let Some(order) = &front.order else {
                if let Some(other) = ordered {
                    // The order of the chapters would be half numbers, half file names.
                    let diagnostic = Diagnostic::error(
                        "E251",
                        format!("il capitolo non ha `order`, ma altri sì (per esempio {other})"),
                    )
                    .with_hint("scrivi `order:` in ogni capitolo, oppure toglilo da tutti: allora i capitoli seguono l'ordine dei nomi dei file");
                    self.push(self.located(diagnostic, chapter.file, &front.title));
                }
                continue;
            };
            if let Some(other) = orders.insert(order.value, &chapter.file_name) {
                let diagnostic = Diagnostic::error(
                    "E137",
                    format!(
                        "due capitoli hanno lo stesso `order: {}` (anche {other})",
                        order.value
                    ),
                )
                .with_hint("dai a ogni capitolo un numero d'ordine diverso");
                self.push(self.located(diagnostic, chapter.file, order));
            }
        }
    }

    fn organization(&mut self, organization: &DataFile<Organization>) {
        let file = organization.file;
        let organization = &organization.data;
        let mut person_ids = Ids::default();
        for person in &organization.people {
            self.id(file, &person.id, &mut person_ids, "persona");
            if let Some(email) = &person.email {
                self.email(file, email);
            }
            if let Some(phone) = &person.phone {
                self.phone(file, phone);
            }
        }
        let people: Vec<&str> = organization
            .people
            .iter()
            .map(|p| p.id.value.as_str())
            .collect();
        let mut unit_ids = Ids::default();
        let direction = &organization.direction;
        self.unit(file, direction, &mut unit_ids, &people);
        if !direction.units.is_empty() {
            let diagnostic = Diagnostic::error(
                "E142",
                "la direzione non ha `units`: i suoi servizi vanno in `services`",
            )
            .with_hint(
                "sposta questi elementi nell'elenco `services`, allo stesso livello di `direction`",
            );
            self.push(self.located(diagnostic, file, &direction.id));
        }
        for service in &organization.services {
            self.unit(file, service, &mut unit_ids, &people);
            for unit in &service.units {
                self.unit(file, unit, &mut unit_ids, &people);
                if !unit.units.is_empty() {
                    let diagnostic = Diagnostic::error(
                        "E142",
                        format!("l'unità `{}` ha un livello di troppo", unit.id.value),
                    )
                    .with_hint("l'organigramma ha tre livelli: direzione, servizi, unità");
                    self.push(self.located(diagnostic, file, &unit.id));
                }
            }
        }
    }

    /// `E232`: a unit names its head with the head's role, or else at least one referent in
    /// `staff`; a unit reached through the switchboard has no phone of its own.
    fn unit_roles(&mut self, file: FileId, unit: &Unit) {
        let problem = match (&unit.head, &unit.role) {
            (Some(head), None) => Some((
                format!(
                    "manca il ruolo (`role`) del responsabile della struttura `{}`",
                    unit.id.value
                ),
                "scrivi il ruolo come lo dice la carta, per esempio `role: \"Dirigente\"`",
                head,
            )),
            (None, Some(role)) => Some((
                format!(
                    "la struttura `{}` ha un ruolo (`role`) ma nessun responsabile (`head`)",
                    unit.id.value
                ),
                "`role` è il ruolo del responsabile: aggiungi `head`, oppure togli `role` e scrivi il ruolo di un referente in `staff`",
                role,
            )),
            (None, None) if unit.staff.is_empty() => Some((
                format!(
                    "la struttura `{}` non ha né un responsabile (`head`) né un referente (`staff`)",
                    unit.id.value
                ),
                "scrivi il responsabile in `head` con il suo ruolo, oppure, se la carta nomina solo un referente, scrivilo in `staff` con `role: \"Referente\"`",
                &unit.id,
            )),
            _ => None,
        };
        if let Some((message, hint, at)) = problem {
            let diagnostic = Diagnostic::error("E232", message).with_hint(hint);
            self.push(self.located(diagnostic, file, at));
        }
        if unit.switchboard && !unit.phones.is_empty() {
            let diagnostic = Diagnostic::error(
                "E232",
                format!("la struttura `{}` si raggiunge dal centralino (`switchboard: true`) ma ha un telefono suo", unit.id.value),
            )
            .with_hint("se la struttura ha un telefono diretto togli `switchboard`; se si raggiunge solo dal centralino togli `phones`");
            self.push(self.located(diagnostic, file, &unit.phones[0]));
        }
    }

    fn unit(&mut self, file: FileId, unit: &Unit, ids: &mut Ids, people: &[&str]) {
        self.id(file, &unit.id, ids, "unità");
        if let Some(head) = &unit.head {
            self.reference(file, head, people, "persona", "people");
        }
        self.unit_roles(file, unit);
        if let Some(email) = &unit.email {
            self.email(file, email);
        }
        for phone in &unit.phones {
            self.phone(file, phone);
        }
        let mut listed: Vec<&str> = unit.head.iter().map(|head| head.value.as_str()).collect();
        for member in &unit.staff {
            self.reference(file, &member.person, people, "persona", "people");
            if listed.contains(&member.person.value.as_str()) {
                let is_head = unit
                    .head
                    .as_ref()
                    .is_some_and(|head| member.person.value == head.value);
                let diagnostic = Diagnostic::error(
                    "E130",
                    if is_head {
                        format!(
                            "`{}` è già il responsabile della struttura `{}`",
                            member.person.value, unit.id.value
                        )
                    } else {
                        format!(
                            "`{}` compare due volte nel personale della struttura `{}`",
                            member.person.value, unit.id.value
                        )
                    },
                )
                .with_hint(if is_head {
                    "il responsabile è in `head`: togli questa riga da `staff`"
                } else {
                    "ogni persona compare una volta sola in `staff`: togli la riga ripetuta"
                });
                self.push(self.located(diagnostic, file, &member.person));
            }
            listed.push(&member.person.value);
        }
    }

    fn commitments(
        &mut self,
        file: FileId,
        commitments: &Commitments,
        organization: &Organization,
    ) {
        let units: Vec<&str> = organization
            .units()
            .into_iter()
            .map(|unit| unit.id.value.as_str())
            .collect();
        let mut ids = Ids::default();
        // Slug of a service's name → the number and id of the first commitment that has it.
        let mut services: HashMap<String, (usize, &str)> = HashMap::new();
        for (index, commitment) in commitments.commitments.iter().enumerate() {
            self.id(file, &commitment.id, &mut ids, "impegno");
            let heard = crate::slug::slugify(&commitment.service);
            match services.get(&heard) {
                Some((number, first)) if !heard.is_empty() => {
                    let diagnostic = Diagnostic::warning(
                        "W230",
                        format!(
                            "l'impegno `{}` ha lo stesso servizio «{}» dell'impegno n. {number} (`{first}`): nel menu, nell'elenco dei servizi e nei risultati di ricerca i due non si distinguono",
                            commitment.id.value, commitment.service
                        ),
                    )
                    .with_hint("dai a ogni servizio un nome che dica che cosa lo distingue dall'altro (a chi si rivolge, come si richiede); se è lo stesso servizio, scrivi un solo impegno con tutti i suoi standard");
                    self.push(self.located(diagnostic, file, &commitment.id));
                }
                _ => {
                    services.insert(heard, (index + 1, &commitment.id.value));
                }
            }
            self.standards(file, commitment);
            if commitment.users.as_ref().is_some_and(Vec::is_empty) {
                let diagnostic = Diagnostic::error(
                    "E136",
                    format!(
                        "l'impegno `{}` ha un elenco di utenti vuoto (`users: []`)",
                        commitment.id.value
                    ),
                )
                .with_hint("elenca l'utenza come la dice la carta, per esempio `users: [cittadini, imprese]`; se la carta non dice a chi si rivolge il servizio, togli la riga `users`");
                self.push(self.located(diagnostic, file, &commitment.id));
            }
            if commitment.responsible.is_empty() {
                let diagnostic = Diagnostic::error(
                    "E136",
                    format!("l'impegno `{}` non ha un responsabile", commitment.id.value),
                )
                .with_hint("indica in `responsible` l'id di un servizio o di un'unità di organization.yaml");
                self.push(self.located(diagnostic, file, &commitment.id));
            }
            for responsible in &commitment.responsible {
                self.reference(file, responsible, &units, "unità", "organization.yaml");
            }
        }
    }

    /// The standards of one commitment: not empty, ids unique, each standard possible.
    fn standards(&mut self, file: FileId, commitment: &Commitment) {
        let list = &commitment.standards;
        if list.is_empty() {
            let diagnostic = Diagnostic::error(
                "E136",
                format!("l'impegno `{}` non ha standard", commitment.id.value),
            )
            .with_hint("aggiungi almeno uno standard, per esempio `- take_charge: {days: N, percent: P}`; se gli standard non sono ancora definiti scrivi `standards: not_defined`");
            self.push(self.located(diagnostic, file, &list.at));
            return;
        }
        if list.len() > 1 {
            for standard in list.iter().filter(|s| s.preset == Some(Preset::NotDefined)) {
                let diagnostic = Diagnostic::error(
                    "E145",
                    "`not_defined` accanto ad altri standard non dice quale standard manca",
                )
                .with_hint("scrivi lo standard mancante in forma estesa, con `dimension`, `indicator` e `target: not_defined`; se nessuno standard è definito scrivi solo `standards: not_defined`");
                self.push(self.located(diagnostic, file, &standard.at));
            }
        }
        let mut ids = Ids::default();
        for standard in list.iter().filter(|standard| standard.id_written) {
            self.id(file, &standard.id, &mut ids, "standard");
        }
        for standard in list.iter() {
            self.standard(file, standard);
        }
    }

    /// One standard: numbers in range, and a unit, comparator, period, share and kind that make
    /// sense together.
    fn standard(&mut self, file: FileId, standard: &Standard) {
        let impossible = |message: String, hint: &str| {
            Diagnostic::error("E145", message).with_hint(hint.to_string())
        };
        if let Some(indicator) = &standard.indicator
            && indicator.trim().is_empty()
        {
            let diagnostic = Diagnostic::error("E104", "l'indicatore dello standard è vuoto")
                .with_hint("scrivi in `indicator` che cosa si misura, per esempio \"Tempo di risposta alle richieste\"");
            self.push(self.located(diagnostic, file, &standard.at));
        }
        if let Target::Promise(text) = &standard.target
            && text.trim().is_empty()
        {
            let diagnostic = Diagnostic::error("E104", "la promessa dello standard è vuota")
                .with_hint(
                    "scrivi in `promise` l'impegno a parole, oppure usa un valore con `unit`",
                );
            self.push(self.located(diagnostic, file, &standard.at));
        }
        if let Some(share) = &standard.share {
            self.percent(file, share);
        }
        let Target::Measure(measure) = &standard.target else {
            if let Some(share) = &standard.share {
                let diagnostic = impossible(
                    "la quota dei casi (`share`) vale solo per un valore con un tempo".to_string(),
                    "togli `share`, oppure scrivi il valore con un tempo: `target: {within: N, unit: working_days}`",
                );
                self.push(self.located(diagnostic, file, share));
            }
            return;
        };
        let value = measure.value.value;
        let unit = measure.unit.value;
        let comparator = measure.comparator.value;
        let number = crate::standards::format_number(value, ",");
        if standard.preset.is_some()
            && matches!(
                unit,
                MeasureUnit::Days | MeasureUnit::WorkingDays | MeasureUnit::CalendarDays
            )
            && value < 1.0
        {
            let diagnostic = Diagnostic::error("E135", "il numero di giorni deve essere almeno 1")
                .with_hint(
                    "scrivi i giorni entro cui la richiesta è presa in carico o ha risposta",
                );
            self.push(self.located(diagnostic, file, &measure.value));
        } else if standard.preset.is_some() && unit == MeasureUnit::Percent {
            self.percent(file, &measure.value);
        } else if !value.is_finite() {
            let diagnostic = Diagnostic::error("E135", format!("valore non valido: {number}"))
                .with_hint("scrivi il valore programmato come numero, con il punto per i decimali");
            self.push(self.located(diagnostic, file, &measure.value));
        } else if value < 0.0 {
            let diagnostic = Diagnostic::error("E135", format!("valore negativo: {number}"))
                .with_hint(
                    "il valore programmato è un numero maggiore o uguale a 0, senza segno meno",
                );
            self.push(self.located(diagnostic, file, &measure.value));
        } else if unit == MeasureUnit::Percent && value > 100.0 {
            let diagnostic =
                Diagnostic::error("E135", format!("percentuale fuori intervallo: {number}"))
                    .with_hint("una percentuale va da 0 a 100, senza il simbolo %");
            self.push(self.located(diagnostic, file, &measure.value));
        } else if unit.is_whole() && value.fract() != 0.0 {
            let diagnostic = Diagnostic::error(
                "E135",
                format!("{number} non è un numero intero: giorni e conteggi si contano interi"),
            )
            .with_hint("scrivi un numero intero; per una frazione di giorno usa `unit: hours`");
            self.push(self.located(diagnostic, file, &measure.value));
        } else if let Some(message) = impossible_value(comparator, unit, value) {
            let hint = if comparator == Comparator::Within {
                "per un servizio reso subito scrivi `target: immediate`"
            } else {
                "scrivi un valore che si possa raggiungere e che prometta qualcosa"
            };
            let diagnostic = Diagnostic::error("E135", message).with_hint(hint);
            self.push(self.located(diagnostic, file, &measure.value));
        }
        if comparator == Comparator::Within && !unit.is_time() {
            let diagnostic = impossible(
                format!(
                    "`within` (entro) è una scadenza e vuole un tempo, non `{}`",
                    unit.key()
                ),
                "con `within` usa `minutes`, `hours`, `days`, `working_days` o `calendar_days`; per una percentuale o un conteggio usa `at_least`, `at_most`, `above`, `below` o `equal`",
            );
            self.push(self.located(diagnostic, file, &measure.unit));
        }
        if let Some(per) = &measure.per {
            let period = per.value;
            let problem = if comparator == Comparator::Within {
                Some((
                    "una scadenza (`within`) non ha un periodo: «entro N giorni all'anno» non ha senso".to_string(),
                    "togli `per`; per un numero di volte nel periodo usa `at_least` con `unit: count`",
                ))
            } else {
                match unit.shortest_period() {
                    None => Some((
                        format!(
                            "`{}` con `per: {}` non ha senso: i minuti misurano un'attesa, non una quantità nel periodo",
                            unit.key(),
                            period.key()
                        ),
                        "togli `per`, oppure misura la quantità in `hours` (per esempio ore di apertura alla settimana)",
                    )),
                    Some(shortest) if period < shortest => Some((
                        format!("`{}` con `per: {}` non ha senso", unit.key(), period.key()),
                        "scegli un periodo più lungo dell'unità: `week`, `month` o `year`",
                    )),
                    Some(_) => None,
                }
            };
            if let Some((message, hint)) = problem {
                self.push(self.located(impossible(message, hint), file, per));
            }
        }
        if let Some(share) = &standard.share
            && (!unit.is_time() || measure.per.is_some())
        {
            let diagnostic = impossible(
                format!(
                    "la quota dei casi (`share`) vale per un tempo di ogni caso, non per `{}`{}",
                    unit.key(),
                    if measure.per.is_some() {
                        " in un periodo"
                    } else {
                        ""
                    }
                ),
                "togli `share`: una percentuale o un conteggio riguardano già tutti i casi",
            );
            self.push(self.located(diagnostic, file, share));
        }
        if let Some(kind) = &standard.kind
            && kind.value == StandardKind::Specific
        {
            let reason = if standard.share.is_some() {
                Some("una quota dei casi riguarda tutti i casi insieme")
            } else if measure.per.is_some() {
                Some("una quantità nel periodo riguarda tutti i casi insieme")
            } else if !unit.is_time() {
                Some("una percentuale o un conteggio riguardano tutti i casi insieme")
            } else {
                None
            };
            if let Some(reason) = reason {
                let diagnostic = impossible(
                    format!("lo standard non può essere `specific`: {reason}"),
                    "scrivi `kind: general`, oppure togli `kind`: carta lo ricava dal valore",
                );
                self.push(self.located(diagnostic, file, kind));
            }
        }
    }

    fn contacts(&mut self, project: &Project) {
        let file = project.contacts.file;
        let contacts = &project.contacts.data;
        let people: Vec<&str> = project
            .organization
            .data
            .people
            .iter()
            .map(|person| person.id.value.as_str())
            .collect();
        for process in &contacts.processes {
            self.reference(
                file,
                &process.responsible,
                &people,
                "persona",
                "organization.yaml",
            );
            if process.emails.value.is_empty() {
                let diagnostic = Diagnostic::error(
                    "E136",
                    format!("il processo «{}» non ha indirizzi email", process.process),
                )
                .with_hint("aggiungi almeno un indirizzo in `emails`");
                self.push(self.located(diagnostic, file, &process.emails));
            }
            for email in &process.emails.value {
                self.email(file, email);
            }
        }
        if let Some(hours) = &contacts.hours {
            self.hours(file, hours);
        }
        for other in &contacts.other {
            if let Some(hours) = &other.hours {
                self.hours(file, hours);
            }
            if !other.reaches() {
                let what = match &other.label {
                    Some(label) => {
                        format!("il contatto «{label}» non dice come raggiungere l'ufficio")
                    }
                    None => "un contatto di `other` è vuoto".to_string(),
                };
                let diagnostic = Diagnostic::error("E189", what)
                    .with_hint("scrivi almeno uno tra `email`, `pec`, `phones` e `address`, come li dà la carta; se la carta non ne dà, togli il contatto");
                self.push(self.located(diagnostic, file, other));
            }
            for email in other.email.iter().chain(&other.pec) {
                self.email(file, email);
            }
            for phone in &other.phones {
                self.phone(file, phone);
            }
        }
        for phone in &contacts.phones {
            self.phone(file, phone);
        }
    }

    /// `E187` (times) and `E188` (days): opening hours a reader could not trust. Every problem is
    /// located at the text that has it; the hints show the form with neutral times, never the
    /// hours of another office.
    /// `E231`: a weekly rule closed on its days has no times and no appointments, and a day is
    /// not both closed in one rule and open in another.
    fn closed_days(&mut self, file: FileId, hours: &crate::model::Hours) {
        let open: Vec<crate::hours::Weekday> = hours
            .weekly
            .iter()
            .filter(|rule| !rule.closed)
            .flat_map(|rule| crate::hours::weekdays(&rule.days.value))
            .collect();
        for rule in hours.weekly.iter().filter(|rule| rule.closed) {
            let problem = if !rule.times.value.is_empty() {
                Some((
                    "giorni chiusi (`closed: true`) con orari (`times`)".to_string(),
                    "togli `times` se in quei giorni l'ufficio è chiuso, oppure `closed` se è aperto",
                ))
            } else if rule.by_appointment {
                Some((
                    "giorni chiusi (`closed: true`) e su appuntamento (`by_appointment: true`)"
                        .to_string(),
                    "se in quei giorni si riceve su appuntamento togli `closed`; se l'ufficio è chiuso togli `by_appointment`",
                ))
            } else {
                crate::hours::weekdays(&rule.days.value)
                    .into_iter()
                    .find(|day| open.contains(day))
                    .map(|day| {
                        (
                            format!(
                                "{} è tra i giorni chiusi e tra quelli aperti di un'altra regola",
                                crate::hours::DAYS[day.0]
                            ),
                            "un giorno è chiuso o aperto: toglilo dai giorni chiusi o dalla regola con gli orari",
                        )
                    })
            };
            if let Some((message, hint)) = problem {
                let diagnostic = Diagnostic::error("E231", message).with_hint(hint);
                self.push(self.located(diagnostic, file, &rule.days));
            }
        }
    }

    fn hours(&mut self, file: FileId, hours: &crate::model::Hours) {
        use crate::hours::{DAYS, DayProblem, DaySpan, Time};
        self.closed_days(file, hours);
        // For each day of the week, the times already seen, to find overlaps between rules.
        let mut seen: [Vec<(Time, Time)>; 7] = Default::default();
        for rule in &hours.weekly {
            if rule.days.value.is_empty() {
                let diagnostic = Diagnostic::error("E188", "orario senza giorni: `days` è vuoto")
                    .with_hint("scrivi i giorni a cui valgono questi orari, per esempio `days: [lunedì-venerdì]` oppure `days: [martedì, giovedì]`");
                self.push(self.located(diagnostic, file, &rule.days));
            }
            let mut days = Vec::new();
            for text in &rule.days.value {
                match crate::hours::parse_days(text) {
                    Ok(span) => days.extend(DaySpan::days(span)),
                    Err(DayProblem::Unknown(word)) => {
                        let lower = word.to_lowercase();
                        let hint = match did_you_mean(&lower, DAYS) {
                            Some(close) => format!(
                                "forse intendevi «{close}»? I giorni si scrivono per esteso: {}; più giorni di seguito con il trattino: lunedì-venerdì",
                                DAYS.join(", ")
                            ),
                            None => format!(
                                "scrivi il nome del giorno per esteso: {}; più giorni di seguito con il trattino: lunedì-venerdì",
                                DAYS.join(", ")
                            ),
                        };
                        let diagnostic =
                            Diagnostic::error("E188", format!("giorno sconosciuto: `{word}`"))
                                .with_hint(hint);
                        self.push(self.located(diagnostic, file, text));
                    }
                    Err(DayProblem::Backwards(from, to)) => {
                        let diagnostic = Diagnostic::error(
                            "E188",
                            format!(
                                "i giorni vanno da {} a {}, all'indietro nella settimana",
                                DAYS[from.0], DAYS[to.0]
                            ),
                        )
                        .with_hint(format!(
                            "scrivi prima il giorno che viene prima (la settimana comincia il lunedì): {}-{}; per giorni non di seguito elencali: [{}, {}]",
                            DAYS[to.0], DAYS[from.0], DAYS[from.0], DAYS[to.0]
                        ));
                        self.push(self.located(diagnostic, file, text));
                    }
                }
            }
            days.sort();
            days.dedup();
            if rule.times.value.is_empty() && !rule.closed && !rule.by_appointment {
                let diagnostic = Diagnostic::error("E187", "giorni senza orari: `times` è vuoto")
                    .with_hint("scrivi le fasce di apertura, per esempio `times: [\"09:00-12:30\"]`; se in quei giorni l'ufficio è chiuso scrivi `closed: true`; se riceve su appuntamento senza orari fissi, `by_appointment: true`");
                let at = if rule.times.line == 0 {
                    &rule.days
                } else {
                    &rule.times
                };
                self.push(self.located(diagnostic, file, at));
            }
            for text in &rule.times.value {
                let Some((opens, closes)) = self.time_range(file, text) else {
                    continue;
                };
                let clash = days.iter().find_map(|day| {
                    seen[day.0]
                        .iter()
                        .find(|other| crate::hours::overlap(**other, (opens, closes)))
                        .map(|other| (*day, *other))
                });
                if let Some((day, other)) = clash {
                    let diagnostic = Diagnostic::error(
                        "E187",
                        format!(
                            "la fascia {}-{} si sovrappone a {}-{} di {}",
                            opens.iso(),
                            closes.iso(),
                            other.0.iso(),
                            other.1.iso(),
                            DAYS[day.0]
                        ),
                    )
                    .with_hint("ogni momento della settimana compare in una sola fascia: unisci le due fasce o correggi gli orari");
                    self.push(self.located(diagnostic, file, text));
                }
                for day in &days {
                    seen[day.0].push((opens, closes));
                }
            }
        }
        for exception in &hours.exceptions {
            if let Some(to) = &exception.to
                && to.value < exception.from.value
            {
                let diagnostic = Diagnostic::error(
                    "E187",
                    format!(
                        "il periodo finisce ({}) prima di cominciare ({})",
                        to.value.iso(),
                        exception.from.value.iso()
                    ),
                )
                .with_hint("in `from` va il primo giorno, in `to` l'ultimo");
                self.push(self.located(diagnostic, file, to));
            }
            match (exception.closed, exception.times.is_empty()) {
                (true, false) => {
                    let diagnostic = Diagnostic::error(
                        "E187",
                        "un giorno non può essere chiuso (`closed: true`) e avere orari (`times`)",
                    )
                    .with_hint("togli `times` se l'ufficio è chiuso, oppure `closed` se è aperto con altri orari");
                    self.push(self.located(diagnostic, file, &exception.from));
                }
                (false, true) => {
                    let diagnostic = Diagnostic::error(
                        "E187",
                        "il giorno con orario diverso non dice come cambia",
                    )
                    .with_hint("scrivi `closed: true` se l'ufficio è chiuso, oppure gli orari di quei giorni in `times`, per esempio `times: [\"09:00-12:00\"]`");
                    self.push(self.located(diagnostic, file, &exception.from));
                }
                _ => {}
            }
            let mut ranges: Vec<(Time, Time)> = Vec::new();
            for text in &exception.times {
                if let Some(range) = self.time_range(file, text) {
                    if let Some(other) = ranges
                        .iter()
                        .find(|other| crate::hours::overlap(**other, range))
                    {
                        let diagnostic = Diagnostic::error(
                            "E187",
                            format!(
                                "la fascia {}-{} si sovrappone a {}-{}",
                                range.0.iso(),
                                range.1.iso(),
                                other.0.iso(),
                                other.1.iso()
                            ),
                        )
                        .with_hint("unisci le due fasce o correggi gli orari");
                        self.push(self.located(diagnostic, file, text));
                    }
                    ranges.push(range);
                }
            }
        }
    }

    /// One opening time (`09:00-12:30`), or `E187` where it is written. A time still to fill in
    /// (`carta init`) is only `E146`.
    fn time_range(
        &mut self,
        file: FileId,
        text: &Located<String>,
    ) -> Option<(crate::hours::Time, crate::hours::Time)> {
        use crate::hours::TimeProblem;
        if forms::is_placeholder(text) {
            return None;
        }
        let (message, hint) = match crate::hours::parse_times(text) {
            Ok(range) => return Some(range),
            Err(TimeProblem::Form) => (
                format!("orario non valido: `{}`", text.value),
                "scrivi l'ora di apertura e quella di chiusura con ore e minuti, unite da un trattino: \"09:00-12:30\"".to_string(),
            ),
            Err(TimeProblem::Impossible(time)) => (
                format!("ora impossibile: `{time}`"),
                "le ore vanno da 00 a 23 e i minuti da 00 a 59: per la mezzanotte scrivi 23:59".to_string(),
            ),
            Err(TimeProblem::Backwards(opens, closes)) if opens == closes => (
                format!("l'ufficio chiuderebbe ({}) quando apre", closes.iso()),
                "una fascia va dall'ora di apertura a una di chiusura più tarda: controlla gli orari nella carta".to_string(),
            ),
            Err(TimeProblem::Backwards(opens, closes)) => (
                format!(
                    "l'ufficio chiuderebbe ({}) prima di aprire ({})",
                    closes.iso(),
                    opens.iso()
                ),
                format!(
                    "scrivi prima l'ora di apertura e poi quella di chiusura: \"{}-{}\"",
                    closes.iso(),
                    opens.iso()
                ),
            ),
        };
        let diagnostic = Diagnostic::error("E187", message).with_hint(hint);
        self.push(self.located(diagnostic, file, text));
        None
    }

    /// `E136`: a charter promises something. `commitments: []` would publish an empty table of
    /// commitments and empty open data as if that were the charter; the current edition and the
    /// earlier ones need at least one.
    fn commitments_present(&mut self, project: &Project) {
        let files = std::iter::once(&project.commitments)
            .chain(project.editions.iter().map(|edition| &edition.commitments));
        for commitments in files {
            if !commitments.data.commitments.is_empty() {
                continue;
            }
            let file = commitments.file;
            let text = self.sources.text(file);
            // The list has no position of its own: point at its key.
            let mut offset = 0;
            let mut key = None;
            for line in text.split_inclusive('\n') {
                if line.starts_with("commitments:") {
                    key = Some(offset);
                    break;
                }
                offset += line.len();
            }
            let diagnostic = Diagnostic::error(
                "E136",
                "la carta non ha impegni: l'elenco `commitments` è vuoto",
            )
            .with_hint("una carta dei servizi dice quali servizi offre e con quali standard di qualità: scrivi almeno un impegno, con `id`, `service`, `users`, `standards` e `responsible` (la forma è in docs/content.md, § 6.2)");
            let diagnostic = match key {
                Some(offset) => {
                    diagnostic.at_offset(self.sources, file, offset, "commitments".len() as u32)
                }
                None => diagnostic.at(file, 1, 1, 1),
            };
            self.push(diagnostic);
        }
    }

    /// Earlier editions: their data like the current edition's, then how they fit together.
    fn editions(&mut self, project: &Project) {
        for edition in &project.editions {
            self.approval_act(edition.charter.file, &edition.charter.data);
            if let Some(organization) = &edition.organization {
                self.organization(organization);
            }
            let organization = edition
                .organization
                .as_ref()
                .map(|organization| &organization.data)
                .unwrap_or(&project.organization.data);
            self.commitments(
                edition.commitments.file,
                &edition.commitments.data,
                organization,
            );
        }
        for diagnostic in crate::editions::check(project) {
            self.push(diagnostic);
        }
    }

    /// `E138` for a commitment's `service_url` that is not a web address.
    fn service_urls(&mut self, project: &Project) {
        let commitments = &project.commitments;
        for commitment in &commitments.data.commitments {
            let Some(url) = &commitment.service_url else {
                continue;
            };
            if !forms::is_web_url(url) && !forms::is_placeholder(url) {
                let diagnostic =
                    Diagnostic::error("E138", format!("indirizzo web non valido: {}", url.value))
                        .with_hint(
                            "scrivi l'indirizzo completo, che inizia con https:// (o http://)",
                        );
                self.push(self.located(diagnostic, commitments.file, url));
            }
        }
    }

    fn channels(&mut self, project: &Project) {
        let Some(channels) = &project.channels else {
            return;
        };
        for channel in &channels.data.channels {
            if !forms::is_web_url(&channel.url) && !forms::is_placeholder(&channel.url) {
                let diagnostic = Diagnostic::error(
                    "E138",
                    format!("indirizzo web non valido: {}", channel.url.value),
                )
                .with_hint("scrivi l'indirizzo completo, che inizia con https:// (o http://)");
                self.push(self.located(diagnostic, channels.file, &channel.url));
            }
        }
    }

    /// `E146`: every value `carta init` left for the new ente to fill in.
    fn placeholders(&mut self, project: &Project) {
        let mut files = vec![project.config_file];
        files.extend(project.content_files());
        for file in files {
            let text = self.sources.text(file);
            // A comment is never a value: `carta init` explains the marker in its comments.
            let comments = crate::load::comments::whole_line(self.sources.path(file), text);
            for (offset, _) in text.match_indices(forms::PLACEHOLDER) {
                if crate::load::comments::contains(&comments, offset) {
                    continue;
                }
                let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
                let line = &text[line_start..];
                let line = &line[..line.find('\n').unwrap_or(line.len())];
                let key = line
                    .trim_start()
                    .trim_start_matches("- ")
                    .split([':', '='])
                    .next()
                    .unwrap_or("")
                    .trim();
                let what = if key.is_empty() || key.contains(' ') || key.starts_with('"') {
                    "questo valore".to_string()
                } else {
                    format!("`{key}`")
                };
                let diagnostic = Diagnostic::error("E146", format!("{what} è ancora da compilare"))
                    .with_hint(format!(
                        "scrivi al posto di «{}» il dato del tuo ente (la forma di ogni chiave è in docs/content.md)",
                        forms::PLACEHOLDER
                    ))
                    .at_offset(self.sources, file, offset, forms::PLACEHOLDER.len() as u32);
                self.push(diagnostic);
            }
        }
    }

    fn id(&mut self, file: FileId, id: &Located<String>, ids: &mut Ids, what: &str) {
        if !forms::is_id(&id.value) {
            let diagnostic = Diagnostic::error("E134", format!("id non valido: `{}`", id.value))
                .with_hint(format!(
                    "usa minuscole senza accenti, cifre e trattini, per esempio `{}`",
                    slug::slugify(&id.value)
                ));
            self.push(self.located(diagnostic, file, id));
        }
        if let Some(first_line) = ids.first_line.insert(id.value.clone(), id.line) {
            let diagnostic = Diagnostic::error(
                "E130",
                format!(
                    "id `{}` già usato alla riga {first_line} ({what})",
                    id.value
                ),
            )
            .with_hint("ogni id deve essere unico: cambia uno dei due");
            self.push(self.located(diagnostic, file, id));
        }
    }

    fn reference(
        &mut self,
        file: FileId,
        reference: &Located<String>,
        known: &[&str],
        what: &str,
        defined_in: &str,
    ) {
        if known.contains(&reference.value.as_str()) {
            return;
        }
        let diagnostic =
            Diagnostic::error("E131", format!("{what} sconosciuta: `{}`", reference.value));
        let diagnostic = match did_you_mean(&reference.value, known.iter().copied()) {
            Some(close) => diagnostic.with_hint(format!("forse intendevi `{close}`?")),
            None => {
                diagnostic.with_hint(format!("usa l'id di una {what} definita in {defined_in}"))
            }
        };
        self.push(self.located(diagnostic, file, reference));
    }

    fn email(&mut self, file: FileId, email: &Located<String>) {
        if !forms::is_email(&email.value) && !forms::is_placeholder(&email.value) {
            let diagnostic = Diagnostic::error(
                "E132",
                format!("indirizzo email non valido: `{}`", email.value),
            )
            .with_hint("un indirizzo email ha la forma nome@dominio.it, senza spazi né «mailto:»");
            self.push(self.located(diagnostic, file, email));
        }
    }

    fn phone(&mut self, file: FileId, phone: &Located<String>) {
        if !forms::is_phone(&phone.value) && !forms::is_placeholder(&phone.value) {
            let diagnostic = Diagnostic::error(
                "E133",
                format!("numero di telefono non valido: `{}`", phone.value),
            )
            .with_hint("scrivi solo cifre e spazi, con il prefisso: \"0123 456789\" oppure \"+39 0123 456789\"");
            self.push(self.located(diagnostic, file, phone));
        }
    }

    fn percent(&mut self, file: FileId, percent: &Located<f64>) {
        let value = percent.value;
        if !(value > 0.0 && value <= 100.0) {
            let diagnostic =
                Diagnostic::error("E135", format!("percentuale fuori intervallo: {value}"))
                    .with_hint(
                        "scrivi un numero maggiore di 0 e al massimo 100, senza il simbolo %",
                    );
            self.push(self.located(diagnostic, file, percent));
        }
    }
}

/// Why a target cannot be met or promises nothing, if it is so.
fn impossible_value(comparator: Comparator, unit: MeasureUnit, value: f64) -> Option<String> {
    let number = crate::standards::format_number(value, ",");
    let percent = if unit == MeasureUnit::Percent {
        "%"
    } else {
        ""
    };
    match comparator {
        Comparator::Within if value == 0.0 => Some(format!(
            "entro 0 {}: una scadenza deve essere maggiore di 0",
            unit.key()
        )),
        Comparator::Below if value == 0.0 => {
            Some(format!("inferiore a 0{percent}: nessun valore può esserlo"))
        }
        Comparator::Above if unit == MeasureUnit::Percent && value >= 100.0 => Some(format!(
            "superiore al {number}%: nessuna percentuale può esserlo"
        )),
        Comparator::AtLeast if value == 0.0 => {
            Some(format!("almeno 0{percent}: lo standard non promette nulla"))
        }
        Comparator::Equal if value == 0.0 => {
            Some(format!("pari a 0{percent}: lo standard non promette nulla"))
        }
        _ => None,
    }
}

/// A ratio with two decimals and an Italian decimal comma: 4,47.
fn decimal(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

#[derive(Default)]
struct Ids {
    first_line: HashMap<String, u32>,
}
