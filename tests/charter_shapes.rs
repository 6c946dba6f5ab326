//! Every charter's shape: charters that are not Firenze's. An ente without an office address or
//! some optional footer links, a settore with one responsible and staff referents and no units,
//! people without a direct phone, contacts that are only a PEC or a labelled address, opening
//! hours as data, and a charter that must promise something.

mod common;

use common::{
    EXIT_CONTENT_ERRORS, Project, Site, locate, parent, select_all, select_in, single, text_of,
};
use scraper::Html;
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
                    ("accessibility-link", "https://form.agid.gov.it/"),
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
        "accessibility = \"https://form.agid.gov.it/\"",
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
