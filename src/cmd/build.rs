//! `carta build`: generates the site into the output folder.

use std::path::PathBuf;
use std::time::Instant;

use super::{
    Color, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, count_line, notes_text,
    print_diagnostics, print_leftover, write_failed_line,
};
use crate::build::reminders::Reminder;
use crate::build::{BuildOptions, Outcome, Progress, build_with_progress};
use crate::output::pdf::size_text;
use crate::pdf::{self, EngineChoice};
use crate::theme::StylesheetMode;

/// Which stylesheet to use, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Stylesheet {
    /// Bootstrap Italia when installed in the theme, otherwise the theme's fallback stylesheet.
    #[default]
    Auto,
    /// Bootstrap Italia, only the rules the site's pages can use; fails when it is not installed.
    Bootstrap,
    /// Bootstrap Italia's whole stylesheet, as published by Bootstrap Italia (612 kB).
    BootstrapFull,
    /// The theme's small fallback stylesheet.
    Fallback,
}

impl From<Stylesheet> for StylesheetMode {
    fn from(stylesheet: Stylesheet) -> Self {
        match stylesheet {
            Stylesheet::Auto => StylesheetMode::Auto,
            Stylesheet::Bootstrap => StylesheetMode::Bootstrap,
            Stylesheet::BootstrapFull => StylesheetMode::BootstrapFull,
            Stylesheet::Fallback => StylesheetMode::Fallback,
        }
    }
}

/// The help of `--stylesheet`, in Italian: what each value does.
pub(crate) const STYLESHEET_HELP: &str = "Foglio di stile: auto (Bootstrap Italia se è installato nel tema, altrimenti quello di riserva del tema), bootstrap (solo le regole di Bootstrap Italia che le pagine usano; errore se non è installato), bootstrap-full (tutto Bootstrap Italia, 612 kB), fallback (il piccolo foglio di stile di riserva del tema)";

/// The help of `--pdf-engine`, in Italian.
pub(crate) const PDF_ENGINE_HELP: &str = "Motore del PDF (con --pdf): auto (WeasyPrint se è installato, altrimenti Chromium), weasyprint (PDF/UA-1, con i numeri di pagina nell'indice), chromium (la stampa di Chromium, di riserva: PDF taggato ma non PDF/UA)";

/// Which engine renders the PDF, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum PdfEngine {
    /// WeasyPrint when installed, otherwise Chromium.
    #[default]
    Auto,
    /// WeasyPrint (PDF/UA-1).
    Weasyprint,
    /// Chromium's headless printing.
    Chromium,
}

/// The options of `carta build`, as clap parses them.
#[derive(Debug, Clone, clap::Args)]
#[allow(
    rustdoc::invalid_html_tags,
    reason = "clap prints these comments as the help, where <root> and <name> are placeholders"
)]
pub struct BuildArgs {
    /// Project folder (with site.toml, content/ and themes/).
    #[arg(
        long,
        default_value = ".",
        value_name = "CARTELLA",
        help = "Cartella del progetto (con site.toml, content/ e themes/)"
    )]
    pub(crate) root: PathBuf,
    /// Output folder [default: <root>/public].
    #[arg(
        long,
        short,
        value_name = "CARTELLA",
        help = "Cartella in cui scrivere il sito [predefinita: <CARTELLA del progetto>/public]"
    )]
    pub(crate) output: Option<PathBuf>,
    /// Stylesheet mode.
    #[arg(long, value_enum, default_value_t = Stylesheet::Auto, value_name = "MODO", help = STYLESHEET_HELP)]
    pub(crate) stylesheet: Stylesheet,
    /// Publish under this address instead of `base_url` in site.toml (e.g. a preview in CI).
    #[arg(
        long,
        value_name = "URL",
        help = "Pubblica a questo indirizzo invece di `base_url` di site.toml (per esempio un'anteprima in CI)"
    )]
    pub(crate) base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long, help = "Tratta gli avvisi come errori")]
    pub(crate) strict: bool,
    /// Publish a draft charter (one without an approval act) on purpose: no warnings for the
    /// draft or the footer links it does not have yet, so --strict accepts it.
    #[arg(
        long,
        help = "Pubblica di proposito una carta in bozza (senza atto di approvazione): nessun avviso per la bozza o per i link del piè di pagina che non ha ancora, così --strict la accetta"
    )]
    pub(crate) allow_draft: bool,
    /// Print only problems.
    #[arg(long, short, help = "Mostra solo i problemi")]
    pub(crate) quiet: bool,
    /// Print the time of each phase (load, checks, render, rewrite, write).
    #[arg(
        long,
        help = "Mostra il tempo di ogni fase (lettura, controlli, impaginazione, riscrittura, scrittura)"
    )]
    pub(crate) timings: bool,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "QUANDO", help = super::COLOR_HELP)]
    pub(crate) color: Color,
    /// Also render the print edition to <name>.pdf and link it from the home page.
    #[arg(
        long,
        help = "Crea anche il PDF dell'edizione stampabile e lo collega dalla pagina iniziale"
    )]
    pub(crate) pdf: bool,
    /// Replace the output folder even without the marker carta leaves in the folders it writes
    /// (once, for a site an older carta wrote). Everything in the folder is deleted.
    #[arg(
        long,
        help = "Sostituisce la cartella di uscita anche senza il segno che carta lascia nelle cartelle che scrive (una volta, per un sito scritto da una versione precedente di carta): tutto ciò che la cartella contiene viene cancellato"
    )]
    pub(crate) force: bool,
    /// PDF engine (with --pdf).
    #[arg(long, value_enum, default_value_t = PdfEngine::Auto, requires = "pdf", value_name = "MOTORE", help = PDF_ENGINE_HELP)]
    pub(crate) pdf_engine: PdfEngine,
}

