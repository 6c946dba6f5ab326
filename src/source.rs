//! Source files read by a build, kept so diagnostics can quote them.
//!
//! Every file the loader reads is registered here once; diagnostics then refer to it by [`FileId`]
//! and a 1-based line and column. Nothing here knows about YAML, Markdown or HTML.
//!
//! A theme keeps its files in a map of its own, loaded once; each charter's map adopts it
//! ([`SourceMap::adopt`]), sharing the texts, so one theme can serve several charters and a
//! template's error still points into the right file of whichever charter it was rendering.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub(crate) usize);

/// One registered file: its path as shown to the user and its text.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// Path relative to the project root when possible, for short and stable messages.
    pub(crate) display_path: PathBuf,
    pub(crate) text: String,
}

/// Which [`SourceMap`] a [`FileId`] belongs to: unique for the life of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MapId(u64);

/// All the files read during a run.
#[derive(Debug)]
pub struct SourceMap {
    id: MapId,
    /// Shared, so that adopting another map's files copies no text.
    files: Vec<Arc<SourceFile>>,
    /// Maps adopted into this one: their id, and where their first file is here.
    adopted: Vec<(MapId, usize)>,
}

impl Default for SourceMap {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Self {
            id: MapId(NEXT.fetch_add(1, Ordering::Relaxed)),
            files: Vec::new(),
            adopted: Vec::new(),
        }
    }
}

impl SourceMap {
    /// An empty map, with an identity of its own.
    pub fn new() -> Self {
        Self::default()
    }

    /// This map's identity, for [`SourceMap::translate`].
    pub(crate) fn id(&self) -> MapId {
        self.id
    }

    /// Registers a file read from disk (or made by a test): `display_path` as messages show it,
    /// `text` as diagnostics quote it.
    pub fn add(&mut self, display_path: impl Into<PathBuf>, text: String) -> FileId {
        self.files.push(Arc::new(SourceFile {
            display_path: display_path.into(),
            text,
        }));
        FileId(self.files.len() - 1)
    }

    /// Makes every file of `other` a file of this map too (once: adopting again changes
    /// nothing), so that diagnostics about `other`'s files can be shown with this map.
    pub(crate) fn adopt(&mut self, other: &SourceMap) {
        if other.id == self.id || self.adopted.iter().any(|(id, _)| *id == other.id) {
            return;
        }
        self.adopted.push((other.id, self.files.len()));
        self.files.extend(other.files.iter().cloned());
    }

    /// The id in this map of file `file` of map `map`: itself for this map's own files, the
    /// adopted copy for an adopted map's, `None` for a map this one has not adopted.
    pub(crate) fn translate(&self, map: MapId, file: FileId) -> Option<FileId> {
        if map == self.id {
            return Some(file);
        }
        let (_, base) = self.adopted.iter().find(|(id, _)| *id == map)?;
        Some(FileId(base + file.0)).filter(|id| id.0 < self.files.len())
    }

    pub(crate) fn path(&self, id: FileId) -> &Path {
        &self.files[id.0].display_path
    }

    pub(crate) fn text(&self, id: FileId) -> &str {
        &self.files[id.0].text
    }

    /// The first registered file shown as `display_path`.
    pub(crate) fn find(&self, display_path: &std::path::Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|file| file.display_path == display_path)
            .map(FileId)
    }

    /// How many files the map holds, adopted ones included.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The map holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column) pair; columns count characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

/// Converts a 1-based (line, column) pair back to a byte offset, clamped to the text.
pub(crate) fn offset_of(text: &str, line: u32, col: u32) -> usize {
    let mut offset = 0;
    for (index, current) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line as usize {
            let within: usize = current
                .chars()
                .take(col.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return offset + within;
        }
        offset += current.len();
    }
    text.len()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "àb\ncdè\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, "àb\n".len()), (2, 1));
        assert_eq!(line_col(text, "àb\ncdè".len()), (2, 4));
        assert_eq!(offset_of(text, 2, 4), "àb\ncdè".len());
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

    #[test]
    fn an_adopted_map_s_files_are_found_under_their_new_ids() {
        let mut theme = SourceMap::new();
        let template = theme.add("themes/agid/templates/page.html", "{{ x }}".into());
        let mut one = SourceMap::new();
        one.add("site.toml", "a".into());
        let mut two = SourceMap::new();
        two.add("site.toml", "b".into());
        two.add("content/charter.yml", "c".into());
        one.adopt(&theme);
        two.adopt(&theme);
        two.adopt(&theme);
        assert_eq!(two.len(), 3, "adopting twice adds nothing");
        let in_one = one.translate(theme.id(), template).unwrap();
        let in_two = two.translate(theme.id(), template).unwrap();
        assert_eq!((in_one, in_two), (FileId(1), FileId(2)));
        assert_eq!(one.text(in_one), "{{ x }}");
        assert_eq!(
            two.path(in_two),
            Path::new("themes/agid/templates/page.html")
        );
        assert_eq!(one.translate(one.id(), FileId(0)), Some(FileId(0)));
        assert_eq!(SourceMap::new().translate(theme.id(), template), None);
    }
}
