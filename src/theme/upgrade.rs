//! Upgrades: what a project should know when carta's built-in theme moves on. A copy of the
//! built-in theme left in `themes/agid/` (from a carta that copied it) is reported as safe to
//! delete when every file is one the theme has shipped, or with the files that differ; an
//! override copied with `carta theme eject` is recorded in `.carta-theme.toml` with the theme
//! version and the SHA-256 of the built-in file it came from, so that a later carta can say the
//! built-in file changed since.
//!
//! It only reads the project; `carta theme eject` ([`eject`]) is the one writer of the record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::files::{self, ThemeFiles};
use crate::diagnostics::Diagnostic;

/// The record of the project's overrides copied from the built-in theme, in the project folder.
pub(crate) const RECORD: &str = ".carta-theme.toml";

/// Every version of every file the built-in theme has shipped: `<sha256> <path>` per line
/// (`themes/agid/history.sh` appends the current files; a test keeps it complete).
const HISTORY: &str = include_str!("../../themes/agid/history.txt");

/// The theme's own source folder holds this script (`carta init` never copied it): in carta's
/// repository `themes/agid/` is where the built-in theme is made, not a copy of it.
const SOURCE_MARK: &str = "vendor.sh";

/// What a run tells about the project's copy of the theme and its overrides.
#[derive(Debug, Clone, Default)]
pub(crate) struct Findings {
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) notes: Vec<String>,
}

/// The record file: one entry per override.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Record {
    #[serde(default, rename = "override")]
    pub(crate) overrides: Vec<Override>,
}

/// One override: the project's file, the theme version it was copied from, and the SHA-256 of
/// the built-in file then.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Override {
    pub(crate) path: String,
    pub(crate) theme: String,
    pub(crate) sha256: String,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// "agid 0.1.0": the built-in theme and its version.
pub(crate) fn built_in_label() -> String {
    format!("{} {}", files::BUILT_IN, files::theme_version())
}

/// Whether `hash` is the SHA-256 of a version of the built-in file `path` that carta has shipped.
fn is_known(path: &str, hash: &str) -> bool {
    HISTORY.lines().any(|line| {
        line.split_once(' ')
            .is_some_and(|(known, known_path)| known == hash && known_path == path)
    })
}

/// The copy of the built-in theme in the project (`themes/agid/`) and the recorded overrides.
pub(crate) fn inspect(root: &Path, theme: &str) -> Findings {
    let mut findings = Findings::default();
    copy(root, &mut findings);
    if theme == files::BUILT_IN {
        overrides(root, &mut findings);
    }
    findings
}

fn copy(root: &Path, findings: &mut Findings) {
    let shown = Path::new("themes").join(files::BUILT_IN);
    let dir = root.join(&shown);
    if !dir.is_dir() || dir.join(SOURCE_MARK).is_file() {
        return;
    }
    let copy = ThemeFiles::Folder {
        dir,
        shown: shown.clone(),
    };
    let mut names = Vec::new();
    for folder in ["templates", "static"] {
        names.extend(copy.list(folder).unwrap_or_default());
    }
    if copy.has("strings.toml") {
        names.push("strings.toml".to_string());
    }
    let differ: Vec<String> = names
        .into_iter()
        .filter(|name| {
            copy.read(name)
                .map_or(true, |bytes| !is_known(name, &sha256_hex(&bytes)))
        })
        .collect();
    let folder = format!("{}/", shown.display());
    if differ.is_empty() {
        findings.notes.push(format!(
            "{folder} è una copia non modificata del tema che carta contiene ({}): carta usa il proprio e la cartella si può cancellare",
            built_in_label()
        ));
    } else {
        findings.warnings.push(
            Diagnostic::warning(
                "W260",
                format!(
                    "{folder} è una copia modificata del tema che carta contiene ({}): carta usa il proprio e non questa copia; file diversi: {}",
                    built_in_label(),
                    differ.join(", ")
                ),
            )
            .at_path(&shown)
            .with_hint(format!(
                "porta ogni modifica in templates/ o static/ del progetto (carta theme eject PERCORSO copia lì un file del tema da modificare, per esempio carta theme eject {}), poi cancella {folder}",
                differ[0]
            )),
        );
    }
}

/// The record, when the project has one; an unreadable or invalid one is a warning.
pub(crate) fn read_record(root: &Path) -> Result<Record, Diagnostic> {
    let path = root.join(RECORD);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Record::default());
        }
        Err(error) => {
            return Err(Diagnostic::warning(
                "W262",
                format!(
                    "impossibile leggere il registro delle copie del tema: {}",
                    crate::os_error::italian(&error)
                ),
            )
            .at_path(RECORD));
        }
    };
    toml::from_str(&text).map_err(|error| {
        Diagnostic::warning(
            "W262",
            format!(
                "registro delle copie del tema non valido: {}",
                error.message()
            ),
        )
        .at_path(RECORD)
        .with_hint("il file è scritto da carta theme eject: cancellalo e ripeti carta theme eject per ogni file copiato")
    })
}

