//! The one rule every URL the site writes must pass, from Markdown, raw HTML, YAML or site.toml.
//!
//! A URL is read as a browser reads it (the WHATWG URL parser of the `url` crate: leading and
//! trailing spaces and control characters dropped, tabs and newlines removed anywhere, the scheme
//! lowercased) and then allowed only if its scheme is on the list: `https`, `http`, `mailto`
//! (with at most the `subject` and `body` fields), `tel`, or no scheme at all (a path of the site).
//! Callers pass text already decoded from its source format (HTML entities by the HTML parser,
//! Markdown escapes by pulldown-cmark). This module decides; it never reports or rewrites.

use std::sync::LazyLock;

use url::Url;

/// What an allowed URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// A path of this site, relative to the page or to the root, or only a `#fragment`.
    Site,
    /// An `http:` or `https:` address, or a scheme-relative `//host/…` one.
    Web,
    Mailto,
    Tel,
}

/// Where a URL is used: an image may only load from the web or the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlUse {
    /// A link (`href`, `cite`): every allowed kind.
    Link,
    /// An image source (`src`): the site or the web only.
    Image,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A scheme that is not on the list (`javascript`, `vbscript`, `data`, `file`, …), lowercased.
    Scheme(String),
    /// A `mailto:` field other than `subject` and `body` (`bcc`, `cc`, `to`, …), or a line break in
    /// the address or the subject: either adds recipients or mail headers.
    MailHeader(String),
    /// An allowed kind in a place that does not take it (a `mailto:` image).
    NotForUse(UrlKind),
    /// Not a URL a browser would accept.
    Invalid,
}

impl Refusal {
    /// A short Italian description, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Refusal::Scheme(scheme) => format!("indirizzo `{scheme}:` non ammesso"),
            Refusal::MailHeader(field) => {
                format!("campo `{field}` nel link mailto: non ammesso")
            }
            Refusal::NotForUse(kind) => match kind {
                UrlKind::Mailto => "un'immagine non può essere un indirizzo mailto:".to_string(),
                UrlKind::Tel => "un'immagine non può essere un numero tel:".to_string(),
                UrlKind::Site | UrlKind::Web => "indirizzo non ammesso qui".to_string(),
            },
            Refusal::Invalid => "indirizzo non valido".to_string(),
        }
    }
}

static BASE: LazyLock<Url> = LazyLock::new(|| {
    Url::parse("https://carta.invalid/pagina/").expect("the base URL is a valid constant")
});

/// Decides whether `raw` may be written into the site as a link or image address.
pub(crate) fn check(raw: &str, usage: UrlUse) -> Result<UrlKind, Refusal> {
    let kind = classify(raw)?;
    match (usage, kind) {
        (UrlUse::Image, UrlKind::Mailto | UrlKind::Tel) => Err(Refusal::NotForUse(kind)),
        _ => Ok(kind),
    }
}

fn classify(raw: &str) -> Result<UrlKind, Refusal> {
    match Url::parse(raw) {
        Ok(url) => match url.scheme() {
            "https" | "http" if url.host().is_some() => Ok(UrlKind::Web),
            "https" | "http" => Err(Refusal::Invalid),
            "mailto" => check_mailto(&url).map(|()| UrlKind::Mailto),
            "tel" => check_tel(&url).map(|()| UrlKind::Tel),
            other => Err(Refusal::Scheme(other.to_string())),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            // A browser resolves it against the page: a path of the site, or (`//host`, `\\host`)
            // another host over the page's own scheme.
            let resolved = BASE.join(raw).map_err(|_| Refusal::Invalid)?;
            if resolved.scheme() != BASE.scheme() {
                return Err(Refusal::Scheme(resolved.scheme().to_string()));
            }
            if resolved.host() == BASE.host() {
                Ok(UrlKind::Site)
            } else {
                Ok(UrlKind::Web)
            }
        }
        Err(_) => Err(Refusal::Invalid),
    }
}

fn check_mailto(url: &Url) -> Result<(), Refusal> {
    if has_line_break(url.path()) {
        return Err(Refusal::MailHeader("a".to_string()));
    }
    for (name, value) in url.query_pairs() {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            // A body may hold line breaks; they stay in the body.
            "body" => {}
            "subject" if !has_line_break(&value) => {}
            _ => return Err(Refusal::MailHeader(name)),
        }
    }
    Ok(())
}

