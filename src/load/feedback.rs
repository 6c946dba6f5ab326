//! Reads `content/data/feedback.yaml`: the surveys and complaints of each period and the class
//! actions. Periods are written as in the results (`2025`, `2025-S1`, …) and read by the same rule.

use serde::Deserialize;

use super::results::PeriodText;
use super::{DATA_DIR, Loader};
use crate::diagnostics::Diagnostic;
use crate::model::{
    ClassAction, Complaints, DataFile, Feedback, FeedbackPeriod, FromSurvey, Located, Measured,
    Measurement, ResultPeriod, Results, Span, Survey,
};

/// The file, under `content/data/`.
pub(crate) const FILE: &str = "feedback.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    periods: Vec<RawPeriod>,
    #[serde(default)]
    class_actions: Option<ClassActions>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    period: Located<PeriodText>,
    #[serde(default)]
    surveys: Vec<Located<Survey>>,
    #[serde(default)]
    complaints: Option<Located<Complaints>>,
}

/// `class_actions: none`, or the list of actions.
struct ClassActions(Vec<Located<ClassAction>>);

impl<'de> Deserialize<'de> for ClassActions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ClassActions;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("`none` oppure un elenco di ricorsi")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ClassActions, E> {
                if text.trim() == "none" {
                    Ok(ClassActions(Vec::new()))
                } else {
                    Err(E::custom(format!(
                        "`class_actions: {text}`: scrivi `none` se non ci sono ricorsi, altrimenti l'elenco dei ricorsi"
                    )))
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ClassActions, A::Error> {
                let mut actions = Vec::new();
                while let Some(action) = seq.next_element::<Located<ClassAction>>()? {
                    actions.push(action);
                }
                Ok(ClassActions(actions))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Loader {
    /// Surveys, complaints and class actions; `None` without the file, or when it cannot be read.
    pub(super) fn feedback(&mut self) -> Option<DataFile<Feedback>> {
        let path = format!("content/{DATA_DIR}/{FILE}");
        let file = self.read(&path, false)?;
        let raw = self.data_in::<RawFile>(file)?;
        let mut periods = Vec::with_capacity(raw.periods.len());
        let mut sound = true;
        for period in raw.periods {
            let text = period.period;
            let Some(span) = Span::parse(&text.value.0) else {
                sound = false;
                self.diagnostics.push(
                    Diagnostic::error("E281", format!("periodo non valido `{}`", text.value.0))
                        .at(file, text.line, text.col, text.len)
                        .with_hint(super::results::PERIOD_HINT),
                );
                continue;
            };
            periods.push(FeedbackPeriod {
                span: Located::new(span, text.line, text.col, text.len),
                surveys: period.surveys,
                complaints: period.complaints,
            });
        }
        sound.then_some(DataFile {
            file,
            data: Feedback {
                periods,
                class_actions: raw.class_actions.map(|actions| actions.0),
            },
        })
    }
}

impl Loader {
    /// A survey that names the standard it measures gives that standard's result for its period
    /// (questionnaires returned out of those given, as cases within out of all cases), so the
    /// response rate is written once. The result joins the results' period of the same span, or a
    /// period of its own that overlaps none of theirs; without a results file, the results are
    /// made from the surveys alone.
    pub(super) fn survey_results(
        &mut self,
        results: &mut Option<DataFile<Results>>,
        feedback: Option<&DataFile<Feedback>>,
    ) {
        let Some(feedback) = feedback else {
            return;
        };
        let file = feedback.file;
        for period in &feedback.data.periods {
            for survey in &period.surveys {
                let Some(measurement) = self.survey_measurement(file, survey) else {
                    continue;
                };
                let results = results.get_or_insert_with(|| DataFile {
                    file,
                    data: Results::default(),
                });
                let periods = &mut results.data.periods;
                if let Some(same) = periods
                    .iter_mut()
                    .find(|written| written.span.value == period.span.value)
                {
                    same.results.push(measurement);
                } else if let Some(other) = periods
                    .iter()
                    .find(|written| written.span.overlaps(&period.span))
                {
                    let diagnostic = Diagnostic::error(
                        "E297",
                        format!(
                            "l'indagine «{}» misura uno standard nel periodo {}, che si sovrappone al periodo {} dei risultati",
                            survey.value.title,
                            period.span.key(),
                            other.span.key()
                        ),
                    )
                    .at(file, period.span.line, period.span.col, period.span.len)
                    .with_hint("scrivi l'indagine nello stesso periodo dei risultati (un anno con un anno, un semestre con un semestre)");
                    self.diagnostics.push(diagnostic);
                } else {
                    periods.push(ResultPeriod {
                        span: period.span.clone(),
                        from_feedback: true,
                        source: None,
                        results: vec![measurement],
                    });
                }
            }
        }
    }

    /// The result a survey gives, when it names a standard; `E297` when it names half of one or
    /// also sets its own target for the response rate.
    fn survey_measurement(
        &mut self,
        file: crate::source::FileId,
        survey: &Located<Survey>,
    ) -> Option<Measurement> {
        let value = &survey.value;
        let (commitment, standard) = match (&value.commitment, &value.standard) {
            (None, None) => return None,
            (Some(commitment), Some(standard)) => (commitment, standard),
            (Some(one), None) | (None, Some(one)) => {
                let diagnostic = Diagnostic::error(
                    "E297",
                    format!(
                        "l'indagine «{}» nomina lo standard che misura solo a metà",
                        value.title
                    ),
                )
                .at(file, one.line, one.col, one.len)
                .with_hint("scrivi sia `commitment` (l'id dell'impegno) sia `standard` (l'id dello standard), come nei risultati");
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        if let Some(target) = &value.target_response_rate {
            let diagnostic = Diagnostic::error(
                "E297",
                format!(
                    "l'indagine «{}» misura lo standard {} / {}: il tasso di risposta atteso è il suo obiettivo",
                    value.title, commitment.value, standard.value
                ),
            )
            .at(file, target.line, target.col, target.len)
            .with_hint("togli `target_response_rate`: l'obiettivo si scrive una volta sola, nello standard");
            self.diagnostics.push(diagnostic);
        }
        Some(Measurement {
            commitment: commitment.clone(),
            standard: standard.clone(),
            measured: Measured::Cases {
                within: value.returned.clone(),
                total: value.given.clone(),
            },
            unit: None,
            note: None,
            source: value
                .source
                .clone()
                .filter(|source| !source.trim().is_empty()),
            survey: Some(FromSurvey {
                file,
                title: value.title.clone(),
            }),
        })
    }
}
