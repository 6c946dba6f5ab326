//! The legal notes page (`/note-legali/`), when `[site] legal_notes_page = true`: the licence of
//! the site's contents in the words of AGID's model, which the footer links.

use super::claims::Origin;
use super::{Cache, Failure, Input, Output, Product};
use crate::render::{Context, pages};

/// The legal notes page.
pub(crate) struct LegalNotes;

impl Output for LegalNotes {
    fn name(&self) -> &'static str {
        "legal notes"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, cache: &mut Cache) -> Result<Product, Failure> {
        let Some(job) = pages::legal_notes(input.cx) else {
            return Ok(Product::default());
        };
        Ok(Product {
            pages: pages::render(input.cx, vec![job], &mut cache.render)?,
            ..Product::default()
        })
    }

    /// The page is asked for by `legal_notes_page` in site.toml.
    fn origin(&self, cx: &Context<'_>, _path: &str) -> Option<Origin> {
        let project = cx.project;
        Some(Origin {
            what: "la pagina delle note legali (`legal_notes_page` in site.toml)".to_string(),
            at: crate::config::key_location(
                &project.sources,
                project.config_file,
                "site.legal_notes_page",
            ),
        })
    }
}
