//! Serve: `carta serve`, the editors' live preview.
//!
//! Builds the site into the output folder exactly as `carta build` does, serves it over HTTP, and
//! watches `site.toml`, `content/` and `themes/`. After each save it rebuilds, keeping the loaded
//! theme and rendering again only the pages the change affects ([`crate::build::Cache`]), writes
//! only the files that differ, and tells the open pages to reload. When a save breaks the
//! content the last good site stays on disk and in the browser, with the problems in a panel over
//! the page and in the terminal. The preview's script and panel are added to pages as they are
//! sent ([`overlay`]); the files on disk are never changed for the preview.
//!
//! Printing is left to the command layer, through [`Reporter`].

pub(crate) mod http;
pub(crate) mod overlay;
pub(crate) mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::build::{self, BuildOptions, Cache, Site};
use crate::diagnostics::Diagnostics;
use crate::output::OutputFile;
use crate::output::write::{OutputState, update_in_place, write_atomically};
use crate::source::SourceMap;
use crate::theme::{self, ServeWords};

pub(crate) use http::HEADER_TIMEOUT;
pub use watch::DEBOUNCE;

/// What `carta serve` needs to know.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// The project and the output folder, as for `carta build` (`strict` is not used).
    pub(crate) build: BuildOptions,
    pub(crate) bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub(crate) port: u16,
    /// How long a client may take to send a request's headers ([`HEADER_TIMEOUT`] normally).
    pub(crate) header_timeout: Duration,
}

/// What the open pages are told.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// Changes each time a different site is written; pages that show another one reload.
    pub(crate) generation: String,
    /// The deployment path the site is served under (`/`, or the path of `base_url`).
    pub(crate) root_path: String,
    /// The error panel when the last build failed.
    pub(crate) panel: Option<Panel>,
    /// Words for the page shown while there is no site yet.
    pub(crate) words: ServeWords,
    /// The files (relative to the output folder) that this run's last written build wrote: the
    /// only ones served, so nothing else put in the output folder reaches the browser.
    pub(crate) files: Arc<BTreeSet<PathBuf>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Panel {
    pub(crate) html: String,
}

/// What happened, for the command layer to print.
pub(crate) enum Event<'a> {
    /// The first build is done and the server answers at `url`.
    Listening { url: &'a str, output: &'a Path },
    /// A build succeeded. `written` is false when the site came out identical to the one served.
    Built {
        /// The files whose change started it; empty for the first build.
        changed: &'a [PathBuf],
        site: &'a Site,
        written: bool,
        /// The build before this one failed: the panel is gone from the pages.
        recovered: bool,
        elapsed: Duration,
        /// Warnings, if any.
        diagnostics: &'a Diagnostics,
        sources: &'a SourceMap,
    },
    /// A build failed; the previous site is still served.
    Failed {
        changed: &'a [PathBuf],
        diagnostics: &'a Diagnostics,
        sources: &'a SourceMap,
    },
    /// The file watcher reported a problem.
    WatchFailed(&'a str),
}

/// Receives [`Event`]s, from the thread that rebuilds and from the caller's thread.
pub(crate) trait Reporter: Send + Sync {
    fn report(&self, event: Event<'_>);
}

/// Why `carta serve` could not start or stopped with an error.
#[derive(Debug)]
pub(crate) enum ServeError {
    /// The address could not be bound (port in use, not allowed).
    Bind {
        address: SocketAddr,
        error: std::io::Error,
    },
    /// The project's files cannot be watched.
    Watch(String),
    /// The first build could not write the output folder: `carta build` would fail the same way.
    Output {
        diagnostics: Diagnostics,
        sources: Box<SourceMap>,
        /// What the output folder holds now.
        output: OutputState,
    },
    /// The HTTP server failed.
    Server(std::io::Error),
}

/// Builds, serves and rebuilds until Ctrl-C. Returns when the server has stopped and no build is
/// running, so nothing is left half-written.
pub(crate) fn serve(options: &ServeOptions, reporter: Arc<dyn Reporter>) -> Result<(), ServeError> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener =
        TcpListener::bind(address).map_err(|error| ServeError::Bind { address, error })?;
    let address = listener
        .local_addr()
        .map_err(|error| ServeError::Bind { address, error })?;
    let (mut watcher, stopper) = watch::watch(&options.build.root).map_err(ServeError::Watch)?;

