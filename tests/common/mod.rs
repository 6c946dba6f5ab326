//! Shared helpers for the integration tests: a throw-away copy of the project, a way to run the real
//! `carta` binary on it, a parser for the diagnostics it prints and a loader for the site it writes.
//!
//! Every test works on its own copy in a fresh temporary folder, so tests can run in parallel and
//! never touch the repository.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

/// The repository checkout the tests run in.
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Bootstrap Italia files built into carta, as vendored in the repository (laid out as the
/// package's `dist/`, with its `LICENSE` and `VERSION`).
pub(crate) fn vendored_bootstrap() -> PathBuf {
    repo_root().join("themes/agid/vendor/bootstrap-italia")
}

/// A copy of the project (site.toml, content/) in a fresh temporary folder: the theme is carta's
/// own, built in.
///
/// The project lives in `<tmp>/project`; output folders are created next to it, in `<tmp>/<name>`,
/// so a test can check that a build leaves nothing else behind.
/// The accessibility statement the tests' copy of the charter links: the form of a published
/// statement, `https://form.agid.gov.it/view/<id>` (see [`Project::default_copy`]).
pub(crate) const STATEMENT: &str = "https://form.agid.gov.it/view/carta-test-statement";

/// The line of the repository's site.toml that links form.agid.gov.it's home page.
pub(crate) const REPOSITORY_STATEMENT_LINE: &str = "accessibility = \"https://form.agid.gov.it/\"";

/// The acceptance of `W194` in the repository's site.toml, with its reason (`[[accept]]`).
pub(crate) const REPOSITORY_ACCEPTANCE: &str = "[[accept]]
code = \"W194\"
file = \"site.toml\"
key = \"footer.accessibility\"
reason = \"in attesa della pubblicazione della dichiarazione di accessibilità su form.agid.gov.it\"
";

pub(crate) fn statement_line() -> String {
    format!("accessibility = \"{STATEMENT}\"")
}

pub(crate) struct Project {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    /// The Firenze charter as it is in the repository (its files only: the theme is built into
    /// carta), but for one value: while the repository does not have
    /// the Comune's published accessibility statement, its site.toml links form.agid.gov.it's
    /// home page, which carta reports (`W194`), and accepts that warning with its reason. The copy
    /// links [`STATEMENT`] instead, without the acceptance, so that each test sees only the
    /// diagnostics it is about; [`Project::repository_copy`] is the charter exactly as it is.
    pub(crate) fn default_copy() -> Project {
        let project = Project::repository_copy();
        let text = project.read("site.toml");
        if text.contains(REPOSITORY_STATEMENT_LINE) {
            project.replace("site.toml", REPOSITORY_STATEMENT_LINE, &statement_line());
        }
        if text.contains(REPOSITORY_ACCEPTANCE) {
            project.replace("site.toml", REPOSITORY_ACCEPTANCE, "");
        }
        project
    }

    /// The Firenze charter exactly as it is in the repository (see [`Project::default_copy`]).
    pub(crate) fn repository_copy() -> Project {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let root = dir.path().join("project");
        let repo = repo_root();
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo.join("site.toml"), root.join("site.toml")).expect("copy site.toml");
        copy_tree(&repo.join("content"), &root.join("content"));
        Project { dir, root }
    }

    /// A copy of the example `examples/<name>/` (its files only, as a repository holds them).
    pub(crate) fn example_copy(name: &str) -> Project {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let root = dir.path().join("project");
        let example = repo_root().join("examples").join(name);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(example.join("site.toml"), root.join("site.toml")).expect("copy site.toml");
        copy_tree(&example.join("content"), &root.join("content"));
        Project { dir, root }
    }

    /// The project folder (what `--root` points at).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder holding the project and the outputs.
    pub(crate) fn parent(&self) -> &Path {
        self.dir.path()
    }

    /// A fresh output folder path next to the project (not created).
    pub(crate) fn output(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub(crate) fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"))
    }

    /// Copies the built-in theme's file `relative` (`templates/chapter.html`) into the project as
    /// its override, as `carta theme eject` does (without the record).
    pub(crate) fn eject(&self, relative: &str) {
        let to = self.path(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo_root().join("themes/agid").join(relative), to)
            .unwrap_or_else(|error| panic!("cannot copy {relative}: {error}"));
    }

    /// Makes the built-in theme's source a theme of the project's own, `themes/<name>/` (without
    /// Bootstrap Italia), and names it in site.toml.
    pub(crate) fn own_theme(&self, name: &str) {
        let theme = self.path("themes").join(name);
        for part in ["templates", "static"] {
            copy_tree(
                &repo_root().join("themes/agid").join(part),
                &theme.join(part),
            );
        }
        std::fs::copy(
            repo_root().join("themes/agid/strings.toml"),
            theme.join("strings.toml"),
        )
        .unwrap();
        self.replace(
            "site.toml",
            "theme = \"agid\"",
            &format!("theme = \"{name}\""),
        );
    }

    pub(crate) fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text)
            .unwrap_or_else(|error| panic!("cannot write {relative}: {error}"));
    }

    /// Replaces `from` with `to` in a project file. Panics unless `from` occurs exactly once, so a
    /// change in the content can never silently neutralise a test. Returns the new text.
    pub(crate) fn replace(&self, relative: &str, from: &str, to: &str) -> String {
        let text = self.read(relative);
        let count = text.matches(from).count();
        assert_eq!(
            count, 1,
            "expected exactly one occurrence of {from:?} in {relative}, found {count}"
        );
        let new = text.replacen(from, to, 1);
        self.write(relative, &new);
        new
    }

    /// Runs `carta build --root <project> --output <output> --color never <extra...>`.
    pub(crate) fn build(&self, output: &Path, extra: &[&str]) -> Run {
        self.build_with_env(output, extra, &[])
    }

    /// [`Project::build`] with these environment variables set.
    pub(crate) fn build_with_env(
        &self,
        output: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Run {
        carta_with_env(self.dir.path(), &self.build_args(output, extra), env)
    }

    /// The arguments of [`Project::build`].
    pub(crate) fn build_args(&self, output: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> = vec![
            "build".into(),
            "--root".into(),
            self.root.clone().into(),
            "--output".into(),
            output.into(),
            "--color".into(),
            "never".into(),
        ];
        args.extend(extra.iter().map(|arg| arg.into()));
        args
    }

    /// Runs `carta check --root <project> --color never <extra...>`.
    pub(crate) fn check(&self, extra: &[&str]) -> Run {
        let mut args: Vec<std::ffi::OsString> = vec![
            "check".into(),
            "--root".into(),
            self.root.clone().into(),
            "--color".into(),
            "never".into(),
        ];
        args.extend(extra.iter().map(|arg| arg.into()));
        carta(self.dir.path(), &args)
    }

    /// Copies every file of `tests/fixtures/<case>/` over the project, at the same relative path.
    pub(crate) fn overlay(&self, case: &str) {
        let fixture = repo_root().join("tests/fixtures").join(case);
        assert!(fixture.is_dir(), "no fixture folder {}", fixture.display());
        copy_tree(&fixture, &self.root);
    }

    /// Builds into `<tmp>/<name>`, asserts success and loads the site.
    pub(crate) fn build_site(&self, name: &str, extra: &[&str]) -> (Run, Site) {
        let output = self.output(name);
        let run = self.build(&output, extra);
        run.assert_success();
        (run, Site::load(&output))
    }
}

