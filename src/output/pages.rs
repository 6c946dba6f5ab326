//! The site's pages: a page per chapter, a page per generated block and the "page not found" (the
//! home page, which links the PDF, is [`super::home`]).

use super::claims::Origin;
use super::{Cache, Failure, Input, Output, Product};
use crate::diagnostics::Location;
use crate::render::{Context, pages};

/// Chapters, generated pages and `404.html`.
pub(crate) struct Pages;

impl Output for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, cache: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let mut jobs = pages::chapters(cx);
        jobs.extend(pages::generated(cx));
        jobs.push(pages::not_found(cx));
        Ok(Product {
            pages: pages::render(cx, jobs, &mut cache.render)?,
            ..Product::default()
        })
    }

    /// A chapter's page comes from the chapter, placed at its `slug:` (or its title, which the
    /// address is made from).
    fn origin(&self, cx: &Context<'_>, path: &str) -> Option<Origin> {
        cx.project
            .chapters
            .iter()
            .find(|chapter| path.strip_suffix("/index.html") == Some(chapter.slug.as_str()))
            .map(|chapter| {
                let front = &chapter.front;
                let (line, col, len) = match &front.slug {
                    Some(slug) => (slug.line, slug.col, slug.len),
                    None => (front.title.line, front.title.col, front.title.len),
                };
                Origin {
                    what: format!("il capitolo {}", cx.sources().path(chapter.file).display()),
                    at: Some(Location::Source {
                        file: chapter.file,
                        line,
                        col,
                        len,
                    }),
                }
            })
    }
}
