//! Check: everything `build` validates, without writing anything, plus the checks a charter needs
//! before it is published.
//!
//! It runs the same pipeline as [`crate::build`] (load → validate → lint → render → rewrite, in
//! memory, links and anchors between pages included: [`crate::build::links`]) and adds: a way to contact every unit, the
//! leftovers of the ente a charter was copied from ([`crate::fork`]) and, on request, external
//! links ([`external`]). It reports; printing is left to the command layer.

#[cfg(feature = "external-links")]
mod address;
pub(crate) mod external;

use std::path::PathBuf;
use std::time::Duration;

use crate::build::{self, BuildOptions, Rendered};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fork;
use crate::model::{Organization, Project, Unit};
use crate::source::SourceMap;
use crate::theme::StylesheetMode;

#[derive(Debug, Clone)]
pub(crate) struct CheckOptions {
    /// Folder with `site.toml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Warnings count as errors.
    pub strict: bool,
    /// A draft charter is accepted on purpose (`--allow-draft`).
    pub allow_draft: bool,
    /// Also fetch every external link (`--external`).
    pub external: Option<external::Settings>,
}

/// The problems of a check and the files they quote.
pub(crate) struct CheckReport {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

impl CheckReport {
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

pub(crate) fn check(options: &CheckOptions) -> CheckReport {
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        stylesheet: StylesheetMode::Auto,
        strict: options.strict,
        base_url: None,
        allow_draft: options.allow_draft,
        pdf: None,
        force: false,
    };
    let extra = |project: &Project| {
        let mut found = project_checks(project);
        if let Some(settings) = &options.external {
            found.extend(external::check(project, settings));
        }
        found
    };
    match build::render_site(&build_options, &extra) {
        Err(report) => CheckReport {
            diagnostics: report.diagnostics,
            sources: report.sources,
        },
        Ok(Rendered {
            project,
            mut diagnostics,
            ..
        }) => {
            if options.strict {
                diagnostics.promote_warnings();
            }
            diagnostics.sort(&project.sources);
            CheckReport {
                diagnostics,
                sources: project.sources,
            }
        }
    }
}

/// The checks that need only the loaded project.
pub(crate) fn project_checks(project: &Project) -> Vec<Diagnostic> {
    let mut found = contactable(project);
    found.extend(fork::leftovers(project));
    found
}

/// `W143`: a unit with no email and no phone, whose head and staff have neither, cannot be
/// contacted.
fn contactable(project: &Project) -> Vec<Diagnostic> {
    let organization: &Organization = &project.organization.data;
    let file = project.organization.file;
    organization
        .units()
        .into_iter()
        .filter(|unit| !has_contact(organization, unit))
        .map(|unit| {
            Diagnostic::warning(
                "W143",
                format!(
                    "la struttura «{}» non ha un recapito: né email né telefono, né suoi né del responsabile",
                    unit.name
                ),
            )
            .at(file, unit.id.line, unit.id.col, unit.id.len)
            .with_hint(match &unit.head {
                Some(head) => format!(
                    "aggiungi `email:` o `phones:` alla struttura, oppure `phone:` o `email:` alla persona `{}` in people; se la struttura si raggiunge solo dal centralino scrivi `switchboard: true`",
                    head.value
                ),
                None => "aggiungi `email:` o `phones:` alla struttura, oppure `phone:` o `email:` a un suo referente in people; se la struttura si raggiunge solo dal centralino scrivi `switchboard: true`".to_string(),
            })
        })
        .collect()
}

/// The unit's own email or phones, or those of its head or of one of its staff.
fn has_contact(organization: &Organization, unit: &Unit) -> bool {
    let reachable = |id: &str| {
        organization
            .person(id)
            .is_some_and(|person| person.email.is_some() || person.phone.is_some())
    };
    unit.email.is_some()
        || !unit.phones.is_empty()
        || unit.switchboard
        || unit
            .head
            .as_ref()
            .is_some_and(|head| reachable(&head.value))
        || unit
            .staff
            .iter()
            .any(|member| reachable(&member.person.value))
}

/// Default per-request time limit of `--external`.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
