//! The second example, `examples/quarto/`: the Comune di Quarto's ICT charter as its Settore wrote
//! it, a draft whose standards are not defined yet, forked from Firenze's. It checks clean with
//! `--strict --allow-draft`, and its site says «Bozza» everywhere and shows only what the charter
//! gives.

mod common;

use std::path::PathBuf;

use common::{EXIT_CONTENT_ERRORS, Site, carta, repo_root, select_all, select_in, single, text_of};
use serde_json::Value;

fn example() -> PathBuf {
    repo_root().join("examples/quarto")
}

/// The example built with `--allow-draft` into a temporary folder (nothing is written into the
/// repository: the work folder goes next to the output).
fn build() -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("public");
    let run = carta(
        dir.path(),
        &[
            "build".as_ref(),
            "--root".as_ref(),
            example().as_os_str(),
            "--output".as_ref(),
            output.as_os_str(),
            "--allow-draft".as_ref(),
            "--stylesheet".as_ref(),
            "fallback".as_ref(),
            "--color".as_ref(),
            "never".as_ref(),
        ],
    );
    run.assert_success();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let site = Site::load(&output);
    (dir, site)
}

const EMAILS: [&str; 4] = [
    "ced@comune.quarto.na.it",
    "dipietro.gianluca@comune.quarto.na.it",
    "servizi.ict@comune.quarto.na.it",
    "urp@comune.quarto.na.it",
];

