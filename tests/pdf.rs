//! The PDF of the print edition (`carta build --pdf`), rendered by the real binary with the real
//! engine and read back with poppler-utils (`pdfinfo`, `pdftotext`) and pikepdf
//! (`tests/pdf/inspect_pdf.py`).
//!
//! A test skips, saying why, only when its PDF engine (or checker) is not installed. With
//! `CARTA_PDF_TESTS=require`, as `.ci/run` sets (after installing WeasyPrint, Chromium, poppler
//! and pikepdf), a missing engine or checker fails instead.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use carta::pdf::{self, EngineChoice, EngineKind};
use common::{Project, Run, Site, norm, own_text, select_all, single, text_of};
use serde_json::Value;

/// Chapter titles as the print edition heads them (number and title).
const CHAPTERS: [&str; 4] = [
    "1 Il valore del servizio",
    "2 Descrizione del servizio",
    "3 Standard di qualità",
    "4 Rapporto con il cittadino",
];
const TITLE: &str = "Carta di qualità dei servizi";
const PDF_NAME: &str = "carta-di-qualita-dei-servizi-comune-di-firenze-dsi-2025.pdf";

fn required() -> bool {
    std::env::var("CARTA_PDF_TESTS").is_ok_and(|value| value == "require")
}

/// Prints why a test does not run and returns `None`; fails instead when the tools are required.
fn skip<T>(reason: &str) -> Option<T> {
    assert!(
        !required(),
        "CARTA_PDF_TESTS=require, but {reason} (.ci/run installs it)"
    );
    println!("skipped: {reason}");
    None
}

fn tool_works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

fn poppler() -> Option<()> {
    if tool_works("pdfinfo", &["-v"]) && tool_works("pdftotext", &["-v"]) {
        Some(())
    } else {
        skip("poppler-utils (pdfinfo, pdftotext) is not installed: apt-get install poppler-utils")
    }
}

/// The Python that has pikepdf: `CARTA_PDF_PYTHON`, or `python3`.
fn pikepdf_python() -> Option<String> {
    let python = std::env::var("CARTA_PDF_PYTHON").unwrap_or_else(|_| "python3".to_string());
    if tool_works(&python, &["-c", "import pikepdf"]) {
        Some(python)
    } else {
        skip(&format!(
            "pikepdf is not importable by {python}: pip install -r tests/pdf/requirements.txt"
        ))
    }
}

/// A site built with `carta build --pdf` and what the run printed.
struct Built {
    _project: Project,
    run: Run,
    output: PathBuf,
    engine: EngineKind,
}

impl Built {
    fn pdf(&self) -> PathBuf {
        self.output.join(PDF_NAME)
    }
}

fn build_with_pdf(engine: EngineKind, output_name: &str) -> Built {
    build_project_with_pdf(Project::default_copy(), engine, output_name)
}

fn build_project_with_pdf(project: Project, engine: EngineKind, output_name: &str) -> Built {
    let output = project.output(output_name);
    let name = match engine {
        EngineKind::WeasyPrint => "weasyprint",
        EngineKind::Chromium => "chromium",
    };
    let run = project.build(&output, &["--pdf", "--pdf-engine", name]);
    run.assert_success();
    Built {
        _project: project,
        run,
        output,
        engine,
    }
}

/// The default charter with its PDF, rendered once for all the tests of this file by the engine
/// `carta build --pdf` chooses (WeasyPrint when installed).
fn default_pdf() -> Option<&'static Built> {
    static BUILT: OnceLock<Option<Built>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let engine = pdf::find(EngineChoice::Auto).ok()?;
        Some(build_with_pdf(engine.kind, "public"))
    });
    match built {
        Some(built) => Some(built),
        None => skip(
            "no PDF engine is installed (WeasyPrint: pip install -r tests/pdf/requirements.txt; or apt-get install chromium)",
        ),
    }
}

fn weasyprint_pdf() -> Option<&'static Built> {
    let built = default_pdf()?;
    if built.engine == EngineKind::WeasyPrint {
        Some(built)
    } else {
        skip(
            "WeasyPrint is not installed (pip install -r tests/pdf/requirements.txt); Chromium was used",
        )
    }
}

