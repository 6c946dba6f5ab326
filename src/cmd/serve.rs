//! `carta serve`: the live preview. Builds, serves on 127.0.0.1, rebuilds on every save and
//! reloads the open pages; prints what happens.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::build::Stylesheet;
use super::{
    Color, EXIT_OK, EXIT_USAGE_OR_IO, accepted_text, notes_text, print_diagnostics, print_problems,
    problems_line,
};
use crate::build::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::serve::{self, Event, Reporter, ServeError, ServeOptions};
use crate::source::SourceMap;

/// The options of `carta serve`, as clap parses them.
#[derive(Debug, Clone, clap::Args)]
#[allow(
    rustdoc::invalid_html_tags,
    reason = "clap prints these comments as the help, where <root> and <name> are placeholders"
)]
pub struct ServeArgs {
    /// Project folder (with site.toml, content/ and themes/).
    #[arg(
        long,
        default_value = ".",
        value_name = "CARTELLA",
        help = "Cartella del progetto (con site.toml, content/ e themes/)"
    )]
    pub(crate) root: PathBuf,
    /// Output folder, written as by `carta build` [default: <root>/public].
    #[arg(
        long,
        short,
        value_name = "CARTELLA",
        help = "Cartella in cui scrivere il sito, come `carta build` [predefinita: <CARTELLA del progetto>/public]"
    )]
    pub(crate) output: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(
        long,
        short,
        default_value_t = 4000,
        value_name = "PORTA",
        help = "Porta su cui ascoltare; 0 ne sceglie una libera"
    )]
    pub(crate) port: u16,
    /// Address to listen on; 0.0.0.0 makes the preview reachable from other computers (by IP
    /// address).
    #[arg(
        long,
        default_value = "127.0.0.1",
        value_name = "INDIRIZZO",
        help = "Indirizzo su cui ascoltare; 0.0.0.0 rende l'anteprima raggiungibile da altri computer (con l'indirizzo IP)"
    )]
    pub(crate) bind: IpAddr,
    /// Open the preview in the default browser.
    #[arg(long, help = "Apre l'anteprima nel browser predefinito")]
    pub(crate) open: bool,
    /// Stylesheet mode.
    #[arg(long, value_enum, default_value_t = Stylesheet::Auto, value_name = "MODO", help = super::build::STYLESHEET_HELP)]
    pub(crate) stylesheet: Stylesheet,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "QUANDO", help = super::COLOR_HELP)]
    pub(crate) color: Color,
    /// Milliseconds a client may take to send a request's headers. Not in the help: the tests
    /// shorten it.
    #[arg(long, hide = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) header_timeout_ms: Option<u64>,
}

/// Runs `carta serve` until it is stopped, printing each rebuild, and returns the exit code (`0`
/// stopped with Ctrl-C, `2` it could not start or stopped on an error).
pub fn run(args: &ServeArgs) -> u8 {
    if !super::build::is_project(&args.root) {
        return EXIT_USAGE_OR_IO;
    }
    super::announce_waits();
    let options = ServeOptions {
        build: BuildOptions {
            root: args.root.clone(),
            output: args.output.clone(),
            stylesheet: args.stylesheet.into(),
            strict: false,
            base_url: None,
            allow_draft: false,
            pdf: None,
            force: false,
        },
        bind: args.bind,
        port: args.port,
        header_timeout: args
            .header_timeout_ms
            .map_or(serve::HEADER_TIMEOUT, Duration::from_millis),
    };
    let printer = Printer {
        color: args.color,
        bind: args.bind,
        open: args.open,
        root: args.root.clone(),
        stylesheet: args.stylesheet,
        accepted: std::sync::Mutex::default(),
    };
    match serve::serve(&options, Arc::new(printer)) {
        Ok(()) => {
            println!("carta: anteprima chiusa");
            EXIT_OK
        }
        Err(ServeError::Bind { address, error }) => {
            eprintln!(
                "errore: impossibile ascoltare su {address}: {}",
                crate::os_error::italian(&error)
            );
            let hint = if error.kind() == std::io::ErrorKind::AddrInUse {
                "la porta è già usata da un altro programma (forse un'altra anteprima): scegline un'altra con --port, oppure --port 0 per una libera"
            } else {
                "controlla l'indirizzo dato con --bind e la porta data con --port"
            };
            eprintln!("  = suggerimento: {hint}");
            EXIT_USAGE_OR_IO
        }
        Err(ServeError::Watch(message)) => {
            eprintln!("errore: {message}");
            EXIT_USAGE_OR_IO
        }
        Err(ServeError::Output {
            diagnostics,
            sources,
            output,
        }) => {
            print_diagnostics(&diagnostics, &sources, args.color);
            eprintln!("{}", super::write_failed_line(&output));
            EXIT_USAGE_OR_IO
        }
        Err(ServeError::Server(error)) => {
            eprintln!("errore: il server dell'anteprima si è fermato: {error}");
            EXIT_USAGE_OR_IO
        }
    }
}

