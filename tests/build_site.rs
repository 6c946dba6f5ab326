//! The default Firenze charter, built with the real binary, checked page by page.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{
    Project, Site, ancestor, norm, own_text, parent, select_all, select_in, single, tel_href,
    text_of,
};
use scraper::{ElementRef, Html};

/// The chapters of the original charter: number, title, page URL.
const CHAPTERS: [(&str, &str, &str); 4] = [
    ("1", "Il valore del servizio", "/il-valore-del-servizio/"),
    (
        "2",
        "Descrizione del servizio",
        "/descrizione-del-servizio/",
    ),
    ("3", "Standard di qualità", "/standard-di-qualita/"),
    (
        "4",
        "Rapporto con il cittadino",
        "/rapporto-con-il-cittadino/",
    ),
];

/// Every section heading of the original charter (which is not in the repository).
const SECTIONS: [&str; 18] = [
    "1.1 Principi e finalità",
    "1.1.1 Uguaglianza ed imparzialità",
    "1.1.2 Continuità",
    "1.1.3 Partecipazione",
    "1.1.4 Accessibilità della struttura",
    "1.1.5 Efficienza ed efficacia",
    "1.1.6 Diritto di informazione",
    "1.1.7 Tutela della privacy",
    "2.1 Caratteristiche",
    "2.2 Organizzazione",
    "2.3 Stakeholders",
    "2.4 Canali di accesso",
    "2.5 Contatti",
    "Impegni di servizio",
    "4.1 Reclami",
    "4.2 Individuazione di eventuali modalità di partecipazione degli utenti",
    "4.3 Monitoraggio, indagini di soddisfazione dell'utenza",
    "4.4 Modalità di informazione, comunicazione e pubblicizzazione della Carta",
];

/// The three generated pages.
const GENERATED: [&str; 3] = ["/impegni/", "/contatti/", "/organizzazione/"];

/// The people of content/data/organization.yaml: id, name, email, phone.
const PEOPLE: [(&str, &str, &str, &str); 10] = [
    (
        "caterina-graziani",
        "Caterina Graziani",
        "caterina.graziani@comune.fi.it",
        "055 3283807",
    ),
    (
        "marco-mencacci",
        "Marco Mencacci",
        "marco.mencacci@comune.fi.it",
        "055 3282726",
    ),
    (
        "emanuele-geri",
        "Emanuele Geri",
        "emanuele.geri@comune.fi.it",
        "055 3283845",
    ),
    (
        "leonardo-ricci",
        "Leonardo Ricci",
        "leonardo.ricci@comune.fi.it",
        "055 3283810",
    ),
    (
        "ferdinando-abate",
        "Ferdinando Abate",
        "ferdinando.abate@comune.fi.it",
        "055 3283811",
    ),
    (
        "fabio-lo-giudice",
        "Fabio Lo Giudice",
        "fabio.logiudice@comune.fi.it",
        "055 3283831",
    ),
    (
        "riccardo-vannetti",
        "Riccardo Vannetti",
        "riccardo.vannetti@comune.fi.it",
        "055 3283802",
    ),
    (
        "luca-bertelli",
        "Luca Bertelli",
        "luca.bertelli@comune.fi.it",
        "055 3283813",
    ),
    (
        "valerio-carboncini",
        "Valerio Carboncini",
        "valerio.carboncini@comune.fi.it",
        "055 3283874",
    ),
    (
        "nicolo-galia",
        "Nicolò Galia",
        "nicolo.galia@comune.fi.it",
        "055 3282713",
    ),
];

/// The organigram by head: the direction, its three services, two units each.
const DIRECTION_HEAD: &str = "caterina-graziani";
const SERVICES: [(&str, [&str; 2]); 3] = [
    ("marco-mencacci", ["emanuele-geri", "leonardo-ricci"]),
    (
        "ferdinando-abate",
        ["fabio-lo-giudice", "riccardo-vannetti"],
    ),
    ("luca-bertelli", ["valerio-carboncini", "nicolo-galia"]),
];

/// Units that are responsible for commitments: id and name.
const UNITS: [(&str, &str); 4] = [
    (
        "direzione-sistemi-informativi",
        "Direzione Sistemi Informativi",
    ),
    (
        "sviluppo-infrastrutture-tecnologiche",
        "Servizio Sviluppo Infrastrutture Tecnologiche",
    ),
    (
        "gestione-infrastrutture-tecnologiche",
        "Servizio Gestione Infrastrutture Tecnologiche",
    ),
    (
        "sicurezza-infrastruttura-architettura-it",
        "Servizio Sicurezza, Infrastruttura e Architettura IT dell'Ente",
    ),
];

