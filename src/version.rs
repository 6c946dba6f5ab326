//! Versions: carta's own, the built-in theme's and Bootstrap Italia's (`carta --version`), and
//! the `carta = ">=0.4"` requirement a project may state in site.toml, checked before anything
//! else of site.toml is read (a newer carta's keys would otherwise look like mistakes).

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};
use crate::theme::files;

/// carta's version.
pub const CARTA: &str = env!("CARGO_PKG_VERSION");

/// What `carta --version` prints: carta, its theme and the Bootstrap Italia files it carries.
pub fn long() -> String {
    format!(
        "carta {CARTA} (tema {} {}, Bootstrap Italia {})",
        files::BUILT_IN,
        files::theme_version(),
        files::bootstrap_version()
    )
}

/// The refusal of a project whose `carta` key (top level of site.toml) this carta does not meet,
/// or does not understand; `None` when there is no such key or it is met.
pub(crate) fn requirement(sources: &SourceMap, file: FileId) -> Option<Diagnostic> {
    let text = sources.text(file);
    let root = toml::de::DeTable::parse(text).ok()?;
    let (key, value) = root.get_ref().get_key_value("carta")?;
    let toml::de::DeValue::String(wanted) = value.get_ref() else {
        return Some(
            Diagnostic::error("E260", "`carta` in site.toml deve essere un testo")
                .at_offset(sources, file, key.span().start, 5)
                .with_hint("scrivi le versioni di carta richieste tra virgolette, per esempio carta = \">=0.4\""),
        );
    };
    let span = value.span();
    let at = |diagnostic: Diagnostic| {
        diagnostic.at_offset(
            sources,
            file,
            span.start,
            text.get(span.clone()).map_or(1, |s| s.chars().count()) as u32,
        )
    };
    let requirement = match semver::VersionReq::parse(wanted) {
        Ok(requirement) => requirement,
        Err(error) => {
            return Some(at(Diagnostic::error(
                "E260",
                format!("versioni di carta richieste non valide: `{wanted}` ({error})"),
            )
            .with_hint(
                "scrivi per esempio carta = \">=0.4\" oppure carta = \">=0.4, <0.6\"",
            )));
        }
    };
    let running = semver::Version::parse(CARTA).ok()?;
    if requirement.matches(&running) {
        return None;
    }
    Some(at(Diagnostic::error(
        "E261",
        format!("questa carta richiede carta {wanted}, ma la versione in uso è la {CARTA}"),
    )
    .with_hint(
        "aggiorna carta alla versione richiesta (README: «Installare carta»), oppure, se la carta va bene anche per questa versione, cambia `carta` in site.toml",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Option<String> {
        let mut sources = SourceMap::new();
        let file = sources.add("site.toml", text.to_string());
        requirement(&sources, file).map(|diagnostic| diagnostic.code.to_string())
    }

    #[test]
    fn the_requirement_is_met_refused_or_invalid() {
        assert_eq!(check("[site]\ntheme = 'agid'\n"), None);
        assert_eq!(check(&format!("carta = \">={CARTA}\"\n")), None);
        assert_eq!(check("carta = \">=999.0\"\n").as_deref(), Some("E261"));
        assert_eq!(check("carta = \"più nuova\"\n").as_deref(), Some("E260"));
        assert_eq!(check("carta = 4\n").as_deref(), Some("E260"));
    }
}
