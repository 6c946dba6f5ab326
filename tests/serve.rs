//! `carta serve`: the real binary on a free port, fetched over HTTP while the test edits, breaks and
//! fixes the content the way editors do (writing a temporary file and renaming it into place).
//!
//! Every wait is bounded (the test polls the server; the pages never do) so a loaded machine makes
//! the test slower, not flaky. The server is always killed at the end, even when a check fails.
#![cfg(feature = "serve")]
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Project, norm, select_all, single, snapshot, text_of};
use scraper::Html;

/// Longest wait for anything: the first build, a rebuild, the stop.
const PATIENCE: Duration = Duration::from_secs(20);

// ---- The server ---------------------------------------------------------------------------------

struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `carta serve --port 0` (the system picks a free port) and waits for its address.
    fn start(project: &Project, output: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_carta"))
            .arg("serve")
            .arg("--root")
            .arg(project.root())
            .arg("--output")
            .arg(output)
            .args(["--port", "0", "--color", "never"])
            .args(extra)
            .current_dir(project.parent())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start carta serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), stdout.clone());
        collect(child.stderr.take().unwrap(), stderr.clone());
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
        };
        let port = server.wait_for("the preview's address", || {
            let out = server.stdout.lock().unwrap();
            let start = out.find("anteprima su http://127.0.0.1:")?
                + "anteprima su http://127.0.0.1:".len();
            let digits: String = out[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u16>().ok()
        });
        server.port = port;
        server
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Polls `check` every 50 ms until it gives a value; fails after [`PATIENCE`].
    fn wait_for<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(value) = check() {
                return value;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "gave up waiting for {what} after {PATIENCE:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, target: &str) -> Response {
        request(self.port, "GET", target)
    }

    /// Polls `target` until `check` accepts the response.
    fn wait_for_page(
        &self,
        what: &str,
        target: &str,
        check: impl Fn(&Response) -> bool,
    ) -> Response {
        self.wait_for(what, || Some(self.get(target)).filter(|r| check(r)))
    }

    /// Ctrl-C, then waits for the process to end; returns its exit code.
    fn interrupt(&mut self) -> Option<i32> {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for carta serve") {
                return status.code();
            }
            assert!(
                started.elapsed() < PATIENCE,
                "carta serve did not stop within {PATIENCE:?} of Ctrl-C\n--- stderr\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
}

// ---- HTTP, by hand, so that requests go out exactly as written -----------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }
}

fn request(port: u16, method: &str, target: &str) -> Response {
    exchange(
        port,
        &format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )
}

/// Sends `raw` (a whole request, as written) on a new connection and reads until the server closes
/// it.
fn exchange(port: u16, raw: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to carta serve");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let (status, headers) = parse_head(&String::from_utf8_lossy(&raw[..split]));
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v == "chunked")
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn parse_head(head: &str) -> (u16, BTreeMap<String, String>) {
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    (status, headers)
}

/// Reads a response head from a connection that stays open; the body is left to the caller.
fn read_head(reader: &mut impl BufRead) -> (u16, BTreeMap<String, String>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).expect("read a response head");
        assert!(
            read > 0,
            "the connection closed before a response: {head:?}"
        );
        if line == "\r\n" {
            return parse_head(head.trim_end());
        }
        head.push_str(&line);
    }
}

