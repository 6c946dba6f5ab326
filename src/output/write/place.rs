//! Where a build writes: the output folder resolved (never through a symbolic link at its own
//! name), the work folder next to it, and the lock that makes builds into one folder take turns.
//!
//! For an output `<parent>/<name>` the work folder is `<parent>/.carta/<name>/`: on the same file
//! system as the output (so the swap is a rename), hidden, and holding only
//!
//! - `lock`, the file whose lock the build holds from before it looks at the output folder until
//!   it has finished with it;
//! - `staging-…`, the folder the new site is written into; after the exchange it holds the
//!   previous site until that is removed;
//! - `previous-…`, only without the atomic exchange: the previous site moved aside for a moment.
//!
//! Once a build holds the lock, whatever else is there was left by a build that failed or was
//! killed, and is removed. A build that ends, well or not, removes the lock file and the folders
//! it leaves empty, so nothing stays next to the output.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::fault::{Faults, Step};
use super::ops;
use super::{Action, OutputState, WriteError};

/// The name of the work folder next to the output folder.
pub(crate) const WORK_FOLDER: &str = ".carta";
const LOCK_FILE: &str = "lock";
pub(crate) const STAGING_PREFIX: &str = "staging-";
pub(crate) const PREVIOUS_PREFIX: &str = "previous-";

/// Called when a build has to wait for another one that writes into the same folder.
static WAIT_NOTICE: OnceLock<fn(&Path)> = OnceLock::new();

/// Sets what is done, once per wait, when a build finds another one writing into its output
/// folder and waits for it (the command layer prints a line). Only the first call counts.
pub(crate) fn on_wait(notice: fn(&Path)) {
    let _ = WAIT_NOTICE.set(notice);
}

/// An output folder, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// `<parent>/<name>`, with the parent resolved (its links followed) and the name as given.
    pub(crate) output: PathBuf,
    /// `<parent>/.carta/<name>`.
    pub(crate) home: PathBuf,
}

impl Target {
    /// Resolves `output`. A symbolic link at the output's own name is refused; links among its
    /// parents are followed, so the swap happens in the real parent folder. A missing parent is
    /// created.
    pub(crate) fn resolve(output: &Path) -> Result<Target, WriteError> {
        let given = if output.is_absolute() {
            output.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| prepare_error(output, e))?
                .join(output)
        };
        if is_reserved(&given) {
            return Err(WriteError::Reserved(given));
        }
        if let Ok(meta) = fs::symlink_metadata(&given)
            && meta.file_type().is_symlink()
        {
            let target = fs::canonicalize(&given)
                .or_else(|_| fs::read_link(&given))
                .unwrap_or_default();
            return Err(WriteError::Link {
                path: given,
                target,
            });
        }
        let (parent, name): (PathBuf, OsString) = match fs::canonicalize(&given) {
            Ok(real) => match (real.parent(), real.file_name()) {
                (Some(parent), Some(name)) => (parent.to_path_buf(), name.to_os_string()),
                _ => return Err(invalid(&given)),
            },
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let (Some(parent), Some(name)) = (given.parent(), given.file_name()) else {
                    return Err(invalid(&given));
                };
                fs::create_dir_all(parent).map_err(|e| prepare_error(parent, e))?;
                let parent = fs::canonicalize(parent).map_err(|e| prepare_error(parent, e))?;
                (parent, name.to_os_string())
            }
            Err(error) => return Err(prepare_error(&given, error)),
        };
        let output = parent.join(&name);
        if is_reserved(&output) {
            return Err(WriteError::Reserved(output));
        }
        Ok(Target {
            home: parent.join(WORK_FOLDER).join(&name),
            output,
        })
    }

    fn work_folder(&self) -> &Path {
        self.home.parent().unwrap_or(&self.home)
    }
}

/// An output named like the work folder, or inside one.
fn is_reserved(path: &Path) -> bool {
    path.components()
        .any(|component| component.as_os_str() == OsStr::new(WORK_FOLDER))
}

fn invalid(path: &Path) -> WriteError {
    prepare_error(
        path,
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "percorso della cartella di output non valido",
        ),
    )
}

