//! Write: puts a build's files on disk without ever leaving a half-written site.
//!
//! Files go into a temporary folder next to the output folder; only when all are written is the old
//! output moved aside and the new one renamed into place. A failed build leaves the previous output
//! untouched.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::manifest::Hasher;
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
    Staging::new(project_root, output)?.publish(files)
}

/// A build's output while it is being written: a temporary folder next to the output folder.
///
/// A build writes its pages here as soon as each is ready (so a site of thousands of pages is never
/// held in memory at once), then [`Staging::publish`] writes the rest and swaps the folder in.
/// Dropped without publishing (the build failed), the folder is removed and the output is as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    /// Checks that `output` may be replaced and makes the temporary folder beside it.
    pub fn new(project_root: &Path, output: &Path) -> Result<Staging, WriteError> {
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
        let dir = tempfile::Builder::new()
            .prefix(".carta-build-")
            .tempdir_in(&parent)
            .map_err(|e| WriteError::Io(parent.clone(), e))?;
        Ok(Staging {
            output,
            parent,
            dir,
        })
    }

    /// Writes one file now from its pieces, in order, and returns it as a file of the output that
    /// is already written ([`Contents::Staged`]). Safe to call from many threads at once.
    pub fn write_now(&self, path: &Path, pieces: &[&[u8]]) -> Result<OutputFile, WriteError> {
        let mut file = self.create(path, false)?;
        for piece in pieces {
            file.write(piece)?;
        }
        file.finish()
    }

    /// Opens one file to be written piece by piece, for a file too large to assemble first; with
    /// `digest`, its size and SHA-256 are taken on the way (for a file the manifest lists).
    pub fn create(&self, path: &Path, digest: bool) -> Result<StagedFile, WriteError> {
        if !is_safe_relative(path) {
            return Err(invalid_path(path));
        }
        let target = self.dir.path().join(path);
        let io_error = |e| WriteError::Io(path.to_path_buf(), e);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(io_error)?;
        }
        let file = fs::File::create(&target).map_err(io_error)?;
        Ok(StagedFile {
            path: path.to_path_buf(),
            target,
            file,
            hasher: digest.then(Hasher::default),
        })
    }

    /// Writes `files` (those not written yet) and puts the folder in place of the output.
    pub fn publish(self, files: &[OutputFile]) -> Result<(), WriteError> {
        let Staging {
            output,
            parent,
            dir,
        } = self;
        if let Some(file) = files.iter().find(|file| !is_safe_relative(&file.path)) {
            return Err(invalid_path(&file.path));
        }
        let pending: Vec<&OutputFile> = files
            .iter()
            .filter(|file| !matches!(file.contents, Contents::Staged { .. }))
            .collect();
        // Folders first, once each; then the files, in parallel.
        let folders: BTreeSet<PathBuf> = pending
            .iter()
            .filter_map(|file| file.path.parent().map(Path::to_path_buf))
            .collect();
        for folder in &folders {
            let folder = dir.path().join(folder);
            fs::create_dir_all(&folder).map_err(|e| WriteError::Io(folder.clone(), e))?;
        }
        pending.par_iter().try_for_each(|file| {
            let target = dir.path().join(&file.path);
            match &file.contents {
                Contents::Bytes(bytes) => fs::write(&target, bytes),
                Contents::Copy(source) => fs::copy(source, &target).map(|_| ()),
                Contents::Staged { .. } => Ok(()),
            }
            .map_err(|e| WriteError::Io(file.path.clone(), e))
        })?;

        let staged = dir.keep();
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
            remove_tree(&aside);
        }
        Ok(())
    }
}

/// A file of the staging folder being written (see [`Staging::create`]).
pub struct StagedFile {
    path: PathBuf,
    target: PathBuf,
    file: fs::File,
    hasher: Option<Hasher>,
}

impl StagedFile {
    pub fn write(&mut self, piece: &[u8]) -> Result<(), WriteError> {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(piece);
        }
        self.file
            .write_all(piece)
            .map_err(|e| WriteError::Io(self.path.clone(), e))
    }

    /// The file as a file of the output, already written.
    pub fn finish(self) -> Result<OutputFile, WriteError> {
        Ok(OutputFile {
            path: self.path,
            contents: Contents::Staged {
                path: self.target,
                digest: self.hasher.map(Hasher::finish),
            },
        })
    }
}

fn invalid_path(path: &Path) -> WriteError {
    WriteError::Io(
        path.to_path_buf(),
        io::Error::new(io::ErrorKind::InvalidInput, "percorso di output non valido"),
    )
}

