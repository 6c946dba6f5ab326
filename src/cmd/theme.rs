//! `carta theme list | eject PATH | diff PATH`: the built-in theme's files, what the project
//! overrides, copying one file into the project as an override, and what differs.

use std::path::PathBuf;

use super::{EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::theme::ThemeFiles;
use crate::theme::upgrade::{self, Ejected};

/// The options of `carta theme`, as clap parses them.
#[derive(Debug, Clone, clap::Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    pub(crate) action: ThemeAction,
    /// Project folder (with site.toml).
    #[arg(
        long,
        global = true,
        default_value = ".",
        value_name = "CARTELLA",
        help = "Cartella del progetto (quella con site.toml)"
    )]
    pub(crate) root: PathBuf,
}

/// What `carta theme` does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ThemeAction {
    /// List the built-in theme's files and which the project overrides.
    #[command(about = "Elenca i file del tema integrato e quelli che il progetto sostituisce")]
    List,
    /// Copy a built-in file into the project as an override, recording the theme version.
    #[command(
        about = "Copia nel progetto un file del tema integrato da modificare, registrando la versione del tema"
    )]
    Eject {
        /// The file, as `carta theme list` shows it.
        #[arg(
            value_name = "PERCORSO",
            help = "Il file, come lo mostra carta theme list (per esempio templates/partials/footer.html)"
        )]
        path: String,
        /// Replace the project's file.
        #[arg(long, help = "Sostituisce il file che il progetto ha già")]
        force: bool,
        /// Only record the current built-in file for the project's override.
        #[arg(
            long,
            conflicts_with = "force",
            help = "Non copia nulla: registra che il file del progetto tiene conto del tema attuale"
        )]
        record: bool,
    },
    /// Show how the project's override differs from the built-in file.
    #[command(about = "Mostra le differenze tra il file del progetto e quello del tema integrato")]
    Diff {
        /// The file, as `carta theme list` shows it.
        #[arg(
            value_name = "PERCORSO",
            help = "Il file, come lo mostra carta theme list"
        )]
        path: String,
    },
}

/// Runs `carta theme`; exit `0` done, `1` differences found (`diff`), `2` usage or write error.
pub fn run(args: &ThemeArgs) -> u8 {
    match &args.action {
        ThemeAction::List => {
            println!("tema integrato {}:", upgrade::built_in_label());
            for (path, state) in upgrade::list(&args.root) {
                match state {
                    Some(state) => println!("  {path}  (sostituito dal progetto, {state})"),
                    None => println!("  {path}"),
                }
            }
            EXIT_OK
        }
        ThemeAction::Eject {
            path,
            force,
            record,
        } => match upgrade::eject(&args.root, path, *force, *record) {
            Ok(Ejected::Copied(target)) => {
                println!(
                    "carta: copiato {} dal tema {} in {}; registrato in {}",
                    upgrade::theme_path(path),
                    upgrade::built_in_label(),
                    target.display(),
                    upgrade::RECORD
                );
                EXIT_OK
            }
            Ok(Ejected::Recorded) => {
                println!(
                    "carta: registrato che {} tiene conto del tema {}",
                    upgrade::theme_path(path),
                    upgrade::built_in_label()
                );
                EXIT_OK
            }
            Err((message, hint)) => usage(&message, &hint),
        },
        ThemeAction::Diff { path } => diff(&args.root, path),
    }
}

fn usage(message: &str, hint: &str) -> u8 {
    eprintln!("errore: {message}");
    if !hint.is_empty() {
        eprintln!("  = suggerimento: {hint}");
    }
    EXIT_USAGE_OR_IO
}

fn diff(root: &std::path::Path, path: &str) -> u8 {
    let path = upgrade::theme_path(path);
    let Ok(theirs) = ThemeFiles::BuiltIn.read_text(&path) else {
        return usage(
            &format!("il tema integrato non ha il file {path}"),
            "indica un file come lo mostra carta theme list",
        );
    };
    let Ok(ours) = std::fs::read_to_string(root.join(&path)) else {
        return usage(
            &format!("il progetto non ha il file {path}"),
            &format!("per copiarlo dal tema: carta theme eject {path}"),
        );
    };
    if theirs == ours {
        println!(
            "carta: {path} è uguale a quello del tema {}",
            upgrade::built_in_label()
        );
        return EXIT_OK;
    }
    let label = format!("tema {} {path}", upgrade::built_in_label());
    print!(
        "{}",
        similar::TextDiff::from_lines(&theirs, &ours)
            .unified_diff()
            .header(&label, &format!("progetto {path}"))
    );
    EXIT_CONTENT_ERRORS
}
