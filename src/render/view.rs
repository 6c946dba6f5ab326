//! View models: the model reshaped for templates (dates as text, phones with `tel:` numbers,
//! standards as sentences, references resolved to names and URLs).
//!
//! These are the exact structures documented in `themes/agid/README.md`; templates see nothing else.
//! Building them does no I/O and writes no HTML.

use serde::Serialize;

use crate::forms;
use crate::model::{Charter, Date, Organization, Person, Project, Standard, Unit};
use crate::render::standards;
use crate::theme::Strings;

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    pub fn new(date: Date, strings: &Strings) -> Self {
        Self {
            iso: date.iso(),
            text: strings.date(date),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub ente: EnteView,
    pub language: String,
    pub bootstrap: bool,
    /// The URL of Bootstrap Italia's stylesheet: the rules the pages use, or the whole of it
    /// (`--stylesheet bootstrap-full`); empty in fallback mode.
    pub bootstrap_css: String,
    pub footer: FooterView,
    /// Templates write root-relative URLs; the rewrite pass adds the deployment path.
    pub root: &'static str,
    /// Extra stylesheets of the project, under `/assets/` (`[site] stylesheets`).
    pub stylesheets: Vec<String>,
    /// The site's icon (`[site] favicon`, or the theme's).
    pub favicon: crate::branding::FaviconView,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnteView {
    pub name: String,
    pub kind: String,
    pub city: String,
    pub url: String,
    pub colour: String,
    pub parent: LinkView,
    /// The ente's logo (`[ente] logo`, `logo_alt`), when it has one.
    pub logo: Option<crate::branding::LogoView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FooterView {
    pub accessibility: String,
    pub privacy: String,
    pub legal_notes: String,
    pub faq: String,
    pub report_inefficiency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CharterView {
    pub title: String,
    pub office: String,
    pub office_short: Option<String>,
    pub edition: String,
    /// True for a draft, not approved yet: every page says so.
    pub draft: bool,
    /// None for a draft.
    pub approval: Option<ApprovalView>,
    /// None for a draft.
    pub published: Option<DateView>,
    pub last_updated: DateView,
    pub next_review: Option<DateView>,
    pub summary_html: String,
    pub credits: Vec<CreditView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalView {
    pub act: String,
    pub date: DateView,
}

impl ApprovalView {
    /// The approval of a charter; none for a draft.
    pub fn of(charter: &Charter, strings: &Strings) -> Option<ApprovalView> {
        charter.approval.as_ref().map(|approval| ApprovalView {
            act: approval.act.value.clone(),
            date: DateView::new(approval.date.value, strings),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CreditView {
    pub role: String,
    pub name: String,
}

/// A titled link: menu entries, breadcrumbs, previous/next.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterSummary {
    pub number: Option<String>,
    pub title: String,
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GeneratedSummary {
    pub title: String,
    pub url: String,
    pub description: String,
}

/// A page as templates see it, as `page`. The body is borrowed: a long charter's chapters are
/// megabytes, and the print edition takes them once the pages are rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: String,
    pub number: Option<String>,
    pub url: String,
    pub description: Option<String>,
    pub last_updated: DateView,
    pub content_html: &'a str,
    pub breadcrumb: Vec<NavItem>,
    pub toc: Vec<TocView>,
    pub prev: Option<NavItem>,
    pub next: Option<NavItem>,
    /// schema.org JSON-LD for the page's `<head>`, already safe inside a script element.
    pub jsonld: Option<String>,
}

impl PageView<'_> {
    /// A page with no body, breadcrumb or neighbours yet.
    pub fn new(kind: &'static str, title: String, url: String, last_updated: DateView) -> Self {
        Self {
            kind,
            title,
            number: None,
            url,
            description: None,
            last_updated,
            content_html: "",
            breadcrumb: Vec::new(),
            toc: Vec::new(),
            prev: None,
            next: None,
            jsonld: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TocView {
    pub level: u8,
    pub id: String,
    pub text: String,
}

// ---- Block data -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentView {
    pub id: String,
    pub number: usize,
    pub service: String,
    pub users: Vec<String>,
    pub standards: Vec<StandardView>,
    pub responsible: Vec<RefView>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandardView {
    /// Stable id within the commitment.
    pub id: String,
    /// The short form's key (`take_charge`…), or `full`.
    pub kind: &'static str,
    /// False for a standard not defined yet.
    pub defined: bool,
    pub sentence: String,
    pub formula: Option<String>,
    pub legal_basis: Option<String>,
    pub note: Option<String>,
}

impl StandardView {
    pub fn new(standard: &Standard, words: &standards::StandardWords) -> Self {
        Self {
            id: standard.id.value.clone(),
            kind: standard.preset.map(|preset| preset.key()).unwrap_or("full"),
            defined: standard.is_defined(),
            sentence: standards::sentence(standard, words),
            formula: standard.formula.clone(),
            legal_basis: standard.legal_basis.clone(),
            note: standard.note.clone(),
        }
    }
}

/// A reference resolved to a name and the place in the organigram that describes it.
#[derive(Debug, Clone, Serialize)]
pub struct RefView {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    pub display: String,
    pub tel: String,
}

impl PhoneView {
    pub fn new(number: &str) -> Self {
        Self {
            display: number.to_string(),
            tel: forms::tel_uri_number(number),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub honorific: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<String>,
}

impl PersonView {
    pub fn new(person: &Person) -> Self {
        Self {
            id: person.id.value.clone(),
            name: person.name.clone(),
            honorific: person.honorific.clone(),
            phone: person.phone.as_ref().map(|phone| PhoneView::new(phone)),
            email: person.email.as_ref().map(|email| email.value.clone()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub id: String,
    pub anchor: String,
    pub name: String,
    pub role: String,
    pub head: PersonView,
    pub email: Option<String>,
    pub phones: Vec<PhoneView>,
    pub units: Vec<UnitView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessView {
    pub process: String,
    pub competences: String,
    pub responsible: RefView,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherContactView {
    pub label: String,
    pub description: Option<String>,
    pub email: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddressView {
    pub street: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StakeholderGroupView {
    pub name: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelView {
    pub audience: String,
    pub label: String,
    pub url: String,
}

/// The data of one generated block, as `block` in `blocks/<name>.html`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum BlockData {
    Commitments {
        commitments: Vec<CommitmentView>,
    },
    Contacts {
        processes: Vec<ProcessView>,
        other: Vec<OtherContactView>,
        phones: Vec<PhoneView>,
        address: AddressView,
    },
    Organigram {
        direction: UnitView,
        services: Vec<UnitView>,
    },
    Stakeholders {
        intro: Option<String>,
        groups: Vec<StakeholderGroupView>,
    },
    Channels {
        channels: Vec<ChannelView>,
    },
}

/// Builds block data; `organization_url` is the page the organigram anchors live on.
pub struct BlockBuilder<'a> {
    pub project: &'a Project,
    pub strings: &'a Strings,
    pub organization_url: &'a str,
}

impl BlockBuilder<'_> {
    fn organization(&self) -> &Organization {
        &self.project.organization.data
    }

    fn unit_ref(&self, id: &str) -> RefView {
        let name = self
            .organization()
            .unit(id)
            .map(|unit| unit.name.clone())
            .unwrap_or_else(|| id.to_string());
        RefView {
            id: id.to_string(),
            name,
            url: format!("{}#{}", self.organization_url, id),
        }
    }

    /// A person links to the first unit they head, where their contacts are.
    fn person_ref(&self, id: &str) -> RefView {
        let organization = self.organization();
        let name = organization
            .person(id)
            .map(|person| person.name.clone())
            .unwrap_or_else(|| id.to_string());
        let anchor = organization
            .units()
            .into_iter()
            .find(|unit| unit.head.value == id)
            .map(|unit| format!("#{}", unit.id.value))
            .unwrap_or_default();
        RefView {
            id: id.to_string(),
            name,
            url: format!("{}{}", self.organization_url, anchor),
        }
    }

    pub fn commitments(&self) -> BlockData {
        let words = &self.strings.standards;
        let commitments = self
            .project
            .commitments
            .data
            .commitments
            .iter()
            .enumerate()
            .map(|(index, commitment)| CommitmentView {
                id: commitment.id.value.clone(),
                number: index + 1,
                service: commitment.service.clone(),
                users: commitment.users.clone(),
                standards: commitment
                    .standards
                    .iter()
                    .map(|standard| StandardView::new(standard, words))
                    .collect(),
                responsible: commitment
                    .responsible
                    .iter()
                    .map(|id| self.unit_ref(id))
                    .collect(),
                note: commitment.note.clone(),
            })
            .collect();
        BlockData::Commitments { commitments }
    }

    pub fn contacts(&self) -> BlockData {
        let contacts = &self.project.contacts.data;
        BlockData::Contacts {
            processes: contacts
                .processes
                .iter()
                .map(|process| ProcessView {
                    process: process.process.clone(),
                    competences: process.competences.clone(),
                    responsible: self.person_ref(&process.responsible),
                    emails: process
                        .emails
                        .value
                        .iter()
                        .map(|e| e.value.clone())
                        .collect(),
                })
                .collect(),
            other: contacts
                .other
                .iter()
                .map(|other| OtherContactView {
                    label: other.label.clone(),
                    description: other.description.clone(),
                    email: other.email.value.clone(),
                })
                .collect(),
            phones: contacts
                .phones
                .iter()
                .map(|phone| PhoneView::new(phone))
                .collect(),
            address: AddressView {
                street: contacts.address.street.clone(),
                postcode: contacts.address.postcode.clone(),
                city: contacts.address.city.clone(),
            },
        }
    }

    pub fn organigram(&self) -> BlockData {
        let organization = self.organization();
        BlockData::Organigram {
            direction: self.unit(&organization.direction),
            services: organization
                .services
                .iter()
                .map(|unit| self.unit(unit))
                .collect(),
        }
    }

    fn unit(&self, unit: &Unit) -> UnitView {
        let head = self
            .organization()
            .person(&unit.head)
            .map(PersonView::new)
            .unwrap_or_else(|| PersonView {
                id: unit.head.value.clone(),
                name: unit.head.value.clone(),
                honorific: None,
                phone: None,
                email: None,
            });
        UnitView {
            id: unit.id.value.clone(),
            anchor: unit.id.value.clone(),
            name: unit.name.clone(),
            role: unit.role.clone(),
            head,
            email: unit.email.as_ref().map(|email| email.value.clone()),
            phones: unit
                .phones
                .iter()
                .map(|phone| PhoneView::new(phone))
                .collect(),
            units: unit.units.iter().map(|child| self.unit(child)).collect(),
        }
    }

    pub fn stakeholders(&self) -> Option<BlockData> {
        let stakeholders = &self.project.stakeholders.as_ref()?.data;
        Some(BlockData::Stakeholders {
            intro: stakeholders.intro.clone(),
            groups: stakeholders
                .groups
                .iter()
                .map(|group| StakeholderGroupView {
                    name: group.name.clone(),
                    members: group.members.clone(),
                })
                .collect(),
        })
    }

    pub fn channels(&self) -> Option<BlockData> {
        let channels = &self.project.channels.as_ref()?.data;
        Some(BlockData::Channels {
            channels: channels
                .channels
                .iter()
                .map(|channel| ChannelView {
                    audience: channel.audience.clone(),
                    label: channel.label.clone(),
                    url: channel.url.value.clone(),
                })
                .collect(),
        })
    }
}
