//! `carta check --external` against a small HTTP server on 127.0.0.1 started by the test: broken
//! links are warnings at their place, HEAD falls back to GET, slow servers hit the time limit; an
//! address off the public internet (the server's own, on loopback) is not requested unless
//! `--allow-private-addresses` says so.
//! Every address of the test project points at that server; proxies are set to a closed local
//! port, so a request that escaped would fail here instead of reaching the internet.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{EXIT_CONTENT_ERRORS, EXIT_OK, Project, Run, locate};

/// Requests seen by the server: (method, path).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Serves `/ok` (200), `/manca` (404), `/solo-get` (405 to HEAD, 200 to GET) and `/lento` (no
/// answer for 5 s) until the test ends; at most 200 connections.
fn start_server() -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200).flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    (port, seen)
}

fn answer(mut stream: TcpStream, log: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    log.lock().unwrap().push((method.clone(), path.clone()));
    let status = match (method.as_str(), path.as_str()) {
        (_, "/ok") => "200 OK",
        ("HEAD", "/solo-get") => "405 Method Not Allowed",
        ("GET", "/solo-get") => "200 OK",
        (_, "/lento") => {
            std::thread::sleep(Duration::from_secs(5));
            "200 OK"
        }
        _ => "404 Not Found",
    };
    let body = if method == "HEAD" { "" } else { "ok" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        if method == "HEAD" { 2 } else { body.len() }
    );
}

/// Replaces every http(s) address in `text` with `local`, except the accessibility statement.
fn localise(text: &str, local: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("accessibility") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("http://").or_else(|| rest.find("https://")) {
            let start = [rest.find("http://"), rest.find("https://")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(start);
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| c.is_whitespace() || "\")>]".contains(c))
                .unwrap_or(tail.len());
            out.push_str(local);
            rest = &tail[end..];
        }
        out.push_str(rest);
    }
    out
}

fn project_on(port: u16) -> Project {
    let project = Project::default_copy();
    let local = format!("http://127.0.0.1:{port}/ok");
    let mut files = vec![
        "site.toml".to_string(),
        "content/data/channels.yaml".to_string(),
    ];
    for entry in std::fs::read_dir(project.path("content/chapters")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        files.push(format!("content/chapters/{name}"));
    }
    for file in files {
        let text = project.read(&file);
        project.write(&file, &localise(&text, &local));
    }
    project
}

fn check_offline(project: &Project, extra: &[&str]) -> Run {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_proxy = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let output = Command::new(env!("CARGO_BIN_EXE_carta"))
        .args(["check", "--root"])
        .arg(project.root())
        .args(["--color", "never"])
        .args(extra)
        .env("HTTP_PROXY", &dead_proxy)
        .env("HTTPS_PROXY", &dead_proxy)
        .env("ALL_PROXY", &dead_proxy)
        .env("http_proxy", &dead_proxy)
        .env("https_proxy", &dead_proxy)
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let (port, seen) = start_server();
    let project = project_on(port);
    let chapter = "content/chapters/04-rapporto-con-il-cittadino.md";
    let text = project.read(chapter);
    let addition = format!(
        "\n## Link esterni\n\nVedi [la pagina spostata](http://127.0.0.1:{port}/manca), \
         [il servizio](http://127.0.0.1:{port}/solo-get) e [il portale lento](http://127.0.0.1:{port}/lento).\n"
    );
    project.write(chapter, &format!("{text}{addition}"));
    let text = project.read(chapter);

    let offline = check_offline(&project, &[]);
    offline.assert_code(EXIT_OK);
    assert!(
        seen.lock().unwrap().is_empty(),
        "without --external nothing is requested"
    );

    let started = Instant::now();
    let run = check_offline(
        &project,
        &["--external", "--allow-private-addresses", "--timeout", "1"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "bounded by the time limit: {:?}",
        started.elapsed()
    );
    run.assert_code(EXIT_OK);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 2, "{}", run.stderr);

    let missing = &diagnostics[0];
    let url = format!("http://127.0.0.1:{port}/manca");
    let (line, col) = locate(&text, &format!("({url})"), &url);
    assert_eq!(
        (missing.code.as_str(), missing.severity.as_str()),
        ("W190", "avviso")
    );
    assert_eq!(
        (missing.file.as_deref(), missing.line, missing.col),
        (Some(chapter), Some(line), Some(col))
    );
    assert_eq!(
        missing.message,
        format!("il link esterno {url} non funziona: la pagina non esiste (risposta 404)")
    );
    let slow = &diagnostics[1];
    assert_eq!(slow.code, "W190");
    assert!(
        slow.message
            .ends_with("non funziona: nessuna risposta entro 1 secondi"),
        "{slow:#?}"
    );

    let requests = seen.lock().unwrap().clone();
    assert!(requests.contains(&("HEAD".to_string(), "/solo-get".to_string())));
    assert!(
        requests.contains(&("GET".to_string(), "/solo-get".to_string())),
        "HEAD refused, then GET: {requests:?}"
    );
    let ok_requests = requests.iter().filter(|(_, path)| path == "/ok").count();
    assert_eq!(
        ok_requests, 1,
        "each address is requested once: {requests:?}"
    );

    let strict = check_offline(
        &project,
        &[
            "--external",
            "--allow-private-addresses",
            "--timeout",
            "1",
            "--strict",
        ],
    );
    strict.assert_code(EXIT_CONTENT_ERRORS);
}

