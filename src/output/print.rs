//! The print edition: one HTML document with every chapter and the generated blocks, for printing
//! and for the PDF (see [`crate::render::print`]).

use super::{ArtifactKind, ArtifactSpec, Cache, Facts, Failure, Input, Output, Product};
use crate::diagnostics::Diagnostics;
use crate::render::print;

/// The print edition's page.
pub(crate) struct PrintEdition;

impl Output for PrintEdition {
    fn name(&self) -> &'static str {
        "print"
    }

    fn is_site_pages(&self) -> bool {
        true
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let page = print::render(cx).map_err(|problems| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(problems);
            Failure::Content(diagnostics)
        })?;
        let info = print::info(cx.project, cx.strings);
        let listed = vec![ArtifactSpec {
            path: info.page.clone(),
            title: cx.strings.pack.artifact_print.clone(),
            kind: ArtifactKind::Stampa,
            date: cx.project.charter.data.last_updated.value,
        }];
        Ok(Product {
            pages: vec![page],
            files: Vec::new(),
            facts: Facts {
                print: Some(info),
                listed,
                ..Facts::default()
            },
        })
    }
}
