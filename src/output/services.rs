//! A page per commitment (`/impegni/<id>/`), linked from the commitments table, with the service
//! as schema.org JSON-LD for AGID's validator (see [`crate::render::services`]).

use super::{Cache, Failure, Input, Output, Product};
use crate::render::services;

/// The services' pages.
pub(crate) struct Services;

impl Output for Services {
    fn name(&self) -> &'static str {
        "services"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        Ok(Product {
            pages: services::render(input.cx)?,
            ..Product::default()
        })
    }
}
