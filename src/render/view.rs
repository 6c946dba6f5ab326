//! View models: the model reshaped for templates (dates as text, phones with `tel:` numbers,
//! standards as sentences, references resolved to names and URLs).
//!
//! These are the exact structures documented in `themes/agid/README.md`; templates see nothing else.
//! Building them does no I/O and writes no HTML.

use serde::Serialize;

use crate::forms;
use crate::hours::HoursView;
use crate::model::{
    Address, Charter, Commitment, Date, Hours, Organization, Person, Project, Standard, Unit,
};
use crate::standards;
use crate::strings::Strings;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    pub(crate) iso: String,
    pub(crate) text: String,
}

impl DateView {
    pub(crate) fn new(date: Date, strings: &Strings) -> Self {
        Self {
            iso: date.iso(),
            text: strings.date(date),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub(crate) ente: EnteView,
    pub(crate) language: String,
    pub(crate) bootstrap: bool,
    /// The URL of Bootstrap Italia's stylesheet: the rules the pages use, or the whole of it
    /// (`--stylesheet bootstrap-full`); empty in fallback mode.
    pub(crate) bootstrap_css: String,
    pub(crate) footer: FooterView,
    /// Templates write root-relative URLs; the rewrite pass adds the deployment path.
    pub(crate) root: &'static str,
    /// Extra stylesheets of the project, under `/assets/` (`[site] stylesheets`).
    pub(crate) stylesheets: Vec<String>,
    /// The site's icon (`[site] favicon`, or the theme's).
    pub(crate) favicon: crate::branding::FaviconView,
    /// The Content-Security-Policy of the site's pages, for the `meta` element that opens `head`.
    pub(crate) csp: String,
    /// The Content-Security-Policy of the print edition.
    pub(crate) csp_print: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnteView {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) city: String,
    /// None when the charter gives no website: the ente is named without a link.
    pub(crate) url: Option<String>,
    pub(crate) colour: String,
    pub(crate) parent: ParentView,
    /// The ente's logo (`[ente] logo`, `logo_alt`), when it has one.
    pub(crate) logo: Option<crate::branding::LogoView>,
}

/// The body the ente belongs to; without a known site (`url` absent) it is shown as text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ParentView {
    pub(crate) name: String,
    pub(crate) url: Option<String>,
}

/// The footer's links; a link the ente does not have is `None`, and the footer leaves it out.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FooterView {
    pub(crate) accessibility: Option<String>,
    /// The accessibility link leads to form.agid.gov.it but not to a published statement
    /// (`W194`, accepted or not): the footer must not call it the statement.
    pub(crate) accessibility_pending: bool,
    pub(crate) privacy: Option<String>,
    pub(crate) legal_notes: Option<String>,
    pub(crate) faq: Option<String>,
    pub(crate) report_inefficiency: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CharterView {
    pub(crate) title: String,
    pub(crate) office: String,
    pub(crate) office_short: Option<String>,
    pub(crate) edition: String,
    /// True for a draft, not approved yet: every page says so.
    pub(crate) draft: bool,
    /// None for a draft.
    pub(crate) approval: Option<ApprovalView>,
    /// None for a draft.
    pub(crate) published: Option<DateView>,
    pub(crate) last_updated: DateView,
    pub(crate) next_review: Option<DateView>,
    pub(crate) summary_html: String,
    pub(crate) credits: Vec<CreditView>,
    /// What a citizen can do when a standard is not met, when the charter says.
    pub(crate) remedies: Option<RemediesView>,
}

/// The charter's remedies: how to complain (and where), and the compensation; `compensation` is
/// `None` when the charter says there is none, which the theme says in its words.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RemediesView {
    pub(crate) complaint: String,
    pub(crate) complaint_url: Option<String>,
    pub(crate) compensation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApprovalView {
    pub(crate) act: String,
    pub(crate) date: DateView,
}

impl ApprovalView {
    /// The approval of a charter; none for a draft.
    pub(crate) fn of(charter: &Charter, strings: &Strings) -> Option<ApprovalView> {
        charter.approval.as_ref().map(|approval| ApprovalView {
            act: approval.act.value.clone(),
            date: DateView::new(approval.date.value, strings),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CreditView {
    pub(crate) role: String,
    pub(crate) name: String,
}

/// A titled link: menu entries, breadcrumbs, previous/next.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChapterSummary {
    pub(crate) number: Option<String>,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GeneratedSummary {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: String,
}

/// A page as templates see it, as `page`. The body is borrowed: a long charter's chapters are
/// megabytes, and the print edition takes them once the pages are rendered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) number: Option<String>,
    pub(crate) url: String,
    pub(crate) description: Option<String>,
    /// The lead paragraph under a chapter's title: its `description`, never its first paragraph,
    /// which the body shows already (the meta description may take it).
    pub(crate) lead: Option<String>,
    pub(crate) last_updated: DateView,
    pub(crate) content_html: &'a str,
    pub(crate) breadcrumb: Vec<NavItem>,
    pub(crate) toc: Vec<TocView>,
    pub(crate) prev: Option<NavItem>,
    pub(crate) next: Option<NavItem>,
    /// schema.org JSON-LD for the page's `<head>`, already safe inside a script element.
    pub(crate) jsonld: Option<String>,
    /// The one schema.org node AGID's validator reads (`data-element="metatag"`), as `jsonld`.
    pub(crate) metatag: Option<String>,
    /// The last period's results in one sentence (the home page of a charter with results).
    pub(crate) results_summary: Option<super::results::SummaryView>,
}

impl PageView<'_> {
    /// A page with no body, breadcrumb or neighbours yet.
    pub(crate) fn new(
        kind: &'static str,
        title: String,
        url: String,
        last_updated: DateView,
    ) -> Self {
        Self {
            kind,
            title,
            number: None,
            url,
            description: None,
            lead: None,
            last_updated,
            content_html: "",
            breadcrumb: Vec::new(),
            toc: Vec::new(),
            prev: None,
            next: None,
            jsonld: None,
            metatag: None,
            results_summary: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocView {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
}

// ---- Block data -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CommitmentView {
    pub(crate) id: String,
    pub(crate) number: usize,
    pub(crate) service: String,
    pub(crate) users: Vec<String>,
    pub(crate) standards: Vec<StandardView>,
    pub(crate) responsible: Vec<RefView>,
    pub(crate) note: Option<String>,
    /// The service's own page, when the site has one (not in earlier editions).
    pub(crate) url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StandardView {
    /// Stable id within the commitment.
    pub(crate) id: String,
    /// The short form's key (`take_charge`…), or `full`.
    pub(crate) kind: &'static str,
    /// False for a standard not defined yet.
    pub(crate) defined: bool,
    pub(crate) sentence: String,
    /// The dimension of quality in the theme's words ("Tempestività"), when the standard has one.
    pub(crate) dimension: Option<String>,
    /// Its code in open data (`tempestivita`), for the list's classes.
    pub(crate) dimension_code: Option<&'static str>,
    /// The sub-dimension as the charter writes it ("accessibilità multicanale").
    pub(crate) sub_dimension: Option<String>,
    pub(crate) formula: Option<String>,
    pub(crate) legal_basis: Option<String>,
    pub(crate) note: Option<String>,
    /// The latest measured result, when the charter publishes results.
    pub(crate) latest: Option<super::results::LatestView>,
}

impl StandardView {
    pub(crate) fn new(standard: &Standard, words: &crate::strings::StandardWords) -> Self {
        Self {
            id: standard.id.value.clone(),
            kind: standard.preset.map(|preset| preset.key()).unwrap_or("full"),
            defined: standard.is_defined(),
            sentence: standards::sentence(standard, words),
            dimension: standard
                .dimension
                .map(|dimension| words.dimensions.name(dimension).to_string()),
            dimension_code: standard.dimension.map(|dimension| dimension.code()),
            sub_dimension: standard.sub_dimension.clone(),
            formula: standard.formula.clone(),
            legal_basis: standard.legal_basis.clone(),
            note: standard.note.clone(),
            latest: None,
        }
    }
}

/// A reference resolved to a name and the place in the organigram that describes it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RefView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhoneView {
    pub(crate) display: String,
    pub(crate) tel: String,
}

impl PhoneView {
    pub(crate) fn new(number: &str) -> Self {
        Self {
            display: number.to_string(),
            tel: forms::tel_uri_number(number),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) honorific: Option<String>,
    pub(crate) phone: Option<PhoneView>,
    pub(crate) email: Option<String>,
}

impl PersonView {
    pub(crate) fn new(person: &Person) -> Self {
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
pub(crate) struct UnitView {
    pub(crate) id: String,
    pub(crate) anchor: String,
    pub(crate) name: String,
    /// The head's role; none with no head.
    pub(crate) role: Option<String>,
    /// None for a unit the charter gives only referents for (in `staff`).
    pub(crate) head: Option<PersonView>,
    pub(crate) email: Option<String>,
    pub(crate) phones: Vec<PhoneView>,
    /// No direct phone: reached through the ente's switchboard.
    pub(crate) switchboard: bool,
    /// The unit's staff referents, in the charter's order.
    pub(crate) staff: Vec<StaffView>,
    pub(crate) units: Vec<UnitView>,
}

/// A staff member of a unit: the person and, when the charter says it, their role.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StaffView {
    pub(crate) person: PersonView,
    pub(crate) role: Option<String>,
    /// The id of the member's entry: the person id, the first time the person is listed, unless
    /// a unit or a head already has it (see [`BlockBuilder::organigram`]).
    pub(crate) anchor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProcessView {
    pub(crate) process: String,
    pub(crate) competences: String,
    pub(crate) responsible: RefView,
    pub(crate) emails: Vec<String>,
}

/// Another contact: whichever of email, PEC, phones and address the charter gives.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OtherContactView {
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) pec: Option<String>,
    pub(crate) phones: Vec<PhoneView>,
    pub(crate) address: Option<AddressView>,
    pub(crate) hours: Option<HoursView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AddressView {
    pub(crate) street: String,
    pub(crate) postcode: String,
    pub(crate) city: String,
}

impl AddressView {
    pub(crate) fn new(address: &Address) -> Self {
        Self {
            street: address.street.value.clone(),
            postcode: address.postcode.value.clone(),
            city: address.city.value.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StakeholderGroupView {
    pub(crate) name: String,
    pub(crate) members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChannelView {
    pub(crate) audience: String,
    pub(crate) label: String,
    pub(crate) url: String,
}

/// The data of one generated block, as `block` in `blocks/<name>.html`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum BlockData {
    Commitments {
        commitments: Vec<CommitmentView>,
    },
    Contacts {
        processes: Vec<ProcessView>,
        other: Vec<OtherContactView>,
        phones: Vec<PhoneView>,
        address: Option<AddressView>,
        hours: Option<HoursView>,
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
    Results(super::results::ResultsView),
}

/// Gives each staff member of `unit` and of its units the person id as anchor, unless `taken`.
fn anchor_staff(unit: &mut UnitView, taken: &mut std::collections::BTreeSet<String>) {
    for member in &mut unit.staff {
        if taken.insert(member.person.id.clone()) {
            member.anchor = Some(member.person.id.clone());
        }
    }
    for child in &mut unit.units {
        anchor_staff(child, taken);
    }
}

/// The page of the commitment `id`: `/impegni/<id>/`.
pub(crate) fn service_url(strings: &Strings, id: &str) -> String {
    format!("/{}/{id}/", strings.pages.commitments_slug)
}

/// Builds block data; `organization_url` is the page the organigram anchors live on.
pub(crate) struct BlockBuilder<'a> {
    pub(crate) project: &'a Project,
    pub(crate) strings: &'a Strings,
    pub(crate) organization_url: &'a str,
    /// Every standard's row for each period of the results (empty without results).
    pub(crate) results: &'a [Vec<crate::results::Row<'a>>],
    /// Each standard's latest result, by commitment and standard id (empty without results).
    pub(crate) latest: &'a std::collections::HashMap<(String, String), super::results::LatestView>,
}

impl BlockBuilder<'_> {
    /// The data of a block of kind `kind`; none for an optional block without its data file.
    pub(crate) fn data(&self, kind: crate::blocks::Kind) -> Option<BlockData> {
        use crate::blocks::Kind;
        match kind {
            Kind::Commitments => Some(self.commitments()),
            Kind::Contacts => Some(self.contacts()),
            Kind::Organigram => Some(self.organigram()),
            Kind::Stakeholders => self.stakeholders(),
            Kind::Channels => self.channels(),
            Kind::Results => super::results::view(self.project, self.results, self.strings)
                .map(BlockData::Results),
        }
    }

    fn organization(&self) -> &Organization {
        &self.project.organization.data
    }

    pub(crate) fn unit_ref(&self, id: &str) -> RefView {
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

    /// A person links to the first unit they head (or else are staff of), where their contacts
    /// are.
    fn person_ref(&self, id: &str) -> RefView {
        let organization = self.organization();
        let name = organization
            .person(id)
            .map(|person| person.name.clone())
            .unwrap_or_else(|| id.to_string());
        let anchor = organization
            .unit_of_person(id)
            .map(|unit| format!("#{}", unit.id.value))
            .unwrap_or_default();
        RefView {
            id: id.to_string(),
            name,
            url: format!("{}{}", self.organization_url, anchor),
        }
    }

    /// Commitment number `index + 1`, with the address of its page.
    pub(crate) fn commitment(&self, index: usize, commitment: &Commitment) -> CommitmentView {
        CommitmentView {
            id: commitment.id.value.clone(),
            number: index + 1,
            service: commitment.service.clone(),
            users: commitment.users().to_vec(),
            standards: commitment
                .standards
                .iter()
                .map(|standard| {
                    let mut view = StandardView::new(standard, &self.strings.standards);
                    view.latest = self
                        .latest
                        .get(&(commitment.id.value.clone(), standard.id.value.clone()))
                        .cloned();
                    view
                })
                .collect(),
            responsible: commitment
                .responsible
                .iter()
                .map(|id| self.unit_ref(id))
                .collect(),
            note: commitment.note.clone(),
            url: Some(service_url(self.strings, &commitment.id.value)),
        }
    }

    pub(crate) fn commitments(&self) -> BlockData {
        let commitments = self
            .project
            .commitments
            .data
            .commitments
            .iter()
            .enumerate()
            .map(|(index, commitment)| self.commitment(index, commitment))
            .collect();
        BlockData::Commitments { commitments }
    }

    pub(crate) fn contacts(&self) -> BlockData {
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
                    email: other.email.as_ref().map(|email| email.value.clone()),
                    pec: other.pec.as_ref().map(|pec| pec.value.clone()),
                    phones: other
                        .phones
                        .iter()
                        .map(|phone| PhoneView::new(phone))
                        .collect(),
                    address: other.address.as_ref().map(AddressView::new),
                    hours: self.hours(other.hours.as_ref()),
                })
                .collect(),
            phones: contacts
                .phones
                .iter()
                .map(|phone| PhoneView::new(phone))
                .collect(),
            address: contacts.address.as_ref().map(AddressView::new),
            hours: self.hours(contacts.hours.as_ref()),
        }
    }

    /// Opening hours in readers' words; none when there is nothing to show.
    fn hours(&self, hours: Option<&Hours>) -> Option<HoursView> {
        hours
            .filter(|hours| !hours.is_empty())
            .map(|hours| crate::hours::describe(hours, self.strings))
    }

    pub(crate) fn organigram(&self) -> BlockData {
        let organization = self.organization();
        let mut direction = self.unit(&organization.direction);
        let mut services: Vec<UnitView> = organization
            .services
            .iter()
            .map(|unit| self.unit(unit))
            .collect();
        // Ids a staff member's entry cannot take: the units' anchors and their heads' ids (the
        // template gives a head's line its id). Then each person's first entry, in document
        // order, gets theirs.
        let mut taken: std::collections::BTreeSet<String> = organization
            .units()
            .into_iter()
            .flat_map(|unit| {
                std::iter::once(unit.id.value.clone())
                    .chain(unit.head.as_ref().map(|head| head.value.clone()))
            })
            .collect();
        anchor_staff(&mut direction, &mut taken);
        for service in &mut services {
            anchor_staff(service, &mut taken);
        }
        BlockData::Organigram {
            direction,
            services,
        }
    }

    /// A person by id; an unknown id (already an error of validation) shows as itself.
    fn person(&self, id: &str) -> PersonView {
        self.organization()
            .person(id)
            .map(PersonView::new)
            .unwrap_or_else(|| PersonView {
                id: id.to_string(),
                name: id.to_string(),
                honorific: None,
                phone: None,
                email: None,
            })
    }

    fn unit(&self, unit: &Unit) -> UnitView {
        UnitView {
            id: unit.id.value.clone(),
            anchor: unit.id.value.clone(),
            name: unit.name.clone(),
            role: unit.role.as_ref().map(|role| role.value.clone()),
            head: unit.head.as_ref().map(|head| self.person(head)),
            switchboard: unit.switchboard,
            email: unit.email.as_ref().map(|email| email.value.clone()),
            phones: unit
                .phones
                .iter()
                .map(|phone| PhoneView::new(phone))
                .collect(),
            staff: unit
                .staff
                .iter()
                .map(|member| StaffView {
                    person: self.person(&member.person),
                    role: member.role.clone(),
                    anchor: None,
                })
                .collect(),
            units: unit.units.iter().map(|child| self.unit(child)).collect(),
        }
    }

    pub(crate) fn stakeholders(&self) -> Option<BlockData> {
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

    pub(crate) fn channels(&self) -> Option<BlockData> {
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
