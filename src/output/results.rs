//! The measured results as open data: `risultati.csv` and `risultati.json` in the pack's folder,
//! one row per standard and period with the status carta computed, for a charter that has results
//! (none otherwise). Written like the other open data (see [`super::open_data`]): the same CSV
//! dialect, formula neutralisation and header; listed for the manifest, the DCAT catalogue and
//! the CMS fragment.

use serde::Serialize;

use super::open_data::{self, Header};
use super::{Cache, Failure, Input, Output, Product};
use crate::model::{Measured, Statistic};
use crate::results::{self, Row};
use crate::standards;

pub(crate) const RESULTS_CSV: &str = "risultati.csv";
pub(crate) const RESULTS_JSON: &str = "risultati.json";

/// `risultati.csv` and `risultati.json`.
pub(crate) struct ResultsData;

impl Output for ResultsData {
    fn name(&self) -> &'static str {
        "results data"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let rows = &cx.results;
        if rows.is_empty() {
            return Ok(Product::default());
        }
        let charter = &project.charter.data;
        let folder = &strings.pack.slug;
        let failed = |message: String| Failure::Content(open_data::pack_failure(message));
        let records: Vec<ResultRecord<'_, f64>> = rows
            .iter()
            .flatten()
            .map(|row| record(row, &charter.edition, strings))
            .collect();
        // The CSV writes numbers as the other open data do (`99.6`, `85`); the JSON as numbers.
        let cells: Vec<ResultRecord<'_, String>> =
            records.iter().map(ResultRecord::as_cells).collect();
        let json = ResultsJson {
            header: open_data::header(project, &charter.edition, charter.last_updated.value),
            risultati: &records,
        };
        let files = vec![
            open_data::file(
                folder,
                RESULTS_CSV,
                open_data::csv_bytes(&cells).map_err(failed)?,
            ),
            open_data::file(
                folder,
                RESULTS_JSON,
                open_data::json_bytes(&json).map_err(failed)?,
            ),
        ];
        let listed = [
            (RESULTS_CSV, &strings.pack.artifact_results_csv),
            (RESULTS_JSON, &strings.pack.artifact_results_json),
        ];
        Ok(open_data::data_product(
            files,
            folder,
            &listed,
            charter.last_updated.value,
        ))
    }
}

#[derive(Serialize)]
struct ResultsJson<'a> {
    #[serde(flatten)]
    header: Header,
    risultati: &'a [ResultRecord<'a, f64>],
}

/// One standard in one period (the columns are documented in `docs/open-data.md`).
#[derive(Serialize, Clone)]
struct ResultRecord<'a, N> {
    periodo: String,
    dal: String,
    al: String,
    id_impegno: &'a str,
    servizio: &'a str,
    id_standard: &'a str,
    dimensione: Option<&'static str>,
    indicatore: String,
    unita: Option<&'static str>,
    comparatore: Option<&'static str>,
    valore_obiettivo: Option<N>,
    percentuale_casi: Option<N>,
    edizione_obiettivo: &'a str,
    statistica: Option<&'static str>,
    valore_misurato: Option<N>,
    casi_entro_soglia: Option<u64>,
    casi_totali: Option<u64>,
    esito: &'static str,
    motivo: Option<String>,
    nota: Option<&'a str>,
    fonte: Option<&'a str>,
}

impl<'a> ResultRecord<'a, f64> {
    fn as_cells(&self) -> ResultRecord<'a, String> {
        let cell = |value: Option<f64>| value.map(open_data::number);
        ResultRecord {
            periodo: self.periodo.clone(),
            dal: self.dal.clone(),
            al: self.al.clone(),
            id_impegno: self.id_impegno,
            servizio: self.servizio,
            id_standard: self.id_standard,
            dimensione: self.dimensione,
            indicatore: self.indicatore.clone(),
            unita: self.unita,
            comparatore: self.comparatore,
            valore_obiettivo: cell(self.valore_obiettivo),
            percentuale_casi: cell(self.percentuale_casi),
            edizione_obiettivo: self.edizione_obiettivo,
            statistica: self.statistica,
            valore_misurato: cell(self.valore_misurato),
            casi_entro_soglia: self.casi_entro_soglia,
            casi_totali: self.casi_totali,
            esito: self.esito,
            motivo: self.motivo.clone(),
            nota: self.nota,
            fonte: self.fonte,
        }
    }
}

fn record<'a>(
    row: &Row<'a>,
    current: &'a str,
    strings: &crate::strings::Strings,
) -> ResultRecord<'a, f64> {
    let standard = row.standard;
    // The target the status was computed against: the one in force at the period's end.
    let target = row.applied.standard;
    let measure = target.target.measure();
    let measurement = row.measurement;
    let mut record = ResultRecord {
        periodo: row.period.span.key(),
        dal: row.period.span.from.iso(),
        al: row.period.span.to.iso(),
        id_impegno: &row.commitment.id.value,
        servizio: &row.commitment.service,
        id_standard: &standard.id.value,
        dimensione: standard.dimension.map(|dimension| dimension.code()),
        indicatore: standards::indicator(standard, &strings.pack),
        unita: measure.map(|measure| measure.unit.value.key()),
        comparatore: measure.map(|measure| measure.comparator.value.key()),
        valore_obiettivo: measure.map(|measure| measure.value.value),
        percentuale_casi: target.share.as_ref().map(|share| share.value),
        edizione_obiettivo: row
            .applied
            .edition
            .map_or(current, |charter| charter.edition.as_str()),
        statistica: None,
        valore_misurato: None,
        casi_entro_soglia: None,
        casi_totali: None,
        esito: row.status.key(),
        motivo: row.status.reason().map(|reason| reason.key().to_string()),
        nota: measurement.and_then(|m| m.note.as_deref()),
        fonte: measurement
            .and_then(|m| m.source.as_deref())
            .or(row.period.source.as_deref()),
    };
    match measurement.map(|m| &m.measured) {
        Some(Measured::Cases { within, total }) => {
            record.casi_entro_soglia = Some(within.value);
            record.casi_totali = Some(total.value);
            // The share of cases within, in percent, as the status was computed from it.
            record.statistica = Some(Statistic::Percentage.key());
            // Rounded as the other numbers are written: two decimals at most.
            record.valore_misurato = results::status::share_of(within.value, total.value)
                .map(|share| (share * 100.0).round() / 100.0);
        }
        Some(Measured::Value { value, statistic }) => {
            record.statistica = Some(statistic.value.key());
            record.valore_misurato = Some(value.value);
        }
        Some(Measured::Unavailable { reason }) => record.motivo = Some(reason.clone()),
        Some(Measured::Declared { evidence, .. }) => record.motivo = Some(evidence.clone()),
        None => {}
    }
    record
}
