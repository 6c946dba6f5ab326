//! The live preview's additions to a page: the reload script and, when the last save broke the
//! content, the error panel with every problem (code, file:line:col, the source line, the hint).
//!
//! Everything here is added to a page as it is sent by `carta serve`; the files on disk are the
//! ones `carta build` writes. Plain string work: no I/O, no HTTP.

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity};
use crate::source::SourceMap;
use crate::theme::ServeWords;

/// URL prefix of the preview's own files, outside any site path.
pub(crate) const PREFIX: &str = "/__carta/";
/// The panel's `id`, also used by the script.
const PANEL_ID: &str = "carta-serve-panel";

/// The error panel for a failed build, as HTML. `attempt` tells one failed build from the next.
pub(crate) fn panel(
    diagnostics: &Diagnostics,
    sources: &SourceMap,
    words: &ServeWords,
    attempt: u64,
) -> String {
    let errors = diagnostics.error_count();
    let title = if errors == 1 {
        words.title_one.clone()
    } else {
        words.title_many.replace("{count}", &errors.to_string())
    };
    let mut html = format!(
        "<div id=\"{PANEL_ID}\" class=\"carta-serve\" role=\"alertdialog\" aria-modal=\"true\" \
         aria-labelledby=\"{PANEL_ID}-title\" aria-describedby=\"{PANEL_ID}-lead\" tabindex=\"-1\" \
         lang=\"it\" data-attempt=\"{attempt}\"><div class=\"carta-serve-box\">\
         <div class=\"carta-serve-top\"><h2 id=\"{PANEL_ID}-title\" class=\"carta-serve-title\">{}</h2>\
         <button type=\"button\" class=\"carta-serve-close\" data-carta-serve-close>{}</button></div>\
         <p id=\"{PANEL_ID}-lead\" class=\"carta-serve-lead\">{}</p><ol class=\"carta-serve-list\">",
        escape(&title),
        escape(&words.close),
        escape(&words.lead)
    );
    for diagnostic in diagnostics.iter() {
        html.push_str(&item(diagnostic, sources, words));
    }
    html.push_str("</ol></div></div>");
    html
}

fn item(diagnostic: &Diagnostic, sources: &SourceMap, words: &ServeWords) -> String {
    let (kind, class) = match diagnostic.severity {
        Severity::Error => (&words.error, "carta-serve-error"),
        Severity::Warning => (&words.warning, "carta-serve-warning"),
    };
    let mut html = format!(
        "<li class=\"carta-serve-item {class}\"><p class=\"carta-serve-head\">\
         <strong>{} {}</strong>",
        escape(kind),
        escape(diagnostic.code)
    );
    if let Some(place) = place(diagnostic, sources) {
        html.push_str(&format!(" <code>{}</code>", escape(&place)));
    }
    html.push_str(&format!(
        "</p><p class=\"carta-serve-message\">{}</p>",
        escape(&diagnostic.message)
    ));
    if let Some(excerpt) = excerpt(diagnostic, sources) {
        html.push_str(&format!(
            "<pre class=\"carta-serve-source\" tabindex=\"0\">{}</pre>",
            escape(&excerpt)
        ));
    }
    if let Some(hint) = &diagnostic.hint {
        html.push_str(&format!(
            "<p class=\"carta-serve-hint\"><strong>{}</strong> {}</p>",
            escape(&words.hint),
            escape(hint)
        ));
    }
    html.push_str("</li>");
    html
}

/// `file:line:col`, or the file alone.
fn place(diagnostic: &Diagnostic, sources: &SourceMap) -> Option<String> {
    match diagnostic.location.as_ref()? {
        Location::Source {
            file, line, col, ..
        } => Some(format!(
            "{}:{line}:{col}",
            display(sources.path(*file).to_string_lossy().as_ref())
        )),
        Location::Path(path) => Some(display(path.to_string_lossy().as_ref())),
    }
}

fn display(path: &str) -> String {
    path.replace('\\', "/")
}

