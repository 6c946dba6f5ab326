//! Build-speed benchmark: carta against Hugo and a plain copy, on synthetic charters of any size.
//!
//! ```sh
//! cargo run --release --example bench -- --pages 1000 --runs 5
//! ```
//!
//! Generates a project of N chapters from the default charter's real prose (about 19 KB of
//! Markdown each) and a large commitments table (200 commitments), builds it R times with carta
//! (in a child process, so its peak memory is its own), prints the median wall time, pages per
//! second, peak memory and the phases; then, when `hugo` is on PATH, builds the same Markdown with
//! Hugo and a comparable minimal layout; and times `cp -r` of the sources as the floor.
//!
//! `--results P` adds `content/data/results.yaml` with a result for every standard of every
//! commitment in each of P years (the last one the last year ended), to measure what results cost.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PAGE_BYTES: usize = 19 * 1024;
const COMMITMENT_COPIES: usize = 20;

struct Args {
    pages: usize,
    runs: usize,
    work: PathBuf,
    /// Years of results for every standard (0: no results file).
    results: usize,
}

fn main() {
    let mut arguments = std::env::args().skip(1);
    if let Some(first) = std::env::args().nth(1)
        && first == "--child-build"
    {
        std::process::exit(child_build(std::env::args().skip(2).collect()));
    }
    let mut args = Args {
        pages: 1000,
        runs: 5,
        work: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench"),
        results: 0,
    };
    while let Some(flag) = arguments.next() {
        let mut value = || arguments.next().unwrap_or_else(|| usage(&flag));
        match flag.as_str() {
            "--pages" => args.pages = value().parse().unwrap_or_else(|_| usage("--pages")),
            "--runs" => args.runs = value().parse().unwrap_or_else(|_| usage("--runs")),
            "--work" => args.work = PathBuf::from(value()),
            "--results" => args.results = value().parse().unwrap_or_else(|_| usage("--results")),
            _ => usage(&flag),
        }
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project = args.work.join(format!("carta-{}", args.pages));
    let hugo_site = args.work.join(format!("hugo-{}", args.pages));
    let _ = std::fs::remove_dir_all(&project);
    let _ = std::fs::remove_dir_all(&hugo_site);
    let markdown_bytes = generate(&repo, &project, args.pages);
    let results = if args.results > 0 {
        let commitments =
            std::fs::read_to_string(project.join("content/data/commitments.yaml")).unwrap();
        let (text, count) = results_for(&commitments, args.results);
        std::fs::write(project.join("content/data/results.yaml"), text).unwrap();
        format!(", {count} risultati ({} anni)", args.results)
    } else {
        String::new()
    };
    println!(
        "# {} pagine, {:.1} MB di Markdown{results}, {} esecuzioni per strumento (mediana)\n",
        args.pages,
        markdown_bytes as f64 / 1e6,
        args.runs
    );

    let me = std::env::current_exe().expect("the benchmark knows its own path");
    let output = args.work.join(format!("carta-{}-public", args.pages));
    let mut carta_runs = Vec::new();
    for _ in 0..args.runs {
        let mut command = Command::new(&me);
        command.arg("--child-build").arg(&project).arg(&output);
        carta_runs.push(measure(command));
    }
    let carta = summarise(&carta_runs);
    println!("carta: fasi della mediana: {}", carta.phases);

    let hugo = if which("hugo") {
        write_hugo_site(&project, &hugo_site);
        let out = args.work.join(format!("hugo-{}-public", args.pages));
        let runs: Vec<Measure> = (0..args.runs)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&out);
                let mut command = Command::new("hugo");
                command
                    .arg("--quiet")
                    .arg("--source")
                    .arg(&hugo_site)
                    .arg("--destination")
                    .arg(&out);
                measure(command)
            })
            .collect();
        Some(summarise(&runs))
    } else {
        println!("hugo non è installato (apt-get install hugo): confronto saltato");
        None
    };

    let copy_runs: Vec<Measure> = (0..args.runs)
        .map(|_| {
            let target = args.work.join(format!("copy-{}", args.pages));
            let _ = std::fs::remove_dir_all(&target);
            let mut command = Command::new("cp");
            command.arg("-r").arg(project.join("content")).arg(&target);
            measure(command)
        })
        .collect();
    let copy = summarise(&copy_runs);

    println!("\n| strumento | pagine | tempo (mediana) | pagine/s | memoria di picco |");
    println!("|---|---|---|---|---|");
    row("carta", args.pages, &carta);
    if let Some(hugo) = &hugo {
        row("Hugo", args.pages, hugo);
    }
    row("cp -r (pavimento)", args.pages, &copy);
    if let Some(hugo) = &hugo {
        println!(
            "\ncarta è {:.1}× più veloce di Hugo",
            hugo.wall.as_secs_f64() / carta.wall.as_secs_f64()
        );
    }
}

