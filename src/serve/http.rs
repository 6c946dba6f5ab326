//! HTTP for `carta serve`: axum, hyper, tokio and the crates that serve files live here and nowhere
//! else.
//!
//! Serves the regular files of the output folder under the site's deployment path, adds the
//! preview's stylesheet, script and error panel to HTML responses, streams the build status to the
//! open pages as Server-Sent Events, and stops on Ctrl-C. It reads files and never writes one.
//!
//! What it refuses, because a preview on 127.0.0.1 is still reachable by any page open in the
//! browser and by anything that can write into the output folder:
//! - symbolic links (any component of the path), and whatever is not a regular file inside the
//!   output folder ([`find`]);
//! - any file the last build did not write, a hard link or a copy planted in the output folder
//!   included ([`find_listed`]);
//! - requests whose `Host` is not the address it listens on, against DNS rebinding ([`Hosts`]);
//! - connections that take longer than the header timeout to send a request's headers.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::fs::{File, Metadata};
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use tokio::io::AsyncReadExt;
use tokio::sync::{RwLock, watch};
use tokio_util::io::ReaderStream;

use super::Status;
use super::overlay::{self, Additions};

/// How long a client may take to send a request's headers (from the connection, or from the end of
/// the previous response) before the connection is closed.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// HTML pages up to this size are read whole to add the preview; a longer one gets it within its
/// first `PAGE_WINDOW` bytes (or at its end) and the rest is streamed from the file.
const PAGE_WINDOW: usize = 1024 * 1024;
/// Size of the reads that stream a file.
const CHUNK: usize = 256 * 1024;
/// How long connections that stay open (a page still loading) may delay the stop.
const GRACE: Duration = Duration::from_secs(2);

/// What the server and the rebuilding thread share: the output folder, the current status and the
/// lock that keeps requests from seeing the output folder in the middle of its swap.
#[derive(Clone)]
pub(crate) struct Live(Arc<Inner>);

struct Inner {
    output: PathBuf,
    status: watch::Sender<Arc<Status>>,
    swap: RwLock<()>,
    stop: watch::Sender<bool>,
}

impl Live {
    pub(crate) fn new(output: PathBuf, status: Status) -> Live {
        Live(Arc::new(Inner {
            output,
            status: watch::Sender::new(Arc::new(status)),
            swap: RwLock::new(()),
            stop: watch::Sender::new(false),
        }))
    }

    /// Makes `status` current and tells every open page.
    pub(crate) fn publish(&self, status: Status) {
        self.0.status.send_replace(Arc::new(status));
    }

    pub(crate) fn status(&self) -> Arc<Status> {
        self.0.status.borrow().clone()
    }

    /// Runs `replace` (which swaps the output folder) while no request is reading from it. Call it
    /// from a plain thread, not from the server.
    pub(crate) fn while_no_request<R>(&self, replace: impl FnOnce() -> R) -> R {
        let _guard = self.0.swap.blocking_write();
        replace()
    }

    /// Stops the server, as Ctrl-C does.
    pub(crate) fn stop(&self) {
        self.0.stop.send_replace(true);
    }
}

/// Serves until Ctrl-C (or SIGTERM, or [`Live::stop`]). Blocks the calling thread. A client that
/// takes longer than `header_timeout` to send a request's headers is disconnected.
pub(crate) fn run(
    listener: std::net::TcpListener,
    live: Live,
    header_timeout: Duration,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let hosts = Arc::new(Hosts::new(listener.local_addr()?));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route("/__carta/live.js", get(script))
            .route("/__carta/serve.css", get(stylesheet))
            .route("/__carta/events", get(events))
            .fallback(site)
            .with_state(live.clone())
            .layer(middleware::from_fn_with_state(hosts, check_host));
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let connections = GracefulShutdown::new();
        let stop = wait_for_stop(&live);
        tokio::pin!(stop);
        loop {
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        if !is_connection_error(&error) {
                            // Out of file descriptors, say: wait instead of spinning.
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                        continue;
                    }
                },
                () = &mut stop => break,
            };
            // A response's head and body may go out in two writes; with Nagle's algorithm the
            // second would wait for the client's delayed acknowledgement (about 40 ms).
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(app.clone());
            let connection = http.serve_connection(TokioIo::new(stream), service);
            let connection = connections.watch(connection);
            tokio::spawn(async move {
                let _ = connection.await;
            });
        }
        drop(listener);
        // Ends the event streams, so open pages do not hold the server.
        live.stop();
        tokio::select! {
            () = connections.shutdown() => {}
            () = tokio::time::sleep(GRACE) => {}
        }
        Ok(())
    })
}

