//! The file-system operations of the swap: the atomic exchange of two folders, a rename that never
//! replaces, and a removal that never follows a symbolic link.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::fault::{Faults, Step};

/// Exchanges `a` and `b` in one step: each name then holds what the other held. On Linux this is
/// `renameat2(RENAME_EXCHANGE)`; elsewhere, and on file systems without it, an error for which
/// [`unsupported`] is true.
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        renameat2(a, b, libc::RENAME_EXCHANGE)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Renames `from` to `to`, failing when `to` exists (where the system can say so atomically).
pub(super) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        match renameat2(from, to, libc::RENAME_NOREPLACE) {
            Err(error) if unsupported(&error) => {}
            done => return done,
        }
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// The error of a system or file system that cannot exchange (or rename without replacing).
pub(super) fn unsupported(error: &io::Error) -> bool {
    if error.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    {
        matches!(
            error.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let c_path = |path: &Path| {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    };
    let (from, to) = (c_path(from)?, c_path(to)?);
    // The system call itself, so that a C library older than the call still works.
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Removes `path` and, when it is a folder, everything in it. A symbolic link is removed itself
/// and never followed, at the top or anywhere inside, so nothing outside `path` is touched.
/// Files go in parallel (a site has thousands), then the folders, deepest first. With `faults`,
/// each removal is a step of the test hook ([`Step::Unlink`], [`Step::Rmdir`]).
///
/// Returns the first error; what could not be removed is left where it was.
pub(super) fn remove_tree(path: &Path, faults: Option<&Faults>) -> io::Result<()> {
    let check = |step| faults.map_or(Ok(()), |faults| faults.check(step));
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    if !meta.is_dir() {
        check(Step::Unlink)?;
        return fs::remove_file(path);
    }
    let mut first_error = None;
    let mut files = Vec::new();
    let mut folders = Vec::new();
    // `file_type` is the entry's own type: a link to a folder is a link, removed as a file.
    for entry in walkdir::WalkDir::new(path)
        .follow_links(false)
        .follow_root_links(false)
    {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => folders.push(entry.into_path()),
            Ok(entry) => files.push(entry.into_path()),
            Err(error) => {
                first_error.get_or_insert_with(|| io::Error::other(error.to_string()));
            }
        }
    }
    let removed: Vec<io::Result<()>> = files
        .par_iter()
        .map(|file| check(Step::Unlink).and_then(|()| fs::remove_file(file)))
        .collect();
    if let Some(error) = removed.into_iter().find_map(Result::err) {
        first_error.get_or_insert(error);
    }
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    for folder in folders {
        if let Err(error) = check(Step::Rmdir).and_then(|()| fs::remove_dir(&folder)) {
            first_error.get_or_insert(error);
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Whether the open `file` is still the file at `path` (not removed nor replaced since it was
/// opened). Always true where the system does not say.
pub(super) fn is_same_file(file: &fs::File, path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let open = file.metadata()?;
        match fs::symlink_metadata(path) {
            Ok(named) => Ok(open.dev() == named.dev() && open.ino() == named.ino()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

/// Opens (creating it) the lock file at `path`, never through a symbolic link.
pub(super) fn open_lock_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders_and_renaming_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("uno"), "a").unwrap();
        fs::write(b.join("due"), "b").unwrap();
        match exchange(&a, &b) {
            Ok(()) => {
                assert!(a.join("due").is_file() && b.join("uno").is_file());
            }
            // A file system without the exchange: nothing moved.
            Err(error) => {
                assert!(unsupported(&error), "{error}");
                assert!(a.join("uno").is_file() && b.join("due").is_file());
            }
        }
        let c = dir.path().join("c");
        let error = rename_no_replace(&a, &b).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        rename_no_replace(&a, &c).unwrap();
        assert!(!a.exists() && c.is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_tree_never_follows_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("fuori");
        fs::create_dir_all(outside.join("sotto")).unwrap();
        fs::write(outside.join("index.html"), "resta").unwrap();
        fs::write(outside.join("sotto/file.txt"), "resta").unwrap();

        // A link as the tree itself: only the link goes.
        let link = dir.path().join("collegamento");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        remove_tree(&link, None).unwrap();
        assert!(fs::symlink_metadata(&link).is_err());

        // Links inside the tree, to a folder and to a file: removed, not followed.
        let tree = dir.path().join("albero");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        fs::write(tree.join("a/b/c.html"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("a/cartella")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), tree.join("file")).unwrap();
        remove_tree(&tree, None).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            fs::read_to_string(outside.join("index.html")).unwrap(),
            "resta"
        );
        assert_eq!(
            fs::read_to_string(outside.join("sotto/file.txt")).unwrap(),
            "resta"
        );

        // A failing removal says so and leaves the rest.
        fs::create_dir_all(tree.join("a")).unwrap();
        fs::write(tree.join("a/uno"), "x").unwrap();
        let faults = Faults::parse("unlink@*");
        assert!(remove_tree(&tree, Some(&faults)).is_err());
        assert!(tree.join("a/uno").is_file());
    }
}