/// Runs the real binary with `args`, in `cwd`.
pub(crate) fn carta<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Run {
    carta_with_env(cwd, args, &[])
}

/// The real binary, ready to run with `args` in `cwd`.
pub(crate) fn carta_command<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carta"));
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CARTA_TEST_FAULT")
        // The stylesheet's index is cached under target/, never in the home folder.
        .env("XDG_CACHE_HOME", test_cache());
    command
}

/// The cache folder the tests' builds share (`XDG_CACHE_HOME`).
pub(crate) fn test_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache")
}

/// Runs the real binary with `args`, in `cwd`, with these environment variables set.
pub(crate) fn carta_with_env<S: AsRef<std::ffi::OsStr>>(
    cwd: &Path,
    args: &[S],
    env: &[(&str, &str)],
) -> Run {
    let output = carta_command(cwd, args)
        .envs(env.iter().copied())
        .output()
        .expect("run the carta binary");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Copies a folder recursively, leaving out every `node_modules` folder.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    let walker = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "node_modules" || entry.depth() == 0);
    for entry in walker {
        let entry = entry.expect("walk the project");
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|error| panic!("copy {}: {error}", entry.path().display()));
        }
    }
}

/// Every entry under `dir`, by relative path: files with their bytes, folders with `None`.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            let entry = entry.expect("walk the output");
            let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| std::fs::read(entry.path()).unwrap());
            (relative, bytes)
        })
        .collect()
}

