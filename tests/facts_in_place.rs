//! Every fact in its place: what a charter says reaches the page once, in its own words, and
//! nothing it does not say is shown. Page titles are unique; a contact labelled «PEC», a draft's
//! editions, a chapter without a description and a service's contacts read right.

mod common;

use std::collections::BTreeMap;

use common::{Project, select_all, select_in, single, text_of};

const COMMITMENTS: &str = "content/data/commitments.yaml";
const CONTACTS: &str = "content/data/contacts.yaml";

#[test]
fn two_commitments_with_one_service_name_warn_and_their_pages_keep_titles_of_their_own() {
    let project = Project::default_copy();
    let yaml = project.replace(
        COMMITMENTS,
        "    service: \"Connettività Fi-Net\"\n",
        "    service: \"FirenzeWIFI nelle aree coperte\"\n",
    );
    let run = project.check(&[]);
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "W230")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(&yaml, "  - id: connettivita-fi-net", "connettivita-fi-net");
    found[0].assert_warning_at("W230", COMMITMENTS, line, col);
    assert!(
        found[0].message.contains("impegno n. 4"),
        "{}",
        found[0].message
    );
    // check --strict refuses it, as every warning.
    project
        .check(&["--strict"])
        .assert_code(common::EXIT_CONTENT_ERRORS);

    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    // Every page of the site has a title of its own.
    let mut titles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (url, html) in site.web_pages() {
        titles
            .entry(text_of(single(html, "title")))
            .or_default()
            .push(url.clone());
    }
    let repeated: Vec<_> = titles.iter().filter(|(_, urls)| urls.len() > 1).collect();
    assert!(repeated.is_empty(), "{repeated:?}");
    let title = |url: &str| text_of(single(site.page(url), "title"));
    assert!(
        title("/impegni/connettivita-fi-net/")
            .starts_with("FirenzeWIFI nelle aree coperte – Impegno n. 5 – "),
        "{}",
        title("/impegni/connettivita-fi-net/")
    );
}

#[test]
fn a_contact_labelled_pec_says_pec_once_and_names_its_link_without_repeating_it() {
    let project = Project::default_copy();
    project.replace(
        CONTACTS,
        "  - label: \"Amministrazione\"\n    email: \"amministrazione.dsi@comune.fi.it\"\n",
        "  - label: \"PEC\"\n    pec: \"direzione.sistemiinformativi@pec.comune.fi.it\"\n  - label: \"PEC\"\n    description: \"Protocollo della direzione\"\n    pec: \"protocollo.dsi@pec.comune.fi.it\"\n",
    );
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let page = site.page("/contatti/");
    let items: Vec<_> = select_all(page, ".carta-other-contacts > li")
        .into_iter()
        .filter(|li| text_of(*li).contains("pec.comune.fi.it"))
        .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        text_of(items[0]),
        "PEC direzione.sistemiinformativi@pec.comune.fi.it"
    );
    let link = |li| {
        select_in(li, "a[href^='mailto:']")[0]
            .attr("aria-label")
            .unwrap()
            .to_string()
    };
    assert_eq!(
        link(items[0]),
        "PEC indicata dalla carta: direzione.sistemiinformativi@pec.comune.fi.it"
    );
    assert_eq!(
        link(items[1]),
        "PEC per Protocollo della direzione: protocollo.dsi@pec.comune.fi.it"
    );
    // Another label keeps the kind before the address.
    project.replace(
        CONTACTS,
        "  - label: \"PEC\"\n    pec:",
        "  - label: \"Direzione\"\n    pec:",
    );
    let (_, site) = project.build_site("other", &["--stylesheet", "fallback"]);
    let page = site.page("/contatti/");
    let direction = select_all(page, ".carta-other-contacts > li")
        .into_iter()
        .find(|li| text_of(*li).starts_with("Direzione"))
        .unwrap();
    assert_eq!(
        text_of(direction),
        "Direzione PEC: direzione.sistemiinformativi@pec.comune.fi.it"
    );
}

