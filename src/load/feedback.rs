//! Reads `content/data/feedback.yaml`: the surveys and complaints of each period and the class
//! actions. Periods are written as in the results (`2025`, `2025-S1`, …) and read by the same rule.

use serde::Deserialize;

use super::results::PeriodText;
use super::{DATA_DIR, Loader};
use crate::diagnostics::Diagnostic;
use crate::model::{
    ClassAction, Complaints, DataFile, Feedback, FeedbackPeriod, Located, Span, Survey,
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
