//! Write: puts a build's files on disk without ever leaving a half-written site, and without
//! touching anything outside the output folder, whatever symbolic links the paths contain.
//!
//! A build takes the lock of its output folder (a second build into the same folder waits for
//! its turn), writes every file into a staging folder inside the work folder next to the output
//! (`<parent>/.carta/<name>/`, see [`place`]), and swaps it in: on Linux with one
//! `renameat2(RENAME_EXCHANGE)`, so the output path shows the complete previous site or the
//! complete new one at every instant, never nothing and never a mix. The previous site, now in the
//! staging folder, is then removed without following any symbolic link. A build that fails before
//! the swap leaves the output as it was; one killed at any point leaves in the work folder only
//! what the next build removes.
//!
//! Where the exchange is not available (another system, a file system without it) the swap is
//! two renames, the previous output aside and the new one in place; a failure between them puts
//! the previous site back, and when even that fails the error says where the previous site is
//! (the next build puts it back too).
//!
//! A folder is replaced only when carta wrote it: every site carries a marker file at its root,
//! [`MARKER`], which names the files the build wrote. A missing or empty folder is written too; a
//! folder with anything else in it is refused, so `--output` pointed at the wrong folder deletes
//! nothing (`--force` replaces it once, for a site of a carta that wrote no marker).
//!
//! Tests inject failures and kills at each step through [`fault`] (`CARTA_TEST_FAULT`).

pub(crate) mod fault;
mod ops;
pub(crate) mod place;

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use self::fault::{Faults, Step};
use self::place::{Lock, PREVIOUS_PREFIX, STAGING_PREFIX, Target};
use super::manifest::Hasher;
use super::{Contents, OutputFile};

pub(crate) use self::place::{WORK_FOLDER, on_wait};

#[derive(Debug)]
pub(crate) enum WriteError {
    /// The output folder exists, is not empty and has no marker: not a site this tool wrote.
    NotAnOutputFolder(PathBuf),
    /// The output folder has a site (an `index.html`) but no marker: written by a carta before the
    /// marker, or by another tool; replaced only with `--force`.
    Unmarked(PathBuf),
    /// The output path is a file, not a folder.
    NotAFolder(PathBuf),
    /// The output folder would contain or be the project itself.
    Overlaps(PathBuf),
    /// The output path is a symbolic link (to `target`): never replaced, never written through.
    Link { path: PathBuf, target: PathBuf },
    /// The output is, or is inside, a folder named like the work folder.
    Reserved(PathBuf),
    /// The work folder (or its folder for this output) exists and is not a real folder.
    WorkFolder(PathBuf),
    /// An operation failed; `output` says what the output folder holds now.
    Failed {
        action: Action,
        path: PathBuf,
        error: io::Error,
        output: OutputState,
    },
}

/// What a write was doing when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Resolving the output path, creating its parent.
    Prepare,
    /// Taking the lock of the output folder.
    Lock,
    /// Creating the staging folder.
    Stage,
    /// Writing one file of the site (its path is relative to the output).
    Write,
    /// Putting the new site in place of the previous one.
    Swap,
    /// Replacing one file of the output in place (`carta serve`).
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Update,
}

/// What the output folder holds after a failed write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputState {
    /// What it held before: the previous site, or nothing if there was none.
    Unchanged,
    /// Nothing: the previous site was moved to the folder `to` and could not be put back
    /// (`error` says why). The next build puts it back before anything else.
    Moved { to: PathBuf, error: String },
    /// Some files of the new site and some of the previous one (an update in place stopped
    /// midway); the next full write replaces them all.
    Mixed,
}

impl WriteError {
    /// What the output folder holds now.
    pub(crate) fn output_state(&self) -> OutputState {
        match self {
            WriteError::Failed { output, .. } => output.clone(),
            _ => OutputState::Unchanged,
        }
    }

    /// What to do about it, fitting the error.
    pub(crate) fn hint(&self) -> String {
        match self {
            WriteError::NotAnOutputFolder(_) => {
                "scegli un'altra cartella con --output, oppure svuota quella indicata".to_string()
            }
            WriteError::Unmarked(_) => format!(
                "se è un sito generato da una versione di carta che non marcava le sue cartelle, rilancia una volta con --force (la cartella viene sostituita per intero e da allora porta il file {MARKER}); altrimenti scegli un'altra cartella con --output"
            ),
            WriteError::NotAFolder(_) => {
                "indica con --output una cartella: carta non scrive al posto di un file".to_string()
            }
            WriteError::Overlaps(_) => {
                "scegli con --output una cartella che non contenga il progetto e non stia dentro content/, static/, templates/ o themes/ (per esempio public)"
                    .to_string()
            }
            WriteError::Link { target, .. } => format!(
                "indica direttamente la cartella {} (oppure un'altra con --output): carta non sostituisce un collegamento simbolico e non scrive attraverso di esso",
                target.display()
            ),
            WriteError::Reserved(_) => format!(
                "scegli una cartella di output che non si chiami {WORK_FOLDER} e non stia dentro una cartella {WORK_FOLDER}: il nome è riservato alla cartella di lavoro di carta"
            ),
            WriteError::WorkFolder(path) => format!(
                "togli o rinomina {}: carta usa quel nome, accanto alla cartella di output, per i file delle build in corso",
                path.display()
            ),
            WriteError::Failed { action, error, .. } => io_hint(*action, error),
        }
    }
}

