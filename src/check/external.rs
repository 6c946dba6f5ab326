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
//!
//! Only the public internet is reached: the agent's resolver hands `ureq` no address but those
//! [`super::address`] finds public, for the link's host and for every redirect's, so the connection
//! goes to the very address that was checked (a name that resolves once to a public address and
//! then to a private one gains nothing). A refused link is `W220`, naming the address and why;
//! `--allow-private-addresses` lifts the rule for a charter whose sites are on an internal network.
//! Proxies from the environment are not used: through one, the proxy would resolve the name and
//! the check could not see where the request goes.

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
    /// Also request addresses on loopback, private and other special-purpose networks.
    pub allow_private_addresses: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: super::DEFAULT_TIMEOUT,
            concurrency: 4,
            allow_private_addresses: false,
        }
    }
}

/// What became of a request: an answer below 400, a refusal of the address before any connection, or a
/// failure in words.
#[derive(Debug)]
// Without the `external-links` feature every address fails before a request.
#[cfg_attr(not(feature = "external-links"), allow(dead_code))]
enum Outcome {
    Answered,
    Refused(String),
    Failed(String),
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
            let diagnostic = match results.get(place.url.as_str())? {
                Outcome::Answered => return None,
                Outcome::Failed(problem) => Diagnostic::warning(
                    "W190",
                    format!("il link esterno {} non funziona: {problem}", place.url),
                )
                .with_hint("apri l'indirizzo nel browser: se la pagina è stata spostata scrivi quello nuovo, se non esiste più togli il link"),
                Outcome::Refused(why) => Diagnostic::warning(
                    "W220",
                    format!("il link esterno {} non è stato richiesto: {why}", place.url),
                )
                .with_hint("un link della carta deve portare a un sito pubblico; se i siti dell'ente sono su una rete interna raggiungibile dai cittadini, ripeti il controllo con --allow-private-addresses"),
            };
            Some(diagnostic.at_offset(&project.sources, place.file, place.offset, place.len))
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
fn fetch_all(urls: &[&str], _settings: &Settings) -> BTreeMap<String, Outcome> {
    urls.iter()
        .map(|url| {
            (
                url.to_string(),
                Outcome::Failed(
                    "carta è compilata senza il controllo dei link esterni".to_string(),
                ),
            )
        })
        .collect()
}

/// Requests every address with at most `settings.concurrency` at once.
#[cfg(feature = "external-links")]
fn fetch_all(urls: &[&str], settings: &Settings) -> BTreeMap<String, Outcome> {
    let refuse: Policy = if settings.allow_private_addresses {
        |_| None
    } else {
        super::address::special_purpose
    };
    let agent = agent(settings.timeout, refuse);
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
fn fetch(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    let status = |response: ureq::http::Response<ureq::Body>| response.status().as_u16();
    let head = agent.head(url).call().map(status);
    let code = match head {
        Ok(code) if code < 400 => return Outcome::Answered,
        // Many servers refuse HEAD: ask again with GET before calling the link broken.
        Ok(_) => agent.get(url).call().map(status),
        Err(error) => match error {
            ureq::Error::Timeout(_) => Err(error),
            ureq::Error::Io(ref io) if refusal(io).is_some() => Err(error),
            _ => agent.get(url).call().map(status),
        },
    };
    let failed = |text: String| Outcome::Failed(text);
    match code {
        Ok(code) if code < 400 => Outcome::Answered,
        Ok(404) | Ok(410) => failed("la pagina non esiste (risposta 404)".to_string()),
        Ok(code) => failed(format!("il sito risponde con l'errore {code}")),
        Err(ureq::Error::Timeout(_)) => failed(format!(
            "nessuna risposta entro {} secondi",
            timeout.as_secs().max(1)
        )),
        Err(ureq::Error::HostNotFound) => {
            failed("il sito non esiste (nome non trovato)".to_string())
        }
        Err(ureq::Error::Io(error)) => match refusal(&error) {
            Some(refused) => Outcome::Refused(refused.to_string()),
            None => failed(format!("connessione non riuscita ({error})")),
        },
        Err(error) => failed(format!("richiesta non riuscita ({error})")),
    }
}

/// The refusal carried by an I/O error of [`PublicOnly`], if it is one.
#[cfg(feature = "external-links")]
fn refusal(error: &std::io::Error) -> Option<&Refusal> {
    error.get_ref()?.downcast_ref::<Refusal>()
}

/// A host that resolves to an address off the public internet: the link's own host or a redirect's.
#[cfg(feature = "external-links")]
#[derive(Debug)]
struct Refusal {
    host: String,
    address: std::net::IpAddr,
    why: &'static str,
}

#[cfg(feature = "external-links")]
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.trim_matches(['[', ']']) == self.address.to_string() {
            write!(f, "l'indirizzo {} è {}", self.address, self.why)
        } else {
            write!(
                f,
                "il nome {} corrisponde a {}, un indirizzo {}",
                self.host, self.address, self.why
            )
        }
    }
}