const TC85: &str = "Presa in carico entro 3 giorni nell'85% dei casi";
const R85: &str = "Tempo di risposta entro 4 giorni nell'85% dei casi";
const TC90: &str = "Presa in carico entro 3 giorni nel 90% dei casi";
const R90: &str = "Tempo di risposta entro 4 giorni nel 90% dei casi";
const AV996: &str = "Disponibilità superiore al 99,6% annuo";
const SVILUPPO: &str = "sviluppo-infrastrutture-tecnologiche";
const GESTIONE: &str = "gestione-infrastrutture-tecnologiche";
const SICUREZZA: &str = "sicurezza-infrastruttura-architettura-it";
const DIREZIONE: &str = "direzione-sistemi-informativi";

/// Commitment, in order: the start of its service, the sentences generated from its standards,
/// and the responsible units, as in content/data/commitments.yaml. The first ten are the table of
/// the approved charter; the last four are the standards its chapters state in words (§ 1.1.3,
/// § 3, § 4.1, § 4.3), written as data.
const COMMITMENTS: [(&str, &[&str], &[&str]); 14] = [
    (
        "Gestione e rilascio credenziali di autenticazione",
        &[TC85, R85],
        &[GESTIONE],
    ),
    (
        "Gestione data center (virtuale)",
        &[AV996, TC90, R90],
        &[SICUREZZA],
    ),
    ("Gestione front end", &[TC85, R85], &[SVILUPPO, GESTIONE]),
    (
        "FirenzeWIFI nelle aree coperte",
        &[AV996, "Servizio di tipo «best effort»"],
        &[SICUREZZA],
    ),
    ("Connettività Fi-Net", &[AV996, TC90, R90], &[SICUREZZA]),
    (
        "Help desk e postazioni di lavoro",
        &[TC90, R90],
        &[SVILUPPO, GESTIONE, SICUREZZA],
    ),
    (
        "Intranet: posta elettronica",
        &[AV996, TC90, R90],
        &[SICUREZZA],
    ),
    (
        "Applicazioni aziendali",
        &[TC85, R85],
        &[SVILUPPO, GESTIONE],
    ),
    ("Supporto eventi", &["A richiesta"], &[SVILUPPO, SICUREZZA]),
    ("Gestione documentale", &[TC85, R85], &[SVILUPPO, GESTIONE]),
    (
        "Sistema informativo centralizzato",
        &["Disponibilità dei servizi del sistema informativo: superiore al 98% su base annua"],
        &[DIREZIONE],
    ),
    (
        "Test di sicurezza e vulnerability assessment",
        &[
            "Vulnerability assessment di ogni rete principale (pubblica, intranet): almeno 1 all'anno",
            "Servizi di base o host dei sistemi pubblici con rischi classificati alti (superiore a 7,0 di indice CVSS): inferiore al 10%",
            "Servizi di base o host dei sistemi intranet con rischi classificati alti (superiore a 7,0 di indice CVSS): inferiore al 25%",
        ],
        &[SICUREZZA],
    ),
    (
        "Reclami e segnalazioni scritti",
        &["Risposta ai reclami e alle segnalazioni scritti: entro 20 giorni lavorativi"],
        &[DIREZIONE],
    ),
    (
        "Indagini di soddisfazione dell'utenza",
        &[
            "Questionario di customer satisfaction somministrato ai dipendenti dell'Ente: almeno 1 all'anno",
            "Tasso di risposta al questionario: superiore al 35%",
        ],
        &[DIREZIONE],
    ),
];

/// The rows of the contacts table: process and its email addresses, from contacts.yaml.
const CONTACTS: [(&str, &[&str]); 10] = [
    (
        "amm. digitale",
        &["servizio.sviluppoinfrastruttureit@comune.fi.it"],
    ),
    ("backoffice", &["eq.backoffice@comune.fi.it"]),
    ("dati-sit", &["eq.rdods@comune.fi.it"]),
    ("postazioni", &["postazioni@comune.fi.it"]),
    ("redazione web", &["redazioneweb@comune.fi.it"]),
    ("reti", &["eq.reti@comune.fi.it"]),
    (
        "sistemi",
        &["eq.sistemi@comune.fi.it", "assistenza.teams@comune.fi.it"],
    ),
    ("sol", &["amm.sol@comune.fi.it"]),
    ("sviluppo", &["eq.sviluppoprogetti@comune.fi.it"]),
    ("trasparenza", &["trasparenza@comune.fi.it"]),
];

