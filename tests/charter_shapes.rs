//! Every charter's shape: charters that are not Firenze's. An ente without an office address or
//! some optional footer links, a settore with one responsible and staff referents and no units,
//! people without a direct phone, contacts that are only a PEC or a labelled address, opening
//! hours as data, and a charter that must promise something.

mod common;

use common::{
    EXIT_CONTENT_ERRORS, Project, Site, locate, parent, select_all, select_in, single, text_of,
};
use scraper::{ElementRef, Html};
use serde_json::Value;

const COMMITMENTS: &str = "content/data/commitments.yaml";

#[test]
fn a_charter_without_commitments_is_an_error() {
    let project = Project::default_copy();
    project.write(COMMITMENTS, "# Nessun impegno.\ncommitments: []\n");
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let text = project.read(COMMITMENTS);
    let (line, col) = locate(&text, "commitments: []", "commitments");
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E136")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    found[0].assert_at("E136", COMMITMENTS, line, col);
    assert_eq!(
        found[0].message,
        "la carta non ha impegni: l'elenco `commitments` è vuoto"
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("scrivi almeno un impegno")),
        "{:?}",
        found[0]
    );
    // build refuses it too, and writes nothing.
    let output = project.output("public");
    project.build(&output, &[]).assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists());
}

/// Every link of a page leads somewhere and says where: an `href` that is not empty and not a
/// bare scheme (`mailto:`, `tel:`), and a text (or an accessible name).
fn assert_links_lead_somewhere(url: &str, html: &Html) {
    for link in select_all(html, "a") {
        let href = link.attr("href").unwrap_or("");
        assert!(
            !href.trim().is_empty() && !matches!(href, "mailto:" | "tel:" | "tel:+39" | "#"),
            "{url}: a link without a target: {}",
            link.html()
        );
        let name = text_of(link);
        let label = link.attr("aria-label").unwrap_or("");
        assert!(
            !name.is_empty() || !label.trim().is_empty(),
            "{url}: a link without a label: {}",
            link.html()
        );
    }
    for item in select_all(html, "li, dd, td, address") {
        assert!(
            !text_of(item).is_empty(),
            "{url}: an empty {}: {}",
            item.value().name(),
            item.html()
        );
    }
}

