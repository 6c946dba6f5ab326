//! Reminders after a build: what the office must still do by hand, found by comparing the new site
//! with the one the output folder holds (the last build published there), before it is replaced.
//!
//! The previous site's manifest (`trasparenza/manifest.json`) says which files it was made of,
//! with their SHA-256, and its last update: when a file both sites list has changed but
//! `last_updated` has not, the charter probably changed without its date. The fragment for the
//! ente's CMS carries the files' sizes and dates: when it changed, it must be pasted again.
//! Nothing here is a problem of the content: the build is written either way.

use std::collections::BTreeMap;
use std::path::Path;

use crate::output::{Contents, OutputFile};

/// Something to do by hand once the new site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reminder {
    /// Files of the publication changed since the last build, `last_updated` did not.
    DateNotUpdated {
        /// The changed files' titles, as the manifest names them, in its order.
        changed: Vec<String>,
        /// `last_updated`, as both builds give it (`2025-06-03`).
        last_updated: String,
    },
    /// The fragment for the CMS is not the one the last build wrote.
    PasteFragment {
        /// Its path in the output folder (`trasparenza/frammento.txt`).
        path: String,
    },
}

/// What a manifest says that the reminders need.
struct Listed {
    last_updated: String,
    /// `percorso` → (`titolo`, `sha256`), in the manifest's order by position.
    files: BTreeMap<String, (usize, String, String)>,
}

/// The reminders for `site_files` about to replace what `output_dir` holds; the manifest and the
/// fragment are at `manifest_path` and `fragment_path` in both. No previous site, no reminder.
pub(crate) fn find(
    output_dir: &Path,
    site_files: &[OutputFile],
    manifest_path: &str,
    fragment_path: &str,
) -> Vec<Reminder> {
    let new_bytes = |path: &str| {
        site_files
            .iter()
            .find(|file| crate::output::path_text(file) == path)
            .and_then(|file| match &file.contents {
                Contents::Bytes(bytes) => Some(bytes.clone()),
                Contents::Staged { path, .. } => std::fs::read(path).ok(),
                Contents::Copy(_) | Contents::BuiltIn { .. } => None,
            })
    };
    let old_bytes = |path: &str| std::fs::read(output_dir.join(path)).ok();
    let mut reminders = Vec::new();
    let listed = |bytes: Option<Vec<u8>>| bytes.as_deref().and_then(listed);
    if let (Some(old), Some(new)) = (
        listed(old_bytes(manifest_path)),
        listed(new_bytes(manifest_path)),
    ) && old.last_updated == new.last_updated
    {
        let mut changed: Vec<&(usize, String, String)> = new
            .files
            .iter()
            .filter(|(path, (_, _, sha))| {
                old.files
                    .get(*path)
                    .is_some_and(|(_, _, old_sha)| old_sha != sha)
            })
            .map(|(_, entry)| entry)
            .collect();
        changed.sort();
        if !changed.is_empty() {
            reminders.push(Reminder::DateNotUpdated {
                changed: changed
                    .into_iter()
                    .map(|(_, title, _)| title.clone())
                    .collect(),
                last_updated: new.last_updated,
            });
        }
    }
    if let (Some(old), Some(new)) = (old_bytes(fragment_path), new_bytes(fragment_path))
        && old != new
    {
        reminders.push(Reminder::PasteFragment {
            path: fragment_path.to_string(),
        });
    }
    reminders
}

/// The last update and the files of a manifest; `None` for a file that is not one.
fn listed(bytes: &[u8]) -> Option<Listed> {
    let manifest: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let last_updated = manifest.get("ultimo_aggiornamento")?.as_str()?.to_string();
    let files = manifest
        .get("file")?
        .as_array()?
        .iter()
        .enumerate()
        .filter_map(|(index, file)| {
            let text = |key: &str| file.get(key)?.as_str().map(str::to_string);
            Some((text("percorso")?, (index, text("titolo")?, text("sha256")?)))
        })
        .collect();
    Some(Listed {
        last_updated,
        files,
    })
}