    let output = options
        .build
        .output
        .clone()
        .unwrap_or_else(|| options.build.root.join("public"));
    let instance = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|time| time.as_nanos())
        .unwrap_or_default();
    let mut builder = Builder {
        options: options.build.clone(),
        output: output.clone(),
        cache: Cache::kept(),
        instance: format!("{instance:x}"),
        generation: 0,
        attempt: 0,
        written: None,
        served: Arc::default(),
        failing: false,
        theme: "agid".to_string(),
    };
    let live = http::Live::new(output.clone(), builder.status("/".to_string(), None));

    let rebuilding = {
        let live = live.clone();
        let reporter = reporter.clone();
        std::thread::Builder::new()
            .name("carta-rebuild".to_string())
            .spawn(move || -> Result<(), ServeError> {
                if let Err(error) = builder.first(&live, reporter.as_ref()) {
                    live.stop();
                    return Err(error);
                }
                let root_path = live.status().root_path.clone();
                let host = match address.ip() {
                    ip if ip.is_unspecified() => "127.0.0.1".to_string(),
                    IpAddr::V6(ip) => format!("[{ip}]"),
                    IpAddr::V4(ip) => ip.to_string(),
                };
                let url = format!("http://{host}:{}{root_path}", address.port());
                reporter.report(Event::Listening {
                    url: &url,
                    output: &output,
                });
                loop {
                    match watcher.wait() {
                        watch::Next::Change(change) => {
                            let changed: Vec<PathBuf> = change.paths.into_iter().collect();
                            builder.rebuild(&live, reporter.as_ref(), &changed, change.everything);
                        }
                        watch::Next::Failed(message) => {
                            reporter.report(Event::WatchFailed(&message));
                        }
                        watch::Next::Stopped => return Ok(()),
                    }
                }
            })
            .map_err(|error| ServeError::Watch(error.to_string()))?
    };

    let served =
        http::run(listener, live.clone(), options.header_timeout).map_err(ServeError::Server);
    stopper.stop();
    let rebuilt = rebuilding.join().unwrap_or_else(|_| {
        Err(ServeError::Watch(
            "il thread di generazione si è fermato".into(),
        ))
    });
    rebuilt.and(served)
}

/// The rebuilding side: the build cache and what is on disk.
struct Builder {
    options: BuildOptions,
    output: PathBuf,
    cache: Cache,
    /// Tells this run's generations from a previous run's (a page left open across a restart).
    instance: String,
    generation: u64,
    attempt: u64,
    /// The files last written, to skip writing an identical site.
    written: Option<Vec<OutputFile>>,
    /// The paths of the files last written: what the server may serve.
    served: Arc<BTreeSet<PathBuf>>,
    /// The last build failed.
    failing: bool,
    /// The theme of the last build that read `site.toml`, for the panel's words.
    theme: String,
}

impl Builder {
    fn status(&self, root_path: String, panel: Option<Panel>) -> Status {
        Status {
            generation: format!("{}-{}", self.instance, self.generation),
            root_path,
            panel,
            words: theme::serve_words(&self.options.root, &self.theme),
            files: self.served.clone(),
        }
    }

    /// The first build: like `carta build`, except that content errors do not stop the server
    /// (nothing is served but the panel until a build succeeds: only its files are).
    fn first(&mut self, live: &http::Live, reporter: &dyn Reporter) -> Result<(), ServeError> {
        match self.run(live, reporter, &[], true) {
            Err(Fatal {
                diagnostics,
                sources,
                output,
            }) => Err(ServeError::Output {
                diagnostics,
                sources,
                output,
            }),
            Ok(()) => Ok(()),
        }
    }