impl BuildArgs {
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            stylesheet: self.stylesheet.into(),
            strict: self.strict,
            base_url: self.base_url.clone(),
            allow_draft: self.allow_draft,
            pdf: None,
            force: self.force,
        }
    }

    pub(crate) fn engine(&self) -> EngineChoice {
        match self.pdf_engine {
            PdfEngine::Auto => EngineChoice::Auto,
            PdfEngine::Weasyprint => EngineChoice::WeasyPrint,
            PdfEngine::Chromium => EngineChoice::Chromium,
        }
    }
}

/// Says so and returns false when `root` is not a carta project.
pub(super) fn is_project(root: &std::path::Path) -> bool {
    if !root.join("site.toml").is_file() && !root.join("content").is_dir() {
        eprintln!(
            "errore: {} non è la cartella di un progetto carta (mancano site.toml e content/)",
            root.display()
        );
        eprintln!("  = suggerimento: indica con --root la cartella che contiene site.toml");
        return false;
    }
    true
}

/// With --pdf, three steps with a line each: the print edition, the PDF (followed by the
/// fallback engine's `notice`), the whole site written with the PDF linked from the home page.
/// Only the last line counts the pages: the home page and the transparency pack are made after
/// the PDF.
fn progress_lines(
    args: &BuildArgs,
    started: Instant,
    notice: Option<String>,
) -> impl Fn(&Progress<'_>) + '_ {
    move |step: &Progress<'_>| {
        if args.quiet || !args.pdf {
            return;
        }
        match step.output {
            "editions" => println!(
                "carta: [1/3] edizione a stampa generata in {} ms",
                started.elapsed().as_millis()
            ),
            "pdf" => {
                if let Some(pdf) = &step.facts.pdf {
                    println!(
                        "carta: [2/3] PDF impaginato con {} in {} ms",
                        pdf.engine,
                        step.elapsed.as_millis()
                    );
                    if let Some(notice) = &notice {
                        println!("{notice}");
                    }
                }
            }
            _ => {}
        }
    }
}

