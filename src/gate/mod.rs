//! Gate: every page and file of a finished site against one safety policy, whatever produced it
//! (chapter, data, template override, static file, theme), after the rewrite and before the swap.
//!
//! A page may hold no script but carta's JSON-LD data, no event handler, no `javascript:` or
//! `data:` navigation, no id twice, and load nothing from another origin than the site's own or
//! those of `[security] allowed_origins`; a document carries carta's Content-Security-Policy as
//! the first element of `head` ([`page`]). A static file passes by its type ([`files`]), an SVG
//! only as plain drawing ([`svg`]). A failure names the page and, found by its text, the source
//! it came from ([`blame`]). The gate reads the site; it never changes it. It is called once per
//! charter, so a portal calls it for each of its charters.

mod blame;
pub(crate) mod csp;
mod files;
pub(crate) mod page;
pub(crate) mod svg;

use std::borrow::Cow;
use std::io::Read;

use rayon::prelude::*;
use url::Url;

use crate::diagnostics::Diagnostic;
use crate::model::Project;
use crate::output::{Contents, OutputFile, path_text};
use crate::source::SourceMap;
use csp::PageKind;

/// What the site may load and the policy its pages carry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    base: Url,
    allowed: Vec<url::Origin>,
    site_csp: String,
    print_csp: String,
}

impl Policy {
    /// The policy of a site published at `base_url` that may also load from `allowed` (origins
    /// already checked by [`validate`]).
    /// `bootstrap`: the site uses Bootstrap Italia, whose stylesheet draws icons as `data:`
    /// images.
    pub(crate) fn new(base_url: &str, allowed: &[String], bootstrap: bool) -> Policy {
        let base = Url::parse(base_url)
            .or_else(|_| Url::parse("https://sito.invalid/"))
            .expect("a literal URL parses");
        let origins: Vec<String> = allowed
            .iter()
            .filter_map(|origin| normal_origin(origin).ok())
            .collect();
        Policy {
            allowed: origins
                .iter()
                .filter_map(|origin| Url::parse(origin).ok())
                .map(|url| url.origin())
                .collect(),
            site_csp: csp::policy(PageKind::Site, &origins, bootstrap),
            print_csp: csp::policy(PageKind::Print, &origins, bootstrap),
            base,
        }
    }

    /// The policy of a project, from `site.toml`, with or without Bootstrap Italia.
    pub(crate) fn of(project: &Project, bootstrap: bool) -> Policy {
        let allowed: Vec<String> = project
            .config
            .security
            .allowed_origins
            .iter()
            .map(|origin| origin.get_ref().clone())
            .collect();
        Policy::new(&project.config.site.base_url, &allowed, bootstrap)
    }

    /// The Content-Security-Policy of pages of `kind`.
    pub(crate) fn csp(&self, kind: PageKind) -> &str {
        match kind {
            PageKind::Site => &self.site_csp,
            PageKind::Print => &self.print_csp,
        }
    }

    /// Why loading `value` (an attribute's decoded value, or a CSS address) is refused: it is on
    /// another origin than the site's and the allowed ones, or a `data:`/`javascript:` address;
    /// `None` when it may be loaded.
    pub(crate) fn foreign(&self, value: &str) -> Option<String> {
        if stays_on_base(value) {
            return None;
        }
        let url = self.base.join(value).ok()?;
        match url.scheme() {
            "http" | "https" => {
                let origin = url.origin();
                (origin != self.base.origin() && !self.allowed.contains(&origin)).then(|| {
                    format!(
                        "da un altro sito ({}), non elencato in [security] allowed_origins",
                        origin.ascii_serialization()
                    )
                })
            }
            scheme => Some(format!("un indirizzo `{scheme}:`")),
        }
    }
}

/// `Some(scheme)` when following `value` runs script or shows a document made of the address
/// itself (`javascript:`, `vbscript:`, `data:`), read as a browser reads it (spaces, tabs and
/// newlines dropped, scheme lowercased).
pub(crate) fn runs_or_shows(value: &str) -> Option<String> {
    // The scheme is what comes before the first `:`: most addresses of a page (`/…`, `#…`,
    // `https://…`, `mailto:…`) are settled here, without parsing them.
    let refused = ["javascript", "vbscript", "data"].iter().any(|scheme| {
        let mut chars = significant(value);
        scheme.chars().all(|wanted| {
            chars
                .next()
                .is_some_and(|c| c.eq_ignore_ascii_case(&wanted))
        }) && chars.next() == Some(':')
    });
    if !refused {
        return None;
    }
    let url = Url::parse(value).ok()?;
    let scheme = url.scheme();
    matches!(scheme, "javascript" | "vbscript" | "data").then(|| scheme.to_string())
}