/// Names of the entries directly inside `dir`, sorted.
pub(crate) fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---- Running the binary -------------------------------------------------------------------------

pub(crate) const EXIT_OK: i32 = 0;
pub(crate) const EXIT_CONTENT_ERRORS: i32 = 1;
pub(crate) const EXIT_USAGE_OR_IO: i32 = 2;

/// What one run of the binary printed and how it exited.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub(crate) fn assert_success(&self) {
        assert_eq!(
            self.code,
            Some(EXIT_OK),
            "carta build failed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
    }

    pub(crate) fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
    }

    /// The diagnostics of one code.
    pub(crate) fn with_code(&self, code: &str) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|diagnostic| diagnostic.code == code)
            .collect()
    }

    /// Asserts the run failed on content with exactly one error, of `code`, in `file`, with a
    /// line and a hint, its underline holding `underlined` (when not empty); returns it.
    pub(crate) fn assert_one_error(&self, code: &str, file: &str, underlined: &str) -> Diag {
        self.assert_code(EXIT_CONTENT_ERRORS);
        let mut errors: Vec<Diag> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.severity == "errore")
            .collect();
        assert_eq!(errors.len(), 1, "{code}: {errors:#?}");
        let error = errors.remove(0);
        assert_eq!(error.code, code, "{error:#?}");
        assert_eq!(error.file.as_deref(), Some(file), "{error:#?}");
        assert!(error.line.is_some() && error.hint.is_some(), "{error:#?}");
        assert!(
            underlined.is_empty()
                || error
                    .underlined
                    .as_deref()
                    .is_some_and(|u| u.contains(underlined)),
            "{code}: {error:#?}"
        );
        error
    }

    /// The diagnostics printed on stderr.
    pub(crate) fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    /// The final `carta: ...` line of stderr.
    pub(crate) fn final_line(&self) -> &str {
        self.stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("")
    }

    /// Asserts the build reported exactly `errors` errors (and no warnings) in its final line.
    pub(crate) fn assert_error_count(&self, errors: usize) {
        let words = if errors == 1 { "errore" } else { "errori" };
        let expected = format!("carta: {errors} {words};");
        assert!(
            self.final_line().starts_with(&expected),
            "final line should start with {expected:?}, got {:?}\n--- stderr\n{}",
            self.final_line(),
            self.stderr
        );
    }

    pub(crate) fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// One diagnostic as printed by annotate-snippets.
#[derive(Debug, Clone, Default)]
pub(crate) struct Diag {
    /// `errore`, `avviso`, or `accettato` for a warning site.toml accepts.
    pub severity: String,
    pub code: String,
    pub message: String,
    /// The path after `-->`.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub col: Option<u32>,
    /// The quoted source line and the text under the carets.
    pub source_line: Option<String>,
    pub underlined: Option<String>,
    /// `= suggerimento: ...`, continuation lines joined with `\n`.
    pub hint: Option<String>,
    /// `= motivo (site.toml, [[accept]]): ...` of an accepted warning.
    pub reason: Option<String>,
}

