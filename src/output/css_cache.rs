//! The index of a large stylesheet (Bootstrap Italia's), made once and kept: in memory for the
//! rest of the process (a portal builds many charters with one theme), and on disk, named by the
//! stylesheet's SHA-256, for the next process. A build then only matches its pages' vocabulary
//! against the index ([`crate::css::Index`]) instead of parsing 612 kB of CSS again.
//!
//! The disk cache is `$XDG_CACHE_HOME/carta/css-index/` (by default `~/.cache/carta/css-index/`),
//! one file per stylesheet, index format and carta version. It is only ever a shortcut: a file
//! that is missing, unreadable, of another format or version, for another stylesheet, not what
//! was written (its own SHA-256 is checked), or not the user's own (on Unix: owned by someone
//! else, writable by others, a link) is ignored and made again, and a cache that cannot be
//! written leaves the build as it is. The subset is the same bytes with or without it.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::css::{self, Index, Vocabulary};

/// Bumped whenever the index or the way it prints changes.
const FORMAT: u32 = 1;

/// A cache file larger than this is not read (the index of Bootstrap Italia is about 1 MB).
const MAX_BYTES: u64 = 64 << 20;

/// The rules of `css` that can match an element of `vocabulary`, as [`css::subset`] prints them,
/// from the index of `css` when there is one (made now, and kept, when there is not yet).
pub(crate) fn subset(css: &str, vocabulary: &Vocabulary, filename: &str) -> Result<String, String> {
    subset_with(css, vocabulary, filename, folder().as_deref())
}

/// [`subset`] with the disk cache in `folder` (none when `None`).
pub(crate) fn subset_with(
    css: &str,
    vocabulary: &Vocabulary,
    filename: &str,
    folder: Option<&Path>,
) -> Result<String, String> {
    let digest = hex(&Sha256::digest(css.as_bytes()));
    let known = memory()
        .lock()
        .ok()
        .and_then(|map| map.get(&digest).cloned());
    match known {
        Some(Some(index)) => return Ok(index.subset(vocabulary)),
        // The stylesheet has what the index does not model: parsed every time.
        Some(None) => return css::subset(css, vocabulary, filename),
        None => {}
    }
    // The same pages as last time (a build run again, a CI job): the subset itself is kept, so
    // not even the index is read.
    let words = vocabulary_digest(vocabulary);
    let kept = Kept::Subset {
        stylesheet: &digest,
        vocabulary: &words,
    };
    if let Some(subset) = folder.and_then(|folder| read(folder, &kept)) {
        return Ok(subset);
    }
    let keep_subset = |subset: &str| {
        if let Some(folder) = folder {
            // A cache that cannot be written only means the next process works again.
            let _ = write(folder, &kept, subset);
        }
    };
    let index = Kept::Index(&digest);
    if let Some(index) = folder
        .and_then(|folder| read(folder, &index))
        .and_then(|payload| serde_json::from_str::<Index>(&payload).ok())
    {
        let index = Arc::new(index);
        remember(&digest, Some(index.clone()));
        let subset = index.subset(vocabulary);
        keep_subset(&subset);
        return Ok(subset);
    }
    let (subset, made) = css::subset_and_index(css, vocabulary, filename)?;
    if let (Some(folder), Some(made)) = (folder, &made)
        && let Ok(payload) = serde_json::to_string(made)
    {
        let _ = write(folder, &index, &payload);
        keep_subset(&subset);
    }
    remember(&digest, made.map(Arc::new));
    Ok(subset)
}

/// What a cache file holds: the index of a stylesheet, or the subset of a stylesheet for one
/// vocabulary (only the last one is kept, so the folder does not grow with every edit).
enum Kept<'a> {
    Index(&'a str),
    Subset {
        stylesheet: &'a str,
        vocabulary: &'a str,
    },
}

