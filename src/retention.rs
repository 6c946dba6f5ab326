//! How long a publication stays online: art. 8, comma 3, d.lgs. 33/2013.
//!
//! The rule: data and documents are published «per un periodo di 5 anni, decorrenti dal 1° gennaio
//! dell'anno successivo a quello da cui decorre l'obbligo di pubblicazione, e comunque fino a che gli
//! atti pubblicati producono i loro effetti». Counting five years from 1 January of the year after the
//! publication date P means the period ends on 31 December of year(P) + 5, whatever the day of P
//! within its year. A charter in force stays online at least that long and, in any case, as long as it
//! is in force; a superseded edition stays online until that date or until it stopped being in force,
//! whichever is later. The interpretation is explained in `docs/transparency.md`.
//!
//! Pure functions over dates: no clock is read.

use crate::model::Date;

/// Last day of publication for something published on `published`: 31 December of year + 5.
pub(crate) fn publication_end(published: Date) -> Date {
    Date {
        year: published.year + 5,
        month: 12,
        day: 31,
    }
}

/// How long an edition stays online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retention {
    /// At least until this day (inclusive).
    pub until: Date,
    /// True for the edition in force: it also stays online as long as it is in force.
    pub while_in_force: bool,
}

/// The retention of an edition published on `published`; `superseded_on` is the day a later
/// edition took its place, `None` for the edition in force.
pub(crate) fn retention(published: Date, superseded_on: Option<Date>) -> Retention {
    let end = publication_end(published);
    match superseded_on {
        None => Retention {
            until: end,
            while_in_force: true,
        },
        Some(superseded) => Retention {
            until: end.max(superseded),
            while_in_force: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn five_years_from_the_first_of_january_after_publication() {
        // The charter's own date.
        assert_eq!(publication_end(date("2025-06-03")), date("2030-12-31"));
        // A leap day: the end is still 31 December, five years later.
        assert_eq!(publication_end(date("2024-02-29")), date("2029-12-31"));
        // 1 January: the count starts on 1 January of the next year, not on the day itself.
        assert_eq!(publication_end(date("2025-01-01")), date("2030-12-31"));
        // 31 December and the next day, one day apart, end a whole year apart.
        assert_eq!(publication_end(date("2025-12-31")), date("2030-12-31"));
        assert_eq!(publication_end(date("2026-01-01")), date("2031-12-31"));
        // A leap year's last day.
        assert_eq!(publication_end(date("2028-12-31")), date("2033-12-31"));
    }

    #[test]
    fn the_edition_in_force_stays_while_in_force_and_a_superseded_one_until_the_later_date() {
        let current = retention(date("2025-06-03"), None);
        assert_eq!(current.until, date("2030-12-31"));
        assert!(current.while_in_force);

        let superseded = retention(date("2024-02-29"), Some(date("2025-06-03")));
        assert_eq!(superseded.until, date("2029-12-31"));
        assert!(!superseded.while_in_force);

        // Effects lasting beyond the five years keep it online until they end.
        let long = retention(date("2019-03-01"), Some(date("2025-06-03")));
        assert_eq!(long.until, date("2025-06-03"));
    }
}