fn check_tel(url: &Url) -> Result<(), Refusal> {
    let number = percent_decoded(url.path());
    if number.chars().any(char::is_control) || number.contains(['?', '&']) {
        return Err(Refusal::Invalid);
    }
    Ok(())
}

fn has_line_break(text: &str) -> bool {
    percent_decoded(text)
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

fn percent_decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// An absolute `http://` or `https://` address with a host, as the identity and footer links of
/// site.toml and the channels of the data must be.
pub(crate) fn is_web_address(raw: &str) -> bool {
    raw == raw.trim()
        && !raw.chars().any(char::is_whitespace)
        && matches!(Url::parse(raw), Ok(url) if matches!(url.scheme(), "https" | "http")
            && url.host().is_some()
            && url.username().is_empty()
            && url.password().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(raw: &str) -> Result<UrlKind, Refusal> {
        check(raw, UrlUse::Link)
    }

    #[test]
    fn allowed_schemes_and_paths() {
        assert_eq!(link("https://www.comune.fi.it/"), Ok(UrlKind::Web));
        assert_eq!(link("HTTP://intranet.comune/"), Ok(UrlKind::Web));
        assert_eq!(link("//altro.example/x"), Ok(UrlKind::Web));
        assert_eq!(link("/impegni/"), Ok(UrlKind::Site));
        assert_eq!(link("03-standard.md#sezione"), Ok(UrlKind::Site));
        assert_eq!(link("#sezione"), Ok(UrlKind::Site));
        assert_eq!(link(""), Ok(UrlKind::Site));
        assert_eq!(link("mailto:urp@comune.it"), Ok(UrlKind::Mailto));
        assert_eq!(
            link("mailto:urp@comune.it?subject=Reclamo&body=riga%0D%0Ariga"),
            Ok(UrlKind::Mailto)
        );
        assert_eq!(link("tel:+390553283807"), Ok(UrlKind::Tel));
    }

    #[test]
    fn script_schemes_are_refused_however_they_are_spelled() {
        for raw in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\rscript:alert(1)",
            "\u{0}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "blob:https://x/1",
            "ftp://ftp.example/",
        ] {
            assert!(
                matches!(link(raw), Err(Refusal::Scheme(_))),
                "{raw:?} → {:?}",
                link(raw)
            );
        }
    }

    #[test]
    fn mail_headers_are_refused() {
        for raw in [
            "mailto:a@b.it?bcc=spia@altro.it",
            "mailto:a@b.it?cc=spia@altro.it",
            "mailto:a@b.it?to=spia@altro.it",
            "mailto:a@b.it?subject=x%0D%0ABcc:spia@altro.it",
            "mailto:a@b.it%0D%0ABcc:spia@altro.it",
            "mailto:a@b.it?SUBJECT=ok&Bcc=x@y.it",
        ] {
            assert!(
                matches!(link(raw), Err(Refusal::MailHeader(_))),
                "{raw:?} → {:?}",
                link(raw)
            );
        }
    }

    #[test]
    fn images_take_only_the_site_or_the_web() {
        assert_eq!(check("logo.png", UrlUse::Image), Ok(UrlKind::Site));
        assert_eq!(check("https://x.it/a.png", UrlUse::Image), Ok(UrlKind::Web));
        assert_eq!(
            check("mailto:a@b.it", UrlUse::Image),
            Err(Refusal::NotForUse(UrlKind::Mailto))
        );
        assert!(check("data:image/png;base64,AAAA", UrlUse::Image).is_err());
    }

    #[test]
    fn web_addresses() {
        assert!(is_web_address("https://www.comune.firenze.it/"));
        assert!(is_web_address("http://www.comune.intranet/"));
        assert!(is_web_address("https://form.agid.gov.it/view/abc?x=1"));
        assert!(!is_web_address("www.comune.fi.it"));
        assert!(!is_web_address("https:// spazio.it"));
        assert!(!is_web_address(" https://x.it/"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address("https://utente:segreto@x.it/"));
        assert!(!is_web_address("/impegni/"));
    }
}
