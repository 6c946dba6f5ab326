//! The test hook of the write: failures injected at named steps, to test what a failed or killed
//! build leaves behind. It is compiled only for tests (the unit tests, and the `test-faults`
//! feature, which `cargo test` turns on for the binary the integration tests run): a release
//! build has no faults and does not read the variable, whose name is not even in the binary
//! (CI checks it). With the hook compiled, it does nothing unless `CARTA_TEST_FAULT` is set.
//!
//! The variable holds faults separated by commas, each `STEP[@N][:EFFECT]`: the N-th time (1 when
//! not given; `*` every time) this process reaches STEP, the step is not done and EFFECT happens
//! instead: an I/O error (`eio`, the default, or `enospc`, `eacces`, `eperm`, `erofs`, `einval`,
//! `enosys`) or `abort`, which ends the process at once as `kill -9` would (no clean-up runs, no
//! core file is written). The steps are in [`Step`]. For example `exchange:einval` makes carta
//! take the path of a file system without atomic exchange, and `unlink@3:abort` kills the build
//! while it removes the previous site.
//!
//! A value that does not parse makes every step fail with a message that says why, so a test
//! with a misspelt fault fails instead of passing without one.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The variable that holds the faults.
#[cfg(any(test, feature = "test-faults"))]
pub(crate) const VARIABLE: &str = "CARTA_TEST_FAULT";

/// A step of the write where a fault can be injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Taking the lock of the output folder.
    Lock,
    /// Putting back a previous site that a killed swap left aside.
    Restore,
    /// Removing one leftover of an earlier build, before this one starts.
    Clean,
    /// Creating the staging folder.
    Stage,
    /// Writing one file into the staging folder.
    Write,
    /// Exchanging the staging folder with the output folder (one `renameat2`).
    Exchange,
    /// Without exchange: moving the previous output aside.
    RenameOld,
    /// Moving the new site to the output path (no previous output, or after `RenameOld`).
    RenameNew,
    /// Without exchange: moving the previous output back after `RenameNew` failed.
    Rollback,
    /// Removing one file (or link) of the previous site.
    Unlink,
    /// Removing one folder of the previous site.
    Rmdir,
    /// Removing the lock file and the work folder at the end.
    Release,
    /// Replacing one file in place (`carta serve` after its first build).
    Update,
}

#[cfg(any(test, feature = "test-faults"))]
impl Step {
    const ALL: [(Step, &'static str); 13] = [
        (Step::Lock, "lock"),
        (Step::Restore, "restore"),
        (Step::Clean, "clean"),
        (Step::Stage, "stage"),
        (Step::Write, "write"),
        (Step::Exchange, "exchange"),
        (Step::RenameOld, "rename-old"),
        (Step::RenameNew, "rename-new"),
        (Step::Rollback, "rollback"),
        (Step::Unlink, "unlink"),
        (Step::Rmdir, "rmdir"),
        (Step::Release, "release"),
        (Step::Update, "update"),
    ];

    fn parse(name: &str) -> Option<Step> {
        Step::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(step, _)| *step)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(any(test, feature = "test-faults")), allow(dead_code))]
enum Effect {
    /// Fail with this error (an `errno` name).
    Error(&'static str),
    /// End the process at once.
    Abort,
}

#[derive(Debug)]
#[cfg_attr(not(any(test, feature = "test-faults")), allow(dead_code))]
struct Fault {
    step: Step,
    /// The occurrence that fails, from 1; `None` for every one.
    at: Option<usize>,
    effect: Effect,
    seen: AtomicUsize,
}

/// The faults of one process (or of one unit test).
#[derive(Debug, Default)]
pub(crate) struct Faults {
    faults: Vec<Fault>,
    /// Why the variable could not be read; every step fails with it.
    invalid: Option<String>,
}

#[cfg(any(test, feature = "test-faults"))]
const ERRORS: [&str; 7] = [
    "eio", "enospc", "eacces", "eperm", "erofs", "einval", "enosys",
];

impl Faults {
    /// The faults given in `CARTA_TEST_FAULT`, read once per process; none in a build without
    /// the hook.
    pub(crate) fn from_env() -> &'static Faults {
        static FAULTS: OnceLock<Faults> = OnceLock::new();
        FAULTS.get_or_init(|| {
            #[cfg(any(test, feature = "test-faults"))]
            if let Ok(text) = std::env::var(VARIABLE) {
                return Faults::parse(&text);
            }
            Faults::default()
        })
    }

