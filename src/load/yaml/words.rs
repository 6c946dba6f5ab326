//! The YAML parser's own errors in Italian, and hints that quote what the editor wrote and show
//! it corrected (`15/9/2025` → `2025-09-15`, `90%` → `90`). Only wording: locations and codes
//! are chosen by the parent module.

use serde_saphyr::granit_parser::ErrorKind;

/// Separates a message from its hint in the text of a `de::Error::custom`, which carries one
/// string only; the parent module splits them again.
pub(super) const HINT: char = '\u{1f}';

/// The hint of a syntax error carta has no better words for.
pub(super) const GENERIC_HINT: &str = "controlla il rientro (solo spazi, non tabulazioni), i due punti dopo ogni chiave e le virgolette";

/// True for the parser's errors about a tab character.
pub(super) fn is_tab(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabInPlainScalar
            | ErrorKind::TabAtBlockScalarStart
    )
}

/// The parser's error in Italian: a message and a hint. `original` is the parser's English text,
/// shown in parentheses only for the errors carta has no words of its own for.
pub(super) fn scan_error(kind: &ErrorKind, original: &str) -> (String, String) {
    let (message, hint): (String, &str) = match kind {
        kind if is_tab(kind) => (
            "tabulazione nel rientro: in YAML si rientra solo con gli spazi".into(),
            "sostituisci la tabulazione con spazi, allineando la riga alle altre dello stesso livello",
        ),
        ErrorKind::UnexpectedEofFlowSequence => (
            "il file finisce prima della `]` che chiude l'elenco tra parentesi quadre".into(),
            "aggiungi la `]` alla fine dell'elenco",
        ),
        ErrorKind::UnexpectedEofFlowMapping | ErrorKind::UnexpectedEofImplicitFlowMapping => (
            "il file finisce prima della `}` che chiude il gruppo tra parentesi graffe".into(),
            "aggiungi la `}` alla fine del gruppo",
        ),
        ErrorKind::UnexpectedEofBlockSequence
        | ErrorKind::UnexpectedEofBlockMapping
        | ErrorKind::UnexpectedEof => (
            "il file finisce prima del previsto".into(),
            "controlla che parentesi e virgolette aperte siano chiuse",
        ),
        ErrorKind::ExpectedBlockMappingKey => (
            "qui serve una chiave (`chiave: valore`) allineata alle altre dello stesso gruppo"
                .into(),
            "controlla il rientro di questa riga e di quella sopra; un testo che contiene `: ` o inizia con un simbolo va tra virgolette",
        ),
        ErrorKind::ExpectedFlowMappingSeparator => (
            "nel gruppo tra parentesi graffe manca una `,` o la `}` di chiusura".into(),
            "separa le coppie con una virgola e chiudi il gruppo con `}`; un testo che contiene `,` o `:` va tra virgolette",
        ),
        ErrorKind::ExpectedFlowSequenceSeparator => (
            "nell'elenco tra parentesi quadre manca una `,` o la `]` di chiusura".into(),
            "separa gli elementi con una virgola e chiudi l'elenco con `]`; un testo che contiene `,` va tra virgolette",
        ),
        ErrorKind::ExpectedBlockSequenceEntry | ErrorKind::BlockSequenceEntryNotAllowed => (
            "un elemento dell'elenco (`- `) non è allineato agli altri".into(),
            "allinea i trattini `- ` dello stesso elenco alla stessa colonna",
        ),
        ErrorKind::BlockEntryInFlowCollection => (
            "un elemento `- ` dentro parentesi quadre o graffe".into(),
            "tra parentesi separa gli elementi con virgole, senza trattini; se una `[` o una `{` sopra è rimasta aperta per errore, toglila o chiudila",
        ),
        ErrorKind::ExpectedNodeContent => (
            "qui manca un valore".into(),
            "scrivi il valore dopo i due punti o dopo il trattino",
        ),
        ErrorKind::InvalidIndentation | ErrorKind::InvalidFlowScalarIndent => (
            "rientro sbagliato: la riga non è allineata alle altre dello stesso livello".into(),
            "rientra la riga con lo stesso numero di spazi delle chiavi dello stesso gruppo",
        ),
        ErrorKind::UnexpectedCharacter { character } => (
            format!("carattere inatteso `{character}`"),
            "un testo che inizia con un simbolo (@, `, %, *, &, !) va tra virgolette",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => (
            format!("la parentesi `{open}` è chiusa da `{close}`"),
            "chiudi `[` con `]` e `{` con `}`",
        ),
        ErrorKind::UnclosedFlowCollection { open } => (
            format!("la parentesi `{open}` non è chiusa"),
            "chiudi `[` con `]` e `{` con `}`",
        ),
        ErrorKind::MisplacedFlowCollectionEnd => (
            "parentesi di chiusura senza la sua apertura".into(),
            "togli la parentesi in più, oppure metti il testo tra virgolette",
        ),
        ErrorKind::UnclosedQuotedScalar => (
            "virgolette aperte e non chiuse".into(),
            "chiudi il testo con le stesse virgolette con cui si apre",
        ),
        ErrorKind::UnknownQuotedScalarEscape | ErrorKind::InvalidUnicodeEscape => (
            "sequenza con `\\` non valida tra virgolette doppie".into(),
            "usa le virgolette semplici ('…'), oppure scrivi `\\\\` per una barra rovesciata",
        ),
        ErrorKind::MappingValueNotAllowed
        | ErrorKind::InvalidMappingValueWhitespace
        | ErrorKind::InvalidColonPlacement => (
            "due punti fuori posto".into(),
            "un testo che contiene `: ` va tra virgolette; controlla anche che le parentesi `[` e `{` delle righe sopra siano chiuse",
        ),
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => (
            "chiave non valida: una chiave sta su una sola riga e finisce con `:`".into(),
            "un testo su più righe va dopo la chiave, tra virgolette o dopo `|`",
        ),
        ErrorKind::CommentNotSeparated => (
            "un commento `#` attaccato al testo".into(),
            "separa il `#` dal testo con uno spazio, oppure metti il testo tra virgolette",
        ),
        ErrorKind::BomInsideDocument => (
            "carattere invisibile (BOM) dentro il file".into(),
            "salva il file come UTF-8 senza BOM",
        ),
        _ => (format!("YAML non valido ({original})"), GENERIC_HINT),
    };
    (message, hint.to_string())
}

/// The column (1-based, in characters) of the tab the parser means: the last tab on the line
/// up to the reported column, which the parser puts just after it.
pub(super) fn tab_column(line: &str, reported: u32) -> Option<u32> {
    let tabs: Vec<usize> = line
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '\t')
        .map(|(index, _)| index)
        .collect();
    let before = tabs
        .iter()
        .rev()
        .find(|&&index| index < reported as usize)
        .or(tabs.first())?;
    Some(*before as u32 + 1)
}