const FALLBACK_CSS: &str = "/assets/css/carta-fallback.css";
/// The rules of Bootstrap Italia the pages use (`--stylesheet bootstrap`; tests/stylesheet_subset.rs
/// checks what it keeps).
const BOOTSTRAP_CSS: &str = "/assets/bootstrap-italia/css/bootstrap-italia.subset.min.css";

fn default_site() -> (Project, common::Run, Site) {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &[]);
    (project, run, site)
}

fn main_of(html: &Html) -> ElementRef<'_> {
    single(html, "main")
}

fn stylesheets(html: &Html) -> Vec<String> {
    select_all(html, "link[rel~=stylesheet]")
        .into_iter()
        .map(|link| {
            link.attr("href")
                .expect("stylesheet link has href")
                .to_string()
        })
        .collect()
}

/// Lines that mention Bootstrap Italia in what the binary printed.
fn bootstrap_notes(run: &common::Run) -> Vec<String> {
    run.all_output()
        .lines()
        .filter(|line| line.contains("Bootstrap Italia"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_default_project_has_the_agid_look_with_no_npm_and_nothing_to_say_about_it() {
    let (project, run, site) = default_site();
    assert_eq!(
        run.stderr.trim(),
        "",
        "the default project has no problems to report"
    );
    assert!(
        !project.path("themes").exists(),
        "the project holds no theme"
    );
    assert!(
        bootstrap_notes(&run).is_empty() && !run.all_output().contains("npm"),
        "{}",
        run.all_output()
    );
    for (url, html) in site.web_pages() {
        let sheets = stylesheets(html);
        assert_eq!(
            sheets.iter().filter(|href| *href == BOOTSTRAP_CSS).count(),
            1,
            "{url} links Bootstrap Italia's subset once: {sheets:?}"
        );
        assert!(
            !sheets.iter().any(|href| href == FALLBACK_CSS),
            "{url}: {sheets:?}"
        );
    }
}

#[test]
fn the_fallback_stylesheet_stays_on_request_and_is_the_themes() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &["--stylesheet", "fallback"]);
    assert_eq!(
        run.stderr.trim(),
        "",
        "the default project has no problems to report"
    );
    assert!(
        bootstrap_notes(&run).is_empty(),
        "asked for, the fallback needs no note: {}",
        run.all_output()
    );

    // The summary line counts what is really on disk, less carta's marker of its output folder.
    let summary = run
        .stdout
        .lines()
        .find(|line| line.starts_with("carta: "))
        .expect("a summary line");
    let numbers: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let files = common::snapshot(&site.dir)
        .into_iter()
        .filter(|(path, bytes)| bytes.is_some() && path != std::path::Path::new(".carta-output"))
        .count();
    assert!(site.dir.join(".carta-output").is_file());
    assert_eq!(
        &numbers[..2],
        &[site.pages.len(), files],
        "summary {summary:?}"
    );
    assert_eq!(
        site.pages.len(),
        28,
        "home, 4 chapters, 3 generated pages, a page for each of the 14 commitments, 404, the print \
         edition, the transparency page and its fragment's preview, the editions archive and the \
         page of the edition in force"
    );

    for (url, html) in site.web_pages() {
        let sheets = stylesheets(html);
        assert_eq!(
            sheets.iter().filter(|href| *href == FALLBACK_CSS).count(),
            1,
            "{url} links the fallback stylesheet once: {sheets:?}"
        );
        assert!(
            !sheets.iter().any(|href| href.contains("bootstrap-italia")),
            "{url} must not link Bootstrap Italia in fallback mode: {sheets:?}"
        );
        for href in &sheets {
            let file = site.file_for(href);
            let size = std::fs::metadata(&file)
                .unwrap_or_else(|_| panic!("{url} links {href}, which is not in the output"))
                .len();
            assert!(size > 0, "{href} is empty");
        }
    }
    assert!(site.dir.join("assets/css/carta-fallback.css").is_file());
    assert!(!site.dir.join("assets/bootstrap-italia").exists());
    assert_eq!(
        std::fs::read(site.dir.join("assets/css/carta-fallback.css")).unwrap(),
        std::fs::read(common::repo_root().join("themes/agid/static/css/carta-fallback.css"))
            .unwrap(),
        "the fallback stylesheet is the built-in theme's"
    );
}

/// "Capitolo 1 Il valore del servizio" and "1 Il valore del servizio" both show chapter 1's title.
fn heading_shows(heading: &str, expected: &str) -> bool {
    if heading == expected {
        return true;
    }
    let rest = heading.strip_prefix("Capitolo ").unwrap_or(heading);
    match rest.split_once(' ') {
        Some((number, title)) => {
            let number = number.trim_end_matches('.');
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) && title == expected
        }
        None => false,
    }
}

