//! Write: puts a build's files on disk without ever leaving a half-written site.
//!
//! Files go into a temporary folder next to the output folder; only when all are written is the old
//! output moved aside and the new one renamed into place. A failed build leaves the previous output
//! untouched.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::{Contents, OutputFile};

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists and does not look like a site this tool wrote; it is not replaced.
    NotAnOutputFolder(PathBuf),
    /// The output folder would contain or be the project itself.
    Overlaps(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotAnOutputFolder(path) => write!(
                f,
                "la cartella {} esiste, non è vuota e non contiene un sito generato (manca index.html): non la sostituisco",
                path.display()
            ),
            WriteError::Overlaps(path) => write!(
                f,
                "la cartella di output {} coincide con il progetto o lo contiene",
                path.display()
            ),
            WriteError::Io(path, error) => {
                write!(f, "impossibile scrivere {}: {error}", path.display())
            }
        }
    }
}

/// Writes `files` as the new content of `output`, replacing what was there.
pub fn write_atomically(
    project_root: &Path,
    output: &Path,
    files: &[OutputFile],
) -> Result<(), WriteError> {
    let output = absolute(output);
    let project_root = absolute(project_root);
    if project_root.starts_with(&output)
        || output.starts_with(project_root.join("content"))
        || output.starts_with(project_root.join("themes"))
    {
        return Err(WriteError::Overlaps(output));
    }
    if output.exists() && !looks_like_output(&output) {
        return Err(WriteError::NotAnOutputFolder(output));
    }
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
    let staging = tempfile::Builder::new()
        .prefix(".carta-build-")
        .tempdir_in(&parent)
        .map_err(|e| WriteError::Io(parent.clone(), e))?;

    if let Some(file) = files.iter().find(|file| !is_safe_relative(&file.path)) {
        return Err(WriteError::Io(
            file.path.clone(),
            io::Error::new(io::ErrorKind::InvalidInput, "percorso di output non valido"),
        ));
    }
    // Folders first, once each; then the files, in parallel.
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|file| file.path.parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        let dir = staging.path().join(folder);
        fs::create_dir_all(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.path().join(&file.path);
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Copy(source) => fs::copy(source, &target).map(|_| ()),
        }
        .map_err(|e| WriteError::Io(file.path.clone(), e))
    })?;

    let staged = staging.keep();
    let old = if output.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".carta-old-")
            .tempdir_in(&parent)
            .map_err(|e| WriteError::Io(parent.clone(), e))?
            .keep();
        // The empty placeholder is replaced by the old output in one rename.
        fs::remove_dir(&aside).map_err(|e| WriteError::Io(aside.clone(), e))?;
        fs::rename(&output, &aside).map_err(|e| WriteError::Io(output.clone(), e))?;
        Some(aside)
    } else {
        None
    };
    if let Err(error) = fs::rename(&staged, &output) {
        if let Some(aside) = &old {
            let _ = fs::rename(aside, &output);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(WriteError::Io(output, error));
    }
    if let Some(aside) = old {
        let _ = fs::remove_dir_all(aside);
    }
    Ok(())
}

fn looks_like_output(dir: &Path) -> bool {
    dir.join("index.html").is_file()
        || fs::read_dir(dir)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false)
}

fn is_safe_relative(path: &Path) -> bool {
    path.components()
        .all(|component| matches!(component, Component::Normal(_)))
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Normalise `.` and `..` lexically; the folder may not exist yet.
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_previous_output_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        fs::create_dir_all(&root).unwrap();
        let output = root.join("public");
        write_atomically(
            &root,
            &output,
            &[file("index.html", "uno"), file("a/b.html", "b")],
        )
        .unwrap();
        write_atomically(&root, &output, &[file("index.html", "due")]).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "due"
        );
        assert!(!output.join("a/b.html").exists());
        let leftovers: Vec<_> = fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");

        let foreign = root.join("documenti");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("tesi.odt"), "x").unwrap();
        assert!(matches!(
            write_atomically(&root, &foreign, &[file("index.html", "x")]),
            Err(WriteError::NotAnOutputFolder(_))
        ));
        assert!(matches!(
            write_atomically(&root, &root, &[file("index.html", "x")]),
            Err(WriteError::Overlaps(_))
        ));
        assert!(foreign.join("tesi.odt").exists());
    }
}
