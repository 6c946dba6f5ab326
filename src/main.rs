//! The `carta` command: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// carta: the Carta dei servizi of an Italian public administration as an accessible website.
#[derive(Debug, Parser)]
#[command(name = "carta", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the site from site.toml and content/ into public/.
    Build(carta::cmd::build::BuildArgs),
    /// Live preview: build, serve on 127.0.0.1, rebuild and reload the pages on every save.
    #[cfg(feature = "serve")]
    Serve(carta::cmd::serve::ServeArgs),
    /// Check everything build checks, plus links, anchors, contacts and leftovers of another ente, without writing.
    Check(carta::cmd::check::CheckArgs),
    /// Create a new charter project in DIR: blank, or copied from another charter with --from.
    Init(carta::cmd::init::InitArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(args) => carta::cmd::build::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => carta::cmd::serve::run(args),
        Command::Check(args) => carta::cmd::check::run(args),
        Command::Init(args) => carta::cmd::init::run(args),
    };
    ExitCode::from(code)
}
