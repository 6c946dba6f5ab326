//! Source files read by a build, kept so diagnostics can quote them.
//!
//! Every file the loader reads is registered here once; diagnostics then refer to it by [`FileId`]
//! and a 1-based line and column. Nothing here knows about YAML, Markdown or HTML.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// One registered file: its path as shown to the user and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the project root when possible, for short and stable messages.
    pub display_path: PathBuf,
    pub text: String,
}

/// All the files read during a run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, display_path: impl Into<PathBuf>, text: String) -> FileId {
        self.files.push(SourceFile {
            display_path: display_path.into(),
            text,
        });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.files[id.0].display_path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0].text
    }

    /// The first registered file shown as `display_path`.
    pub fn find(&self, display_path: &std::path::Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|file| file.display_path == display_path)
            .map(FileId)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column) pair; columns count characters.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

/// Converts a 1-based (line, column) pair back to a byte offset, clamped to the text.
pub fn offset_of(text: &str, line: u32, col: u32) -> usize {
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
}