fn usage(flag: &str) -> ! {
    eprintln!(
        "opzione non valida: {flag}\nuso: bench [--pages N] [--runs R] [--work DIR] [--results P]"
    );
    std::process::exit(2)
}

/// One build in this process, so the parent can measure its wall time and peak memory alone.
fn child_build(args: Vec<String>) -> i32 {
    let [root, output] = args.as_slice() else {
        return 2;
    };
    let report = carta::build::build(&carta::build::BuildOptions {
        root: PathBuf::from(root),
        output: Some(PathBuf::from(output)),
        stylesheet: carta::theme::StylesheetMode::Fallback,
        strict: false,
        base_url: None,
        allow_draft: false,
        pdf: None,
        force: false,
    });
    if report.diagnostics.has_errors() {
        for diagnostic in report.diagnostics.iter() {
            eprintln!(
                "{}",
                carta::diagnostics::one_line(diagnostic, &report.sources)
            );
        }
        return 1;
    }
    let phases: Vec<String> = report
        .timings
        .phases
        .iter()
        .map(|(phase, duration)| format!("{phase}={:.1}ms", duration.as_secs_f64() * 1000.0))
        .collect();
    println!("{}", phases.join(" "));
    0
}

struct Measure {
    wall: Duration,
    max_rss_kb: i64,
    stdout: String,
}

/// Runs a command to completion and reads its own peak resident memory with `wait4`.
// The child is reaped by `wait4` below, which `Child::wait` cannot replace: it gives no rusage.
#[allow(clippy::zombie_processes)]
fn measure(mut command: Command) -> Measure {
    command.stdout(std::process::Stdio::piped());
    // Every tool starts with the previous run's writes on disk, not in the kernel's queue.
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    let started = Instant::now();
    let child = command.spawn().expect("the command starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; the pointers live for the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 reaped the child");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the command succeeded"
    );
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stdout);
    }
    Measure {
        wall,
        max_rss_kb: usage.ru_maxrss,
        stdout,
    }
}

struct Summary {
    wall: Duration,
    max_rss_kb: i64,
    phases: String,
}

fn summarise(runs: &[Measure]) -> Summary {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by_key(|index| runs[*index].wall);
    let median = &runs[order[order.len() / 2]];
    Summary {
        wall: median.wall,
        max_rss_kb: runs.iter().map(|run| run.max_rss_kb).max().unwrap_or(0),
        phases: median.stdout.trim().to_string(),
    }
}

fn row(tool: &str, pages: usize, summary: &Summary) {
    println!(
        "| {tool} | {pages} | {:.0} ms | {:.0} | {:.1} MB |",
        summary.wall.as_secs_f64() * 1000.0,
        pages as f64 / summary.wall.as_secs_f64(),
        summary.max_rss_kb as f64 / 1024.0
    );
}

