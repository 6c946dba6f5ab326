//! The results as views: per standard its target and each period's measurement and status, the
//! geometry of its chart (the theme draws it), the last period's summary for the home page and
//! each standard's latest status for the commitments table. Numbers are formatted here; words,
//! icons and drawing are the theme's.

use std::collections::HashMap;

use serde::Serialize;

use super::view::{DateView, service_url};
use crate::model::{
    MeasureUnit, Measured, Project, ResultPeriod, Span, SpanKind, Standard, Statistic,
};
use crate::results::{self, Row, Status};
use crate::standards;
use crate::strings::Strings;

/// `block` in `blocks/risultati.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResultsView {
    /// Oldest first.
    pub(crate) periods: Vec<PeriodView>,
    /// The standards, grouped by commitment in the charter's order.
    pub(crate) commitments: Vec<ResultCommitmentView>,
    pub(crate) summary: SummaryView,
    /// Surveys, complaints and class actions, when the charter has `feedback.yaml`.
    pub(crate) feedback: Option<super::feedback::FeedbackView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeriodView {
    /// `2025`, `2025-S1`, `2025-Q3`, `2025-01-01/2025-03-31`.
    pub(crate) key: String,
    /// As a reader reads it: "2025", "1° semestre 2025".
    pub(crate) label: String,
    pub(crate) from: DateView,
    pub(crate) to: DateView,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResultCommitmentView {
    pub(crate) id: String,
    pub(crate) service: String,
    pub(crate) url: String,
    pub(crate) standards: Vec<ResultStandardView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResultStandardView {
    pub(crate) id: String,
    /// The fragment id of the standard on the results page: `risultato-<commitment>-<standard>`.
    pub(crate) anchor: String,
    /// The standard as the charter states it.
    pub(crate) sentence: String,
    /// What is measured ("Presa in carico").
    pub(crate) indicator: String,
    /// The target in words ("entro 3 giorni nell'85% dei casi").
    pub(crate) target: String,
    /// Each period, oldest first.
    pub(crate) rows: Vec<ResultRowView>,
    /// The latest period's status.
    pub(crate) latest: ResultRowView,
    /// The chart, when at least one period has a number to draw.
    pub(crate) chart: Option<ChartView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResultRowView {
    pub(crate) period: String,
    pub(crate) period_key: String,
    /// One of `met`, `missed`, `not_verifiable`, `not_measured`, `declared_met`, `declared_missed`.
    pub(crate) status: &'static str,
    /// Why the status could not be computed: `mean_only`, `median_only`, `maximum_over`, `no_cases`.
    pub(crate) reason: Option<&'static str>,
    /// What was measured, formatted: "930 casi su 1.000 (93%)" is built by the template from
    /// `within`, `total` and `value`.
    pub(crate) value: Option<String>,
    pub(crate) statistic: Option<&'static str>,
    /// True when the result is written as cases within the threshold and total cases.
    pub(crate) cases: bool,
    /// The title of the survey whose response rate the result is (`within` questionnaires
    /// returned of `total` given), when a survey gives it.
    pub(crate) survey: Option<String>,
    pub(crate) within: Option<u64>,
    pub(crate) total: Option<u64>,
    /// Why nothing was measured, as the office wrote it.
    pub(crate) not_measured: Option<String>,
    /// The evidence of a declared outcome.
    pub(crate) evidence: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
    /// The target the period was read against, in words ("entro 3 giorni nel 95% dei casi"),
    /// when it is not today's: an earlier edition's, in force on the period's last day.
    pub(crate) target: Option<String>,
    /// The edition whose target that is ("2023").
    pub(crate) target_edition: Option<String>,
}

/// A chart drawn by the theme: bars for the periods with a number, and the target as a line.
/// Coordinates are in the SVG's own units (`width` × `height`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartView {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// The top of the plotting area and its bottom (the zero line).
    pub(crate) top: u32,
    pub(crate) baseline: u32,
    pub(crate) bars: Vec<BarView>,
    /// The target's line: one step per run of bars read against the same target, oldest first
    /// (one step across the whole chart when the target never changed).
    pub(crate) targets: Vec<TargetStepView>,
    /// What the bars measure, as a key of `strings.results.chart_measures`: `share` (cases
    /// within, in percent), `maximum`, `mean`, `median`, `value`.
    pub(crate) measures: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BarView {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// The middle of the bar, for its labels.
    pub(crate) centre: f64,
    pub(crate) period: String,
    pub(crate) value: String,
    pub(crate) status: &'static str,
    /// The target this period was read against, formatted; only when the chart has several.
    pub(crate) target: Option<String>,
}

/// One level of the target's line, over the bars it applied to.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetStepView {
    pub(crate) x1: f64,
    pub(crate) x2: f64,
    pub(crate) y: f64,
    /// Where the step before ended, when it ends where this one starts: the line rises or falls
    /// from there.
    pub(crate) from_y: Option<f64>,
    /// The target, formatted ("95%").
    pub(crate) label: String,
    /// The periods it applied to: "2024", or the first and the last ("2024–2025").
    pub(crate) periods: String,
}

/// The last period in one sentence: how many standards were met, and which were missed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryView {
    pub(crate) period: String,
    /// Standards whose status was computed from a number (met or missed).
    pub(crate) computed: usize,
    pub(crate) met: usize,
    pub(crate) missed: Vec<SummaryItem>,
    pub(crate) not_verifiable: usize,
    pub(crate) not_measured: usize,
    pub(crate) declared: usize,
    /// The results page.
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryItem {
    /// "Presa in carico — Gestione e rilascio credenziali…".
    pub(crate) name: String,
    pub(crate) url: String,
}

/// The latest status of one standard, beside it in the commitments table and on its service page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LatestView {
    pub(crate) period: String,
    pub(crate) status: &'static str,
    pub(crate) url: String,
}

/// The address of the results page.
pub(crate) fn page_url(strings: &Strings) -> String {
    format!("/{}/", strings.pages.results_slug)
}

/// A period as a reader reads it.
pub(crate) fn period_label(period: &ResultPeriod, strings: &Strings) -> String {
    span_label(&period.span, strings)
}

/// A span of time as a reader reads it: "2025", "1° semestre 2025", "dal 1 marzo 2025 al …".
pub(crate) fn span_label(span: &Span, strings: &Strings) -> String {
    let words = &strings.results;
    let year = span.from.year.to_string();
    match span.kind {
        SpanKind::Year => year,
        SpanKind::Semester(n) => words
            .semester
            .replace("{n}", &n.to_string())
            .replace("{year}", &year),
        SpanKind::Quarter(n) => words
            .quarter
            .replace("{n}", &n.to_string())
            .replace("{year}", &year),
        SpanKind::Dates => words
            .dates
            .replace("{from}", &strings.date(span.from))
            .replace("{to}", &strings.date(span.to)),
    }
}

fn anchor(commitment: &str, standard: &str) -> String {
    format!("risultato-{commitment}-{standard}")
}

/// The results block; `None` when the charter has no results.
pub(crate) fn view(
    project: &Project,
    rows: &[Vec<Row<'_>>],
    strings: &Strings,
) -> Option<ResultsView> {
    let periods = results::periods(project);
    let feedback = super::feedback::view(project, rows, strings);
    if rows.is_empty() && feedback.is_none() {
        return None;
    }
    let url = page_url(strings);
    let mut commitments: Vec<ResultCommitmentView> = Vec::new();
    for standard_rows in rows {
        let first = standard_rows.first()?;
        let commitment = first.commitment;
        let standard = standard_view(standard_rows, strings);
        match commitments.last_mut() {
            Some(last) if last.id == commitment.id.value => last.standards.push(standard),
            _ => commitments.push(ResultCommitmentView {
                id: commitment.id.value.clone(),
                service: commitment.service.clone(),
                url: service_url(strings, &commitment.id.value),
                standards: vec![standard],
            }),
        }
    }
    Some(ResultsView {
        periods: periods
            .iter()
            .map(|period| PeriodView {
                key: period.span.key(),
                label: period_label(period, strings),
                from: DateView::new(period.span.from, strings),
                to: DateView::new(period.span.to, strings),
                source: period.source.clone(),
            })
            .collect(),
        commitments,
        summary: summary(rows, strings, &url),
        feedback,
    })
}

fn standard_view(rows: &[Row<'_>], strings: &Strings) -> ResultStandardView {
    let first = rows[0];
    let words = &strings.standards;
    let views: Vec<ResultRowView> = rows.iter().map(|row| row_view(row, strings)).collect();
    ResultStandardView {
        id: first.standard.id.value.clone(),
        anchor: anchor(&first.commitment.id.value, &first.standard.id.value),
        sentence: standards::sentence(first.standard, words),
        indicator: standards::indicator(first.standard, &strings.pack),
        target: standards::target_text(first.standard, words),
        latest: views
            .last()
            .cloned()
            .unwrap_or_else(|| row_view(&first, strings)),
        chart: chart(rows, strings),
        rows: views,
    }
}

/// One period of one standard as the results table shows it.
pub(crate) fn row_view(row: &Row<'_>, strings: &Strings) -> ResultRowView {
    let measurement = row.measurement;
    let earlier = row.earlier_target();
    let unit = row
        .applied
        .standard
        .target
        .measure()
        .map(|measure| measure.unit.value)
        .unwrap_or(MeasureUnit::Count);
    let mut view = ResultRowView {
        period: period_label(row.period, strings),
        period_key: row.period.span.key(),
        status: row.status.key(),
        reason: row.status.reason().map(|reason| reason.key()),
        value: None,
        statistic: None,
        cases: false,
        survey: measurement
            .and_then(|m| m.survey.as_ref())
            .map(|survey| survey.title.clone()),
        within: None,
        total: None,
        not_measured: None,
        evidence: None,
        note: measurement.and_then(|m| m.note.clone()),
        source: measurement
            .and_then(|m| m.source.clone())
            .or_else(|| row.period.source.clone()),
        target: earlier.then(|| standards::target_text(row.applied.standard, &strings.standards)),
        target_edition: row
            .applied
            .edition
            .filter(|_| earlier)
            .map(|charter| charter.edition.clone()),
    };
    match measurement.map(|m| &m.measured) {
        Some(Measured::Cases { within, total }) => {
            view.cases = true;
            view.within = Some(within.value);
            view.total = Some(total.value);
            view.value = results::status::share_of(within.value, total.value)
                .map(|share| standards::amount(share, MeasureUnit::Percent, &strings.standards));
        }
        Some(Measured::Value { value, statistic }) => {
            let unit = if statistic.value == Statistic::Percentage {
                MeasureUnit::Percent
            } else {
                unit
            };
            view.value = Some(standards::amount(value.value, unit, &strings.standards));
            view.statistic = Some(statistic.value.key());
        }
        Some(Measured::Unavailable { reason }) => view.not_measured = Some(reason.clone()),
        Some(Measured::Declared { evidence, .. }) => view.evidence = Some(evidence.clone()),
        None => {}
    }
    view
}

/// The number a period draws: the share of cases within (in percent), or the value measured.
fn plotted(row: &Row<'_>) -> Option<(f64, &'static str)> {
    match &row.measurement?.measured {
        Measured::Cases { within, total } => {
            results::status::share_of(within.value, total.value).map(|share| (share, "share"))
        }
        Measured::Value { value, statistic } => Some((
            value.value,
            match statistic.value {
                Statistic::Percentage => "share",
                Statistic::Maximum => "maximum",
                Statistic::Mean => "mean",
                Statistic::Median => "median",
                Statistic::Total | Statistic::Count => "value",
            },
        )),
        _ => None,
    }
}

/// A bar of a chart: its row, the number drawn and the target its period was read against.
type Point<'r, 'a> = (&'r Row<'a>, f64, Option<(f64, MeasureUnit)>);

/// The value a chart's target line is drawn at for a standard, and its unit: the target share
/// for shares of cases, the threshold otherwise.
fn target_of(standard: &Standard, measures: &str) -> Option<(f64, MeasureUnit)> {
    let measure = standard.target.measure()?;
    let share_target = standard.share.as_ref().map(|share| share.value);
    Some(match (measures, share_target) {
        ("share", Some(share)) => (share, MeasureUnit::Percent),
        ("share", None) if measure.unit.value != MeasureUnit::Percent => {
            (100.0, MeasureUnit::Percent)
        }
        _ => (measure.value.value, measure.unit.value),
    })
}

/// The chart of a standard: one bar per period with a number of the same kind as the latest,
/// and the target each was read against, as a line that steps where the target changed. `None`
/// when no period has a number.
fn chart(rows: &[Row<'_>], strings: &Strings) -> Option<ChartView> {
    let standard = rows.first()?.standard;
    let (_, measures) = rows.iter().rev().find_map(plotted)?;
    let (_, unit) = target_of(standard, measures)?;
    // Each bar with the target its period was read against.
    let points: Vec<Point<'_, '_>> = rows
        .iter()
        .filter_map(|row| {
            plotted(row)
                .filter(|(_, kind)| *kind == measures)
                .map(|(value, _)| (row, value, target_of(row.applied.standard, measures)))
        })
        .collect();
    // The words are HTML around the drawing (see the theme's chart), so the drawing has no
    // margin for them: the bars share the width in equal columns, as the labels below do.
    let (width, height, top, baseline) = (320u32, 160u32, 8u32, 159u32);
    let highest = points
        .iter()
        .flat_map(|(_, value, target)| [Some(*value), target.map(|(target, _)| target)])
        .flatten()
        .fold(1.0, f64::max);
    // A share is drawn on its whole scale, so 93% and 95% do not look twice apart.
    let scale_top = if unit == MeasureUnit::Percent {
        100.0f64.max(highest)
    } else {
        highest * 1.15
    };
    let plot = f64::from(baseline - top);
    let y_of = |value: f64| round(f64::from(baseline) - plot * value / scale_top);
    let slot = f64::from(width) / points.len().max(1) as f64;
    let targets = target_steps(&points, slot, &y_of, strings);
    let several = targets.len() > 1;
    let bar_width = (slot * 0.6).min(64.0);
    let bars = points
        .iter()
        .enumerate()
        .map(|(index, (row, value, target))| {
            let centre = slot * (index as f64 + 0.5);
            let y = y_of(*value);
            BarView {
                x: round(centre - bar_width / 2.0),
                y,
                width: round(bar_width),
                height: round(f64::from(baseline) - y),
                centre: round(centre),
                period: period_label(row.period, strings),
                value: standards::amount(*value, unit, &strings.standards),
                status: row.status.key(),
                target: target
                    .filter(|_| several)
                    .map(|(target, unit)| standards::amount(target, unit, &strings.standards)),
            }
        })
        .collect();
    Some(ChartView {
        width,
        height,
        top,
        baseline,
        bars,
        targets,
        measures,
    })
}

/// The target's line over the bars: one step per run of bars read against the same target.
fn target_steps(
    points: &[Point<'_, '_>],
    slot: f64,
    y_of: &dyn Fn(f64) -> f64,
    strings: &Strings,
) -> Vec<TargetStepView> {
    let mut steps: Vec<TargetStepView> = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let target = points[start].2;
        let end = points[start..]
            .iter()
            .position(|point| point.2 != target)
            .map_or(points.len(), |offset| start + offset);
        if let Some((value, unit)) = target {
            let x1 = round(slot * start as f64);
            let first = period_label(points[start].0.period, strings);
            let last = period_label(points[end - 1].0.period, strings);
            steps.push(TargetStepView {
                x1,
                x2: round(slot * end as f64),
                y: y_of(value),
                from_y: steps.last().filter(|step| step.x2 == x1).map(|step| step.y),
                label: standards::amount(value, unit, &strings.standards),
                periods: if end - start == 1 {
                    first
                } else {
                    format!("{first}\u{2013}{last}")
                },
            });
        }
        start = end;
    }
    steps
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The last period's summary.
fn summary(rows: &[Vec<Row<'_>>], strings: &Strings, url: &str) -> SummaryView {
    let latest: Vec<&Row<'_>> = rows.iter().filter_map(|rows| rows.last()).collect();
    let period = latest
        .first()
        .map(|row| period_label(row.period, strings))
        .unwrap_or_default();
    let count = |wanted: fn(Status) -> bool| latest.iter().filter(|row| wanted(row.status)).count();
    let missed = latest
        .iter()
        .filter(|row| row.status == Status::Missed)
        .map(|row| SummaryItem {
            name: format!(
                "{}{}{}",
                standards::indicator(row.standard, &strings.pack),
                strings.results.name_joiner,
                row.commitment.service
            ),
            url: format!(
                "{url}#{}",
                anchor(&row.commitment.id.value, &row.standard.id.value)
            ),
        })
        .collect::<Vec<_>>();
    SummaryView {
        period,
        computed: count(|s| matches!(s, Status::Met | Status::Missed)),
        met: count(|s| s == Status::Met),
        missed,
        not_verifiable: count(|s| matches!(s, Status::NotVerifiable(_))),
        not_measured: count(|s| s == Status::NotMeasured),
        declared: count(|s| matches!(s, Status::Declared(_))),
        url: url.to_string(),
    }
}

/// The last period's summary for the home page; `None` without results.
pub(crate) fn home_summary(rows: &[Vec<Row<'_>>], strings: &Strings) -> Option<SummaryView> {
    (!rows.is_empty()).then(|| summary(rows, strings, &page_url(strings)))
}

/// Each standard's latest status, by commitment and standard id, for the commitments table.
pub(crate) fn latest(
    rows: &[Vec<Row<'_>>],
    strings: &Strings,
) -> HashMap<(String, String), LatestView> {
    let url = page_url(strings);
    rows.iter()
        .filter_map(|rows| rows.last())
        .map(|row| {
            let commitment = row.commitment.id.value.clone();
            let standard = row.standard.id.value.clone();
            let view = LatestView {
                period: period_label(row.period, strings),
                status: row.status.key(),
                url: format!("{url}#{}", anchor(&commitment, &standard)),
            };
            ((commitment, standard), view)
        })
        .collect()
}
