//! Turns typed standards into the sentences citizens read: "Presa in carico entro 3 giorni
//! nell'85% dei casi". The words come from the theme's strings file; this module only fills in
//! numbers and chooses Italian elisions ("nell'85%" but "nel 90%").

use serde::Deserialize;

use crate::model::{Note, Standard};

/// The `[standards]` table of the theme's `strings.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct StandardWords {
    pub take_charge: String,
    pub response: String,
    pub availability: String,
    pub on_request: String,
    pub best_effort: String,
    pub day_singular: String,
    pub day_plural: String,
    pub in_before_consonant: String,
    pub in_before_vowel: String,
    pub to_before_consonant: String,
    pub to_before_vowel: String,
    pub decimal_separator: String,
}

/// The reader-facing sentence for one standard (without its note).
pub fn sentence(standard: &Standard, words: &StandardWords) -> String {
    match standard {
        Standard::TakeCharge(target) => timed(
            &words.take_charge,
            target.days.value,
            target.percent.value,
            words,
        ),
        Standard::Response(target) => timed(
            &words.response,
            target.days.value,
            target.percent.value,
            words,
        ),
        Standard::Availability(availability) => {
            let percent = availability.percent.value;
            let to_percent = with_preposition(
                percent,
                &words.to_before_vowel,
                &words.to_before_consonant,
                words,
            );
            fill(&words.availability, &[("to_percent", &to_percent)])
        }
        Standard::OnRequest(Note(_)) => words.on_request.clone(),
        Standard::BestEffort(Note(_)) => words.best_effort.clone(),
    }
}

fn timed(pattern: &str, days: u32, percent: f64, words: &StandardWords) -> String {
    let days_word = if days == 1 {
        &words.day_singular
    } else {
        &words.day_plural
    };
    let in_percent = with_preposition(
        percent,
        &words.in_before_vowel,
        &words.in_before_consonant,
        words,
    );
    fill(
        pattern,
        &[
            ("days", &days.to_string()),
            ("days_word", days_word),
            ("in_percent", &in_percent),
        ],
    )
}

/// "nell'85%", "nel 90%": the preposition is glued to the number it precedes.
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
pub fn format_number(value: f64, decimal_separator: &str) -> String {
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
    use crate::model::{Availability, Located, Target};

    fn words() -> StandardWords {
        StandardWords {
            take_charge: "Presa in carico entro {days} {days_word} {in_percent} dei casi".into(),
            response: "Tempo di risposta entro {days} {days_word} {in_percent} dei casi".into(),
            availability: "Disponibilità superiore {to_percent} annuo".into(),
            on_request: "A richiesta".into(),
            best_effort: "Servizio di tipo «best effort»".into(),
            day_singular: "giorno".into(),
            day_plural: "giorni".into(),
            in_before_consonant: "nel ".into(),
            in_before_vowel: "nell'".into(),
            to_before_consonant: "al ".into(),
            to_before_vowel: "all'".into(),
            decimal_separator: ",".into(),
        }
    }

    fn target(days: u32, percent: f64) -> Target {
        Target {
            days: Located::new(days, 1, 1, 1),
            percent: Located::new(percent, 1, 1, 1),
            note: None,
        }
    }

    #[test]
    fn sentences_follow_the_numbers() {
        let words = words();
        assert_eq!(
            sentence(&Standard::TakeCharge(target(3, 85.0)), &words),
            "Presa in carico entro 3 giorni nell'85% dei casi"
        );
        assert_eq!(
            sentence(&Standard::Response(target(1, 90.0)), &words),
            "Tempo di risposta entro 1 giorno nel 90% dei casi"
        );
        let availability = Standard::Availability(Availability {
            percent: Located::new(99.6, 1, 1, 1),
            note: None,
        });
        assert_eq!(
            sentence(&availability, &words),
            "Disponibilità superiore al 99,6% annuo"
        );
        let availability = Standard::Availability(Availability {
            percent: Located::new(80.5, 1, 1, 1),
            note: None,
        });
        assert_eq!(
            sentence(&availability, &words),
            "Disponibilità superiore all'80,5% annuo"
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
