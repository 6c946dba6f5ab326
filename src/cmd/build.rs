//! `carta build`: generates the site into the output folder.

use std::path::PathBuf;
use std::time::Instant;

use super::{Color, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, count_line, print_diagnostics};
use crate::build::{BuildOptions, Outcome, build};
use crate::theme::StylesheetMode;

/// Which stylesheet to use, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Stylesheet {
    /// Bootstrap Italia when installed in the theme, otherwise the theme's fallback stylesheet.
    #[default]
    Auto,
    /// Bootstrap Italia; fails when it is not installed.
    Bootstrap,
    /// The theme's small fallback stylesheet.
    Fallback,
}

#[derive(Debug, Clone, clap::Args)]
pub struct BuildArgs {
    /// Project folder (with site.toml, content/ and themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: <root>/public].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Stylesheet mode.
    #[arg(long, value_enum, default_value_t = Stylesheet::Auto)]
    pub stylesheet: Stylesheet,
    /// Publish under this address instead of `base_url` in site.toml (e.g. a preview in CI).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print only problems.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

pub fn run(args: &BuildArgs) -> u8 {
    let started = Instant::now();
    if !args.root.join("site.toml").is_file() && !args.root.join("content").is_dir() {
        eprintln!(
            "errore: {} non è la cartella di un progetto carta (mancano site.toml e content/)",
            args.root.display()
        );
        eprintln!("  = suggerimento: indica con --root la cartella che contiene site.toml");
        return EXIT_USAGE_OR_IO;
    }
    if let Some(base_url) = &args.base_url
        && !crate::forms::is_web_url(base_url)
    {
        eprintln!("errore: --base-url non è un indirizzo web valido: {base_url}");
        eprintln!(
            "  = suggerimento: scrivi l'indirizzo completo, per esempio https://www.comune.example.it/carta/"
        );
        return EXIT_USAGE_OR_IO;
    }
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        stylesheet: match args.stylesheet {
            Stylesheet::Auto => StylesheetMode::Auto,
            Stylesheet::Bootstrap => StylesheetMode::Bootstrap,
            Stylesheet::Fallback => StylesheetMode::Fallback,
        },
        strict: args.strict,
        base_url: args.base_url.clone(),
    };
    let report = build(&options);
    print_diagnostics(&report.diagnostics, &report.sources, args.color);
    match report.outcome {
        Outcome::Built(summary) => {
            if !args.quiet {
                if !summary.bootstrap && args.stylesheet == Stylesheet::Auto {
                    println!(
                        "nota: Bootstrap Italia non è installato, uso il foglio di stile di riserva del tema (per installarlo: npm ci --prefix themes/{})",
                        summary.theme
                    );
                }
                let problems = if report.diagnostics.is_empty() {
                    String::new()
                } else {
                    format!(", {}", count_line(&report.diagnostics))
                };
                println!(
                    "carta: {} pagine ({} file) scritte in {} in {} ms{problems}",
                    summary.pages,
                    summary.files,
                    summary.output.display(),
                    started.elapsed().as_millis()
                );
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
        Outcome::WriteFailed => {
            eprintln!("carta: scrittura non riuscita; l'output precedente è rimasto com'era");
            EXIT_USAGE_OR_IO
        }
    }
}
