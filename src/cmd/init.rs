//! `carta init DIR`: a new charter project, blank or copied from another charter.

use std::path::PathBuf;

use super::{Color, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO, count_line, print_diagnostics};
use crate::init::{InitError, InitOptions, init};

#[derive(Debug, Clone, clap::Args)]
/// The options of `carta init`, as clap parses them.
pub struct InitArgs {
    /// Folder of the new project (created; if it exists it must be empty).
    #[arg(
        value_name = "CARTELLA",
        help = "Cartella del nuovo progetto (viene creata; se esiste deve essere vuota)"
    )]
    pub(crate) dir: PathBuf,
    /// Copy this charter (a folder with site.toml and content/) and clear its identity.
    #[arg(
        long,
        value_name = "CARTELLA",
        help = "Copia questa carta (una cartella con site.toml e content/) togliendo l'identità dell'ente"
    )]
    pub(crate) from: Option<PathBuf>,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "QUANDO", help = super::COLOR_HELP)]
    pub(crate) color: Color,
}

/// Runs `carta init`: creates the project, prints what it did and returns the exit code (`0`
/// created, `1` the charter copied from has errors, `2` usage error or the folder cannot be
/// written).
pub fn run(args: &InitArgs) -> u8 {
    let options = InitOptions {
        dir: args.dir.clone(),
        from: args.from.clone(),
    };
    match init(&options) {
        Ok(created) => {
            let dir = created.dir.display();
            match &created.origin {
                Some(origin) => {
                    println!(
                        "carta: creata in {dir} una copia della carta di {origin} ({} file)",
                        created.files
                    );
                    println!(
                        "La copia è una bozza (nessun atto di approvazione) e i suoi impegni hanno gli standard «non ancora definiti»."
                    );
                }
                None => println!(
                    "carta: creato in {dir} un nuovo progetto ({} file)",
                    created.files
                ),
            }
            println!("Ora:");
            println!(
                "  1. scrivi i dati del tuo ente al posto di ogni \"DA COMPILARE\" (site.toml, content/)"
            );
            println!(
                "  2. carta check --root {dir}    elenca cosa manca ancora e i testi da adattare"
            );
            println!("  3. carta build --root {dir}    genera il sito in {dir}/public");
            EXIT_OK
        }
        Err(InitError::Usage(message, hint)) => {
            eprintln!("errore: {message}");
            eprintln!("  = suggerimento: {hint}");
            EXIT_USAGE_OR_IO
        }
        Err(InitError::Content(report)) => {
            let (sources, diagnostics) = *report;
            print_diagnostics(&diagnostics, &sources, args.color);
            eprintln!(
                "carta: la carta da copiare ha {}; correggila prima di copiarla",
                count_line(&diagnostics)
            );
            EXIT_CONTENT_ERRORS
        }
        Err(InitError::Io(path, error)) => {
            eprintln!(
                "errore: impossibile scrivere {}: {}",
                path.display(),
                crate::os_error::italian(&error)
            );
            EXIT_USAGE_OR_IO
        }
    }
}
