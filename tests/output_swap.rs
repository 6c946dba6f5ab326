//! The output folder is replaced by one atomic swap, whatever fails or kills the build: after an
//! injected error or kill at each step of the write (`CARTA_TEST_FAULT`, the write module's test
//! hook) the output path holds exactly one complete site, the previous or the new one, the last
//! line says which, and the next build leaves nothing else next to it. Builds into one folder take
//! turns; an output that is a symbolic link is refused and its target never loses a file.
//!
//! Each case runs the real binary on a copy of the project, whose output folder is
//! `<root>/public`, so the project folder is also the output's parent folder.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{
    EXIT_OK, EXIT_USAGE_OR_IO, Project, Run, carta_command, copy_tree, entries, snapshot,
};

const FAULT: &str = "CARTA_TEST_FAULT";
const UNCHANGED: &str = "carta: scrittura non riuscita; l'output precedente è rimasto com'era";
const OLD_CHAPTER: &str = "content/chapters/09-solo-nella-vecchia.md";
const OLD_TITLE: &str = "title: \"Carta di qualità dei servizi\"";
const NEW_TITLE: &str = "title: \"Carta di qualità dei servizi, nuova edizione\"";

type Tree = BTreeMap<PathBuf, Option<Vec<u8>>>;

/// What the output path holds.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Holds {
    Old,
    New,
    Nothing,
}

/// A project whose output folder holds the site of its previous version, and whose files are the
/// next version: the title changed on every page and one chapter (a whole folder) is gone.
struct Case {
    project: Project,
    output: PathBuf,
    old: Tree,
    new: Tree,
    old_dir: PathBuf,
    /// What the project folder holds after a successful build: its files and `public`.
    clean: Vec<String>,
    _references: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let project = Project::default_copy();
        let references = tempfile::tempdir().unwrap();
        project.write(
            OLD_CHAPTER,
            "---\ntitle: Solo nella vecchia edizione\norder: 9\n---\n\n## Una sezione\n\nTesto tolto nella nuova edizione.\n",
        );
        let old_dir = references.path().join("vecchio");
        project.build(&old_dir, &["-q"]).assert_success();
        std::fs::remove_file(project.path(OLD_CHAPTER)).unwrap();
        project.replace("content/charter.yaml", OLD_TITLE, NEW_TITLE);
        let new_dir = references.path().join("nuovo");
        project.build(&new_dir, &["-q"]).assert_success();
        let (old, new) = (snapshot(&old_dir), snapshot(&new_dir));
        assert_ne!(
            old.keys().collect::<Vec<_>>(),
            new.keys().collect::<Vec<_>>()
        );
        let output = project.path("public");
        let case = Case {
            output,
            old,
            new,
            old_dir,
            clean: Vec::new(),
            project,
            _references: references,
        };
        case.reset();
        let mut clean = entries(case.project.root());
        clean.sort();
        Case { clean, ..case }
    }

    /// Puts the previous version's site back in the output folder.
    fn reset(&self) {
        if self.output.exists() {
            std::fs::remove_dir_all(&self.output).unwrap();
        }
        copy_tree(&self.old_dir, &self.output);
        assert_eq!(self.holds(), Holds::Old);
    }

    fn build(&self, fault: &str) -> Run {
        self.project
            .build_with_env(&self.output, &["-q"], &[(FAULT, fault)])
    }

    /// The whole old site, the whole new one, or nothing; anything else fails the test.
    fn holds(&self) -> Holds {
        if std::fs::symlink_metadata(&self.output).is_err() {
            return Holds::Nothing;
        }
        let now = snapshot(&self.output);
        if now == self.old {
            Holds::Old
        } else if now == self.new {
            Holds::New
        } else {
            let differ = |other: &Tree| {
                now.keys()
                    .chain(other.keys())
                    .filter(|path| now.get(*path) != other.get(*path))
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            panic!(
                "the output is neither site: {:?} differ from the old one, {:?} from the new one",
                differ(&self.old),
                differ(&self.new)
            );
        }
    }

    /// Entries of the project folder besides those of a clean build.
    fn extra(&self) -> Vec<String> {
        entries(self.project.root())
            .into_iter()
            .filter(|name| !self.clean.contains(name))
            .collect()
    }

    /// The next build, without faults, succeeds and leaves the new site and nothing else.
    fn assert_next_build_cleans_up(&self, after: &str) {
        let run = self.build("");
        run.assert_success();
        assert!(
            !run.stderr.contains("nota:"),
            "after {after}: {}",
            run.stderr
        );
        assert_eq!(self.holds(), Holds::New, "after {after}");
        assert_eq!(self.extra(), Vec::<String>::new(), "left after {after}");
        assert_eq!(
            entries(self.project.parent()),
            ["project"],
            "after {after}: nothing next to the project"
        );
    }
}

