//! External links (`carta check --external`): every `http://` or `https://` address the charter
//! links to is requested once, a few at a time, each with a time limit. `ureq` is used here and
//! nowhere else.
//!
//! A `HEAD` request comes first; when the server refuses it (an answer of 400 or more), a `GET`
//! follows, because many sites do not answer `HEAD`. An address that still answers 400 or more, or
//! does not answer at all, is a warning (`W190`) at every place that links to it: a site can be
//! down for a moment, so only `--strict` turns it into an error.
//!
//! The addresses come from the chapters' Markdown links and images, `channels.yaml` and the links
//! of `site.toml` (not the accessibility statement, whose host AGID fixes). Links written in the
//! theme's templates are not requested.

use std::collections::BTreeMap;
#[cfg(feature = "external-links")]
use std::sync::Mutex;
#[cfg(feature = "external-links")]
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::diagnostics::Diagnostic;
use crate::markdown::LinkTarget;
use crate::model::Project;
use crate::render;
use crate::source::FileId;

/// How external links are checked.
#[derive(Debug, Clone)]
// Without the `external-links` feature the command refuses `--external` before reading these.
#[cfg_attr(not(feature = "external-links"), allow(dead_code))]
pub(crate) struct Settings {
    /// Time limit of each request.
    pub timeout: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: super::DEFAULT_TIMEOUT,
            concurrency: 4,
        }
    }
}

/// One place that links to an address.
struct Place {
    url: String,
    file: FileId,
    offset: usize,
    len: u32,
}

pub(crate) fn check(project: &Project, settings: &Settings) -> Vec<Diagnostic> {
    let places = places(project);
    let mut urls: Vec<&str> = places.iter().map(|place| place.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let results = fetch_all(&urls, settings);
    places
        .iter()
        .filter_map(|place| {
            let problem = results.get(place.url.as_str())?.as_ref().err()?;
            Some(
                Diagnostic::warning(
                    "W190",
                    format!("il link esterno {} non funziona: {problem}", place.url),
                )
                .at_offset(&project.sources, place.file, place.offset, place.len)
                .with_hint("apri l'indirizzo nel browser: se la pagina è stata spostata scrivi quello nuovo, se non esiste più togli il link"),
            )
        })
        .collect()
}

/// Every external address in the chapters, `channels.yaml` and `site.toml`, with where it is.
fn places(project: &Project) -> Vec<Place> {
    let mut places = Vec::new();
    for (chapter, links) in project.chapters.iter().zip(render::chapter_links(project)) {
        for link in links {
            if let LinkTarget::External(url) = link.target {
                places.push(Place {
                    url,
                    file: chapter.file,
                    offset: link.offset,
                    len: link.len,
                });
            }
        }
    }
    if let Some(channels) = &project.channels {
        let text = project.sources.text(channels.file);
        for channel in &channels.data.channels {
            let url = &channel.url;
            let offset = crate::source::offset_of(text, url.line, url.col);
            places.push(Place {
                url: url.value.clone(),
                file: channels.file,
                offset,
                len: url.len,
            });
        }
    }
    let config = &project.config;
    let text = project.sources.text(project.config_file);
    let footer = &config.footer;
    // The accessibility statement is left out: its host is fixed by AGID (and checked by E140).
    let addresses = [
        config.ente.url.as_deref(),
        config.ente.parent.url.as_deref(),
        footer.get("privacy"),
        footer.get("legal_notes"),
        footer.get("faq"),
        footer.get("report_inefficiency"),
    ];
    for url in addresses.into_iter().flatten() {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            continue;
        }
        if let Some(offset) = text.find(&format!("\"{url}\"")) {
            places.push(Place {
                url: url.to_string(),
                file: project.config_file,
                offset: offset + 1,
                len: url.chars().count() as u32,
            });
        }
    }
    places
}

/// Without the `external-links` feature there is no HTTP client: every address says so. The
/// command refuses `--external` before it gets here.
#[cfg(not(feature = "external-links"))]
fn fetch_all(urls: &[&str], _settings: &Settings) -> BTreeMap<String, Result<u16, String>> {
    urls.iter()
        .map(|url| {
            (
                url.to_string(),
                Err("carta è compilata senza il controllo dei link esterni".to_string()),
            )
        })
        .collect()
}

/// Requests every address with at most `settings.concurrency` at once; `Err` says what is wrong.
#[cfg(feature = "external-links")]
fn fetch_all(urls: &[&str], settings: &Settings) -> BTreeMap<String, Result<u16, String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!(
            "carta/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    let workers = settings.concurrency.clamp(1, 16).min(urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(index) else {
                        break;
                    };
                    let outcome = fetch(&agent, url, settings.timeout);
                    if let Ok(mut results) = results.lock() {
                        results.insert(url.to_string(), outcome);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

#[cfg(feature = "external-links")]
fn fetch(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<u16, String> {
    let status = |response: ureq::http::Response<ureq::Body>| response.status().as_u16();
    let head = agent.head(url).call().map(status);
    let code = match head {
        Ok(code) if code < 400 => return Ok(code),
        // Many servers refuse HEAD: ask again with GET before calling the link broken.
        Ok(_) => agent.get(url).call().map(status),
        Err(error) => match error {
            ureq::Error::Timeout(_) => Err(error),
            _ => agent.get(url).call().map(status),
        },
    };
    match code {
        Ok(code) if code < 400 => Ok(code),
        Ok(404) | Ok(410) => Err("la pagina non esiste (risposta 404)".to_string()),
        Ok(code) => Err(format!("il sito risponde con l'errore {code}")),
        Err(ureq::Error::Timeout(_)) => Err(format!(
            "nessuna risposta entro {} secondi",
            timeout.as_secs().max(1)
        )),
        Err(ureq::Error::HostNotFound) => Err("il sito non esiste (nome non trovato)".to_string()),
        Err(ureq::Error::Io(error)) => Err(format!("connessione non riuscita ({error})")),
        Err(error) => Err(format!("richiesta non riuscita ({error})")),
    }
}
