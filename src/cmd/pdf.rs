//! `carta build --pdf`: the site, its print edition and the PDF made from it, in one go.
//!
//! Three steps, one progress line each: build the site into a temporary folder; render its print
//! edition with the PDF engine; build the site again into the output folder with the PDF, so the
//! home page links it with its size. The output folder is replaced only when all three succeed.

use std::time::Instant;

use super::build::{BuildArgs, Stylesheet, is_project};
use super::{
    EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, count_line, print_diagnostics, print_leftover,
    write_failed_line,
};
use crate::build::{BuildOptions, Extras, Outcome, build, build_with};
use crate::output::pdf::{PdfFile, size_text};
use crate::output::write::OutputState;
use crate::pdf::{self, RenderOptions};

pub fn run(args: &BuildArgs) -> u8 {
    let started = Instant::now();
    if !is_project(&args.root) {
        return EXIT_USAGE_OR_IO;
    }
    let engine = match pdf::find(args.engine()) {
        Ok(engine) => engine,
        Err(not_found) => {
            eprintln!("errore: {not_found}");
            return EXIT_USAGE_OR_IO;
        }
    };
    let staging = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("errore: impossibile creare una cartella temporanea: {error}");
            return EXIT_USAGE_OR_IO;
        }
    };

    // 1. The site, with its print edition, where the engine can read it.
    let step = Instant::now();
    let options = args.options();
    let draft = BuildOptions {
        output: Some(staging.path().join("sito")),
        ..options.clone()
    };
    let report = build(&draft);
    print_diagnostics(&report.diagnostics, &report.sources, args.color);
    let summary = match report.outcome {
        Outcome::Built(summary) => summary,
        other => return failure(&other, &report.diagnostics),
    };
    if !args.quiet {
        if !summary.bootstrap && args.stylesheet == Stylesheet::Auto {
            println!(
                "nota: Bootstrap Italia non è installato, uso il foglio di stile di riserva del tema (per installarlo: npm ci --prefix themes/{})",
                summary.theme
            );
        }
        println!(
            "carta: [1/3] sito ed edizione a stampa generati ({} pagine) in {} ms",
            summary.pages,
            step.elapsed().as_millis()
        );
    }

    // 2. The PDF.
    let step = Instant::now();
    let print = &summary.print;
    let pdf_path = staging.path().join(&print.pdf_name);
    if let Err(error) = engine.render(
        &summary.output.join(&print.page),
        &pdf_path,
        &RenderOptions { date: print.date },
    ) {
        eprintln!("errore: PDF non generato: {error}");
        eprintln!("carta: nessun file scritto, l'output precedente è rimasto com'era");
        return EXIT_USAGE_OR_IO;
    }
    let bytes = std::fs::metadata(&pdf_path)
        .map(|meta| meta.len())
        .unwrap_or(0);
    if !args.quiet {
        println!(
            "carta: [2/3] PDF impaginato con {} in {} ms",
            engine.version,
            step.elapsed().as_millis()
        );
    }

    // 3. The site again, into the output folder, with the PDF linked from the home page.
    let step = Instant::now();
    let pdf = PdfFile {
        name: print.pdf_name.clone(),
        bytes,
        source: pdf_path,
    };
    let report = build_with(
        &options,
        &Extras {
            pdf: Some(pdf.clone()),
        },
    );
    // Its warnings were printed by the first step; only a new problem is worth showing.
    if report.diagnostics.has_errors() {
        print_diagnostics(&report.diagnostics, &report.sources, args.color);
    }
    match report.outcome {
        Outcome::Built(summary) => {
            print_leftover(&summary);
            if !args.quiet {
                println!(
                    "carta: [3/3] {} pagine ({} file) e {} ({}) scritti in {} in {} ms; in tutto {} ms",
                    summary.pages,
                    summary.files,
                    pdf.name,
                    size_text(pdf.bytes, ","),
                    summary.output.display(),
                    step.elapsed().as_millis(),
                    started.elapsed().as_millis()
                );
            }
            EXIT_OK
        }
        other => failure(&other, &report.diagnostics),
    }
}

fn failure(outcome: &Outcome, diagnostics: &crate::diagnostics::Diagnostics) -> u8 {
    match outcome {
        Outcome::ContentErrors => {
            eprintln!(
                "carta: {}; nessun file scritto, l'output precedente è rimasto com'era",
                count_line(diagnostics)
            );
            EXIT_CONTENT_ERRORS
        }
        Outcome::WriteFailed(state) => {
            eprintln!("{}", write_failed_line(state));
            EXIT_USAGE_OR_IO
        }
        Outcome::Built(_) => {
            eprintln!("{}", write_failed_line(&OutputState::Unchanged));
            EXIT_USAGE_OR_IO
        }
    }
}