/// The one E200 of a failed run.
fn write_error(run: &Run, fault: &str) -> common::Diag {
    run.assert_code(EXIT_USAGE_OR_IO);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{fault}: {}", run.stderr);
    assert_eq!(diagnostics[0].code, "E200", "{fault}: {}", run.stderr);
    diagnostics[0].clone()
}

#[test]
fn a_failure_before_or_during_the_swap_leaves_the_previous_site_and_says_so() {
    let case = Case::new();
    let cases = [
        (
            "lock",
            "impossibile riservare la cartella di output a questa build",
        ),
        ("stage", "impossibile creare la cartella temporanea"),
        ("write@1", "impossibile scrivere "),
        ("write@9", "impossibile scrivere "),
        ("write@*", "impossibile scrivere "),
        ("exchange", "impossibile mettere il nuovo sito in "),
        // Without the exchange: the first rename fails, or the second and the site goes back.
        (
            "exchange:einval,rename-old",
            "impossibile mettere il nuovo sito in ",
        ),
        (
            "exchange:einval,rename-new",
            "impossibile mettere il nuovo sito in ",
        ),
        (
            "exchange:enosys,rename-new",
            "impossibile mettere il nuovo sito in ",
        ),
    ];
    for (fault, message) in cases {
        let run = case.build(fault);
        let diag = write_error(&run, fault);
        assert!(
            diag.message.starts_with(message),
            "{fault}: {}",
            diag.message
        );
        assert!(
            diag.message
                .contains("errore di lettura o scrittura del disco"),
            "{fault}: {}",
            diag.message
        );
        assert_eq!(run.final_line(), UNCHANGED, "{fault}");
        assert_eq!(case.holds(), Holds::Old, "{fault}");
        assert_eq!(case.extra(), Vec::<String>::new(), "{fault} left something");
        case.assert_next_build_cleans_up(fault);
        case.reset();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn on_linux_the_swap_is_one_exchange_never_two_renames() {
    let case = Case::new();
    // Kills at the steps of the two renames never happen: those steps are not reached.
    let run = case.build("rename-old:abort,rename-new:abort,rollback:abort");
    run.assert_success();
    assert_eq!(case.holds(), Holds::New);
    assert_eq!(case.extra(), Vec::<String>::new());
}

#[test]
fn a_build_killed_at_any_step_leaves_one_whole_site_and_the_next_build_cleans_up() {
    let case = Case::new();
    let cases = [
        ("lock:abort", Holds::Old),
        ("stage:abort", Holds::Old),
        ("write@1:abort", Holds::Old),
        ("write@12:abort", Holds::Old),
        ("exchange:abort", Holds::Old),
        ("unlink@1:abort", Holds::New),
        ("unlink@10:abort", Holds::New),
        ("rmdir@1:abort", Holds::New),
        ("rmdir@3:abort", Holds::New),
        ("release:abort", Holds::New),
        ("exchange:einval,rename-old:abort", Holds::Old),
        ("exchange:einval,unlink@4:abort", Holds::New),
    ];
    for (fault, expected) in cases {
        let run = case.build(fault);
        assert_eq!(
            run.code, None,
            "{fault}: killed, not exited: {}",
            run.stderr
        );
        assert_eq!(case.holds(), expected, "{fault}");
        // Whatever was left is in the work folder, nowhere else.
        let extra = case.extra();
        assert!(
            extra.is_empty() || extra == [".carta"],
            "{fault}: {extra:?}"
        );
        assert_eq!(entries(case.project.parent()), ["project"], "{fault}");
        case.assert_next_build_cleans_up(fault);
        case.reset();
    }
}

#[test]
fn without_the_exchange_a_swap_that_fails_twice_says_where_the_previous_site_is() {
    let case = Case::new();

    // Two renames and no failure: the same result as the exchange.
    case.build("exchange:einval").assert_success();
    assert_eq!(case.holds(), Holds::New);
    assert_eq!(case.extra(), Vec::<String>::new());
    case.reset();

    // The new site cannot be moved in, and the previous one cannot be moved back.
    let fault = "exchange:einval,rename-new:erofs,rollback";
    let run = case.build(fault);
    let diag = write_error(&run, fault);
    assert_eq!(case.holds(), Holds::Nothing);
    let work = case.project.root().join(".carta/public");
    let aside: Vec<String> = entries(&work)
        .into_iter()
        .filter(|name| name.starts_with("previous-"))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", entries(&work));
    let aside = work.join(&aside[0]);
    assert_eq!(
        snapshot(&aside),
        case.old,
        "the previous site is whole there"
    );
    let expected = format!(
        "carta: scrittura non riuscita; la cartella di output non c'è più: il sito precedente è in {}, e la prossima build lo rimette al suo posto",
        aside.display()
    );
    assert_eq!(run.final_line(), expected);
    assert!(!run.stderr.contains("com'era"), "{}", run.stderr);
    assert!(
        diag.message.contains(&aside.display().to_string())
            && diag.message.contains("non è tornato al suo posto"),
        "{}",
        diag.message
    );
    diag.assert_hint(
        "il disco della cartella di output è in sola lettura: scegli con --output una cartella su un disco scrivibile",
    );

    // The next build puts it back before anything else: failing itself, it leaves the old site.
    let run = case.build("stage");
    write_error(&run, "stage");
    assert_eq!(run.final_line(), UNCHANGED);
    assert_eq!(case.holds(), Holds::Old, "put back");
    assert_eq!(case.extra(), Vec::<String>::new());
    case.assert_next_build_cleans_up(fault);
    case.reset();

    // Killed between the two renames: the only moment without an output folder. The next build
    // puts the previous site back, then writes the new one.
    let fault = "exchange:einval,rename-new:abort";
    let run = case.build(fault);
    assert_eq!(run.code, None, "{}", run.stderr);
    assert_eq!(case.holds(), Holds::Nothing);
    assert_eq!(case.extra(), [".carta"]);
    let run = case.build("write@2");
    write_error(&run, "write@2");
    assert_eq!(run.final_line(), UNCHANGED);
    assert_eq!(case.holds(), Holds::Old, "put back");
    case.assert_next_build_cleans_up(fault);
}

#[test]
fn a_first_build_that_fails_or_is_killed_leaves_no_output_and_nothing_behind() {
    let case = Case::new();
    std::fs::remove_dir_all(&case.output).unwrap();
    let run = case.build("rename-new");
    write_error(&run, "rename-new");
    assert_eq!(run.final_line(), UNCHANGED);
    assert_eq!(case.holds(), Holds::Nothing);
    assert_eq!(case.extra(), Vec::<String>::new());
    for fault in ["stage:abort", "write@5:abort", "rename-new:abort"] {
        let run = case.build(fault);
        assert_eq!(run.code, None, "{fault}: {}", run.stderr);
        assert_eq!(case.holds(), Holds::Nothing, "{fault}");
        case.assert_next_build_cleans_up(fault);
        std::fs::remove_dir_all(&case.output).unwrap();
    }
    // Killed just after: the new site is whole.
    let run = case.build("release:abort");
    assert_eq!(run.code, None);
    assert_eq!(case.holds(), Holds::New);
    case.assert_next_build_cleans_up("release:abort");
}

#[test]
fn a_previous_site_that_cannot_be_removed_is_noted_and_removed_by_the_next_build() {
    let case = Case::new();
    for fault in ["unlink@2", "unlink@*", "rmdir@1:eacces"] {
        let run = case.build(fault);
        run.assert_code(EXIT_OK);
        let note = run
            .stderr
            .lines()
            .find(|line| line.starts_with("nota: "))
            .unwrap_or_else(|| panic!("{fault}: no note: {}", run.stderr));
        let prefix = format!(
            "nota: il sito precedente non è stato rimosso del tutto da {}",
            case.project.root().join(".carta/public/staging-").display()
        );
        assert!(note.starts_with(&prefix), "{fault}: {note}");
        assert!(note.ends_with("): lo rimuove la prossima build"), "{note}");
        assert_eq!(case.holds(), Holds::New, "{fault}");
        assert_eq!(case.extra(), [".carta"], "{fault}: hidden, not in sight");
        case.assert_next_build_cleans_up(fault);
        case.reset();
    }
}

#[test]
fn the_hint_of_a_write_error_fits_the_error() {
    let case = Case::new();
    let cases = [
        (
            "write@2:enospc",
            "spazio su disco esaurito",
            "il disco è pieno (o la quota è esaurita): libera spazio sul disco della cartella di output, oppure scegli con --output una cartella su un altro disco",
        ),
        (
            "write@2:eacces",
            "permesso negato",
            "manca il permesso di scrivere: controlla proprietario e permessi della cartella di output e di quella che la contiene (per esempio con ls -ld), oppure scegli con --output una cartella tua",
        ),
        (
            "stage:eperm",
            "permesso negato",
            "manca il permesso di scrivere: controlla proprietario e permessi della cartella di output e di quella che la contiene (per esempio con ls -ld), oppure scegli con --output una cartella tua",
        ),
        (
            "exchange:erofs",
            "il disco è in sola lettura",
            "il disco della cartella di output è in sola lettura: scegli con --output una cartella su un disco scrivibile",
        ),
        (
            "write@2:eio",
            "errore di lettura o scrittura del disco",
            "errore di lettura o scrittura del disco: controlla il disco e il file system (per esempio con dmesg e fsck) prima di rilanciare",
        ),
    ];
    for (fault, error, hint) in cases {
        let run = case.build(fault);
        let diag = write_error(&run, fault);
        assert!(diag.message.contains(error), "{fault}: {}", diag.message);
        diag.assert_hint(hint);
        assert_eq!(run.final_line(), UNCHANGED, "{fault}");
        assert_eq!(case.holds(), Holds::Old, "{fault}");
    }
    // A misspelt fault is an error too, not a run without one.
    let run = case.build("scambio");
    let diag = write_error(&run, "scambio");
    assert!(diag.message.contains(FAULT), "{}", diag.message);
    assert_eq!(case.holds(), Holds::Old);
    assert_eq!(case.extra(), Vec::<String>::new());
}

/// A folder of someone else's: an index.html, 52 files and a subfolder.
fn someone_elses_folder(dir: &Path) -> Tree {
    std::fs::create_dir_all(dir.join("sottocartella")).unwrap();
    std::fs::write(dir.join("index.html"), "<p>non mio</p>").unwrap();
    for n in 1..=52 {
        std::fs::write(
            dir.join(format!("file-{n:02}.txt")),
            format!("contenuto {n}"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("sottocartella/nota.txt"), "dentro").unwrap();
    let tree = snapshot(dir);
    assert_eq!(tree.len(), 55);
    tree
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_is_refused_and_its_target_loses_nothing() {
    use std::os::unix::fs::symlink;

    let project = Project::default_copy();
    let target = project.output("vero");
    let before = someone_elses_folder(&target);
    let link = project.output("sito");
    symlink(&target, &link).unwrap();
    let relative = project.output("relativo");
    symlink("vero", &relative).unwrap();
    let real = std::fs::canonicalize(&target).unwrap();

    let faults = [
        "",
        "",
        "",
        "unlink@*",
        "unlink@1",
        "exchange:einval",
        "exchange:einval,rename-new,rollback",
        "stage:abort",
    ];
    for (index, fault) in faults.iter().enumerate() {
        let output = if index % 2 == 0 { &link } else { &relative };
        let run = project.build_with_env(output, &[], &[(FAULT, fault)]);
        let diag = write_error(&run, fault);
        assert_eq!(
            diag.message,
            format!(
                "la cartella di output {} è un collegamento simbolico a {}: non lo sostituisco",
                output.display(),
                real.display()
            )
        );
        assert!(
            diag.hint
                .as_deref()
                .is_some_and(|hint| hint.starts_with(&format!(
                    "indica direttamente la cartella {}",
                    real.display()
                ))),
            "{diag:#?}"
        );
        assert_eq!(run.final_line(), UNCHANGED);
        assert_eq!(
            snapshot(&target),
            before,
            "{fault}: the target lost nothing"
        );
        for path in [&link, &relative] {
            assert!(std::fs::symlink_metadata(path).unwrap().is_symlink());
        }
        assert_eq!(std::fs::read_link(&relative).unwrap(), Path::new("vero"));
        assert_eq!(
            entries(project.parent()),
            ["project", "relativo", "sito", "vero"],
            "{fault}: nothing created next to the link"
        );
    }

    // A previous site holding links (put there by hand) to someone else's folder: they are
    // removed with it, never followed, even when the removal is killed or fails.
    let output = project.output("public");
    project.build(&output, &["-q"]).assert_success();
    for fault in ["unlink@2:abort", "unlink@*", "", ""] {
        symlink(&target, output.join("allegati")).unwrap_or_else(|_| {
            // Left by a killed removal: the site in place is the new one, without the link.
            panic!("{fault}: the link is already there")
        });
        symlink(target.join("index.html"), output.join("allegato.html")).unwrap();
        let run = project.build_with_env(&output, &["-q"], &[(FAULT, fault)]);
        assert!(
            run.code.is_none() || run.code == Some(EXIT_OK),
            "{fault}: {}",
            run.stderr
        );
        assert_eq!(
            snapshot(&target),
            before,
            "{fault}: the target lost nothing"
        );
        assert!(!output.join("allegati").exists(), "{fault}");
        project.build(&output, &["-q"]).assert_success();
        assert_eq!(
            entries(project.parent()),
            ["project", "public", "relativo", "sito", "vero"]
        );
    }

    // Links among the parent folders are fine: the site goes into the real folder.
    let through = project.output("via");
    symlink(&target, &through).unwrap();
    let output = through.join("sito");
    project.build(&output, &["-q"]).assert_success();
    assert!(real.join("sito/index.html").is_file());
    assert!(std::fs::symlink_metadata(&through).unwrap().is_symlink());
    let after: Tree = snapshot(&target)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("sito"))
        .collect();
    assert_eq!(
        after, before,
        "the target's own files are untouched, nothing else added"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_whose_index_is_a_link_is_not_taken_for_a_site() {
    let project = Project::default_copy();
    let outside = project.output("altrove");
    someone_elses_folder(&outside);
    let folder = project.output("documenti");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("tesi.odt"), "non cancellarmi").unwrap();
    std::os::unix::fs::symlink(outside.join("index.html"), folder.join("index.html")).unwrap();
    let before = snapshot(&folder);
    let run = project.build(&folder, &[]);
    let diag = write_error(&run, "");
    assert!(
        diag.message.contains("non contiene un sito generato"),
        "{}",
        diag.message
    );
    assert_eq!(snapshot(&folder), before);
    assert_eq!(
        entries(project.parent()),
        ["altrove", "documenti", "project"]
    );
}

#[test]
fn four_builds_into_one_folder_take_turns_and_leave_one_whole_site() {
    let case = Case::new();
    // Watches the output path the whole time: with the atomic exchange it never disappears.
    let stop = AtomicBool::new(false);
    let missing = AtomicUsize::new(0);
    let looks = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                if !std::fs::symlink_metadata(&case.output).is_ok_and(|meta| meta.is_dir()) {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        });
        for round in 0..5 {
            let children: Vec<_> = (0..4)
                .map(|_| {
                    carta_command(
                        case.project.parent(),
                        &case.project.build_args(&case.output, &[]),
                    )
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
                })
                .collect();
            for child in children {
                let output = child.wait_with_output().unwrap();
                let stderr = String::from_utf8(output.stderr).unwrap();
                assert_eq!(
                    output.status.code(),
                    Some(EXIT_OK),
                    "round {round}: {stderr}"
                );
                let waiting = format!(
                    "carta: un'altra build sta scrivendo in {}, attendo",
                    case.output.display()
                );
                assert!(
                    stderr.lines().all(|line| line == waiting),
                    "round {round}: only the documented line: {stderr}"
                );
            }
            assert_eq!(case.holds(), Holds::New, "round {round}");
            assert_eq!(case.extra(), Vec::<String>::new(), "round {round}");
            assert_eq!(entries(case.project.parent()), ["project"]);
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(looks.load(Ordering::Relaxed) > 100);
    assert_eq!(missing.load(Ordering::Relaxed), 0, "the output was missing");
}

/// Holds the lock of `<root>/public` the way a build does.
fn hold_the_lock(case: &Case) -> std::fs::File {
    let work = case.project.root().join(".carta/public");
    std::fs::create_dir_all(&work).unwrap();
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(work.join("lock"))
        .unwrap();
    file.lock().unwrap();
    file
}

#[test]
fn a_build_waits_for_the_one_writing_into_its_folder_and_says_so_once() {
    let case = Case::new();
    let lock = hold_the_lock(&case);
    let mut child = carta_command(
        case.project.parent(),
        &case.project.build_args(&case.output, &[]),
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let (sender, lines) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            sender.send(line.unwrap()).unwrap();
        }
    });
    let waiting = format!(
        "carta: un'altra build sta scrivendo in {}, attendo",
        case.output.display()
    );
    assert_eq!(
        lines.recv_timeout(Duration::from_secs(60)).unwrap(),
        waiting
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it waits");
    assert_eq!(case.holds(), Holds::Old, "and writes nothing meanwhile");
    drop(lock);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = lines.try_iter().collect();
    assert_eq!(status.code(), Some(EXIT_OK), "{rest:?}");
    assert!(rest.is_empty(), "said once: {rest:?}");
    assert_eq!(case.holds(), Holds::New);
    assert_eq!(case.extra(), Vec::<String>::new());
}

/// The processes blocked on a lock, as the kernel lists them (`->` lines of `/proc/locks`).
#[cfg(target_os = "linux")]
fn blocked_on_a_lock() -> Vec<u32> {
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace().skip(1);
            (fields.next() == Some("->"))
                .then(|| fields.nth(3)?.parse().ok())
                .flatten()
        })
        .collect()
}

/// With `-q` a build waits without a word: the kernel shows it blocked on the folder's lock (not
/// merely not finished yet), and it writes nothing until the lock is free.
#[cfg(target_os = "linux")]
#[test]
fn a_quiet_build_waits_for_the_lock_without_a_word() {
    let case = Case::new();
    let lock = hold_the_lock(&case);
    let child = carta_command(
        case.project.parent(),
        &case.project.build_args(&case.output, &["-q"]),
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let started = Instant::now();
    while !blocked_on_a_lock().contains(&child.id()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the build never waited on the lock: {:?}",
            std::fs::read_to_string("/proc/locks")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(case.holds(), Holds::Old, "nothing written while it waits");
    drop(lock);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(EXIT_OK));
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "");
    assert_eq!(case.holds(), Holds::New);
    assert_eq!(case.extra(), Vec::<String>::new());
}

#[test]
fn only_a_folder_carta_marked_is_replaced_and_an_older_site_needs_force_once() {
    let project = Project::default_copy();
    // A folder with an index.html that carta did not write (or an older carta, without the marker).
    let folder = project.output("vecchio-sito");
    let before = someone_elses_folder(&folder);
    let run = project.build(&folder, &[]);
    let diag = write_error(&run, "unmarked");
    assert!(
        diag.message.contains("manca .carta-output") && diag.message.contains("non la sostituisco"),
        "{}",
        diag.message
    );
    assert!(
        diag.hint
            .as_deref()
            .is_some_and(|hint| hint.contains("--force")),
        "{diag:#?}"
    );
    assert_eq!(snapshot(&folder), before, "nothing deleted");

    // --force replaces it once; from then on it is marked and builds replace it without asking.
    project.build(&folder, &["--force", "-q"]).assert_success();
    assert!(!folder.join("file-01.txt").exists());
    let marker = std::fs::read_to_string(folder.join(".carta-output")).unwrap();
    let mut lines = marker.lines();
    assert!(lines.next().unwrap().starts_with("carta-output 1:"));
    let listed: Vec<&str> = lines.collect();
    assert!(listed.contains(&"index.html") && listed.contains(&"trasparenza/manifest.json"));
    assert!(!listed.contains(&".carta-output"));
    project.build(&folder, &["-q"]).assert_success();

    // The marker is not part of the site: not in the transparency manifest, not in the sitemap.
    let manifest = std::fs::read_to_string(folder.join("trasparenza/manifest.json")).unwrap();
    assert!(!manifest.contains(".carta-output"));
    let sitemap = std::fs::read_to_string(folder.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains(".carta-output"));
}

#[cfg(unix)]
#[test]
fn an_output_inside_the_sources_is_refused_even_through_a_link() {
    let project = Project::default_copy();
    std::fs::create_dir_all(project.path("static")).unwrap();
    std::fs::create_dir_all(project.path("templates")).unwrap();
    let through = project.output("scorciatoia");
    std::os::unix::fs::symlink(project.path("static"), &through).unwrap();
    for output in [
        project.path("static/sito"),
        project.path("templates/sito"),
        project.path("content/sito"),
        project.path("themes/agid/sito"),
        through.join("sito"),
    ] {
        let run = project.build(&output, &["--force"]);
        let diag = write_error(&run, &output.display().to_string());
        assert!(
            diag.message
                .contains("sta dentro una sua cartella di sorgenti"),
            "{}",
            diag.message
        );
        assert!(!output.exists(), "{}", output.display());
    }
}
