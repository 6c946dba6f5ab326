//! Well-formedness of the small formats content is full of: email addresses, Italian phone numbers,
//! web addresses and ids. Used by validation (to report) and rendering (to build `tel:` links).

/// The marker `carta init` writes where the new ente must fill in its own value.
pub(crate) const PLACEHOLDER: &str = "DA COMPILARE";

/// A value still to be filled in (see [`PLACEHOLDER`]); its form is not checked.
pub(crate) fn is_placeholder(text: &str) -> bool {
    text.contains(PLACEHOLDER)
}

/// `nome.cognome@comune.fi.it`: a plain address, no display name, no spaces.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
    local_ok && is_domain(domain)
}

/// An IPA code as the index assigns them: `c_d612`, `r_toscan`, `agid` (lowercase letters, digits
/// and underscores, 2 to 20 characters, starting with a letter).
pub(crate) fn is_ipa_code(text: &str) -> bool {
    (2..=20).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `comune.fi.it`: dot-separated labels of letters, digits and inner hyphens, ending in a letter TLD.
pub(crate) fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// An Italian or international number written with digits and spaces: `055 3283807`, `+39 055 328 3807`.
pub(crate) fn is_phone(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == ' ')
        && (6..=15).contains(&digits)
}

/// The `tel:` form of a phone number: `055 3283807` → `+390553283807`. Numbers without a country
/// code are Italian.
pub(crate) fn tel_uri_number(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        format!("+39{digits}")
    }
}

/// An absolute `http://` or `https://` address with a host.
pub(crate) fn is_web_url(text: &str) -> bool {
    if !crate::url_policy::is_web_address(text) {
        return false;
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    !host.is_empty()
        && !text.chars().any(char::is_whitespace)
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Ids are lowercase kebab-case ASCII: `servizio-sviluppo`, `marco-mencacci`.
pub(crate) fn is_id(text: &str) -> bool {
    crate::slug::is_valid(text)
}

/// `https://form.agid.gov.it/view/<id>`: the page of one published accessibility statement, the
/// form AGID gives for the footer link (`W194`). The bare site, its login or its list of
/// statements is not a statement.
pub(crate) fn is_published_statement(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://form.agid.gov.it/view/") else {
        return false;
    };
    let id = rest.strip_suffix('/').unwrap_or(rest);
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("caterina.graziani@comune.fi.it"));
        assert!(is_email("eq.rdods@comune.fi.it"));
        assert!(!is_email("caterina.graziani@comune"));
        assert!(!is_email("caterina graziani@comune.fi.it"));
        assert!(!is_email("@comune.fi.it"));
        assert!(!is_email("a..b@comune.fi.it"));
        assert!(!is_email("mailto:a@comune.fi.it"));
    }

    #[test]
    fn phones() {
        assert!(is_phone("055 3283807"));
        assert!(is_phone("+39 055 328 3807"));
        assert!(!is_phone("055-3283807"));
        assert!(!is_phone("tel 055"));
        assert_eq!(tel_uri_number("055 328 2726"), "+390553282726");
        assert_eq!(tel_uri_number("+39 055 3282726"), "+390553282726");
    }

    #[test]
    fn urls() {
        assert!(is_web_url("https://www.comune.firenze.it/"));
        assert!(is_web_url("http://www.comune.intranet/"));
        assert!(is_web_url("https://form.agid.gov.it/view/abc?x=1"));
        assert!(!is_web_url("www.comune.fi.it"));
        assert!(!is_web_url("https:// spazio.it"));
        assert!(!is_web_url("javascript:alert(1)"));
    }
}
