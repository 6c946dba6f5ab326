//! Editors' scratch files: swap files, backups, lock files and the temporary files of "safe" saves.
//!
//! They sit next to the content while a file is open or being saved, and are never content: the
//! loader skips them and `carta serve` does not rebuild when they change.

/// True for a file name that an editor, not a person, put there.
pub(crate) fn is_scratch_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Hidden files: vim swap (`.x.md.swp`), emacs locks (`.#x.md`), gedit (`.goutputstream-…`),
    // LibreOffice locks (`.~lock.x#`), kate (`.x.kate-swp`), macOS `.DS_Store`.
    name.starts_with('.')
        // Backups: vim and emacs `x.md~`, JetBrains' safe write `x.md___jb_tmp___`.
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        // Emacs auto-save `#x.md#`.
        || (name.starts_with('#') && name.ends_with('#'))
        // Vim checks it may write in a folder with a file named `4913` (then 5036, …).
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        // `sed -i` writes `sedXXXXXX` and renames it over the file.
        || (name.len() == 9 && name.starts_with("sed") && name.bytes().all(|b| b.is_ascii_alphanumeric()))
        || [
            ".swp", ".swx", ".swo", ".swn", ".tmp", ".temp", ".bak", ".orig", ".crswap", ".part",
            ".kate-swp",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_editor_files_only() {
        for scratch in [
            ".01-intro.md.swp",
            ".#01-intro.md",
            "#01-intro.md#",
            "01-intro.md~",
            "4913",
            "commitments.yaml.tmp",
            "01-intro.md___jb_tmp___",
            ".goutputstream-AB12CD",
            ".~lock.contacts.yaml#",
            "contacts.yaml.BAK",
            "sedAb12Cd",
        ] {
            assert!(is_scratch_file(scratch), "{scratch}");
        }
        for content in [
            "01-intro.md",
            "commitments.yaml",
            "organization.yaml",
            "2025-note.md",
        ] {
            assert!(!is_scratch_file(content), "{content}");
        }
    }
}