fn pdfinfo(pdf: &Path) -> Vec<(String, String)> {
    let output = Command::new("pdfinfo")
        .arg("-rawdates")
        .arg(pdf)
        .output()
        .expect("run pdfinfo");
    assert!(output.status.success(), "pdfinfo failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect()
}

fn info_field(info: &[(String, String)], key: &str) -> String {
    info.iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| panic!("pdfinfo has no {key}: {info:?}"))
}

/// The text of one page (1-based) in reading order, or of the whole PDF in the order it is drawn
/// (each table cell in one piece).
fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut command = Command::new("pdftotext");
    match page {
        Some(page) => command.args(["-f", &page.to_string(), "-l", &page.to_string()]),
        None => command.arg("-raw"),
    };
    let output = command
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8(output.stdout).unwrap()
}

/// Text reduced to what survives line breaking: no whitespace, no hyphens (real or added at line
/// ends), ligatures spelt out.
fn squeeze(text: &str) -> String {
    text.replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}'))
        .collect()
}

fn inspect(python: &str, pdf: &Path) -> Value {
    let script = common::repo_root().join("tests/pdf/inspect_pdf.py");
    let output = Command::new(python)
        .arg(script)
        .arg(pdf)
        .output()
        .expect("run inspect_pdf.py");
    assert!(
        output.status.success(),
        "inspect_pdf.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("inspect_pdf.py prints JSON")
}

/// The outline entries: (level, title, page).
fn outline(report: &Value) -> Vec<(u64, String, Option<u64>)> {
    report["outline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["level"].as_u64().unwrap(),
                entry["title"].as_str().unwrap().to_string(),
                entry["page"].as_u64(),
            )
        })
        .collect()
}

/// The chapters in the outline: all entries at the level of the first chapter, but the table of
/// contents. The document's title is the single root entry; chapters are its children.
fn chapter_entries(report: &Value) -> Vec<(String, u64)> {
    let entries = outline(report);
    let roots: Vec<&String> = entries
        .iter()
        .filter(|(level, _, _)| *level == 1)
        .map(|(_, title, _)| title)
        .collect();
    assert_eq!(roots, [TITLE], "the document's title is the root bookmark");
    entries
        .iter()
        .filter(|(level, title, _)| *level == 2 && title != "Indice")
        .map(|(_, title, page)| (title.clone(), page.expect("a bookmark with a page")))
        .collect()
}

fn assert_tagged_accessible_pdf(report: &Value) {
    assert_eq!(report["tagged"], true, "StructTreeRoot");
    assert_eq!(report["marked"], true, "MarkInfo/Marked");
    assert_eq!(report["lang"], "it-IT");
    assert_eq!(report["display_doc_title"], true);
    assert_eq!(report["fonts_embedded"], true);
    let structure = &report["structure"];
    assert_eq!(structure["H1"], 1, "one H1: {structure}");
    for kind in ["H2", "H3", "P", "L", "Table", "TH", "TD", "Link"] {
        assert!(
            structure[kind].as_u64().unwrap_or(0) > 0,
            "structure has {kind}: {structure}"
        );
    }
    let chapters: Vec<String> = chapter_entries(report)
        .into_iter()
        .map(|(title, _)| title)
        .collect();
    assert_eq!(chapters, CHAPTERS, "one bookmark per chapter");
}

#[test]
fn build_pdf_writes_the_pdf_and_the_home_page_links_it_with_its_size() {
    let Some(built) = default_pdf() else { return };
    let steps: Vec<&str> = built
        .run
        .stdout
        .lines()
        .filter(|line| line.starts_with("carta: ["))
        .collect();
    assert_eq!(
        steps.len(),
        3,
        "a progress line per step: {}",
        built.run.stdout
    );
    assert!(steps[0].starts_with("carta: [1/3] edizione a stampa generata in "));
    assert!(steps[1].starts_with("carta: [2/3] PDF impaginato con "));
    assert!(steps[2].starts_with("carta: [3/3] ") && steps[2].contains(PDF_NAME));

    let bytes = std::fs::metadata(built.pdf()).expect("the PDF").len();
    assert!(bytes > 20_000, "{bytes} bytes");
    let site = Site::load(&built.output);
    let home = site.page("/");
    let link = single(home, ".carta-downloads a[type='application/pdf']");
    assert_eq!(link.attr("href"), Some(format!("/{PDF_NAME}").as_str()));
    let size = carta::output::pdf::size_text(bytes, ",");
    assert_eq!(text_of(link), format!("Scarica la carta (PDF, {size})"));
    // Everything else is the same site a plain build writes.
    assert_eq!(site.pages.len(), 28);
}

