//! PDF: turns the print edition into a tagged PDF with an external engine.
//!
//! WeasyPrint comes first (`--pdf-variant pdf/ua-1`: tagged, with the document language, the
//! title shown in the window title and bookmarks from the headings; dates come from the page's
//! `dcterms` metadata, so two renders are byte-identical). When it is missing, Chromium's
//! `--print-to-pdf` with its tagging (on by default) and `--generate-pdf-document-outline`; Chromium
//! writes the clock into the PDF's dates. This module only finds and runs the engine on files
//! already written; making it one output of the build is [`crate::output::pdf`]'s job.

use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::model::Date;

/// The WeasyPrint release carta is tested with; `tests/pdf/requirements.txt` pins the same.
pub const WEASYPRINT_VERSION: &str = "70.0";

/// Environment variable naming the WeasyPrint program to run instead of the one on `PATH`.
pub const WEASYPRINT_ENV: &str = "CARTA_WEASYPRINT";
/// Environment variable naming the Chromium program to run instead of the one on `PATH`.
pub const CHROMIUM_ENV: &str = "CARTA_CHROMIUM";

/// Program names searched on `PATH`, in order.
const WEASYPRINT_PROGRAMS: [&str; 1] = ["weasyprint"];
const CHROMIUM_PROGRAMS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The longest an engine may take before it is stopped.
const TIMEOUT: Duration = Duration::from_secs(600);

/// Which engine to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// WeasyPrint when it works, otherwise Chromium.
    #[default]
    Auto,
    /// WeasyPrint only (`--pdf-engine weasyprint`).
    WeasyPrint,
    /// Chromium only (`--pdf-engine chromium`).
    Chromium,
}

/// Which program an engine is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// WeasyPrint, printing PDF/UA-1.
    WeasyPrint,
    /// Chromium (or Google Chrome), printing headless with its tagging.
    Chromium,
}

/// An engine found on this machine.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Which program it is.
    pub kind: EngineKind,
    pub(crate) program: PathBuf,
    /// What the engine says of itself, e.g. `WeasyPrint 70.0`.
    pub(crate) version: String,
}

impl Engine {
    /// One line for the office when the PDF is made by the fallback engine: what it lacks
    /// compared with WeasyPrint and how to get WeasyPrint; `None` for WeasyPrint.
    pub(crate) fn fallback_notice(&self) -> Option<String> {
        match self.kind {
            EngineKind::WeasyPrint => None,
            // Chromium has no `target-counter()`, so the print edition's table of contents
            // cannot show page numbers with it.
            EngineKind::Chromium => Some(format!(
                "nota: {} è il motore PDF di riserva: il PDF è taggato e ha i segnalibri, ma non è PDF/UA-1, l'indice non ha i numeri di pagina (Chromium non sa calcolarli) e le date del file sono quelle della generazione; per un PDF/UA-1 con i numeri di pagina installa WeasyPrint (pip install weasyprint=={WEASYPRINT_VERSION})",
                self.version
            )),
        }
    }
}

/// Why no engine could be used.
#[derive(Debug, Clone)]
pub struct NotFound {
    pub(crate) choice: EngineChoice,
    /// Engines that exist but do not start, with the first line of their complaint.
    pub(crate) broken: Vec<(PathBuf, String)>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let weasyprint = format!(
            "WeasyPrint (pip install weasyprint=={WEASYPRINT_VERSION}; richiede le librerie Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        );
        let chromium = "Chromium (apt-get install chromium)";
        match self.choice {
            EngineChoice::Auto => write!(
                f,
                "nessun motore PDF trovato: installa {weasyprint} oppure {chromium}"
            )?,
            EngineChoice::WeasyPrint => write!(f, "WeasyPrint non trovato: installa {weasyprint}")?,
            EngineChoice::Chromium => write!(f, "Chromium non trovato: installa {chromium}")?,
        }
        for (program, reason) in &self.broken {
            write!(f, "; {} non si avvia: {reason}", program.display())?;
        }
        Ok(())
    }
}

/// The engine failed on the document.
#[derive(Debug, Clone)]
pub(crate) struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Finds an engine that starts. The environment variables [`WEASYPRINT_ENV`] and [`CHROMIUM_ENV`]
/// name a program explicitly; otherwise `PATH` is searched.
pub fn find(choice: EngineChoice) -> Result<Engine, NotFound> {
    let kinds: &[EngineKind] = match choice {
        EngineChoice::Auto => &[EngineKind::WeasyPrint, EngineKind::Chromium],
        EngineChoice::WeasyPrint => &[EngineKind::WeasyPrint],
        EngineChoice::Chromium => &[EngineKind::Chromium],
    };
    let mut broken = Vec::new();
    for &kind in kinds {
        for program in candidates(kind) {
            match version_of(kind, &program) {
                Ok(version) => {
                    return Ok(Engine {
                        kind,
                        program,
                        version,
                    });
                }
                Err(reason) => broken.push((program, reason)),
            }
        }
    }
    Err(NotFound { choice, broken })
}

