//! Splits a chapter file into its YAML front matter and its Markdown body.
//!
//! The front matter is the block between a first line `---` and the next line `---`.

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

pub(super) struct Split<'a> {
    /// The YAML text between the two `---` lines.
    pub(crate) yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub(crate) yaml_line: u32,
    /// Byte offset where the Markdown body starts.
    pub(crate) body_offset: usize,
}

const EXAMPLE: &str = "il file deve iniziare così:\n---\ntitle: Titolo del capitolo\norder: 1\n---";

pub(super) fn split(sources: &SourceMap, file: FileId) -> Result<Split<'_>, Diagnostic> {
    let text = sources.text(file);
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(
            Diagnostic::error("E120", "manca l'intestazione del capitolo (front matter)")
                .at(file, 1, 1, 3)
                .with_hint(EXAMPLE),
        );
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("E121", "l'intestazione del capitolo non è chiusa")
            .at(file, 1, 1, 3)
            .with_hint("aggiungi una riga con solo `---` dopo l'ultima chiave dell'intestazione"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "a.md",
            "---\ntitle: A\norder: 1\n---\n\nTesto\n".to_string(),
        );
        let split = split(&sources, file).unwrap();
        assert_eq!(split.yaml, "title: A\norder: 1\n");
        assert_eq!(&sources.text(file)[split.body_offset..], "\nTesto\n");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        let mut sources = SourceMap::new();
        let missing = sources.add("a.md", "# Titolo\n".to_string());
        let unclosed = sources.add("b.md", "---\ntitle: A\n".to_string());
        assert_eq!(split(&sources, missing).err().unwrap().code, "E120");
        assert_eq!(split(&sources, unclosed).err().unwrap().code, "E121");
    }
}