/// Reads one response whose length is in `Content-Length`, leaving the connection open.
fn read_response(reader: &mut impl BufRead) -> Response {
    let (status, headers) = read_head(reader);
    let length: usize = headers
        .get("content-length")
        .and_then(|value| value.parse().ok())
        .expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("read the body");
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// The `state` events of `/__carta/events`, as they arrive: (generation, panel HTML).
fn events(port: u16) -> Receiver<(String, Option<String>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the event stream");
    write!(
        stream,
        "GET /__carta/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        let mut is_state = false;
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if line == "event: state" {
                is_state = true;
            } else if let Some(data) = line.strip_prefix("data: ").filter(|_| is_state) {
                is_state = false;
                let value: serde_json::Value = serde_json::from_str(data).expect("JSON state");
                let generation = value["generation"].as_str().unwrap_or_default().to_string();
                let panel = value["panel"].as_str().map(str::to_string);
                if sender.send((generation, panel)).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

/// Waits for a state event that `wanted` accepts (a save may take more than one rebuild, and an
/// unchanged rebuild repeats the state).
fn wait_event(
    events: &Receiver<(String, Option<String>)>,
    what: &str,
    wanted: impl Fn(&str, Option<&str>) -> bool,
) -> (String, Option<String>) {
    let started = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(started.elapsed());
        let (generation, panel) = events
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no state event for {what} within {PATIENCE:?}"));
        if wanted(&generation, panel.as_deref()) {
            return (generation, panel);
        }
    }
}

/// The page as `carta build` writes it: the response without the preview's stylesheet and script.
fn without_preview(body: &str) -> String {
    let link = "<link rel=\"stylesheet\" href=\"/__carta/serve.css\">";
    let mut page = body.replacen(link, "", 1);
    let start = page
        .find("<script src=\"/__carta/live.js\"")
        .expect("the reload script");
    let end = start + page[start..].find("</script>").unwrap() + "</script>".len();
    page.replace_range(start..end, "");
    without_policy(&page)
}

/// A page without the `meta` element of its Content-Security-Policy, which the preview changes.
fn without_policy(page: &str) -> String {
    let mut page = page.to_string();
    if let Some(start) = page.find("<meta http-equiv=\"Content-Security-Policy\"") {
        let end = start + page[start..].find('>').unwrap() + 1;
        page.replace_range(start..end, "");
    }
    page
}

/// Saves like many editors do: writes a temporary file next to the target, then renames it over.
fn save_by_rename(project: &Project, relative: &str, text: &str) {
    let target = project.path(relative);
    let name = target.file_name().unwrap().to_string_lossy().into_owned();
    let temporary = target.with_file_name(format!(".{name}.swp"));
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &target).unwrap();
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.is_some())
        .map(|(path, _)| path)
        .collect()
}

// ---- Tests --------------------------------------------------------------------------------------

#[test]
fn serve_previews_edits_shows_errors_recovers_and_stops_cleanly() {
    let project = Project::default_copy();
    let output = project.output("public");
    let secret = project.parent().join("segreto.txt");
    std::fs::write(&secret, "contenuto riservato 7f3a").unwrap();
    let project_files = files_under(project.root());
    let mut server = Server::start(&project, &output, &[]);

    // Pages: the files `carta build` writes, plus the preview's stylesheet and script.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), "no-store");
    let on_disk = std::fs::read_to_string(output.join("index.html")).unwrap();
    assert!(
        !on_disk.contains("__carta"),
        "the preview is never written to disk"
    );
    assert_eq!(without_preview(&home.text()), without_policy(&on_disk));
    // The built page runs no script; the preview lets its own reload script, and it alone, run:
    // the header and the page's own policy name its nonce.
    let policy = home.header("content-security-policy");
    let served = home.html();
    let meta = single(&served, "head > meta[http-equiv=Content-Security-Policy]");
    assert_eq!(meta.value().attr("content"), Some(policy));
    let reload = single(&served, "script[src='/__carta/live.js']");
    let nonce = reload.value().attr("nonce").expect("the script's nonce");
    assert!(nonce.len() >= 32, "{nonce}");
    assert!(
        policy.contains(&format!("script-src 'nonce-{nonce}'")),
        "{policy}"
    );
    assert!(!policy.contains("script-src 'none'"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
    let built = scraper::Html::parse_document(&on_disk);
    let built_policy = single(&built, "head > meta[http-equiv=Content-Security-Policy]")
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(built_policy.contains("script-src 'none'"), "{built_policy}");
    assert_eq!(
        policy.replace(&format!("'nonce-{nonce}'"), "'none'"),
        built_policy
    );
    assert!(select_all(&home.html(), "#carta-serve-panel").is_empty());

    let css = server.get("/assets/css/carta.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert_eq!(
        css.body,
        std::fs::read(output.join("assets/css/carta.css")).unwrap()
    );
    let script = server.get("/__carta/live.js");
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(
        script.text().contains("EventSource"),
        "pushed, never polled"
    );

    let folder = server.get("/impegni");
    assert!(matches!(folder.status, 301 | 307 | 308), "{folder:?}");
    assert_eq!(folder.header("location"), "/impegni/");

    // The theme's 404 page, for missing pages and for every way out of the output folder.
    let missing = server.get("/non-esiste/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(text_of(single(&missing.html(), "h1")), "Pagina non trovata");
    for target in [
        "/../segreto.txt",
        "/../project/site.toml",
        "/../../segreto.txt",
        "/%2e%2e/segreto.txt",
        "/%2E%2E/project/site.toml",
        "/..%2fsegreto.txt",
        "/%2e%2e%2fsegreto.txt",
        "/assets/..%2f..%2fsegreto.txt",
        "/assets/%2e%2e/%2e%2e/segreto.txt",
        "/..%5csegreto.txt",
        "/..\\segreto.txt",
        "/%252e%252e/segreto.txt",
        "//segreto.txt",
        "/./../segreto.txt",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}: {}", response.status);
        assert!(!response.text().contains("7f3a"), "{target} leaked a file");
        assert!(
            !response.text().contains("base_url"),
            "{target} leaked site.toml"
        );
    }

    let events = events(server.port);
    let (generation, _) = wait_event(&events, "the connection", |_, panel| panel.is_none());
    assert!(
        home.text()
            .contains(&format!("data-generation=\"{generation}\""))
    );

    // A chapter saved through a temporary file: the new text is served and the pages are told to
    // reload.
    let chapter = "content/chapters/01-il-valore-del-servizio.md";
    let text = project.read(chapter);
    let edited = text.replacen(
        "\n## ",
        "\n## Novità\n\nUn paragrafo scritto adesso.\n\n## ",
        1,
    );
    assert_ne!(text, edited);
    save_by_rename(&project, chapter, &edited);
    server.wait_for_page("the edited chapter", "/il-valore-del-servizio/", |r| {
        r.text().contains("Un paragrafo scritto adesso.")
    });
    let (reloaded, _) = wait_event(&events, "the reload message", |new, panel| {
        new != generation && panel.is_none()
    });

    // A broken YAML file: the last good site is still served, with the panel over it.
    let commitments = "content/data/commitments.yaml";
    let good = project.read(commitments);
    let broken = good.replacen("commitments:", "commitments: [", 1);
    save_by_rename(&project, commitments, &broken);
    let page = server.wait_for_page("the error panel", "/impegni/", |r| {
        r.text().contains("carta-serve-panel")
    });
    assert_eq!(page.status, 200);
    let html = page.html();
    let panel = single(&html, "#carta-serve-panel");
    assert_eq!(panel.value().attr("role"), Some("alertdialog"));
    assert_eq!(panel.value().attr("aria-modal"), Some("true"));
    assert_eq!(panel.value().attr("lang"), Some("it"));
    let title_id = panel.value().attr("aria-labelledby").unwrap();
    assert_eq!(
        text_of(single(&html, &format!("#{title_id}"))),
        "La pagina non è aggiornata: c'è un errore"
    );
    let place = text_of(single(&html, "#carta-serve-panel .carta-serve-head code"));
    assert_eq!(place, "content/data/commitments.yaml:2:3", "file:line:col");
    assert!(
        text_of(single(&html, "#carta-serve-panel .carta-serve-hint"))
            .contains("se una `[` o una `{` sopra è rimasta aperta per errore"),
        "the hint is in the panel"
    );
    assert!(
        select_all(&html, "#carta-serve-panel .carta-serve-source").len() == 1,
        "the source line is quoted"
    );
    assert_eq!(
        text_of(single(&html, "main h1")),
        "Impegni e standard di qualità",
        "the old page is still served under the panel"
    );
    let (same, _) = wait_event(&events, "the panel", |_, panel| {
        panel.is_some_and(|panel| panel.contains("commitments.yaml:2:3"))
    });
    assert_eq!(
        same, reloaded,
        "no reload: the site on disk is the last good one"
    );
    server.wait_for("the error in the terminal", || {
        server
            .stderr()
            .contains("--> content/data/commitments.yaml:2:3")
            .then_some(())
    });

    // Fixed (with a change): the page reloads by itself and the panel is gone.
    let fixed = good.replacen("service: \"", "service: \"Servizio corretto - ", 1);
    save_by_rename(&project, commitments, &fixed);
    let page = server.wait_for_page("the fixed page", "/impegni/", |r| {
        r.text().contains("Servizio corretto - ")
    });
    assert!(
        !page.text().contains("carta-serve-panel"),
        "no panel once fixed"
    );
    wait_event(&events, "the reload after the fix", |new, panel| {
        new != reloaded && panel.is_none()
    });

    // What serve wrote after these incremental rebuilds is what a full build writes.
    let full = project.output("full");
    project.build(&full, &[]).assert_success();
    assert!(
        snapshot(&output) == snapshot(&full),
        "the served site differs from a full build"
    );

    // Ctrl-C: a clean stop, nothing left behind, nothing written outside the output folder.
    assert_eq!(server.interrupt(), Some(0), "stderr:\n{}", server.stderr());
    assert!(server.stdout().contains("carta: anteprima chiusa"));
    assert_eq!(
        common::entries(project.parent()),
        ["full", "project", "public", "segreto.txt"],
        "no staging folders left next to the output"
    );
    assert_eq!(
        files_under(project.root()),
        project_files,
        "serve wrote into the project"
    );
}

#[test]
fn serve_without_a_site_yet_shows_the_errors_then_the_site() {
    let project = Project::default_copy();
    let organization = "content/data/organization.yaml";
    let good = project.read(organization);
    project.write(organization, &good.replacen("people:", "people: [", 1));
    let output = project.output("public");
    let server = Server::start(&project, &output, &[]);
    assert!(
        server
            .stderr()
            .contains("--> content/data/organization.yaml:2:3"),
        "{}",
        server.stderr()
    );

    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = page.html();
    assert_eq!(
        text_of(single(&html, "h1")),
        "Anteprima non ancora disponibile"
    );
    assert_eq!(
        single(&html, "#carta-serve-panel").value().attr("role"),
        Some("alertdialog")
    );

    project.write(organization, &good);
    let page = server.wait_for_page("the site", "/", |r| r.status == 200);
    assert!(!page.text().contains("carta-serve-panel"));
    assert!(output.join("index.html").is_file());
}

#[test]
fn a_broken_link_or_anchor_shows_in_the_error_panel_and_the_last_good_site_stays() {
    let project = Project::default_copy();
    let output = project.output("public");
    let server = Server::start(&project, &output, &[]);
    let chapter = "content/chapters/01-il-valore-del-servizio.md";
    let good = project.read(chapter);
    let broken = good.replacen(
        "\n## ",
        "\nVedi [i reclami](04-rapporto-con-il-cittadino.md#4-1-reclamo) e \
         [il rapporto](/rapporto-con-i-cittadini/).\n\n## ",
        1,
    );
    save_by_rename(&project, chapter, &broken);
    let page = server.wait_for_page("the error panel", "/il-valore-del-servizio/", |r| {
        r.text().contains("carta-serve-panel")
    });
    let html = page.html();
    let items: Vec<(String, String, String)> =
        select_all(&html, "#carta-serve-panel .carta-serve-item")
            .into_iter()
            .map(|item| {
                let part = |selector: &str| {
                    let selector = scraper::Selector::parse(selector).unwrap();
                    item.select(&selector)
                        .next()
                        .map(text_of)
                        .unwrap_or_default()
                };
                (
                    part(".carta-serve-head strong"),
                    part(".carta-serve-head code"),
                    part(".carta-serve-message"),
                )
            })
            .collect();
    let line = broken
        .lines()
        .position(|line| line.starts_with("Vedi [i reclami]"))
        .unwrap()
        + 1;
    let column = |needle: &str| broken.lines().nth(line - 1).unwrap().find(needle).unwrap() + 1;
    assert_eq!(
        items,
        [
            (
                "Errore E154".to_string(),
                format!("{chapter}:{line}:{}", column("04-")),
                "l'ancora #4-1-reclamo non esiste nella pagina /rapporto-con-il-cittadino/"
                    .to_string()
            ),
            (
                "Errore E154".to_string(),
                format!("{chapter}:{line}:{}", column("/rapporto-con-i-")),
                "il link porta a un indirizzo che non esiste nel sito: /rapporto-con-i-cittadini/"
                    .to_string()
            ),
        ]
    );
    let published = std::fs::read_to_string(output.join("il-valore-del-servizio/index.html"));
    assert!(
        !published.unwrap().contains("4-1-reclamo"),
        "the broken link is not published"
    );

    save_by_rename(&project, chapter, &good);
    server.wait_for_page("the panel gone", "/il-valore-del-servizio/", |r| {
        !r.text().contains("carta-serve-panel")
    });
}

#[test]
fn serve_uses_the_path_of_base_url() {
    let project = Project::default_copy();
    project.replace(
        "site.toml",
        "base_url = \"https://cartaservizi.comune.fi.it/\"",
        "base_url = \"https://www.comune.fi.it/carta/dsi/\"",
    );
    let output = project.output("public");
    let server = Server::start(&project, &output, &[]);
    assert!(server.stdout().contains("/carta/dsi/ (Ctrl-C per uscire)"));

    let root = server.get("/");
    assert!(matches!(root.status, 307 | 308), "{root:?}");
    assert_eq!(root.header("location"), "/carta/dsi/");
    let home = server.get("/carta/dsi/");
    assert_eq!(home.status, 200);
    let links: Vec<String> = select_all(&home.html(), "a[href^='/carta/dsi/impegni']")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(!links.is_empty(), "links carry the deployment path");
    assert_eq!(server.get(&links[0]).status, 200);
    let folder = server.get("/carta/dsi/impegni");
    assert_eq!(folder.header("location"), "/carta/dsi/impegni/");
    assert_eq!(
        server.get("/impegni/").status,
        404,
        "outside the deployment path"
    );
    assert_eq!(server.get("/carta/dsi/../../carta/dsi/").status, 404);
}

#[test]
fn serve_refuses_a_busy_port_plainly() {
    let project = Project::default_copy();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = common::carta(
        project.parent(),
        &[
            "serve",
            "--root",
            project.root().to_str().unwrap(),
            "--port",
            &port,
        ],
    );
    run.assert_code(common::EXIT_USAGE_OR_IO);
    assert!(
        norm(&run.stderr).contains("la porta è già usata da un altro programma"),
        "{}",
        run.stderr
    );
    assert!(
        !project.output("public").exists() && !project.path("public").exists(),
        "nothing built when the server cannot start"
    );
}

#[test]
fn serve_refuses_a_foreign_output_folder_like_build() {
    let project = Project::default_copy();
    let foreign = project.output("documenti");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("tesi.odt"), "x").unwrap();
    let run = common::carta(
        project.parent(),
        &[
            "serve",
            "--root",
            project.root().to_str().unwrap(),
            "--output",
            foreign.to_str().unwrap(),
            "--port",
            "0",
            "--color",
            "never",
        ],
    );
    run.assert_code(common::EXIT_USAGE_OR_IO);
    assert_eq!(run.diagnostics()[0].code, "E200", "{}", run.stderr);
    assert_eq!(common::entries(&foreign), ["tesi.odt"], "left untouched");
    assert!(
        !run.stdout.contains("anteprima su"),
        "no server without a site"
    );
}

#[test]
fn editor_scratch_files_are_not_content() {
    let project = Project::default_copy();
    // Emacs' lock file is a dangling symbolic link named like a chapter.
    std::os::unix::fs::symlink(
        "utente@host.1234",
        project.path("content/chapters/.#01-il-valore-del-servizio.md"),
    )
    .unwrap();
    project.write("content/chapters/01-il-valore-del-servizio.md~", "vecchio");
    project.write("content/data/.commitments.yaml.swp", "\u{0}binario");
    project.write("content/data/4913", "");
    let run = project.build(&project.output("public"), &[]);
    run.assert_success();
    assert!(
        run.diagnostics().is_empty(),
        "scratch files are neither read nor reported: {}",
        run.stderr
    );
}

#[test]
fn serve_never_follows_symbolic_links() {
    let project = Project::default_copy();
    let output = project.output("public");
    let outside = project.parent();
    std::fs::write(outside.join("segreto.txt"), "contenuto riservato 7f3a").unwrap();
    std::fs::create_dir(outside.join("riservata")).unwrap();
    std::fs::write(outside.join("riservata/dati.txt"), "riservato b91c").unwrap();
    std::fs::write(
        outside.join("riservata/index.html"),
        "<p>riservato b91c</p>",
    )
    .unwrap();
    let server = Server::start(&project, &output, &[]);

    // Links placed in the output folder after the build: to a file and a folder outside it
    // (absolute and relative), and to a file inside it.
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, output.join(name));
    link(&outside.join("segreto.txt"), "collegamento.txt").unwrap();
    link(Path::new("../segreto.txt"), "relativo.txt").unwrap();
    link(&outside.join("riservata"), "cartella").unwrap();
    link(Path::new("../riservata"), "assets/sopra").unwrap();
    link(Path::new("assets/css/carta.css"), "alias.css").unwrap();
    for target in [
        "/collegamento.txt",
        "/%63ollegamento.txt",
        "/relativo.txt",
        "/cartella/dati.txt",
        "/cartella/",
        "/cartella/index.html",
        "/cartella",
        "/assets/sopra/dati.txt",
        "/assets/sopra/",
        "/assets%2fsopra%2fdati.txt",
        "/alias.css",
    ] {
        for method in ["GET", "HEAD"] {
            let response = request(server.port, method, target);
            assert_eq!(response.status, 404, "{method} {target}: {response:?}");
            let text = response.text();
            assert!(
                !text.contains("7f3a") && !text.contains("b91c"),
                "{method} {target} leaked the target of a link"
            );
            assert_ne!(response.header("content-length"), "24", "{target}");
        }
    }
    // The files themselves are served as before.
    assert_eq!(server.get("/assets/css/carta.css").status, 200);

    // A link in place of the theme's 404 page is not read either.
    std::fs::remove_file(output.join("404.html")).unwrap();
    link(&outside.join("segreto.txt"), "404.html").unwrap();
    let missing = server.get("/non-esiste/");
    assert_eq!(missing.status, 404);
    assert!(
        !missing.text().contains("7f3a"),
        "the 404 page followed a link"
    );
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
}

#[test]
fn serve_answers_only_its_own_address() {
    let project = Project::default_copy();
    let server = Server::start(&project, &project.output("public"), &[]);
    let port = server.port;
    let ask = |target: &str, host: Option<&str>| {
        let host = host
            .map(|host| format!("Host: {host}\r\n"))
            .unwrap_or_default();
        exchange(
            port,
            &format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
        )
    };

    // A page of another site whose name now points here (DNS rebinding) sends its own name.
    for (target, host) in [
        ("/", Some("evil.example".to_string())),
        ("/", Some(format!("evil.example:{port}"))),
        (
            "/assets/css/carta.css",
            Some(format!("evil.example:{port}")),
        ),
        ("/__carta/live.js", Some(format!("evil.example:{port}"))),
        ("/__carta/events", Some(format!("evil.example:{port}"))),
        ("/", Some(format!("127.0.0.1:{}", port.wrapping_add(1)))),
        ("/", Some(format!("localhost.evil.example:{port}"))),
        ("/", None),
    ] {
        let response = ask(target, host.as_deref());
        assert_eq!(response.status, 421, "{target} with Host {host:?}");
        assert_eq!(response.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(
            response.text(),
            format!(
                "indirizzo non ammesso: l'anteprima risponde solo su http://127.0.0.1:{port}/\n"
            )
        );
    }
    // A request in absolute form is judged by the address it names too.
    let absolute = exchange(
        port,
        &format!(
            "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(absolute.status, 421);

    // The addresses of this computer's loopback, by number or as localhost.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let home = ask("/", Some(&host));
        assert_eq!(home.status, 200, "Host {host}");
        assert!(home.text().contains("/__carta/live.js"), "Host {host}");
        assert_eq!(ask("/__carta/live.js", Some(&host)).status, 200);
    }
}

#[test]
fn serve_closes_a_connection_that_does_not_finish_its_headers() {
    let project = Project::default_copy();
    let timeout = Duration::from_millis(500);
    let server = Server::start(
        &project,
        &project.output("public"),
        &["--header-timeout-ms", &timeout.as_millis().to_string()],
    );
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let started = Instant::now();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Lento: ",
        server.port
    )
    .unwrap();
    // A byte at a time, as a slow client (or an attack) sends it: the headers never end.
    let mut trickle = stream.try_clone().unwrap();
    std::thread::spawn(move || {
        while trickle.write_all(b"a").is_ok() {
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= timeout - Duration::from_millis(100),
        "closed after {elapsed:?}, before the timeout"
    );
    assert!(
        elapsed < timeout + Duration::from_secs(5),
        "still open after {elapsed:?}"
    );
    assert!(
        !String::from_utf8_lossy(&answer).contains(" 200 "),
        "answered a request that never ended"
    );

    // A complete request still gets its answer, and so does one on a connection kept open.
    assert_eq!(server.get("/").status, 200);
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    for _ in 0..2 {
        write!(
            writer,
            "GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.port
        )
        .unwrap();
        assert_eq!(read_response(&mut reader).status, 200);
    }
}

#[test]
fn serve_streams_a_large_file_whole() {
    let project = Project::default_copy();
    let output = project.output("public");
    // 100 MiB that are not all alike: pseudo-random bytes, each 4 KiB page stamped with its number,
    // so a missing, repeated or misplaced piece shows.
    let size = 100 * 1024 * 1024;
    let mut block = Vec::with_capacity(1024 * 1024);
    let mut state: u32 = 0x2545_f491;
    while block.len() < 1024 * 1024 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        block.extend_from_slice(&state.to_le_bytes());
    }
    let mut data = Vec::with_capacity(size);
    while data.len() < size {
        data.extend_from_slice(&block);
    }
    for (number, page) in data.chunks_mut(4096).enumerate() {
        page[..8].copy_from_slice(&(number as u64).to_le_bytes());
    }
    // A PDF's signature first: the file is a static file of the project, which the build publishes.
    data[..9].copy_from_slice(b"%PDF-1.7\n");
    std::fs::create_dir_all(project.path("static")).unwrap();
    std::fs::write(project.path("static/archivio.pdf"), &data).unwrap();
    let mut server = Server::start(&project, &output, &[]);
    let before = peak_memory(&server);

    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /assets/archivio.pdf HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    assert_eq!(status, 200);
    assert_eq!(headers["content-length"], size.to_string());
    assert_eq!(headers["content-type"], "application/pdf");
    // Every byte compared with the file, as it arrives.
    let mut received = 0;
    let mut buffer = vec![0; 1 << 16];
    loop {
        let read = reader.read(&mut buffer).expect("read the file");
        if read == 0 {
            break;
        }
        assert!(received + read <= size, "more bytes than the file has");
        assert!(
            buffer[..read] == data[received..received + read],
            "the bytes differ from offset {received}"
        );
        received += read;
    }
    assert_eq!(received, size, "the whole file");

    // The file went out in pieces: the server's peak memory did not grow by its size.
    if let (Some(before), Some(after)) = (before, peak_memory(&server)) {
        assert!(
            after < before + 32 * 1024 * 1024,
            "peak memory grew from {before} to {after} bytes"
        );
    }
    assert_eq!(server.interrupt(), Some(0));
}

/// The server's peak resident memory, in bytes (Linux only).
fn peak_memory(server: &Server) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn serve_adds_the_preview_to_pages_larger_than_it_reads_at_once() {
    let project = Project::default_copy();
    let output = project.output("public");
    // A chapter long enough that its page is larger than the part the server reads at once.
    let paragraph = "Un paragrafo molto lungo della carta dei servizi, àèìòù.\n\n";
    project.write(
        "content/chapters/90-grande.md",
        &format!(
            "---\ntitle: Grande\nnumber: \"90\"\norder: 90\n---\n\n{}",
            paragraph.repeat(80_000)
        ),
    );
    let server = Server::start(&project, &output, &[]);
    let page = std::fs::read_to_string(output.join("grande/index.html")).unwrap();
    assert!(page.len() > 4 * 1024 * 1024);
    let response = server.get("/grande/");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(
        response.header("content-length"),
        response.body.len().to_string()
    );
    let text = response.text();
    let body = text.find("<body").unwrap();
    let script = text.find("/__carta/live.js").unwrap();
    assert!(
        script > body && script < body + 1000,
        "the script is right after <body>"
    );
    // The page's policy is served with the preview's nonce (checked in its own test).
    assert_eq!(
        without_policy(&without_preview(&text)),
        without_policy(&page)
    );
}

#[test]
fn serve_answers_small_files_at_once_on_a_kept_alive_connection() {
    let project = Project::default_copy();
    let output = project.output("public");
    // A tiny PNG (1×1), next to the site's stylesheets.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60,
        0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    std::fs::create_dir_all(project.path("static")).unwrap();
    std::fs::write(project.path("static/punto.png"), png).unwrap();
    let server = Server::start(&project, &output, &[]);
    let files = [
        ("assets/css/carta.css", "text/css; charset=utf-8"),
        ("assets/punto.png", "image/png"),
        ("assets/css/ente.css", "text/css; charset=utf-8"),
        ("assets/css/fonts.css", "text/css; charset=utf-8"),
    ];

    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut get = |index: u32| {
        let (file, content_type) = files[index as usize % files.len()];
        // One write, so the request itself is not held back by the client's Nagle.
        let request = format!(
            "GET /{file} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.port
        );
        let sent = Instant::now();
        writer.write_all(request.as_bytes()).unwrap();
        let response = read_response(&mut reader);
        let elapsed = sent.elapsed();
        assert_eq!(response.status, 200, "{file}");
        assert_eq!(response.header("content-type"), content_type, "{file}");
        assert_eq!(response.body, std::fs::read(output.join(file)).unwrap());
        elapsed
    };
    // The first few exchanges of a connection are acknowledged at once by the system: past them,
    // as a browser is after the first page.
    for index in 0..12 {
        get(index);
    }
    let requests: u32 = 20;
    let started = Instant::now();
    let mut times: Vec<Duration> = (0..requests).map(&mut get).collect();
    let total = started.elapsed();
    times.sort();
    // With Nagle's algorithm on, most responses wait about 40 ms for the client's delayed
    // acknowledgement before their body goes out (all of them when the head and the body leave in
    // two writes). On a connection without that wait each takes well under a millisecond.
    assert!(
        total < Duration::from_millis(20) * requests,
        "{requests} requests took {total:?}: {times:?}"
    );
    assert!(
        times[requests as usize / 2] < Duration::from_millis(20),
        "median {:?}: {times:?}",
        times[requests as usize / 2]
    );
}

/// Measures the time from saving a chapter to the reload message, over 20 saves, and prints the
/// median. Not part of the suite (it only measures); run it on a release build with
/// `cargo test --release --test serve -- --ignored --nocapture save_to_reload_latency`.
#[test]
#[ignore]
fn save_to_reload_latency() {
    let project = Project::default_copy();
    let server = Server::start(&project, &project.output("public"), &[]);
    let events = events(server.port);
    let (mut generation, _) = wait_event(&events, "the connection", |_, _| true);
    let chapter = "content/chapters/02-descrizione-del-servizio.md";
    let original = project.read(chapter);
    let mut times = Vec::new();
    for edit in 1..=20 {
        let text = original.replacen(
            "\n## ",
            &format!("\n## Modifica {edit}\n\nTesto.\n\n## "),
            1,
        );
        let saved = Instant::now();
        project.write(chapter, &text);
        let (new, _) = wait_event(&events, "the reload message", |new, panel| {
            new != generation && panel.is_none()
        });
        times.push(saved.elapsed());
        generation = new;
        // Separate saves, as an editor makes them.
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut sorted = times.clone();
    sorted.sort();
    let median = (sorted[9] + sorted[10]) / 2;
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!(
        "save → reload message, 20 saves (ms): {}",
        times.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(" ")
    );
    println!(
        "median {} ms, min {} ms, max {} ms (debounce {} ms)",
        ms(median),
        ms(sorted[0]),
        ms(sorted[19]),
        carta::serve::DEBOUNCE.as_millis()
    );
    // The rebuild times the server printed ("…: 1 pagina rigenerata su 9 in 3 ms; …").
    let mut rebuilds: Vec<u64> = server
        .stdout()
        .lines()
        .filter(|line| line.contains("rigenerat"))
        .filter_map(|line| {
            let (_, after) = line.rsplit_once(" in ")?;
            after.split(' ').next()?.parse().ok()
        })
        .collect();
    rebuilds.sort();
    println!(
        "rebuilds as printed by the server (ms): min {:?}, median {:?}, max {:?}",
        rebuilds.first(),
        rebuilds.get(rebuilds.len() / 2),
        rebuilds.last()
    );
}

#[test]
fn serve_serves_only_what_its_build_wrote_and_never_writes_through_a_planted_link() {
    let project = Project::default_copy();
    let output = project.output("public");
    let outside = project.parent().join("altrui.txt");
    std::fs::write(&outside, "non toccare 5d2e").unwrap();
    let server = Server::start(&project, &output, &[]);

    // Planted after the build: a hard link to the project's site.toml, a plain file, a folder.
    std::fs::hard_link(project.path("site.toml"), output.join("hard.txt")).unwrap();
    std::fs::write(output.join("piantato.html"), "<p>piantato 9c41</p>").unwrap();
    std::fs::create_dir(output.join("cartella")).unwrap();
    std::fs::write(output.join("cartella/index.html"), "<p>piantato 9c41</p>").unwrap();
    let toml = project.read("site.toml");
    for target in [
        "/hard.txt",
        "/piantato.html",
        "/cartella/",
        "/cartella/index.html",
        "/.carta-output",
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}: {response:?}");
        let text = response.text();
        assert!(
            !text.contains("9c41") && !text.contains(toml.lines().next().unwrap()),
            "{target} served a planted file"
        );
    }
    assert_eq!(server.get("/index.html").status, 200);

    // Links at the temporary names an update in place once used, in every page's folder.
    for path in files_under(&output) {
        if path.file_name().is_some_and(|name| name == "index.html") {
            let link = output.join(&path).with_file_name(".index.html.carta-new");
            std::os::unix::fs::symlink(&outside, link).unwrap();
        }
    }
    let chapter = "content/chapters/01-il-valore-del-servizio.md";
    let edited = format!("{}\nUn paragrafo piantato adesso.\n", project.read(chapter));
    save_by_rename(&project, chapter, &edited);
    server.wait_for_page("the edited chapter", "/il-valore-del-servizio/", |r| {
        r.text().contains("Un paragrafo piantato adesso.")
    });
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "non toccare 5d2e",
        "the update wrote through a link"
    );
    let page = output.join("il-valore-del-servizio/index.html");
    assert!(std::fs::symlink_metadata(&page).unwrap().is_file());
    assert!(
        std::fs::symlink_metadata(output.join("il-valore-del-servizio/.index.html.carta-new"))
            .unwrap()
            .is_symlink(),
        "what was planted is left as it was, not used"
    );
}