/// Runs `carta build`: prints the diagnostics and what was written, and returns the exit code
/// (`0` built, `1` content or theme errors, `2` usage error or nothing could be written).
pub fn run(args: &BuildArgs) -> u8 {
    if let Some(base_url) = &args.base_url
        && !crate::forms::is_web_url(base_url)
    {
        eprintln!("errore: --base-url non è un indirizzo web valido: {base_url}");
        eprintln!(
            "  = suggerimento: scrivi l'indirizzo completo, per esempio https://www.comune.example.it/carta/"
        );
        return EXIT_USAGE_OR_IO;
    }
    if !args.quiet {
        super::announce_waits();
    }
    let started = Instant::now();
    if !is_project(&args.root) {
        return EXIT_USAGE_OR_IO;
    }
    let mut options = args.options();
    if args.pdf {
        match pdf::find(args.engine()) {
            Ok(engine) => options.pdf = Some(engine),
            Err(not_found) => {
                eprintln!("errore: {not_found}");
                return EXIT_USAGE_OR_IO;
            }
        }
    }
    let notice = options.pdf.as_ref().and_then(pdf::Engine::fallback_notice);
    let progress = progress_lines(args, started, notice);
    let report = build_with_progress(&options, &progress);
    print_diagnostics(&report.diagnostics, &report.sources, args.color);
    if args.timings {
        println!("{}", timings_line(&report.timings));
    }
    match report.outcome {
        Outcome::Built(summary) => {
            print_leftover(&summary);
            if !args.quiet {
                print!("{}", notes_text(&report.diagnostics));
                for reminder in &summary.reminders {
                    println!("{}", reminder_line(reminder));
                }
                if !summary.bootstrap && args.stylesheet == Stylesheet::Auto {
                    println!(
                        "nota: Bootstrap Italia non è installato, uso il foglio di stile di riserva del tema (per installarlo: npm ci --prefix themes/{})",
                        summary.theme
                    );
                }
                let problems =
                    if report.diagnostics.is_empty() && report.diagnostics.accepted().is_empty() {
                        String::new()
                    } else {
                        format!(", {}", count_line(&report.diagnostics))
                    };
                match &summary.pdf {
                    Some(pdf) => println!(
                        "carta: [3/3] {} pagine ({} file) e {} ({}) scritti in {} in {} ms{problems}",
                        summary.pages,
                        summary.files,
                        pdf.name,
                        size_text(pdf.bytes, ","),
                        summary.output.display(),
                        started.elapsed().as_millis()
                    ),
                    None => println!(
                        "carta: {} pagine ({} file) scritte in {} in {} ms{problems}",
                        summary.pages,
                        summary.files,
                        summary.output.display(),
                        started.elapsed().as_millis()
                    ),
                }
            }
            EXIT_OK
        }
        Outcome::ContentErrors => {
            eprintln!(
                "carta: {}; nessun file scritto, l'output precedente è rimasto com'era",
                count_line(&report.diagnostics)
            );
            EXIT_CONTENT_ERRORS
        }
        Outcome::WriteFailed(state) => {
            eprintln!("{}", write_failed_line(&state));
            EXIT_USAGE_OR_IO
        }
    }
}

/// `tempi (ms): lettura=2.1 controlli=0.3 …`: one line, easy to read and to parse.
fn timings_line(timings: &crate::build::Timings) -> String {
    let label = |phase: &str| {
        match phase {
            "load" => "lettura",
            "validate" => "controlli",
            "render" => "impaginazione",
            "rewrite" => "riscrittura",
            "pack" => "trasparenza",
            "gate" => "sicurezza",
            "write" => "scrittura",
            other => other,
        }
        .to_string()
    };
    let millis = |duration: std::time::Duration| duration.as_secs_f64() * 1000.0;
    let mut parts: Vec<String> = timings
        .phases
        .iter()
        .map(|(phase, duration)| format!("{}={:.1}", label(phase), millis(*duration)))
        .collect();
    parts.push(format!("totale={:.1}", millis(timings.total())));
    format!("tempi (ms): {}", parts.join(" "))
}

/// A reminder as a `nota:` line: what changed and what to do about it.
fn reminder_line(reminder: &Reminder) -> String {
    match reminder {
        Reminder::DateNotUpdated {
            changed,
            last_updated,
        } => {
            let files = match changed.as_slice() {
                [one] => format!("«{one}»"),
                [first, other] => format!("«{first}» e «{other}»"),
                [first, rest @ ..] => format!("«{first}» e altri {} file", rest.len()),
                [] => String::new(),
            };
            format!(
                "nota: dall'ultima build in questa cartella è cambiato {files}, ma `last_updated` in content/charter.yaml è ancora {last_updated}: se il contenuto della carta è cambiato, aggiorna la data (docs/content.md § 4)"
            )
        }
        Reminder::PasteFragment { path } => format!(
            "nota: il frammento per il sito dell'ente ({path}) è cambiato (riporta dimensioni e date dei file): dopo la pubblicazione incollalo di nuovo nella pagina di «Amministrazione trasparente» che rimanda alla carta"
        ),
    }
}
