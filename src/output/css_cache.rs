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
    if let Some(index) = folder.and_then(|folder| read(folder, &digest)) {
        let index = Arc::new(index);
        remember(&digest, Some(index.clone()));
        return Ok(index.subset(vocabulary));
    }
    let (subset, index) = css::subset_and_index(css, vocabulary, filename)?;
    if let (Some(folder), Some(index)) = (folder, &index) {
        // A cache that cannot be written only means the next process parses again.
        let _ = write(folder, &digest, index);
    }
    remember(&digest, index.map(Arc::new));
    Ok(subset)
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

/// The first line of a cache file: what it is, for which stylesheet, made by which carta.
fn header(digest: &str) -> String {
    format!(
        "carta-css-index {FORMAT} {} {digest}",
        env!("CARGO_PKG_VERSION")
    )
}

fn file_name(digest: &str) -> String {
    format!("{digest}-{FORMAT}-{}.json", env!("CARGO_PKG_VERSION"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The index kept in `folder` for the stylesheet `digest`, when it is there, whole, and ours.
fn read(folder: &Path, digest: &str) -> Option<Index> {
    let path = folder.join(file_name(digest));
    if !trusted(folder) || !trusted(&path) {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(&path)
        .ok()?
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (first, rest) = text.split_once('\n')?;
    let (sum, payload) = rest.split_once('\n')?;
    if first != header(digest) || sum != hex(&Sha256::digest(payload.as_bytes())) {
        return None;
    }
    serde_json::from_str(payload).ok()
}

/// Writes the index of stylesheet `digest` into `folder`, whole or not at all (a temporary file
/// renamed into place, so a reader never sees half of it).
fn write(folder: &Path, digest: &str, index: &Index) -> std::io::Result<()> {
    create_private(folder)?;
    if !trusted(folder) {
        return Err(std::io::Error::other("cartella della cache non sicura"));
    }
    let payload = serde_json::to_string(index).map_err(std::io::Error::other)?;
    let sum = hex(&Sha256::digest(payload.as_bytes()));
    let mut file = tempfile::Builder::new()
        .prefix(".index-")
        .tempfile_in(folder)?;
    file.write_all(format!("{}\n{sum}\n{payload}", header(digest)).as_bytes())?;
    file.persist(folder.join(file_name(digest)))
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
        let path = folder.join(file_name(&digest));
        let written = fs::read_to_string(&path).unwrap();
        assert!(written.starts_with(&header(&digest)), "{written}");

        // Read back from disk (as the next process does), for another vocabulary.
        let two = vocabulary("b");
        let index = read(&folder, &digest).expect("the index is read back");
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
            assert!(read(&folder, &digest).is_none(), "{text:?}");
        }
        // Even with a good checksum, a payload that is not an index is refused.
        let payload = "{\"head\":1}";
        let sum = hex(&Sha256::digest(payload.as_bytes()));
        fs::write(&path, format!("{}\n{sum}\n{payload}", header(&digest))).unwrap();
        assert!(read(&folder, &digest).is_none());
        // A damaged file is made again by the next process that misses it.
        memory().lock().unwrap().remove(&digest);
        assert_eq!(
            subset_with(&css, &two, "t.css", Some(&folder)).unwrap(),
            css::subset(&css, &two, "t.css").unwrap()
        );
        assert!(read(&folder, &digest).is_some());
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
        assert!(read(&folder, &digest).is_some());
        let path = folder.join(file_name(&digest));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
        assert!(read(&folder, &digest).is_none(), "a file others may write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
        assert!(
            read(&folder, &digest).is_none(),
            "in a folder others may write"
        );
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
        let link = folder.join("link.json");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(!trusted(&link), "a link");
    }
}
