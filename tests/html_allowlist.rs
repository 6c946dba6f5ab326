//! Raw HTML and links in chapters: whatever a hostile merge request writes, the result is either a
//! located `E150` or a page whose elements, attributes and links are all on the allowlist.
//!
//! The variant matrix runs through the library (thousands of bodies in a second); a sample runs
//! through the binary's `check --strict` and `build --strict`, and the allowed HTML is built and
//! read back from the page.

mod common;

use std::collections::BTreeMap;

use carta::diagnostics::{Diagnostic, Location};
use carta::markdown::{Links, Rendered, Source, render};
use carta::source::SourceMap;
use common::*;
use scraper::{Html, Node};

const CHAPTER_4: &str = "content/chapters/04-rapporto-con-il-cittadino.md";

fn render_body(body: &str) -> Rendered {
    let mut sources = SourceMap::new();
    let file = sources.add("c.md", body.to_string());
    let chapter_urls: BTreeMap<String, String> =
        [("02-altro.md".to_string(), "/altro/".to_string())].into();
    let blocks: BTreeMap<String, String> = [(
        "impegni".to_string(),
        "<table class=\"carta\"><caption>Impegni</caption></table>".to_string(),
    )]
    .into();
    render(
        body,
        &Source {
            sources: &sources,
            file,
            body_offset: 0,
            front: None,
        },
        &Links {
            chapter_urls: &chapter_urls,
            blocks: &blocks,
            blocks_before_sections: &blocks,
            table_label: "Tabella nella sezione «{section}»",
            table_label_no_section: "Tabella",
        },
    )
}

fn e150s(out: &Rendered) -> Vec<&Diagnostic> {
    out.diagnostics
        .iter()
        .filter(|d| d.code == "E150")
        .collect()
}