#[test]
fn pdf_metadata_comes_from_the_charter() {
    let Some(built) = default_pdf() else { return };
    let Some(()) = poppler() else { return };
    let info = pdfinfo(&built.pdf());
    assert_eq!(
        info_field(&info, "Title"),
        "Carta di qualità dei servizi – Direzione Sistemi Informativi – Comune di Firenze"
    );
    assert_eq!(info_field(&info, "Tagged"), "yes");
    assert!(info_field(&info, "Page size").ends_with("(A4)"));
    let pages: usize = info_field(&info, "Pages").parse().unwrap();
    assert!(pages >= 10, "{pages} pages");
    if built.engine == EngineKind::WeasyPrint {
        assert_eq!(info_field(&info, "Author"), "Comune di Firenze");
        assert!(
            info_field(&info, "Subject")
                .ends_with("Edizione 2025, approvata con DD 2025/4073 del 3 giugno 2025.")
        );
        // Dates from the charter (published and last updated), not from the clock.
        assert_eq!(info_field(&info, "CreationDate"), "D:20250603");
        assert_eq!(info_field(&info, "ModDate"), "D:20250603");
    }
}

#[test]
fn pdf_is_tagged_with_language_title_and_a_bookmark_per_chapter() {
    let Some(built) = default_pdf() else { return };
    let Some(python) = pikepdf_python() else {
        return;
    };
    let report = inspect(&python, &built.pdf());
    assert_tagged_accessible_pdf(&report);
    if built.engine == EngineKind::WeasyPrint {
        assert_eq!(report["pdfua_part"], "1", "PDF/UA-1 identification");
        assert_eq!(report["info"]["Author"], "Comune di Firenze");
    }
}

#[test]
fn every_commitment_and_contact_email_is_extractable_text() {
    let Some(built) = default_pdf() else { return };
    let Some(()) = poppler() else { return };
    let text = squeeze(&pdftotext(&built.pdf(), None));
    let site = Site::load(&built.output);

    let commitments = site.page("/impegni/");
    let mut expected: Vec<String> = Vec::new();
    for row in select_all(commitments, "tr[id^=impegno-]") {
        let service = common::select_in(row, "th")[0];
        expected.push(own_text(service));
        for standard in common::select_in(row, "li.carta-standard") {
            expected.push(own_text(standard));
        }
    }
    assert!(expected.len() > 20, "{expected:?}");
    let emails: BTreeSet<String> = ["/contatti/", "/organizzazione/"]
        .iter()
        .flat_map(|url| select_all(site.page(url), "a[href^='mailto:']"))
        .map(|a| a.attr("href").unwrap()["mailto:".len()..].to_string())
        .collect();
    assert!(emails.len() > 20, "{emails:?}");
    let missing: Vec<&String> = expected
        .iter()
        .chain(emails.iter())
        .filter(|wanted| !text.contains(&squeeze(wanted)))
        .collect();
    assert!(
        missing.is_empty(),
        "not found in the PDF's text: {missing:#?}"
    );
}

#[test]
fn table_of_contents_page_numbers_are_the_pages_where_chapters_start() {
    let Some(built) = weasyprint_pdf() else {
        return;
    };
    let Some(()) = poppler() else { return };
    let Some(python) = pikepdf_python() else {
        return;
    };
    let pdf = built.pdf();
    let contents = pdftotext(&pdf, Some(2));
    assert!(contents.contains("Indice"), "the contents are on page 2");
    let bookmarks = chapter_entries(&inspect(&python, &pdf));
    for (title, bookmark_page) in bookmarks {
        let line = contents
            .lines()
            .map(norm)
            .find(|line| line.starts_with(&title))
            .unwrap_or_else(|| panic!("{title} in the contents:\n{contents}"));
        let printed: u64 = line
            .rsplit(' ')
            .next()
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("no page number in {line:?}"));
        assert_eq!(printed, bookmark_page, "{title}: contents and bookmark");
        // The chapter starts there: its title comes right after the running header.
        let page = pdftotext(&pdf, Some(printed as usize));
        let first_lines: Vec<String> = page
            .lines()
            .map(norm)
            .filter(|line| !line.is_empty())
            .take(3)
            .collect();
        assert_eq!(
            first_lines,
            ["Comune di Firenze", TITLE, title.as_str()],
            "page {printed} opens with {title}"
        );
    }
}

