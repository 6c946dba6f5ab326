//! Whole keys of a YAML file, found by their lines: what `init` replaces or removes when a value is
//! more than one scalar (a list of standards, the approval act, the dates a desk was closed).
//!
//! The scan reads indentation, not the YAML grammar, so every edit made with it is checked by
//! parsing the result with the model before it is kept (see `super::cleared`).

use std::ops::Range;

/// A key and the lines of its value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyBlock {
    /// The key's line and the lines of its value, newline included; blank and comment lines after
    /// the value are not part of it.
    pub lines: Range<usize>,
    /// Where the key itself starts (after the indentation and any `- ` of a list item).
    pub key_start: usize,
    /// Whether the key is the first of a list item (`- key: …`): its line cannot simply go.
    pub in_item: bool,
    /// What follows `key:` on its own line, without a trailing comment, trimmed.
    pub inline: String,
}

/// Every `key:` of `text` (at any depth, outside comments) with the lines of its value: the lines
/// after it indented deeper than the key, or, when nothing follows the key on its line, the items
/// of a block sequence written at the key's own indentation (`key:` then `- item`).
pub(super) fn key_blocks(text: &str, key: &str) -> Vec<KeyBlock> {
    let lines = line_spans(text);
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let (start, end) = lines[index];
        let line = &text[start..end];
        let Some((column, in_item, rest)) = key_on_line(line, key) else {
            index += 1;
            continue;
        };
        let inline = strip_comment(rest).trim().to_string();
        let sequence_allowed = inline.is_empty();
        let mut last = index;
        let mut next = index + 1;
        while next < lines.len() {
            let (s, e) = lines[next];
            let content = text[s..e].trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                next += 1;
                continue;
            }
            let indent = content.len() - trimmed.len();
            let item = trimmed == "-" || trimmed.starts_with("- ");
            if indent > column || (indent == column && item && sequence_allowed) {
                last = next;
                next += 1;
            } else {
                break;
            }
        }
        found.push(KeyBlock {
            lines: start..lines[last].1,
            key_start: start + column,
            in_item,
            inline,
        });
        index = last + 1;
    }
    found
}

/// `(start, end)` of every line, the newline included in `end`.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        spans.push((start, start + line.len()));
        start += line.len();
    }
    spans
}

/// The column of `key:` on a line (past the indentation and any `- `), whether a `- ` came before
/// it, and the rest of the line after the colon.
fn key_on_line<'a>(line: &'a str, key: &str) -> Option<(usize, bool, &'a str)> {
    let mut column = line.len() - line.trim_start_matches(' ').len();
    let mut in_item = false;
    loop {
        let rest = &line[column..];
        if let Some(after) = rest.strip_prefix("- ") {
            in_item = true;
            column += 2 + (after.len() - after.trim_start_matches(' ').len());
        } else {
            break;
        }
    }
    let rest = line[column..].strip_prefix(key)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r'])) {
        return None;
    }
    Some((column, in_item, rest))
}

/// A value without its trailing ` # comment` (outside quotes).
fn strip_comment(value: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (index, ch) in value.char_indices() {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(open), _) if ch == open => quote = None,
            (None, '#') if previous.is_whitespace() => return &value[..index],
            _ => {}
        }
        previous = ch;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks<'a>(text: &'a str, key: &str) -> Vec<(&'a str, bool, String)> {
        key_blocks(text, key)
            .into_iter()
            .map(|block| (&text[block.lines], block.in_item, block.inline))
            .collect()
    }

    #[test]
    fn a_block_sequence_under_a_key_of_a_list_item() {
        let text = "commitments:\n  - id: a\n    standards:\n      - take_charge: { days: 3, percent: 85 }\n\n      # a comment\n      - on_request\n    responsible: [x]\n  - id: b\n    standards: not_defined # none yet\n";
        assert_eq!(
            blocks(text, "standards"),
            [
                (
                    "    standards:\n      - take_charge: { days: 3, percent: 85 }\n\n      # a comment\n      - on_request\n",
                    false,
                    String::new()
                ),
                (
                    "    standards: not_defined # none yet\n",
                    false,
                    "not_defined".to_string()
                ),
            ]
        );
    }

    #[test]
    fn items_at_the_keys_indentation_and_flow_values_over_lines() {
        let text = "- standards:\n  - on_request\n  id: a\n- id: b\n  standards: [\n      on_request,\n    ]\n  id: c\n";
        let found = blocks(text, "standards");
        assert_eq!(
            found[0],
            ("- standards:\n  - on_request\n", true, String::new())
        );
        assert_eq!(
            found[1],
            (
                "  standards: [\n      on_request,\n    ]\n",
                false,
                "[".to_string()
            )
        );
    }

    #[test]
    fn top_level_keys_and_trailing_comments() {
        let text = "edition: \"2025\"\napproval:\n  act: \"DD 1\"\n  date: 2025-06-03\n# about the dates\npublished: 2025-06-03\nlast_updated: 2025-06-03";
        assert_eq!(
            blocks(text, "approval"),
            [(
                "approval:\n  act: \"DD 1\"\n  date: 2025-06-03\n",
                false,
                String::new()
            )]
        );
        assert_eq!(
            blocks(text, "published"),
            [("published: 2025-06-03\n", false, "2025-06-03".to_string())]
        );
        assert!(blocks(text, "approv").is_empty(), "whole keys only");
        assert!(blocks("# approval: x\n", "approval").is_empty());
    }
}
