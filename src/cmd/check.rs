//! `carta check`: everything `build` checks, and more, without writing anything.

use std::path::PathBuf;
use std::time::Duration;

use super::{
    Color, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, count_line, notes_text,
    print_diagnostics,
};
use crate::check::{self, CheckOptions, external};
use crate::diagnostics;

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// Readable diagnostics with the source line, on stderr.
    #[default]
    Human,
    /// One JSON document on stdout (see docs/diagnostics.md).
    Json,
}

#[derive(Debug, Clone, clap::Args)]
/// The options of `carta check`, as clap parses them.
pub struct CheckArgs {
    /// Project folder (with site.toml, content/ and themes/).
    #[arg(
        long,
        default_value = ".",
        value_name = "CARTELLA",
        help = "Cartella del progetto (con site.toml, content/ e themes/)"
    )]
    pub(crate) root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long, help = "Tratta gli avvisi come errori")]
    pub(crate) strict: bool,
    /// Accept a draft charter (one without an approval act): no warnings for the draft or the
    /// footer links it does not have yet, so --strict passes.
    #[arg(
        long,
        help = "Accetta una carta in bozza (senza atto di approvazione): nessun avviso per la bozza o per i link del piè di pagina che non ha ancora, così --strict passa"
    )]
    pub(crate) allow_draft: bool,
    /// Also check that external links (https://…) answer. Needs the network.
    #[arg(
        long,
        help = "Controlla anche che i link esterni (https://…) rispondano; serve la rete"
    )]
    pub(crate) external: bool,
    /// With --external, also request addresses on loopback, private, link-local and other
    /// special-purpose networks (refused by default: see README, «Sicurezza»).
    #[arg(
        long,
        requires = "external",
        help = "Con --external, interroga anche gli indirizzi locali, privati e delle altre reti riservate (rifiutati se non lo chiedi: vedi README, «Sicurezza»)"
    )]
    pub(crate) allow_private_addresses: bool,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300), value_name = "SECONDI", help = "Secondi di attesa per ogni link esterno, da 1 a 300")]
    pub(crate) timeout: u64,
    /// External links requested at the same time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=16), value_name = "NUMERO", help = "Link esterni richiesti contemporaneamente, da 1 a 16")]
    pub(crate) concurrency: u64,
    /// Output format.
    #[arg(
        long,
        value_enum,
        default_value_t = Format::Human,
        value_name = "FORMATO",
        help = "Formato dei risultati: human (leggibile, con la riga del file, su stderr), json (un documento JSON su stdout, vedi docs/diagnostics.md)"
    )]
    pub(crate) format: Format,
    /// Print only problems.
    #[arg(long, short, help = "Mostra solo i problemi")]
    pub(crate) quiet: bool,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "QUANDO", help = super::COLOR_HELP)]
    pub(crate) color: Color,
}

/// Runs `carta check`: prints the diagnostics (or the JSON report) and returns the exit code (`0`
/// no errors, `1` content errors or warnings with `--strict`, `2` usage error).
pub fn run(args: &CheckArgs) -> u8 {
    if !args.root.join("site.toml").is_file() && !args.root.join("content").is_dir() {
        let message = format!(
            "{} non è la cartella di un progetto carta (mancano site.toml e content/)",
            args.root.display()
        );
        let hint = "indica con --root la cartella che contiene site.toml";
        if args.format == Format::Json {
            let document = serde_json::json!({
                "diagnostics": [{
                    "severity": "error", "code": "E111", "message": message,
                    "file": args.root.display().to_string(), "line": null, "column": null,
                    "end_column": null, "hint": hint,
                }],
                "accepted": [],
                "notes": [],
                "errors": 1,
                "warnings": 0,
                "exit_code": EXIT_USAGE_OR_IO,
            });
            println!("{document}");
        } else {
            eprintln!("errore: {message}");
            eprintln!("  = suggerimento: {hint}");
        }
        return EXIT_USAGE_OR_IO;
    }
    if args.external && !cfg!(feature = "external-links") {
        eprintln!(
            "carta: --external non è disponibile: questa versione è compilata senza la funzione `external-links` (cargo build --features external-links)"
        );
        return EXIT_USAGE_OR_IO;
    }
    let options = CheckOptions {
        root: args.root.clone(),
        strict: args.strict,
        allow_draft: args.allow_draft,
        external: args.external.then(|| external::Settings {
            timeout: Duration::from_secs(args.timeout),
            concurrency: args.concurrency as usize,
            allow_private_addresses: args.allow_private_addresses,
        }),
    };
    let report = check::check(&options);
    let code = if report.has_errors() {
        EXIT_CONTENT_ERRORS
    } else {
        EXIT_OK
    };
    match args.format {
        Format::Json => {
            let mut document = diagnostics::to_json(&report.diagnostics, &report.sources);
            document["exit_code"] = code.into();
            println!("{document}");
        }
        Format::Human => {
            print_diagnostics(&report.diagnostics, &report.sources, args.color);
            if !args.quiet {
                print!("{}", notes_text(&report.diagnostics));
            }
            if code == EXIT_OK {
                if !args.quiet {
                    let problems = if report.diagnostics.is_empty()
                        && report.diagnostics.accepted().is_empty()
                    {
                        " (nessun problema)".to_string()
                    } else {
                        format!(", {}", count_line(&report.diagnostics))
                    };
                    println!("carta: controllo superato{problems}");
                }
            } else {
                eprintln!(
                    "carta: {}; correggi prima di pubblicare",
                    count_line(&report.diagnostics)
                );
            }
        }
    }
    code
}
