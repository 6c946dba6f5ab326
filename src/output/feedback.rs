//! Surveys and complaints as open data: `indagini.csv`/`.json` (one row per survey) and
//! `reclami.csv`/`.json` (one row per period) in the pack's folder, for a charter whose
//! `feedback.yaml` has them (none otherwise). Written like the other open data (see
//! [`super::open_data`]); listed for the manifest, the DCAT catalogue and the CMS fragment.

use serde::Serialize;

use super::open_data::{self, Header};
use super::{Cache, Failure, Input, Output, OutputFile, Product};
use crate::model::{FeedbackPeriod, Survey};
use crate::results::feedback;

pub(crate) const SURVEYS_CSV: &str = "indagini.csv";
pub(crate) const SURVEYS_JSON: &str = "indagini.json";
pub(crate) const COMPLAINTS_CSV: &str = "reclami.csv";
pub(crate) const COMPLAINTS_JSON: &str = "reclami.json";

/// `indagini.csv`/`.json` and `reclami.csv`/`.json`.
pub(crate) struct FeedbackData;

impl Output for FeedbackData {
    fn name(&self) -> &'static str {
        "surveys and complaints data"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let periods = feedback::periods(project);
        let by_standard = feedback::by_standard(&cx.results);
        let charter = &project.charter.data;
        let folder = &strings.pack.slug;
        let failed = |message: String| Failure::Content(open_data::pack_failure(message));
        let header = || open_data::header(project, &charter.edition, charter.last_updated.value);
        let surveys: Vec<SurveyRecord<f64>> = periods
            .iter()
            .flat_map(|period| {
                period
                    .surveys
                    .iter()
                    .map(|survey| survey_record(period, survey, &by_standard))
            })
            .collect();
        let complaints: Vec<ComplaintsRecord> = periods
            .iter()
            .filter_map(|period| complaints_record(period))
            .collect();
        let mut files: Vec<OutputFile> = Vec::new();
        let mut listed = Vec::new();
        if !surveys.is_empty() {
            let cells: Vec<SurveyRecord<String>> =
                surveys.iter().map(SurveyRecord::as_cells).collect();
            let json = SurveysJson {
                header: header(),
                indagini: &surveys,
            };
            publish(
                &mut files,
                &mut listed,
                folder,
                [
                    open_data::csv_bytes(&cells).map_err(failed)?,
                    open_data::json_bytes(&json).map_err(failed)?,
                ],
                [
                    (SURVEYS_CSV, &strings.pack.artifact_surveys_csv),
                    (SURVEYS_JSON, &strings.pack.artifact_surveys_json),
                ],
            );
        }
        if !complaints.is_empty() {
            let json = ComplaintsJson {
                header: header(),
                reclami: &complaints,
            };
            publish(
                &mut files,
                &mut listed,
                folder,
                [
                    open_data::csv_bytes(&complaints).map_err(failed)?,
                    open_data::json_bytes(&json).map_err(failed)?,
                ],
                [
                    (COMPLAINTS_CSV, &strings.pack.artifact_complaints_csv),
                    (COMPLAINTS_JSON, &strings.pack.artifact_complaints_json),
                ],
            );
        }
        if files.is_empty() {
            return Ok(Product::default());
        }
        Ok(open_data::data_product(
            files,
            folder,
            &listed,
            charter.last_updated.value,
        ))
    }
}

/// One data set's CSV and JSON in the pack's folder, listed with their titles.
fn publish<'a>(
    files: &mut Vec<OutputFile>,
    listed: &mut Vec<(&'static str, &'a String)>,
    folder: &str,
    [csv, json]: [Vec<u8>; 2],
    names: [(&'static str, &'a String); 2],
) {
    files.push(open_data::file(folder, names[0].0, csv));
    files.push(open_data::file(folder, names[1].0, json));
    listed.extend(names);
}

#[derive(Serialize)]
struct SurveysJson<'a> {
    #[serde(flatten)]
    header: Header,
    indagini: &'a [SurveyRecord<'a, f64>],
}

#[derive(Serialize)]
struct ComplaintsJson<'a> {
    #[serde(flatten)]
    header: Header,
    reclami: &'a [ComplaintsRecord<'a>],
}