/// What a browser would make of the published body: every element, with its attributes, that is
/// not plain content, and every URL whose scheme is not one a citizen's click may follow.
fn unsafe_parts(html: &str) -> Vec<String> {
    let allowed_schemes = ["https", "http", "mailto", "tel"];
    let base = url::Url::parse("https://sito.example/pagina/").unwrap();
    let document = Html::parse_fragment(html);
    let mut found = Vec::new();
    for node in document.tree.nodes() {
        match node.value() {
            Node::Comment(comment) => found.push(format!("commento {:?}", &**comment)),
            Node::Element(element) => {
                let name = element.name();
                if element.name.ns != html5ever::ns!(html)
                    || [
                        "script",
                        "style",
                        "iframe",
                        "object",
                        "embed",
                        "form",
                        "input",
                        "button",
                        "textarea",
                        "select",
                        "noscript",
                        "template",
                        "svg",
                        "math",
                        "link",
                        "meta",
                        "base",
                        "frame",
                        "frameset",
                        "title",
                        "xmp",
                        "noembed",
                        "noframes",
                        "plaintext",
                        "video",
                        "audio",
                        "source",
                        "track",
                        "area",
                        "map",
                        "dialog",
                    ]
                    .contains(&name)
                {
                    found.push(format!("elemento <{name}>"));
                }
                for (attribute, value) in element.attrs() {
                    let lower = attribute.to_ascii_lowercase();
                    let alignment = lower == "style"
                        && matches!(name, "th" | "td")
                        && value.starts_with("text-align: ");
                    if !alignment
                        && (lower.starts_with("on")
                            || matches!(
                                lower.as_str(),
                                "style"
                                    | "formaction"
                                    | "action"
                                    | "srcset"
                                    | "background"
                                    | "poster"
                                    | "data"
                                    | "ping"
                                    | "xlink:href"
                            ))
                    {
                        found.push(format!("attributo {attribute} su <{name}>"));
                    }
                    if matches!(lower.as_str(), "href" | "src" | "cite") {
                        match base.join(value) {
                            Ok(url) if allowed_schemes.contains(&url.scheme()) => {
                                if url.scheme() == "mailto"
                                    && url.query_pairs().any(|(key, _)| {
                                        !matches!(
                                            key.to_ascii_lowercase().as_str(),
                                            "subject" | "body"
                                        )
                                    })
                                {
                                    found.push(format!("mailto con intestazioni: {value}"));
                                }
                            }
                            Ok(url) => {
                                found.push(format!("schema {}: in {attribute}", url.scheme()))
                            }
                            Err(_) => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Asserts the rule for one body: a located `E150`, or a safe page and no error.
fn assert_refused_or_safe(body: &str) -> bool {
    let out = render_body(body);
    let errors = e150s(&out);
    if let Some(diagnostic) = errors.first() {
        assert!(
            matches!(diagnostic.location, Some(Location::Source { .. })),
            "E150 without a location for {body:?}: {diagnostic:?}"
        );
        // Even while the error waits to be fixed, what the body renders to is safe.
        let leftovers = unsafe_parts(&out.html);
        assert!(
            leftovers.is_empty(),
            "{body:?} renders {leftovers:?} in {}",
            out.html
        );
        true
    } else {
        let leftovers = unsafe_parts(&out.html);
        assert!(
            leftovers.is_empty(),
            "{body:?} passed without E150 but the page holds {leftovers:?}:\n{}",
            out.html
        );
        false
    }
}

fn assert_refused(body: &str) {
    assert!(assert_refused_or_safe(body), "no E150 for {body:?}");
}

const RAW_TEXT: &[&str] = &[
    "noscript",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "iframe",
    "style",
    "script",
    "plaintext",
    "template",
    "NOSCRIPT",
    "TextArea",
];

#[test]
fn raw_text_elements_are_refused_inline_and_as_blocks() {
    for tag in RAW_TEXT {
        let payload = format!("<p title=\"</{tag}><img src=x onerror=alert(1)>\">");
        assert_refused(&format!("Testo <{tag}>{payload} fine.\n"));
        assert_refused(&format!("<{tag}>\n{payload}\n</{tag}>\n"));
        assert_refused(&format!("Testo\n\n<div>\n<{tag}>{payload}\n</div>\n"));
        assert_refused(&format!("- voce <{tag}>{payload} fine\n"));
        assert_refused(&format!("> citazione <{tag}>{payload}\n"));
        assert_refused(&format!("## Titolo <{tag}>{payload}\n"));
        // The same in a table cell.
        assert_refused(&format!("| A |\n|---|\n| <{tag}>{payload} |\n"));
    }
}

/// Ways of writing `javascript:` (or another refused scheme) that a browser reads as the scheme.
fn spellings(scheme: &str) -> Vec<String> {
    let first = scheme.chars().next().unwrap();
    let rest = &scheme[1..];
    let code = first as u32;
    let (head, tail) = scheme.split_at(4);
    vec![
        format!("{scheme}:alert(1)"),
        format!("{}:alert(1)", scheme.to_uppercase()),
        format!("&#{code};{rest}:alert(1)"),
        format!("&#000{code};{rest}:alert(1)"),
        format!("&#x{code:x};{rest}:alert(1)"),
        format!("&#X{code:X};{rest}:alert(1)"),
        format!("&#x0000{code:x};{rest}:alert(1)"),
        format!("{scheme}&colon;alert(1)"),
        format!("{scheme}&#58;alert(1)"),
        format!("{scheme}&#x3a;alert(1)"),
        format!("{head}&Tab;{tail}:alert(1)"),
        format!("{head}&NewLine;{tail}:alert(1)"),
        format!("{head}&#10;{tail}:alert(1)"),
        format!("{head}&#13;{tail}:alert(1)"),
        format!("{head}&#9;{tail}:alert(1)"),
        format!("{head}\t{tail}:alert(1)"),
        format!("&#32;{scheme}:alert(1)"),
        format!("&#1;{scheme}:alert(1)"),
        format!("\u{1}{scheme}:alert(1)"),
        format!("  {scheme}:alert(1)"),
    ]
}

#[test]
fn refused_schemes_are_refused_however_they_are_encoded() {
    for scheme in ["javascript", "vbscript", "data"] {
        for spelled in spellings(scheme) {
            let quoted = spelled.replace('"', "&quot;");
            assert_refused(&format!("Testo <a href=\"{quoted}\">x</a> fine.\n"));
            assert_refused(&format!("<div>\n<a href='{quoted}'>x</a>\n</div>\n"));
            assert_refused(&format!("Testo <img src=\"{quoted}\" alt=\"x\"> fine.\n"));
            assert_refused(&format!("<blockquote cite=\"{quoted}\">x</blockquote>\n"));
        }
    }
    // Markdown links decode entities and escapes as well.
    for dest in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
        "<java\tscript:alert(1)>",
        "file:///etc/passwd",
    ] {
        assert_refused(&format!("Vedi [il modulo]({dest}).\n"));
        assert_refused(&format!("Vedi ![logo]({dest}).\n"));
        assert_refused(&format!("Vedi [il modulo][m].\n\n[m]: {dest}\n"));
    }
    assert_refused("Vedi ![logo](mailto:a@b.it).\n");
}

#[test]
fn what_a_browser_does_not_read_as_a_scheme_is_a_harmless_path() {
    // A NUL reference becomes U+FFFD, percent-escapes are not decoded in a scheme: a browser
    // resolves these as paths of the site. Either refused or harmless, never a script.
    for href in [
        "&#x20;&#x0;javascript:alert(1)",
        "%6Aavascript:alert(1)",
        "javascript%3Aalert(1)",
        "./javascript:alert(1)",
        "\\\\javascript:alert(1)",
    ] {
        assert_refused_or_safe(&format!("Testo <a href=\"{href}\">x</a> fine.\n"));
        assert_refused_or_safe(&format!("Testo [x]({href}) fine.\n"));
    }
}

#[test]
fn every_url_bearing_attribute_is_refused_or_checked() {
    let url = "javascript:alert(1)";
    for body in [
        format!("<a href=\"{url}\">x</a>"),
        "<a href=\"https://x.it/\" ping=\"https://spia.it/\">x</a>".to_string(),
        format!("<area href=\"{url}\">"),
        format!("<img src=\"x.png\" srcset=\"{url} 1x\" alt=\"\">"),
        format!("<iframe src=\"{url}\"></iframe>"),
        format!("<form action=\"{url}\"><input type=\"password\" name=\"p\"></form>"),
        "<form action=\"https://altrove.example/\"><input type=\"password\"></form>".to_string(),
        format!("<button formaction=\"{url}\">x</button>"),
        format!("<input type=\"image\" formaction=\"{url}\">"),
        format!("<object data=\"{url}\"></object>"),
        format!("<embed src=\"{url}\">"),
        format!("<video poster=\"{url}\"></video>"),
        format!("<video><source src=\"{url}\"></video>"),
        format!("<link rel=\"stylesheet\" href=\"{url}\">"),
        format!("<base href=\"{url}\">"),
        format!("<meta http-equiv=\"refresh\" content=\"0;url={url}\">"),
        format!("<table background=\"{url}\"><tr><td>x</td></tr></table>"),
        format!("<q cite=\"{url}\">x</q>"),
        format!("<del cite=\"{url}\">x</del>"),
        format!("<ins cite=\"{url}\">x</ins>"),
        format!("<svg><a xlink:href=\"{url}\"><text>x</text></a></svg>"),
        format!("<svg><a href=\"{url}\"><text>x</text></a></svg>"),
        format!("<svg><image href=\"{url}\"/></svg>"),
        format!("<svg><use href=\"{url}\"/></svg>"),
        format!("<svg><a><set attributeName=\"href\" to=\"{url}\"/><text>x</text></a></svg>"),
        format!(
            "<svg><a><animate attributeName=\"href\" values=\"{url}\"/><text>x</text></a></svg>"
        ),
        format!("<math><mi href=\"{url}\">x</mi></math>"),
        format!("<math><maction actiontype=\"statusline\" xlink:href=\"{url}\">x</maction></math>"),
        format!("<html manifest=\"{url}\">"),
        format!("<body background=\"{url}\">"),
        "<details open ontoggle=\"alert(1)\"><summary>x</summary></details>".to_string(),
    ] {
        assert_refused(&format!("Testo {body} fine.\n"));
        assert_refused(&format!("<div>\n{body}\n</div>\n"));
    }
}

#[test]
fn handlers_styles_and_forms_are_refused() {
    for body in [
        "<p onclick=\"alert(1)\">x</p>",
        "<p ONCLICK=\"alert(1)\">x</p>",
        "<p OnMouseOver=alert(1)>x</p>",
        "<img src=x onerror=alert(1) alt=\"\">",
        "<div onanimationstart=\"alert(1)\">x</div>",
        "<span tabindex=0 autofocus onfocus=alert(1)>x</span>",
        "<div style=\"position:fixed;inset:0;background:#fff\">Sito in manutenzione</div>",
        "<p class=\"position-fixed top-0 w-100 h-100 bg-white\">x</p>",
        "<form><input type=\"password\" name=\"pw\"><button>Accedi</button></form>",
        "<select><option>x</option></select>",
        "<dialog open>x</dialog>",
        "<p aria-hidden=\"true\">x</p>",
        "<p role=\"button\">x</p>",
        "<p data-x=\"1\">x</p>",
        "<a href=\"https://x.it/\" target=\"_blank\">x</a>",
        "<custom-element>x</custom-element>",
        "<!-- commento aperto",
    ] {
        let out = render_body(&format!(
            "Testo\n\n{{{{ impegni }}}}\n\nAltro {body} fine.\n"
        ));
        if body.starts_with("<!--") {
            // A comment left open at the end swallows nothing of carta's: it is just not shown.
            assert!(e150s(&out).is_empty(), "{body}: {:?}", out.diagnostics);
            assert!(
                out.html.contains("<caption>Impegni</caption>"),
                "{}",
                out.html
            );
            assert!(unsafe_parts(&out.html).is_empty());
            continue;
        }
        assert_refused(&format!("Testo {body} fine.\n"));
    }
}

#[test]
fn mail_links_carry_no_headers() {
    for dest in [
        "mailto:urp@comune.fi.it?bcc=spia@altro.it",
        "mailto:urp@comune.fi.it?cc=spia@altro.it",
        "mailto:urp@comune.fi.it?subject=Ciao%0D%0ABcc:%20spia@altro.it",
        "mailto:urp@comune.fi.it%0D%0ABcc:spia@altro.it",
        "mailto:urp@comune.fi.it?Subject=x&BCC=spia@altro.it",
    ] {
        assert_refused(&format!("Scrivi a [URP]({dest}).\n"));
        assert_refused(&format!("Scrivi a <a href=\"{dest}\">URP</a>.\n"));
        assert_refused(&format!(
            "Scrivi a <a href=\"{}\">URP</a>.\n",
            dest.replace('?', "&#63;").replace('=', "&#61;")
        ));
    }
    let out = render_body("Scrivi a [URP](mailto:urp@comune.fi.it?subject=Reclamo).\n");
    assert!(
        !out.diagnostics.iter().any(Diagnostic::is_error),
        "{:?}",
        out.diagnostics
    );
    assert!(
        out.html
            .contains("href=\"mailto:urp@comune.fi.it?subject=Reclamo\""),
        "{}",
        out.html
    );
}

#[test]
fn carta_s_own_content_cannot_be_swallowed_or_forged() {
    // An element or comment left open before a generated block would hide it or change its
    // meaning: it is an error, not a broken page.
    for opening in [
        "<details><summary>x</summary>",
        "<div>",
        "<table><tr><td>",
        "<a href=\"/x/\">",
        "<ul><li>",
    ] {
        let out = render_body(&format!(
            "Testo\n\n{opening}\n\n{{{{ impegni }}}}\n\nFine.\n"
        ));
        assert!(
            unsafe_parts(&out.html).is_empty(),
            "{opening}: {}",
            out.html
        );
        assert!(
            out.html.contains("<caption>Impegni</caption>"),
            "{opening}: {}",
            out.html
        );
    }
    // A body that writes a slot element of its own gets no trusted content from it.
    let out = render_body("Testo <carta-slot-0-0></carta-slot-0-0> fine.\n\n{{ impegni }}\n");
    assert!(!e150s(&out).is_empty());
}

#[test]
fn allowed_html_is_published_as_parsed_and_comments_are_not() {
    let body = "## Orari\n\n<details>\n<summary>Orari dello sportello</summary>\n\n| Giorno | Ore |\n|:---|---:|\n| Lunedì | 9-13 |\n\n</details>\n\nTesto con <abbr title=\"Ufficio relazioni con il pubblico\">URP</abbr>, <kbd>Ctrl</kbd>, H<sub>2</sub>O, <mark>nota</mark><br>\ne <a href=\"https://www.comune.fi.it/\" hreflang=\"it\">il sito</a>, <a href=\"mailto:urp@comune.fi.it?subject=Orari\">l'URP</a>, <a href=\"tel:+390553283807\">il telefono</a>. <!-- nota interna: non pubblicare -->\n\n{{ impegni }}\n\nNota[^1].\n\n[^1]: Vedi <q cite=\"https://www.comune.fi.it/\">sopra</q>.\n";
    let out = render_body(body);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        out.diagnostics
    );
    assert!(unsafe_parts(&out.html).is_empty(), "{}", out.html);
    let html = Html::parse_fragment(&out.html);
    let one = |selector: &str| {
        let found: Vec<_> = html.select(&sel(selector)).collect();
        assert_eq!(found.len(), 1, "{selector} in {}", out.html);
        found[0]
    };
    assert_eq!(
        norm(&text_of(one("details > summary"))),
        "Orari dello sportello"
    );
    assert_eq!(
        one("details table th:nth-child(2)").attr("style"),
        Some("text-align: right")
    );
    assert!(
        one("div.carta-table-region[role=region][tabindex='0']")
            .attr("aria-label")
            .unwrap()
            .contains("Orari")
    );
    assert_eq!(
        one("abbr").attr("title"),
        Some("Ufficio relazioni con il pubblico")
    );
    assert_eq!(
        one("a[hreflang=it]").attr("href"),
        Some("https://www.comune.fi.it/")
    );
    assert_eq!(one("table.carta > caption").inner_html(), "Impegni");
    assert!(one("sup.footnote-reference > a").attr("href").is_some());
    assert!(
        !out.html.contains("nota interna"),
        "comments are never published: {}",
        out.html
    );
}

#[test]
fn check_and_build_report_the_same_located_e150_and_write_nothing() {
    let project = Project::default_copy();
    let cases = [
        (
            "Testo <noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"> fine.",
            "<img",
        ),
        (
            "Vedi <a href=\"&#x6A;avascript:alert(1)\">qui</a> il modulo.",
            "<a",
        ),
        (
            "Vedi <button formaction=\"javascript:alert(1)\">qui</button>.",
            "<button",
        ),
        (
            "<div style=\"position:fixed;inset:0\">Sito chiuso</div>",
            "<div",
        ),
        (
            "Scrivi a [URP](mailto:urp@comune.fi.it?bcc=spia@altro.it).",
            "mailto:",
        ),
    ];
    let mut text = project.read(CHAPTER_4);
    let anchor = "\n## 4.2 Individuazione";
    let inserted: String = cases
        .iter()
        .map(|(case, _)| format!("\n{case}\n"))
        .collect();
    text = text.replacen(anchor, &format!("{inserted}{anchor}"), 1);
    project.write(CHAPTER_4, &text);
    let output = project.output("public");
    for run in [
        project.check(&["--strict"]),
        project.build(&output, &["--strict"]),
    ] {
        run.assert_code(EXIT_CONTENT_ERRORS);
        let found: Vec<(u32, u32)> = run
            .diagnostics()
            .into_iter()
            .filter(|d| d.code == "E150")
            .map(|d| (d.line.unwrap(), d.col.unwrap()))
            .collect();
        for (case, at) in cases {
            let expected = locate(&text, case, at);
            assert!(
                found.contains(&expected),
                "{case}: {expected:?} not in {found:?}\n{}",
                run.stderr
            );
        }
        let lines: std::collections::BTreeSet<u32> = found.iter().map(|(line, _)| *line).collect();
        let case_lines: std::collections::BTreeSet<u32> = cases
            .iter()
            .map(|(case, at)| locate(&text, case, at).0)
            .collect();
        assert_eq!(
            lines, case_lines,
            "only the hostile lines are reported\n{}",
            run.stderr
        );
    }
    assert!(!output.exists(), "a refused build writes nothing");
}

#[test]
fn the_print_edition_holds_the_same_checked_html() {
    let project = Project::default_copy();
    project.replace(
        CHAPTER_4,
        "\n## 4.2 Individuazione",
        "\n<details><summary>Dettagli</summary>Testo <!-- appunto-riservato --> <abbr title=\"x\">y</abbr></details>\n\n## 4.2 Individuazione",
    );
    let (_, site) = project.build_site("public", &["--strict"]);
    for url in ["/rapporto-con-il-cittadino/", PRINT_EDITION] {
        let page = site.page(url);
        // The site's own menu is a disclosure too; the chapter's is the other one.
        let summaries = select_all(page, "details:not(.carta-menu-disclosure) > summary");
        assert_eq!(summaries.len(), 1, "{url}");
        assert_eq!(norm(&text_of(summaries[0])), "Dettagli");
        assert!(
            !page.html().contains("appunto-riservato"),
            "{url} publishes a comment"
        );
    }
}
