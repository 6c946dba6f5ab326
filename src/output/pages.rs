//! The site's pages: a page per chapter, a page per generated block and the "page not found" (the
//! home page, which links the PDF, is [`super::home`]).

use super::{Cache, Failure, Input, Output, Product};
use crate::render::pages;

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
}