#[test]
fn every_chapter_and_section_of_the_original_charter_is_a_heading() {
    let (_project, _run, site) = default_site();
    let mut headings: Vec<(String, String)> = Vec::new();
    for (url, html) in &site.pages {
        for heading in select_all(html, "h1, h2, h3") {
            headings.push((url.clone(), text_of(heading)));
        }
    }
    let mut missing = Vec::new();
    let expected = CHAPTERS.iter().map(|(_, title, _)| *title).chain(SECTIONS);
    for title in expected {
        if !headings.iter().any(|(_, text)| heading_shows(text, title)) {
            missing.push(title);
        }
    }
    assert!(
        missing.is_empty(),
        "headings missing from the site: {missing:#?}\nheadings found: {headings:#?}"
    );

    // Each chapter's own page is titled by it.
    for (number, title, url) in CHAPTERS {
        let h1 = text_of(single(site.page(url), "h1"));
        assert!(
            heading_shows(&h1, title) && h1.contains(number),
            "{url}: h1 {h1:?}"
        );
    }
}

#[test]
fn every_page_has_the_required_layout() {
    let (project, _run, site) = default_site();
    let config: toml::Table = toml::from_str(&project.read("site.toml")).unwrap();
    let footer = config["footer"].as_table().unwrap();
    let footer_links = [
        ("accessibility-link", "accessibility"),
        ("privacy-policy-link", "privacy"),
        ("legal-notes", "legal_notes"),
        ("faq", "faq"),
        ("report-inefficiency", "report_inefficiency"),
    ];

    for (url, html) in site.web_pages() {
        let root = html.root_element();
        assert_eq!(root.value().name(), "html");
        assert_eq!(root.attr("lang"), Some("it"), "{url}: html[lang=it]");

        let h1s = select_all(html, "h1");
        assert_eq!(h1s.len(), 1, "{url} has exactly one h1");
        let h1 = text_of(h1s[0]);
        assert!(!h1.is_empty(), "{url}: empty h1");

        // The skip link is the first link of the page and its target exists.
        let first_link = select_all(html, "body a")
            .into_iter()
            .next()
            .expect("a link");
        assert_eq!(
            first_link.attr("href"),
            Some("#main"),
            "{url}: first link is the skip link"
        );
        assert!(!text_of(first_link).is_empty(), "{url}: skip link has text");
        assert_eq!(
            single(html, "#main").value().name(),
            "main",
            "{url}: #main is the main element"
        );

        let breadcrumbs = select_all(html, "nav .breadcrumb");
        if url == "/" {
            assert!(breadcrumbs.is_empty(), "the home page has no breadcrumb");
        } else {
            assert_eq!(breadcrumbs.len(), 1, "{url} has one breadcrumb");
            let links = select_in(breadcrumbs[0], "a");
            assert_eq!(
                links.first().and_then(|a| a.attr("href")),
                Some("/"),
                "{url}: breadcrumb starts at home"
            );
            let current = select_in(breadcrumbs[0], "[aria-current=page]");
            assert_eq!(current.len(), 1, "{url}: breadcrumb marks the current page");
            let current = text_of(current[0]);
            assert!(
                !current.is_empty() && h1.ends_with(&current),
                "{url}: breadcrumb current {current:?} vs h1 {h1:?}"
            );
        }

        let last_updated: Vec<_> = select_all(html, "time[datetime=\"2025-06-03\"]")
            .into_iter()
            .filter(|time| {
                parent(*time).is_some_and(|p| {
                    text_of(p).to_lowercase().contains("ultimo aggiornamento")
                        && ancestor(p, "main").is_some()
                })
            })
            .collect();
        assert!(
            !last_updated.is_empty(),
            "{url}: 'Ultimo aggiornamento' with <time datetime=2025-06-03> in the page content"
        );
        for time in last_updated {
            assert_eq!(text_of(time), "3 giugno 2025", "{url}");
        }

        for (element, key) in footer_links {
            let links = select_all(html, &format!("footer a[data-element=\"{element}\"]"));
            assert_eq!(
                links.len(),
                1,
                "{url}: one footer link with data-element={element}"
            );
            let expected = footer[key].as_str().unwrap();
            assert_eq!(links[0].attr("href"), Some(expected), "{url}: {element}");
            assert!(!text_of(links[0]).is_empty(), "{url}: {element} has text");
        }
        let accessibility = single(html, "footer a[data-element=\"accessibility-link\"]");
        assert!(
            accessibility
                .attr("href")
                .unwrap()
                .starts_with("https://form.agid.gov.it/"),
            "{url}: accessibility statement on form.agid.gov.it"
        );

        // Only metadata (schema.org JSON-LD), which browsers do not run.
        assert!(
            select_all(html, "script")
                .iter()
                .all(|script| script.attr("type") == Some("application/ld+json")),
            "{url}: the site needs no script"
        );
    }
}