fn io_hint(action: Action, error: &io::Error) -> String {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::EIO) {
        return "errore di lettura o scrittura del disco: controlla il disco e il file system (per esempio con dmesg e fsck) prima di rilanciare".to_string();
    }
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "il disco è pieno (o la quota è esaurita): libera spazio sul disco della cartella di output, oppure scegli con --output una cartella su un altro disco"
        }
        io::ErrorKind::PermissionDenied => {
            "manca il permesso di scrivere: controlla proprietario e permessi della cartella di output e di quella che la contiene (per esempio con ls -ld), oppure scegli con --output una cartella tua"
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            "il disco della cartella di output è in sola lettura: scegli con --output una cartella su un disco scrivibile"
        }
        io::ErrorKind::AlreadyExists if action == Action::Swap => {
            "un altro programma ha creato la cartella di output durante la build: rilancia la build"
        }
        io::ErrorKind::Unsupported if action == Action::Lock => {
            "il file system della cartella di output non permette di bloccare un file: scegli con --output una cartella su un disco locale"
        }
        io::ErrorKind::AlreadyExists if action == Action::Write => {
            "due parti del sito scrivono lo stesso file: carta non ne sostituisce uno con l'altro; dai a una delle due pagine un indirizzo diverso"
        }
        io::ErrorKind::InvalidInput => "controlla il percorso dato con --output",
        _ => {
            "controlla la cartella di output e rilancia; se l'errore si ripete, scegli un'altra cartella con --output"
        }
    }
    .to_string()
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotAnOutputFolder(path) => write!(
                f,
                "la cartella {} esiste, non è vuota e non contiene un sito generato da carta (manca {MARKER}): non la sostituisco",
                path.display()
            ),
            WriteError::Unmarked(path) => write!(
                f,
                "la cartella {} contiene un sito, ma non uno generato da questa versione di carta (manca {MARKER}): non la sostituisco",
                path.display()
            ),
            WriteError::NotAFolder(path) => write!(
                f,
                "la cartella di output {} è un file, non una cartella: non lo sostituisco",
                path.display()
            ),
            WriteError::Overlaps(path) => write!(
                f,
                "la cartella di output {} coincide con il progetto, lo contiene o sta dentro una sua cartella di sorgenti (content/, static/, templates/, themes/)",
                path.display()
            ),
            WriteError::Link { path, target } => write!(
                f,
                "la cartella di output {} è un collegamento simbolico a {}: non lo sostituisco",
                path.display(),
                target.display()
            ),
            WriteError::Reserved(path) => write!(
                f,
                "la cartella di output {} ha il nome della cartella di lavoro di carta ({WORK_FOLDER}) o sta dentro di essa",
                path.display()
            ),
            WriteError::WorkFolder(path) => write!(
                f,
                "{} non è una cartella (è un file o un collegamento simbolico): carta non la usa",
                path.display()
            ),
            WriteError::Failed {
                action,
                path,
                error,
                output,
            } => {
                let path = path.display();
                let error = crate::os_error::italian(error);
                match action {
                    Action::Prepare => {
                        write!(f, "impossibile preparare la cartella {path}: {error}")
                    }
                    Action::Lock => write!(
                        f,
                        "impossibile riservare la cartella di output a questa build ({path}): {error}"
                    ),
                    Action::Stage => write!(
                        f,
                        "impossibile creare la cartella temporanea in {path}: {error}"
                    ),
                    Action::Write => write!(f, "impossibile scrivere {path}: {error}"),
                    Action::Update => write!(f, "impossibile aggiornare {path}: {error}"),
                    Action::Swap => match output {
                        OutputState::Moved { to, error: back } => write!(
                            f,
                            "impossibile mettere il nuovo sito in {path}: {error}; il sito precedente, spostato in {}, non è tornato al suo posto: {back}",
                            to.display()
                        ),
                        _ => write!(f, "impossibile mettere il nuovo sito in {path}: {error}"),
                    },
                }
            }
        }
    }
}

/// What a successful write left to say.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// The previous site could not be removed entirely; the next build removes the rest.
    pub(crate) leftover: Option<Leftover>,
}

/// Part of the previous site, left in the work folder.
#[derive(Debug)]
pub(crate) struct Leftover {
    pub(crate) path: PathBuf,
    pub(crate) error: io::Error,
}

impl std::fmt::Display for Leftover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "il sito precedente non è stato rimosso del tutto da {} ({}): lo rimuove la prossima build",
            self.path.display(),
            crate::os_error::italian(&self.error)
        )
    }
}

/// Writes `files` as the new content of `output`, replacing what was there.
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn write_atomically(
    project_root: &Path,
    output: &Path,
    files: &[OutputFile],
) -> Result<Published, WriteError> {
    Staging::new(project_root, output)?.publish(files)
}

/// A build's output while it is being written: a staging folder in the work folder next to the
/// output folder, and the lock of the output folder.
///
/// A build writes its pages here as soon as each is ready (so a site of thousands of pages is never
/// held in memory at once), then [`Staging::publish`] writes the rest and swaps the folder in.
/// Dropped without publishing (the build failed), the folder is removed, the lock released, and
/// the output is as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    output: PathBuf,
    home: PathBuf,
    dir: PathBuf,
    faults: &'static Faults,
    /// The staging folder no longer holds this build's site (it was swapped in).
    published: bool,
    /// Dropped after the staging folder is removed.
    _lock: Lock,
}