/// The source line with carets under the problem, as the terminal shows it.
fn excerpt(diagnostic: &Diagnostic, sources: &SourceMap) -> Option<String> {
    let Some(Location::Source {
        file,
        line,
        col,
        len,
    }) = &diagnostic.location
    else {
        return None;
    };
    let text = sources.text(*file).lines().nth(*line as usize - 1)?;
    let before: String = text
        .chars()
        .take(*col as usize - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let available = text.chars().count().saturating_sub(*col as usize - 1);
    let carets = "^".repeat((*len as usize).clamp(1, available.max(1)));
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    Some(format!("{number} | {text}\n{gutter} | {before}{carets}"))
}

/// What the preview adds to a page: the stylesheet link, and the panel (when given) with the reload
/// script.
pub(crate) struct Additions {
    /// Goes before `</head>`.
    pub(crate) head: String,
    /// Goes right after `<body …>`, so the panel is the first thing a screen reader meets.
    pub(crate) body: String,
}

impl Additions {
    pub(crate) fn new(generation: &str, panel: Option<&str>) -> Additions {
        Additions {
            head: format!("<link rel=\"stylesheet\" href=\"{PREFIX}serve.css\">"),
            body: format!(
                "{}<script src=\"{PREFIX}live.js\" nonce=\"{}\" data-generation=\"{}\" defer></script>",
                panel.unwrap_or(""),
                nonce(),
                escape(generation)
            ),
        }
    }

    pub(crate) fn byte_len(&self) -> usize {
        self.head.len() + self.body.len()
    }
}

/// Where [`Additions`] go in a page (or in its beginning): the offset of `</head>` and the offset
/// right after the `<body …>` tag, when both are there in that order. `None` means at the end.
pub(crate) fn insertion_points(html: &[u8]) -> Option<(usize, usize)> {
    let head_at = find_ascii_case_insensitive(html, b"</head>")?;
    let body_start = find_ascii_case_insensitive(html, b"<body")?;
    let body_at = body_start + html[body_start..].iter().position(|&b| b == b'>')? + 1;
    (head_at < body_at).then_some((head_at, body_at))
}

/// Adds the preview's stylesheet, reload script and (when given) the error panel to a page, where
/// [`insertion_points`] says; a page without those tags gets them at the end.
pub(crate) fn inject(html: &str, generation: &str, panel: Option<&str>) -> String {
    let additions = Additions::new(generation, panel);
    let mut out = String::with_capacity(html.len() + additions.byte_len());
    match insertion_points(html.as_bytes()) {
        Some((head_at, body_at)) => {
            out.push_str(&html[..head_at]);
            out.push_str(&additions.head);
            out.push_str(&html[head_at..body_at]);
            out.push_str(&additions.body);
            out.push_str(&html[body_at..]);
        }
        None => {
            out.push_str(html);
            out.push_str(&additions.head);
            out.push_str(&additions.body);
        }
    }
    out
}

/// The page served while there is no site yet: its title, the panel and the script.
pub(crate) fn unavailable_page(
    words: &ServeWords,
    generation: &str,
    panel: Option<&str>,
) -> String {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main class=\"carta-serve-unavailable\">\
         <h1>{title}</h1><p>{lead}</p></main></body></html>\n",
        title = escape(&words.unavailable_title),
        lead = escape(&words.unavailable_lead)
    );
    inject(&page, generation, panel)
}

/// The nonce that lets the reload script, and nothing else, run in the preview: random for each
/// run of `carta serve`.
pub(crate) fn nonce() -> &'static str {
    use std::hash::{BuildHasher, Hasher};
    static NONCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        // Each RandomState is seeded from the system's randomness.
        let half = || {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|time| time.as_nanos())
                    .unwrap_or_default(),
            );
            hasher.finish()
        };
        format!("{:016x}{:016x}", half(), half())
    });
    &NONCE
}

/// The policy the preview sends with a page whose beginning is `front`: the page's own (from the
/// `meta` that opens its `head`, which is changed to it too, since a browser applies both) with
/// the reload script allowed by its nonce.
pub(crate) fn preview_policy(front: &mut Vec<u8>) -> String {
    const OPEN: &[u8] = b"<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let fallback = || {
        let site = crate::gate::csp::policy(crate::gate::csp::PageKind::Site, &[], false);
        crate::gate::csp::for_preview(&site, nonce())
    };
    let Some(at) = find_ascii_case_insensitive(front, OPEN) else {
        return fallback();
    };
    let start = at + OPEN.len();
    let Some(len) = front[start..].iter().position(|&byte| byte == b'"') else {
        return fallback();
    };
    let own = String::from_utf8_lossy(&front[start..start + len]).into_owned();
    let policy = crate::gate::csp::for_preview(&crate::gate::decode_attribute(&own), nonce());
    front.splice(start..start + len, escape(&policy).into_bytes());
    policy
}

fn find_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> ServeWords {
        crate::theme::serve_words(std::path::Path::new("/nonexistent"), "agid")
    }

    #[test]
    fn panel_lists_each_problem_with_place_source_and_hint_escaped() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "content/data/commitments.yaml",
            "commitments:\n  - responsible: [<unità>]\n".to_string(),
        );
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error("E131", "unità sconosciuta: `<unità>`")
                .at(file, 2, 19, 7)
                .with_hint("forse intendevi `direzione`?"),
        );
        diagnostics.push(Diagnostic::warning("W113", "file sconosciuto").at_path("content/data/x"));
        let html = panel(&diagnostics, &sources, &words(), 7);
        assert!(html.contains("role=\"alertdialog\""), "{html}");
        assert!(html.contains("data-attempt=\"7\""), "{html}");
        assert!(html.contains("c&#39;è un errore"), "one error: {html}");
        assert!(
            html.contains("<code>content/data/commitments.yaml:2:19</code>"),
            "{html}"
        );
        assert!(
            html.contains("unità sconosciuta: `&lt;unità&gt;`"),
            "{html}"
        );
        assert!(
            html.contains("2 |   - responsible: [&lt;unità&gt;]\n  |                   ^^^^^^^"),
            "{html}"
        );
        assert!(html.contains("forse intendevi `direzione`?"), "{html}");
        assert!(html.contains("<code>content/data/x</code>"), "{html}");
        assert!(!html.contains("<unità>"), "text is escaped: {html}");
    }

    #[test]
    fn injects_after_body_and_before_head_end() {
        let page = "<!DOCTYPE html><html><head><title>x</title></head><body class=\"a\"><main>m</main></body></html>";
        let out = inject(page, "g1", Some("<div>P</div>"));
        assert_eq!(
            out,
            format!(
                "<!DOCTYPE html><html><head><title>x</title><link rel=\"stylesheet\" href=\"/__carta/serve.css\"></head>\
             <body class=\"a\"><div>P</div><script src=\"/__carta/live.js\" nonce=\"{}\" data-generation=\"g1\" defer></script>\
             <main>m</main></body></html>",
                nonce()
            )
        );
        let bare = inject("testo", "g2", None);
        assert!(bare.starts_with("testo<link"), "{bare}");
    }
}
