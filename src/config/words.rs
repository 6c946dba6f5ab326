//! The TOML reader's own errors in `site.toml`, in Italian: it gives them as English text only,
//! so each known message is matched by its words; the hint quotes the line written and shows it
//! corrected where carta can tell how.

/// A syntax or type error of `site.toml` in Italian: the message and the hint. `line` is the
/// line of the file the error points at.
pub(super) fn toml_error(message: &str, line: &str) -> (String, String) {
    let (key, value) = line
        .split_once('=')
        .map(|(key, value)| (key.trim(), value.trim()))
        .unwrap_or(("", ""));
    if message.starts_with("string values must be quoted") {
        let quoted = value.trim_matches('"');
        return (
            format!("testo senza virgolette: `{value}`"),
            format!(
                "scrivi {key} = \"{quoted}\": in site.toml i testi vanno tra virgolette doppie"
            ),
        );
    }
    if message.starts_with("extra `=`") {
        let once = value.trim_start_matches(['=', ' ']);
        return (
            "un `=` in più".to_string(),
            format!(
                "scrivi {key} = {once}: una chiave e il suo valore sono separati da un solo `=`"
            ),
        );
    }
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        return (
            "virgolette non chiuse".to_string(),
            format!(
                "scrivi {key} = \"{}\": il testo si chiude con le stesse virgolette sulla stessa riga",
                value.trim_matches(['"', '\''])
            ),
        );
    }
    if message.starts_with("duplicate key") {
        return (
            "la chiave compare due volte nella stessa tabella".to_string(),
            "tieni una sola delle due righe".to_string(),
        );
    }
    if message.starts_with("unclosed table") || message.starts_with("invalid table header") {
        return (
            "nome della tabella non chiuso".to_string(),
            format!(
                "scrivi [{}]: il nome della tabella sta tra parentesi quadre",
                line.trim().trim_matches(['[', ']'])
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return wrong_type(found, expected, key);
    }
    if message.starts_with("expected `.`, `=`") || message.starts_with("key with no value") {
        return (
            "manca il valore della chiave".to_string(),
            "scrivi la chiave, `=` e il valore sulla stessa riga: chiave = \"valore\"".to_string(),
        );
    }
    (
        format!("site.toml non valido ({message})"),
        "controlla la sintassi TOML: testi tra virgolette, true/false senza virgolette, una chiave per riga"
            .to_string(),
    )
}

/// `invalid type: string "no", expected a boolean`, in Italian, with the value corrected.
fn wrong_type(found: &str, expected: &str, key: &str) -> (String, String) {
    // serde writes the value as `string "no"` or `integer `3``.
    let written = found
        .split_once(' ')
        .map(|(_, value)| value.trim_matches('`'))
        .unwrap_or(found);
    let bare = written.trim_matches('"').to_lowercase();
    let (needed, corrected) = match expected {
        "a boolean" => (
            "true oppure false",
            match bare.as_str() {
                "no" | "false" | "falso" | "0" => Some("false".to_string()),
                "sì" | "si" | "yes" | "true" | "vero" | "1" => Some("true".to_string()),
                _ => None,
            },
        ),
        "a string" => ("un testo tra virgolette", Some(format!("\"{bare}\""))),
        expected
            if expected.contains("integer")
                || expected.starts_with("u")
                || expected.starts_with("i") =>
        {
            (
                "un numero intero",
                bare.parse::<u64>().ok().map(|n| n.to_string()),
            )
        }
        expected if expected.contains("sequence") => ("un elenco tra parentesi quadre", None),
        _ => ("un valore di altro tipo", None),
    };
    let message = format!("valore del tipo sbagliato `{written}`: qui serve {needed}");
    let hint = match corrected {
        Some(corrected) if !key.is_empty() => {
            format!("scrivi {key} = {corrected}")
        }
        _ => format!("scrivi {needed}; l'elenco delle chiavi è in docs/content.md"),
    };
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_mistakes_are_said_in_italian_with_the_line_corrected() {
        let cases = [
            (
                "string values must be quoted, expected literal string",
                "name = Comune di Firenze",
                "testo senza virgolette: `Comune di Firenze`",
                "scrivi name = \"Comune di Firenze\": in site.toml i testi vanno tra virgolette doppie",
            ),
            (
                "invalid type: string \"no\", expected a boolean",
                "external_links_new_window = \"no\"",
                "valore del tipo sbagliato `\"no\"`: qui serve true oppure false",
                "scrivi external_links_new_window = false",
            ),
            (
                "invalid type: integer `3`, expected a string",
                "language = 3",
                "valore del tipo sbagliato `3`: qui serve un testo tra virgolette",
                "scrivi language = \"3\"",
            ),
            (
                "extra `=`, expected nothing",
                "name = = \"Comune\"",
                "un `=` in più",
                "scrivi name = \"Comune\": una chiave e il suo valore sono separati da un solo `=`",
            ),
            (
                "unclosed table, expected `]`",
                "[site",
                "nome della tabella non chiuso",
                "scrivi [site]: il nome della tabella sta tra parentesi quadre",
            ),
        ];
        for (english, line, message, hint) in cases {
            assert_eq!(
                toml_error(english, line),
                (message.to_string(), hint.to_string()),
                "{english}"
            );
        }
    }

    #[test]
    fn an_unknown_message_keeps_the_original_in_parentheses() {
        let (message, _) = toml_error("something new", "a = 1");
        assert_eq!(message, "site.toml non valido (something new)");
    }
}
