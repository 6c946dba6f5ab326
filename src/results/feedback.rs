//! Surveys and complaints read against the charter's own targets: the response rate and whether a
//! survey reached the targets the office wrote, computed, never typed. Nothing here renders.

use std::collections::HashMap;

use super::status::share_of;
use super::{Row, Status};
use crate::model::{FeedbackPeriod, Project, Standard, Survey};

/// A standard's row by commitment id, standard id and period key.
pub(crate) type ByStandard<'a> = HashMap<(&'a str, &'a str, String), (&'a Standard, Status)>;

/// Every row of the results by commitment, standard and period, with the standard it was read
/// against and its status: a survey that measures a standard is read as its result is.
pub(crate) fn by_standard<'a>(rows: &[Vec<Row<'a>>]) -> ByStandard<'a> {
    rows.iter()
        .flatten()
        .map(|row| {
            (
                (
                    row.commitment.id.value.as_str(),
                    row.standard.id.value.as_str(),
                    row.period.span.key(),
                ),
                (row.applied.standard, row.status),
            )
        })
        .collect()
}

/// The standard a survey measures and the status of its response rate against it, when the
/// survey names one.
pub(crate) fn measured<'a>(
    by_standard: &ByStandard<'a>,
    period: &FeedbackPeriod,
    survey: &Survey,
) -> Option<(&'a Standard, Status)> {
    let (commitment, standard) = (survey.commitment.as_ref()?, survey.standard.as_ref()?);
    by_standard
        .get(&(
            commitment.value.as_str(),
            standard.value.as_str(),
            period.span.key(),
        ))
        .copied()
}

/// The periods of the surveys and complaints, oldest first.
pub(crate) fn periods(project: &Project) -> Vec<&FeedbackPeriod> {
    let mut periods: Vec<&FeedbackPeriod> = project
        .feedback
        .iter()
        .flat_map(|feedback| &feedback.data.periods)
        .collect();
    periods.sort_by_key(|period| (period.span.from, period.span.to));
    periods
}

/// Questionnaires returned out of those given, in percent; none when none were given.
pub(crate) fn response_rate(survey: &Survey) -> Option<f64> {
    share_of(survey.returned.value, survey.given.value)
}

/// Whether the response rate reached the charter's target ("almeno il 35%"): reaching it exactly
/// counts; none without a target.
pub(crate) fn rate_status(survey: &Survey) -> Option<Status> {
    let target = survey.target_response_rate.as_ref()?.value;
    let rate = response_rate(survey)?;
    Some(reached(rate, target))
}

/// Whether the score reached the charter's target on the same scale; none without a target or
/// a score.
pub(crate) fn score_status(survey: &Survey) -> Option<Status> {
    let target = survey.target_score.as_ref()?.value;
    let score = survey.score.as_ref()?.value;
    Some(reached(score, target))
}

fn reached(measured: f64, target: f64) -> Status {
    if measured >= target {
        Status::Met
    } else {
        Status::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Located;

    fn survey(given: u64, returned: u64, target: Option<f64>) -> Survey {
        let at = |value| Located::new(value, 1, 1, 1);
        Survey {
            title: "Questionario".into(),
            commitment: None,
            standard: None,
            given: at(given),
            returned: at(returned),
            score: Some(Located::new(4.0, 1, 1, 1)),
            out_of: Some(Located::new(5.0, 1, 1, 1)),
            target_response_rate: target.map(|t| Located::new(t, 1, 1, 1)),
            target_score: Some(Located::new(4.0, 1, 1, 1)),
            report: None,
            note: None,
            source: None,
        }
    }

    #[test]
    fn the_response_rate_on_the_target_reaches_it() {
        // 35 of 100 is exactly the target: reached; 34 is one under; 36 one over.
        assert_eq!(rate_status(&survey(100, 35, Some(35.0))), Some(Status::Met));
        assert_eq!(
            rate_status(&survey(100, 34, Some(35.0))),
            Some(Status::Missed)
        );
        assert_eq!(rate_status(&survey(100, 36, Some(35.0))), Some(Status::Met));
        assert_eq!(rate_status(&survey(100, 36, None)), None);
        assert_eq!(response_rate(&survey(0, 0, None)), None);
        assert_eq!(response_rate(&survey(400, 150, None)), Some(37.5));
    }

    #[test]
    fn the_score_on_the_target_reaches_it() {
        let mut on = survey(10, 5, None);
        assert_eq!(score_status(&on), Some(Status::Met));
        on.score = Some(Located::new(3.9, 1, 1, 1));
        assert_eq!(score_status(&on), Some(Status::Missed));
        on.score = None;
        assert_eq!(score_status(&on), None);
    }
}