/// Whitespace as one space, trimmed: how the PDF's /Alt and the HTML's text are compared.
fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn each_results_chart_is_a_figure_with_its_text_alternative_after_its_table() {
    let Ok(engine) = pdf::find(EngineChoice::Auto) else {
        return skip(
            "no PDF engine is installed (WeasyPrint: pip install -r tests/pdf/requirements.txt; or apt-get install chromium)",
        )
        .unwrap_or(());
    };
    let Some(python) = pikepdf_python() else {
        return;
    };
    let project = Project::example_copy("risultati");
    let output = project.output("public");
    let engine_name = match engine.kind {
        EngineKind::WeasyPrint => "weasyprint",
        EngineKind::Chromium => "chromium",
    };
    let run = project.build(
        &output,
        &["--allow-draft", "--pdf", "--pdf-engine", engine_name],
    );
    run.assert_success();
    // What the print edition says: each chart's text alternative (its SVG's title) and the
    // shape of its standard's results table.
    let site = Site::load(&output);
    let expected: Vec<(String, (u64, u64, u64))> =
        select_all(site.page("/stampa/"), "section.carta-results-standard")
            .into_iter()
            .filter_map(|section| {
                let title = common::select_in(section, "svg.carta-chart-svg > title");
                let title = spaced(&text_of(*title.first()?));
                let table = common::select_in(section, "table.carta-results-table")[0];
                let count = |selector: &str| common::select_in(table, selector).len() as u64;
                Some((title, (count("tr"), count("th"), count("td"))))
            })
            .collect();
    assert!(expected.len() >= 4, "the example has charts: {expected:?}");
    let pdf = std::fs::read_dir(&output)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .expect("the PDF");
    let report = inspect(&python, &pdf);
    // Every Figure of the structure tree is a chart, with its alternative text as in the HTML
    // (a figure without /Alt breaks PDF/UA), after its results table, whole: a table broken
    // across pages would be two Table elements, each with part of the rows. Chromium, which
    // makes no PDF/UA, also tags the HTML `figure` around each chart as a Figure of its own.
    let found: Vec<(String, (u64, u64, u64))> = report["figures"]
        .as_array()
        .expect("figures in the report")
        .iter()
        .filter(|figure| engine.kind == EngineKind::WeasyPrint || !figure["alt"].is_null())
        .map(|figure| {
            let alt = figure["alt"]
                .as_str()
                .unwrap_or_else(|| panic!("a Figure without /Alt: {figure}"));
            let table = &figure["table_before"];
            let count = |key: &str| table[key].as_u64().unwrap_or(0);
            (spaced(alt), (count("rows"), count("TH"), count("TD")))
        })
        .collect();
    assert_eq!(
        found, expected,
        "Figures of the tagged PDF against the charts"
    );
    let tables = select_all(site.page("/stampa/"), "table").len() as u64;
    assert_eq!(
        report["structure"]["Table"].as_u64(),
        Some(tables),
        "one Table structure element per table of the print edition"
    );
}

#[test]
fn two_renders_of_the_same_charter_are_byte_identical() {
    let Some(first) = weasyprint_pdf() else {
        return;
    };
    // Another copy of the project, in another folder, rendered into another output.
    let second = build_with_pdf(EngineKind::WeasyPrint, "another-output");
    let one = std::fs::read(first.pdf()).unwrap();
    let two = std::fs::read(second.pdf()).unwrap();
    assert!(one == two, "the two PDFs differ");
}