impl Staging {
    /// Checks that `output` may be replaced, takes its lock (waiting for another build that holds
    /// it), removes what failed or killed builds left, and makes the staging folder.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn new(project_root: &Path, output: &Path) -> Result<Staging, WriteError> {
        Staging::with_faults(project_root, output, false, Faults::from_env())
    }

    /// Like [`Staging::new`]; with `force`, a folder without the marker is replaced too (never a
    /// link, a file, or a folder that overlaps the project's sources).
    pub(crate) fn replacing(
        project_root: &Path,
        output: &Path,
        force: bool,
    ) -> Result<Staging, WriteError> {
        Staging::with_faults(project_root, output, force, Faults::from_env())
    }

    fn with_faults(
        project_root: &Path,
        output: &Path,
        force: bool,
        faults: &'static Faults,
    ) -> Result<Staging, WriteError> {
        if overlaps(&absolute(project_root), &absolute(output)) {
            return Err(WriteError::Overlaps(absolute(output)));
        }
        let target = Target::resolve(output)?;
        let real_root = fs::canonicalize(project_root).unwrap_or_else(|_| absolute(project_root));
        if overlaps(&real_root, &target.output) {
            return Err(WriteError::Overlaps(target.output));
        }
        // Refused before anything is created next to it; checked again once the lock is held.
        check_output(&target.output, force)?;
        let lock = Lock::acquire(&target, faults)?;
        lock.clean(true);
        check_output(&target.output, force)?;
        let dir = faults
            .check(Step::Stage)
            .and_then(|()| {
                tempfile::Builder::new()
                    .prefix(STAGING_PREFIX)
                    .tempdir_in(&target.home)
            })
            .map_err(|error| WriteError::Failed {
                action: Action::Stage,
                path: target.home.clone(),
                error,
                output: OutputState::Unchanged,
            })?
            .keep();
        Ok(Staging {
            output: target.output,
            home: target.home,
            dir,
            faults,
            published: false,
            _lock: lock,
        })
    }

    /// Writes one file now from its pieces, in order, and returns it as a file of the output that
    /// is already written ([`Contents::Staged`]). Safe to call from many threads at once.
    pub(crate) fn write_now(
        &self,
        path: &Path,
        pieces: &[&[u8]],
    ) -> Result<OutputFile, WriteError> {
        let mut file = self.create(path, false)?;
        for piece in pieces {
            file.write(piece)?;
        }
        file.finish()
    }

    /// Opens one file to be written piece by piece, for a file too large to assemble first; with
    /// `digest`, its size and SHA-256 are taken on the way (for a file the manifest lists).
    pub(crate) fn create(&self, path: &Path, digest: bool) -> Result<StagedFile, WriteError> {
        if !is_safe_relative(path) {
            return Err(invalid_path(path));
        }
        let target = self.dir.join(path);
        let io_error = |error| write_error(path, error);
        self.faults.check(Step::Write).map_err(io_error)?;
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(io_error)?;
        }
        let file = create_new(&target).map_err(io_error)?;
        Ok(StagedFile {
            path: path.to_path_buf(),
            target,
            file,
            hasher: digest.then(Hasher::default),
        })
    }

    /// Writes `files` (those not written yet) and puts the folder in place of the output.
    pub(crate) fn publish(mut self, files: &[OutputFile]) -> Result<Published, WriteError> {
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
            fs::create_dir_all(self.dir.join(folder)).map_err(|e| write_error(folder, e))?;
        }
        pending.par_iter().try_for_each(|file| {
            let target = self.dir.join(&file.path);
            self.faults
                .check(Step::Write)
                .and_then(|()| match &file.contents {
                    Contents::Bytes(bytes) => create_new(&target)?.write_all(bytes),
                    Contents::BuiltIn { bytes, .. } => create_new(&target)?.write_all(bytes),
                    Contents::Copy(source) => {
                        // Taken first, so that a second write of the path fails; then copied
                        // over, with the source's permissions, as `fs::copy` gives them.
                        create_new(&target)?;
                        fs::copy(source, &target).map(|_| ())
                    }
                    Contents::Staged { .. } => Ok(()),
                })
                .map_err(|e| write_error(&file.path, e))
        })?;
        fs::write(self.dir.join(MARKER), marker_bytes(files))
            .map_err(|e| write_error(Path::new(MARKER), e))?;
        self.swap()
    }

    /// Puts the staging folder at the output path, then removes the previous site.
    fn swap(&mut self) -> Result<Published, WriteError> {
        let faults = self.faults;
        let (output, staging) = (self.output.clone(), self.dir.clone());
        let failed = |error, state| WriteError::Failed {
            action: Action::Swap,
            path: output.clone(),
            error,
            output: state,
        };
        if fs::symlink_metadata(&output).is_err() {
            // No previous output: one rename, which fails rather than replace what appeared.
            faults
                .check(Step::RenameNew)
                .and_then(|()| ops::rename_no_replace(&staging, &output))
                .map_err(|e| failed(e, OutputState::Unchanged))?;
            self.published = true;
            return Ok(Published::default());
        }
        match faults
            .check(Step::Exchange)
            .and_then(|()| ops::exchange(&staging, &output))
        {
            Ok(()) => {
                // The previous site is now in the staging folder.
                self.published = true;
                return Ok(self.remove_previous(&staging));
            }
            Err(error) if ops::unsupported(&error) => {}
            Err(error) => return Err(failed(error, OutputState::Unchanged)),
        }

        // No exchange here: the previous output aside, the new one in its place.
        let aside = tempfile::Builder::new()
            .prefix(PREVIOUS_PREFIX)
            .tempdir_in(&self.home)
            .map_err(|e| failed(e, OutputState::Unchanged))?
            .keep();
        // The empty placeholder is replaced by the previous output in one rename.
        if let Err(error) = faults
            .check(Step::RenameOld)
            .and_then(|()| fs::remove_dir(&aside))
            .and_then(|()| fs::rename(&output, &aside))
        {
            let _ = fs::remove_dir(&aside);
            return Err(failed(error, OutputState::Unchanged));
        }
        if let Err(error) = faults
            .check(Step::RenameNew)
            .and_then(|()| ops::rename_no_replace(&staging, &output))
        {
            return match faults
                .check(Step::Rollback)
                .and_then(|()| ops::rename_no_replace(&aside, &output))
            {
                Ok(()) => Err(failed(error, OutputState::Unchanged)),
                Err(rollback) => Err(failed(
                    error,
                    OutputState::Moved {
                        to: aside,
                        error: crate::os_error::italian(&rollback),
                    },
                )),
            };
        }
        self.published = true;
        // Renamed to a staging name first, so that a `previous-` folder is always a whole site.
        let doomed = match fs::rename(&aside, &staging) {
            Ok(()) => staging,
            Err(_) => aside,
        };
        Ok(self.remove_previous(&doomed))
    }

    fn remove_previous(&self, previous: &Path) -> Published {
        Published {
            leftover: ops::remove_tree(previous, Some(self.faults))
                .err()
                .map(|error| Leftover {
                    path: previous.to_path_buf(),
                    error,
                }),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = ops::remove_tree(&self.dir, None);
        }
    }
}