/// Brings `output`, which holds exactly the files `previous` (as written by [`write_atomically`] or
/// by this function), to `files`: writes the files whose path or generated bytes differ, each into
/// a temporary file renamed over the old one, and removes the files that are gone. Returns how many
/// files it wrote or removed.
///
/// Files are replaced one by one, so a reader may see some new and some old files; `carta serve`
/// holds its requests meanwhile. Copied files are compared by source path only: when their sources
/// may have changed (a theme), use [`write_atomically`].
pub fn update_in_place(
    output: &Path,
    previous: &[OutputFile],
    files: &[OutputFile],
) -> Result<usize, WriteError> {
    let before: std::collections::BTreeMap<&Path, &Contents> = previous
        .iter()
        .map(|file| (file.path.as_path(), &file.contents))
        .collect();
    let after: std::collections::BTreeSet<&Path> =
        files.iter().map(|file| file.path.as_path()).collect();
    let mut changed = 0;
    for file in files {
        if before.get(file.path.as_path()) == Some(&&file.contents) {
            continue;
        }
        if !is_safe_relative(&file.path) {
            return Err(invalid_path(&file.path));
        }
        let target = output.join(&file.path);
        let dir = target.parent().unwrap_or(output);
        fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        // Written like `write_atomically` writes (same permissions), then renamed over the old.
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let temporary = dir.join(format!(".{name}.carta-new"));
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&temporary, bytes),
            Contents::Copy(source) | Contents::Staged { path: source, .. } => {
                fs::copy(source, &temporary).map(|_| ())
            }
        }
        .and_then(|()| fs::rename(&temporary, &target))
        .map_err(|e| {
            let _ = fs::remove_file(&temporary);
            WriteError::Io(file.path.clone(), e)
        })?;
        changed += 1;
    }
    for gone in before.keys().filter(|path| !after.contains(*path)) {
        if !is_safe_relative(gone) {
            continue;
        }
        let target = output.join(gone);
        match fs::remove_file(&target) {
            Ok(()) => changed += 1,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(WriteError::Io(gone.to_path_buf(), error)),
        }
        // Folders left empty (a removed chapter's) go too; `remove_dir` fails on the others.
        let mut dir = target.parent();
        while let Some(folder) = dir.filter(|folder| *folder != output) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
            dir = folder.parent();
        }
    }
    Ok(changed)
}

/// Removes the previous output: its files in parallel (a site has thousands), then its folders.
/// Links are removed, never followed. What cannot be removed is left; the new site is in place.
fn remove_tree(dir: &Path) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|file| {
        let _ = fs::remove_file(file);
    });
    // Deepest first, so every folder is empty when its turn comes.
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(folder);
    }
    let _ = fs::remove_dir_all(dir);
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

    /// A temporary folder holding an empty `project` folder, and the project's `public` path.
    fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        fs::create_dir_all(&root).unwrap();
        let output = root.join("public");
        (dir, root, output)
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_previous_output_and_refuses_foreign_folders() {
        let (_dir, root, output) = project();
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

    #[test]
    fn staged_pages_are_published_with_the_rest_or_dropped_with_the_staging() {
        let (dir, root, output) = project();
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();

        // Dropped (a failed build): the staged page goes, the old output stays.
        let staging = Staging::new(&root, &output).unwrap();
        staging
            .write_now(Path::new("a/index.html"), &[b"<p>", b"nuovo", b"</p>"])
            .unwrap();
        drop(staging);
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "vecchio"
        );
        assert!(!output.join("a").exists());
        let names = |dir: &Path| {
            let mut names: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&root), ["public"], "no staging folder left behind");

        // Published: the pieces in order, next to the files written at the end.
        let staging = Staging::new(&root, &output).unwrap();
        let page = staging
            .write_now(Path::new("a/index.html"), &[b"<p>", b"nuovo", b"</p>"])
            .unwrap();
        assert!(matches!(
            page.contents,
            Contents::Staged { digest: None, .. }
        ));
        assert!(matches!(
            staging.write_now(Path::new("../fuori.html"), &[b"x"]),
            Err(WriteError::Io(..))
        ));
        staging
            .publish(&[page, file("index.html", "nuovo")])
            .unwrap();
        assert_eq!(
            fs::read_to_string(output.join("a/index.html")).unwrap(),
            "<p>nuovo</p>"
        );
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "nuovo"
        );
        assert!(!dir.path().join("fuori.html").exists());
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn updates_only_changed_files_and_removes_the_gone() {
        let (_dir, root, output) = project();
        let first = [
            file("index.html", "uno"),
            file("a/index.html", "a"),
            file("b/c/index.html", "c"),
        ];
        write_atomically(&root, &output, &first).unwrap();
        let second = [
            file("index.html", "due"),
            file("a/index.html", "a"),
            file("d/index.html", "d"),
        ];
        assert_eq!(update_in_place(&output, &first, &second).unwrap(), 3);
        let fresh = root.join("fresh");
        write_atomically(&root, &fresh, &second).unwrap();
        let list = |dir: &Path| {
            walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .map(|e| {
                    let e = e.unwrap();
                    let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
                    (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(list(&output), list(&fresh), "same as writing from scratch");
    }
}