#[test]
fn chromium_fallback_makes_a_tagged_pdf_with_bookmarks() {
    if pdf::find(EngineChoice::Chromium).is_err() {
        // CI installs Chromium with the PDF tools, so with CARTA_PDF_TESTS=require this fails.
        return skip("Chromium is not installed (apt-get install chromium)").unwrap_or(());
    }
    let Some(python) = pikepdf_python() else {
        return;
    };
    // With Bootstrap Italia (built in) the print edition uses Titillium Web, whose accents and
    // ascent stick out of the line box: the case where headings were painted on two pages.
    let project = Project::default_copy();
    let built = build_project_with_pdf(project, EngineKind::Chromium, "chromium");
    assert!(
        built.run.stdout.contains("PDF impaginato con Chromium"),
        "{}",
        built.run.stdout
    );
    let report = inspect(&python, &built.pdf());
    assert_tagged_accessible_pdf(&report);
    // Each bookmark carries its heading's text once: a heading at the top of a page used to be
    // painted on the page before too, and Chromium joined both ("IndiceIndice").
    let titles: Vec<String> = outline(&report)
        .into_iter()
        .map(|(_, title, _)| title)
        .collect();
    for title in &titles {
        let half = title.len() / 2;
        let doubled =
            title.len() % 2 == 0 && title.is_char_boundary(half) && title[..half] == title[half..];
        assert!(
            !doubled,
            "bookmark with its text twice: {title:?} in {titles:?}"
        );
    }
    for heading in ["Indice", "2.4 Canali di accesso", "Telefono"] {
        assert!(
            titles.iter().any(|t| t == heading),
            "a bookmark {heading:?}: {titles:?}"
        );
    }
    if let Some(()) = poppler() {
        let text = squeeze(&pdftotext(&built.pdf(), None));
        assert!(text.contains(&squeeze("direzione.sistemiinformativi@comune.fi.it")));
        assert!(text.contains(&squeeze("Presa in carico entro 3 giorni nell'85% dei casi")));
    }
}

#[test]
fn without_an_engine_the_build_stops_with_one_line_that_says_how_to_install_one() {
    let project = Project::default_copy();
    let empty = project.output("no-programs");
    std::fs::create_dir_all(&empty).unwrap();
    let output = project.output("public");
    let result = Command::new(env!("CARGO_BIN_EXE_carta"))
        .args(["build", "--pdf", "--color", "never", "--root"])
        .arg(project.root())
        .arg("--output")
        .arg(&output)
        .env("PATH", &empty)
        .env_remove(pdf::WEASYPRINT_ENV)
        .env_remove(pdf::CHROMIUM_ENV)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(common::EXIT_USAGE_OR_IO));
    let stderr = String::from_utf8(result.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("errore: nessun motore PDF trovato: installa WeasyPrint"));
    assert!(
        lines[0].contains(&format!(
            "pip install weasyprint=={}",
            pdf::WEASYPRINT_VERSION
        )),
        "{stderr}"
    );
    assert!(lines[0].contains("apt-get install chromium"), "{stderr}");
    assert!(!output.exists(), "nothing written");
}

#[test]
fn an_engine_that_does_not_start_is_named_with_its_complaint() {
    let project = Project::default_copy();
    let output = project.output("public");
    let result = Command::new(env!("CARGO_BIN_EXE_carta"))
        .args(["build", "--pdf", "--pdf-engine", "weasyprint", "--root"])
        .arg(project.root())
        .arg("--output")
        .arg(&output)
        .env(pdf::WEASYPRINT_ENV, "/bin/false")
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(common::EXIT_USAGE_OR_IO));
    let stderr = String::from_utf8(result.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("errore: WeasyPrint non trovato: installa WeasyPrint")
            && stderr.contains("/bin/false non si avvia"),
        "{stderr}"
    );
    assert!(!output.exists());
}

#[test]
fn the_requirements_pin_the_weasyprint_release_carta_names() {
    let requirements =
        std::fs::read_to_string(common::repo_root().join("tests/pdf/requirements.txt")).unwrap();
    let pinned = |name: &str| {
        requirements
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}==")))
            .map(str::to_string)
    };
    assert_eq!(
        pinned("weasyprint").as_deref(),
        Some(pdf::WEASYPRINT_VERSION)
    );
    assert!(pinned("pikepdf").is_some(), "pikepdf is pinned");
}

