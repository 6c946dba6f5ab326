//! A page per commitment: the service's "scheda" — what the service is, who it is for, its quality
//! standards, the unit responsible and how to reach it, the access channels — with the service as
//! schema.org `GovernmentService` JSON-LD marked `data-element="metatag"`, the shape AGID's
//! validator reads (R.SI.1.1). Only what the charter gives is said.

use serde::Serialize;
use serde_json::json;

use super::jsonld::script_safe;
use super::pages::Job;
use super::view::{
    AddressView, BlockBuilder, ChannelView, CommitmentView, NavItem, PageView, PhoneView,
    service_url,
};
use super::{Context, Page};
use crate::blocks;
use crate::diagnostics::Diagnostics;
use crate::model::{Commitment, Project};
use crate::standards;

/// A unit responsible for the service, with the contacts the charter gives.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResponsibleView {
    pub(crate) name: String,
    /// Its place in the organigram.
    pub(crate) url: String,
    pub(crate) email: Option<String>,
    pub(crate) phones: Vec<PhoneView>,
}

/// What a service's page shows, as `service`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceView {
    pub(crate) commitment: CommitmentView,
    /// The kind of service, when the charter gives it (`service_type`).
    pub(crate) service_type: Option<String>,
    pub(crate) service_url: Option<String>,
    /// The commitment's own `service_url`, shown as a link (the fallback channel is in `channels`).
    pub(crate) own_service_url: Option<String>,
    pub(crate) responsible: Vec<ResponsibleView>,
    pub(crate) channels: Vec<ChannelView>,
    pub(crate) office: String,
    pub(crate) address: Option<AddressView>,
    /// The commitments page, where the service is one row of the table.
    pub(crate) commitments_url: String,
}

#[derive(Serialize)]
struct ServiceContext<'a> {
    page: &'a PageView<'a>,
    service: &'a ServiceView,
}

/// Every commitment's page, in the charter's order.
pub(crate) fn render(cx: &Context<'_>) -> Result<Vec<Page>, Diagnostics> {
    let Some(commitments_page) = cx.generated_page(blocks::COMMITMENTS.name) else {
        return Ok(Vec::new());
    };
    let organization_url = cx
        .generated_page(blocks::ORGANIGRAM.name)
        .map(|page| page.url.clone())
        .unwrap_or_default();
    let builder = BlockBuilder {
        project: cx.project,
        strings: cx.strings,
        organization_url: &organization_url,
        results: &cx.results,
        latest: &cx.latest,
    };
    let crumb = NavItem {
        title: commitments_page.title.clone(),
        url: commitments_page.url.clone(),
    };
    let mut diagnostics = Diagnostics::new();
    let mut pages = Vec::new();
    for (index, commitment) in cx.project.commitments.data.commitments.iter().enumerate() {
        let view = service_view(cx, &builder, index, commitment, &commitments_page.url);
        let mut page = PageView::new(
            "service",
            commitment.service.clone(),
            service_url(cx.strings, &commitment.id.value),
            cx.last_updated.clone(),
        );
        page.description = Some(description(cx, commitment));
        page.breadcrumb = vec![cx.home.clone(), crumb.clone()];
        page.metatag = Some(metatag(cx.project, commitment, &view, &page.url));
        let job = Job {
            path: format!("{}index.html", page.url.trim_start_matches('/')),
            template: "service.html",
            page,
            pdf: None,
        };
        let context = ServiceContext {
            page: &job.page,
            service: &view,
        };
        match cx.render(job.template, &context) {
            Ok(html) => pages.push(Page::new(job.path, job.page.url.clone(), html)),
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                break;
            }
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(pages)
    }
}

fn service_view(
    cx: &Context<'_>,
    builder: &BlockBuilder<'_>,
    index: usize,
    commitment: &Commitment,
    commitments_url: &str,
) -> ServiceView {
    let project = cx.project;
    let organization = &project.organization.data;
    let responsible = commitment
        .responsible
        .iter()
        .map(|id| {
            let unit = organization.unit(id);
            let reference = builder.unit_ref(id);
            ResponsibleView {
                name: reference.name,
                url: reference.url,
                email: unit.and_then(|unit| unit.email.as_ref().map(|e| e.value.clone())),
                phones: unit
                    .map(|unit| unit.phones.iter().map(|p| PhoneView::new(p)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    ServiceView {
        commitment: builder.commitment(index, commitment),
        service_type: commitment.service_type.clone(),
        service_url: own_or_channel_url(project, commitment),
        own_service_url: commitment.service_url.as_ref().map(|url| url.value.clone()),
        responsible,
        channels: project
            .channels
            .iter()
            .flat_map(|channels| channels.data.channels.iter())
            .map(|channel| ChannelView {
                audience: channel.audience.clone(),
                label: channel.label.clone(),
                url: channel.url.value.clone(),
            })
            .collect(),
        office: project.charter.data.office.clone(),
        address: project.contacts.data.address.as_ref().map(AddressView::new),
        commitments_url: format!("{commitments_url}#impegno-{}", commitment.id.value),
    }
}

/// Where the service is reached online: the commitment's own address, or else the first access
/// channel the charter lists; none when the charter gives neither.
fn own_or_channel_url(project: &Project, commitment: &Commitment) -> Option<String> {
    commitment
        .service_url
        .as_ref()
        .map(|url| url.value.clone())
        .or_else(|| {
            project
                .channels
                .as_ref()
                .and_then(|channels| channels.data.channels.first())
                .map(|channel| channel.url.value.clone())
        })
}

/// The page's meta description: the service and its standards, in the theme's words.
fn description(cx: &Context<'_>, commitment: &Commitment) -> String {
    let sentences: Vec<String> = commitment
        .standards
        .iter()
        .map(|standard| standards::sentence(standard, &cx.strings.standards))
        .collect();
    if sentences.is_empty() {
        commitment.service.clone()
    } else {
        format!("{}: {}", commitment.service, sentences.join("; "))
    }
}

/// The service as one schema.org `GovernmentService`, with the entries AGID's validator requires
/// (R.SI.1.1) that the charter can fill: each is left out when the charter does not give it.
fn metatag(project: &Project, commitment: &Commitment, view: &ServiceView, url: &str) -> String {
    let config = &project.config;
    let mut service = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": commitment.service,
        "url": config.site.absolute_url(url),
        "serviceOperator": { "@type": "GovernmentOrganization", "name": config.ente.name },
        "provider": { "@type": "GovernmentOrganization", "name": project.charter.data.office },
        "areaServed": { "@type": "AdministrativeArea", "name": config.ente.city },
    });
    if let Some(kind) = &view.service_type {
        service["serviceType"] = json!(kind);
    }
    if !commitment.users().is_empty() {
        service["audience"] = json!({
            "@type": "Audience",
            "audienceType": commitment.users().join(", "),
        });
    }
    let mut channel = json!({ "@type": "ServiceChannel" });
    if let Some(service_url) = &view.service_url {
        channel["serviceUrl"] = json!(service_url);
    }
    if let Some(address) = &project.contacts.data.address {
        channel["serviceLocation"] = json!({
            "@type": "Place",
            "name": project.charter.data.office,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": address.street,
                "postalCode": address.postcode,
                "addressLocality": address.city,
                "addressCountry": "IT",
            },
        });
    }
    if channel.as_object().is_some_and(|fields| fields.len() > 1) {
        service["availableChannel"] = channel;
    }
    script_safe(&service)
}