/// The characters of an address as the URL parser reads them: leading spaces and control
/// characters dropped, tabs and newlines dropped everywhere.
fn significant(value: &str) -> impl Iterator<Item = char> + '_ {
    value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether `value`, resolved against an `http(s)` base, surely stays on the base's origin: it is
/// empty, a fragment, a query, a relative path beginning with `.`, or a path from the root (`/`
/// not followed by a second `/` or a backslash, which a browser reads as another host). Anything
/// else is resolved and compared.
fn stays_on_base(value: &str) -> bool {
    let mut chars = significant(value);
    match chars.next() {
        None | Some('#' | '?' | '.') => true,
        Some('/') => !matches!(chars.next(), Some('/' | '\\')),
        Some(_) => false,
    }
}

/// An attribute's value as written in a page, with its character references decoded by the HTML
/// tokenizer (html5ever, through scraper).
pub(crate) fn decode_attribute(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let quoted = raw.replace('"', "&quot;");
    let fragment = scraper::Html::parse_fragment(&format!("<a title=\"{quoted}\"></a>"));
    let decoded = fragment
        .tree
        .values()
        .filter_map(|node| node.as_element())
        .find_map(|element| element.attr("title"))
        .unwrap_or(raw)
        .to_string();
    Cow::Owned(decoded)
}

/// `https://host[:port]` as a browser serialises the origin, or why `text` is not one.
pub(crate) fn normal_origin(text: &str) -> Result<String, &'static str> {
    let url = Url::parse(text.trim()).map_err(|_| "non è un indirizzo valido")?;
    if url.scheme() != "https" {
        return Err("deve cominciare con https://");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("non deve contenere nome utente o password");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("deve essere solo schema e dominio, senza percorso, `?` o `#`");
    }
    if url.host_str().is_none_or(|host| host.contains('*')) {
        return Err("deve nominare un dominio preciso, senza `*`");
    }
    Ok(url.origin().ascii_serialization())
}

/// `E218` for each `[security] allowed_origins` entry that is not an `https://` origin.
pub(crate) fn validate(project: &Project) -> Vec<Diagnostic> {
    let sources = &project.sources;
    let file = project.config_file;
    let mut diagnostics = Vec::new();
    for origin in &project.config.security.allowed_origins {
        if let Err(why) = normal_origin(origin.get_ref()) {
            let span = origin.span();
            let len = span.len().max(1) as u32;
            diagnostics.push(
                Diagnostic::error(
                    "E218",
                    format!("origine non valida in allowed_origins: `{}` {why}", origin.get_ref()),
                )
                .with_hint("scrivi solo schema e dominio del sito da cui le pagine possono caricare immagini, video o riquadri: allowed_origins = [\"https://www.youtube-nocookie.com\"]")
                .at_offset(sources, file, span.start, len),
            );
        }
    }
    diagnostics
}

/// What the gate needs to know of the finished site besides its files.
pub(crate) struct SiteShape<'a> {
    /// Path of the print edition in the output, when there is one.
    pub(crate) print: Option<&'a str>,
    /// Paths of files holding HTML for another site's page (the CMS fragment).
    pub(crate) fragments: Vec<String>,
    /// Where the project's and the theme's static files are, to name them in messages.
    pub(crate) root: &'a std::path::Path,
}

/// What the gate found in pages it read in the rewrite pass: each page's path in the output, the
/// shape it was read as, and the findings.
pub(crate) type Inspected = Vec<(String, page::Shape, Vec<page::Finding>)>;

/// What one file is to the gate.
enum Kind {
    Page(page::Shape),
    Static,
    /// carta's own data (CSV, JSON, XML, the sitemap): nothing a browser runs.
    Own,
}

