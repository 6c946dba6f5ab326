//! The home page: the charter's cover, its chapters and pages, and the downloads — with the PDF
//! and its size when the build made one, which is why it comes after the PDF.

use super::{ArtifactKind, ArtifactSpec, Cache, Facts, Failure, Input, Output, Product};
use crate::render::pages;

/// `index.html`.
pub(crate) struct Home;

impl Output for Home {
    fn name(&self) -> &'static str {
        "home"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, cache: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let pdf = input
            .made
            .facts
            .pdf
            .as_ref()
            .map(|pdf| pdf.view(cx.strings));
        let job = pages::home(cx, pdf);
        let listed = vec![ArtifactSpec {
            path: job.path.clone(),
            title: cx.strings.pack.artifact_site.clone(),
            kind: ArtifactKind::Sito,
            date: cx.project.charter.data.last_updated.value,
        }];
        Ok(Product {
            pages: pages::render(cx, vec![job], &mut cache.render)?,
            files: Vec::new(),
            facts: Facts {
                listed,
                ..Facts::default()
            },
        })
    }
}
