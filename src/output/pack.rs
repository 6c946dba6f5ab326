//! The transparency pack's pages: the page to link from "Amministrazione trasparente" with every
//! file of the publication measured, the fragment for the ente's CMS and its preview (see
//! [`crate::render::pack`]). It comes after the manifest, whose measures it shows.

use std::path::Path;

use super::manifest::Artifact;
use super::{Cache, Contents, Failure, Input, Output, OutputFile, Product};
use crate::licence;
use crate::render::pack::{self, ArtifactView, LicenceView, PackView, RetentionView};
use crate::render::view::{ApprovalView, DateView};
use crate::strings::Strings;

/// The pack's page, the fragment and its preview.
pub struct Pack;

impl Output for Pack {
    fn name(&self) -> &'static str {
        "pack"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let config = &project.config;
        let charter = &project.charter.data;
        let timeline = &cx.timeline;
        let retention = timeline.last().and_then(|current| current.retention);
        let fragment_url = format!("{}{}", pack::pack_url(strings), pack::FRAGMENT_FILE);
        let view = PackView {
            site_url: config.site.base_url_slash(),
            draft: charter.is_draft(),
            approval: ApprovalView::of(charter, strings),
            published: charter
                .published_date()
                .map(|date| DateView::new(date, strings)),
            last_updated: cx.last_updated.clone(),
            retention: retention.map(|retention| RetentionView::new(retention, strings)),
            section: strings.pack.section.clone(),
            legal_basis: strings.pack.legal_basis.clone(),
            licence: LicenceView::new(licence::of_project(project)),
            artifacts: input
                .made
                .facts
                .artifacts
                .iter()
                .map(|artifact| artifact_view(artifact, strings))
                .collect(),
            fragment_absolute_url: config.site.absolute_url(&fragment_url),
            fragment_url,
            preview_url: format!("{}{}", pack::pack_url(strings), pack::PREVIEW_FILE),
            fragment_code: String::new(),
        };
        let rendered = pack::render(cx, view)?;
        Ok(Product {
            pages: rendered.pages,
            files: vec![OutputFile {
                path: Path::new(&strings.pack.slug).join(pack::FRAGMENT_FILE),
                contents: Contents::Bytes(rendered.fragment.into_bytes()),
            }],
            ..Product::default()
        })
    }
}

/// A measured file as the pack's templates show it.
fn artifact_view(artifact: &Artifact, strings: &Strings) -> ArtifactView {
    ArtifactView {
        title: artifact.title.clone(),
        kind: artifact.kind.word(),
        url: artifact.site_url.clone(),
        absolute_url: artifact.url.clone(),
        format: artifact.format,
        size_bytes: artifact.size,
        size_text: pack::size_text(artifact.size, strings),
        date: DateView::new(artifact.date, strings),
    }
}
