//! The transparency pack's pages: "Trasparenza e dati aperti" (links, formats, sizes, dates, legal
//! basis, retention, licence, the fragment's code), the fragment for the ente's CMS, and a page that
//! shows the fragment inside the site's layout.
//!
//! The views are built from artifacts already measured by [`crate::output::manifest`]; rendering goes
//! through the theme (`transparency.html`, `fragment.html`, `fragment-preview.html`). No I/O.

use serde::Serialize;

use super::view::{ApprovalView, DateView, NavItem, PageView};
use super::{Context, Page};
use crate::diagnostics::Diagnostics;
use crate::licence::Licence;
use crate::retention::Retention;
use crate::strings::{LegalBasis, Strings};

/// The fragment's file name in the pack folder. Plain text, so that checks that read every `.html`
/// page of the site do not take it for a page, and ASCII-only, so no server or CMS can garble it.
pub(crate) const FRAGMENT_FILE: &str = "frammento.txt";
/// The preview page's file name in the pack folder.
pub(crate) const PREVIEW_FILE: &str = "frammento-anteprima.html";

/// Links to the pack and to the editions, for every page (footer, home, 404).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PackLinks {
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) editions_url: String,
    pub(crate) editions_title: String,
    pub(crate) editions_description: String,
}

/// The links; `draft` for a charter not approved yet, whose archive says no edition of it is in
/// force.
pub(crate) fn links(strings: &Strings, draft: bool) -> PackLinks {
    PackLinks {
        url: pack_url(strings),
        title: strings.pack.title.clone(),
        description: strings.pack.description.clone(),
        editions_url: editions_url(strings),
        editions_title: strings.editions.title.clone(),
        editions_description: strings.editions.archive_description(draft).to_string(),
    }
}

/// `/trasparenza/`.
pub(crate) fn pack_url(strings: &Strings) -> String {
    format!("/{}/", strings.pack.slug)
}