/// Errors of one connection that `accept` reports; the listener is fine.
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// The `Host` values the preview answers, from the address it listens on (port `port`):
/// - on a loopback address: that address, `127.0.0.1`, `[::1]` and `localhost`;
/// - on every address (`0.0.0.0`, `::`): any IP address and `localhost`;
/// - on another address: that address only.
///
/// A name other than `localhost` is never accepted: a page from another site that gets its name
/// resolved to this computer (DNS rebinding) sends that name, while an IP address cannot be
/// rebound.
struct Hosts {
    ip: IpAddr,
    port: u16,
    /// The text of the refusal.
    refusal: String,
}

impl Hosts {
    fn new(address: SocketAddr) -> Hosts {
        let ip = address.ip();
        let port = address.port();
        let refusal = if ip.is_unspecified() {
            format!(
                "indirizzo non ammesso: apri l'anteprima con l'indirizzo IP di questo computer o con localhost, porta {port} (per esempio http://127.0.0.1:{port}/)\n"
            )
        } else {
            format!("indirizzo non ammesso: l'anteprima risponde solo su http://{address}/\n")
        };
        Hosts { ip, port, refusal }
    }

    fn allow(&self, request: &Request) -> bool {
        let mut values = request.headers().get_all(header::HOST).iter();
        let (Some(host), None) = (values.next(), values.next()) else {
            return false;
        };
        let by_uri = request
            .uri()
            .authority()
            .is_none_or(|authority| self.allows(authority.as_str()));
        by_uri && host.to_str().is_ok_and(|host| self.allows(host))
    }

    /// Whether `host` (a `Host` value: name or address, and port) names this server.
    fn allows(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<Authority>() else {
            return false;
        };
        if host.contains('@') || authority.port_u16().unwrap_or(80) != self.port {
            return false;
        }
        let name = authority.host();
        let ip = match name
            .strip_prefix('[')
            .and_then(|name| name.strip_suffix(']'))
        {
            Some(inside) => inside.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        let local = self.ip.is_loopback() || self.ip.is_unspecified();
        match ip {
            None => local && name.eq_ignore_ascii_case("localhost"),
            Some(_) if self.ip.is_unspecified() => true,
            Some(ip) if self.ip.is_loopback() => {
                ip == self.ip || ip == Ipv4Addr::LOCALHOST || ip == Ipv6Addr::LOCALHOST
            }
            Some(ip) => ip == self.ip,
        }
    }
}

/// Every request, the event stream included, passes here first.
async fn check_host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    if hosts.allow(&request) {
        return next.run(request).await;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    preview_headers(&mut headers);
    (
        StatusCode::MISDIRECTED_REQUEST,
        headers,
        hosts.refusal.clone(),
    )
        .into_response()
}

async fn wait_for_stop(live: &Live) {
    let mut stop = live.0.stop.subscribe();
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
        _ = stop.wait_for(|stop| *stop) => {}
    }
}

async fn script() -> Response {
    asset(include_str!("live.js"), "text/javascript; charset=utf-8")
}

async fn stylesheet() -> Response {
    asset(include_str!("serve.css"), "text/css; charset=utf-8")
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
        .into_response()
}

/// What each page is told, as JSON in a `state` event: the site it should show and the panel.
#[derive(Serialize)]
struct StateMessage<'a> {
    generation: &'a str,
    panel: Option<&'a str>,
}

