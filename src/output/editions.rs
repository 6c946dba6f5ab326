//! The editions: the archive of every edition, a page per edition with its commitments and a
//! "Cosa è cambiato" between each edition and the one before (see [`crate::render::editions`]).

use super::{Cache, Failure, Input, Output, Product, manifest, open_data};
use crate::render::editions;

/// The archive's pages.
pub(crate) struct Editions;

impl Output for Editions {
    fn name(&self) -> &'static str {
        "editions"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        // Each edition's page links the open data written in its folder by [`open_data`].
        let data: Vec<(&str, &'static str)> = open_data::EDITION_FILES
            .iter()
            .map(|name| (*name, manifest::media_type(name).0))
            .collect();
        Ok(Product {
            pages: editions::render(input.cx, &data)?,
            ..Product::default()
        })
    }
}