/// A file of the staging folder being written (see [`Staging::create`]).
pub(crate) struct StagedFile {
    path: PathBuf,
    target: PathBuf,
    file: fs::File,
    hasher: Option<Hasher>,
}

impl StagedFile {
    pub(crate) fn write(&mut self, piece: &[u8]) -> Result<(), WriteError> {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(piece);
        }
        self.file
            .write_all(piece)
            .map_err(|e| write_error(&self.path, e))
    }

    /// The file as a file of the output, already written.
    pub(crate) fn finish(self) -> Result<OutputFile, WriteError> {
        Ok(OutputFile {
            path: self.path,
            contents: Contents::Staged {
                path: self.target,
                digest: self.hasher.map(Hasher::finish),
            },
        })
    }
}

/// Creates a file of the staging folder that must not exist yet: a build writes each path of its
/// site once, and a second write (two sources of one path, which [`super::claims`] refuses
/// first) fails rather than replace the first.
fn create_new(target: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
}

fn write_error(path: &Path, error: io::Error) -> WriteError {
    WriteError::Failed {
        action: Action::Write,
        path: path.to_path_buf(),
        error,
        output: OutputState::Unchanged,
    }
}

fn invalid_path(path: &Path) -> WriteError {
    write_error(
        path,
        io::Error::new(io::ErrorKind::InvalidInput, "percorso di output non valido"),
    )
}

/// Brings `output`, which holds exactly the files `previous` (as written by [`write_atomically`] or
/// by this function), to `files`: writes the files whose path or generated bytes differ, each into
/// a temporary file renamed over the old one, removes the files that are gone, and rewrites the
/// marker when the list changed. Returns how many files it wrote or removed. Holds the output
/// folder's lock meanwhile, like a build.
///
/// Anything may have been planted in the output since it was written, so every temporary file is
/// created exclusively under a fresh name (never opened through a link someone put at that name),
/// and a file is written or removed only when every folder on its way is a real folder, not a link.
///
/// Files are replaced one by one, so a reader may see some new and some old files; `carta serve`
/// holds its requests meanwhile. Copied files are compared by source path only: when their sources
/// may have changed (a theme), use [`write_atomically`].
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn update_in_place(
    output: &Path,
    previous: &[OutputFile],
    files: &[OutputFile],
) -> Result<usize, WriteError> {
    let faults = Faults::from_env();
    let target = Target::resolve(output)?;
    check_output(&target.output, false)?;
    let lock = Lock::acquire(&target, faults)?;
    lock.clean(false);
    let output = target.output.as_path();
    let mut changed = 0;
    let failed = |path: &Path, error, changed| WriteError::Failed {
        action: Action::Update,
        path: path.to_path_buf(),
        error,
        output: if changed > 0 {
            OutputState::Mixed
        } else {
            OutputState::Unchanged
        },
    };
    let before: std::collections::BTreeMap<&Path, &Contents> = previous
        .iter()
        .map(|file| (file.path.as_path(), &file.contents))
        .collect();
    let after: std::collections::BTreeSet<&Path> =
        files.iter().map(|file| file.path.as_path()).collect();
    for file in files {
        if before.get(file.path.as_path()) == Some(&&file.contents) {
            continue;
        }
        if !is_safe_relative(&file.path) {
            return Err(invalid_path(&file.path));
        }
        faults
            .check(Step::Update)
            .and_then(|()| replace_file(output, &file.path, &file.contents))
            .map_err(|e| failed(&file.path, e, changed))?;
        changed += 1;
    }
    for gone in before.keys().filter(|path| !after.contains(*path)) {
        if !is_safe_relative(gone) {
            continue;
        }
        match remove_file(output, gone) {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(error) => return Err(failed(gone, error, changed)),
        }
    }
    if !before.keys().copied().eq(after.iter().copied()) {
        let marker = Contents::Bytes(marker_bytes(files));
        replace_file(output, Path::new(MARKER), &marker)
            .map_err(|e| failed(Path::new(MARKER), e, changed))?;
    }
    Ok(changed)
}