#[test]
fn home_page_presents_the_charter_and_links_every_page() {
    let (_project, _run, site) = default_site();
    let home = site.page("/");
    let main = main_of(home);
    let text = text_of(main);

    assert_eq!(text_of(single(home, "h1")), "Carta di qualità dei servizi");
    for expected in [
        "Comune di Firenze",
        "Direzione Sistemi Informativi",
        "Edizione 2025",
        "DD 2025/4073",
    ] {
        assert!(
            text.contains(expected),
            "the home page shows {expected:?}: {text}"
        );
    }
    let approval = select_in(main, "time[datetime=\"2025-06-03\"]")
        .into_iter()
        .find(|time| parent(*time).is_some_and(|p| text_of(p).contains("DD 2025/4073")))
        .expect("the approval act is dated with a <time>");
    assert_eq!(text_of(approval), "3 giugno 2025");

    for (_, title, url) in CHAPTERS {
        let links = select_in(main, &format!("a[href=\"{url}\"]"));
        assert!(
            links.iter().any(|a| text_of(*a).contains(title)),
            "the home page links chapter {title:?} at {url}"
        );
    }
    for url in GENERATED {
        let title = text_of(single(site.page(url), "h1"));
        let links = select_in(main, &format!("a[href=\"{url}\"]"));
        assert!(
            links.iter().any(|a| text_of(*a) == title),
            "the home page links {url} as {title:?}"
        );
    }
}

/// The only table in `main` whose header has a "Standard" column.
fn commitments_table(html: &Html) -> ElementRef<'_> {
    let tables: Vec<_> = select_in(main_of(html), "table")
        .into_iter()
        .filter(|table| {
            select_in(*table, "thead th")
                .iter()
                .any(|th| text_of(*th).contains("Standard"))
        })
        .collect();
    assert_eq!(tables.len(), 1, "one commitments table");
    tables[0]
}

/// Index of the header cell whose text contains `word` (case-insensitive).
fn column(table: ElementRef<'_>, word: &str) -> usize {
    let headers = select_in(table, "thead th");
    let found: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, th)| text_of(**th).to_lowercase().contains(word))
        .map(|(index, _)| index)
        .collect();
    assert_eq!(found.len(), 1, "one column about {word:?}");
    found[0]
}

fn cells(row: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    row.child_elements()
        .filter(|cell| matches!(cell.value().name(), "th" | "td"))
        .collect()
}

struct CommitmentRow {
    service: String,
    standards: Vec<String>,
    standards_text: String,
    responsible: Vec<(String, String)>,
}