/// The SHA-256 of everything a subset depends on in the pages' vocabulary, in a form that cannot
/// be read two ways (each name ended by a NUL, which no name holds, each part by a line end).
fn vocabulary_digest(vocabulary: &Vocabulary) -> String {
    let mut hasher = Sha256::new();
    for part in [&vocabulary.elements, &vocabulary.classes, &vocabulary.ids] {
        for name in part {
            hasher.update(name.as_bytes());
            hasher.update([0]);
        }
        hasher.update(b"\n");
    }
    for (attribute, values) in &vocabulary.attributes {
        hasher.update(attribute.as_bytes());
        hasher.update([0]);
        for value in values {
            hasher.update(value.as_bytes());
            hasher.update([0]);
        }
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// The indexes of this process, by the SHA-256 of their stylesheet; `None` for a stylesheet
/// without one.
type Memory = Mutex<HashMap<String, Option<Arc<Index>>>>;

fn memory() -> &'static Memory {
    static MEMORY: OnceLock<Memory> = OnceLock::new();
    MEMORY.get_or_init(Memory::default)
}

fn remember(digest: &str, index: Option<Arc<Index>>) {
    if let Ok(mut map) = memory().lock() {
        map.insert(digest.to_string(), index);
    }
}

/// `$XDG_CACHE_HOME/carta/css-index`, or `$HOME/.cache/carta/css-index`; none without either.
fn folder() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let base = absolute("XDG_CACHE_HOME").or_else(|| absolute("HOME").map(|h| h.join(".cache")))?;
    Some(base.join("carta").join("css-index"))
}