    /// Faults from a value written as the variable's.
    #[cfg(any(test, feature = "test-faults"))]
    pub(crate) fn parse(text: &str) -> Faults {
        let mut faults = Vec::new();
        for spec in text
            .split(',')
            .map(str::trim)
            .filter(|spec| !spec.is_empty())
        {
            match parse_one(spec) {
                Some(fault) => faults.push(fault),
                None => {
                    return Faults {
                        faults: Vec::new(),
                        invalid: Some(format!(
                            "{VARIABLE} non valido: `{spec}` (si scrive PASSO[@N][:EFFETTO])"
                        )),
                    };
                }
            }
        }
        Faults {
            faults,
            invalid: None,
        }
    }

    /// Called where `step` is about to be done: an error when a fault says so (or the process
    /// ends there, for `abort`).
    pub(crate) fn check(&self, step: Step) -> io::Result<()> {
        if let Some(invalid) = &self.invalid {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, invalid.clone()));
        }
        let mut result = Ok(());
        for fault in self.faults.iter().filter(|fault| fault.step == step) {
            let seen = fault.seen.fetch_add(1, Ordering::SeqCst) + 1;
            if fault.at.is_some_and(|at| at != seen) {
                continue;
            }
            match fault.effect {
                Effect::Abort => abort(),
                Effect::Error(name) => {
                    if result.is_ok() {
                        result = Err(error(name));
                    }
                }
            }
        }
        result
    }
}

#[cfg(any(test, feature = "test-faults"))]
fn parse_one(spec: &str) -> Option<Fault> {
    let (head, effect) = match spec.split_once(':') {
        Some((head, "abort")) => (head, Effect::Abort),
        Some((head, name)) => (head, Effect::Error(ERRORS.iter().find(|e| **e == name)?)),
        None => (spec, Effect::Error("eio")),
    };
    let (name, at) = match head.split_once('@') {
        Some((name, "*")) => (name, None),
        Some((name, count)) => (name, Some(count.parse().ok().filter(|n| *n > 0)?)),
        None => (head, Some(1)),
    };
    Some(Fault {
        step: Step::parse(name)?,
        at,
        effect,
        seen: AtomicUsize::new(0),
    })
}

#[cfg(unix)]
fn error(name: &str) -> io::Error {
    let code = match name {
        "enospc" => libc::ENOSPC,
        "eacces" => libc::EACCES,
        "eperm" => libc::EPERM,
        "erofs" => libc::EROFS,
        "einval" => libc::EINVAL,
        "enosys" => libc::ENOSYS,
        _ => libc::EIO,
    };
    io::Error::from_raw_os_error(code)
}

#[cfg(not(unix))]
fn error(name: &str) -> io::Error {
    let kind = match name {
        "enospc" => io::ErrorKind::StorageFull,
        "eacces" | "eperm" => io::ErrorKind::PermissionDenied,
        "erofs" => io::ErrorKind::ReadOnlyFilesystem,
        "einval" | "enosys" => io::ErrorKind::Unsupported,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, format!("{name} (guasto di prova)"))
}

/// Ends the process as a kill would: no destructor runs and no core file is left behind.
fn abort() -> ! {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit only reads the struct passed by reference.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_fire_at_their_occurrence_and_misspellings_fail_every_step() {
        let faults = Faults::parse("write@2:enospc, unlink@*");
        assert!(faults.check(Step::Write).is_ok());
        let error = faults.check(Step::Write).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        assert!(faults.check(Step::Write).is_ok(), "only the second one");
        for _ in 0..3 {
            assert!(faults.check(Step::Unlink).is_err(), "every one");
        }
        assert!(faults.check(Step::Exchange).is_ok());

        for bad in ["scambio", "write@0", "write:boom", "write@x"] {
            let faults = Faults::parse(bad);
            let error = faults.check(Step::Lock).unwrap_err();
            assert!(error.to_string().contains(VARIABLE), "{bad}: {error}");
        }
        assert!(Faults::parse("").check(Step::Lock).is_ok());
    }
}