#[test]
fn a_draft_pdf_says_bozza_in_its_metadata_on_its_cover_and_on_every_page() {
    let Some(built) = default_pdf() else { return };
    let Some(()) = poppler() else { return };
    let project = Project::default_copy();
    project.replace(
        "content/charter.yaml",
        "approval:\n  act: \"DD 2025/4073\"\n  date: 2025-06-03\npublished: 2025-06-03\n",
        "",
    );
    let output = project.output("bozza");
    let engine = match built.engine {
        EngineKind::WeasyPrint => "weasyprint",
        EngineKind::Chromium => "chromium",
    };
    // A draft's PDF is published on purpose; without --allow-draft, --strict refuses it.
    let refused = project.build(&output, &["--pdf", "--pdf-engine", engine, "--strict"]);
    refused.assert_code(common::EXIT_CONTENT_ERRORS);
    assert!(!output.exists());
    let run = project.build(
        &output,
        &["--pdf", "--pdf-engine", engine, "--strict", "--allow-draft"],
    );
    run.assert_success();
    let pdf = output.join(PDF_NAME);
    let info = pdfinfo(&pdf);
    assert_eq!(
        info_field(&info, "Title"),
        "Bozza – Carta di qualità dei servizi – Direzione Sistemi Informativi – Comune di Firenze"
    );
    let cover = squeeze(&pdftotext(&pdf, Some(1)));
    assert!(cover.contains(&squeeze("Bozza")), "{cover}");
    assert!(
        cover.contains(&squeeze("non è ancora approvata e non è in vigore")),
        "{cover}"
    );
    assert!(
        cover.contains(&squeeze("Bozza, non ancora approvata")),
        "{cover}"
    );
    assert!(!cover.contains(&squeeze("DD 2025/4073")), "{cover}");
    if built.engine == EngineKind::WeasyPrint {
        let subject = info_field(&info, "Subject");
        assert!(subject.starts_with("Bozza: "), "{subject}");
        assert!(
            subject.ends_with("Bozza, non ancora approvata."),
            "{subject}"
        );
        assert!(info_field(&info, "Keywords").starts_with("Bozza, "));
        // The running header of every page after the cover.
        let pages: usize = info_field(&info, "Pages").parse().unwrap();
        for page in 2..=pages {
            let text = pdftotext(&pdf, Some(page));
            assert!(
                text.lines()
                    .any(|line| line.trim() == "Bozza" || line.contains(" Bozza")),
                "page {page} says Bozza in its header: {text}"
            );
        }
    }
}

/// A stand-in for Chromium: answers `--version` and writes a small file where `--print-to-pdf`
/// says. It lets the progress lines be checked on any machine.
fn fake_chromium(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let program = dir.join("chromium");
    std::fs::write(
        &program,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Chromium 999.0.1 built on test'; exit 0; fi\nfor arg in \"$@\"; do case \"$arg\" in --print-to-pdf=*) printf '%%PDF-1.4\\n%%%%EOF\\n' > \"${arg#--print-to-pdf=}\";; esac; done\n",
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    program
}

#[test]
fn the_progress_lines_count_the_pages_once_and_the_chromium_fallback_says_what_it_lacks() {
    let project = Project::default_copy();
    let programs = project.output("programs");
    std::fs::create_dir_all(&programs).unwrap();
    let chromium = fake_chromium(&programs);
    let output = project.output("public");
    let result = Command::new(env!("CARGO_BIN_EXE_carta"))
        .args([
            "build",
            "--pdf",
            "--pdf-engine",
            "chromium",
            "--color",
            "never",
        ])
        .args(["--stylesheet", "fallback", "--root"])
        .arg(project.root())
        .arg("--output")
        .arg(&output)
        .env(pdf::CHROMIUM_ENV, &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8(result.stdout).unwrap();
    assert_eq!(result.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("carta: [1/3] edizione a stampa generata in "),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("carta: [2/3] PDF impaginato con Chromium 999.0.1 in "),
        "{stdout}"
    );
    assert_eq!(
        lines[2],
        format!(
            "nota: Chromium 999.0.1 è il motore PDF di riserva: il PDF è taggato e ha i segnalibri, ma non è PDF/UA-1, l'indice non ha i numeri di pagina (Chromium non sa calcolarli) e le date del file sono quelle della generazione; per un PDF/UA-1 con i numeri di pagina installa WeasyPrint (pip install weasyprint=={})",
            pdf::WEASYPRINT_VERSION
        )
    );
    // One page count, on the last line, and it is the number of pages written.
    let counted: Vec<&&str> = lines
        .iter()
        .filter(|line| line.contains(" pagine"))
        .collect();
    assert_eq!(counted.len(), 1, "{stdout}");
    let last = lines.last().unwrap();
    assert!(last.starts_with("carta: [3/3] "), "{stdout}");
    let pages: usize = last["carta: [3/3] ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(pages, Site::load(&output).pages.len(), "{stdout}");
}
