//! The `carta` command: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// carta: the Carta dei servizi of an Italian public administration as an accessible website.
#[derive(Debug, Parser)]
#[command(
    name = "carta",
    version,
    about = "carta: la Carta dei servizi di una pubblica amministrazione come sito accessibile, edizione stampabile, PDF e dati aperti"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the site from site.toml and content/ into public/.
    #[command(about = "Genera il sito da site.toml e content/ nella cartella public/")]
    Build(carta::cmd::build::BuildArgs),
    /// Live preview: build, serve on 127.0.0.1, rebuild and reload the pages on every save.
    #[cfg(feature = "serve")]
    #[command(
        about = "Anteprima dal vivo: genera il sito, lo mostra su 127.0.0.1 e lo rigenera e ricarica a ogni salvataggio"
    )]
    Serve(carta::cmd::serve::ServeArgs),
    /// Check everything build checks, plus links, anchors, contacts and leftovers of another ente, without writing.
    #[command(
        about = "Controlla tutto ciò che controlla build, più link, ancore, contatti e residui di un altro ente, senza scrivere nulla"
    )]
    Check(carta::cmd::check::CheckArgs),
    /// Create a new charter project in DIR: blank, or copied from another charter with --from.
    #[command(
        about = "Crea un nuovo progetto di carta nella CARTELLA indicata: vuoto, oppure copiato da un'altra carta con --from"
    )]
    Init(carta::cmd::init::InitArgs),
    /// The built-in theme: list its files, copy one into the project as an override, show what differs.
    #[command(
        about = "Il tema integrato: elenca i file, ne copia uno nel progetto da modificare, mostra le differenze"
    )]
    Theme(carta::cmd::theme::ThemeArgs),
}

/// Parses the command line with Italian help and errors; help and version exit 0, errors 2.
fn parse() -> Result<Cli, ExitCode> {
    let matches = carta::cmd::help::italian(Cli::command()).try_get_matches();
    let error = match matches.and_then(|matches| Cli::from_arg_matches(&matches)) {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    match error.kind() {
        ErrorKind::DisplayHelp => {
            // The help is printed as clap lays it out, from our Italian texts.
            let _ = error.print();
            Err(ExitCode::SUCCESS)
        }
        ErrorKind::DisplayVersion => {
            println!("{}", carta::version::long());
            Err(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!(
                "{}",
                carta::cmd::help::error_message(&error, &Cli::command())
            );
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let code = match &cli.command {
        Command::Build(args) => carta::cmd::build::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => carta::cmd::serve::run(args),
        Command::Check(args) => carta::cmd::check::run(args),
        Command::Init(args) => carta::cmd::init::run(args),
        Command::Theme(args) => carta::cmd::theme::run(args),
    };
    ExitCode::from(code)
}
