//! HTTP for `carta serve`: axum, tower-http and tokio live here and nowhere else.
//!
//! Serves the output folder with tower-http's `ServeDir` under the site's deployment path, adds the
//! preview's stylesheet, script and error panel to HTML responses, streams the build status to the
//! open pages as Server-Sent Events, and stops on Ctrl-C. It reads files and never writes one.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::{RwLock, watch};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::Status;
use super::overlay;

/// Longest HTML page the preview adds its script to.
const MAX_PAGE: usize = 64 * 1024 * 1024;
/// How long connections that stay open (a page still loading) may delay the stop.
const GRACE: Duration = Duration::from_secs(2);

/// What the server and the rebuilding thread share: the output folder, the current status and the
/// lock that keeps requests from seeing the output folder in the middle of its swap.
#[derive(Clone)]
pub struct Live(Arc<Inner>);

struct Inner {
    output: PathBuf,
    status: watch::Sender<Arc<Status>>,
    swap: RwLock<()>,
    stop: watch::Sender<bool>,
}

impl Live {
    pub fn new(output: PathBuf, status: Status) -> Live {
        Live(Arc::new(Inner {
            output,
            status: watch::Sender::new(Arc::new(status)),
            swap: RwLock::new(()),
            stop: watch::Sender::new(false),
        }))
    }

    /// Makes `status` current and tells every open page.
    pub fn publish(&self, status: Status) {
        self.0.status.send_replace(Arc::new(status));
    }

    pub fn status(&self) -> Arc<Status> {
        self.0.status.borrow().clone()
    }

    /// Runs `replace` (which swaps the output folder) while no request is reading from it. Call it
    /// from a plain thread, not from the server.
    pub fn while_no_request<R>(&self, replace: impl FnOnce() -> R) -> R {
        let _guard = self.0.swap.blocking_write();
        replace()
    }

    /// Stops the server, as Ctrl-C does.
    pub fn stop(&self) {
        self.0.stop.send_replace(true);
    }
}

/// Serves until Ctrl-C (or SIGTERM, or [`Live::stop`]). Blocks the calling thread.
pub fn run(listener: std::net::TcpListener, live: Live) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
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
            .with_state(live.clone());
        let stopping = live.clone();
        let shutdown = async move {
            wait_for_stop(&stopping).await;
            // Ends the event streams, so open pages do not hold the server.
            stopping.stop();
        };
        let mut stopped = live.0.stop.subscribe();
        let grace = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
            tokio::time::sleep(GRACE).await;
        };
        tokio::select! {
            result = axum::serve(listener, app).with_graceful_shutdown(shutdown) => result,
            () = grace => Ok(()),
        }
    })
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
    let head = method == Method::HEAD;
    // The status is read under the lock, so it always describes the files on disk.
    let _guard = live.0.swap.read().await;
    let status = live.status();
    let root = status.root_path.clone();
    let path = request.uri().path().to_string();
    let Some(inner) = path.strip_prefix(root.as_str()) else {
        if path == "/" || path == root.trim_end_matches('/') {
            return Redirect::temporary(&root).into_response();
        }
        return not_found(&live, &status, head).await;
    };
    if !is_safe(inner) {
        return not_found(&live, &status, head).await;
    }
    let query = request
        .uri()
        .query()
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    let Ok(uri) = format!("/{inner}{query}").parse::<Uri>() else {
        return not_found(&live, &status, head).await;
    };
    let (mut parts, body) = request.into_parts();
    parts.uri = uri;
    // Pages differ from the files (the script, the panel): always send them whole.
    for name in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::IF_RANGE,
        header::RANGE,
    ] {
        parts.headers.remove(name);
    }
    let request = Request::from_parts(parts, body);
    let files = ServeDir::new(&live.0.output).redirect_path_prefix(root.trim_end_matches('/'));
    let response = match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return not_found(&live, &status, head).await;
    }
    finish(response, &status, head).await
}

/// The theme's 404 page; while there is no site at all, the "not yet available" page. The caller
/// holds the swap lock.
async fn not_found(live: &Live, status: &Status, head: bool) -> Response {
    let output = &live.0.output;
    let panel = status.panel.as_ref().map(|panel| panel.html.as_str());
    let (code, page) = match tokio::fs::read(output.join("404.html")).await {
        Ok(bytes) => {
            let page = String::from_utf8_lossy(&bytes);
            (
                StatusCode::NOT_FOUND,
                overlay::inject(&page, &status.generation, panel),
            )
        }
        Err(_) if !output.join("index.html").is_file() => (
            StatusCode::SERVICE_UNAVAILABLE,
            overlay::unavailable_page(&status.words, &status.generation, panel),
        ),
        Err(_) => (
            StatusCode::NOT_FOUND,
            overlay::unavailable_page(&status.words, &status.generation, panel),
        ),
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    preview_headers(&mut headers);
    let body = if head {
        Body::empty()
    } else {
        Body::from(page)
    };
    (code, headers, body).into_response()
}

/// Adds the preview to HTML pages and the character set to text files.
async fn finish(response: Response, status: &Status, head: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    preview_headers(&mut parts.headers);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !content_type.starts_with("text/html") || !parts.status.is_success() {
        if let Some(value) = with_charset(&content_type) {
            parts.headers.insert(header::CONTENT_TYPE, value);
        }
        return Response::from_parts(parts, body);
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    for name in [
        header::CONTENT_LENGTH,
        header::LAST_MODIFIED,
        header::ETAG,
        header::ACCEPT_RANGES,
    ] {
        parts.headers.remove(name);
    }
    if head {
        return Response::from_parts(parts, Body::empty());
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let panel = status.panel.as_ref().map(|panel| panel.html.as_str());
    let html = overlay::inject(&page, &status.generation, panel);
    Response::from_parts(parts, Body::from(html))
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

/// A request path (after the deployment path) that stays inside the output folder: no `..` or `.`
/// segment and no backslash or NUL, once percent-decoded. tower-http checks this too; this check is
/// ours, so it holds whatever serves the files.
fn is_safe(path: &str) -> bool {
    let Some(decoded) = percent_decode(path) else {
        return false;
    };
    !decoded.contains(['\\', '\0'])
        && decoded
            .split('/')
            .all(|segment| segment != ".." && segment != ".")
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "%zz",
            "%c0%ae%c0%ae/site.toml",
        ] {
            assert!(!is_safe(bad), "{bad}");
        }
        for good in [
            "",
            "impegni/",
            "assets/css/carta.css",
            "contatti/index.html",
            "%C3%A0/",
            "a..b/",
        ] {
            assert!(is_safe(good), "{good}");
        }
    }

    #[test]
    fn adds_a_charset_to_text_types_only() {
        assert_eq!(with_charset("text/css").unwrap(), "text/css; charset=utf-8");
        assert!(with_charset("font/woff2").is_none());
        assert!(with_charset("text/html; charset=utf-8").is_none());
    }
}