#[test]
fn a_draft_does_not_say_an_edition_is_in_force() {
    let project = Project::default_copy();
    project.replace(
        "content/charter.yaml",
        "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\npublished: 2025-06-03\n",
        "",
    );
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let card = select_all(site.page("/"), ".carta-card")
        .into_iter()
        .find(|card| text_of(*card).starts_with("Edizioni della carta"))
        .expect("the editions' card");
    let text = text_of(card);
    assert!(!text.contains("in vigore"), "{text}");
    assert!(text.contains("La bozza della carta"), "{text}");
    let archive = site.page("/edizioni/");
    let lead = text_of(single(archive, ".carta-lead"));
    assert!(!lead.contains("in vigore"), "{lead}");
    // The approved charter still says it.
    let project = Project::default_copy();
    let (_, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    let home = text_of(single(site.page("/"), "main"));
    assert!(home.contains("L'edizione in vigore"), "{home}");
}

#[test]
fn a_chapter_without_a_description_shows_its_first_paragraph_once() {
    let project = Project::default_copy();
    let chapter = "content/chapters/04-rapporto-con-il-cittadino.md";
    project.replace(
        chapter,
        "description: \"Come la DSI gestisce reclami e suggerimenti, coinvolge gli utenti, ne rileva la soddisfazione e pubblicizza la Carta dei servizi.\"\n",
        "",
    );
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let page = site.page("/rapporto-con-il-cittadino/");
    assert!(select_all(page, ".carta-lead").is_empty());
    let first = "La DSI del Comune di Firenze assicura la gestione di tutti i reclami";
    let shown = select_all(page, "main p")
        .into_iter()
        .filter(|p| text_of(*p).starts_with(first))
        .count();
    assert_eq!(shown, 1);
    // It still describes the page to search engines.
    let meta = single(page, "meta[name=description]")
        .attr("content")
        .unwrap();
    assert!(meta.starts_with(first), "{meta}");
    // A chapter with a description leads with it.
    let page = site.page("/il-valore-del-servizio/");
    assert!(text_of(single(page, ".carta-lead")).starts_with("Che cos'è la Carta dei Servizi"));
}

#[test]
fn a_service_pages_contact_links_say_whose_address_or_number_they_are() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let mut links = 0;
    for (url, html) in site
        .web_pages()
        .filter(|(url, _)| url.starts_with("/impegni/") && url.len() > "/impegni/".len())
    {
        for section in select_all(html, "section[aria-labelledby=carta-service-responsible]") {
            let unit = select_in(section, "h3 a")
                .into_iter()
                .map(text_of)
                .collect::<Vec<_>>();
            for link in select_in(section, "a[href^='mailto:'], a[href^='tel:']") {
                links += 1;
                let name = link.attr("aria-label").unwrap_or_default();
                let shown = text_of(link);
                assert!(name.ends_with(&format!(": {shown}")), "{url}: {name}");
                assert!(
                    unit.iter().any(|unit| name.contains(unit.as_str())),
                    "{url}: {name} names none of {unit:?}"
                );
            }
        }
    }
    assert_eq!(
        links, 14,
        "the default site's service pages link 14 addresses and numbers"
    );
}