/// Checks every file of a finished site; the problems found are located in `sources` (static
/// files with a problem are added to it, so their lines can be shown). A page in `inspected` was
/// read in the rewrite pass, by the same handlers, as it is written: it is not read again unless
/// it was read as another shape than the one it has here.
pub(crate) fn check_site(
    policy: &Policy,
    files: &[OutputFile],
    shape: &SiteShape<'_>,
    inspected: &Inspected,
    sources: &mut SourceMap,
) -> Vec<Diagnostic> {
    let inspected: std::collections::HashMap<&str, (page::Shape, &Vec<page::Finding>)> = inspected
        .iter()
        .map(|(path, shape, findings)| (path.as_str(), (*shape, findings)))
        .collect();
    let found: Vec<(usize, Result<Vec<page::Finding>, files::Refusal>)> = files
        .par_iter()
        .enumerate()
        .filter_map(|(index, file)| {
            let path = path_text(file);
            let kind = kind_of(file, &path, shape);
            let result = match kind {
                Kind::Own => return None,
                Kind::Static => files::check(file, policy).map(|()| Vec::new()),
                Kind::Page(page_shape)
                    if inspected
                        .get(path.as_str())
                        .is_some_and(|(read_as, _)| *read_as == page_shape) =>
                {
                    Ok(inspected[path.as_str()].1.clone())
                }
                Kind::Page(page_shape) => match open(&file.contents) {
                    Ok(reader) => page::check(reader, page_shape, policy)
                        .map_err(|error| files::Refusal::unreadable(file, &error)),
                    Err(error) => Err(files::Refusal::unreadable(file, &error)),
                },
            };
            match &result {
                Ok(findings) if findings.is_empty() => None,
                _ => Some((index, result)),
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    // The same finding on many pages (a template's) is one message: its first page and a count.
    let mut seen: Vec<(page::Finding, String, usize)> = Vec::new();
    for (index, result) in found {
        let file = &files[index];
        match result {
            Ok(findings) => {
                let url = page_url(&path_text(file));
                for finding in findings {
                    match seen.iter_mut().find(|(known, _, _)| *known == finding) {
                        Some((_, _, more)) => *more += 1,
                        None => seen.push((finding, url.clone(), 0)),
                    }
                }
            }
            Err(refusal) => diagnostics.push(refusal.into_diagnostic(shape.root, sources)),
        }
    }
    for (finding, url, more) in &seen {
        diagnostics.push(blame::locate(finding, url, *more, sources));
    }
    diagnostics
}

fn kind_of(file: &OutputFile, path: &str, shape: &SiteShape<'_>) -> Kind {
    if let Contents::Copy(_) | Contents::BuiltIn { .. } = file.contents {
        return Kind::Static;
    }
    if shape.fragments.iter().any(|fragment| fragment == path) {
        return Kind::Page(page::Shape::Fragment);
    }
    if path.ends_with(".html") {
        let kind = if shape.print == Some(path) {
            PageKind::Print
        } else {
            PageKind::Site
        };
        return Kind::Page(page::Shape::Document(kind));
    }
    Kind::Own
}

fn open(contents: &Contents) -> std::io::Result<Box<dyn Read + '_>> {
    Ok(match contents {
        Contents::Bytes(bytes) => Box::new(bytes.as_slice()),
        Contents::BuiltIn { bytes, .. } => Box::new(bytes.as_ref()),
        Contents::Copy(path) | Contents::Staged { path, .. } => {
            Box::new(std::io::BufReader::new(std::fs::File::open(path)?))
        }
    })
}

/// The site address of an output path: `impegni/index.html` → `/impegni/`.
fn page_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts give the answer the URL parser gives, on the addresses that could fool them.
    #[test]
    fn shortcuts_agree_with_the_url_parser() {
        let base = Url::parse("https://carta.comune.example.it/carta/").unwrap();
        let addresses = [
            "",
            "/",
            "/a.css",
            "/\\t/evil.example/x.png",
            "//evil.example/x.png",
            "/\\evil.example/x.png",
            "\\\\evil.example/x.png",
            " \\n//evil.example/x.png",
            "\\u{1}/x.png",
            "#top",
            "?q=1",
            "./x.png",
            "../../x.png",
            "..//evil.example/x.png",
            ".\\t./x.png",
            "x.png",
            "https://evil.example/",
            " java\\tscript:alert(1)",
            "\\u{0}javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "1javascript:x",
            "/javascript:x",
            "vbscript:msgbox(1)",
            "javascriptx:alert(1)",
            "javascript",
            "java script:alert(1)",
            "java\r\nscript:alert(1)",
            "  DATA:text/html,x",
            "data",
            "mailto:urp@comune.example.it",
            "tel:+390551234567",
            "http://evil.example/",
        ];
        for address in addresses {
            let parsed = base.join(address).ok();
            let same_origin = parsed
                .as_ref()
                .is_some_and(|url| url.origin() == base.origin());
            if stays_on_base(address) {
                assert!(same_origin, "{address:?} was taken for the site's own");
            }
            let scheme = Url::parse(address).ok().map(|url| url.scheme().to_string());
            let runs = scheme
                .filter(|scheme| matches!(scheme.as_str(), "javascript" | "vbscript" | "data"));
            assert_eq!(runs_or_shows(address), runs, "{address:?}");
        }
    }
}