fn prepare_error(path: &Path, error: io::Error) -> WriteError {
    WriteError::Failed {
        action: Action::Prepare,
        path: path.to_path_buf(),
        error,
        output: OutputState::Unchanged,
    }
}

/// The lock of one output folder, held until dropped; then the lock file and the work folders
/// left empty are removed.
#[derive(Debug)]
pub(crate) struct Lock {
    target: Target,
    file: Option<fs::File>,
    faults: &'static Faults,
}

impl Lock {
    /// Takes the lock of `target`, waiting for a build that holds it (after saying so once).
    pub(crate) fn acquire(target: &Target, faults: &'static Faults) -> Result<Lock, WriteError> {
        let fail = |path: &Path, error| WriteError::Failed {
            action: Action::Lock,
            path: path.to_path_buf(),
            error,
            output: OutputState::Unchanged,
        };
        faults
            .check(Step::Lock)
            .map_err(|e| fail(&target.output, e))?;
        let path = target.home.join(LOCK_FILE);
        let mut waited = false;
        // The build that held the lock removes the file as it ends, so the file this one waited
        // on may be gone when its turn comes: then it takes the lock of the new file.
        'attempt: for _ in 0..1000 {
            // One level at a time, each checked before anything goes into it: a link in place
            // of the work folder is never written through.
            for folder in [target.work_folder(), target.home.as_path()] {
                match fs::create_dir(folder) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                    // The work folder was just removed by the build that held the lock.
                    Err(error) if error.kind() == io::ErrorKind::NotFound => continue 'attempt,
                    Err(error) => return Err(fail(folder, error)),
                }
                let real = fs::symlink_metadata(folder).is_ok_and(|meta| meta.is_dir());
                if !real {
                    return Err(WriteError::WorkFolder(folder.to_path_buf()));
                }
            }
            let file = match ops::open_lock_file(&path) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(fail(&path, error)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !waited {
                        waited = true;
                        if let Some(notice) = WAIT_NOTICE.get() {
                            notice(&target.output);
                        }
                    }
                    file.lock().map_err(|e| fail(&path, e))?;
                }
                Err(fs::TryLockError::Error(error)) => return Err(fail(&path, error)),
            }
            if ops::is_same_file(&file, &path).map_err(|e| fail(&path, e))? {
                return Ok(Lock {
                    target: target.clone(),
                    file: Some(file),
                    faults,
                });
            }
        }
        Err(fail(
            &path,
            io::Error::other("il file di blocco continua a sparire"),
        ))
    }

    /// With the lock held: puts back a previous site that a swap without exchange left aside
    /// when it was killed (the output folder is missing), then removes every other leftover of
    /// earlier builds into this folder. What cannot be removed is left for the next build.
    pub(crate) fn clean(&self, restore: bool) {
        let mut output_present = fs::symlink_metadata(&self.target.output).is_ok();
        let Ok(entries) = fs::read_dir(&self.target.home) else {
            return;
        };
        let mut names: Vec<OsString> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .filter(|name| name != LOCK_FILE)
            .collect();
        names.sort();
        let previous = |name: &OsString| name.to_string_lossy().starts_with(PREVIOUS_PREFIX);
        if !output_present
            && restore
            && let Some(name) = names.iter().find(|name| previous(name))
        {
            output_present = self
                .faults
                .check(Step::Restore)
                .and_then(|()| {
                    ops::rename_no_replace(&self.target.home.join(name), &self.target.output)
                })
                .is_ok();
        }
        for name in &names {
            // A previous site is the only copy of the site while the output folder is missing.
            if previous(name) && !output_present {
                continue;
            }
            let _ = self
                .faults
                .check(Step::Clean)
                .and_then(|()| ops::remove_tree(&self.target.home.join(name), None));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if self.faults.check(Step::Release).is_err() {
            return;
        }
        // The file goes while the lock is held, so a build that waits on it sees that it is gone
        // and takes the lock of a new one. Where that cannot be seen, the file stays.
        #[cfg(unix)]
        {
            let _ = fs::remove_file(self.target.home.join(LOCK_FILE));
            let _ = fs::remove_dir(&self.target.home);
            let _ = fs::remove_dir(self.target.work_folder());
        }
        drop(self.file.take());
    }
}
