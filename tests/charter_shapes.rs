//! Every charter's shape: charters that are not Firenze's. An ente without an office address or
//! some optional footer links, a settore with one responsible and staff referents and no units,
//! people without a direct phone, contacts that are only a PEC or a labelled address, opening
//! hours as data, and a charter that must promise something.

mod common;

use common::{EXIT_CONTENT_ERRORS, Project, locate};

const COMMITMENTS: &str = "content/data/commitments.yaml";

#[test]
fn a_charter_without_commitments_is_an_error() {
    let project = Project::default_copy();
    project.write(COMMITMENTS, "# Nessun impegno.\ncommitments: []\n");
    let run = project.check(&[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let text = project.read(COMMITMENTS);
    let (line, col) = locate(&text, "commitments: []", "commitments");
    let found: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "E136")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    found[0].assert_at("E136", COMMITMENTS, line, col);
    assert_eq!(
        found[0].message,
        "la carta non ha impegni: l'elenco `commitments` è vuoto"
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("scrivi almeno un impegno")),
        "{:?}",
        found[0]
    );
    // build refuses it too, and writes nothing.
    let output = project.output("public");
    project.build(&output, &[]).assert_code(EXIT_CONTENT_ERRORS);
    assert!(!output.exists());
}