#[test]
fn each_standard_shows_its_dimension_in_its_cell_on_every_page_that_lists_it() {
    let project = Project::default_copy();
    project.replace(
        COMMITMENTS,
        "    standards:\n      - take_charge: { days: 3, percent: 85 }\n      - response: { days: 4, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologiche]",
        "    standards:\n      - dimension: accessibilità\n        sub_dimension: \"accessibilità multicanale\"\n        indicator: \"Canali di richiesta\"\n        target: { at_least: 3, unit: count }\n      - on_request\n    responsible: [gestione-infrastrutture-tecnologiche]",
    );
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    for url in [
        "/impegni/",
        "/impegni/credenziali-firma-digitale/",
        common::PRINT_EDITION,
    ] {
        let page = site.page(url);
        let items: Vec<_> = select_all(page, "li.carta-standard");
        let first = items[0];
        assert_eq!(
            text_of(select_in(first, ".carta-standard-dimension")[0]),
            "Dimensione: Accessibilità (accessibilità multicanale)",
            "{url}"
        );
        assert!(
            first
                .value()
                .classes()
                .any(|c| c == "carta-dimension-accessibilita")
        );
        // A standard without a dimension says none.
        assert!(
            select_in(items[1], ".carta-standard-dimension").is_empty(),
            "{url}"
        );
        // The short forms have theirs.
        if url != "/impegni/credenziali-firma-digitale/" {
            let timed = items
                .iter()
                .find(|li| text_of(**li).starts_with("Presa in carico"))
                .unwrap();
            assert_eq!(
                text_of(select_in(*timed, ".carta-standard-dimension")[0]),
                "Dimensione: Tempestività",
                "{url}"
            );
        }
    }
    // In the commitments table the dimension is in the standards' cell, under its column header.
    let page = site.page("/impegni/");
    let row = single(page, "tr#impegno-credenziali-firma-digitale");
    let cells = select_in(row, "td");
    assert!(!select_in(cells[1], ".carta-standard-dimension").is_empty());
    let headers: Vec<String> = select_all(page, "table.carta-commitments thead th")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(headers[2], "Standard di qualità");
}

