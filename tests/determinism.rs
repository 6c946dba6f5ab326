//! The same input gives the same site, byte for byte, whatever the folders involved.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{Project, snapshot};

type Snapshot = BTreeMap<PathBuf, Option<Vec<u8>>>;

fn assert_identical(first: &Snapshot, second: &Snapshot) {
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    let differing: Vec<_> = first
        .iter()
        .filter(|(path, bytes)| second.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "files that differ between the two builds: {differing:?}"
    );
    let files = first.values().filter(|bytes| bytes.is_some()).count();
    assert!(files > 10, "the builds wrote a whole site ({files} files)");
}

#[test]
fn two_builds_into_different_folders_are_byte_identical() {
    let project = Project::default_copy();
    let first = project.output("first");
    let second = project.output("nested/second");
    project.build(&first, &[]).assert_success();
    project.build(&second, &[]).assert_success();
    assert_identical(&snapshot(&first), &snapshot(&second));
}

#[test]
fn copies_of_the_project_in_different_places_build_the_same_site() {
    // Different absolute paths for the project and the output: nothing of either may leak into the
    // site.
    let one = Project::default_copy();
    let other = Project::default_copy();
    let first = one.output("public");
    let second = other.output("sito-generato");
    one.build(&first, &[]).assert_success();
    other.build(&second, &[]).assert_success();
    assert_identical(&snapshot(&first), &snapshot(&second));
}

#[test]
fn rebuilding_into_the_same_folder_changes_nothing() {
    let project = Project::default_copy();
    let output = project.output("public");
    project.build(&output, &[]).assert_success();
    let before = snapshot(&output);
    project.build(&output, &[]).assert_success();
    assert_identical(&before, &snapshot(&output));
}

/// Parallel rendering must not change a byte: a build on one thread and a build on four threads
/// of a charter with many chapters (so the work really is split) are identical.
#[test]
fn a_parallel_build_equals_a_single_threaded_build() {
    let project = Project::default_copy();
    let prose = project.read("content/chapters/02-descrizione-del-servizio.md");
    let body = prose
        .splitn(3, "---\n")
        .nth(2)
        .unwrap()
        .replace("{{", "")
        .replace("}}", "");
    for index in 5..45 {
        project.write(
            &format!("content/chapters/{index:02}-capitolo.md"),
            &format!("---\ntitle: \"Capitolo aggiunto {index}\"\norder: {index}\n---\n{body}"),
        );
    }
    let run = |threads: &str, name: &str| {
        let output = project.output(name);
        let result = std::process::Command::new(env!("CARGO_BIN_EXE_carta"))
            .args(["build", "--color", "never", "--root"])
            .arg(project.root())
            .arg("--output")
            .arg(&output)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("run carta");
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        snapshot(&output)
    };
    let single = run("1", "one-thread");
    let parallel = run("4", "four-threads");
    assert!(single.len() > 50, "the build wrote the added chapters");
    assert_identical(&single, &parallel);
}