impl Diag {
    /// Asserts the code and the `--> file:line:col` location.
    pub(crate) fn assert_at(&self, code: &str, file: &str, line: u32, col: u32) {
        assert_eq!(
            (
                self.code.as_str(),
                self.file.as_deref(),
                self.line,
                self.col
            ),
            (code, Some(file), Some(line), Some(col)),
            "diagnostic code or location differs: {self:#?}"
        );
        assert_eq!(self.severity, "errore", "{self:#?}");
    }

    /// Asserts a warning (`avviso`) with this code at `file:line:col`.
    pub(crate) fn assert_warning_at(&self, code: &str, file: &str, line: u32, col: u32) {
        assert_eq!(
            (
                self.severity.as_str(),
                self.code.as_str(),
                self.file.as_deref(),
                self.line,
                self.col
            ),
            ("avviso", code, Some(file), Some(line), Some(col)),
            "warning code or location differs: {self:#?}"
        );
    }

    pub(crate) fn assert_hint(&self, hint: &str) {
        assert_eq!(
            self.hint.as_deref(),
            Some(hint),
            "diagnostic hint differs: {self:#?}"
        );
    }

    pub(crate) fn assert_underlined(&self, text: &str) {
        assert_eq!(
            self.underlined.as_deref(),
            Some(text),
            "the carets should underline {text:?}: {self:#?}"
        );
    }
}

/// Parses the plain (`--color never`) annotate-snippets output of a run.
pub(crate) fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut found: Vec<Diag> = Vec::new();
    let mut in_hint = false;
    for line in stderr.lines() {
        let header = line
            .strip_prefix("errore[")
            .map(|rest| ("errore", rest))
            .or_else(|| line.strip_prefix("avviso[").map(|rest| ("avviso", rest)))
            .or_else(|| {
                line.strip_prefix("accettato[")
                    .map(|rest| ("accettato", rest))
            });
        if let Some((severity, rest)) = header {
            let (code, message) = rest
                .split_once("]: ")
                .expect("header `kind[CODE]: message`");
            found.push(Diag {
                severity: severity.to_string(),
                code: code.to_string(),
                message: message.to_string(),
                ..Diag::default()
            });
            in_hint = false;
            continue;
        }
        if line.starts_with("carta:") {
            in_hint = false;
            continue;
        }
        let Some(current) = found.last_mut() else {
            continue;
        };
        let trimmed = line.trim();
        if let Some(place) = trimmed.strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let (col, line_number, file) = (parts.next(), parts.next(), parts.next());
            match (
                col.and_then(|c| c.parse().ok()),
                line_number.and_then(|l| l.parse().ok()),
                file,
            ) {
                (Some(col), Some(line_number), Some(file)) => {
                    current.file = Some(file.to_string());
                    current.line = Some(line_number);
                    current.col = Some(col);
                }
                _ => current.file = Some(place.to_string()),
            }
        } else if let Some(reason) = trimmed.strip_prefix("= motivo (site.toml, [[accept]]): ") {
            current.reason = Some(reason.to_string());
            in_hint = false;
        } else if let Some(hint) = trimmed.strip_prefix("= suggerimento: ") {
            current.hint = Some(hint.to_string());
            in_hint = true;
        } else if in_hint && !trimmed.is_empty() && !trimmed.contains('|') {
            let hint = current.hint.as_mut().unwrap();
            hint.push('\n');
            hint.push_str(trimmed);
        } else if let Some((gutter, text)) = line.split_once('|') {
            let text = text.strip_prefix(' ').unwrap_or(text);
            if gutter.trim().parse::<u32>().is_ok() {
                current.source_line = Some(text.to_string());
            } else if let Some(start) = text.find('^') {
                let width = text[start..].chars().take_while(|c| *c == '^').count();
                let skip = text[..start].chars().count();
                if let Some(source) = &current.source_line {
                    current.underlined = Some(source.chars().skip(skip).take(width).collect());
                }
            }
        }
    }
    found
}