fn commitment_rows(html: &Html) -> Vec<CommitmentRow> {
    let table = commitments_table(html);
    let standards_col = column(table, "standard");
    let responsible_col = column(table, "responsabil");
    select_in(table, "tbody > tr")
        .into_iter()
        .map(|row| {
            let cells = cells(row);
            CommitmentRow {
                service: text_of(cells[0]),
                // The sentence is the item's own text; a note, if any, is a child element.
                standards: select_in(cells[standards_col], "li")
                    .into_iter()
                    .map(own_text)
                    .collect(),
                standards_text: text_of(cells[standards_col]),
                responsible: select_in(cells[responsible_col], "a")
                    .into_iter()
                    .map(|a| (a.attr("href").unwrap_or("").to_string(), text_of(a)))
                    .collect(),
            }
        })
        .collect()
}

fn ids(html: &Html) -> BTreeSet<String> {
    select_all(html, "[id]")
        .into_iter()
        .map(|element| element.attr("id").unwrap().to_string())
        .collect()
}

#[test]
fn commitments_page_and_chapter_3_list_every_commitment_with_its_standards() {
    let (_project, _run, site) = default_site();
    let organization_ids = ids(site.page("/organizzazione/"));
    let unit_names: BTreeMap<&str, &str> = UNITS.into_iter().collect();

    for url in ["/impegni/", "/standard-di-qualita/"] {
        let rows = commitment_rows(site.page(url));
        assert_eq!(rows.len(), COMMITMENTS.len(), "{url}: every commitment");
        for (index, (row, (service, standards, responsible))) in
            rows.iter().zip(COMMITMENTS).enumerate()
        {
            let number = index + 1;
            assert!(
                row.service.contains(service),
                "{url} row {number}: service {:?} should contain {service:?}",
                row.service
            );
            assert_eq!(row.standards, standards, "{url} row {number}: standards");
            let expected: Vec<(String, String)> = responsible
                .iter()
                .map(|id| (format!("/organizzazione/#{id}"), unit_names[id].to_string()))
                .collect();
            assert_eq!(
                row.responsible, expected,
                "{url} row {number}: responsible units"
            );
            for (href, _) in &row.responsible {
                let id = href.split_once('#').unwrap().1;
                assert!(
                    organization_ids.contains(id),
                    "{url} row {number}: #{id} exists on /organizzazione/"
                );
            }
        }
        assert!(
            rows[6].standards_text.contains("24x7"),
            "{url}: the note of commitment 7 is shown: {:?}",
            rows[6].standards_text
        );
    }
}

#[test]
fn changing_a_number_in_commitments_yaml_changes_the_generated_sentence() {
    let project = Project::default_copy();
    project.replace(
        "content/data/commitments.yaml",
        "users: [\"amministratori\", \"dipendenti\"]\n    standards:\n      - take_charge: { days: 3, percent: 85 }",
        "users: [\"amministratori\", \"dipendenti\"]\n    standards:\n      - take_charge: { days: 5, percent: 80 }",
    );
    let (_run, site) = project.build_site("public", &[]);
    for url in ["/impegni/", "/standard-di-qualita/"] {
        let rows = commitment_rows(site.page(url));
        assert_eq!(rows.len(), COMMITMENTS.len(), "{url}");
        assert_eq!(
            rows[0].standards,
            ["Presa in carico entro 5 giorni nell'80% dei casi", R85],
            "{url}: row 1 follows the new numbers"
        );
        assert_eq!(
            rows[2].standards,
            [TC85, R85],
            "{url}: the other rows are unchanged"
        );
    }
}

