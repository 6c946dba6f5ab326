//! Watching the project for `carta serve`: notify and notify-debouncer-full live here and nowhere
//! else.
//!
//! Watches `site.toml`, `content/` and `themes/`, waits until a burst of events has been quiet for
//! [`DEBOUNCE`] (an editor's save is often several: write a temporary file, rename it over the old
//! one, change its mode), drops editors' scratch files and events that change nothing, and says
//! what a change affects: the content only, or everything (a theme or `site.toml`).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::is_scratch_file;

/// How long the files must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often the debouncer looks for quiet files.
const TICK: Duration = Duration::from_millis(10);

/// What changed since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Change {
    /// A theme or `site.toml` changed: load and render everything again.
    pub(crate) everything: bool,
    /// The changed files, relative to the project folder.
    pub(crate) paths: BTreeSet<PathBuf>,
}

impl Change {
    fn merge(&mut self, other: Change) {
        self.everything |= other.everything;
        self.paths.extend(other.paths);
    }
}

/// What [`Watcher::wait`] returns.
#[derive(Debug)]
pub(crate) enum Next {
    Change(Change),
    /// The watcher reported a problem (for example too many watched folders).
    Failed(String),
    /// [`Stopper::stop`] was called.
    Stopped,
}

enum Message {
    Events(DebounceEventResult),
    Stop,
}

/// The project's watcher. Dropping it stops watching.
pub(crate) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    receiver: Receiver<Message>,
    /// Problems not yet returned by [`Watcher::wait`].
    failures: Vec<String>,
}

/// Ends [`Watcher::wait`] from another thread.
#[derive(Clone)]
pub(crate) struct Stopper(Sender<Message>);

impl Stopper {
    pub(crate) fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

/// The project's folders watched recursively: the content, a theme of its own, and the overrides
/// of the theme's templates and static files.
const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Starts watching the project at `root`.
pub(crate) fn watch(root: &Path) -> Result<(Watcher, Stopper), String> {
    let root = root.canonicalize().map_err(|error| {
        format!(
            "impossibile leggere la cartella del progetto {}: {error}",
            root.display()
        )
    })?;
    let (sender, receiver) = channel();
    let events = sender.clone();
    let debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result| {
        let _ = events.send(Message::Events(result));
    })
    .map_err(|error| format!("impossibile osservare i file del progetto: {error}"))?;
    let mut watcher = Watcher {
        root,
        debouncer,
        receiver,
        failures: Vec::new(),
    };
    // The project folder itself, not recursively: `site.toml` is often saved by renaming a
    // temporary file over it, and the watched folders may appear later.
    let root = watcher.root.clone();
    watcher
        .debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|error| format!("impossibile osservare {}: {error}", root.display()))?;
    for folder in WATCHED {
        watcher.watch_folder(folder)?;
    }
    Ok((watcher, Stopper(sender)))
}

impl Watcher {
    fn watch_folder(&mut self, folder: &str) -> Result<(), String> {
        let path = self.root.join(folder);
        if !path.is_dir() {
            return Ok(());
        }
        self.debouncer
            .watch(&path, RecursiveMode::Recursive)
            .map_err(|error| format!("impossibile osservare {}: {error}", path.display()))
    }

    /// Waits for the next change that matters, merging every batch already waiting.
    pub(crate) fn wait(&mut self) -> Next {
        loop {
            if !self.failures.is_empty() {
                return Next::Failed(std::mem::take(&mut self.failures).join("; "));
            }
            let Ok(first) = self.receiver.recv() else {
                return Next::Stopped;
            };
            let mut change = Change::default();
            let mut message = Some(first);
            while let Some(current) = message.take() {
                match current {
                    Message::Stop => return Next::Stopped,
                    Message::Events(Ok(events)) => {
                        for event in events {
                            change.merge(self.classify(&event.event.kind, &event.event.paths));
                        }
                    }
                    Message::Events(Err(errors)) => {
                        self.failures.extend(errors.iter().map(ToString::to_string));
                    }
                }
                message = self.receiver.try_recv().ok();
            }
            if !change.paths.is_empty() {
                return Next::Change(change);
            }
        }
    }