fn candidates(kind: EngineKind) -> Vec<PathBuf> {
    let (variable, names): (&str, &[&str]) = match kind {
        EngineKind::WeasyPrint => (WEASYPRINT_ENV, &WEASYPRINT_PROGRAMS),
        EngineKind::Chromium => (CHROMIUM_ENV, &CHROMIUM_PROGRAMS),
    };
    if let Some(explicit) = std::env::var_os(variable).filter(|value| !value.is_empty()) {
        return vec![PathBuf::from(explicit)];
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut found = Vec::new();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let program = dir.join(name);
            if is_executable(&program) {
                found.push(program);
                break;
            }
        }
    }
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Runs `<program> --version`; an engine that cannot say its version cannot render either (for
/// WeasyPrint, usually Pango is missing).
fn version_of(kind: EngineKind, program: &Path) -> Result<String, String> {
    let scratch = tempfile::tempdir().map_err(|error| error.to_string())?;
    let mut command = Command::new(program);
    command.arg("--version");
    let run = run(&mut command, scratch.path(), Duration::from_secs(60))?;
    let first_line = |text: &str| {
        text.lines()
            .find(|line| !line.trim().is_empty())
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    if !run.status.success() {
        let complaint = run
            .stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(if complaint.is_empty() {
            format!("esce con {}", run.status)
        } else {
            complaint
        });
    }
    let line = first_line(&run.stdout);
    match kind {
        // "WeasyPrint version 70.0"
        EngineKind::WeasyPrint if line.starts_with("WeasyPrint") => {
            Ok(line.replace(" version ", " "))
        }
        // "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)"
        EngineKind::Chromium if !line.is_empty() => {
            Ok(line.split(" built on ").next().unwrap_or(&line).to_string())
        }
        _ => Err(format!("risposta inattesa a --version: {line:?}")),
    }
}

/// What an engine needs besides the page: the document's date, for engines and tools that honour
/// `SOURCE_DATE_EPOCH`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderOptions {
    pub(crate) date: Date,
}

impl Engine {
    /// Renders `html` (a file of the written site) to `pdf`.
    pub(crate) fn render(
        &self,
        html: &Path,
        pdf: &Path,
        options: &RenderOptions,
    ) -> Result<(), RenderError> {
        let scratch = tempfile::tempdir()
            .map_err(|error| RenderError(format!("cartella temporanea non creata: {error}")))?;
        let mut command = Command::new(&self.program);
        command.env("SOURCE_DATE_EPOCH", epoch_seconds(options.date).to_string());
        match self.kind {
            EngineKind::WeasyPrint => {
                command
                    .args(["--pdf-variant", "pdf/ua-1", "--quiet"])
                    // The print edition needs only its own files: nothing is fetched from the network.
                    .args(["--allowed-protocols", "file"])
                    .arg(html)
                    .arg(pdf);
            }
            EngineKind::Chromium => {
                let mut print_to: OsString = "--print-to-pdf=".into();
                print_to.push(pdf);
                let mut profile: OsString = "--user-data-dir=".into();
                profile.push(scratch.path().join("profile"));
                command
                    .args([
                        "--headless",
                        // The document is the charter's own, read from disk with the network off;
                        // the sandbox cannot start when the build runs as root (as CI does).
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--no-pdf-header-footer",
                        "--generate-pdf-document-outline",
                    ])
                    .arg(profile)
                    .arg(print_to)
                    .arg(file_url(html));
            }
        }
        let run = run(&mut command, scratch.path(), TIMEOUT).map_err(RenderError)?;
        let written = pdf.metadata().map(|meta| meta.len() > 0).unwrap_or(false);
        if run.status.success() && written {
            return Ok(());
        }
        let detail: Vec<&str> = run
            .stderr
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect();
        let tail = detail[detail.len().saturating_sub(3)..].join(" | ");
        Err(RenderError(if run.timed_out {
            format!(
                "{} non ha finito entro {} secondi",
                self.version,
                TIMEOUT.as_secs()
            )
        } else if !run.status.success() {
            format!("{} è uscito con {}: {tail}", self.version, run.status)
        } else {
            format!("{} non ha scritto il PDF: {tail}", self.version)
        }))
    }
}

struct Run {
    status: ExitStatus,
    timed_out: bool,
    stdout: String,
    stderr: String,
}

/// Runs a command with its output in files (no pipe can fill up), stopping it after `timeout`.
fn run(command: &mut Command, scratch: &Path, timeout: Duration) -> Result<Run, String> {
    let out_path = scratch.join("stdout.txt");
    let err_path = scratch.join("stderr.txt");
    let out = File::create(&out_path).map_err(|error| error.to_string())?;
    let err = File::create(&err_path).map_err(|error| error.to_string())?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|error| error.to_string())?;
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().map_err(|error| error.to_string())? {
            Some(status) => break status,
            None if started.elapsed() >= timeout => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(|error| error.to_string())?;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let read = |path: &Path| {
        std::fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    Ok(Run {
        status,
        timed_out,
        stdout: read(&out_path),
        stderr: read(&err_path),
    })
}

/// `file://` URL of an absolute path, percent-encoding what URLs do not allow.
pub(crate) fn file_url(path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Seconds from 1970-01-01 to midnight UTC of `date`.
pub(crate) fn epoch_seconds(date: Date) -> i64 {
    // Days from the civil date (Howard Hinnant's algorithm).
    let year = i64::from(date.year) - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(date.month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(date.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era - 719_468) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_epoch_seconds() {
        let date = |year, month, day| Date { year, month, day };
        assert_eq!(epoch_seconds(date(1970, 1, 1)), 0);
        assert_eq!(epoch_seconds(date(2025, 6, 3)), 1_748_908_800);
        assert_eq!(epoch_seconds(date(2024, 2, 29)), 1_709_164_800);
    }

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/carta prova/stampa/index.html")),
            "file:///tmp/carta%20prova/stampa/index.html"
        );
        assert_eq!(
            file_url(Path::new("/tmp/città/a.html")),
            "file:///tmp/citt%C3%A0/a.html"
        );
    }

    #[test]
    fn the_missing_engine_message_says_how_to_install_one() {
        let message = NotFound {
            choice: EngineChoice::Auto,
            broken: Vec::new(),
        }
        .to_string();
        assert!(!message.contains('\n'));
        assert!(
            message.contains("pip install weasyprint==70.0"),
            "{message}"
        );
        assert!(message.contains("apt-get install chromium"), "{message}");
    }
}