impl Kept<'_> {
    /// The first line of the cache file: what it is, for which stylesheet (and vocabulary), made
    /// by which carta.
    fn header(&self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            Kept::Index(digest) => format!("carta-css-index {FORMAT} {version} {digest}"),
            Kept::Subset {
                stylesheet,
                vocabulary,
            } => format!("carta-css-subset {FORMAT} {version} {stylesheet} {vocabulary}"),
        }
    }

    fn file_name(&self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            Kept::Index(digest) => format!("{digest}-{FORMAT}-{version}.json"),
            Kept::Subset { stylesheet, .. } => format!("{stylesheet}-{FORMAT}-{version}.css"),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What is kept in `folder` as `kept`, when it is there, whole, and ours.
fn read(folder: &Path, kept: &Kept<'_>) -> Option<String> {
    let path = folder.join(kept.file_name());
    if !trusted(folder) || !trusted(&path) {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(&path)
        .ok()?
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (first, rest) = text.split_once('\n')?;
    let (sum, payload) = rest.split_once('\n')?;
    if first != kept.header() || sum != hex(&Sha256::digest(payload.as_bytes())) {
        return None;
    }
    Some(payload.to_string())
}

/// Writes `payload` into `folder` as `kept`, whole or not at all (a temporary file renamed into
/// place, so a reader never sees half of it).
fn write(folder: &Path, kept: &Kept<'_>, payload: &str) -> std::io::Result<()> {
    create_private(folder)?;
    if !trusted(folder) {
        return Err(std::io::Error::other("cartella della cache non sicura"));
    }
    let sum = hex(&Sha256::digest(payload.as_bytes()));
    let mut file = tempfile::Builder::new()
        .prefix(".index-")
        .tempfile_in(folder)?;
    file.write_all(format!("{}\n{sum}\n{payload}", kept.header()).as_bytes())?;
    file.persist(folder.join(kept.file_name()))
        .map(|_| ())
        .map_err(|error| error.error)
}

#[cfg(unix)]
fn create_private(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
}

#[cfg(not(unix))]
fn create_private(folder: &Path) -> std::io::Result<()> {
    fs::create_dir_all(folder)
}

/// A real file or folder (not a link) of the user running carta, that nobody else may write.
#[cfg(unix)]
fn trusted(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let user = unsafe { libc::geteuid() };
    fs::symlink_metadata(path).is_ok_and(|meta| {
        !meta.file_type().is_symlink() && meta.uid() == user && meta.mode() & 0o022 == 0
    })
}

#[cfg(not(unix))]
fn trusted(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| !meta.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str =
        "/*! licence */.a,.b{color:red}@media (min-width:1px){.b{margin:0}.c{padding:0}}";

    fn read_index(folder: &Path, digest: &str) -> Option<Index> {
        serde_json::from_str(&read(folder, &Kept::Index(digest))?).ok()
    }

    fn vocabulary(classes: &str) -> Vocabulary {
        let mut vocabulary = Vocabulary::with_implied_elements();
        vocabulary.add_element("div", [("class", classes)]);
        vocabulary
    }

    #[test]
    fn the_cached_index_gives_a_fresh_parses_bytes_and_a_damaged_cache_is_ignored() {
        // A stylesheet of this test alone, so that no other test has it in memory.
        let css = format!("{SHEET}.only-{}{{color:blue}}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cache/carta/css-index");
        let one = vocabulary("a c");
        let fresh = css::subset(&css, &one, "t.css").unwrap();
        assert_eq!(
            subset_with(&css, &one, "t.css", Some(&folder)).unwrap(),
            fresh
        );
        let digest = hex(&Sha256::digest(css.as_bytes()));
        let path = folder.join(Kept::Index(&digest).file_name());
        let written = fs::read_to_string(&path).unwrap();
        assert!(
            written.starts_with(&Kept::Index(&digest).header()),
            "{written}"
        );

        // Read back from disk (as the next process does), for another vocabulary.
        let two = vocabulary("b");
        let index = read_index(&folder, &digest).expect("the index is read back");
        assert_eq!(
            index.subset(&two),
            css::subset(&css, &two, "t.css").unwrap()
        );

        // A changed byte, a cut file, another header, garbage: ignored, never another output.
        let damaged = [
            written.replacen("color:red", "color:RED", 1),
            written[..written.len() / 2].to_string(),
            written.replacen("carta-css-index 1", "carta-css-index 0", 1),
            "\u{0}\u{1}garbage".to_string(),
            String::new(),
        ];
        for text in damaged {
            fs::write(&path, &text).unwrap();
            assert!(read_index(&folder, &digest).is_none(), "{text:?}");
        }
        // Even with a good checksum, a payload that is not an index is refused.
        let payload = "{\"head\":1}";
        let sum = hex(&Sha256::digest(payload.as_bytes()));
        fs::write(
            &path,
            format!("{}\n{sum}\n{payload}", Kept::Index(&digest).header()),
        )
        .unwrap();
        assert!(read_index(&folder, &digest).is_none());
        // A damaged file is made again by the next process that misses it.
        memory().lock().unwrap().remove(&digest);
        assert_eq!(
            subset_with(&css, &two, "t.css", Some(&folder)).unwrap(),
            css::subset(&css, &two, "t.css").unwrap()
        );
        assert!(read_index(&folder, &digest).is_some());
    }

    #[test]
    fn the_last_subset_is_kept_and_read_without_the_index() {
        let css = format!("{SHEET}.kept-{}{{color:blue}}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("css-index");
        let digest = hex(&Sha256::digest(css.as_bytes()));
        let one = vocabulary("a");
        let fresh = css::subset(&css, &one, "t.css").unwrap();
        assert_eq!(
            subset_with(&css, &one, "t.css", Some(&folder)).unwrap(),
            fresh
        );
        let subset_file = folder.join(
            Kept::Subset {
                stylesheet: &digest,
                vocabulary: "",
            }
            .file_name(),
        );
        assert!(fs::read_to_string(&subset_file).unwrap().ends_with(&fresh));
        // The next process: no index in memory, none on disk; the same pages get the kept subset.
        memory().lock().unwrap().remove(&digest);
        fs::remove_file(folder.join(Kept::Index(&digest).file_name())).unwrap();
        assert_eq!(
            subset_with(&css, &one, "t.css", Some(&folder)).unwrap(),
            fresh
        );
        assert!(
            memory().lock().unwrap().get(&digest).is_none(),
            "the index was not needed"
        );
        // A damaged subset is ignored; other pages replace it with theirs (one file a stylesheet).
        let written = fs::read_to_string(&subset_file).unwrap();
        fs::write(&subset_file, written.replacen("color:red", "color:RED", 1)).unwrap();
        assert_eq!(
            subset_with(&css, &one, "t.css", Some(&folder)).unwrap(),
            fresh
        );
        let two = vocabulary("c");
        let other = css::subset(&css, &two, "t.css").unwrap();
        assert_ne!(other, fresh);
        // (In the next process: in this one, the index in memory answers and nothing is written.)
        memory().lock().unwrap().remove(&digest);
        assert_eq!(
            subset_with(&css, &two, "t.css", Some(&folder)).unwrap(),
            other
        );
        assert!(fs::read_to_string(&subset_file).unwrap().ends_with(&other));
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_others_can_write_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let css = format!("{SHEET}.shared-{}{{color:blue}}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("css-index");
        let one = vocabulary("a");
        subset_with(&css, &one, "t.css", Some(&folder)).unwrap();
        let digest = hex(&Sha256::digest(css.as_bytes()));
        assert!(read_index(&folder, &digest).is_some());
        let path = folder.join(Kept::Index(&digest).file_name());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
        assert!(
            read_index(&folder, &digest).is_none(),
            "a file others may write"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
        assert!(
            read_index(&folder, &digest).is_none(),
            "in a folder others may write"
        );
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
        let link = folder.join("link.json");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(!trusted(&link), "a link");
    }
}
