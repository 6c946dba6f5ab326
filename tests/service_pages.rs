//! A page per commitment (`/impegni/<id>/`): linked from the commitments table, saying what the
//! charter gives about the service, with the `GovernmentService` JSON-LD AGID's validator reads
//! (R.SI.1.1) — every entry the data can fill, none invented.

mod common;

use common::{Project, select_all, single, text_of};
use serde_json::Value;

/// The entries R.SI.1.1 requires, as paths into the JSON-LD (from the validator's schema).
const REQUIRED: [&str; 10] = [
    "/name",
    "/serviceType",
    "/serviceOperator/name",
    "/areaServed/name",
    "/audience/audienceType",
    "/availableChannel/serviceUrl",
    "/availableChannel/serviceLocation/name",
    "/availableChannel/serviceLocation/address/streetAddress",
    "/availableChannel/serviceLocation/address/postalCode",
    "/availableChannel/serviceLocation/address/addressLocality",
];

fn metatag(page: &scraper::Html) -> Value {
    let script = single(
        page,
        "script[type='application/ld+json'][data-element='metatag']",
    );
    let text: String = script.text().collect();
    serde_json::from_str(&text).expect("the metatag is JSON")
}

fn missing(json: &Value) -> Vec<&'static str> {
    REQUIRED
        .into_iter()
        .filter(|path| {
            json.pointer(path)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
        .collect()
}

#[test]
fn every_commitment_has_a_page_linked_from_the_table_with_every_required_metatag() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let table = site.page("/impegni/");
    let links: Vec<(String, String)> = select_all(table, "tr[id^=impegno-] th[scope=row] a")
        .into_iter()
        .map(|a| (a.attr("href").unwrap().to_string(), text_of(a)))
        .collect();
    assert_eq!(links.len(), 14, "every row links its service's page");
    // How AGID's validator finds the service pages: the menu's link to the list of services, the
    // list's links to each.
    for (url, html) in site
        .web_pages()
        .filter(|(url, _)| !url.starts_with("/stampa"))
    {
        let all = select_all(html, "header [data-element='all-services']");
        assert_eq!(all.len(), 1, "{url}");
        assert_eq!(all[0].attr("href"), Some("/impegni/"), "{url}");
    }
    let marked: Vec<&str> = select_all(table, "[data-element='service-link']")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(
        marked,
        links
            .iter()
            .map(|(href, _)| href.as_str())
            .collect::<Vec<_>>()
    );
    for (href, service) in &links {
        let id = href
            .strip_prefix("/impegni/")
            .and_then(|rest| rest.strip_suffix('/'))
            .expect("a page under /impegni/");
        let page = site.page(href);
        let h1 = text_of(single(page, "h1"));
        assert!(h1.ends_with(service.as_str()), "{href}: {h1}");
        // The page's sections, each a heading a screen reader can jump to.
        let headings: Vec<String> = select_all(page, "main h2")
            .into_iter()
            .map(text_of)
            .collect();
        for expected in [
            "A chi si rivolge",
            "Standard di qualità",
            "Struttura responsabile",
        ] {
            assert!(
                headings.iter().any(|h| h == expected),
                "{href}: {headings:?}"
            );
        }
        // Back to its row in the table.
        let back = select_all(page, "main a")
            .into_iter()
            .filter_map(|a| a.attr("href"))
            .any(|target| target == format!("/impegni/#impegno-{id}"));
        assert!(back, "{href} links back to its row");
        let json = metatag(page);
        assert_eq!(json["@type"], "GovernmentService", "{href}");
        assert_eq!(json["name"], service.as_str(), "{href}");
        // Firenze's charter names no kind of service: the page says none and the JSON-LD has
        // no `serviceType` (the office's name is not a kind of service).
        assert_eq!(missing(&json), ["/serviceType"], "{href}");
        assert!(select_all(page, ".carta-service-type").is_empty(), "{href}");
        assert_eq!(json["serviceOperator"]["name"], "Comune di Firenze");
        assert_eq!(json["areaServed"]["name"], "Firenze");
        // The office's own address from contacts.yaml, and the first access channel.
        assert_eq!(
            json["availableChannel"]["serviceLocation"]["address"]["streetAddress"],
            "Via Reginaldo Giuliani 250"
        );
        assert_eq!(
            json["availableChannel"]["serviceUrl"],
            "https://www.comune.firenze.it/"
        );
        let description = single(page, "meta[name=description]")
            .attr("content")
            .unwrap();
        assert!(
            description.starts_with(service.as_str()),
            "{href}: {description}"
        );
    }
    let wifi = metatag(site.page("/impegni/firenzewifi/"));
    assert_eq!(
        wifi["audience"]["audienceType"],
        "turisti, cittadini, pubbliche amministrazioni, università"
    );
    // The print edition keeps the table without links to pages it does not hold.
    let print = site.page("/stampa/");
    assert!(select_all(print, "tr[id^=impegno-] th a").is_empty());
    // Each page is in the sitemap.
    let sitemap = std::fs::read_to_string(site.dir.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/impegni/firenzewifi/</loc>"));
}

#[test]
fn a_service_url_and_type_of_its_own_are_used_and_a_missing_fact_is_left_out() {
    let project = Project::default_copy();
    project.replace(
        "content/data/commitments.yaml",
        "    service: \"FirenzeWIFI nelle aree coperte\"\n",
        "    service: \"FirenzeWIFI nelle aree coperte\"\n    service_type: \"Connettività\"\n    service_url: \"https://wifi.comune.example.it/\"\n",
    );
    // A charter that gives no office address and no users for a service says nothing of them.
    let contacts = project.read("content/data/contacts.yaml");
    let start = contacts.find("address:").expect("an address");
    let end = contacts[start..]
        .find("\n  city:")
        .map(|at| start + at + contacts[start + at + 1..].find('\n').unwrap() + 2)
        .unwrap();
    project.write(
        "content/data/contacts.yaml",
        &format!("{}{}", &contacts[..start], &contacts[end..]),
    );
    project.replace(
        "content/data/commitments.yaml",
        "    users: [\"turisti\", \"cittadini\", \"pubbliche amministrazioni\", \"università\"]\n",
        "",
    );
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    run.assert_success();
    let page = site.page("/impegni/firenzewifi/");
    let json = metatag(page);
    assert_eq!(json["serviceType"], "Connettività");
    assert_eq!(
        text_of(single(page, "[data-carta-service=service-type]")),
        "Tipo di servizio: Connettività"
    );
    assert_eq!(
        json["availableChannel"]["serviceUrl"],
        "https://wifi.comune.example.it/"
    );
    assert!(json.get("audience").is_none(), "{json}");
    assert!(
        json["availableChannel"].get("serviceLocation").is_none(),
        "{json}"
    );
    assert_eq!(
        missing(&json),
        [
            "/audience/audienceType",
            "/availableChannel/serviceLocation/name",
            "/availableChannel/serviceLocation/address/streetAddress",
            "/availableChannel/serviceLocation/address/postalCode",
            "/availableChannel/serviceLocation/address/addressLocality",
        ]
    );
    let text = text_of(single(page, "main"));
    assert!(
        text.contains("La carta non indica gli utenti di questo servizio."),
        "{text}"
    );
    assert!(
        !text.contains("Dove"),
        "no address section without an address"
    );
}

#[test]
fn a_service_url_that_is_not_a_web_address_is_located() {
    let project = Project::default_copy();
    let yaml = project.replace(
        "content/data/commitments.yaml",
        "    service: \"FirenzeWIFI nelle aree coperte\"\n",
        "    service: \"FirenzeWIFI nelle aree coperte\"\n    service_url: \"javascript:alert(1)\"\n",
    );
    let run = project.check(&[]);
    run.assert_code(common::EXIT_CONTENT_ERRORS);
    let (line, col) = common::locate(
        &yaml,
        "service_url: \"javascript:alert(1)\"",
        "\"javascript:alert(1)\"",
    );
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E138")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    found[0].assert_at("E138", "content/data/commitments.yaml", line, col);
}
