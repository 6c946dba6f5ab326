//! What the libraries alone cost on a charter's chapters: the floor under any build that uses them.
//!
//! ```sh
//! cargo run --release --example bench -- --pages 1000 --work /dev/shm/carta-bench
//! cargo run --release --example floor -- /dev/shm/carta-bench/carta-1000/content/chapters
//! ```
//!
//! Reads every `.md` file of the folder, then times (median of 5, one thread unless said):
//! reading and checking UTF-8; pulldown-cmark turning the Markdown into HTML with carta's options,
//! on one thread and on all; one lol_html pass over that HTML with no handler; the same pass with
//! the site's rewrite handlers (`carta::rewrite::rewrite`). Front matter is parsed as Markdown too,
//! which changes nothing measurable. It writes nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pulldown_cmark::{Parser, html};
use rayon::prelude::*;

const RUNS: usize = 5;

fn main() {
    let Some(folder) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("uso: floor CARTELLA_DEI_CAPITOLI");
        std::process::exit(2);
    };
    let files = markdown_files(&folder);
    let read = || -> Vec<String> {
        files
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).expect("the chapter is readable");
                String::from_utf8(bytes).expect("the chapter is UTF-8")
            })
            .collect()
    };
    let texts = read();
    let markdown_bytes: usize = texts.iter().map(String::len).sum();
    let options = carta::markdown::options();
    let to_html = |text: &String| {
        let mut out = String::with_capacity(text.len() * 5 / 4);
        html::push_html(&mut out, Parser::new_ext(text, options));
        out
    };
    let pages: Vec<String> = texts.iter().map(to_html).collect();
    let html_bytes: usize = pages.iter().map(String::len).sum();
    let settings = carta::rewrite::RewriteSettings {
        root: "/".to_string(),
        own_hosts: vec!["carta.comune.fi.it".to_string()],
        new_window: false,
        new_window_hint: String::new(),
        collect_vocabulary: false,
    };

    println!(
        "# {} capitoli, {:.1} MB di Markdown, {:.1} MB di HTML (mediana di {RUNS})\n",
        files.len(),
        markdown_bytes as f64 / 1e6,
        html_bytes as f64 / 1e6
    );
    println!("| passo | tempo | MB/s |\n|---|---|---|");
    let row = |name: &str, bytes: usize, time: Duration| {
        println!(
            "| {name} | {:.1} ms | {:.0} |",
            time.as_secs_f64() * 1000.0,
            bytes as f64 / 1e6 / time.as_secs_f64()
        );
    };
    row(
        "lettura e controllo UTF-8",
        markdown_bytes,
        median(|| drop(read())),
    );
    row(
        "pulldown-cmark, 1 thread",
        markdown_bytes,
        median(|| drop(texts.iter().map(to_html).collect::<Vec<_>>())),
    );
    row(
        &format!("pulldown-cmark, {} thread", rayon::current_num_threads()),
        markdown_bytes,
        median(|| drop(texts.par_iter().map(to_html).collect::<Vec<_>>())),
    );
    row(
        "lol_html senza gestori",
        html_bytes,
        median(|| {
            for page in &pages {
                let settings = lol_html::RewriteStrSettings::new();
                drop(lol_html::rewrite_str(page, settings).expect("valid HTML"));
            }
        }),
    );
    row(
        "lol_html con i gestori del sito (rewrite)",
        html_bytes,
        median(|| {
            for page in &pages {
                drop(carta::rewrite::rewrite(page, &settings).expect("valid HTML"));
            }
        }),
    );
}

fn markdown_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

fn median(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}
