//! Reminders after `carta build`: compared with the site the output folder held, the content
//! changed but `last_updated` did not, or the fragment for the ente's CMS changed and must be pasted
//! again. Notes, never problems: the site is written either way.

mod common;

use common::Project;

const CHAPTER: &str = "content/chapters/01-il-valore-del-servizio.md";
const CHARTER: &str = "content/charter.yaml";
const FRAGMENT_NOTE: &str = "nota: il frammento per il sito dell'ente (trasparenza/frammento.txt) è cambiato (riporta dimensioni e date dei file): dopo la pubblicazione incollalo di nuovo nella pagina di «Amministrazione trasparente» che rimanda alla carta";

fn notes(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|line| {
            line.starts_with("nota: dall'ultima build") || line.starts_with("nota: il frammento")
        })
        .collect()
}

#[test]
fn a_changed_charter_with_the_same_last_updated_is_noted_and_a_new_fragment_must_be_pasted() {
    let project = Project::default_copy();
    let output = project.output("public");

    // The first build has nothing to compare with; the same charter again changes nothing.
    let first = project.build(&output, &[]);
    first.assert_success();
    assert_eq!(notes(&first.stdout), Vec::<&str>::new());
    let again = project.build(&output, &[]);
    again.assert_success();
    assert_eq!(notes(&again.stdout), Vec::<&str>::new());

    // A chapter's words change, the date does not.
    let text = project.read(CHAPTER);
    project.write(
        CHAPTER,
        &text.replacen(
            "\n## ",
            "\nUn paragrafo aggiunto dopo l'approvazione.\n\n## ",
            1,
        ),
    );
    let fragment = output.join("trasparenza/frammento.txt");
    let fragment_before = std::fs::read(&fragment).unwrap();
    let edited = project.build(&output, &[]);
    edited.assert_success();
    let charter = project.read(CHARTER);
    let date = charter
        .lines()
        .find_map(|line| line.strip_prefix("last_updated: "))
        .unwrap()
        .trim();
    let mut expected = vec![format!(
        "nota: dall'ultima build in questa cartella è cambiato «Carta dei servizi, edizione per la stampa», ma `last_updated` in content/charter.yaml è ancora {date}: se il contenuto della carta è cambiato, aggiorna la data (docs/content.md § 4)"
    )];
    // The fragment shows the print edition's size rounded to 0.1 kB: whether a new paragraph
    // changes it depends on where the size falls, and the note says so exactly when it does.
    if std::fs::read(&fragment).unwrap() != fragment_before {
        expected.push(FRAGMENT_NOTE.to_string());
    }
    assert_eq!(notes(&edited.stdout), expected, "{}", edited.stdout);
    let page = std::fs::read_to_string(output.join("il-valore-del-servizio/index.html")).unwrap();
    assert!(
        page.contains("Un paragrafo aggiunto"),
        "the site is written all the same"
    );

    // The date follows: no reminder of it, but the fragment (which shows the date) changed.
    project.replace(
        CHARTER,
        &format!("last_updated: {date}"),
        "last_updated: 2025-07-01",
    );
    let dated = project.build(&output, &[]);
    dated.assert_success();
    assert_eq!(notes(&dated.stdout), [FRAGMENT_NOTE], "{}", dated.stdout);

    // --quiet prints only problems.
    project.replace(
        CHARTER,
        "last_updated: 2025-07-01",
        "last_updated: 2025-07-02",
    );
    let quiet = project.build(&output, &["--quiet"]);
    quiet.assert_success();
    assert_eq!(quiet.stdout, "");
}
