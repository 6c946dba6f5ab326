//! Control characters in what editors write: refused in the text of YAML and TOML files.
//!
//! A NUL, an ESC or a form feed is invisible in an editor but reaches every output that carries
//! the text: pages, the print stylesheet's strings, CSV cells, JSON. None of them means anything in
//! a charter, so the loader refuses them where they are written (`E220`), before any output sees
//! them. Tab, line feed and carriage return are text; every other character of Unicode's control
//! category (C0, DEL and C1) is refused, whether written as is or as an escape (`"\e"`, `"\x00"`,
//! `"\u000C"`), since the parsed text is what is checked.

use crate::diagnostics::Diagnostic;

/// The first control character of `text` that is not tab, line feed or carriage return.
pub(crate) fn first_refused(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The error for `ch` found in a value (or key) of a data file; the caller places it.
pub(crate) fn refused(ch: char) -> Diagnostic {
    let name = match ch {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\u{b}' => " (tabulazione verticale)",
        '\u{c}' => " (salto pagina)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    Diagnostic::error(
        "E220",
        format!(
            "il testo contiene il carattere di controllo U+{:04X}{name}",
            ch as u32
        ),
    )
    .with_hint("togli il carattere (spesso arriva da un copia e incolla): non si vede, ma finirebbe nelle pagine, nella stampa e nei dati aperti")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tab_and_line_ends_pass() {
        assert_eq!(first_refused("riga\tcon tab\r\nnuova riga"), None);
        assert_eq!(first_refused("àèìòù — «citazione»"), None);
        for ch in [
            '\0', '\u{1}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9b}',
        ] {
            assert_eq!(first_refused(&format!("a{ch}b")), Some(ch), "{ch:?}");
        }
    }
}
