//! Turns typed standards into the sentences citizens read: "Presa in carico entro 3 giorni
//! nell'85% dei casi", "Tempo di risposta ai reclami: entro 20 giorni lavorativi". The words come
//! from the theme's strings file; this module only fills in numbers, chooses singular or plural
//! and the Italian elisions ("nell'85%" but "nel 90%", "l'80%" but "il 35%").

use crate::model::{Measure, MeasureUnit, Preset, Standard, Target};
use crate::strings::{PackWords, StandardWords};

/// The reader-facing sentence for one standard (without its note, formula or legal basis).
pub(crate) fn sentence(standard: &Standard, words: &StandardWords) -> String {
    let measure = standard.target.measure();
    let share = standard.share.as_ref().map(|share| share.value);
    match (standard.preset, measure) {
        (Some(Preset::TakeCharge), Some(measure)) => {
            timed(&words.take_charge, measure, share, words)
        }
        (Some(Preset::Response), Some(measure)) => timed(&words.response, measure, share, words),
        (Some(Preset::Availability), Some(measure)) => {
            let to_percent = with_preposition(
                measure.value.value,
                &words.to_before_vowel,
                &words.to_before_consonant,
                words,
            );
            fill(&words.availability, &[("to_percent", &to_percent)])
        }
        (Some(Preset::OnRequest), _) => words.on_request.clone(),
        (Some(Preset::BestEffort), _) => words.best_effort.clone(),
        (Some(Preset::NotDefined), _) => words.not_defined.clone(),
        _ => match &standard.indicator {
            Some(indicator) => fill(
                &words.full,
                &[
                    ("indicator", indicator),
                    ("target", &target_text(standard, words)),
                ],
            ),
            None if !standard.is_defined() => words.not_defined.clone(),
            None => target_text(standard, words),
        },
    }
}

/// What a standard measures, in words: the indicator written, or the theme's name of the short
/// form ("Presa in carico").
pub(crate) fn indicator(standard: &Standard, pack: &PackWords) -> String {
    match (&standard.indicator, standard.preset) {
        (Some(indicator), _) => indicator.clone(),
        (None, Some(preset)) => pack.indicator(preset.key()).to_string(),
        (None, None) => pack.indicator("not_defined").to_string(),
    }
}

/// The programmed value in words, with its share of cases: "entro 20 giorni lavorativi nel 90%
/// dei casi", "superiore al 98% su base annua", "immediato".
pub(crate) fn target_text(standard: &Standard, words: &StandardWords) -> String {
    let target = match &standard.target {
        Target::Measure(measure) => measure_text(measure, words),
        Target::Immediate => words.targets.immediate.clone(),
        Target::Always => words.targets.always.clone(),
        Target::OnRequest => words.targets.on_request.clone(),
        Target::BestEffort => words.targets.best_effort.clone(),
        Target::Promise(text) => text.clone(),
        Target::NotDefined => return words.targets.not_defined.clone(),
    };
    match &standard.share {
        Some(share) => {
            let in_percent = with_preposition(
                share.value,
                &words.in_before_vowel,
                &words.in_before_consonant,
                words,
            );
            format!(
                "{target} {}",
                fill(&words.share, &[("in_percent", &in_percent)])
            )
        }
        None => target,
    }
}

/// "entro 3 giorni lavorativi", "almeno 30 ore alla settimana", "inferiore al 10%".
fn measure_text(measure: &Measure, words: &StandardWords) -> String {
    let value = measure.value.value;
    let comparator = measure.comparator.value;
    let per = measure.per.as_ref().map(|per| per.value);
    if measure.unit.value == MeasureUnit::Percent {
        let number = format!("{}%", format_number(value, &words.decimal_separator));
        let the_percent = with_preposition(
            value,
            &words.the_before_vowel,
            &words.the_before_consonant,
            words,
        );
        let to_percent = with_preposition(
            value,
            &words.to_before_vowel,
            &words.to_before_consonant,
            words,
        );
        let text = fill(
            words.comparators_percent.pattern(comparator),
            &[
                ("the_percent", &the_percent),
                ("to_percent", &to_percent),
                ("value", &number),
            ],
        );
        return match per {
            Some(per) => format!("{text} {}", words.over.word(per)),
            None => text,
        };
    }
    let units = &words.units;
    let plural = match measure.unit.value {
        MeasureUnit::Minutes => &units.minutes,
        MeasureUnit::Hours => &units.hours,
        MeasureUnit::Days => &units.days,
        MeasureUnit::WorkingDays => &units.working_days,
        MeasureUnit::CalendarDays => &units.calendar_days,
        MeasureUnit::Percent | MeasureUnit::Count => &units.count,
    };
    let number = format_number(value, &words.decimal_separator);
    let pattern = if number == "1" {
        &plural.one
    } else {
        &plural.other
    };
    let amount = fill(pattern, &[("n", &number)]);
    let text = fill(words.comparators.pattern(comparator), &[("value", &amount)]);
    match per {
        Some(per) => format!("{text} {}", words.per.word(per)),
        None => text,
    }
}