/// A number written with a unit, a `%` or a decimal comma, as it should be written: `90%` →
/// `90`, `99,6` → `99.6`, `3 giorni` → `3`. `None` when nothing like a number is there, or it is
/// written correctly.
pub(super) fn corrected_number(written: &str, integer: bool) -> Option<String> {
    let trimmed = written.trim().trim_matches(|c| c == '"' || c == '\'');
    let digits: String = trimmed
        .trim_end_matches(|c: char| c.is_alphabetic() || c == '%' || c.is_whitespace() || c == '.')
        .replace(',', ".");
    let digits = digits.trim();
    if digits.is_empty() || digits == trimmed {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    if integer && value.fract() != 0.0 {
        return None;
    }
    Some(digits.to_string())
}

/// The number the editor wrote with a decimal comma inside braces (`{ percent: 99,6 }`, read as
/// `99` and a key `6`), from the line and the column of the key: `99.6`.
pub(super) fn split_decimal(line: &str, key_col: u32) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let key_start = key_col.checked_sub(1)? as usize;
    let fraction: String = chars
        .get(key_start..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let before = chars.get(..key_start)?;
    let comma = before.iter().rposition(|c| !c.is_whitespace())?;
    if before[comma] != ',' {
        return None;
    }
    let whole: String = before[..comma]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!whole.is_empty() && !fraction.is_empty()).then(|| format!("{whole}.{fraction}"))
}

/// A date written the Italian way, as `AAAA-MM-GG`: `15/9/2025`, `15.09.2025`, `15-9-2025` and
/// `15 settembre 2025` (day first), or `2025/9/15` (year first). `None` when it is not a date.
pub(super) fn corrected_date(written: &str) -> Option<String> {
    let lower = written.trim().to_lowercase();
    let parts: Vec<&str> = lower
        .split(|c: char| c == '/' || c == '.' || c == '-' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect();
    let [first, second, third] = parts.as_slice() else {
        return None;
    };
    let month = |text: &str| -> Option<u32> {
        text.parse().ok().or_else(|| {
            crate::model::ITALIAN_MONTHS
                .iter()
                .position(|name| *name == text)
                .map(|index| index as u32 + 1)
        })
    };
    let (year, month, day): (u32, u32, u32) = if first.len() == 4 {
        (first.parse().ok()?, month(second)?, third.parse().ok()?)
    } else {
        (third.parse().ok()?, month(second)?, first.parse().ok()?)
    };
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let iso = format!("{year:04}-{month:02}-{day:02}");
    crate::model::Date::parse(&iso).map(|_| iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_the_italian_way_are_shown_as_iso() {
        for (written, iso) in [
            ("15/9/2025", "2025-09-15"),
            ("15.09.2025", "2025-09-15"),
            ("15-9-2025", "2025-09-15"),
            ("3 giugno 2025", "2025-06-03"),
            ("2025/9/15", "2025-09-15"),
        ] {
            assert_eq!(corrected_date(written).as_deref(), Some(iso), "{written}");
        }
        for not_a_date in ["31/2/2025", "ieri", "15/9/25", "2025-13-01"] {
            assert_eq!(corrected_date(not_a_date), None, "{not_a_date}");
        }
    }

    #[test]
    fn numbers_lose_their_unit_and_comma() {
        assert_eq!(corrected_number("90%", false).as_deref(), Some("90"));
        assert_eq!(corrected_number("99,6 %", false).as_deref(), Some("99.6"));
        assert_eq!(corrected_number("3 giorni", true).as_deref(), Some("3"));
        assert_eq!(corrected_number("2.5", true), None);
        assert_eq!(corrected_number("tanti", false), None);
    }

    #[test]
    fn the_decimal_comma_is_read_back_from_the_line() {
        assert_eq!(
            split_decimal("  - availability: { percent: 99,6 }", 33).as_deref(),
            Some("99.6")
        );
        assert_eq!(split_decimal("  a: {b: 1, c: 2}", 13), None);
    }

    #[test]
    fn the_tab_is_found_at_or_before_the_reported_column() {
        assert_eq!(tab_column("\tusers: [a]", 2), Some(1));
        assert_eq!(tab_column("  \t  key: x", 4), Some(3));
        assert_eq!(tab_column("no tab", 2), None);
    }
}