#[cfg(feature = "external-links")]
impl std::error::Error for Refusal {}

/// What the resolver refuses: why an address may not be requested, `None` when it may.
#[cfg(feature = "external-links")]
type Policy = fn(std::net::IpAddr) -> Option<&'static str>;

/// The agent of every request: a time limit, statuses as values, redirects followed through the
/// resolver that applies `refuse` to every hop, no proxy.
#[cfg(feature = "external-links")]
fn agent(timeout: Duration, refuse: Policy) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .proxy(None)
        .user_agent(concat!(
            "carta/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        PublicOnly { refuse },
    )
}

/// ureq's own resolver, keeping only public addresses: when a name has any address that is not
/// public, the whole name is refused, since which of its addresses a client uses is not ours to
/// know in advance.
#[cfg(feature = "external-links")]
#[derive(Debug)]
struct PublicOnly {
    refuse: Policy,
}

#[cfg(feature = "external-links")]
impl ureq::unversioned::resolver::Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let addresses = ureq::unversioned::resolver::DefaultResolver::default()
            .resolve(uri, config, timeout)?;
        for address in addresses.iter() {
            if let Some(why) = (self.refuse)(address.ip()) {
                let host = uri.host().unwrap_or_default().to_string();
                let refusal = Refusal {
                    host,
                    address: address.ip(),
                    why,
                };
                return Err(ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    refusal,
                )));
            }
        }
        Ok(addresses)
    }
}

#[cfg(all(test, feature = "external-links"))]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{IpAddr, Ipv4Addr, TcpListener};

    /// A redirect to an address the policy refuses is not followed: the hop is checked before any
    /// connection, as the link's own host is. Here the policy refuses only 127.0.0.2, so the first
    /// request reaches the test's server on 127.0.0.1 and its redirect does not.
    #[test]
    fn every_redirect_hop_is_resolved_through_the_policy() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let mut served = 0;
            // Only the HEAD arrives: a refusal is not asked again with GET.
            for stream in listener.incoming().take(1) {
                let mut stream = stream.unwrap();
                let mut buffer = [0u8; 2048];
                let _ = stream.read(&mut buffer);
                served += 1;
                let _ = write!(
                    stream,
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:{port}/interno\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
            served
        });
        let refuse: Policy =
            |ip| (ip == IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).then_some("vietato");
        let agent = agent(Duration::from_secs(5), refuse);
        let outcome = fetch(
            &agent,
            &format!("http://127.0.0.1:{port}/sposta"),
            Duration::from_secs(5),
        );
        match outcome {
            Outcome::Refused(why) => assert_eq!(why, "l'indirizzo 127.0.0.2 è vietato"),
            other => panic!("the redirect's address is refused, not {other:?}"),
        }
        assert_eq!(
            server.join().unwrap(),
            1,
            "one request, to the link's own host"
        );
    }
}