/// `/edizioni/`.
pub(crate) fn editions_url(strings: &Strings) -> String {
    format!("/{}/", strings.editions.slug)
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArtifactView {
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    /// Root-relative, for links inside the site.
    pub(crate) url: String,
    /// Absolute, for the fragment pasted in another site.
    pub(crate) absolute_url: String,
    pub(crate) format: &'static str,
    pub(crate) size_bytes: u64,
    /// "12,3 kB".
    pub(crate) size_text: String,
    pub(crate) date: DateView,
}

/// Sizes as people read them: "840 byte", "12,3 kB", "1,2 MB" (powers of 1000).
pub(crate) fn size_text(bytes: u64, strings: &Strings) -> String {
    let separator = &strings.standards.decimal_separator;
    let words = &strings.pack;
    let (pattern, number) = if bytes < 1000 {
        (&words.size_bytes, bytes.to_string())
    } else if bytes < 1_000_000 {
        (
            &words.size_kilobytes,
            format!("{:.1}", bytes as f64 / 1000.0).replace('.', separator),
        )
    } else {
        (
            &words.size_megabytes,
            format!("{:.1}", bytes as f64 / 1_000_000.0).replace('.', separator),
        )
    };
    pattern.replace("{n}", &number)
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RetentionView {
    pub(crate) until: DateView,
    pub(crate) while_in_force: bool,
}

impl RetentionView {
    pub(crate) fn new(retention: Retention, strings: &Strings) -> Self {
        Self {
            until: DateView::new(retention.until, strings),
            while_in_force: retention.while_in_force,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenceView {
    pub(crate) id: &'static str,
    pub(crate) short_name: &'static str,
    pub(crate) name: &'static str,
    pub(crate) url: &'static str,
}

impl LicenceView {
    pub(crate) fn new(licence: &Licence) -> Self {
        Self {
            id: licence.id,
            short_name: licence.short_name,
            name: licence.name,
            url: licence.url,
        }
    }
}

/// Everything the pack's templates show, as `pack`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PackView {
    pub(crate) site_url: String,
    /// True for a draft: not approved, not in force, not published.
    pub(crate) draft: bool,
    /// None for a draft, as the publication date and the retention.
    pub(crate) approval: Option<ApprovalView>,
    pub(crate) published: Option<DateView>,
    pub(crate) last_updated: DateView,
    pub(crate) retention: Option<RetentionView>,
    pub(crate) section: String,
    pub(crate) legal_basis: Vec<LegalBasis>,
    pub(crate) licence: LicenceView,
    /// Site, print edition, PDF, open data and catalogue, then the manifest.
    pub(crate) artifacts: Vec<ArtifactView>,
    pub(crate) fragment_url: String,
    pub(crate) fragment_absolute_url: String,
    pub(crate) preview_url: String,
    /// The fragment's HTML, shown as code on the pack page; empty while the fragment is rendered.
    pub(crate) fragment_code: String,
}

#[derive(Serialize)]
struct PackContext<'a> {
    page: &'a PageView<'a>,
    pack: &'a PackView,
    fragment_html: &'a str,
}

/// The pack's pages (the pack page and the preview) and the fragment's text.
pub(crate) struct PackPages {
    pub(crate) pages: Vec<Page>,
    pub(crate) fragment: String,
}

/// Renders the fragment, then the page that shows its code, then the preview page.
pub(crate) fn render(cx: &Context<'_>, mut pack: PackView) -> Result<PackPages, Diagnostics> {
    let strings = cx.strings;
    let mut diagnostics = Diagnostics::new();
    let last_updated = cx.last_updated.clone();
    let home = NavItem {
        title: strings.pages.home_title.clone(),
        url: "/".to_string(),
    };
    let pack_url = pack_url(strings);

    let empty_page = PageView::new(
        "fragment",
        String::new(),
        pack_url.clone(),
        last_updated.clone(),
    );
    let fragment = cx
        .render(
            "fragment.html",
            &PackContext {
                page: &empty_page,
                pack: &pack,
                fragment_html: "",
            },
        )
        .map(|html| ascii_only(html.trim()) + "\n");
    let fragment = match fragment {
        Ok(fragment) => fragment,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return Err(diagnostics);
        }
    };
    pack.fragment_code = fragment.clone();

    let mut page = PageView::new(
        "transparency",
        strings.pack.title.clone(),
        pack_url.clone(),
        last_updated.clone(),
    );
    page.description = Some(strings.pack.description.clone());
    page.breadcrumb = vec![home.clone()];
    let mut preview = PageView::new(
        "fragment_preview",
        strings.pack.preview_title.clone(),
        pack.preview_url.clone(),
        last_updated,
    );
    preview.description = Some(strings.pack.preview_description.clone());
    preview.breadcrumb = vec![
        home,
        NavItem {
            title: strings.pack.title.clone(),
            url: pack_url,
        },
    ];
    let mut pages = Vec::new();
    for (view, template, path) in [
        (
            &page,
            "transparency.html",
            format!("{}/index.html", strings.pack.slug),
        ),
        (
            &preview,
            "fragment-preview.html",
            format!("{}/{PREVIEW_FILE}", strings.pack.slug),
        ),
    ] {
        let context = PackContext {
            page: view,
            pack: &pack,
            fragment_html: &fragment,
        };
        match cx.render(template, &context) {
            Ok(html) => pages.push(Page::new(path, view.url.clone(), html)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(PackPages { pages, fragment })
}

/// Writes every non-ASCII character as a numeric character reference (`à` → `&#224;`), so the
/// fragment survives any encoding a server or a CMS editor assumes. Only text and attribute values
/// contain such characters, and a reference means the same character in both.
pub(crate) fn ascii_only(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for ch in html.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            out.push_str(&format!("&#{};", ch as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_only_uses_character_references() {
        assert_eq!(ascii_only("qualità «x»"), "qualit&#224; &#171;x&#187;");
    }
}