#[test]
fn private_addresses_are_refused_at_their_links_unless_allowed() {
    let (port, seen) = start_server();
    let project = project_on(port);
    let chapter = "content/chapters/04-rapporto-con-il-cittadino.md";
    let text = project.read(chapter);
    let addition = format!(
        "\n## Link interni\n\nVedi [il gestionale](http://localhost:{port}/ok), \
         [la rete](http://10.255.255.1:{port}/ok), [i metadati](http://169.254.169.254/latest) e \
         [l'altro](http://[::ffff:127.0.0.1]:{port}/ok).\n"
    );
    project.write(chapter, &format!("{text}{addition}"));
    let text = project.read(chapter);

    let run = check_offline(&project, &["--external", "--timeout", "1"]);
    run.assert_code(EXIT_OK);
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing is requested: {:?}",
        seen.lock().unwrap()
    );
    let diagnostics = run.diagnostics();
    assert!(
        diagnostics.iter().all(|d| d.code == "W220"),
        "{}",
        run.stderr
    );
    let at = |url: &str| {
        let (line, col) = locate(&text, &format!("({url})"), url);
        diagnostics
            .iter()
            .find(|d| {
                d.file.as_deref() == Some(chapter) && d.line == Some(line) && d.col == Some(col)
            })
            .unwrap_or_else(|| panic!("W220 at {url}: {}", run.stderr))
    };
    let localhost = at(&format!("http://localhost:{port}/ok"));
    assert!(
        localhost.message.starts_with(&format!(
            "il link esterno http://localhost:{port}/ok non è stato richiesto: il nome localhost corrisponde a "
        )) && localhost.message.contains("di loopback"),
        "{localhost:#?}"
    );
    assert_eq!(
        at(&format!("http://10.255.255.1:{port}/ok")).message,
        format!(
            "il link esterno http://10.255.255.1:{port}/ok non è stato richiesto: l'indirizzo 10.255.255.1 è di una rete privata (10.0.0.0/8)"
        )
    );
    assert!(
        at("http://169.254.169.254/latest")
            .message
            .ends_with("l'indirizzo 169.254.169.254 è link-local (169.254.0.0/16)")
    );
    assert!(
        at(&format!("http://[::ffff:127.0.0.1]:{port}/ok"))
            .message
            .ends_with("è IPv4 in forma IPv6 (::ffff:0:0/96)")
    );
    // The charter's other links point at the server on 127.0.0.1: refused too, each at its place.
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("l'indirizzo 127.0.0.1 è di loopback")),
        "{}",
        run.stderr
    );
    let strict = check_offline(&project, &["--external", "--timeout", "1", "--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);

    // Allowed, the loopback links are requested and answer.
    let allowed = check_offline(
        &project,
        &["--external", "--allow-private-addresses", "--timeout", "1"],
    );
    assert!(
        allowed.diagnostics().iter().all(|d| d.code != "W220"),
        "{}",
        allowed.stderr
    );
    assert!(!seen.lock().unwrap().is_empty());
}