/// A measured amount in a unit, as a reader reads it: "12 giorni lavorativi", "99,7%", "340".
pub(crate) fn amount(value: f64, unit: MeasureUnit, words: &StandardWords) -> String {
    let number = format_number(value, &words.decimal_separator);
    let units = &words.units;
    let plural = match unit {
        MeasureUnit::Percent => return format!("{number}%"),
        MeasureUnit::Minutes => &units.minutes,
        MeasureUnit::Hours => &units.hours,
        MeasureUnit::Days => &units.days,
        MeasureUnit::WorkingDays => &units.working_days,
        MeasureUnit::CalendarDays => &units.calendar_days,
        MeasureUnit::Count => &units.count,
    };
    let pattern = if number == "1" {
        &plural.one
    } else {
        &plural.other
    };
    fill(pattern, &[("n", &number)])
}

/// The sentence of `take_charge` and `response`: the theme's pattern, with the days in the unit
/// written ("3 giorni", "2 giorni lavorativi") and the share of cases.
fn timed(pattern: &str, measure: &Measure, percent: Option<f64>, words: &StandardWords) -> String {
    let number = format_number(measure.value.value, &words.decimal_separator);
    let days_word = match measure.unit.value {
        MeasureUnit::Days if number == "1" => words.day_singular.clone(),
        MeasureUnit::Days => words.day_plural.clone(),
        unit => {
            // The words of the unit without the number: "{n} giorni lavorativi" → "giorni lavorativi".
            let plural = match unit {
                MeasureUnit::WorkingDays => &words.units.working_days,
                _ => &words.units.calendar_days,
            };
            let pattern = if number == "1" {
                &plural.one
            } else {
                &plural.other
            };
            fill(pattern, &[("n", "")]).trim().to_string()
        }
    };
    let in_percent = percent
        .map(|percent| {
            with_preposition(
                percent,
                &words.in_before_vowel,
                &words.in_before_consonant,
                words,
            )
        })
        .unwrap_or_default();
    fill(
        pattern,
        &[
            ("days", &number),
            ("days_word", &days_word),
            ("in_percent", &in_percent),
        ],
    )
}

/// "nell'85%", "nel 90%", "l'80%": the preposition or article is glued to the number it precedes.
fn with_preposition(
    percent: f64,
    before_vowel: &str,
    before_consonant: &str,
    words: &StandardWords,
) -> String {
    let number = format_number(percent, &words.decimal_separator);
    let preposition = if reads_with_vowel(percent) {
        before_vowel
    } else {
        before_consonant
    };
    format!("{preposition}{number}%")
}

/// Formats 85 as "85" and 99.6 as "99,6" (up to two decimals, no trailing zeros).
pub(crate) fn format_number(value: f64, decimal_separator: &str) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', decimal_separator)
}

/// True when the Italian reading of the number starts with a vowel: uno (1), otto (8), undici (11),
/// ottanta… (80–89); the integer part decides ("nell'8,5%", "nel 18%").
fn reads_with_vowel(value: f64) -> bool {
    let whole = value.trunc() as u64;
    matches!(whole, 1 | 8 | 11 | 80..=89)
}

fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut text = pattern.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Located, StandardList};
    use crate::source::SourceMap;
    use serde::Deserialize;

    /// The words of the agid theme, as a site gets them.
    fn words() -> StandardWords {
        #[derive(Deserialize)]
        struct File {
            standards: StandardWords,
        }
        let text = include_str!("../themes/agid/strings.toml");
        toml::from_str::<File>(text).unwrap().standards
    }

    /// The standards of one commitment, read from YAML as the content writes them.
    fn standards(yaml: &str) -> StandardList {
        #[derive(Deserialize)]
        struct Only {
            standards: StandardList,
        }
        let text = format!("standards:\n{yaml}");
        let mut sources = SourceMap::new();
        let file = sources.add("t.yaml", text.clone());
        crate::load::yaml::parse::<Only>(&text, &sources, file, 0)
            .unwrap()
            .standards
    }

    fn full(target: &str, extra: &str) -> String {
        let list = standards(&format!(
            "  - dimension: tempestività\n    indicator: Tempo\n    target: {target}\n{extra}"
        ));
        sentence(&list[0], &words())
    }

    #[test]
    fn short_forms_keep_their_sentences() {
        let list = standards(
            "  - take_charge: {days: 3, percent: 85}\n  - response: {days: 1, percent: 90}\n  - availability: {percent: 99.6}\n  - availability: {percent: 80.5}\n  - on_request\n  - best_effort\n  - not_defined\n",
        );
        let sentences: Vec<String> = list.iter().map(|s| sentence(s, &words())).collect();
        assert_eq!(
            sentences,
            [
                "Presa in carico entro 3 giorni nell'85% dei casi",
                "Tempo di risposta entro 1 giorno nel 90% dei casi",
                "Disponibilità superiore al 99,6% annuo",
                "Disponibilità superiore all'80,5% annuo",
                "A richiesta",
                "Servizio di tipo «best effort»",
                "Standard in via di definizione",
            ]
        );
    }

    /// Every unit and comparator, with and without a period and a share.
    #[test]
    fn every_unit_and_comparator_makes_an_italian_sentence() {
        let share = |n: u32| format!("    share: {n}\n");
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "{within: 20, unit: working_days}",
                String::new(),
                "Tempo: entro 20 giorni lavorativi",
            ),
            (
                "{within: 1, unit: working_days}",
                String::new(),
                "Tempo: entro 1 giorno lavorativo",
            ),
            (
                "{within: 30, unit: calendar_days}",
                String::new(),
                "Tempo: entro 30 giorni di calendario",
            ),
            (
                "{within: 1, unit: calendar_days}",
                String::new(),
                "Tempo: entro 1 giorno di calendario",
            ),
            (
                "{within: 2, unit: days}",
                String::new(),
                "Tempo: entro 2 giorni",
            ),
            (
                "{within: 1, unit: days}",
                String::new(),
                "Tempo: entro 1 giorno",
            ),
            (
                "{at_most: 15, unit: minutes}",
                String::new(),
                "Tempo: al massimo 15 minuti",
            ),
            (
                "{at_most: 1, unit: minutes}",
                String::new(),
                "Tempo: al massimo 1 minuto",
            ),
            (
                "{within: 1.5, unit: hours}",
                String::new(),
                "Tempo: entro 1,5 ore",
            ),
            (
                "{within: 1, unit: hours}",
                String::new(),
                "Tempo: entro 1 ora",
            ),
            (
                "{at_least: 30, unit: hours, per: week}",
                String::new(),
                "Tempo: almeno 30 ore alla settimana",
            ),
            (
                "{at_least: 12, unit: hours, per: day}",
                String::new(),
                "Tempo: almeno 12 ore al giorno",
            ),
            (
                "{at_least: 5, unit: working_days, per: week}",
                String::new(),
                "Tempo: almeno 5 giorni lavorativi alla settimana",
            ),
            (
                "{at_least: 1, unit: count, per: year}",
                String::new(),
                "Tempo: almeno 1 all'anno",
            ),
            (
                "{at_least: 4, unit: count, per: month}",
                String::new(),
                "Tempo: almeno 4 al mese",
            ),
            (
                "{equal: 36, unit: hours, per: week}",
                String::new(),
                "Tempo: pari a 36 ore alla settimana",
            ),
            (
                "{equal: 1, unit: count, per: year}",
                String::new(),
                "Tempo: pari a 1 all'anno",
            ),
            (
                "{equal: 80, unit: percent}",
                String::new(),
                "Tempo: pari all'80%",
            ),
            (
                "{at_most: 2, unit: count}",
                String::new(),
                "Tempo: al massimo 2",
            ),
            (
                "{above: 3, unit: hours}",
                String::new(),
                "Tempo: superiore a 3 ore",
            ),
            (
                "{below: 15, unit: minutes}",
                String::new(),
                "Tempo: inferiore a 15 minuti",
            ),
            (
                "{above: 35, unit: percent}",
                String::new(),
                "Tempo: superiore al 35%",
            ),
            (
                "{above: 80, unit: percent}",
                String::new(),
                "Tempo: superiore all'80%",
            ),
            (
                "{above: 98, unit: percent, per: year}",
                String::new(),
                "Tempo: superiore al 98% su base annua",
            ),
            (
                "{above: 99.5, unit: percent, per: month}",
                String::new(),
                "Tempo: superiore al 99,5% su base mensile",
            ),
            (
                "{below: 10, unit: percent}",
                String::new(),
                "Tempo: inferiore al 10%",
            ),
            (
                "{below: 8, unit: percent}",
                String::new(),
                "Tempo: inferiore all'8%",
            ),
            (
                "{at_least: 35, unit: percent}",
                String::new(),
                "Tempo: almeno il 35%",
            ),
            (
                "{at_least: 85, unit: percent}",
                String::new(),
                "Tempo: almeno l'85%",
            ),
            (
                "{at_most: 10, unit: percent}",
                String::new(),
                "Tempo: al massimo il 10%",
            ),
            (
                "{at_most: 11, unit: percent}",
                String::new(),
                "Tempo: al massimo l'11%",
            ),
            (
                "{within: 20, unit: working_days}",
                share(90),
                "Tempo: entro 20 giorni lavorativi nel 90% dei casi",
            ),
            (
                "{within: 3, unit: days}",
                share(85),
                "Tempo: entro 3 giorni nell'85% dei casi",
            ),
            (
                "{at_most: 20, unit: minutes}",
                share(80),
                "Tempo: al massimo 20 minuti nell'80% dei casi",
            ),
            (
                "{within: 1, unit: working_days}",
                share(100),
                "Tempo: entro 1 giorno lavorativo nel 100% dei casi",
            ),
            ("immediate", String::new(), "Tempo: immediato"),
            (
                "always",
                String::new(),
                "Tempo: 24 ore su 24, 7 giorni su 7",
            ),
            ("on_request", String::new(), "Tempo: a richiesta"),
            (
                "best_effort",
                String::new(),
                "Tempo: nessun livello garantito («best effort»)",
            ),
            (
                "{promise: risposta scritta a ogni reclamo}",
                String::new(),
                "Tempo: risposta scritta a ogni reclamo",
            ),
            (
                "not_defined",
                String::new(),
                "Tempo: standard in via di definizione",
            ),
        ];
        for (target, extra, expected) in cases {
            assert_eq!(full(target, &extra), expected, "{target} {extra}");
        }
    }

    #[test]
    fn an_undefined_standard_shows_no_number() {
        let list = standards("  - not_defined\n");
        let text = sentence(&list[0], &words());
        assert_eq!(text, "Standard in via di definizione");
        assert!(!text.chars().any(|c| c.is_ascii_digit()));
        let undefined = crate::model::Standard::new(Target::NotDefined, Located::new((), 1, 1, 1));
        assert_eq!(
            sentence(&undefined, &words()),
            "Standard in via di definizione"
        );
    }

    #[test]
    fn elision_and_decimals() {
        assert!(reads_with_vowel(8.0) && reads_with_vowel(11.0) && reads_with_vowel(1.0));
        assert!(!reads_with_vowel(18.0) && !reads_with_vowel(90.0) && !reads_with_vowel(100.0));
        assert_eq!(format_number(99.6, ","), "99,6");
        assert_eq!(format_number(85.0, ","), "85");
        assert_eq!(format_number(99.95, ","), "99,95");
    }
}