    fn classify(&mut self, kind: &EventKind, paths: &[PathBuf]) -> Change {
        let mut change = Change::default();
        if !changes_something(kind) {
            return change;
        }
        for path in paths {
            let Ok(relative) = path.strip_prefix(&self.root) else {
                continue;
            };
            // A watched folder created again (a checkout, a copy): watch the new folder.
            if let Some(folder) = relative.to_str().filter(|name| WATCHED.contains(name))
                && let Err(error) = self.watch_folder(folder)
            {
                self.failures.push(error);
            }
            match affects(relative) {
                Some(Affects::Content) => {}
                Some(Affects::Everything) => change.everything = true,
                None => continue,
            }
            change.paths.insert(relative.to_path_buf());
        }
        change
    }
}

/// Reading a file, or changing only its mode or times, changes nothing in the site; a build's own
/// reads must not start another build.
fn changes_something(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affects {
    Content,
    Everything,
}

/// What a changed path (relative to the project) affects, if anything.
fn affects(relative: &Path) -> Option<Affects> {
    let names: Vec<&str> = relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => name.to_str().unwrap_or(""),
            _ => "",
        })
        .collect();
    // The record of the overrides is hidden, as scratch files are, but the site depends on it.
    if names == [crate::theme::upgrade::RECORD] {
        return Some(Affects::Everything);
    }
    if names
        .iter()
        .any(|name| name.is_empty() || is_scratch_file(name))
    {
        return None;
    }
    match names.as_slice() {
        ["site.toml"] => Some(Affects::Everything),
        ["content", ..] => Some(Affects::Content),
        // Of the theme's npm packages, only Bootstrap Italia's built files are part of the site.
        ["themes", _, "node_modules", "bootstrap-italia", "dist", ..] => Some(Affects::Everything),
        ["themes", _, "node_modules", ..] => None,
        ["themes", ..] => Some(Affects::Everything),
        // The project's overrides of the theme, and the record of where they came from.
        ["templates", ..] | ["static", ..] => Some(Affects::Everything),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_changes_by_what_they_affect() {
        let cases = [
            ("site.toml", Some(Affects::Everything)),
            ("content/chapters/01-intro.md", Some(Affects::Content)),
            ("content/data/commitments.yaml", Some(Affects::Content)),
            ("content", Some(Affects::Content)),
            ("content/chapters/.01-intro.md.swp", None),
            ("content/chapters/01-intro.md~", None),
            ("content/chapters/4913", None),
            ("themes/agid/templates/base.html", Some(Affects::Everything)),
            ("themes/agid/strings.toml", Some(Affects::Everything)),
            ("templates/partials/footer.html", Some(Affects::Everything)),
            ("static/css/comune.css", Some(Affects::Everything)),
            (".carta-theme.toml", Some(Affects::Everything)),
            (
                "themes/agid/node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css",
                Some(Affects::Everything),
            ),
            ("themes/agid/node_modules/.package-lock.json", None),
            ("themes/agid/node_modules/popper/index.js", None),
            ("public/index.html", None),
            (".carta-build-x1/index.html", None),
            ("site.toml.tmp", None),
            ("README.md", None),
        ];
        for (path, expected) in cases {
            assert_eq!(affects(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn reads_and_mode_changes_change_nothing() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RenameMode};
        assert!(!changes_something(&EventKind::Access(AccessKind::Read)));
        assert!(!changes_something(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_something(&EventKind::Modify(
            ModifyKind::Metadata(MetadataKind::Permissions)
        )));
        assert!(changes_something(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_something(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(changes_something(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(changes_something(&EventKind::Create(CreateKind::File)));
    }
}
