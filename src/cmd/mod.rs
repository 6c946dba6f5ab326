//! Command layer: one module per subcommand. Each parses nothing itself (clap does that in
//! `main.rs`), calls the library, prints the result and chooses the exit code.

pub mod build;
pub mod check;
pub mod help;
pub mod init;
#[cfg(feature = "serve")]
pub mod serve;
pub mod theme;

use std::io::IsTerminal;

use crate::diagnostics::{self, Diagnostics};
use crate::output::write::OutputState;
use crate::source::SourceMap;

/// Exit codes, documented in the README.
pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_CONTENT_ERRORS: u8 = 1;
pub(crate) const EXIT_USAGE_OR_IO: u8 = 2;

/// The help of `--color`, in Italian.
pub(crate) const COLOR_HELP: &str = "Quando colorare i messaggi: auto (solo nel terminale, e se NO_COLOR non è impostata), always (sempre), never (mai)";

/// When to colour diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Prints every diagnostic to stderr, then a count line.
/// Prints the problems, then the warnings site.toml accepts, each with its reason.
pub(crate) fn print_diagnostics(diagnostics: &Diagnostics, sources: &SourceMap, color: Color) {
    print_problems(diagnostics, sources, color);
    eprint!("{}", accepted_text(diagnostics, sources));
}

/// Prints the problems only.
pub(crate) fn print_problems(diagnostics: &Diagnostics, sources: &SourceMap, color: Color) {
    let color = color.enabled();
    for diagnostic in diagnostics.iter() {
        eprintln!("{}", diagnostics::render(diagnostic, sources, color));
    }
}

/// The accepted warnings as printed, one block each (empty when there are none).
pub(crate) fn accepted_text(diagnostics: &Diagnostics, sources: &SourceMap) -> String {
    diagnostics
        .accepted()
        .iter()
        .map(|accepted| diagnostics::render_accepted(accepted, sources) + "\n")
        .collect()
}

/// The run's notes, one `nota: …` line each (empty when there are none).
pub(crate) fn notes_text(diagnostics: &Diagnostics) -> String {
    diagnostics
        .notes()
        .iter()
        .map(|note| format!("nota: {note}\n"))
        .collect()
}

/// "2 errori e 1 avviso" in Italian.
pub(crate) fn count_line(diagnostics: &Diagnostics) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let accepted = diagnostics.accepted().len();
    let accepted_words = plural(accepted, "avviso accettato", "avvisi accettati");
    match (errors, warnings) {
        (0, 0) if accepted > 0 => accepted_words,
        (0, 0) => "nessun problema".to_string(),
        _ if accepted > 0 => format!(
            "{}, {accepted_words}",
            count_line_of(errors, warnings, &plural)
        ),
        _ => count_line_of(errors, warnings, &plural),
    }
}

/// The errors and warnings alone, without the accepted ones (the preview tells those once).
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn problems_line(diagnostics: &Diagnostics) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    count_line_of(
        diagnostics.error_count(),
        diagnostics.warning_count(),
        &plural,
    )
}

/// «2 errori», «1 avviso», «2 errori e 1 avviso».
fn count_line_of(
    errors: usize,
    warnings: usize,
    plural: &dyn Fn(usize, &str, &str) -> String,
) -> String {
    match (errors, warnings) {
        (0, 0) => "nessun problema".to_string(),
        (e, 0) => plural(e, "errore", "errori"),
        (0, w) => plural(w, "avviso", "avvisi"),
        (e, w) => format!(
            "{} e {}",
            plural(e, "errore", "errori"),
            plural(w, "avviso", "avvisi")
        ),
    }
}

/// The last line of a run whose output could not be written: what the output folder holds now.
pub(crate) fn write_failed_line(state: &OutputState) -> String {
    match state {
        OutputState::Unchanged => {
            "carta: scrittura non riuscita; l'output precedente è rimasto com'era".to_string()
        }
        OutputState::Moved { to: previous, .. } => format!(
            "carta: scrittura non riuscita; la cartella di output non c'è più: il sito precedente è in {}, e la prossima build lo rimette al suo posto",
            previous.display()
        ),
        OutputState::Mixed => "carta: scrittura non riuscita; l'output contiene in parte i file nuovi e in parte i precedenti: la prossima build lo riscrive per intero".to_string(),
    }
}

/// Says once, on stderr, that a build waits for another one writing into the same folder.
pub(crate) fn announce_waits() {
    crate::output::write::on_wait(|output| {
        eprintln!(
            "carta: un'altra build sta scrivendo in {}, attendo",
            output.display()
        );
    });
}

/// Says what of the previous site is left behind, when something is.
pub(crate) fn print_leftover(summary: &crate::build::Summary) {
    if let Some(leftover) = &summary.leftover {
        eprintln!("nota: {leftover}");
    }
}