/// 1-based line and column (in characters) of `inner`, which must occur exactly once inside
/// `context`, which must occur exactly once in `text`.
pub(crate) fn locate(text: &str, context: &str, inner: &str) -> (u32, u32) {
    assert_eq!(
        text.matches(context).count(),
        1,
        "{context:?} must occur exactly once in the text"
    );
    assert_eq!(
        context.matches(inner).count(),
        1,
        "{inner:?} must occur exactly once in {context:?}"
    );
    let offset = text.find(context).unwrap() + context.find(inner).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|index| index + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

/// The text of a 1-based line.
pub(crate) fn line_text(text: &str, line: u32) -> &str {
    text.lines()
        .nth(line as usize - 1)
        .expect("line exists in the file")
}

// ---- Reading the generated site -----------------------------------------------------------------

/// URL of the print edition: the whole charter in one document.
pub(crate) const PRINT_EDITION: &str = "/stampa/";

/// A generated site: every HTML page, parsed, by URL (`/`, `/impegni/`, `/404.html`).
pub(crate) struct Site {
    pub dir: PathBuf,
    pub pages: BTreeMap<String, Html>,
}

impl Site {
    pub(crate) fn load(dir: &Path) -> Site {
        let mut pages = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "html") {
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let url = match relative.strip_suffix("index.html") {
                Some(folder) => format!("/{folder}"),
                None => format!("/{relative}"),
            };
            let html = std::fs::read_to_string(path).unwrap();
            pages.insert(url, Html::parse_document(&html));
        }
        assert!(
            !pages.is_empty(),
            "no HTML page written in {}",
            dir.display()
        );
        Site {
            dir: dir.to_path_buf(),
            pages,
        }
    }

    /// The pages of the website proper: every page but the print edition, a stand-alone document
    /// with no site header, menu or footer (tests/print_edition.rs checks it).
    pub(crate) fn web_pages(&self) -> impl Iterator<Item = (&String, &Html)> {
        self.pages.iter().filter(|(url, _)| *url != PRINT_EDITION)
    }

    pub(crate) fn page(&self, url: &str) -> &Html {
        self.pages.get(url).unwrap_or_else(|| {
            panic!(
                "no page {url}; pages: {:?}",
                self.pages.keys().collect::<Vec<_>>()
            )
        })
    }

    /// The file a root-relative URL path (without the deployment prefix) is served from.
    pub(crate) fn file_for(&self, path: &str) -> PathBuf {
        let relative = path.trim_start_matches('/');
        let file = self.dir.join(relative);
        if relative.is_empty() || relative.ends_with('/') {
            file.join("index.html")
        } else {
            file
        }
    }
}

pub(crate) fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|error| panic!("bad selector {selector:?}: {error:?}"))
}

/// Whitespace-normalised text.
pub(crate) fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whitespace-normalised text content of an element.
pub(crate) fn text_of(element: ElementRef<'_>) -> String {
    norm(&element.text().collect::<String>())
}

/// Whitespace-normalised text of the element's own text nodes, leaving out child elements.
pub(crate) fn own_text(element: ElementRef<'_>) -> String {
    let text: String = element
        .children()
        .filter_map(|child| child.value().as_text().map(|text| text.to_string()))
        .collect();
    norm(&text)
}

pub(crate) fn select_all<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    html.select(&sel(selector)).collect()
}

pub(crate) fn select_in<'a>(element: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    element.select(&sel(selector)).collect()
}

/// The only element matching `selector`; panics when there are none or several.
pub(crate) fn single<'a>(html: &'a Html, selector: &str) -> ElementRef<'a> {
    let found = select_all(html, selector);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {selector:?}, found {}",
        found.len()
    );
    found[0]
}

/// The nearest ancestor element with the given tag name.
pub(crate) fn ancestor<'a>(element: ElementRef<'a>, tag: &str) -> Option<ElementRef<'a>> {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|ancestor| ancestor.value().name() == tag)
}

/// The element's parent element.
pub(crate) fn parent(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element.parent().and_then(ElementRef::wrap)
}

/// The phone number in `tel:` form: "+39" followed by the digits of an Italian number.
pub(crate) fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("tel:+39{digits}")
}