#[test]
fn organigram_shows_every_person_once_in_nested_lists_with_contacts() {
    let (_project, _run, site) = default_site();
    let page = site.page("/organizzazione/");
    let main = main_of(page);

    // The list item of each person: where their name is.
    let mut node_of = BTreeMap::new();
    for (id, name, _, _) in PEOPLE {
        let holders: Vec<ElementRef<'_>> = main
            .descendants()
            .filter(|node| {
                node.value()
                    .as_text()
                    .is_some_and(|text| norm(text).contains(name))
            })
            .filter_map(|node| node.parent().and_then(ElementRef::wrap))
            .collect();
        assert_eq!(
            holders.len(),
            1,
            "{name} appears exactly once in the organigram"
        );
        let item = ancestor(holders[0], "li")
            .unwrap_or_else(|| panic!("{name} is in a list item of the organigram"));
        assert_eq!(
            parent(item).map(|list| list.value().name()),
            Some("ul"),
            "{name}'s item is in a list"
        );
        node_of.insert(id, item);
    }
    let nodes: Vec<_> = node_of.values().map(|item| item.id()).collect();
    let distinct: BTreeSet<_> = nodes.iter().collect();
    assert_eq!(distinct.len(), PEOPLE.len(), "one list item per person");

    // The enclosing person's item, if any.
    let enclosing = |item: ElementRef<'_>| {
        item.ancestors()
            .find(|ancestor| nodes.contains(&ancestor.id()))
            .map(|ancestor| ancestor.id())
    };
    assert_eq!(
        enclosing(node_of[DIRECTION_HEAD]),
        None,
        "the direction is the root"
    );
    for (service_head, unit_heads) in SERVICES {
        assert_eq!(
            enclosing(node_of[service_head]),
            Some(node_of[DIRECTION_HEAD].id()),
            "{service_head}'s service is nested in the direction"
        );
        for unit_head in unit_heads {
            assert_eq!(
                enclosing(node_of[unit_head]),
                Some(node_of[service_head].id()),
                "{unit_head}'s unit is nested in {service_head}'s service"
            );
        }
    }

    for (id, name, email, phone) in PEOPLE {
        let item = node_of[id];
        // Links of this person's own entry, not of the units nested in it.
        let own_links: Vec<&str> = select_in(item, "a")
            .into_iter()
            .filter(|a| {
                a.ancestors()
                    .find(|ancestor| nodes.contains(&ancestor.id()))
                    .map(|ancestor| ancestor.id())
                    == Some(item.id())
            })
            .filter_map(|a| a.attr("href"))
            .collect();
        let mailto = format!("mailto:{email}");
        assert_eq!(
            own_links.iter().filter(|href| **href == mailto).count(),
            1,
            "{name} has one {mailto} link: {own_links:?}"
        );
        let tel = tel_href(phone);
        assert!(
            own_links.contains(&tel.as_str()),
            "{name} has a {tel} link: {own_links:?}"
        );
    }
}

#[test]
fn contacts_table_has_a_row_per_process_with_email_links() {
    let (_project, _run, site) = default_site();
    for url in ["/contatti/", "/descrizione-del-servizio/"] {
        let tables: Vec<_> = select_in(main_of(site.page(url)), "table")
            .into_iter()
            .filter(|table| {
                select_in(*table, "tbody th, tbody td")
                    .iter()
                    .any(|cell| text_of(*cell) == "sistemi")
            })
            .collect();
        assert_eq!(tables.len(), 1, "{url}: one contacts table");
        let rows = select_in(tables[0], "tbody > tr");
        assert_eq!(rows.len(), 10, "{url}: one row per process");
        for (row, (process, emails)) in rows.into_iter().zip(CONTACTS) {
            assert_eq!(text_of(cells(row)[0]), process, "{url}: process order");
            let mailtos: Vec<&str> = select_in(row, "a[href^=\"mailto:\"]")
                .into_iter()
                .filter_map(|a| a.attr("href"))
                .collect();
            let expected: Vec<String> = emails
                .iter()
                .map(|email| format!("mailto:{email}"))
                .collect();
            assert_eq!(mailtos, expected, "{url}: email links of {process:?}");
        }
    }
}

/// Every root-relative `href`/`src` of a page.
fn root_relative_links(html: &Html) -> Vec<String> {
    let mut links = Vec::new();
    for element in select_all(html, "[href], [src]") {
        for attribute in ["href", "src"] {
            if let Some(value) = element.attr(attribute)
                && value.starts_with('/')
                && !value.starts_with("//")
            {
                links.push(value.to_string());
            }
        }
    }
    links
}

#[test]
fn base_url_path_prefixes_every_root_relative_link() {
    let project = Project::default_copy();
    project.replace(
        "site.toml",
        "base_url = \"https://cartaservizi.comune.fi.it/\"",
        "base_url = \"https://www.comune.example.it/carta/\"",
    );
    let (_run, site) = project.build_site("public", &[]);
    for (url, html) in site.web_pages() {
        let links = root_relative_links(html);
        assert!(
            links.len() >= 10,
            "{url} should have many root-relative links: {links:?}"
        );
        for link in &links {
            let path = link
                .strip_prefix("/carta/")
                .unwrap_or_else(|| panic!("{url}: {link} does not start with /carta/"));
            let path = path.split(['#', '?']).next().unwrap();
            let file = site.file_for(&format!("/{path}"));
            assert!(
                file.is_file(),
                "{url}: {link} points to {}, which is not in the output",
                file.display()
            );
        }
        assert!(
            links.iter().any(|link| link == "/carta/"),
            "{url} links home as /carta/"
        );
    }
}