fn state_event(status: &Status) -> Event {
    let message = StateMessage {
        generation: &status.generation,
        panel: status.panel.as_ref().map(|panel| panel.html.as_str()),
    };
    Event::default()
        .event("state")
        .retry(Duration::from_secs(1))
        .data(serde_json::to_string(&message).unwrap_or_default())
}

/// The event stream: the current status at once, then every new one, until the server stops.
async fn events(State(live): State<Live>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut status = live.0.status.subscribe();
    status.mark_changed();
    let stop = live.0.stop.subscribe();
    let stream =
        futures_util::stream::unfold((status, stop), |(mut status, mut stop)| async move {
            if *stop.borrow() {
                return None;
            }
            tokio::select! {
                changed = status.changed() => {
                    changed.ok()?;
                    let event = state_event(&status.borrow_and_update());
                    Some((Ok(event), (status, stop)))
                }
                _ = stop.changed() => None,
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Every other request: a file of the site, under the deployment path.
async fn site(State(live): State<Live>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    // A HEAD request gets the response of a GET: hyper leaves the body out.

    // The status is read and the file opened under the lock, so the status always describes the
    // file. Once open, a file reads the same to the end: the output is updated by renaming new
    // files over the old ones.
    let _guard = live.0.swap.read().await;
    let status = live.status();
    let root = status.root_path.as_str();
    let path = request.uri().path();
    let Some(inner) = path.strip_prefix(root) else {
        if path == "/" || path == root.trim_end_matches('/') {
            return Redirect::temporary(root).into_response();
        }
        return not_found(&live, &status).await;
    };
    let Some(target) = Target::parse(inner) else {
        return not_found(&live, &status).await;
    };
    let output = live.0.output.clone();
    let files = status.files.clone();
    match blocking(
        move || find_listed(&output, &target, &files),
        Found::Missing,
    )
    .await
    {
        Found::File(file) => send(file, StatusCode::OK, &status).await,
        Found::Folder => {
            let query = request
                .uri()
                .query()
                .map(|query| format!("?{query}"))
                .unwrap_or_default();
            Redirect::temporary(&format!("{path}/{query}")).into_response()
        }
        Found::Missing => not_found(&live, &status).await,
    }
}

/// A request path after the deployment path, percent-decoded and split: names of files and folders
/// only, no `.` or `..`, no empty segment, no backslash or NUL.
#[derive(Debug, PartialEq)]
struct Target {
    segments: Vec<String>,
    /// The path ends with `/` (or is empty): a folder's `index.html`.
    folder: bool,
}

impl Target {
    fn parse(path: &str) -> Option<Target> {
        let decoded = percent_decode_str(path).decode_utf8().ok()?;
        if decoded.contains(['\\', '\0']) {
            return None;
        }
        let folder = decoded.is_empty() || decoded.ends_with('/');
        let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
        let mut segments = Vec::new();
        if !trimmed.is_empty() {
            for segment in trimmed.split('/') {
                let mut components = Path::new(segment).components();
                match (components.next(), components.next()) {
                    (Some(Component::Normal(name)), None) if name == segment => {
                        segments.push(segment.to_string());
                    }
                    _ => return None,
                }
            }
        }
        Some(Target { segments, folder })
    }

    fn file(name: &str) -> Target {
        Target {
            segments: vec![name.to_string()],
            folder: false,
        }
    }
}

/// What a [`Target`] is in the output folder.
enum Found {
    /// A regular file, open.
    File(Opened),
    /// A folder named without the final `/`.
    Folder,
    /// Nothing that may be served.
    Missing,
}

struct Opened {
    file: File,
    len: u64,
    path: PathBuf,
}

/// Looks `target` up in `output`, refusing symbolic links: every component of the path (and the
/// `index.html` of a folder) must be a real folder or a regular file, the file opened must be the
/// one that was checked, and its canonical path must be inside the output folder. A refused path is
/// [`Found::Missing`], like a missing one, so a response never tells one from the other.
fn find(output: &Path, target: &Target) -> Found {
    let Ok(root) = output.canonicalize() else {
        return Found::Missing;
    };
    let Ok(mut metadata) = std::fs::metadata(&root) else {
        return Found::Missing;
    };
    let mut path = root.clone();
    for segment in &target.segments {
        if !metadata.is_dir() {
            return Found::Missing;
        }
        path.push(segment);
        match std::fs::symlink_metadata(&path) {
            Ok(found) if !found.file_type().is_symlink() => metadata = found,
            _ => return Found::Missing,
        }
    }
    if metadata.is_dir() {
        if !target.folder {
            return Found::Folder;
        }
        path.push("index.html");
        match std::fs::symlink_metadata(&path) {
            Ok(found) => metadata = found,
            Err(_) => return Found::Missing,
        }
    } else if target.folder {
        return Found::Missing;
    }
    if !metadata.file_type().is_file() {
        return Found::Missing;
    }
    let Ok(file) = File::open(&path) else {
        return Found::Missing;
    };
    let Ok(opened) = file.metadata() else {
        return Found::Missing;
    };
    let inside = path
        .canonicalize()
        .is_ok_and(|canonical| canonical.starts_with(&root));
    if !opened.is_file() || !same_file(&metadata, &opened) || !inside {
        return Found::Missing;
    }
    Found::File(Opened {
        file,
        len: opened.len(),
        path,
    })
}

/// [`find`], keeping only a file the last build wrote (`files`, relative to the output folder):
/// a file that something else put in the output folder is [`Found::Missing`], whatever it is.
fn find_listed(output: &Path, target: &Target, files: &BTreeSet<PathBuf>) -> Found {
    match find(output, target) {
        Found::File(opened) => {
            let listed = output.canonicalize().is_ok_and(|root| {
                opened
                    .path
                    .strip_prefix(&root)
                    .is_ok_and(|relative| files.contains(relative))
            });
            if listed {
                Found::File(opened)
            } else {
                Found::Missing
            }
        }
        other => other,
    }
}

/// Whether the file opened is the one checked (a link swapped in between is not).
#[cfg(unix)]
fn same_file(checked: &Metadata, opened: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    checked.dev() == opened.dev() && checked.ino() == opened.ino()
}

#[cfg(not(unix))]
fn same_file(checked: &Metadata, opened: &Metadata) -> bool {
    checked.len() == opened.len() && checked.modified().ok() == opened.modified().ok()
}

/// Runs file-system work off the server's thread; a panic in it counts as a missing file.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static, or: T) -> T {
    tokio::task::spawn_blocking(work).await.unwrap_or(or)
}

/// A file of the site: pages with the preview added, other files streamed as they are, with their
/// length.
async fn send(opened: Opened, code: StatusCode, status: &Status) -> Response {
    let content_type = mime_guess::from_path(&opened.path)
        .first_raw()
        .unwrap_or("application/octet-stream");
    if content_type == "text/html" {
        return page(opened, code, status).await;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        with_charset(content_type).unwrap_or(HeaderValue::from_static(content_type)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(opened.len));
    preview_headers(&mut headers);
    let body = stream_file(Bytes::new(), opened.file, opened.len, Bytes::new());
    (code, headers, body).into_response()
}

/// A page with the preview added. A page up to [`PAGE_WINDOW`] is read whole; a longer one gets the
/// preview where [`overlay::insertion_points`] finds it in its first [`PAGE_WINDOW`] bytes (at the
/// end otherwise) and the rest is streamed, so memory does not grow with the page.
async fn page(opened: Opened, code: StatusCode, status: &Status) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    preview_headers(&mut headers);
    let Opened { mut file, len, .. } = opened;
    let read = blocking(
        move || {
            let mut start = Vec::with_capacity(len.min(PAGE_WINDOW as u64) as usize);
            let read = (&mut file).take(PAGE_WINDOW as u64).read_to_end(&mut start);
            read.ok().map(|_| (file, start))
        },
        None,
    )
    .await;
    let Some((file, mut start)) = read else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let read_len = start.len() as u64;
    let policy = overlay::preview_policy(&mut start);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let panel = status.panel.as_ref().map(|panel| panel.html.as_str());
    if len <= PAGE_WINDOW as u64 {
        let page = String::from_utf8_lossy(&start);
        let html = overlay::inject(&page, &status.generation, panel);
        return (code, headers, Body::from(html)).into_response();
    }
    let additions = Additions::new(&status.generation, panel);
    let rest = len - read_len;
    let total = rest + start.len() as u64 + additions.byte_len() as u64;
    let (front, tail) = match overlay::insertion_points(&start) {
        Some((head_at, body_at)) => {
            let mut front = Vec::with_capacity(start.len() + additions.byte_len());
            front.extend_from_slice(&start[..head_at]);
            front.extend_from_slice(additions.head.as_bytes());
            front.extend_from_slice(&start[head_at..body_at]);
            front.extend_from_slice(additions.body.as_bytes());
            front.extend_from_slice(&start[body_at..]);
            (front, Vec::new())
        }
        None => (
            start,
            [additions.head, additions.body].concat().into_bytes(),
        ),
    };
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    let body = stream_file(Bytes::from(front), file, rest, Bytes::from(tail));
    (code, headers, body).into_response()
}

/// `front`, then `len` bytes of `file` from where it stands, then `tail`.
fn stream_file(front: Bytes, file: File, len: u64, tail: Bytes) -> Body {
    let file = tokio::fs::File::from_std(file).take(len);
    let front = futures_util::stream::iter((!front.is_empty()).then_some(Ok(front)));
    let tail = futures_util::stream::iter((!tail.is_empty()).then_some(Ok(tail)));
    Body::from_stream(
        front
            .chain(ReaderStream::with_capacity(file, CHUNK))
            .chain(tail),
    )
}

/// The theme's 404 page; while there is no site at all, the "not yet available" page. The caller
/// holds the swap lock.
async fn not_found(live: &Live, status: &Status) -> Response {
    let output = live.0.output.clone();
    let files = status.files.clone();
    let (page, site) = blocking(
        move || match find_listed(&output, &Target::file("404.html"), &files) {
            Found::File(page) => (Some(page), true),
            _ => (
                None,
                find_listed(&output, &Target::file("index.html"), &files).is_file(),
            ),
        },
        (None, true),
    )
    .await;
    if let Some(page) = page {
        return self::page(page, StatusCode::NOT_FOUND, status).await;
    }
    let code = if site {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let panel = status.panel.as_ref().map(|panel| panel.html.as_str());
    let page = overlay::unavailable_page(&status.words, &status.generation, panel);
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&overlay::preview_policy(&mut Vec::new())) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    preview_headers(&mut headers);
    (code, headers, page).into_response()
}

impl Found {
    fn is_file(&self) -> bool {
        matches!(self, Found::File(_))
    }
}

fn preview_headers(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// `text/css` → `text/css; charset=utf-8`, for the text types a site has; `None` otherwise.
fn with_charset(content_type: &str) -> Option<HeaderValue> {
    let texty = content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    if !texty || content_type.contains("charset") {
        return None;
    }
    HeaderValue::from_str(&format!("{content_type}; charset=utf-8")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Option<Vec<String>> {
        Target::parse(path).map(|target| target.segments)
    }

    #[test]
    fn refuses_paths_that_leave_the_output_folder() {
        for bad in [
            "../site.toml",
            "%2e%2e/site.toml",
            "..%2fsite.toml",
            "%2E%2E%2Fsite.toml",
            "assets/..%2f..%2fsite.toml",
            "..%5csite.toml",
            "..\\site.toml",
            "a/%00",
            "./index.html",
            "/site.toml",
            "assets//carta.css",
            "%c0%ae%c0%ae/site.toml",
            "%ff/",
        ] {
            assert_eq!(segments(bad), None, "{bad}");
        }
        assert_eq!(
            Target::parse(""),
            Some(Target {
                segments: vec![],
                folder: true
            })
        );
        assert_eq!(
            Target::parse("impegni/"),
            Some(Target {
                segments: vec!["impegni".into()],
                folder: true
            })
        );
        assert_eq!(
            Target::parse("assets/css/carta.css"),
            Some(Target {
                segments: vec!["assets".into(), "css".into(), "carta.css".into()],
                folder: false
            })
        );
        assert_eq!(segments("%C3%A0/"), Some(vec!["à".into()]));
        assert_eq!(segments("a..b/"), Some(vec!["a..b".into()]));
        // Not an escape: a file named so, inside the output folder.
        assert_eq!(segments("%zz"), Some(vec!["%zz".into()]));
        assert_eq!(segments("%252e%252e"), Some(vec!["%2e%2e".into()]));
    }

    #[test]
    fn finds_regular_files_and_folders_but_never_links() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("impegni")).unwrap();
        std::fs::write(output.join("impegni/index.html"), "pagina").unwrap();
        std::fs::write(output.join("a.css"), "css").unwrap();
        std::fs::write(dir.path().join("segreto.txt"), "segreto").unwrap();
        let found = |path: &str| find(&output, &Target::parse(path).unwrap());
        assert!(found("a.css").is_file());
        assert!(found("impegni/").is_file());
        assert!(matches!(found("impegni"), Found::Folder));
        assert!(matches!(found("a.css/"), Found::Missing));
        assert!(matches!(found("nulla"), Found::Missing));
        assert!(
            matches!(found(""), Found::Missing),
            "a folder without index.html"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("segreto.txt"), output.join("fuori.txt")).unwrap();
            symlink(dir.path(), output.join("sopra")).unwrap();
            symlink("a.css", output.join("b.css")).unwrap();
            symlink("impegni", output.join("altri")).unwrap();
            std::fs::create_dir(output.join("vuota")).unwrap();
            symlink(output.join("a.css"), output.join("vuota/index.html")).unwrap();
            for path in [
                "fuori.txt",
                "sopra/segreto.txt",
                "sopra/",
                "sopra",
                "b.css",
                "altri/",
                "altri/index.html",
                "vuota/",
            ] {
                assert!(matches!(found(path), Found::Missing), "{path}");
            }
            // The output folder itself may be reached through a link.
            let through = dir.path().join("pubblico");
            symlink(&output, &through).unwrap();
            assert!(find(&through, &Target::file("a.css")).is_file());
        }
    }

    #[test]
    fn answers_only_the_hosts_of_the_address_it_listens_on() {
        let loopback = Hosts::new("127.0.0.1:4000".parse().unwrap());
        for good in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert!(loopback.allows(good), "{good}");
        }
        for bad in [
            "evil.example:4000",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:4001",
            "localhost.:4000",
            "127.0.0.2:4000",
            "192.168.1.5:4000",
            "user@127.0.0.1:4000",
            "[127.0.0.1]:4000",
            "::1:4000",
            "",
            "127.0.0.1:4000/x",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let everywhere = Hosts::new("0.0.0.0:4000".parse().unwrap());
        for good in [
            "192.168.1.5:4000",
            "127.0.0.1:4000",
            "localhost:4000",
            "[fe80::1]:4000",
        ] {
            assert!(everywhere.allows(good), "{good}");
        }
        for bad in [
            "pc-ufficio.local:4000",
            "evil.example:4000",
            "192.168.1.5:80",
        ] {
            assert!(!everywhere.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5:4000".parse().unwrap());
        assert!(lan.allows("192.168.1.5:4000"));
        for bad in ["localhost:4000", "127.0.0.1:4000", "pc-ufficio.local:4000"] {
            assert!(!lan.allows(bad), "{bad}");
        }
        let port_80 = Hosts::new("127.0.0.1:80".parse().unwrap());
        assert!(port_80.allows("localhost") && port_80.allows("127.0.0.1:80"));
        let v6 = Hosts::new("[::1]:4000".parse().unwrap());
        assert!(v6.allows("[::1]:4000") && v6.allows("localhost:4000"));
        assert!(v6.refusal.contains("http://[::1]:4000/"), "{}", v6.refusal);
    }

    #[test]
    fn adds_a_charset_to_text_types_only() {
        assert_eq!(with_charset("text/css").unwrap(), "text/css; charset=utf-8");
        assert!(with_charset("font/woff2").is_none());
        assert!(with_charset("text/html; charset=utf-8").is_none());
    }
}
