//! The print edition's part of the rewrite pass: makes one chapter body a part of the single
//! document, following the [`Plan`] the render stage fixed for the whole edition.
//!
//! Every element with an id takes its document-wide id, and the attributes that refer to ids
//! follow; links to pages of the site become links inside the document (or, for pages it does not
//! contain, the site's address); headings move one level down under the chapter title; the address
//! of every link to another site is printed after its text. The site's own handlers run in the
//! same pass, after these, so each body is read once.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use lol_html::html_content::ContentType;

use super::{
    Handler, Last, Pass, RewriteSettings, TableState, element_handler, escape_html, id_handler,
    run, site_handlers, table_handlers, text_handler,
};
use crate::render::print::Plan;

/// Attributes whose value is a list of ids in the same document.
const ID_REFERENCES: [&str; 9] = [
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-flowto",
    "aria-activedescendant",
    "for",
    "headers",
];

/// Rewrites part `part` of the print edition. Returns the new HTML, the malformed links found and
/// the ids it ends with. `last` runs after every other handler, in the same pass (the gate's).
pub(crate) fn rewrite_part(
    html: &str,
    part: usize,
    plan: &Plan,
    settings: &RewriteSettings,
    last: Option<&dyn Last>,
) -> Result<Pass, String> {
    let problems = RefCell::new(Vec::new());
    let ids = RefCell::new(BTreeSet::new());
    let tables = RefCell::new(TableState::default());
    let next_id = RefCell::new(plan.element_ids(part).iter());
    // Text of the link being read, shared with the handler that runs at its end tag.
    let link_text: Rc<RefCell<String>> = Rc::new(RefCell::new(String::new()));
    let mut handlers: Vec<Handler<'_>> = vec![
        element_handler!("[id]", |el| {
            if let Some(id) = next_id.borrow_mut().next() {
                el.set_attribute("id", id)?;
            }
            Ok(())
        }),
        element_handler!(id_reference_selector(), |el| {
            for name in ID_REFERENCES {
                if let Some(value) = el.get_attribute(name) {
                    let mapped: Vec<&str> = value
                        .split_whitespace()
                        .map(|token| plan.id_in(part, token).unwrap_or(token))
                        .collect();
                    el.set_attribute(name, &mapped.join(" "))?;
                }
            }
            Ok(())
        }),
        element_handler!("h1, h2, h3, h4, h5", |el| {
            let level = el.tag_name()[1..].parse::<u8>().unwrap_or(5);
            el.set_tag_name(&format!("h{}", level + 1))?;
            Ok(())
        }),
        element_handler!("a[href], area[href]", |el| {
            let Some(href) = el.get_attribute("href") else {
                return Ok(());
            };
            let href = match plan.resolve(&href, part) {
                Some(new) => {
                    el.set_attribute("href", &new)?;
                    new
                }
                None => href,
            };
            if el.tag_name() == "a" && is_web_address(&href) && el.can_have_content() {
                link_text.borrow_mut().clear();
                let text = Rc::clone(&link_text);
                let printed = plan.external_url().replace("{url}", &href);
                let print_url: lol_html::EndTagHandler<'static> = Box::new(move |end| {
                    if !text_shows_address(&text.borrow(), &href) {
                        end.after(
                            &format!(
                                "<span class=\"carta-print-url\">{}</span>",
                                escape_html(&printed)
                            ),
                            ContentType::Html,
                        );
                    }
                    Ok(())
                });
                if let Some(handlers) = el.end_tag_handlers() {
                    handlers.push(print_url);
                }
            }
            Ok(())
        }),
        text_handler!("a[href]", |chunk| {
            link_text.borrow_mut().push_str(chunk.as_str());
            Ok(())
        }),
    ];
    // The site's handlers see each link as the handlers above left it.
    handlers.extend(site_handlers(settings, &problems));
    // The print edition read on a phone shows its generated tables as the site does.
    handlers.extend(table_handlers(&tables));
    handlers.push(id_handler(&ids));
    if let Some(last) = last {
        handlers.extend(last.handlers(false));
    }
    let output = run(html, handlers)?;
    Ok(Pass {
        html: output,
        problems: problems.into_inner(),
        vocabulary: None,
        ids: ids.into_inner(),
    })
}

/// The elements with an attribute of [`ID_REFERENCES`].
fn id_reference_selector() -> String {
    ID_REFERENCES
        .iter()
        .map(|name| format!("[{name}]"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_web_address(href: &str) -> bool {
    href.starts_with("https://") || href.starts_with("http://")
}

/// True when the link text already shows the address (autolinks, `www.example.it`).
fn text_shows_address(text: &str, href: &str) -> bool {
    let bare = |value: &str| {
        let value = value.trim();
        let value = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
            .unwrap_or(value);
        value.trim_end_matches('/').to_ascii_lowercase()
    };
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    bare(&text) == bare(href)
}