/// One survey (the columns are documented in `docs/open-data.md`).
#[derive(Serialize)]
struct SurveyRecord<'a, N> {
    periodo: String,
    dal: String,
    al: String,
    indagine: &'a str,
    id_impegno: Option<&'a str>,
    id_standard: Option<&'a str>,
    questionari_distribuiti: u64,
    questionari_restituiti: u64,
    tasso_risposta: Option<N>,
    obiettivo_tasso_risposta: Option<N>,
    esito_tasso_risposta: Option<&'static str>,
    punteggio: Option<N>,
    scala_massimo: Option<N>,
    obiettivo_punteggio: Option<N>,
    esito_punteggio: Option<&'static str>,
    rapporto: Option<&'a str>,
    nota: Option<&'a str>,
    fonte: Option<&'a str>,
}

impl<'a> SurveyRecord<'a, f64> {
    fn as_cells(&self) -> SurveyRecord<'a, String> {
        let cell = |value: Option<f64>| value.map(open_data::number);
        SurveyRecord {
            periodo: self.periodo.clone(),
            dal: self.dal.clone(),
            al: self.al.clone(),
            indagine: self.indagine,
            id_impegno: self.id_impegno,
            id_standard: self.id_standard,
            questionari_distribuiti: self.questionari_distribuiti,
            questionari_restituiti: self.questionari_restituiti,
            tasso_risposta: cell(self.tasso_risposta),
            obiettivo_tasso_risposta: cell(self.obiettivo_tasso_risposta),
            esito_tasso_risposta: self.esito_tasso_risposta,
            punteggio: cell(self.punteggio),
            scala_massimo: cell(self.scala_massimo),
            obiettivo_punteggio: cell(self.obiettivo_punteggio),
            esito_punteggio: self.esito_punteggio,
            rapporto: self.rapporto,
            nota: self.nota,
            fonte: self.fonte,
        }
    }
}

fn survey_record<'a>(
    period: &FeedbackPeriod,
    survey: &'a Survey,
    by_standard: &feedback::ByStandard<'_>,
) -> SurveyRecord<'a, f64> {
    let value = |n: &Option<crate::model::Located<f64>>| n.as_ref().map(|n| n.value);
    // A survey that measures a standard is read against the standard's target, as its result.
    let (target, status) = match feedback::measured(by_standard, period, survey) {
        Some((standard, status)) => (
            standard.target.measure().map(|measure| measure.value.value),
            Some(status),
        ),
        None => (
            value(&survey.target_response_rate),
            feedback::rate_status(survey),
        ),
    };
    SurveyRecord {
        periodo: period.span.key(),
        dal: period.span.from.iso(),
        al: period.span.to.iso(),
        indagine: &survey.title,
        id_impegno: survey.commitment.as_ref().map(|id| id.value.as_str()),
        id_standard: survey.standard.as_ref().map(|id| id.value.as_str()),
        questionari_distribuiti: survey.given.value,
        questionari_restituiti: survey.returned.value,
        // Two decimals at most, as the other numbers of the open data.
        tasso_risposta: feedback::response_rate(survey).map(|rate| (rate * 100.0).round() / 100.0),
        obiettivo_tasso_risposta: target,
        esito_tasso_risposta: status.map(|status| status.key()),
        punteggio: value(&survey.score),
        scala_massimo: value(&survey.out_of),
        obiettivo_punteggio: value(&survey.target_score),
        esito_punteggio: feedback::score_status(survey).map(|status| status.key()),
        rapporto: survey.report.as_ref().map(|url| url.value.as_str()),
        nota: non_empty(&survey.note),
        fonte: non_empty(&survey.source),
    }
}

/// One period's complaints.
#[derive(Serialize)]
struct ComplaintsRecord<'a> {
    periodo: String,
    dal: String,
    al: String,
    ricevuti: u64,
    fondati: Option<u64>,
    risposta_nei_termini: Option<u64>,
    nota: Option<&'a str>,
    fonte: Option<&'a str>,
}

fn complaints_record(period: &FeedbackPeriod) -> Option<ComplaintsRecord<'_>> {
    let complaints = &period.complaints.as_ref()?.value;
    Some(ComplaintsRecord {
        periodo: period.span.key(),
        dal: period.span.from.iso(),
        al: period.span.to.iso(),
        ricevuti: complaints.received.value,
        fondati: complaints.founded.as_ref().map(|n| n.value),
        risposta_nei_termini: complaints.answered_in_time.as_ref().map(|n| n.value),
        nota: non_empty(&complaints.note),
        fonte: non_empty(&complaints.source),
    })
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|text| !text.trim().is_empty())
}