    fn rebuild(
        &mut self,
        live: &http::Live,
        reporter: &dyn Reporter,
        changed: &[PathBuf],
        everything: bool,
    ) {
        if everything {
            self.cache.forget_theme();
            // A theme's static files may have changed under the same names.
            self.written = None;
        }
        if let Err(Fatal {
            diagnostics,
            sources,
            ..
        }) = self.run(live, reporter, changed, false)
        {
            self.fail(live, reporter, changed, &diagnostics, &sources);
        }
    }

    /// Generates and, if the site changed, writes and publishes it. On the first build a write
    /// failure is returned as fatal; later ones become the panel.
    fn run(
        &mut self,
        live: &http::Live,
        reporter: &dyn Reporter,
        changed: &[PathBuf],
        first: bool,
    ) -> Result<(), Fatal> {
        let started = Instant::now();
        let report = build::generate(&self.options, &mut self.cache);
        let mut diagnostics = report.diagnostics;
        let sources = report.sources;
        let site = match report.result {
            Ok(site) => site,
            Err(build::Outcome::WriteFailed(output)) if first => {
                return Err(Fatal {
                    diagnostics,
                    sources: Box::new(sources),
                    output,
                });
            }
            Err(_) => {
                self.fail(live, reporter, changed, &diagnostics, &sources);
                return Ok(());
            }
        };
        self.theme = site.theme.clone();
        let unchanged = self.written.as_ref() == Some(&site.files);
        if unchanged {
            live.publish(self.status(site.root_path.clone(), None));
        } else {
            // The new files and the status that describes them appear together.
            let files: Arc<BTreeSet<PathBuf>> =
                Arc::new(site.files.iter().map(|file| file.path.clone()).collect());
            let next = Status {
                generation: format!("{}-{}", self.instance, self.generation + 1),
                files: files.clone(),
                ..self.status(site.root_path.clone(), None)
            };
            let written = live.while_no_request(|| {
                let written = match &self.written {
                    // Only the files that changed, when the rest is known to be on disk.
                    Some(previous) => {
                        update_in_place(&self.output, previous, &site.files).map(drop)
                    }
                    None => {
                        write_atomically(&self.options.root, &self.output, &site.files).map(drop)
                    }
                };
                if written.is_ok() {
                    live.publish(next);
                }
                written
            });
            if let Err(error) = written {
                // What is on disk is no longer known: the next build writes the whole site.
                self.written = None;
                let output = error.output_state();
                diagnostics.push(build::write_error(error, &self.output));
                return Err(Fatal {
                    diagnostics,
                    sources: Box::new(sources),
                    output,
                });
            }
            self.generation += 1;
            self.written = Some(site.files.clone());
            self.served = files;
        }
        reporter.report(Event::Built {
            changed,
            site: &site,
            written: !unchanged,
            recovered: std::mem::take(&mut self.failing),
            elapsed: started.elapsed(),
            diagnostics: &diagnostics,
            sources: &sources,
        });
        Ok(())
    }

    fn fail(
        &mut self,
        live: &http::Live,
        reporter: &dyn Reporter,
        changed: &[PathBuf],
        diagnostics: &Diagnostics,
        sources: &SourceMap,
    ) {
        self.attempt += 1;
        self.failing = true;
        let words = theme::serve_words(&self.options.root, &self.theme);
        let panel = Panel {
            html: overlay::panel(diagnostics, sources, &words, self.attempt),
        };
        let root_path = live.status().root_path.clone();
        live.publish(self.status(root_path, Some(panel)));
        reporter.report(Event::Failed {
            changed,
            diagnostics,
            sources,
        });
    }
}

/// A build problem that ends the first build: the output folder cannot be written.
struct Fatal {
    diagnostics: Diagnostics,
    sources: Box<SourceMap>,
    output: OutputState,
}