#[test]
fn internal_links_and_anchors_resolve() {
    let (_project, _run, site) = default_site();
    let page_ids: BTreeMap<&str, BTreeSet<String>> = site
        .pages
        .iter()
        .map(|(url, html)| (url.as_str(), ids(html)))
        .collect();
    let mut checked = 0;
    for (url, html) in &site.pages {
        for element in select_all(html, "a[href], link[href]") {
            let href = element.attr("href").unwrap();
            let (path, fragment) = match href.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (href, None),
            };
            let target = if path.is_empty() {
                url.as_str()
            } else if path.starts_with('/') && !path.starts_with("//") {
                path
            } else {
                continue;
            };
            assert!(
                site.file_for(target).is_file(),
                "{url}: {href} points to a missing file"
            );
            if let Some(fragment) = fragment {
                let known = page_ids
                    .get(target)
                    .unwrap_or_else(|| panic!("{url}: {href} has an anchor but is not a page"));
                assert!(
                    known.contains(fragment),
                    "{url}: {href}: no element with id {fragment:?} on {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked > 100,
        "only {checked} internal links checked: the site should have many"
    );
}

#[test]
fn bootstrap_mode_self_hosts_bootstrap_italia_and_its_fonts() {
    let project = Project::default_copy();
    let (run, site) = project.build_site("public", &["--stylesheet", "bootstrap"]);
    assert!(
        bootstrap_notes(&run).is_empty(),
        "no fallback note in Bootstrap mode: {}",
        run.all_output()
    );

    for (url, html) in site.web_pages() {
        let sheets = stylesheets(html);
        assert!(
            sheets.iter().any(|href| href == BOOTSTRAP_CSS),
            "{url} links {BOOTSTRAP_CSS}: {sheets:?}"
        );
        assert!(
            !sheets.iter().any(|href| href == FALLBACK_CSS),
            "{url} does not link the fallback stylesheet: {sheets:?}"
        );
        for href in root_relative_links(html) {
            let path = href.split(['#', '?']).next().unwrap();
            assert!(
                site.file_for(path).is_file(),
                "{url}: {href} is not in the output"
            );
        }
        assert!(
            select_all(html, "script:not([type=\"application/ld+json\"])").is_empty(),
            "{url}: no <script> but metadata"
        );
    }

    let installed = common::vendored_bootstrap();
    let subset = std::fs::read_to_string(site.file_for(BOOTSTRAP_CSS)).unwrap();
    let whole = std::fs::read_to_string(installed.join("css/bootstrap-italia.min.css")).unwrap();
    assert!(
        subset.starts_with("/*!\n * Bootstrap Italia") && subset.len() * 10 < whole.len(),
        "the stylesheet is a part of Bootstrap Italia's own, with its licence: {} of {} bytes",
        subset.len(),
        whole.len()
    );
    assert!(
        !site
            .file_for("/assets/bootstrap-italia/css/bootstrap-italia.min.css")
            .exists(),
        "the whole stylesheet is not published"
    );
    for family in ["Titillium_Web", "Lora", "Roboto_Mono"] {
        let dir = site.dir.join("assets/bootstrap-italia/fonts").join(family);
        let woff2 = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} is missing", dir.display()))
            .filter(|entry| {
                entry
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".woff2")
            })
            .count();
        assert!(woff2 >= 1, "at least one woff2 font of {family}");
    }

    // Every font the font stylesheet names is in the output.
    let fonts_css = std::fs::read_to_string(site.dir.join("assets/css/fonts.css"))
        .expect("fonts.css is in the output");
    let mut urls = 0;
    for piece in fonts_css.split("url(").skip(1) {
        let target = piece.split(')').next().unwrap().trim_matches(['"', '\'']);
        let file = site.dir.join("assets/css").join(target);
        assert!(file.is_file(), "fonts.css names {target}, which is missing");
        urls += 1;
    }
    assert!(urls >= 3, "fonts.css names the fonts of the three families");

    let scripts: Vec<_> = common::snapshot(&site.dir)
        .into_keys()
        .filter(|path| path.extension().is_some_and(|ext| ext == "js"))
        .collect();
    assert!(scripts.is_empty(), "no JavaScript is copied: {scripts:?}");
}