/// Makes the folders of `relative` inside `output`, refusing any that exists as something other
/// than a real folder (a link planted there would take the write elsewhere).
fn real_folders(output: &Path, relative: &Path) -> io::Result<PathBuf> {
    let mut dir = output.to_path_buf();
    for component in relative.parent().into_iter().flat_map(Path::components) {
        dir.push(component);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} non è una cartella (è un file o un collegamento simbolico)",
                        dir.display()
                    ),
                ));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => fs::create_dir(&dir)?,
            Err(error) => return Err(error),
        }
    }
    Ok(dir)
}

/// Writes `contents` at `output/relative`: into a temporary file created exclusively beside it,
/// then renamed over it (a rename replaces a link at the name, never writes through it).
fn replace_file(output: &Path, relative: &Path, contents: &Contents) -> io::Result<()> {
    let dir = real_folders(output, relative)?;
    let name = relative.file_name().unwrap_or_default();
    let (temporary, mut file) = create_exclusive(&dir, &name.to_string_lossy())?;
    let written = match contents {
        Contents::Bytes(bytes) => file.write_all(bytes),
        Contents::BuiltIn { bytes, .. } => file.write_all(bytes),
        Contents::Copy(source) | Contents::Staged { path: source, .. } => {
            fs::File::open(source).and_then(|mut from| io::copy(&mut from, &mut file).map(drop))
        }
    };
    drop(file);
    written
        .and_then(|()| fs::rename(&temporary, dir.join(name)))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
}

/// The count in the names of [`create_exclusive`]'s files.
static TEMPORARY_NAMES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn temporary_name(name: &str, n: u64) -> String {
    format!(".{name}.{}-{n}.carta-new", std::process::id())
}

/// Creates a new file beside `name` in `dir` under a fresh name, with `create_new` (O_CREAT|O_EXCL:
/// it fails rather than open whatever is at the name, a link included), with the permissions a
/// plain `fs::write` gives. Tries further names while one is taken.
fn create_exclusive(dir: &Path, name: &str) -> io::Result<(PathBuf, fs::File)> {
    let mut last = None;
    for _ in 0..64 {
        let n = TEMPORARY_NAMES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(temporary_name(name, n));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => last = Some(error),
            Err(error) => return Err(error),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// Removes `output/relative` when every folder on its way is a real one, then the folders left
/// empty; `false` when there was nothing to remove.
fn remove_file(output: &Path, relative: &Path) -> io::Result<bool> {
    let mut dir = output.to_path_buf();
    for component in relative.parent().into_iter().flat_map(Path::components) {
        dir.push(component);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            // A link (or a file) in place of a folder: what it leads to is not ours to remove.
            _ => return Ok(false),
        }
    }
    let target = output.join(relative);
    match fs::remove_file(&target) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error),
    }
    // Folders left empty (a removed chapter's) go too; `remove_dir` fails on the others.
    let mut dir = target.parent();
    while let Some(folder) = dir.filter(|folder| *folder != output) {
        if fs::remove_dir(folder).is_err() {
            break;
        }
        dir = folder.parent();
    }
    Ok(true)
}

/// The marker file at the root of every output folder carta writes.
pub(crate) const MARKER: &str = ".carta-output";
/// The marker's first line, by which carta knows its own folders.
const MARKER_HEADER: &str =
    "carta-output 1: cartella generata da carta, sostituita per intero a ogni build";

/// The marker's text: its header, then the files the build wrote, one path a line, sorted. The
/// marker itself is not among them, nor in the site's manifest: it is not part of the site.
fn marker_bytes(files: &[OutputFile]) -> Vec<u8> {
    let mut paths: Vec<String> = files
        .iter()
        .map(|file| file.path.to_string_lossy().replace('\\', "/"))
        .collect();
    paths.sort_unstable();
    let mut text = format!("{MARKER_HEADER}\n");
    for path in paths {
        text.push_str(&path);
        text.push('\n');
    }
    text.into_bytes()
}

/// Whether `dir` holds carta's marker: a regular file of its own (not a link) with the header.
fn is_marked(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    if !fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file()) {
        return false;
    }
    let mut head = vec![0; MARKER_HEADER.len()];
    fs::File::open(&path)
        .and_then(|mut file| io::Read::read_exact(&mut file, &mut head))
        .is_ok_and(|()| head == MARKER_HEADER.as_bytes())
}

/// Refuses an output path that is a link, a file, or a folder that carta did not write (unless
/// `force`: then any real folder).
fn check_output(output: &Path, force: bool) -> Result<(), WriteError> {
    match fs::symlink_metadata(output) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(WriteError::Failed {
            action: Action::Prepare,
            path: output.to_path_buf(),
            error,
            output: OutputState::Unchanged,
        }),
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Link {
            path: output.to_path_buf(),
            target: fs::read_link(output).unwrap_or_default(),
        }),
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotAFolder(output.to_path_buf())),
        Ok(_) if force || is_marked(output) || is_empty(output) => Ok(()),
        // An `index.html` of its own: a site, most likely one a carta without the marker wrote.
        Ok(_) if fs::symlink_metadata(output.join("index.html")).is_ok_and(|m| m.is_file()) => {
            Err(WriteError::Unmarked(output.to_path_buf()))
        }
        Ok(_) => Err(WriteError::NotAnOutputFolder(output.to_path_buf())),
    }
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

