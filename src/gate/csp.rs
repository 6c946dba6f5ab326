//! The Content-Security-Policy every page carries: the pages need no script, load everything from
//! the site itself (or from the origins `site.toml` allows), and style only through stylesheets
//! and the three alignments Markdown writes on table cells.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// The only inline styles the site's pages hold: the column alignments Markdown writes on `th` and
/// `td` (the same values the raw-HTML allowlist accepts).
const ALIGNMENTS: [&str; 3] = [
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// `'sha256-…'` of `text`, as a CSP source expression.
pub(crate) fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Which pages a policy is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// Every page of the site.
    Site,
    /// The print edition: its running heads are an inline `<style>` element whose text holds the
    /// charter's own words, so its styles are allowed inline (it has no script either way).
    Print,
}

/// The policy for `kind`, with `allowed` (origins like `https://video.example.it`) added where a
/// page may load from them; `data:` images only with Bootstrap Italia, whose stylesheet draws its
/// icons so.
pub(crate) fn policy(kind: PageKind, allowed: &[String], bootstrap: bool) -> String {
    let data = if bootstrap { " data:" } else { "" };
    let extra: String = allowed.iter().map(|origin| format!(" {origin}")).collect();
    let style = match kind {
        PageKind::Site => {
            let hashes: Vec<String> = ALIGNMENTS.iter().map(|text| hash_source(text)).collect();
            format!("'self' 'unsafe-hashes' {}", hashes.join(" "))
        }
        PageKind::Print => "'self' 'unsafe-inline'".to_string(),
    };
    format!(
        "default-src 'self'{extra}; script-src 'none'; style-src {style}; img-src 'self'{data}{extra}; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The policy `carta serve` sends with a page whose own policy is `page`: the same, except that
/// the preview's reload script, and it alone, may run (it carries `nonce`).
#[cfg(feature = "serve")]
pub(crate) fn for_preview(page: &str, nonce: &str) -> String {
    let allowed = format!("script-src 'nonce-{nonce}'");
    let mut directives: Vec<String> = page
        .split(';')
        .map(str::trim)
        .filter(|directive| !directive.is_empty())
        .map(|directive| {
            if directive.split_whitespace().next() == Some("script-src") {
                allowed.clone()
            } else {
                directive.to_string()
            }
        })
        .collect();
    if !directives
        .iter()
        .any(|directive| directive.starts_with("script-src"))
    {
        directives.push(allowed);
    }
    directives.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alignment_hashes_are_those_browsers_compute() {
        // Computed independently (Python's hashlib and base64) for the three exact values.
        assert_eq!(
            hash_source("text-align: left"),
            "'sha256-6l+tpow5lGPV0MHWZlDv8nD7HrL77FGFldqQ7zc5gxY='"
        );
        assert_eq!(
            hash_source("text-align: right"),
            "'sha256-i0JPB0qmRu5AViJTxOIzqXnfGoiWFw+oNAm4uJd7ZQk='"
        );
    }

    #[test]
    fn the_site_policy_runs_no_script_and_adds_the_allowed_origins() {
        let policy = policy(
            PageKind::Site,
            &["https://video.example.it".to_string()],
            false,
        );
        assert!(policy.contains("script-src 'none'"), "{policy}");
        assert!(policy.contains("object-src 'none'"), "{policy}");
        assert!(policy.contains("base-uri 'none'"), "{policy}");
        assert!(
            policy.starts_with("default-src 'self' https://video.example.it;"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }

    #[cfg(feature = "serve")]
    #[test]
    fn the_preview_policy_allows_only_the_nonce() {
        let preview = for_preview(&policy(PageKind::Site, &[], false), "abc");
        assert!(preview.contains("script-src 'nonce-abc'"), "{preview}");
        assert!(!preview.contains("script-src 'none'"), "{preview}");
        assert!(preview.contains("object-src 'none'"), "{preview}");
    }
}