#[test]
fn an_ente_without_a_website_is_named_without_a_link() {
    let project = Project::default_copy();
    let site_toml = project.read("site.toml");
    let line = site_toml
        .lines()
        .skip_while(|line| *line != "[ente]")
        .find(|line| line.starts_with("url = "))
        .expect("the ente's url")
        .to_string();
    project.replace("site.toml", &format!("{line}\n"), "");
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let home = site.page("/");
    let footer = single(home, "footer");
    let named: Vec<_> = select_in(footer, ".list-item")
        .into_iter()
        .filter(|item| text_of(*item) == "Comune di Firenze")
        .collect();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].value().name(), "span");
    // No link anywhere points at the ente's site, and its JSON-LD has no url.
    for (url, html) in site.web_pages() {
        for a in select_all(html, "a[href]") {
            let href = a.attr("href").unwrap();
            assert_ne!(href, "https://www.comune.fi.it/", "{url}");
        }
    }
    let jsonld: serde_json::Value = select_all(home, "script[type='application/ld+json']")
        .into_iter()
        .map(|script| serde_json::from_str(&script.inner_html()).unwrap())
        .find(|json: &serde_json::Value| json.to_string().contains("GovernmentOrganization"))
        .unwrap();
    assert!(
        !jsonld.to_string().contains("\"https://www.comune.fi.it/\""),
        "{jsonld}"
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.dir.join("trasparenza/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["ente"]["url"], serde_json::Value::Null);
    // check --strict has nothing to say about it.
    let run = project.check(&["--strict"]);
    assert!(
        !run.stderr.contains("ente.url") && !run.stderr.contains("[ente]"),
        "{}",
        run.stderr
    );
}

/// The fixture charter of tests/fixtures/anagrafe, in place of the default one.
fn anagrafe() -> Project {
    let project = Project::default_copy();
    std::fs::remove_dir_all(project.path("content")).unwrap();
    std::fs::remove_file(project.path("site.toml")).unwrap();
    project.overlay("anagrafe");
    std::fs::remove_file(project.path("README.md")).unwrap();
    project
}

#[test]
fn days_closed_and_by_appointment_are_data_in_words_json_ld_and_open_data() {
    let project = anagrafe();
    let (run, site) = project.build_site("public", &["--allow-draft", "--stylesheet", "fallback"]);
    run.assert_success();
    let page = site.page("/contatti/");
    let lines: Vec<String> = select_all(
        page,
        ".carta-contact-box .carta-hours:not(.carta-hours-exceptions) li",
    )
    .into_iter()
    .map(text_of)
    .collect();
    assert_eq!(
        lines,
        [
            "Lunedì, mercoledì e venerdì: dalle 9:00 alle 12:00",
            "Martedì: dalle 15:00 alle 18:00, su appuntamento",
            "Giovedì: solo su appuntamento",
            "Sabato e domenica: chiuso",
        ]
    );
    let electoral = select_all(page, ".carta-other-contacts > li")
        .into_iter()
        .find(|li| text_of(*li).starts_with("Ufficio Elettorale"))
        .unwrap();
    assert_eq!(
        text_of(select_in(electoral, ".carta-hours-appointment")[0]),
        "Si riceve il pubblico solo su appuntamento."
    );
    // schema.org: the office's place and the electoral office's.
    let graph: serde_json::Value = serde_json::from_str(
        &single(site.page("/"), "script[type='application/ld+json']").inner_html(),
    )
    .unwrap();
    let office = graph["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| {
            node["@id"]
                .as_str()
                .is_some_and(|id| id.ends_with("#ufficio"))
        })
        .unwrap();
    let places = office["location"].as_array().unwrap();
    let specs = places[0]["openingHoursSpecification"].as_array().unwrap();
    let weekend = specs
        .iter()
        .find(|spec| spec["dayOfWeek"][0] == "https://schema.org/Saturday")
        .unwrap();
    assert_eq!(
        (weekend["opens"].as_str(), weekend["closes"].as_str()),
        (Some("00:00"), Some("00:00"))
    );
    let tuesday = specs
        .iter()
        .find(|spec| spec["dayOfWeek"][0] == "https://schema.org/Tuesday")
        .unwrap();
    assert_eq!(tuesday["description"], "su appuntamento");
    assert_eq!(tuesday["opens"], "15:00");
    let thursday = specs
        .iter()
        .find(|spec| spec["dayOfWeek"][0] == "https://schema.org/Thursday")
        .unwrap();
    assert_eq!(thursday["description"], "solo su appuntamento");
    assert!(thursday.get("opens").is_none(), "{thursday}");
    let electoral = places
        .iter()
        .find(|place| place["name"] == "Ufficio Elettorale")
        .unwrap();
    assert_eq!(
        electoral["description"],
        "Si riceve il pubblico solo su appuntamento."
    );
    // Open data.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.dir.join("trasparenza/contatti.json")).unwrap(),
    )
    .unwrap();
    let weekly = json["orari"]["settimanali"].as_array().unwrap();
    assert_eq!(weekly[1]["su_appuntamento"], true);
    assert_eq!(weekly[3]["chiuso"], true);
    assert_eq!(
        weekly[3]["giorni"],
        serde_json::json!(["sabato", "domenica"])
    );
    assert_eq!(json["orari"]["solo_su_appuntamento"], false);
    assert_eq!(
        json["altri_contatti"][2]["orari"]["solo_su_appuntamento"],
        true
    );

    // A day closed in one rule and open in another is located, as are times on closed days.
    let yaml = project.replace(
        CONTACTS,
        "    - days: [sabato, domenica]\n      closed: true",
        "    - days: [venerdì, sabato]\n      closed: true\n    - days: [domenica]\n      closed: true\n      times: [\"09:00-10:00\"]",
    );
    let run = project.check(&["--allow-draft"]);
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E231")
        .collect();
    assert_eq!(found.len(), 2, "{}", run.stderr);
    let (line, col) = common::locate(&yaml, "- days: [venerdì, sabato]", "[venerdì, sabato]");
    found[0].assert_at("E231", CONTACTS, line, col);
    assert!(
        found[0].message.starts_with("venerdì"),
        "{}",
        found[0].message
    );
    let (line, col) = common::locate(&yaml, "- days: [domenica]\n      closed", "[domenica]");
    found[1].assert_at("E231", CONTACTS, line, col);
}