fn which(program: &str) -> bool {
    Command::new(program)
        .arg("version")
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

/// Writes the synthetic project; returns the bytes of Markdown written.
fn generate(repo: &Path, project: &Path, pages: usize) -> usize {
    let content = project.join("content");
    std::fs::create_dir_all(content.join("chapters")).unwrap();
    std::fs::create_dir_all(content.join("data")).unwrap();
    std::fs::copy(repo.join("site.toml"), project.join("site.toml")).unwrap();
    std::fs::copy(
        repo.join("content/charter.yaml"),
        content.join("charter.yaml"),
    )
    .unwrap();
    for name in [
        "organization.yaml",
        "contacts.yaml",
        "stakeholders.yaml",
        "channels.yaml",
    ] {
        std::fs::copy(
            repo.join("content/data").join(name),
            content.join("data").join(name),
        )
        .unwrap();
    }
    std::fs::write(
        content.join("data/commitments.yaml"),
        large_commitments(
            &std::fs::read_to_string(repo.join("content/data/commitments.yaml")).unwrap(),
        ),
    )
    .unwrap();

    let paragraphs = prose_paragraphs(&repo.join("content/chapters"));
    let mut written = 0;
    let mut cursor = 0;
    for index in 1..=pages {
        let mut body = format!("## Parte {index}\n\n");
        while body.len() < PAGE_BYTES {
            body.push_str(&paragraphs[cursor % paragraphs.len()]);
            body.push_str("\n\n");
            cursor += 1;
        }
        let text = format!(
            "---\ntitle: \"Capitolo {index} della carta\"\nnumber: \"{index}\"\norder: {index}\ndescription: \"Capitolo sintetico {index}.\"\n---\n\n{body}"
        );
        written += text.len();
        std::fs::write(
            content.join("chapters").join(format!("{index:05}.md")),
            text,
        )
        .unwrap();
    }
    written
}

/// The charter's paragraphs, lists and section headings (demoted under the page's own `##`),
/// without generated-block markers.
fn prose_paragraphs(chapters: &Path) -> Vec<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(chapters)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    let mut paragraphs = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(path).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
        for block in body.split("\n\n") {
            let block = block.trim();
            if block.is_empty() || block.starts_with("{{") {
                continue;
            }
            // Every section becomes a subsection of the page's "## Parte N": no skipped levels.
            let block = match block.strip_prefix("## ") {
                Some(title) => format!("### {title}"),
                None => match block.strip_prefix("### ") {
                    Some(title) => format!("### {title}"),
                    None => block.to_string(),
                },
            };
            paragraphs.push(block);
        }
    }
    paragraphs
}

/// A result for every standard of `commitments` (the default charter's, copied) in each of
/// `years` years ending with the last one over, in the form that fits it; and how many there are.
fn results_for(commitments: &str, years: usize) -> (String, usize) {
    // The standards of each commitment by the id carta gives them: a short form's own, or the
    // `id` written; `best_effort` guarantees nothing to measure.
    let mut standards: Vec<(String, String, &str)> = Vec::new();
    let mut commitment = String::new();
    for raw in commitments.lines() {
        // A commitment starts its list item at the second column; its standards are deeper.
        if let Some(id) = raw.strip_prefix("  - id: ") {
            commitment = id.to_string();
            continue;
        }
        let line = raw.trim();
        let form = match line {
            l if l.starts_with("- take_charge") => Some(("take-charge", "cases")),
            l if l.starts_with("- response") => Some(("response", "cases")),
            l if l.starts_with("- availability") => Some(("availability", "percentage")),
            l if l.starts_with("- on_request") => Some(("on-request", "declared")),
            _ => None,
        };
        if let Some((id, kind)) = form {
            standards.push((commitment.clone(), id.to_string(), kind));
        } else if let Some(id) = line.strip_prefix("- id: ") {
            let kind = match id {
                "frequenza" | "questionario-annuale" => "count",
                "tempo-di-risposta" => "maximum",
                _ => "percentage",
            };
            standards.push((commitment.clone(), id.to_string(), kind));
        }
    }
    let last = 2025;
    let mut text = String::from("periods:\n");
    for year in (last + 1 - years)..=last {
        text.push_str(&format!("  - period: {year}\n    results:\n"));
        for (index, (commitment, standard, kind)) in standards.iter().enumerate() {
            let figure = match *kind {
                "cases" => format!(
                    "within: {}\n        total: 1000",
                    800 + (index + year) % 200
                ),
                "percentage" => format!(
                    "value: {}\n        statistic: percentage",
                    90 + (index + year) % 10
                ),
                "count" => "value: 2\n        statistic: count".to_string(),
                "maximum" => "value: 18\n        statistic: maximum".to_string(),
                _ => "declared: met\n        evidence: \"Registro delle richieste\"".to_string(),
            };
            text.push_str(&format!(
                "      - commitment: {commitment}\n        standard: {standard}\n        {figure}\n"
            ));
        }
    }
    (text, standards.len() * years)
}

