//! Whole-line comments of `site.toml` and the YAML files: text for whoever edits the file, never
//! published, so never a value still to fill in nor a leftover of another ente.

use std::ops::Range;
use std::path::Path;

/// The byte ranges of the lines that are only a comment (`# …`, after optional spaces) in a TOML
/// or YAML file, by its extension; none for any other file. Lines inside a YAML block scalar
/// (`key: |`, `key: >-`) or a TOML multi-line string are text, not comments.
pub(crate) fn whole_line(path: &Path, text: &str) -> Vec<Range<usize>> {
    let syntax = match path.extension().and_then(|ext| ext.to_str()) {
        Some("toml") => Syntax::Toml,
        Some("yaml" | "yml") => Syntax::Yaml,
        _ => return Vec::new(),
    };
    let mut comments = Vec::new();
    let mut offset = 0;
    // YAML: the indentation of the key that opened a block scalar. TOML: inside `"""` or `'''`.
    let mut block: Option<usize> = None;
    let mut multiline: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let range = offset..offset + line.len();
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        match syntax {
            Syntax::Yaml => {
                if let Some(key_indent) = block {
                    if trimmed.is_empty() || indent > key_indent {
                        continue;
                    }
                    block = None;
                }
                if trimmed.starts_with('#') {
                    comments.push(range);
                } else if opens_block_scalar(trimmed) {
                    block = Some(indent);
                }
            }
            Syntax::Toml => {
                if let Some(quotes) = multiline {
                    if content.matches(quotes).count() % 2 == 1 {
                        multiline = None;
                    }
                    continue;
                }
                if trimmed.starts_with('#') {
                    comments.push(range);
                    continue;
                }
                for quotes in ["\"\"\"", "'''"] {
                    if content.matches(quotes).count() % 2 == 1 {
                        multiline = Some(quotes);
                        break;
                    }
                }
            }
        }
    }
    comments
}

#[derive(Clone, Copy)]
enum Syntax {
    Toml,
    Yaml,
}

/// `key: |`, `- >-`, `key: |2 # note`: the line ends with a block scalar indicator.
fn opens_block_scalar(line: &str) -> bool {
    let without_comment = match line.find(" #") {
        Some(at) => &line[..at],
        None => line,
    };
    let Some(at) = without_comment.rfind(['|', '>']) else {
        return false;
    };
    let (before, indicator) = without_comment.split_at(at);
    let before = before.trim_end();
    (before.ends_with(':') || before == "-" || before.ends_with(" -"))
        && indicator[1..]
            .trim_end()
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

/// Whether byte `offset` falls inside one of `ranges` (in any order, overlapping or not).
pub(crate) fn contains(ranges: &[Range<usize>], offset: usize) -> bool {
    ranges.iter().any(|range| range.contains(&offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(path: &str, text: &str) -> Vec<String> {
        whole_line(Path::new(path), text)
            .into_iter()
            .map(|range| text[range].trim_end().to_string())
            .collect()
    }

    #[test]
    fn toml_comments_but_not_strings() {
        let text = "# uno\nname = \"# non\" # coda\n  # due\nx = \"\"\"\n# testo\n\"\"\"\n# tre\n";
        assert_eq!(comments("site.toml", text), ["# uno", "  # due", "# tre"]);
    }

    #[test]
    fn yaml_comments_but_not_block_scalars() {
        let text = "# uno\nsummary: >-\n  # testo\n\n  ancora\n# due\nitems:\n  - |\n    # testo\n  # tre\n";
        assert_eq!(
            comments("a.yaml", text),
            ["# uno", "# due", "  # tre"],
            "a block scalar ends where the indentation comes back"
        );
    }

    #[test]
    fn markdown_has_no_comments_here() {
        assert!(comments("01.md", "# Titolo\n").is_empty());
    }

    #[test]
    fn contains_finds_the_range() {
        let ranges = [10..12, 2..4, 3..11];
        assert!(!contains(&ranges, 1));
        assert!(contains(&ranges, 2));
        assert!(contains(&ranges, 4));
        assert!(contains(&ranges, 11));
        assert!(!contains(&ranges, 12));
    }
}