#[test]
fn a_referent_is_not_a_head_and_a_unit_reached_through_the_switchboard_says_so() {
    let project = anagrafe();
    let (run, site) = project.build_site("public", &["--allow-draft", "--stylesheet", "fallback"]);
    run.assert_success();
    let page = site.page("/organizzazione/");
    let card = single(page, "#elettorale");
    // No head line: only the referent, under «Referenti».
    let heads: Vec<String> = select_in(card, ":scope > .carta-org-head")
        .into_iter()
        .map(text_of)
        .collect();
    assert!(heads.is_empty(), "{heads:?}");
    assert_eq!(
        text_of(select_in(card, ".carta-org-staff .carta-org-head")[0]),
        "Referente: Carla Campione"
    );
    assert_eq!(
        text_of(select_in(card, ".carta-org-switchboard")[0]),
        "Nessun telefono diretto: rivolgersi al centralino."
    );
    // Open data: no referent in `responsabile`; the switchboard as data.
    let mut reader =
        csv::Reader::from_path(site.dir.join("trasparenza/organizzazione.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|row| &row[column("id")] == "elettorale")
        .unwrap();
    assert_eq!(&row[column("responsabile")], "");
    assert_eq!(&row[column("ruolo_responsabile")], "");
    assert_eq!(&row[column("referenti")], "Carla Campione");
    assert_eq!(&row[column("ruoli_referenti")], "Referente");
    assert_eq!(&row[column("solo_centralino")], "true");
    // Neither is W143 (the switchboard is how to reach it).
    let run = project.check(&["--allow-draft", "--strict"]);
    assert!(!run.stderr.contains("W143"), "{}", run.stderr);

    // A unit with neither head nor referent, or a role without a head, is located.
    let yaml = project.replace(
        "content/data/organization.yaml",
        "    switchboard: true\n    staff:\n      - person: carla-campione\n        role: \"Referente\"\n",
        "    role: \"Responsabile elettorale\"\n",
    );
    let run = project.check(&["--allow-draft"]);
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E232")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    let (line, col) = common::locate(
        &yaml,
        "    role: \"Responsabile elettorale\"\n",
        "\"Responsabile elettorale\"",
    );
    found[0].assert_at("E232", "content/data/organization.yaml", line, col);
}

/// Every key of `contacts.yaml` reaches both the site and the open data (`contatti.json`): the
/// keys the model reads are taken from carta's own message for an unknown key, so a key added to
/// the model but to neither this fixture nor the projections fails here.
#[test]
fn every_contacts_key_reaches_the_pages_and_the_open_data() {
    const FIXTURE: &str = r#"processes:
  - process: "Processo PRC-MARK"
    competences: "Competenze CMP-MARK"
    responsible: RESP
    emails: ["prc-mark@comune.fi.it"]
other:
  - label: "Sportello LBL-MARK"
    description: "Descrizione DSC-MARK"
    email: "oth-mark@comune.fi.it"
    pec: "pec-mark@pec.comune.fi.it"
    phones: ["+39 055 1112223"]
    address:
      street: "Via STR-MARK 1"
      postcode: "50199"
      city: "CTY-MARK"
    hours:
      weekly:
        - days: [lunedì, martedì]
          times: ["09:00-12:30"]
          closed: false
          by_appointment: true
          note: "Nota WKN-MARK"
      exceptions:
        - from: 2026-12-24
          to: 2026-12-26
          closed: true
          times: []
          note: "Nota EXN-MARK"
      note: "Nota HRN-MARK"
      by_appointment: false
phones: ["+39 055 4445556"]
address:
  street: "Via OFF-MARK 2"
  postcode: "50198"
  city: "OCT-MARK"
hours:
  weekly:
    - days: [sabato]
      closed: true
  note: "Nota OFN-MARK"
  by_appointment: true
"#;
    let project = Project::default_copy();
    let original = project.read(CONTACTS);
    let responsible = original
        .lines()
        .find_map(|line| line.trim().strip_prefix("responsible: "))
        .expect("the default charter names a process head")
        .trim()
        .to_string();
    let fixture = FIXTURE.replace("RESP", &responsible);

    // The keys the model reads at each place, from the hint of an unknown key written there,
    // against the keys the fixture writes at that place.
    let places: [(&str, &str, &[&str]); 7] = [
        (
            "",
            "",
            &["processes", "other", "phones", "address", "hours"],
        ),
        (
            "  - process: \"Processo PRC-MARK\"\n",
            "    ",
            &["process", "competences", "responsible", "emails"],
        ),
        (
            "  - label: \"Sportello LBL-MARK\"\n",
            "    ",
            &[
                "label",
                "description",
                "email",
                "pec",
                "phones",
                "address",
                "hours",
            ],
        ),
        (
            "      street: \"Via STR-MARK 1\"\n",
            "      ",
            &["street", "postcode", "city"],
        ),
        (
            "      note: \"Nota HRN-MARK\"\n",
            "      ",
            &["weekly", "exceptions", "note", "by_appointment"],
        ),
        (
            "        - days: [lunedì, martedì]\n",
            "          ",
            &["days", "times", "closed", "by_appointment", "note"],
        ),
        (
            "        - from: 2026-12-24\n",
            "          ",
            &["from", "to", "closed", "times", "note"],
        ),
    ];
    for (after, indent, written) in places {
        let at = fixture.find(after).expect(after) + after.len();
        let probe = format!(
            "{}{indent}zz-unknown: 1\n{}",
            &fixture[..at],
            &fixture[at..]
        );
        project.write(CONTACTS, &probe);
        let run = project.check(&[]);
        let allowed = run
            .stderr
            .lines()
            .find_map(|line| line.split("le chiavi ammesse qui sono: ").nth(1))
            .unwrap_or_else(|| panic!("no list of keys after {after:?}:\n{}", run.stderr));
        let allowed: std::collections::BTreeSet<&str> = allowed.trim().split(", ").collect();
        let written: std::collections::BTreeSet<&str> = written.iter().copied().collect();
        assert_eq!(allowed, written, "the keys after {after:?}");
        for key in &written {
            assert!(
                fixture.lines().any(|line| line
                    .trim_start_matches([' ', '-'])
                    .starts_with(&format!("{key}:"))),
                "the fixture does not write `{key}`"
            );
        }
    }

    project.write(CONTACTS, &fixture);
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let json = std::fs::read_to_string(site.dir.join("trasparenza/contatti.json")).unwrap();
    let pages: String = site
        .web_pages()
        .map(|(_, html)| text_of(single(html, "body")))
        .collect::<Vec<_>>()
        .join("\n");
    for marker in [
        "PRC-MARK",
        "CMP-MARK",
        "prc-mark@comune.fi.it",
        "LBL-MARK",
        "DSC-MARK",
        "oth-mark@comune.fi.it",
        "pec-mark@pec.comune.fi.it",
        "055 1112223",
        "STR-MARK",
        "50199",
        "CTY-MARK",
        "WKN-MARK",
        "EXN-MARK",
        "HRN-MARK",
        "055 4445556",
        "OFF-MARK",
        "50198",
        "OCT-MARK",
        "OFN-MARK",
    ] {
        assert!(json.contains(marker), "{marker} is not in contatti.json");
        assert!(pages.contains(marker), "{marker} is on no page");
    }
    // The flags and dates, which have no text of their own, as data.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["orari"]["solo_su_appuntamento"], true);
    assert_eq!(value["orari"]["settimanali"][0]["chiuso"], true);
    let other = &value["altri_contatti"][0]["orari"];
    assert_eq!(other["settimanali"][0]["su_appuntamento"], true);
    assert_eq!(other["eccezioni"][0]["dal"], "2026-12-24");
    assert_eq!(other["eccezioni"][0]["al"], "2026-12-26");
    assert_eq!(other["eccezioni"][0]["chiuso"], true);
    assert_eq!(
        value["processi"][0]["id_responsabile"],
        responsible.as_str()
    );
}