/// Prints the preview's events to the terminal.
struct Printer {
    color: Color,
    bind: IpAddr,
    open: bool,
    root: PathBuf,
    stylesheet: Stylesheet,
    /// The accepted warnings last printed: the preview tells them once, and again only when they
    /// change, never in the pages' error panel.
    accepted: std::sync::Mutex<String>,
}

impl Printer {
    /// Prints the problems, and the accepted warnings when they are not the ones printed last.
    fn print(&self, diagnostics: &Diagnostics, sources: &SourceMap) {
        print_problems(diagnostics, sources, self.color);
        let accepted = accepted_text(diagnostics, sources) + &notes_text(diagnostics);
        let mut last = self
            .accepted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *last != accepted {
            eprint!("{accepted}");
            *last = accepted;
        }
    }
}

impl Reporter for Printer {
    fn report(&self, event: Event<'_>) {
        match event {
            Event::Listening { url, output } => {
                println!("carta: anteprima su {url} (Ctrl-C per uscire)");
                println!(
                    "carta: osservo site.toml, content/ e themes/; il sito è scritto in {}/",
                    relative(output, &self.root).display()
                );
                if self.bind.is_unspecified() {
                    // Names other than localhost are refused (DNS rebinding): say so up front.
                    println!(
                        "nota: con --bind {} l'anteprima è raggiungibile anche da altri computer della rete, con l'indirizzo IP di questo computer (non con il suo nome)",
                        self.bind
                    );
                } else if !self.bind.is_loopback() {
                    println!(
                        "nota: con --bind {} l'anteprima è raggiungibile anche da altri computer della rete",
                        self.bind
                    );
                }
                if self.open {
                    open_in_browser(url);
                }
            }
            Event::Built {
                changed,
                site,
                written,
                recovered,
                elapsed,
                diagnostics,
                sources,
            } => {
                self.print(diagnostics, sources);
                let problems = if diagnostics.is_empty() {
                    String::new()
                } else {
                    format!(", {}", problems_line(diagnostics))
                };
                let ms = elapsed.as_millis();
                if changed.is_empty() {
                    if !site.bootstrap && self.stylesheet == Stylesheet::Auto {
                        println!(
                            "nota: Bootstrap Italia non è installato, uso il foglio di stile di riserva del tema (per installarlo: npm ci --prefix themes/{})",
                            site.theme
                        );
                    }
                    println!(
                        "carta: {} pagine ({} file) generate in {ms} ms{problems}",
                        site.pages,
                        site.files.len()
                    );
                    return;
                }
                let fixed = if recovered { ", errori corretti" } else { "" };
                if written {
                    let pages = site.rendered.pages;
                    let word = if pages == 1 {
                        "pagina rigenerata"
                    } else {
                        "pagine rigenerate"
                    };
                    println!(
                        "carta: modifica di {}{fixed}: {pages} {word} su {} in {ms} ms{problems}; ricarico le pagine aperte",
                        list(changed),
                        site.pages
                    );
                } else if recovered {
                    println!(
                        "carta: modifica di {}{fixed}: il sito è quello di prima{problems}; tolgo gli errori dalle pagine aperte",
                        list(changed)
                    );
                } else {
                    println!(
                        "carta: modifica di {}: il sito non cambia{problems}",
                        list(changed)
                    );
                }
            }
            Event::Failed {
                changed,
                diagnostics,
                sources,
            } => {
                self.print(diagnostics, sources);
                let after = if changed.is_empty() {
                    String::new()
                } else {
                    format!(" dopo la modifica di {}", list(changed))
                };
                eprintln!(
                    "carta: {}{after}; l'anteprima mostra l'ultima versione corretta e gli errori sulla pagina",
                    problems_line(diagnostics)
                );
            }
            Event::WatchFailed(message) => {
                eprintln!("carta: problema nell'osservare i file: {message}");
            }
        }
    }
}

/// `content/chapters/01.md` or `content/chapters/01.md e altri 2 file`.
fn list(changed: &[PathBuf]) -> String {
    let first = changed
        .first()
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    match changed.len() {
        0 | 1 => first,
        n => format!("{first} e altri {} file", n - 1),
    }
}

fn relative<'a>(path: &'a Path, root: &Path) -> &'a Path {
    path.strip_prefix(root).unwrap_or(path)
}

/// Opens `url` with the system's default browser; a failure is only a note.
fn open_in_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", "", url]);
        command
    } else if cfg!(target_os = "macos") {
        let mut command = std::process::Command::new("open");
        command.arg(url);
        command
    } else {
        let mut command = std::process::Command::new("xdg-open");
        command.arg(url);
        command
    };
    let started = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        println!("nota: non riesco ad aprire il browser; apri {url} a mano");
    }
}
