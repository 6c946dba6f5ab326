//! The command line's own words in Italian: the help's headings, usage, `-h`/`-V` flags, default
//! and possible values, and clap's parse errors. The options' help texts are written next to the
//! options; this module only replaces what clap would print in English.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help page of every command: our headings instead of clap's "Usage:", "Options:"…
const TEMPLATE: &str =
    "{about-with-newline}\nUso: {usage}\n{before-help}{all-sections}{after-help}";

/// Makes `command` and its subcommands speak Italian: the headings, the usage line, the help and
/// version flags, and the default and possible values of each option.
pub fn italian(command: Command) -> Command {
    let command = command
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Mostra la versione"),
        )
        .disable_help_subcommand(true);
    localise(command, None)
}

/// One command and, recursively, its subcommands, each named in its usage line after the
/// commands it is under (`carta theme eject`).
fn localise(command: Command, parent: Option<&str>) -> Command {
    let name = command.get_name().to_string();
    let path = match parent {
        None => name,
        Some(parent) => format!("{parent} {name}"),
    };
    let usage = usage_line(&command, &path);
    let sections = sections(&command);
    command
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Mostra questo aiuto"),
        )
        .mut_args(localise_arg)
        .override_usage(usage)
        .help_template(TEMPLATE.replace("{all-sections}", &sections))
        .mut_subcommands(|sub| localise(sub, Some(&path)))
}

/// The sections of the help page that `command` has, each with an Italian heading.
fn sections(command: &Command) -> String {
    let mut sections = String::new();
    if command.get_positionals().any(|arg| !arg.is_hide_set()) {
        sections.push_str("\nArgomenti:\n{positionals}\n");
    }
    if command.has_subcommands() {
        sections.push_str("\nComandi:\n{subcommands}\n");
    }
    sections.push_str("\nOpzioni:\n{options}\n");
    sections
}

/// `carta build [OPZIONI]`, `carta init [OPZIONI] <CARTELLA>`, `carta [OPZIONI] <COMANDO>`.
fn usage_line(command: &Command, path: &str) -> String {
    let mut usage = format!("{path} [OPZIONI]");
    for positional in command.get_positionals() {
        let name = positional
            .get_value_names()
            .and_then(|names| names.first())
            .map(|name| name.to_string())
            .unwrap_or_else(|| positional.get_id().to_string().to_uppercase());
        usage.push_str(&format!(" <{name}>"));
    }
    if command.has_subcommands() {
        usage.push_str(" <COMANDO>");
    }
    usage
}

/// Writes the default and possible values into the help in Italian, and hides clap's English ones.
fn localise_arg(arg: Arg) -> Arg {
    let mut help = arg.get_help().map(StyledStr::to_string).unwrap_or_default();
    let takes_values = arg.get_action().takes_values();
    let values: Vec<String> = if !takes_values || arg.is_hide_possible_values_set() {
        Vec::new()
    } else {
        arg.get_possible_values()
            .iter()
            .filter(|value| !value.is_hide_set())
            .map(|value| value.get_name().to_string())
            .collect()
    };
    if !values.is_empty() && !help.contains(&values[0]) {
        help.push_str(&format!(" [valori: {}]", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        help.push_str(&format!(" [predefinito: {}]", defaults.join(", ")));
    }
    // A long help written in a doc comment would be clap's English: the Italian one replaces it.
    let arg = match arg.get_long_help() {
        Some(_) => arg.help(help.clone()).long_help(help),
        None => arg.help(help),
    };
    if takes_values {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// clap's parse error in Italian, with a hint: what `carta` prints instead of clap's English.
/// `command` is the command line's definition, for the names of its commands.
pub fn error_message(error: &clap::Error, command: &Command) -> String {
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(value)) => value.clone(),
        Some(ContextValue::Strings(values)) => values.join(", "),
        Some(ContextValue::StyledStr(value)) => value.to_string(),
        Some(ContextValue::StyledStrs(values)) => values
            .iter()
            .map(StyledStr::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(value)) => value.to_string(),
        _ => String::new(),
    };
    let argument = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let suggested = context(ContextKind::SuggestedArg);
    let suggested_command = context(ContextKind::SuggestedSubcommand);
    let valid = context(ContextKind::ValidValue);
    let mut message = match error.kind() {
        ErrorKind::UnknownArgument => format!("opzione sconosciuta: `{argument}`"),
        ErrorKind::InvalidSubcommand => format!(
            "comando sconosciuto: `{}`",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("manca il valore di `{argument}`")
        }
        ErrorKind::InvalidValue => format!("valore non valido per `{argument}`: `{value}`"),
        ErrorKind::ValueValidation => {
            format!("valore non valido per `{argument}`: `{value}`")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("manca un argomento obbligatorio: {argument}")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let names: Vec<&str> = command.get_subcommands().map(Command::get_name).collect();
            match names.split_last() {
                Some((last, [])) => format!("manca il comando: {last}"),
                Some((last, rest)) => format!("manca il comando: {} o {last}", rest.join(", ")),
                None => "manca il comando".to_string(),
            }
        }
        ErrorKind::ArgumentConflict => {
            format!("`{argument}` non si può usare insieme a un'altra opzione data")
        }
        ErrorKind::NoEquals => format!("`{argument}` vuole il valore dopo un `=`"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("numero di valori sbagliato per `{argument}`")
        }
        _ => format!(
            "riga di comando non valida ({})",
            error.kind().as_str().unwrap_or("errore")
        ),
    };
    if !valid.is_empty() {
        message.push_str(&format!("\n  = valori ammessi: {valid}"));
    }
    if !suggested.is_empty() {
        message.push_str(&format!(
            "\n  = suggerimento: forse intendevi `{suggested}`?"
        ));
    } else if !suggested_command.is_empty() {
        message.push_str(&format!(
            "\n  = suggerimento: forse intendevi `{suggested_command}`?"
        ));
    }
    format!(
        "errore: {message}\n  = per l'elenco delle opzioni: carta --help (o carta COMANDO --help)"
    )
}
