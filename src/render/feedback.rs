//! Surveys, complaints and class actions as views for the results page: the counts as the office
//! wrote them, the rates and the targets' statuses computed by [`crate::results::feedback`],
//! numbers formatted here; words and layout are the theme's.

use serde::Serialize;

use super::results::span_label;
use super::view::DateView;
use crate::model::{ClassAction, Complaints, FeedbackPeriod, MeasureUnit, Project, Step, Survey};
use crate::results::{self, feedback};
use crate::standards::{self, amount, format_number};
use crate::strings::Strings;

/// `block.feedback` in `blocks/risultati.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedbackView {
    /// Every survey, oldest period first.
    pub(crate) surveys: Vec<SurveyView>,
    /// Each period's complaints, oldest first.
    pub(crate) complaints: Vec<ComplaintsView>,
    /// `None` when the charter does not say; empty when it says there were none.
    pub(crate) class_actions: Option<Vec<ClassActionView>>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SurveyView {
    pub(crate) period: String,
    pub(crate) period_key: String,
    pub(crate) title: String,
    pub(crate) given: u64,
    pub(crate) returned: u64,
    /// "37,5%".
    pub(crate) response_rate: Option<String>,
    pub(crate) rate_target: Option<String>,
    /// `met` or `missed` against `rate_target`.
    pub(crate) rate_status: Option<&'static str>,
    /// True when the survey measures a standard: `rate_target` is that standard's target in
    /// words ("superiore al 35%"), and the rate is its result.
    pub(crate) rate_of_standard: bool,
    /// "4,1"; the scale is `out_of` ("5").
    pub(crate) score: Option<String>,
    pub(crate) out_of: Option<String>,
    pub(crate) score_target: Option<String>,
    pub(crate) score_status: Option<&'static str>,
    pub(crate) report: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComplaintsView {
    pub(crate) period: String,
    pub(crate) period_key: String,
    pub(crate) received: u64,
    pub(crate) founded: Option<u64>,
    pub(crate) answered_in_time: Option<u64>,
    /// The share answered in time, "95%"; none when nothing was received or it is not said.
    pub(crate) answered_share: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClassActionView {
    pub(crate) subject: String,
    pub(crate) filed: DateView,
    pub(crate) notice: Option<String>,
    pub(crate) judgment: Option<StepView>,
    pub(crate) measures: Option<StepView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepView {
    pub(crate) date: DateView,
    pub(crate) summary: Option<String>,
    pub(crate) url: Option<String>,
}

/// The surveys, complaints and class actions; `None` when the charter has no `feedback.yaml`.
pub(crate) fn view(
    project: &Project,
    rows: &[Vec<results::Row<'_>>],
    strings: &Strings,
) -> Option<FeedbackView> {
    let data = &project.feedback.as_ref()?.data;
    let periods = feedback::periods(project);
    // A survey that measures a standard is read against that standard, as its result is.
    let by_standard = feedback::by_standard(rows);
    Some(FeedbackView {
        surveys: periods
            .iter()
            .flat_map(|period| {
                period.surveys.iter().map(|survey| {
                    let mut view = survey_view(period, survey, strings);
                    if let Some((standard, status)) =
                        feedback::measured(&by_standard, period, survey)
                    {
                        view.rate_target =
                            Some(standards::target_text(standard, &strings.standards));
                        view.rate_status = Some(status.key());
                        view.rate_of_standard = true;
                    }
                    view
                })
            })
            .collect(),
        complaints: periods
            .iter()
            .filter_map(|period| {
                let complaints = period.complaints.as_ref()?;
                Some(complaints_view(period, complaints, strings))
            })
            .collect(),
        class_actions: data.class_actions.as_ref().map(|actions| {
            actions
                .iter()
                .map(|action| class_action_view(action, strings))
                .collect()
        }),
    })
}

fn survey_view(period: &FeedbackPeriod, survey: &Survey, strings: &Strings) -> SurveyView {
    let words = &strings.standards;
    let percent = |value: f64| amount(value, MeasureUnit::Percent, words);
    let number = |value: f64| format_number(value, &words.decimal_separator);
    SurveyView {
        period: span_label(&period.span, strings),
        period_key: period.span.key(),
        title: survey.title.clone(),
        given: survey.given.value,
        returned: survey.returned.value,
        response_rate: feedback::response_rate(survey).map(percent),
        rate_target: survey
            .target_response_rate
            .as_ref()
            .map(|t| percent(t.value)),
        rate_status: feedback::rate_status(survey).map(|status| status.key()),
        rate_of_standard: false,
        score: survey.score.as_ref().map(|score| number(score.value)),
        out_of: survey.out_of.as_ref().map(|out_of| number(out_of.value)),
        score_target: survey.target_score.as_ref().map(|t| number(t.value)),
        score_status: feedback::score_status(survey).map(|status| status.key()),
        report: survey.report.as_ref().map(|url| url.value.clone()),
        note: survey.note.clone().filter(|note| !note.trim().is_empty()),
        source: survey
            .source
            .clone()
            .filter(|source| !source.trim().is_empty()),
    }
}

fn complaints_view(
    period: &FeedbackPeriod,
    complaints: &Complaints,
    strings: &Strings,
) -> ComplaintsView {
    let received = complaints.received.value;
    let answered = complaints.answered_in_time.as_ref().map(|n| n.value);
    ComplaintsView {
        period: span_label(&period.span, strings),
        period_key: period.span.key(),
        received,
        founded: complaints.founded.as_ref().map(|n| n.value),
        answered_in_time: answered,
        answered_share: answered
            .and_then(|answered| crate::results::status::share_of(answered, received))
            .map(|share| {
                amount(
                    (share * 10.0).round() / 10.0,
                    MeasureUnit::Percent,
                    &strings.standards,
                )
            }),
        note: complaints
            .note
            .clone()
            .filter(|note| !note.trim().is_empty()),
        source: complaints
            .source
            .clone()
            .filter(|source| !source.trim().is_empty()),
    }
}

fn class_action_view(action: &ClassAction, strings: &Strings) -> ClassActionView {
    let step = |step: &Step| StepView {
        date: DateView::new(step.date.value, strings),
        summary: step.summary.clone().filter(|text| !text.trim().is_empty()),
        url: step.url.as_ref().map(|url| url.value.clone()),
    };
    ClassActionView {
        subject: action.subject.clone(),
        filed: DateView::new(action.filed.value, strings),
        notice: action.notice.as_ref().map(|url| url.value.clone()),
        judgment: action.judgment.as_ref().map(step),
        measures: action.measures.as_ref().map(step),
    }
}