/// The ten commitments, twenty times over, with unique ids and service names (a charter that
/// names two services alike is warned about: W230).
fn large_commitments(original: &str) -> String {
    let items: Vec<&str> = original.split("\n  - id: ").skip(1).collect();
    let mut text = String::from("commitments:\n");
    for copy in 0..COMMITMENT_COPIES {
        for item in &items {
            let (id, rest) = item.split_once('\n').unwrap();
            let rest = rest.replacen("    service: \"", &format!("    service: \"{copy}. "), 1);
            text.push_str(&format!(
                "  - id: {}-{copy}\n{}\n",
                id.trim(),
                rest.trim_end()
            ));
        }
    }
    text
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name == "node_modules") {
                continue;
            }
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The same chapters as a Hugo site, with a layout of the same shape: header with the ente and a
/// menu, breadcrumb, one h1, the body, previous/next links, footer; a home page listing every
/// chapter.
fn write_hugo_site(project: &Path, site: &Path) {
    let content = site.join("content/capitoli");
    std::fs::create_dir_all(&content).unwrap();
    for entry in walk(&project.join("content/chapters")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let mut parts = text.splitn(3, "---\n");
        let _ = parts.next();
        let front = parts.next().unwrap_or("");
        let body = parts.next().unwrap_or("");
        let weight = front
            .lines()
            .find_map(|line| line.strip_prefix("order: "))
            .unwrap_or("0");
        let title = front
            .lines()
            .find_map(|line| line.strip_prefix("title: "))
            .unwrap_or("\"\"");
        std::fs::write(
            content.join(entry.file_name().unwrap()),
            format!("---\ntitle: {title}\nweight: {weight}\n---\n{body}"),
        )
        .unwrap();
    }
    std::fs::write(
        site.join("hugo.toml"),
        "baseURL = 'https://cartaservizi.comune.example.it/'\nlanguageCode = 'it'\ntitle = 'Carta di qualità dei servizi'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT']\n[markup.goldmark.renderer]\nunsafe = false\n",
    )
    .unwrap();
    let layouts = site.join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    std::fs::write(
        layouts.join("baseof.html"),
        r##"<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<link rel="stylesheet" href="/assets/css/carta.css"></head>
<body><a href="#main">Vai al contenuto principale</a>
<header><div>Regione Toscana</div><div>Comune di Firenze</div>
<nav aria-label="Menu principale"><ul><li><a href="/">Indice della carta</a></li><li><a href="/impegni/">Impegni</a></li><li><a href="/contatti/">Contatti</a></li><li><a href="/organizzazione/">Organizzazione</a></li></ul></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer id="footer"><a href="https://form.agid.gov.it/">Dichiarazione di accessibilità</a> <a href="/privacy/">Privacy</a></footer>
</body></html>
"##,
    )
    .unwrap();
    std::fs::write(
        layouts.join("single.html"),
        r##"{{ define "main" }}<nav aria-label="Percorso di navigazione"><ol><li><a href="/">Home</a></li><li aria-current="page">{{ .Title }}</li></ol></nav>
<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<p>Ultimo aggiornamento: <time datetime="2025-06-03">3 giugno 2025</time></p>{{ end }}
"##,
    )
    .unwrap();
    std::fs::write(
        layouts.join("list.html"),
        r##"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"##,
    )
    .unwrap();
    std::fs::write(
        site.join("layouts/index.html"),
        r##"{{ define "main" }}<h1>{{ site.Title }}</h1><h2>Indice della carta</h2><ul>{{ range (where site.RegularPages "Section" "capitoli") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"##,
    )
    .unwrap();
}
