//! What citizens said and did, as the office recorded it (`content/data/feedback.yaml`): the
//! customer-satisfaction surveys and the complaints of each period, and the class actions under
//! d.lgs. 198/2009. Only figures the office counted are written here; rates and whether a survey
//! reached the charter's own target are computed by [`crate::results::feedback`].

use serde::Deserialize;

use super::{Date, Located, Span};

/// Every period with its surveys and complaints, and the class actions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Feedback {
    pub(crate) periods: Vec<FeedbackPeriod>,
    /// `None` when the file does not say; an empty list when it says `class_actions: none`.
    pub(crate) class_actions: Option<Vec<Located<ClassAction>>>,
}

/// One period: the surveys given in it and the complaints received in it.
#[derive(Debug, Clone)]
pub(crate) struct FeedbackPeriod {
    pub(crate) span: Located<Span>,
    pub(crate) surveys: Vec<Located<Survey>>,
    pub(crate) complaints: Option<Located<Complaints>>,
}

/// A customer-satisfaction survey: questionnaires given and returned, and the score when the
/// survey has one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Survey {
    /// What the survey asked about, as the office names it.
    pub(crate) title: String,
    /// The standard whose result the survey's response rate is ("tasso di risposta superiore al
    /// 35%"), by commitment id and standard id: the survey then gives that standard's result for
    /// the period, and its target is the standard's.
    #[serde(default)]
    pub(crate) commitment: Option<Located<String>>,
    #[serde(default)]
    pub(crate) standard: Option<Located<String>>,
    /// Questionnaires given out (or invitations sent).
    pub(crate) given: Located<u64>,
    /// Questionnaires returned filled in.
    pub(crate) returned: Located<u64>,
    /// The overall score, on a scale from 0 or 1 to `out_of`.
    #[serde(default)]
    pub(crate) score: Option<Located<f64>>,
    /// The top of the score's scale ("su 5").
    #[serde(default)]
    pub(crate) out_of: Option<Located<f64>>,
    /// The charter's own target for the response rate, in percent ("almeno il 35%").
    #[serde(default)]
    pub(crate) target_response_rate: Option<Located<f64>>,
    /// The charter's own target for the score, on the same scale.
    #[serde(default)]
    pub(crate) target_score: Option<Located<f64>>,
    /// The full report, an address of the ente's site or of this one.
    #[serde(default)]
    pub(crate) report: Option<Located<String>>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(default)]
    pub(crate) source: Option<String>,
}

/// The complaints of one period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Complaints {
    pub(crate) received: Located<u64>,
    /// Found to be well grounded.
    #[serde(default)]
    pub(crate) founded: Option<Located<u64>>,
    /// Answered within the deadline the charter states.
    #[serde(default)]
    pub(crate) answered_in_time: Option<Located<u64>>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(default)]
    pub(crate) source: Option<String>,
}

/// A class action for the efficiency of the administration (d.lgs. 198/2009): the notice of
/// the action, and the judgment and the measures taken once there are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassAction {
    /// What the action is about, in words.
    pub(crate) subject: String,
    /// The day the action was brought (notified to the administration).
    pub(crate) filed: Located<Date>,
    /// The notice of the action the administration publishes (art. 1 c.2).
    #[serde(default)]
    pub(crate) notice: Option<Located<String>>,
    #[serde(default)]
    pub(crate) judgment: Option<Step>,
    /// What the administration did to comply (art. 4).
    #[serde(default)]
    pub(crate) measures: Option<Step>,
}

/// A dated step of a class action, with its text and its document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Step {
    pub(crate) date: Located<Date>,
    /// In words: the outcome of the judgment, the measures adopted.
    #[serde(default)]
    pub(crate) summary: Option<String>,
    #[serde(default)]
    pub(crate) url: Option<Located<String>>,
}

impl ClassAction {
    /// Every address the action links to, with where it is written.
    pub(crate) fn urls(&self) -> impl Iterator<Item = &Located<String>> {
        self.notice
            .iter()
            .chain(self.judgment.iter().filter_map(|step| step.url.as_ref()))
            .chain(self.measures.iter().filter_map(|step| step.url.as_ref()))
    }
}