#[test]
fn an_ente_without_an_faq_page_has_no_faq_link() {
    for without_faq in ["", "faq = \"\"\n"] {
        let project = Project::default_copy();
        project.replace(
            "site.toml",
            "faq = \"https://www.comune.fi.it/pagina/faq\"\n",
            without_faq,
        );
        let (run, site) = project.build_site("public", &["--strict"]);
        assert!(run.diagnostics().is_empty(), "{}", run.stderr);
        for (url, html) in site.web_pages() {
            assert!(
                select_all(html, "footer a[data-element=\"faq\"]").is_empty(),
                "{url}: no FAQ link"
            );
            let small_prints = select_all(html, "footer .it-footer-small-prints-list > li");
            let found: Vec<(String, String)> = small_prints
                .iter()
                .map(|item| {
                    let link = select_in(*item, "a")[0];
                    (
                        link.attr("data-element").unwrap_or("").to_string(),
                        link.attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
            assert_eq!(
                found,
                [
                    ("accessibility-link", common::STATEMENT),
                    (
                        "privacy-policy-link",
                        "https://www.comune.fi.it/pagina/privacy"
                    ),
                    ("legal-notes", "https://www.comune.fi.it/pagina/note-legali"),
                    (
                        "report-inefficiency",
                        "mailto:direzione.sistemiinformativi@comune.fi.it"
                    ),
                ]
                .map(|(element, href)| (element.to_string(), href.to_string())),
                "{url}: the four required links, in order, and nothing else"
            );
            assert!(
                !html.html().contains("FAQ"),
                "{url}: the FAQ label is not shown without its link"
            );
            assert_links_lead_somewhere(url, html);
        }
    }
}

#[test]
fn a_missing_required_footer_link_is_a_located_error() {
    // Left out: pointed at the [footer] section, with a hint that says what to write.
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        "privacy = \"https://www.comune.fi.it/pagina/privacy\"\n",
        "",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(&text, "\n[footer]\n", "[footer]");
    diagnostics[0].assert_at("E186", "site.toml", line, col);
    assert_eq!(
        diagnostics[0].message,
        "manca nel piè di pagina il link all'informativa privacy (`privacy`), obbligatorio per le linee guida AGID"
    );
    let hint = diagnostics[0].hint.clone().unwrap_or_default();
    assert!(hint.contains("privacy = \"https://…\""), "{hint}");
    assert!(
        !hint.contains("comune.fi.it"),
        "no other ente's address: {hint}"
    );

    // Written but blank: pointed at the key.
    let project = Project::default_copy();
    let text = project.replace(
        "site.toml",
        &common::statement_line(),
        "accessibility = \"\"",
    );
    let run = project.build(&project.output("public"), &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(&text, "accessibility = \"\"", "accessibility");
    diagnostics[0].assert_at("E186", "site.toml", line, col);
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("https://form.agid.gov.it/")),
        "{:?}",
        diagnostics[0]
    );
    assert!(!project.output("public").exists());

    // No [footer] at all: the four required links, one error each; not the optional FAQ.
    let project = Project::default_copy();
    let text = project.read("site.toml");
    let start = text.find("[footer]").unwrap();
    let end = text.find("[open_data]").unwrap();
    project.write("site.toml", &format!("{}{}", &text[..start], &text[end..]));
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let keys: Vec<String> = run
        .diagnostics()
        .iter()
        .map(|d| {
            assert_eq!((d.code.as_str(), d.line, d.col), ("E186", Some(1), Some(1)));
            d.message.split('`').nth(1).unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(
        keys,
        [
            "accessibility",
            "privacy",
            "legal_notes",
            "report_inefficiency"
        ],
        "{}",
        run.stderr
    );
}

const ORGANIZATION: &str = "content/data/organization.yaml";

fn json(site: &Site, relative: &str) -> Value {
    serde_json::from_slice(&std::fs::read(site.dir.join(relative)).unwrap())
        .unwrap_or_else(|error| panic!("{relative} is JSON: {error}"))
}

fn csv_records(site: &Site, relative: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(site.dir.join(relative)).unwrap();
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, records)
}

/// The levels of the headings inside `main`, in order; asserts that none is skipped.
fn heading_levels(url: &str, html: &Html) -> Vec<u8> {
    let levels: Vec<u8> = select_all(html, "main h1, main h2, main h3, main h4, main h5, main h6")
        .into_iter()
        .map(|heading| heading.value().name()[1..].parse().unwrap())
        .collect();
    assert_eq!(levels.first(), Some(&1), "{url}: the page starts at h1");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{url}: heading levels {levels:?} skip one after h{}",
            pair[0]
        );
    }
    levels
}

/// The staff of the security service instead of its two units: the heads of those units become
/// its referents, one with a role and one without; and its head has no direct phone.
fn security_service_with_staff(project: &Project) {
    let text = project.read(ORGANIZATION);
    let start = text
        .find("    units:\n      - id: data-center-sistemi-cloud")
        .unwrap();
    project.write(
        ORGANIZATION,
        &format!(
            "{}    staff:\n      - person: valerio-carboncini\n        role: \"Referente per data center, sistemi e cloud\"\n      - person: nicolo-galia\n",
            &text[..start]
        ),
    );
    project.replace(ORGANIZATION, "    phone: \"055 3283813\"\n", "");
}

#[test]
fn a_service_with_staff_referents_and_no_units_is_shown_and_exported() {
    let project = Project::default_copy();
    security_service_with_staff(&project);
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let page = site.page("/organizzazione/");
    assert_eq!(
        heading_levels("/organizzazione/", page),
        [1, 2, 3, 4, 4, 3, 4, 4, 3],
        "the direction, each service one level down, each unit one more"
    );
    let card = single(page, "#sicurezza-infrastruttura-architettura-it");
    let name = select_in(card, ".carta-org-name")[0];
    assert_eq!(name.value().name(), "h3");
    assert_eq!(
        text_of(name),
        "Servizio Sicurezza, Infrastruttura e Architettura IT dell'Ente"
    );
    let node = parent(card).unwrap();
    assert!(
        select_in(node, ".carta-org-units").is_empty(),
        "no list of units where there are none"
    );
    // The head, without a direct phone: no phone line, no tel: link, the email only.
    let head = select_in(card, ".carta-org-head")[0];
    assert_eq!(text_of(head), "Dirigente: Luca Bertelli");
    let head_links: Vec<&str> = select_in(card, ":scope > .carta-org-contacts a")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(head_links, ["mailto:luca.bertelli@comune.fi.it"]);
    assert!(
        !text_of(select_in(card, ":scope > .carta-org-contacts")[0]).contains("Telefono"),
        "no phone label for a person without phone"
    );
    // The referents: listed, labelled, each with their own contacts and anchor.
    let label = select_in(card, ".carta-org-staff-label")[0];
    assert_eq!(text_of(label), "Referenti");
    let members = select_in(card, "ul.carta-org-staff > li");
    let found: Vec<(Option<&str>, String, Vec<&str>)> = members
        .iter()
        .map(|member| {
            (
                member.attr("id"),
                text_of(select_in(*member, ".carta-org-head")[0]),
                select_in(*member, "a")
                    .into_iter()
                    .filter_map(|a| a.attr("href"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Some("valerio-carboncini"),
                "Referente per data center, sistemi e cloud: Valerio Carboncini".to_string(),
                vec![
                    "tel:+390553283874",
                    "mailto:valerio.carboncini@comune.fi.it"
                ]
            ),
            (
                Some("nicolo-galia"),
                "Nicolò Galia".to_string(),
                vec!["tel:+390553282713", "mailto:nicolo.galia@comune.fi.it"]
            ),
        ]
    );
    for (url, html) in site.web_pages() {
        assert!(
            select_all(html, "a[href=\"tel:\"], a[href=\"tel:+39\"]").is_empty(),
            "{url}: no empty tel: link"
        );
        assert_links_lead_somewhere(url, html);
    }
    // A process answered by a referent links to the unit where their contacts are.
    let contacts = site.page("/contatti/");
    let row = select_all(contacts, "table.carta-contacts tbody tr")
        .into_iter()
        .find(|row| text_of(select_in(*row, "th")[0]) == "sistemi")
        .unwrap();
    let link = select_in(row, "a[href^=\"/organizzazione/\"]")[0];
    assert_eq!(
        (link.attr("href"), text_of(link).as_str()),
        (
            Some("/organizzazione/#sicurezza-infrastruttura-architettura-it"),
            "Valerio Carboncini"
        )
    );

    // Open data: the referents by id, name and role; the head's missing phone is empty.
    let data = json(&site, "trasparenza/organizzazione.json");
    let service = data["direzione"]["strutture"]
        .as_array()
        .unwrap()
        .iter()
        .find(|unit| unit["id"] == "sicurezza-infrastruttura-architettura-it")
        .unwrap();
    assert_eq!(service["strutture"], serde_json::json!([]));
    assert_eq!(
        service["referenti"],
        serde_json::json!([
            {"id_persona": "valerio-carboncini", "nome": "Valerio Carboncini", "ruolo": "Referente per data center, sistemi e cloud"},
            {"id_persona": "nicolo-galia", "nome": "Nicolò Galia", "ruolo": null},
        ])
    );
    let bertelli = data["persone"]
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["id"] == "luca-bertelli")
        .unwrap();
    assert_eq!(bertelli["telefono"], Value::Null);
    let (headers, rows) = csv_records(&site, "trasparenza/organizzazione.csv");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|row| row[0] == "sicurezza-infrastruttura-architettura-it")
        .unwrap();
    assert_eq!(row[column("telefono_responsabile")], "");
    assert_eq!(
        row[column("id_referenti")],
        "valerio-carboncini; nicolo-galia"
    );
    assert_eq!(row[column("referenti")], "Valerio Carboncini; Nicolò Galia");
    assert_eq!(
        row[column("ruoli_referenti")],
        "Referente per data center, sistemi e cloud; "
    );
    assert_eq!(rows.len(), 8, "the two units are gone: one row per unit");
}

#[test]
fn a_block_before_any_section_starts_one_level_below_the_title() {
    let project = Project::default_copy();
    project.write(
        "content/chapters/05-chi-siamo.md",
        "---\ntitle: Chi siamo\norder: 5\nsections: false\n---\n\nIl testo approvato non ha sezioni.\n\n{{ organigramma }}\n\n{{ contatti }}\n",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let page = site.page("/chi-siamo/");
    let levels = heading_levels("/chi-siamo/", page);
    assert_eq!(&levels[..3], [1, 2, 3], "{levels:?}");
    assert_eq!(
        single(page, "#direzione-sistemi-informativi .carta-org-name")
            .value()
            .name(),
        "h2"
    );
    // Under a section the same block keeps its deeper headings (chapter 2).
    let page = site.page("/descrizione-del-servizio/");
    heading_levels("/descrizione-del-servizio/", page);
    assert_eq!(
        single(page, "#direzione-sistemi-informativi .carta-org-name")
            .value()
            .name(),
        "h3"
    );
}

#[test]
fn staff_referents_are_checked_like_heads() {
    let project = Project::default_copy();
    security_service_with_staff(&project);
    let text = project.replace(
        ORGANIZATION,
        "      - person: nicolo-galia\n",
        "      - person: nicolo-gallia\n      - person: luca-bertelli\n      - person: valerio-carboncini\n",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let found: Vec<(String, u32, u32, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| {
            (
                d.code,
                d.line.unwrap(),
                d.col.unwrap(),
                d.hint.unwrap_or_default(),
            )
        })
        .collect();
    let at = |context: &str| locate(&text, context, context.trim_start_matches("- person: "));
    let (unknown, head, twice) = (
        at("- person: nicolo-gallia"),
        at("- person: luca-bertelli"),
        locate(
            &text,
            "luca-bertelli\n      - person: valerio-carboncini",
            "valerio-carboncini",
        ),
    );
    assert_eq!(
        found,
        [
            (
                "E131".to_string(),
                unknown.0,
                unknown.1,
                "forse intendevi `nicolo-galia`?".to_string()
            ),
            (
                "E130".to_string(),
                head.0,
                head.1,
                "il responsabile è in `head`: togli questa riga da `staff`".to_string()
            ),
            (
                "E130".to_string(),
                twice.0,
                twice.1,
                "ogni persona compare una volta sola in `staff`: togli la riga ripetuta"
                    .to_string()
            ),
        ],
        "{}",
        run.stderr
    );
}

const CONTACTS: &str = "content/data/contacts.yaml";

/// A project with the shape of the Comune di Quarto's charter (`tests/fixtures/quarto/`).
fn quarto() -> Project {
    let project = Project::default_copy();
    std::fs::remove_dir_all(project.path("content")).unwrap();
    std::fs::remove_file(project.path("site.toml")).unwrap();
    project.overlay("quarto");
    std::fs::remove_file(project.path("README.md")).unwrap();
    project
}

/// The schema.org graph of a page.
fn jsonld(html: &Html) -> Value {
    let script = single(html, "script[type=\"application/ld+json\"]");
    serde_json::from_str(&script.inner_html()).expect("the JSON-LD parses")
}

fn office_node(html: &Html) -> Value {
    jsonld(html)["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| {
            node["@id"]
                .as_str()
                .is_some_and(|id| id.ends_with("#ufficio"))
        })
        .cloned()
        .expect("the office's node")
}

/// Texts of the items of a list, whitespace-normalised.
fn items(list: ElementRef<'_>) -> Vec<String> {
    select_in(list, ":scope > li")
        .into_iter()
        .map(text_of)
        .collect()
}

#[test]
fn a_settore_with_referents_and_no_address_builds_strict_and_shows_only_what_it_has() {
    let project = quarto();
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let check = project.check(&["--strict"]);
    check.assert_success();

    // The organigram: one structure, its head, its two referents; no list of services.
    for url in ["/organizzazione/", "/organizzazione-del-settore/"] {
        let page = site.page(url);
        assert_eq!(heading_levels(url, page), [1, 2], "{url}");
        assert_eq!(text_of(single(page, "h2.carta-org-name")), "Settore ICT");
        assert!(select_all(page, ".carta-org-services, .carta-org-units").is_empty());
        assert_eq!(
            text_of(single(page, "#aniello-mazzone")),
            "Responsabile del Settore in Posizione Organizzativa: dott. Aniello Mazzone"
        );
        let staff = single(page, "ul.carta-org-staff");
        let found: Vec<(String, String, Vec<String>)> = select_in(staff, ":scope > li")
            .into_iter()
            .map(|member| {
                (
                    member.attr("id").unwrap_or("").to_string(),
                    text_of(select_in(member, ".carta-org-head")[0]),
                    select_in(member, "a")
                        .into_iter()
                        .map(|a| a.attr("href").unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "gianluca-di-pietro",
                    "Istruttore Tecnico Informatico, referente per l'area tecnica: Gianluca Di Pietro",
                    ["tel:+390818069203", "mailto:dipietro.gianluca@comune.quarto.na.it"]
                ),
                (
                    "giovanni-sbrizzi",
                    "Istruttore Amministrativo, referente per l'URP e l'implementazione del portale web istituzionale: Giovanni Sbrizzi",
                    ["tel:+390818069223", "mailto:urp@comune.quarto.na.it"]
                ),
            ]
            .map(|(id, text, links)| (
                id.to_string(),
                text.to_string(),
                links.map(str::to_string).to_vec()
            )),
            "{url}"
        );
    }

    // The contacts: the four addresses the charter lists, under «Recapiti»; no table, no address,
    // no phone box.
    let page = site.page("/contatti/");
    assert_eq!(heading_levels("/contatti/", page), [1, 2]);
    assert_eq!(text_of(single(page, "main h2")), "Recapiti");
    assert!(select_all(page, "main table, main address, main a[href^=\"tel:\"]").is_empty());
    assert_eq!(
        items(single(page, "ul.carta-other-contacts")),
        [
            "ced@comune.quarto.na.it",
            "dipietro.gianluca@comune.quarto.na.it",
            "servizi.ict@comune.quarto.na.it",
            "urp@comune.quarto.na.it"
        ]
    );
    assert!(
        select_all(page, ".carta-contact-label").is_empty(),
        "no empty labels"
    );
    for (url, html) in site.web_pages() {
        assert_links_lead_somewhere(url, html);
        assert!(select_all(html, "footer a[data-element=\"faq\"]").is_empty());
        assert_eq!(
            select_all(html, "footer .it-footer-small-prints-list > li").len(),
            4,
            "{url}"
        );
    }
    // No address is claimed anywhere.
    let office = office_node(site.page("/"));
    assert_eq!(office.get("address"), None, "{office}");
    assert_eq!(office.get("location"), None, "{office}");

    // Open data: no office address, the contacts without a label.
    let data = json(&site, "trasparenza/contatti.json");
    assert_eq!(data["sede"], Value::Null);
    assert_eq!(data["orari"], Value::Null);
    assert_eq!(data["processi"], serde_json::json!([]));
    assert_eq!(data["altri_contatti"].as_array().unwrap().len(), 4);
    assert_eq!(
        data["altri_contatti"][0],
        serde_json::json!({"nome": null, "descrizione": null, "email": "ced@comune.quarto.na.it", "pec": null, "telefoni": [], "indirizzo": null, "orari": null})
    );
    let (headers, rows) = csv_records(&site, "trasparenza/contatti.csv");
    assert_eq!(
        headers,
        [
            "tipo",
            "nome",
            "descrizione",
            "id_responsabile",
            "responsabile",
            "email",
            "telefono",
            "pec",
            "indirizzo"
        ]
    );
    let kinds: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(
        kinds, ["altro_contatto"; 4],
        "no `sede` row without an address"
    );
    let data = json(&site, "trasparenza/organizzazione.json");
    assert_eq!(data["direzione"]["strutture"], serde_json::json!([]));
    assert_eq!(
        data["direzione"]["referenti"][1]["ruolo"],
        "Istruttore Amministrativo, referente per l'URP e l'implementazione del portale web istituzionale"
    );
    let (_, rows) = csv_records(&site, "trasparenza/organizzazione.csv");
    assert_eq!(rows.len(), 1, "one structure");
}

#[test]
fn pec_and_labelled_address_contacts_are_shown_and_exported() {
    let project = quarto();
    // Test data: the Quarto charter gives neither a PEC nor a desk's address.
    project.write(
        CONTACTS,
        &format!(
            "{}  - label: \"Protocollo generale\"\n    pec: \"protocollo@pec.comune.example.it\"\n  - label: \"Sportello\"\n    description: \"Per consegnare i documenti\"\n    address: {{ street: \"Via Esempio 1\", postcode: \"80010\", city: \"Quarto\" }}\n    phones: [\"081 0000000\"]\n",
            project.read(CONTACTS)
        ),
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    for url in [
        "/contatti/",
        "/principali-contatti-a-disposizione-degli-utenti/",
    ] {
        let page = site.page(url);
        let entries = select_all(page, "ul.carta-other-contacts > li");
        assert_eq!(entries.len(), 6, "{url}");
        let pec = entries[4];
        assert_eq!(
            text_of(pec),
            "Protocollo generale PEC: protocollo@pec.comune.example.it"
        );
        assert_eq!(
            text_of(select_in(pec, ".carta-contact-kind")[0]),
            "PEC:",
            "{url}: the PEC is labelled as such"
        );
        let links: Vec<&str> = select_in(pec, "a")
            .iter()
            .filter_map(|a| a.attr("href"))
            .collect();
        assert_eq!(links, ["mailto:protocollo@pec.comune.example.it"]);
        let desk = entries[5];
        assert_eq!(
            text_of(select_in(desk, ".carta-contact-label")[0]),
            "Sportello"
        );
        let address: Vec<String> = select_in(desk, "address")[0]
            .text()
            .map(|line| line.trim().to_string())
            .collect();
        assert_eq!(address, ["Via Esempio 1", "80010 Quarto"], "two lines");
        let links: Vec<&str> = select_in(desk, "a")
            .iter()
            .filter_map(|a| a.attr("href"))
            .collect();
        assert_eq!(links, ["tel:+390810000000"]);
        assert_links_lead_somewhere(url, page);
    }
    let data = json(&site, "trasparenza/contatti.json");
    assert_eq!(
        data["altri_contatti"][4],
        serde_json::json!({"nome": "Protocollo generale", "descrizione": null, "email": null, "pec": "protocollo@pec.comune.example.it", "telefoni": [], "indirizzo": null, "orari": null})
    );
    assert_eq!(
        data["altri_contatti"][5]["indirizzo"],
        serde_json::json!({"via": "Via Esempio 1", "cap": "80010", "citta": "Quarto"})
    );
    assert_eq!(
        data["altri_contatti"][5]["telefoni"],
        serde_json::json!(["081 0000000"])
    );
    let (headers, rows) = csv_records(&site, "trasparenza/contatti.csv");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[4][column("nome")], "Protocollo generale");
    assert_eq!(rows[4][column("pec")], "protocollo@pec.comune.example.it");
    assert_eq!(rows[4][column("email")], "");
    assert_eq!(rows[5][column("indirizzo")], "Via Esempio 1, 80010 Quarto");
    assert_eq!(rows[5][column("telefono")], "081 0000000");
    assert_eq!(rows[5][column("descrizione")], "Per consegnare i documenti");

    // A contact that gives no way to reach the office is an error where it is written; so is a
    // PEC that is not an address.
    let text = project.replace(
        CONTACTS,
        "    pec: \"protocollo@pec.comune.example.it\"\n",
        "    pec: \"protocollo.pec\"\n  - label: \"Vuoto\"\n    description: \"Nessun recapito\"\n",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let found: Vec<(String, u32, u32)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.line.unwrap(), d.col.unwrap()))
        .collect();
    let pec = locate(&text, "pec: \"protocollo.pec\"", "\"protocollo.pec\"");
    let empty = locate(&text, "  - label: \"Vuoto\"", "label");
    assert_eq!(
        found,
        [
            ("E132".to_string(), pec.0, pec.1),
            ("E189".to_string(), empty.0, empty.1)
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("errore[E189]: il contatto «Vuoto» non dice come raggiungere l'ufficio"),
        "{}",
        run.stderr
    );
}

/// Test data: opening hours for the Quarto-shaped charter (its own text gives none), the
/// office's and a desk's.
const HOURS: &str = "hours:
  weekly:
    - days: [lunedì-venerdì]
      times: [\"09:00-12:30\"]
    - days: [martedì, giovedì]
      times: [\"15:00-17:00\"]
      note: \"solo su appuntamento\"
  exceptions:
    - from: 2026-08-08
      to: 2026-08-11
      closed: true
      note: \"chiusura estiva\"
    - from: 2026-12-24
      times: [\"09:00-11:00\"]
  note: \"Gli orari possono cambiare nei giorni festivi.\"
";

const DESK: &str = "  - label: \"Sportello\"
    address: { street: \"Via Esempio 1\", postcode: \"80010\", city: \"Quarto\" }
    hours:
      weekly:
        - days: [sabato]
          times: [\"08:30-10:00\", \"11:00-12:00\"]
";

#[test]
fn opening_hours_are_read_as_sentences_and_published_as_schema_org() {
    let project = quarto();
    project.write(
        CONTACTS,
        &format!("{}{DESK}{HOURS}", project.read(CONTACTS)),
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);

    for url in [
        "/contatti/",
        "/principali-contatti-a-disposizione-degli-utenti/",
    ] {
        let page = site.page(url);
        let boxes: Vec<ElementRef<'_>> = select_all(page, ".carta-contact-box")
            .into_iter()
            .filter(|contact_box| {
                select_in(*contact_box, ".carta-block-heading")
                    .first()
                    .is_some_and(|heading| text_of(*heading) == "Orari di apertura al pubblico")
            })
            .collect();
        assert_eq!(boxes.len(), 1, "{url}: one box of office hours");
        let lists = select_in(boxes[0], "ul.carta-hours");
        assert_eq!(
            items(lists[0]),
            [
                "Da lunedì a venerdì: dalle 9:00 alle 12:30",
                "Martedì e giovedì: dalle 15:00 alle 17:00 (solo su appuntamento)"
            ],
            "{url}"
        );
        assert_eq!(
            text_of(select_in(boxes[0], ".carta-hours-label")[0]),
            "Giorni con orario diverso"
        );
        assert_eq!(
            items(lists[1]),
            [
                "Dall'8 agosto 2026 all'11 agosto 2026: chiuso (chiusura estiva)",
                "24 dicembre 2026: dalle 9:00 alle 11:00"
            ],
            "{url}"
        );
        assert_eq!(
            text_of(select_in(boxes[0], ":scope > p.carta-hours-note")[0]),
            "Gli orari possono cambiare nei giorni festivi."
        );
        let desk = select_all(page, "ul.carta-other-contacts > li")[4];
        assert_eq!(
            items(select_in(desk, "ul.carta-hours")[0]),
            ["Sabato: dalle 8:30 alle 10:00 e dalle 11:00 alle 12:00"],
            "{url}"
        );
        assert_links_lead_somewhere(url, page);
        heading_levels(url, page);
    }

    // schema.org: the office's places, each with the specifications of its hours.
    for url in ["/", "/impegni/"] {
        let office = office_node(site.page(url));
        let day = |name: &str| format!("https://schema.org/{name}");
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"].map(day);
        assert_eq!(
            office["location"],
            serde_json::json!([
                {
                    "@type": "Place",
                    "name": "Settore ICT/Trasporti/Sport/Beni confiscati",
                    "description": "Gli orari possono cambiare nei giorni festivi.",
                    "openingHoursSpecification": [
                        {
                            "@type": "OpeningHoursSpecification",
                            "dayOfWeek": weekdays,
                            "opens": "09:00",
                            "closes": "12:30"
                        },
                        {
                            "@type": "OpeningHoursSpecification",
                            "dayOfWeek": [day("Tuesday"), day("Thursday")],
                            "opens": "15:00",
                            "closes": "17:00",
                            "description": "solo su appuntamento"
                        },
                        {
                            "@type": "OpeningHoursSpecification",
                            "validFrom": "2026-08-08",
                            "validThrough": "2026-08-11",
                            "opens": "00:00",
                            "closes": "00:00",
                            "description": "chiusura estiva"
                        },
                        {
                            "@type": "OpeningHoursSpecification",
                            "validFrom": "2026-12-24",
                            "validThrough": "2026-12-24",
                            "opens": "09:00",
                            "closes": "11:00"
                        }
                    ]
                },
                {
                    "@type": "Place",
                    "name": "Sportello",
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": "Via Esempio 1",
                        "postalCode": "80010",
                        "addressLocality": "Quarto",
                        "addressCountry": "IT"
                    },
                    "openingHoursSpecification": [
                        {"@type": "OpeningHoursSpecification", "dayOfWeek": [day("Saturday")], "opens": "08:30", "closes": "10:00"},
                        {"@type": "OpeningHoursSpecification", "dayOfWeek": [day("Saturday")], "opens": "11:00", "closes": "12:00"}
                    ]
                }
            ]),
            "{url}"
        );
    }

    // Open data: the same hours, by day name and HH:MM.
    let data = json(&site, "trasparenza/contatti.json");
    assert_eq!(
        data["orari"]["settimanali"][0],
        serde_json::json!({
            "giorni": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"],
            "chiuso": false,
            "su_appuntamento": false,
            "fasce": [{"apertura": "09:00", "chiusura": "12:30"}],
            "nota": null
        })
    );
    assert_eq!(
        data["orari"]["eccezioni"][0],
        serde_json::json!({"dal": "2026-08-08", "al": "2026-08-11", "chiuso": true, "fasce": [], "nota": "chiusura estiva"})
    );
    assert_eq!(
        data["altri_contatti"][4]["orari"]["settimanali"][0]["fasce"][1],
        serde_json::json!({"apertura": "11:00", "chiusura": "12:00"})
    );
}

#[test]
fn impossible_opening_hours_are_located_errors_with_neutral_hints() {
    let project = quarto();
    let hours = "hours:
  weekly:
    - days: [lunedì-venerdì, sabbato, venerdì-lunedì]
      times: [\"25:00-26:00\", \"14:00-12:00\", \"9-12\", \"08:00-10:00\"]
    - days: [mercoledì]
      times: [\"09:30-11:00\"]
  exceptions:
    - from: 2026-08-21
      to: 2026-08-10
      closed: true
    - from: 2026-12-24
      closed: true
      times: [\"09:00-11:00\"]
";
    project.write(CONTACTS, &format!("{}{hours}", project.read(CONTACTS)));
    let text = project.read(CONTACTS);
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let at = |context: &str, inner: &str| locate(&text, context, inner);
    let expected = [
        (
            "E188",
            at("sabbato,", "sabbato"),
            "giorno sconosciuto: `sabbato`",
        ),
        (
            "E188",
            at("venerdì-lunedì]", "venerdì-lunedì"),
            "i giorni vanno da venerdì a lunedì, all'indietro nella settimana",
        ),
        (
            "E187",
            at("\"25:00-26:00\"", "\"25:00-26:00\""),
            "ora impossibile: `25:00`",
        ),
        (
            "E187",
            at("\"14:00-12:00\"", "\"14:00-12:00\""),
            "l'ufficio chiuderebbe (12:00) prima di aprire (14:00)",
        ),
        (
            "E187",
            at("\"9-12\"", "\"9-12\""),
            "orario non valido: `9-12`",
        ),
        (
            "E187",
            at("\"09:30-11:00\"", "\"09:30-11:00\""),
            "la fascia 09:30-11:00 si sovrappone a 08:00-10:00 di mercoledì",
        ),
        (
            "E187",
            at("to: 2026-08-10", "2026-08-10"),
            "il periodo finisce (2026-08-10) prima di cominciare (2026-08-21)",
        ),
        (
            "E187",
            at("from: 2026-12-24", "2026-12-24"),
            "un giorno non può essere chiuso (`closed: true`) e avere orari (`times`)",
        ),
    ];
    let diagnostics = run.diagnostics();
    let found: Vec<(String, (u32, u32), String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d.code.clone(),
                (d.line.unwrap(), d.col.unwrap()),
                d.message.clone(),
            )
        })
        .collect();
    let expected: Vec<(String, (u32, u32), String)> = expected
        .iter()
        .map(|(code, place, message)| (code.to_string(), *place, message.to_string()))
        .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    let hint = |index: usize| diagnostics[index].hint.clone().unwrap_or_default();
    assert!(
        hint(0).starts_with("forse intendevi «sabato»?"),
        "{}",
        hint(0)
    );
    assert!(hint(1).contains("lunedì-venerdì"), "{}", hint(1));
    assert!(hint(3).contains("\"12:00-14:00\""), "{}", hint(3));
    assert!(hint(4).contains("\"09:00-12:30\""), "{}", hint(4));
    // The hints show the form, never another ente's data.
    for diagnostic in &diagnostics {
        let hint = diagnostic.hint.as_deref().unwrap_or("");
        assert!(
            !hint.contains("comune.fi.it") && !hint.contains("055") && !hint.contains("Firenze"),
            "{diagnostic:?}"
        );
    }
}

/// The Quarto-shaped fixture as the draft it really is: no approval act.
fn quarto_draft() -> Project {
    let project = quarto();
    project.replace(
        "content/charter.yaml",
        "approval:\n  act: \"Atto di prova\"\n  date: 2025-01-15\n",
        "",
    );
    project
}

/// The site.toml of the Quarto fixture without its `[footer]` section.
fn without_footer(project: &Project) -> String {
    let text = project.read("site.toml");
    let start = text.find("[footer]").unwrap();
    let text = text[..start].to_string();
    project.write("site.toml", &text);
    text
}

#[test]
fn a_draft_without_the_footer_links_agid_requires_warns_and_says_they_are_not_available_yet() {
    let project = quarto_draft();
    let text = without_footer(&project);
    // The same links missing in an approved charter are errors (see above); in a draft each is
    // the warning W186, at the start of site.toml since there is no [footer].
    let run = project.check(&[]);
    run.assert_success();
    let diagnostics = run.diagnostics();
    let w186: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.code == "W186")
        .map(|d| {
            assert_eq!(
                (d.severity.as_str(), d.file.as_deref(), d.line, d.col),
                ("avviso", Some("site.toml"), Some(1), Some(1))
            );
            d.message.split('`').nth(1).unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(
        w186,
        [
            "accessibility",
            "privacy",
            "legal_notes",
            "report_inefficiency"
        ],
        "{}",
        run.stderr
    );
    assert!(
        diagnostics[..]
            .iter()
            .all(|d| d.code == "W186" || d.code == "W149"),
        "{}",
        run.stderr
    );
    assert!(diagnostics.iter().any(|d| d.message.ends_with(
        "obbligatorio per le linee guida AGID: la bozza lo mostra come «non ancora disponibile»"
    )));

    // --strict refuses the draft and its missing links; --allow-draft accepts both, like W149.
    project
        .check(&["--strict"])
        .assert_code(EXIT_CONTENT_ERRORS);
    let strict = project.build(&project.output("strict"), &["--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);
    assert!(
        strict
            .diagnostics()
            .iter()
            .any(|d| d.code == "W186" && d.severity == "errore"),
        "{}",
        strict.stderr
    );
    let check = project.check(&["--strict", "--allow-draft"]);
    assert!(check.diagnostics().is_empty(), "{}", check.stderr);
    let (run, site) = project.build_site("public", &["--strict", "--allow-draft"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);

    // Every page names each of the four as not available yet, without a link.
    for (url, html) in site.web_pages() {
        let items: Vec<String> = select_all(html, "footer .it-footer-small-prints-list > li")
            .into_iter()
            .map(|item| {
                assert!(select_in(item, "a").is_empty(), "{url}: {}", item.html());
                text_of(item)
            })
            .collect();
        assert_eq!(
            items,
            [
                "Dichiarazione di accessibilità (non ancora disponibile)",
                "Privacy (non ancora disponibile)",
                "Note legali (non ancora disponibile)",
                "Segnala disservizio (non ancora disponibile)",
            ],
            "{url}"
        );
        assert!(
            select_all(html, "footer [data-element]").is_empty(),
            "{url}"
        );
        assert_links_lead_somewhere(url, html);
    }

    // One link given, the others not: the given one is a link, the rest are named as missing.
    let project = quarto_draft();
    let mut text = text.clone();
    text.push_str("[footer]\nprivacy = \"https://www.comune.example.it/privacy\"\n");
    project.write("site.toml", &text);
    let run = project.check(&["--allow-draft", "--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let run = project.check(&[]);
    let (line, col) = locate(&text, "\n[footer]\n", "[footer]");
    let w186: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W186")
        .collect();
    assert_eq!(w186.len(), 3, "{}", run.stderr);
    assert_eq!(
        (w186[0].file.as_deref(), w186[0].line, w186[0].col),
        (Some("site.toml"), Some(line), Some(col)),
        "{:?}",
        w186[0]
    );
    let (_, site) = project.build_site("public", &["--allow-draft"]);
    let home = site.page("/");
    let privacy = single(home, "footer a[data-element=\"privacy-policy-link\"]");
    assert_eq!(
        privacy.attr("href"),
        Some("https://www.comune.example.it/privacy")
    );
    assert_eq!(
        select_all(home, "footer .carta-footer-unavailable").len(),
        3
    );

    // Approved, the same charter is refused: E186, whatever --allow-draft says.
    let project = quarto();
    without_footer(&project);
    let run = project.check(&["--allow-draft"]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let codes: Vec<String> = run.diagnostics().into_iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E186"; 4], "{}", run.stderr);
}

#[test]
fn a_parent_body_without_a_known_site_is_named_without_a_link() {
    let project = quarto();
    project.replace(
        "site.toml",
        "url = \"https://www.cittametropolitana.example.it/\"\n",
        "",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    for (url, html) in site.web_pages() {
        let slim = single(html, ".it-header-slim-wrapper-content");
        assert_eq!(text_of(slim), "Città metropolitana di Napoli", "{url}");
        assert!(select_in(slim, "a").is_empty(), "{url}: {}", slim.html());
        assert!(
            !html.html().contains("cittametropolitana"),
            "{url}: no address is made up"
        );
        let footer_items: Vec<String> = select_all(html, "footer .carta-footer-col:last-child li")
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(
            footer_items,
            ["Comune di Quarto", "Città metropolitana di Napoli"],
            "{url}"
        );
        assert_links_lead_somewhere(url, html);
    }
    let ente = jsonld(site.page("/"))["@graph"][0].clone();
    assert_eq!(
        ente["parentOrganization"],
        serde_json::json!({"@type": "GovernmentOrganization", "name": "Città metropolitana di Napoli"})
    );
}

#[test]
fn users_the_charter_does_not_name_are_said_to_be_not_given() {
    let project = quarto();
    project.replace(
        COMMITMENTS,
        "    users: [\"amministratori\", \"dipendenti\"]\n",
        "",
    );
    let (run, site) = project.build_site("public", &["--strict"]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let page = site.page("/impegni/");
    let row = single(page, "tr#impegno-credenziali-firma-digitale");
    let cells = select_in(row, "td");
    assert_eq!(text_of(cells[0]), "Non indicati");
    assert!(select_in(cells[0], "ul").is_empty(), "no empty list");
    let data = json(&site, "trasparenza/impegni.json");
    assert_eq!(data["impegni"][0]["utenti"], Value::Null);
    let (headers, rows) = csv_records(&site, "trasparenza/impegni.csv");
    let column = headers.iter().position(|h| h == "utenti").unwrap();
    assert_eq!(rows[0][column], "");
    let graph = jsonld(page)["@graph"].as_array().unwrap().clone();
    let service = graph
        .iter()
        .find(|node| node["@type"] == "GovernmentService")
        .unwrap();
    assert_eq!(service.get("audience"), None, "{service}");

    // `users: []` says neither who nor that the charter is silent: an error.
    let project = quarto();
    let text = project.replace(
        COMMITMENTS,
        "users: [\"amministratori\", \"dipendenti\"]",
        "users: []",
    );
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    let (line, col) = locate(
        &text,
        "id: credenziali-firma-digitale",
        "credenziali-firma-digitale",
    );
    diagnostics[0].assert_at("E136", COMMITMENTS, line, col);
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("togli la riga `users`")),
        "{:?}",
        diagnostics[0]
    );
}
