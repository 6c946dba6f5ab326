//! Open licences carta knows, for the charter's data and texts (`[open_data] licence` in site.toml).
//!
//! Each licence has its id as written in site.toml, its official name, the page of its legal text and
//! its concept in the Italian licences vocabulary that DCAT-AP_IT catalogues use. The names come from
//! that vocabulary; they are data, not interface text.

/// One licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Licence {
    /// As written in site.toml: the SPDX identifier where one exists.
    pub id: &'static str,
    /// The short name readers recognise: "CC BY 4.0".
    pub short_name: &'static str,
    /// The full name in the Italian licences vocabulary.
    pub name: &'static str,
    /// The licence's own page (the Italian deed where there is one).
    pub url: &'static str,
    /// The concept in <https://w3id.org/italia/controlled-vocabulary/licences>.
    pub vocabulary_uri: &'static str,
}

/// Every licence accepted in site.toml; the first is the default.
pub(crate) const KNOWN: [Licence; 4] = [
    Licence {
        id: "CC-BY-4.0",
        short_name: "CC BY 4.0",
        name: "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
        url: "https://creativecommons.org/licenses/by/4.0/deed.it",
        vocabulary_uri: concat!(
            "https://w3id.org/italia/controlled-vocabulary/licences/",
            "A21_CCBY40"
        ),
    },
    Licence {
        id: "CC0-1.0",
        short_name: "CC0 1.0",
        name: "Creative Commons CC0 1.0 Universale - Public Domain Dedication (CC0 1.0)",
        url: "https://creativecommons.org/publicdomain/zero/1.0/deed.it",
        vocabulary_uri: concat!(
            "https://w3id.org/italia/controlled-vocabulary/licences/",
            "A11_CCO10"
        ),
    },
    Licence {
        id: "CC-BY-SA-4.0",
        short_name: "CC BY-SA 4.0",
        name: "Creative Commons Attribuzione-Condividi allo stesso modo 4.0 Internazionale (CC BY-SA 4.0)",
        url: "https://creativecommons.org/licenses/by-sa/4.0/deed.it",
        vocabulary_uri: concat!(
            "https://w3id.org/italia/controlled-vocabulary/licences/",
            "A31_CCBYSA40"
        ),
    },
    Licence {
        id: "IODL-2.0",
        short_name: "IODL 2.0",
        name: "Italian Open Data License 2.0 (IODL 2.0)",
        url: "https://www.dati.gov.it/content/italian-open-data-license-v20",
        vocabulary_uri: concat!(
            "https://w3id.org/italia/controlled-vocabulary/licences/",
            "A29_IODL20"
        ),
    },
];

/// The licence the site's open data are published under (`[open_data] licence`); validation has
/// refused an unknown one, so the first known licence stands in only for a project never validated.
pub(crate) fn of_project(project: &crate::model::Project) -> &'static Licence {
    find(&project.config.open_data.licence).unwrap_or(&KNOWN[0])
}

/// The licence with this id (exact match, as SPDX ids are case-sensitive in practice).
pub(crate) fn find(id: &str) -> Option<&'static Licence> {
    KNOWN.iter().find(|licence| licence.id == id)
}

/// The ids accepted in site.toml, for hints.
pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    KNOWN.iter().map(|licence| licence.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VOCABULARY: &str = "https://w3id.org/italia/controlled-vocabulary/licences/";

    #[test]
    fn default_is_cc_by_and_every_uri_is_in_the_vocabulary() {
        assert_eq!(KNOWN[0].id, "CC-BY-4.0");
        assert_eq!(find("CC-BY-4.0"), Some(&KNOWN[0]));
        assert_eq!(find("cc-by-4.0"), None);
        for licence in KNOWN {
            assert!(
                licence.vocabulary_uri.starts_with(VOCABULARY),
                "{licence:?}"
            );
            assert!(licence.url.starts_with("https://"), "{licence:?}");
        }
    }
}
