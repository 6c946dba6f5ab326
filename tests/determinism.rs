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