#[test]
fn the_example_checks_clean_as_a_draft_and_strict_refuses_it_without_allow_draft() {
    let dir = tempfile::tempdir().unwrap();
    let root = example();
    let check = carta(
        dir.path(),
        &[
            "check".as_ref(),
            "--strict".as_ref(),
            "--allow-draft".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--color".as_ref(),
            "never".as_ref(),
        ],
    );
    check.assert_success();
    assert!(check.diagnostics().is_empty(), "{}", check.stderr);
    assert!(check.stdout.contains("nessun problema"), "{}", check.stdout);

    // A strict build without --allow-draft: the draft, and the footer links it lacks.
    let output = dir.path().join("strict");
    let strict = carta(
        dir.path(),
        &[
            "build".as_ref(),
            "--strict".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--output".as_ref(),
            output.as_os_str(),
            "--color".as_ref(),
            "never".as_ref(),
        ],
    );
    strict.assert_code(EXIT_CONTENT_ERRORS);
    let mut codes: Vec<String> = strict
        .diagnostics()
        .into_iter()
        .map(|d| {
            assert_eq!(d.severity, "errore", "{d:?}");
            d.code
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        ["W149", "W186", "W186", "W186", "W186"],
        "{}",
        strict.stderr
    );
    assert!(!output.exists(), "nothing written");

    // The copy of Firenze's charter is declared, and every leftover of Firenze is resolved.
    let site: toml::Table = std::fs::read_to_string(root.join("site.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        site["fork"]["origin"]["name"].as_str(),
        Some("Comune di Firenze")
    );
    let plain = carta(
        dir.path(),
        &[
            "check".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--color".as_ref(),
            "never".as_ref(),
        ],
    );
    plain.assert_success();
    assert!(
        plain.diagnostics().iter().all(|d| d.code != "W180"),
        "{}",
        plain.stderr
    );
}

#[test]
fn every_page_says_bozza_and_the_site_shows_only_what_the_charter_gives() {
    let (_dir, site) = build();

    // «Bozza» on every page: site pages (the 11 commitments' pages too), the print edition, the
    // 404 page, the fragment preview.
    assert_eq!(site.pages.len(), 30, "{:?}", site.pages.keys());
    for url in [
        "/404.html",
        "/stampa/",
        "/trasparenza/frammento-anteprima.html",
    ] {
        assert!(site.pages.contains_key(url), "{url}");
    }
    for (url, html) in &site.pages {
        let text: String = html.root_element().text().collect();
        assert!(text.contains("Bozza"), "{url} does not say Bozza");
        let title = text_of(single(html, "title"));
        assert!(title.starts_with("Bozza"), "{url}: {title}");
    }

    // Nine chapter pages, one per section of the charter, in its order, without added headings.
    let home = site.page("/");
    let chapters: Vec<(String, String)> = select_all(
        home,
        "section[aria-labelledby=\"carta-home-chapters\"] h3 a",
    )
    .into_iter()
    .map(|a| (a.value().attr("href").unwrap().to_string(), text_of(a)))
    .collect();
    let expected = [
        ("/introduzione/", "Introduzione"),
        (
            "/presentazione-dei-servizi-ict/",
            "Presentazione dei Servizi ICT - Information & Communication Technology",
        ),
        ("/gli-stakeholders/", "Gli Stakeholders"),
        ("/tecnologie/", "Tecnologie"),
        ("/organizzazione-del-settore/", "Organizzazione"),
        (
            "/principi-ispiratori-del-servizio-ict/",
            "Principi ispiratori del Servizio Ict",
        ),
        (
            "/mandato-e-contesto-istituzionale/",
            "Mandato e contesto istituzionale",
        ),
        (
            "/accessibilita-e-fruibilita-dei-servizi/",
            "Accessibilità e fruibilità dei servizi",
        ),
        (
            "/principali-contatti-a-disposizione-degli-utenti/",
            "Principali contatti a disposizione degli utenti",
        ),
    ];
    let files = std::fs::read_dir(example().join("content/chapters"))
        .unwrap()
        .count();
    assert_eq!(files, 9);
    assert_eq!(
        chapters,
        expected.map(|(url, title)| (url.to_string(), title.to_string())),
        "the home page lists the nine chapters in the charter's order"
    );
    for (url, title) in expected {
        let page = site.page(url);
        assert_eq!(text_of(single(page, "main h1")), title, "{url}");
        // The only headings below the title are those of the generated blocks.
        let headings: Vec<String> = select_all(page, "main h2, main h3, main h4")
            .into_iter()
            .map(text_of)
            .collect();
        let blocks: &[&str] = match url {
            "/organizzazione-del-settore/" => &["Settore ICT/Trasporti/Sport/Beni confiscati"],
            "/principali-contatti-a-disposizione-degli-utenti/" => &["Recapiti"],
            _ => &[],
        };
        assert_eq!(
            headings, blocks,
            "{url}: no heading the charter does not have"
        );
        let text: String = page.root_element().text().collect();
        assert!(!text.contains('⌚'), "{url}: conversion artefacts are gone");
        assert!(!text.to_lowercase().contains("fiorentin"), "{url}");
    }

    // The menu names each page once: the chapter «Organizzazione» and the generated organigram
    // are two entries a reader can tell apart.
    let menu: Vec<(String, String)> = select_all(home, "nav.carta-menu a")
        .into_iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(menu.len(), 12, "{menu:?}");
    let mut names: Vec<String> = menu.iter().map(|(name, _)| name.to_lowercase()).collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        menu.len(),
        "two menu entries read the same: {menu:?}"
    );
    assert!(
        menu.contains(&("Organigramma".to_string(), "/organizzazione/".to_string())),
        "{menu:?}"
    );

    // No office address or general phone anywhere: the only phones are the three people's, as
    // the charter gives them, on the organigram.
    for (url, html) in site.web_pages() {
        assert!(select_all(html, "address").is_empty(), "{url}");
        let phones: Vec<&str> = select_all(html, "a[href^=\"tel:\"]")
            .into_iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        if !phones.is_empty() {
            assert_eq!(
                phones,
                [
                    "tel:+390818069222",
                    "tel:+390818069203",
                    "tel:+390818069223"
                ],
                "{url}"
            );
        }
    }
    for url in [
        "/contatti/",
        "/principali-contatti-a-disposizione-degli-utenti/",
    ] {
        let page = site.page(url);
        assert!(
            select_all(page, "main a[href^=\"tel:\"], main address, main table").is_empty(),
            "{url}"
        );
        let emails: Vec<String> = select_all(page, "ul.carta-other-contacts > li")
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(emails, EMAILS, "{url}");
        for email in EMAILS {
            let link = format!("main a[href=\"mailto:{email}\"]");
            assert_eq!(select_all(page, &link).len(), 1, "{url}: {email}");
        }
    }
    let organization = site.page("/organizzazione/");
    assert_eq!(
        text_of(single(organization, "h2.carta-org-name")),
        "Settore ICT/Trasporti/Sport/Beni confiscati"
    );
    assert!(
        text_of(single(organization, "#aniello-mazzone")).ends_with("dott. Aniello Mazzone"),
        "the responsible"
    );
    assert_eq!(
        select_all(organization, "ul.carta-org-staff > li").len(),
        2,
        "two staff referents"
    );

    // The commitments: eleven services, each with its standards not defined yet, the Settore
    // responsible, users only where the charter names them.
    let commitments = site.page("/impegni/");
    let rows = select_all(commitments, "table.carta-commitments tbody tr");
    assert_eq!(rows.len(), 11);
    let mut not_given = 0;
    for row in &rows {
        let cells = select_in(*row, "td");
        let standards: Vec<String> = select_in(cells[1], "li").into_iter().map(text_of).collect();
        assert_eq!(
            standards,
            ["Standard in via di definizione"],
            "{}",
            row.html()
        );
        assert_eq!(
            text_of(cells[2]),
            "Settore ICT/Trasporti/Sport/Beni confiscati"
        );
        if text_of(cells[0]) == "Non indicati" {
            not_given += 1;
        }
    }
    assert_eq!(not_given, 5, "five services do not say who they are for");
    assert_eq!(
        select_all(
            site.page("/accessibilita-e-fruibilita-dei-servizi/"),
            "table.carta-commitments tbody tr"
        )
        .len(),
        11,
        "the chapter places the table"
    );

    // The footer: the links AGID requires are named as not available yet; the parent body has no
    // link, since the charter gives no site for it.
    for (url, html) in site.web_pages() {
        let items: Vec<String> = select_all(html, "footer .it-footer-small-prints-list > li")
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(items.len(), 4, "{url}");
        assert!(
            items
                .iter()
                .all(|item| item.ends_with("(non ancora disponibile)")),
            "{url}: {items:?}"
        );
        let slim = single(html, ".it-header-slim-wrapper-content");
        assert_eq!(text_of(slim), "Città Metropolitana di Napoli");
        assert!(select_in(slim, "a").is_empty(), "{url}");
    }

    // The manifest: a draft, not in force, no act and no publication date.
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(site.file_for("trasparenza/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["stato"], "bozza");
    assert_eq!(manifest["in_vigore"], false);
    assert_eq!(manifest["atto_approvazione"], Value::Null);
    assert_eq!(manifest["data_pubblicazione"], Value::Null);
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(site.file_for("trasparenza/impegni.json")).unwrap(),
    )
    .unwrap();
    for item in data["impegni"].as_array().unwrap() {
        for standard in item["standard"].as_array().unwrap() {
            assert_eq!(standard["stato"], "not_defined", "{item}");
            assert_eq!(standard["valore"], Value::Null, "{item}");
        }
    }
    let contacts: Value = serde_json::from_str(
        &std::fs::read_to_string(site.file_for("trasparenza/contatti.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(contacts["sede"], Value::Null);
    assert_eq!(contacts["orari"], Value::Null);
}
