//! A rendered page: where it goes, its HTML, and the large parts kept apart from it until it is
//! written.

use std::sync::Arc;

use rayon::prelude::*;

use super::print::Plan;

/// One page of the site: where it goes and its HTML.
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the output folder, e.g. `impegni/index.html`.
    pub path: String,
    /// Root-relative URL, e.g. `/impegni/`.
    pub(crate) url: String,
    /// The page, or its frame when it has parts: then a [`Parts::marker`] stands for each part.
    pub html: String,
    pub(crate) parts: Parts,
}

/// Large pieces of a page kept apart from its frame until the page is written (the print
/// edition's chapters): they never go through the template, the rewrite pass takes them in
/// parallel, and a streaming write writes them in place without joining them first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    /// Shared with the chapter pages that publish the same bodies.
    pub(crate) bodies: Vec<Arc<String>>,
    /// Makes the markers unmistakable: no body contains a marker with this salt.
    salt: u32,
    /// How the rewrite pass makes the parts one document: the print edition's ids and links.
    pub(crate) plan: Option<Arc<Plan>>,
}

/// A piece of a page's text: a stretch of its frame, or the number of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Frame(&'a str),
    Part(usize),
}

/// Start of the comments that stand for a page's parts in its frame.
const MARKER_PREFIX: &str = "<!--carta-part-";

impl Parts {
    pub(crate) fn new(bodies: Vec<Arc<String>>, plan: Option<Arc<Plan>>) -> Parts {
        // The bodies are megabytes for a long charter: looked through in parallel.
        let contains_salt = |salt: u32| {
            let prefix = salted_prefix(salt);
            bodies.par_iter().any(|body| body.contains(&prefix))
        };
        // The bodies contain finitely many marker-like comments, so a free salt is found at once
        // in practice (0, unless a chapter quotes one) and always within the range.
        let salt = (0..=u32::MAX)
            .find(|salt| !contains_salt(*salt))
            .unwrap_or(u32::MAX);
        Parts { bodies, salt, plan }
    }

    /// The comment that stands for part `index` in the page's frame.
    pub(crate) fn marker(&self, index: usize) -> String {
        format!("{}{index}-->", salted_prefix(self.salt))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }
}

fn salted_prefix(salt: u32) -> String {
    format!("{MARKER_PREFIX}{salt}-")
}

impl Page {
    pub(crate) fn new(path: String, url: String, html: String) -> Self {
        Page {
            path,
            url,
            html,
            parts: Parts::default(),
        }
    }

    /// The page's text in order: pieces of the frame and, in each marker's place, the number of
    /// the part that goes there. A marker the frame does not contain leaves its part out, as the
    /// template asked.
    pub(crate) fn layout(&self) -> Vec<Piece<'_>> {
        let mut pieces = Vec::with_capacity(self.parts.bodies.len() * 2 + 1);
        let mut rest = self.html.as_str();
        for index in 0..self.parts.bodies.len() {
            let marker = self.parts.marker(index);
            if let Some(at) = rest.find(&marker) {
                pieces.push(Piece::Frame(&rest[..at]));
                pieces.push(Piece::Part(index));
                rest = &rest[at + marker.len()..];
            }
        }
        pieces.push(Piece::Frame(rest));
        pieces
    }

    /// The page's text in order: [`Page::layout`] with the parts' text.
    pub(crate) fn pieces(&self) -> Vec<&str> {
        self.layout()
            .into_iter()
            .map(|piece| match piece {
                Piece::Frame(text) => text,
                Piece::Part(index) => self.parts.bodies[index].as_str(),
            })
            .collect()
    }

    /// The page with its parts in place (see [`Page::pieces`]), as one text.
    pub(crate) fn joined(self) -> Page {
        if self.parts.is_empty() {
            return self;
        }
        let html = self.pieces().concat();
        Page::new(self.path, self.url, html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with(frame: impl FnOnce(&Parts) -> String, bodies: &[&str]) -> Page {
        let parts = Parts::new(
            bodies
                .iter()
                .map(|body| std::sync::Arc::new(body.to_string()))
                .collect(),
            None,
        );
        let html = frame(&parts);
        Page {
            path: "a/index.html".into(),
            url: "/a/".into(),
            html,
            parts,
        }
    }

    #[test]
    fn parts_take_the_place_of_their_markers_in_order() {
        let page = page_with(
            |parts| {
                format!(
                    "<main>{}<p>x</p>{}</main>",
                    parts.marker(0),
                    parts.marker(1)
                )
            },
            &["<h2>Uno</h2>", "<h2>Due</h2>"],
        );
        let page = page.joined();
        assert_eq!(page.html, "<main><h2>Uno</h2><p>x</p><h2>Due</h2></main>");
        assert!(page.parts.is_empty());
        // A marker the frame left out leaves its part out.
        let page = page_with(|parts| parts.marker(1), &["a", "b"]);
        assert_eq!(page.joined().html, "b");
    }

    #[test]
    fn a_part_that_quotes_a_marker_changes_the_markers_not_the_text() {
        let quoted = "<p>prima</p><!--carta-part-0-1--><p>dopo</p>";
        let page = page_with(
            |parts| format!("<main>{}{}</main>", parts.marker(0), parts.marker(1)),
            &["<h2>Uno</h2>", quoted],
        );
        assert_eq!(page.parts.marker(1), "<!--carta-part-1-1-->");
        assert_eq!(
            page.joined().html,
            format!("<main><h2>Uno</h2>{quoted}</main>")
        );
    }
}