fn overrides(root: &Path, findings: &mut Findings) {
    let record = match read_record(root) {
        Ok(record) => record,
        Err(warning) => {
            findings.warnings.push(warning);
            return;
        }
    };
    let built_in = ThemeFiles::BuiltIn;
    for entry in &record.overrides {
        if !root.join(&entry.path).is_file() {
            continue;
        }
        let now = built_in.read(&entry.path).map(|bytes| sha256_hex(&bytes));
        let message = match now {
            Ok(now) if now == entry.sha256 => continue,
            Ok(_) => format!(
                "{} sostituisce un file del tema che è cambiato dopo la copia (copiato da {}, ora {})",
                entry.path,
                entry.theme,
                built_in_label()
            ),
            Err(_) => format!(
                "{} sostituisce un file che il tema non ha più (copiato da {}, ora {})",
                entry.path,
                entry.theme,
                built_in_label()
            ),
        };
        findings.warnings.push(
            Diagnostic::warning("W261", message)
                .at_path(&entry.path)
                .with_hint(format!(
                    "leggi le differenze con: carta theme diff {0}; riporta nella tua copia ciò che serve, poi registralo con: carta theme eject --record {0}",
                    entry.path
                )),
        );
    }
}

/// A theme file's path as `carta theme` takes it: `templates/base.html`, also written as
/// `themes/agid/templates/base.html`.
pub(crate) fn theme_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let prefix = format!("themes/{}/", files::BUILT_IN);
    path.strip_prefix(&prefix).unwrap_or(&path).to_string()
}

/// Whether a built-in file can be overridden by the project: templates and static files.
pub(crate) fn can_override(path: &str) -> bool {
    path.starts_with("templates/") || path.starts_with("static/")
}

/// The built-in files with, for each, whether the project overrides it and the recorded version.
pub(crate) fn list(root: &Path) -> Vec<(String, Option<String>)> {
    let record = read_record(root).unwrap_or_default();
    let recorded: BTreeMap<&str, &str> = record
        .overrides
        .iter()
        .map(|entry| (entry.path.as_str(), entry.theme.as_str()))
        .collect();
    let built_in = ThemeFiles::BuiltIn;
    let mut names = Vec::new();
    for folder in ["templates", "static"] {
        names.extend(built_in.list(folder).unwrap_or_default());
    }
    names
        .into_iter()
        .map(|name| {
            let state = root.join(&name).is_file().then(|| {
                recorded
                    .get(name.as_str())
                    .map_or_else(|| "senza registro".to_string(), |v| format!("da {v}"))
            });
            (name, state)
        })
        .collect()
}

/// What `carta theme eject` did.
pub(crate) enum Ejected {
    Copied(PathBuf),
    Recorded,
}

/// Copies the built-in file `path` into the project at `root` and records it; with `record_only`
/// only records the current built-in file for an override the project already has.
pub(crate) fn eject(
    root: &Path,
    path: &str,
    force: bool,
    record_only: bool,
) -> Result<Ejected, (String, String)> {
    let path = theme_path(path);
    let built_in = ThemeFiles::BuiltIn;
    if !can_override(&path) || !built_in.has(&path) {
        return Err((
            format!("il tema che carta contiene non ha il file {path}"),
            "indica un file di templates/ o static/ come li elenca carta theme list, per esempio templates/partials/footer.html".into(),
        ));
    }
    let bytes = built_in
        .read(&path)
        .map_err(|e| (e.to_string(), String::new()))?;
    let target = root.join(&path);
    let io = |error: std::io::Error| {
        (
            format!(
                "impossibile scrivere {}: {}",
                target.display(),
                crate::os_error::italian(&error)
            ),
            "controlla i permessi della cartella del progetto".to_string(),
        )
    };
    if record_only {
        if !target.is_file() {
            return Err((
                format!("il progetto non ha il file {path}"),
                format!("per copiarlo dal tema: carta theme eject {path}"),
            ));
        }
    } else {
        if target.exists() && !force {
            return Err((
                format!("il progetto ha già il file {path}"),
                format!(
                    "per sostituirlo con quello del tema: carta theme eject --force {path}; per registrare solo che lo hai aggiornato: carta theme eject --record {path}"
                ),
            ));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, &bytes).map_err(io)?;
    }
    let mut record = read_record(root).unwrap_or_default();
    record.overrides.retain(|entry| entry.path != path);
    record.overrides.push(Override {
        path: path.clone(),
        theme: built_in_label(),
        sha256: sha256_hex(&bytes),
    });
    record.overrides.sort_by(|a, b| a.path.cmp(&b.path));
    let text = format!(
        "# Scritto da carta theme eject: per ogni file del tema copiato nel progetto, la versione del\n# tema da cui viene e l'impronta SHA-256 del file di allora (carta check avvisa quando cambia).\n\n{}",
        toml::to_string(&record).unwrap_or_default()
    );
    std::fs::write(root.join(RECORD), text).map_err(|error| {
        (
            format!(
                "impossibile scrivere {RECORD}: {}",
                crate::os_error::italian(&error)
            ),
            String::new(),
        )
    })?;
    Ok(if record_only {
        Ejected::Recorded
    } else {
        Ejected::Copied(target)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_file_is_in_the_history() {
        let built_in = ThemeFiles::BuiltIn;
        let mut names = vec!["strings.toml".to_string()];
        for folder in ["templates", "static"] {
            names.extend(built_in.list(folder).unwrap());
        }
        let missing: Vec<&String> = names
            .iter()
            .filter(|name| !is_known(name, &sha256_hex(&built_in.read(name).unwrap())))
            .collect();
        assert!(
            missing.is_empty(),
            "run themes/agid/history.sh: these built-in files are not in themes/agid/history.txt: {missing:?}"
        );
    }
}