/// The project's folders of sources: an output inside one would be read back as a source.
const SOURCE_FOLDERS: [&str; 4] = ["content", "static", "templates", "themes"];

/// Whether `output` is the project, contains it, or is inside one of its [`SOURCE_FOLDERS`]
/// (by name, or by the folder's real path when it is a link).
fn overlaps(root: &Path, output: &Path) -> bool {
    root.starts_with(output)
        || SOURCE_FOLDERS.iter().any(|folder| {
            let inside = root.join(folder);
            output.starts_with(&inside)
                || fs::canonicalize(&inside).is_ok_and(|real| output.starts_with(real))
        })
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

    #[cfg(unix)]
    #[test]
    fn only_a_marked_or_empty_folder_is_replaced_and_never_one_inside_the_sources() {
        let (_dir, root, output) = project();
        write_atomically(
            &root,
            &output,
            &[file("index.html", "uno"), file("a/b.html", "b")],
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(output.join(MARKER)).unwrap(),
            format!("{MARKER_HEADER}\na/b.html\nindex.html\n")
        );
        // A site without the marker (an older carta's): refused, replaced with force.
        fs::remove_file(output.join(MARKER)).unwrap();
        fs::write(output.join("altro.txt"), "mio").unwrap();
        assert!(matches!(
            write_atomically(&root, &output, &[file("index.html", "due")]),
            Err(WriteError::Unmarked(_))
        ));
        assert!(output.join("altro.txt").exists());
        // A marker that is a link, or that says something else, is no marker.
        std::os::unix::fs::symlink(root.join("site.toml"), output.join(MARKER)).unwrap();
        fs::write(root.join("site.toml"), MARKER_HEADER).unwrap();
        assert!(matches!(
            write_atomically(&root, &output, &[file("index.html", "due")]),
            Err(WriteError::Unmarked(_))
        ));
        fs::remove_file(output.join(MARKER)).unwrap();
        Staging::replacing(&root, &output, true)
            .unwrap()
            .publish(&[file("index.html", "due")])
            .unwrap();
        assert!(!output.join("altro.txt").exists());
        assert!(is_marked(&output));
        write_atomically(&root, &output, &[file("index.html", "tre")]).unwrap();

        // Inside a source folder, by name or through a link, even with force.
        for folder in SOURCE_FOLDERS {
            fs::create_dir_all(root.join(folder)).unwrap();
            for output in [root.join(folder).join("sito"), root.join(folder)] {
                assert!(
                    matches!(
                        Staging::replacing(&root, &output, true),
                        Err(WriteError::Overlaps(_))
                    ),
                    "{}",
                    output.display()
                );
            }
            let through = root.parent().unwrap().join(format!("verso-{folder}"));
            std::os::unix::fs::symlink(root.join(folder), &through).unwrap();
            assert!(matches!(
                Staging::replacing(&root, &through.join("sito"), true),
                Err(WriteError::Overlaps(_))
            ));
            assert!(!root.join(folder).join("sito").exists());
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_update_in_place_never_writes_through_a_planted_link() {
        let (dir, root, output) = project();
        let outside = dir.path().join("fuori");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("segreto"), "intatto").unwrap();
        let before = [file("index.html", "uno"), file("a/b.html", "b")];
        write_atomically(&root, &output, &before).unwrap();
        // A link at the name a temporary file once had, at the names the next ones may have, and
        // a link in place of a folder the update writes into.
        std::os::unix::fs::symlink(
            outside.join("segreto"),
            output.join(".index.html.carta-new"),
        )
        .unwrap();
        let next = TEMPORARY_NAMES.load(std::sync::atomic::Ordering::Relaxed);
        for n in next..next + 8 {
            std::os::unix::fs::symlink(
                outside.join("segreto"),
                output.join(temporary_name("index.html", n)),
            )
            .unwrap();
        }
        fs::remove_dir_all(output.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, output.join("a")).unwrap();
        let after = [file("index.html", "due"), file("a/b.html", "nuovo")];
        let error = update_in_place(&output, &before, &after).unwrap_err();
        assert!(matches!(
            error,
            WriteError::Failed {
                action: Action::Update,
                ..
            }
        ));
        assert_eq!(
            fs::read_to_string(outside.join("segreto")).unwrap(),
            "intatto"
        );
        assert_eq!(names(&outside), ["segreto"]);
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "due"
        );
        assert!(
            fs::symlink_metadata(output.join("index.html"))
                .unwrap()
                .is_file()
        );
        // Removing a file under a planted link leaves what the link leads to.
        fs::remove_file(output.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, output.join("a")).unwrap();
        fs::write(outside.join("b.html"), "altrui").unwrap();
        update_in_place(&output, &before, &[file("index.html", "tre")]).unwrap();
        assert_eq!(
            fs::read_to_string(outside.join("b.html")).unwrap(),
            "altrui"
        );
        assert_eq!(
            fs::read_to_string(output.join(MARKER)).unwrap(),
            format!("{MARKER_HEADER}\nindex.html\n")
        );
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
            Err(WriteError::Failed {
                action: Action::Write,
                ..
            })
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
    fn the_staging_refuses_a_second_write_to_one_path() {
        let (_dir, root, output) = project();
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();
        let staging = Staging::new(&root, &output).unwrap();
        staging
            .write_now(Path::new("a/index.html"), &[b"primo"])
            .unwrap();
        let twice = |error: WriteError| match error {
            WriteError::Failed {
                action: Action::Write,
                error,
                ..
            } => error.kind() == io::ErrorKind::AlreadyExists,
            _ => false,
        };
        assert!(twice(
            staging
                .write_now(Path::new("a/index.html"), &[b"secondo"])
                .unwrap_err()
        ));
        // A file written at the end, on a path a page took: refused, and nothing is published.
        let error = staging
            .publish(&[file("a/index.html", "terzo"), file("index.html", "nuovo")])
            .unwrap_err();
        assert!(error.hint().contains("due parti del sito"), "{error}");
        assert!(twice(error));
        assert_eq!(index(&output), "vecchio");
        assert!(!output.join("a").exists());

        // Two files of the same path at the end: the same.
        let error = write_atomically(
            &root,
            &output,
            &[file("b.html", "uno"), file("b.html", "due")],
        )
        .unwrap_err();
        assert!(twice(error));
        assert_eq!(index(&output), "vecchio");
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

    fn faults(text: &str) -> &'static Faults {
        Box::leak(Box::new(Faults::parse(text)))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn index(output: &Path) -> String {
        fs::read_to_string(output.join("index.html")).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn the_previous_site_is_exchanged_then_removed_without_following_its_links() {
        let (dir, root, output) = project();
        let outside = dir.path().join("fuori");
        fs::create_dir_all(outside.join("sotto")).unwrap();
        fs::write(outside.join("index.html"), "altrui").unwrap();
        fs::write(outside.join("sotto/dati.csv"), "altrui").unwrap();
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();
        // Links put into the previous site by hand: removed with it, their targets untouched.
        std::os::unix::fs::symlink(&outside, output.join("cartella")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), output.join("file")).unwrap();

        let published = Staging::with_faults(&root, &output, false, faults(""))
            .unwrap()
            .publish(&[file("index.html", "nuovo"), file("a/b.html", "b")])
            .unwrap();
        assert!(published.leftover.is_none());
        assert_eq!(index(&output), "nuovo");
        assert_eq!(names(&output), [MARKER, "a", "index.html"]);
        assert_eq!(names(&outside), ["index.html", "sotto"]);
        assert_eq!(
            fs::read_to_string(outside.join("index.html")).unwrap(),
            "altrui"
        );
        assert_eq!(
            fs::read_to_string(outside.join("sotto/dati.csv")).unwrap(),
            "altrui"
        );
        assert_eq!(names(&root), ["public"], "no work folder left behind");
    }

    #[test]
    fn without_exchange_a_failed_swap_puts_the_previous_site_back_or_says_where_it_is() {
        let (_dir, root, output) = project();
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();
        let new = [file("index.html", "nuovo")];

        // Without exchange, and without failures: two renames, the same result.
        Staging::with_faults(&root, &output, false, faults("exchange:einval"))
            .unwrap()
            .publish(&new)
            .unwrap();
        assert_eq!(index(&output), "nuovo");
        assert_eq!(names(&root), ["public"]);
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();

        // The new site cannot be moved in: the previous one goes back.
        let error =
            Staging::with_faults(&root, &output, false, faults("exchange:einval,rename-new"))
                .unwrap()
                .publish(&new)
                .unwrap_err();
        assert_eq!(error.output_state(), OutputState::Unchanged, "{error}");
        assert_eq!(index(&output), "vecchio");
        assert_eq!(names(&root), ["public"]);

        // Nor can the previous one: the output is missing, and the error says where the site is.
        let error = Staging::with_faults(
            &root,
            &output,
            false,
            faults("exchange:einval,rename-new,rollback"),
        )
        .unwrap()
        .publish(&new)
        .unwrap_err();
        let OutputState::Moved { to, .. } = error.output_state() else {
            panic!("the output should be reported missing: {error}");
        };
        assert!(!output.exists());
        assert_eq!(index(&to), "vecchio");
        assert!(to.starts_with(root.join(WORK_FOLDER)), "{}", to.display());
        assert!(
            error.to_string().contains(&to.display().to_string()),
            "{error}"
        );

        // The next build puts it back first; failing itself, it leaves it there.
        let staging = Staging::with_faults(&root, &output, false, faults("")).unwrap();
        assert_eq!(index(&output), "vecchio");
        drop(staging);
        assert_eq!(index(&output), "vecchio");
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn a_previous_site_that_cannot_be_removed_is_reported_and_removed_by_the_next_build() {
        let (_dir, root, output) = project();
        let old: Vec<OutputFile> = (0..20)
            .map(|n| file(&format!("p{n}/index.html"), "vecchio"))
            .chain([file("index.html", "vecchio")])
            .collect();
        write_atomically(&root, &output, &old).unwrap();
        let published = Staging::with_faults(&root, &output, false, faults("unlink@3"))
            .unwrap()
            .publish(&[file("index.html", "nuovo")])
            .unwrap();
        let leftover = published.leftover.expect("the failure is reported");
        assert!(leftover.path.starts_with(root.join(WORK_FOLDER)));
        assert!(leftover.path.is_dir(), "what is left stays hidden");
        assert_eq!(index(&output), "nuovo");
        assert_eq!(names(&output), [MARKER, "index.html"]);
        assert_eq!(names(&root), [WORK_FOLDER, "public"]);

        write_atomically(&root, &output, &[file("index.html", "ancora")]).unwrap();
        assert_eq!(index(&output), "ancora");
        assert_eq!(names(&root), ["public"], "the next build removed the rest");
    }

    #[test]
    fn a_failure_before_the_swap_leaves_the_output_and_nothing_else() {
        let (_dir, root, output) = project();
        write_atomically(&root, &output, &[file("index.html", "vecchio")]).unwrap();
        for fault in ["lock", "stage", "write@2", "exchange"] {
            let error = Staging::with_faults(&root, &output, false, faults(fault))
                .and_then(|staging| {
                    staging.publish(&[file("index.html", "nuovo"), file("a.html", "a")])
                })
                .unwrap_err();
            assert_eq!(error.output_state(), OutputState::Unchanged, "{fault}");
            assert_eq!(index(&output), "vecchio", "{fault}");
            assert_eq!(names(&output), [MARKER, "index.html"], "{fault}");
            assert_eq!(names(&root), ["public"], "{fault}");
        }
        // No previous output, and the new one cannot be moved in: still nothing.
        let fresh = root.join("nuova");
        let error = Staging::with_faults(&root, &fresh, false, faults("rename-new"))
            .unwrap()
            .publish(&[file("index.html", "nuovo")])
            .unwrap_err();
        assert_eq!(error.output_state(), OutputState::Unchanged);
        assert!(!fresh.exists());
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn builds_into_one_folder_take_turns() {
        let (_dir, root, output) = project();
        let first = Staging::new(&root, &output).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let second = {
            let (root, output) = (root.clone(), output.clone());
            std::thread::spawn(move || {
                let staging = Staging::new(&root, &output).unwrap();
                sender.send(()).unwrap();
                staging.publish(&[file("index.html", "secondo")]).unwrap();
            })
        };
        assert!(
            receiver
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second build waits while the first holds the folder"
        );
        first.publish(&[file("index.html", "primo")]).unwrap();
        receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second build goes on once the first is done");
        second.join().unwrap();
        assert_eq!(index(&output), "secondo");
        assert_eq!(names(&root), ["public"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_never_taken_for_an_output_folder() {
        let (dir, root, _output) = project();
        let real = dir.path().join("vero");
        fs::create_dir_all(&real).unwrap();
        fs::write(real.join("index.html"), "altrui").unwrap();
        let link = root.join("pubblico");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let error = write_atomically(&root, &link, &[file("index.html", "x")]).unwrap_err();
        let WriteError::Link { target, .. } = &error else {
            panic!("refused as a link: {error}");
        };
        assert_eq!(target, &fs::canonicalize(&real).unwrap());
        assert!(error.hint().contains("indica direttamente la cartella"));
        assert_eq!(names(&real), ["index.html"]);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );

        // A folder whose index.html is a link is not a site of ours.
        let foreign = root.join("altro");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("tesi.odt"), "x").unwrap();
        std::os::unix::fs::symlink(real.join("index.html"), foreign.join("index.html")).unwrap();
        assert!(matches!(
            write_atomically(&root, &foreign, &[file("index.html", "x")]),
            Err(WriteError::NotAnOutputFolder(_))
        ));
        assert_eq!(names(&foreign), ["index.html", "tesi.odt"]);

        // A link among the parents is followed: the site goes into the real folder.
        let through = link.join("sito");
        write_atomically(&root, &through, &[file("index.html", "nuovo")]).unwrap();
        assert_eq!(index(&real.join("sito")), "nuovo");
        assert_eq!(names(&real), ["index.html", "sito"]);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );

        // A link in place of the work folder is refused, and nothing goes through it.
        let elsewhere = dir.path().join("altrove");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join(WORK_FOLDER)).unwrap();
        let error =
            write_atomically(&root, &root.join("public"), &[file("index.html", "x")]).unwrap_err();
        assert!(matches!(error, WriteError::WorkFolder(_)), "{error}");
        assert!(names(&elsewhere).is_empty());
        fs::remove_file(root.join(WORK_FOLDER)).unwrap();

        // The name of the work folder is not an output's.
        assert!(matches!(
            write_atomically(&root, &root.join(WORK_FOLDER), &[file("index.html", "x")]),
            Err(WriteError::Reserved(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn hints_fit_the_error() {
        let failed = |code| WriteError::Failed {
            action: Action::Write,
            path: PathBuf::from("index.html"),
            error: io::Error::from_raw_os_error(code),
            output: OutputState::Unchanged,
        };
        let cases = [
            (libc::ENOSPC, "il disco è pieno"),
            (libc::EDQUOT, "la quota è esaurita"),
            (libc::EACCES, "proprietario e permessi"),
            (libc::EPERM, "proprietario e permessi"),
            (libc::EROFS, "sola lettura"),
            (libc::EIO, "controlla il disco e il file system"),
            (libc::ENAMETOOLONG, "se l'errore si ripete"),
        ];
        for (code, words) in cases {
            let hint = failed(code).hint();
            assert!(hint.contains(words), "{code}: {hint}");
            assert!(!hint.contains("svuota"), "{code}: {hint}");
        }
    }
}
