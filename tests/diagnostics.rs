//! Broken input → located Italian diagnostics, exit code 1, and the previous output untouched.
//!
//! Each test builds the default project once successfully, breaks one thing, builds again into
//! the same output folder and checks what was reported and that the old site is byte for byte the
//! same.

mod common;

use common::{
    Diag, EXIT_CONTENT_ERRORS, EXIT_USAGE_OR_IO, Project, Run, carta, entries, line_text, locate,
    snapshot,
};

const COMMITMENTS: &str = "content/data/commitments.yaml";
const ORGANIZATION: &str = "content/data/organization.yaml";
const CONTACTS: &str = "content/data/contacts.yaml";
const CHAPTER_3: &str = "content/chapters/03-standard-di-qualita.md";
const CHAPTER_4: &str = "content/chapters/04-rapporto-con-il-cittadino.md";
/// The project's override of the built-in chapter template (copied in by the tests that break it).
const CHAPTER_TEMPLATE: &str = "templates/chapter.html";

/// The first commitment's standards, a unique anchor in commitments.yaml.
const FIRST_STANDARDS: &str = "users: [\"amministratori\", \"dipendenti\"]\n    standards:\n      - take_charge: { days: 3, percent: 85 }";

/// Builds the project into `public`, lets `breaks` damage it, builds again into the same folder.
/// Asserts exit code 1, that nothing in the old output changed and that no stray folder was left
/// next to it; returns the second run.
fn build_broken(project: &Project, breaks: impl FnOnce(&Project)) -> Run {
    let output = project.output("public");
    project.build(&output, &[]).assert_success();
    let before = snapshot(&output);
    assert!(before.len() > 5, "the first build wrote a site");

    breaks(project);
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    assert!(
        !run.stdout.contains("scritte in"),
        "a failed build does not claim to have written pages: {}",
        run.stdout
    );
    let after = snapshot(&output);
    assert!(
        before == after,
        "the previous output changed after a failed build: {:?}",
        before
            .keys()
            .chain(after.keys())
            .filter(|path| before.get(*path) != after.get(*path))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        entries(project.parent()),
        ["project", "public"],
        "a failed build leaves no temporary folder behind"
    );
    run
}

/// The single diagnostic of a run that reported exactly one error.
fn only_error(run: &Run) -> Diag {
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics.len(),
        1,
        "exactly one diagnostic expected:\n{}",
        run.stderr
    );
    run.assert_error_count(1);
    diagnostics.into_iter().next().unwrap()
}

/// Checks that the quoted source line is the file's line.
fn assert_quotes(diag: &Diag, text: &str) {
    let line = diag.line.expect("a line");
    assert_eq!(
        diag.source_line.as_deref(),
        Some(line_text(text, line)),
        "the snippet quotes line {line}: {diag:#?}"
    );
}

#[test]
fn malformed_yaml_is_e101_where_the_parser_stops() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        // Unclosed `[`: the flow sequence swallows the next line, whose `:` is illegal there.
        text = project.replace(
            COMMITMENTS,
            "users: [\"amministratori\", \"dipendenti\"]\n",
            "users: [\"amministratori\", \"dipendenti\"\n",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "\"dipendenti\"\n    standards:", ":");
    diag.assert_at("E101", COMMITMENTS, line, col);
    assert_eq!(diag.message, "due punti fuori posto");
    diag.assert_hint(
        "un testo che contiene `: ` va tra virgolette; controlla anche che le parentesi `[` e `{` delle righe sopra siano chiuse",
    );
    assert_quotes(&diag, &text);
}

#[test]
fn wrong_type_is_e104_on_the_value() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            FIRST_STANDARDS,
            &FIRST_STANDARDS.replace("days: 3", "days: tre"),
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "days: tre", "tre");
    diag.assert_at("E104", COMMITMENTS, line, col);
    diag.assert_underlined("tre");
    assert!(
        diag.message.contains("numero intero"),
        "says a whole number is needed: {diag:#?}"
    );
    diag.assert_hint("scrivi solo cifre, senza unità: 3");
    assert_quotes(&diag, &text);
}

#[test]
fn a_tab_in_the_indentation_is_e101_on_the_tab_in_italian() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            "\n    users: [\"amministratori\", \"dipendenti\"]",
            "\n  \t  users: [\"amministratori\", \"dipendenti\"]",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "\t  users: [\"amministratori\"", "\t");
    diag.assert_at("E101", COMMITMENTS, line, col);
    assert_eq!(col, 3, "the tab is the third character of the line");
    assert_eq!(
        diag.message,
        "tabulazione nel rientro: in YAML si rientra solo con gli spazi"
    );
    diag.assert_hint(
        "sostituisci la tabulazione con spazi, allineando la riga alle altre dello stesso livello",
    );
    assert!(!run.stderr.contains("tabs disallowed"), "{}", run.stderr);
}

#[test]
fn a_percentage_written_with_its_sign_is_quoted_and_shown_corrected() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            FIRST_STANDARDS,
            &FIRST_STANDARDS.replace("percent: 85 }", "percent: 90% }"),
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "percent: 90%", "90%");
    diag.assert_at("E104", COMMITMENTS, line, col);
    assert_eq!(diag.message, "valore non valido `90%`: serve un numero");
    diag.assert_hint(
        "scrivi 90: solo il numero, con il punto come separatore decimale, senza % né unità",
    );
}

#[test]
fn a_decimal_comma_is_shown_corrected() {
    let project = Project::default_copy();
    let run = build_broken(&project, |project| {
        project.replace(
            COMMITMENTS,
            FIRST_STANDARDS,
            &FIRST_STANDARDS.replace("percent: 85 }", "percent: 85,5 }"),
        );
    });
    let diag = only_error(&run);
    assert_eq!(diag.code, "E102");
    diag.assert_hint(
        "scrivi 85.5: nei numeri il separatore dei decimali è il punto, non la virgola",
    );
}

#[test]
fn a_date_written_the_italian_way_is_quoted_and_shown_as_iso() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            "content/charter.yaml",
            "  date: 2025-06-03",
            "  date: 15/9/2025",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "date: 15/9/2025", "15/9/2025");
    diag.assert_at("E104", "content/charter.yaml", line, col);
    assert_eq!(diag.message, "data non valida `15/9/2025`");
    diag.assert_hint("scrivi 2025-09-15: le date si scrivono AAAA-MM-GG");
}

#[test]
fn missing_required_field_is_e103_on_the_element_that_lacks_it() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            "    service: \"Gestione e rilascio credenziali di autenticazione, firma digitale; richieste relative a PKI e PEC\"\n",
            "",
        );
    });
    let diag = only_error(&run);
    assert_eq!(diag.code, "E103", "{diag:#?}");
    assert_eq!(diag.message, "manca la chiave obbligatoria `service`");
    assert_eq!(diag.file.as_deref(), Some(COMMITMENTS));
    // The element without `service` starts at its `- id:` line; the caret belongs there (on the
    // dash or on the first key), not on whichever key happens to come last in the element.
    let (line, dash) = locate(&text, "  - id: credenziali-firma-digitale\n", "- id");
    let key = dash + 2;
    assert!(
        diag.line == Some(line) && (diag.col == Some(dash) || diag.col == Some(key)),
        "E103 should point at {COMMITMENTS}:{line}:{dash} or :{key} (the commitment without \
         `service`), got {:?}:{:?}\n{}",
        diag.line,
        diag.col,
        run.stderr
    );
    diag.assert_hint(
        "aggiungi `service: ...` a questo elemento; l'elenco delle chiavi è in docs/content.md",
    );
}

#[test]
fn unknown_key_is_e102_with_did_you_mean() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            FIRST_STANDARDS,
            &FIRST_STANDARDS.replace("percent: 85", "percnt: 85"),
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "percnt: 85", "percnt");
    diag.assert_at("E102", COMMITMENTS, line, col);
    diag.assert_underlined("percnt");
    assert_eq!(diag.message, "chiave sconosciuta `percnt`");
    diag.assert_hint("forse intendevi `percent`?");
    assert_quotes(&diag, &text);
}

#[test]
fn unknown_unit_in_a_commitment_is_e131_with_did_you_mean() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            "PKI e PEC\"\n    users: [\"amministratori\", \"dipendenti\"]\n    standards:\n      - take_charge: { days: 3, percent: 85 }\n      - response: { days: 4, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologiche]",
            "PKI e PEC\"\n    users: [\"amministratori\", \"dipendenti\"]\n    standards:\n      - take_charge: { days: 3, percent: 85 }\n      - response: { days: 4, percent: 85 }\n    responsible: [gestione-infrastrutture-tecnologica]",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(
        &text,
        "responsible: [gestione-infrastrutture-tecnologica]",
        "gestione",
    );
    diag.assert_at("E131", COMMITMENTS, line, col);
    diag.assert_underlined("gestione-infrastrutture-tecnologica");
    assert_eq!(
        diag.message,
        "unità sconosciuta: `gestione-infrastrutture-tecnologica`"
    );
    diag.assert_hint("forse intendevi `gestione-infrastrutture-tecnologiche`?");
    assert_quotes(&diag, &text);
}

#[test]
fn unknown_person_as_unit_head_is_e131_with_did_you_mean() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            ORGANIZATION,
            "    head: marco-mencacci\n",
            "    head: marco-mencaci\n",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "    head: marco-mencaci\n", "marco-mencaci");
    diag.assert_at("E131", ORGANIZATION, line, col);
    diag.assert_underlined("marco-mencaci");
    assert_eq!(diag.message, "persona sconosciuta: `marco-mencaci`");
    diag.assert_hint("forse intendevi `marco-mencacci`?");
    assert_quotes(&diag, &text);
}

#[test]
fn duplicate_person_id_is_e130_on_the_second_one() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            ORGANIZATION,
            "  - id: nicolo-galia\n",
            "  - id: marco-mencacci\n    name: \"Marco Mencacci (omonimo)\"\n  - id: nicolo-galia\n",
        );
    });
    let diag = only_error(&run);
    let (first_line, _) = locate(
        &text,
        "  - id: marco-mencacci\n    name: \"Marco Mencacci\"",
        "marco",
    );
    let (line, col) = locate(
        &text,
        "  - id: marco-mencacci\n    name: \"Marco Mencacci (omonimo)\"",
        "marco-mencacci",
    );
    diag.assert_at("E130", ORGANIZATION, line, col);
    diag.assert_underlined("marco-mencacci");
    assert_eq!(
        diag.message,
        format!("id `marco-mencacci` già usato alla riga {first_line} (persona)")
    );
    diag.assert_hint("ogni id deve essere unico: cambia uno dei due");
}

#[test]
fn malformed_email_is_e132() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            ORGANIZATION,
            "email: \"marco.mencacci@comune.fi.it\"",
            "email: \"marco.mencacci@comune\"",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "email: \"marco.mencacci@comune\"", "\"marco");
    diag.assert_at("E132", ORGANIZATION, line, col);
    assert_eq!(
        diag.underlined.as_deref().map(|u| u.trim_matches('"')),
        Some("marco.mencacci@comune"),
        "{diag:#?}"
    );
    assert_eq!(
        diag.message,
        "indirizzo email non valido: `marco.mencacci@comune`"
    );
    diag.assert_hint("un indirizzo email ha la forma nome@dominio.it, senza spazi né «mailto:»");
}

#[test]
fn malformed_phone_is_e133() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            ORGANIZATION,
            "phone: \"055 3282726\"",
            "phone: \"055-3282726\"",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "phone: \"055-3282726\"", "\"055");
    diag.assert_at("E133", ORGANIZATION, line, col);
    assert_eq!(
        diag.underlined.as_deref().map(|u| u.trim_matches('"')),
        Some("055-3282726"),
        "{diag:#?}"
    );
    assert_eq!(diag.message, "numero di telefono non valido: `055-3282726`");
    diag.assert_hint(
        "scrivi solo cifre e spazi, con il prefisso: \"0123 456789\" oppure \"+39 0123 456789\"",
    );
}

/// The front matter of a chapter: from the first line to the closing `---` line included.
fn front_matter(text: &str) -> String {
    let rest = text.strip_prefix("---\n").expect("chapter starts with ---");
    let end = rest.find("\n---\n").expect("closing ---") + "\n---\n".len();
    format!("---\n{}", &rest[..end])
}

#[test]
fn unclosed_front_matter_is_e121() {
    let project = Project::default_copy();
    let run = build_broken(&project, |project| {
        let original = project.read(CHAPTER_4);
        let front = front_matter(&original);
        let without_closing = front.strip_suffix("---\n").unwrap();
        assert!(!original[front.len()..].contains("\n---\n"));
        project.replace(CHAPTER_4, &front, without_closing);
    });
    let diag = only_error(&run);
    diag.assert_at("E121", CHAPTER_4, 1, 1);
    diag.assert_underlined("---");
    assert_eq!(diag.message, "l'intestazione del capitolo non è chiusa");
    diag.assert_hint("aggiungi una riga con solo `---` dopo l'ultima chiave dell'intestazione");
}

#[test]
fn missing_front_matter_is_e120() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        let original = project.read(CHAPTER_4);
        text = project.replace(CHAPTER_4, &format!("{}\n", front_matter(&original)), "");
        assert!(text.starts_with("## 4.1 Reclami\n"), "{text}");
    });
    let diag = only_error(&run);
    diag.assert_at("E120", CHAPTER_4, 1, 1);
    assert_eq!(
        diag.message,
        "manca l'intestazione del capitolo (front matter)"
    );
    let hint = diag.hint.as_deref().unwrap_or("");
    assert!(
        hint.starts_with("il file deve iniziare così:")
            && hint.contains("\n---\ntitle: ")
            && hint.contains("\norder: "),
        "the hint shows the expected header: {diag:#?}"
    );
    assert_quotes(&diag, &text);
}

/// Inserts `paragraph` as its own paragraph just before `## 4.2 ...` in chapter 4.
fn insert_in_chapter_4(project: &Project, paragraph: &str) -> String {
    project.replace(
        CHAPTER_4,
        "\n## 4.2 Individuazione",
        &format!("\n{paragraph}\n\n## 4.2 Individuazione"),
    )
}

#[test]
fn script_in_a_chapter_is_e150_at_its_line() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = insert_in_chapter_4(project, "<script>alert('ciao')</script>");
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "<script>alert('ciao')</script>", "<script>");
    diag.assert_at("E150", CHAPTER_4, line, col);
    assert_eq!(diag.message, "HTML non ammesso nel testo: <script>");
    diag.assert_hint(
        "il testo dei capitoli non può contenere script, stili o contenuti incorporati: togli il tag",
    );
    assert_quotes(&diag, &text);
}

#[test]
fn script_inside_an_html_block_is_e150_at_the_script_line() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = insert_in_chapter_4(
            project,
            "<div lang=\"it\">\n<p>Per segnalazioni scrivete all'URP.</p>\n<script>alert('ciao')</script>\n</div>",
        );
    });
    let diag = only_error(&run);
    assert_eq!(diag.message, "HTML non ammesso nel testo: <script>");
    // The script is on the third line of the HTML block: the diagnostic must point there, not at
    // the `<div>` that opens the block.
    let (line, col) = locate(&text, "<script>alert('ciao')</script>", "<script>");
    diag.assert_at("E150", CHAPTER_4, line, col);
    assert_quotes(&diag, &text);
}

#[test]
fn columns_count_characters_not_bytes() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(
            COMMITMENTS,
            "      - availability: { percent: 99.6, note: \"24x7\" }",
            "      - availability: { note: \"24×7, è così\", percnt: 99.6 }",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "è così\", percnt", "percnt");
    diag.assert_at("E102", COMMITMENTS, line, col);
    diag.assert_underlined("percnt");

    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = insert_in_chapter_4(
            project,
            "Perché sì: è così <img src=\"logo.png\" alt=\"\" onerror=\"rubare()\"> ecco.",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "è così <img", "<img");
    diag.assert_at("E150", CHAPTER_4, line, col);
    diag.assert_underlined("<");
}

#[test]
fn event_handler_attribute_in_a_chapter_is_e150() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = insert_in_chapter_4(
            project,
            "Scrivi all'<a href=\"mailto:urp@comune.fi.it\" onclick=\"traccia()\">URP</a> per informazioni.",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(
        &text,
        "all'<a href=\"mailto:urp@comune.fi.it\" onclick",
        "<a",
    );
    diag.assert_at("E150", CHAPTER_4, line, col);
    assert_eq!(
        diag.message,
        "attributo HTML non ammesso: onclick=\"…\" su <a>"
    );
    diag.assert_hint("gli attributi on… eseguono codice: toglilo");
    assert_quotes(&diag, &text);
}

#[test]
fn javascript_link_in_a_chapter_is_e150() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = insert_in_chapter_4(
            project,
            "Per i dettagli [il modulo](javascript:alert(1)) e attendi.",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "[il modulo](javascript:", "javascript:");
    diag.assert_at("E150", CHAPTER_4, line, col);
    assert_eq!(
        diag.message,
        "indirizzo `javascript:` non ammesso nel link: `javascript:alert(1)`"
    );
    diag.assert_hint(
        "un link deve portare a una pagina (https://…), a un altro capitolo (file .md), a un indirizzo email (mailto:, al più con subject e body) o a un telefono (tel:)",
    );
    assert_quotes(&diag, &text);
}

#[test]
fn unknown_block_marker_is_e152_with_did_you_mean() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(CHAPTER_3, "{{ impegni }}", "{{ impegno }}");
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "{{ impegno }}", "{{");
    diag.assert_at("E152", CHAPTER_3, line, col);
    diag.assert_underlined("{{ impegno }}");
    assert_eq!(diag.message, "blocco sconosciuto `{{ impegno }}`");
    diag.assert_hint("forse intendevi `{{ impegni }}`?");
    assert_quotes(&diag, &text);
}

const TEMPLATE_HINT: &str =
    "correggi il modello del tema; la sintassi è quella di Tera 2 (https://keats.github.io/tera/)";

#[test]
fn unclosed_if_in_a_template_is_e176_in_the_template_file() {
    let project = Project::default_copy();
    let mut text = String::new();
    project.eject(CHAPTER_TEMPLATE);
    let run = build_broken(&project, |project| {
        text = project.replace(
            CHAPTER_TEMPLATE,
            "{% block content %}",
            "{% block content %}{% if page.title %}",
        );
    });
    let diag = only_error(&run);
    // Tera notices the missing `{% endif %}` when it meets the block's end tag.
    let (line, col) = locate(&text, "{% endblock content %}", "endblock");
    diag.assert_at("E176", CHAPTER_TEMPLATE, line, col);
    assert!(diag.message.contains("chapter.html"), "{diag:#?}");
    diag.assert_hint(TEMPLATE_HINT);
    assert_quotes(&diag, &text);
}

/// A malformed link in a template is only found by the rewrite pass, when the pages are already
/// being written into the staging folder: the build still fails as a whole, the old site stays and
/// the staging folder goes (`build_broken` checks both).
#[test]
fn malformed_link_in_a_template_is_e161_and_the_staged_pages_are_dropped() {
    let project = Project::default_copy();
    project.eject("templates/404.html");
    let run = build_broken(&project, |project| {
        project.replace(
            "templates/404.html",
            "<p>{{ strings.not_found.hint }}</p>",
            "<p>{{ strings.not_found.hint }} <a href=\"mailto:assistenza\">assistenza</a></p>",
        );
    });
    let diag = only_error(&run);
    assert_eq!(diag.code, "E161", "{diag:#?}");
    assert!(
        diag.message.contains("mailto:assistenza") && diag.message.contains("/404.html"),
        "{diag:#?}"
    );
    diag.assert_hint("il link viene dal tema: controlla il modello che lo scrive");
}

#[test]
fn undefined_variable_in_a_template_is_e176_on_the_variable() {
    let project = Project::default_copy();
    let mut text = String::new();
    project.eject(CHAPTER_TEMPLATE);
    let run = build_broken(&project, |project| {
        text = project.replace(
            CHAPTER_TEMPLATE,
            "{% block content %}",
            "{% block content %}\n<p class=\"sottotitolo\">{{ page.sottotitolo }}</p>",
        );
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "{{ page.sottotitolo }}", "sottotitolo");
    diag.assert_at("E176", CHAPTER_TEMPLATE, line, col);
    diag.assert_underlined("sottotitolo");
    assert!(
        diag.message.contains("chapter.html") && diag.message.contains("sottotitolo"),
        "{diag:#?}"
    );
    diag.assert_hint(TEMPLATE_HINT);
}

#[test]
fn errors_in_several_data_files_are_reported_in_one_run() {
    let project = Project::default_copy();
    let (mut commitments, mut contacts, mut organization) =
        (String::new(), String::new(), String::new());
    let run = build_broken(&project, |project| {
        organization = project.replace(
            ORGANIZATION,
            "    head: marco-mencacci\n",
            "    head: marco-mencaci\n",
        );
        commitments = project.replace(
            COMMITMENTS,
            "responsible: [sviluppo-infrastrutture-tecnologiche, sicurezza-infrastruttura-architettura-it]",
            "responsible: [sviluppo-infrastrutture-tecnologiche, sicurezza-infrastrutture]",
        );
        contacts = project.replace(
            CONTACTS,
            "emails: [\"trasparenza@comune.fi.it\"]",
            "emails: [\"trasparenza@@comune.fi.it\"]",
        );
    });
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 3, "{}", run.stderr);
    run.assert_error_count(3);
    // Sorted by file, then position.
    let (line, col) = locate(&commitments, "sicurezza-infrastrutture]", "sicurezza");
    diagnostics[0].assert_at("E131", COMMITMENTS, line, col);
    diagnostics[0].assert_hint("forse intendevi `sicurezza-infrastruttura-architettura-it`?");
    let (line, col) = locate(
        &contacts,
        "[\"trasparenza@@comune.fi.it\"]",
        "\"trasparenza",
    );
    diagnostics[1].assert_at("E132", CONTACTS, line, col);
    let (line, col) = locate(&organization, "head: marco-mencaci\n", "marco");
    diagnostics[2].assert_at("E131", ORGANIZATION, line, col);
    diagnostics[2].assert_hint("forse intendevi `marco-mencacci`?");
}

#[test]
fn parse_errors_in_several_files_are_reported_in_one_run() {
    let project = Project::default_copy();
    let (mut commitments, mut organization) = (String::new(), String::new());
    let run = build_broken(&project, |project| {
        commitments = project.replace(
            COMMITMENTS,
            FIRST_STANDARDS,
            &FIRST_STANDARDS.replace("days: 3", "days: tre"),
        );
        organization = project.replace(
            ORGANIZATION,
            "    email: \"luca.bertelli@comune.fi.it\"",
            "    emial: \"luca.bertelli@comune.fi.it\"",
        );
        let chapter = project.read(CHAPTER_4);
        let front = front_matter(&chapter);
        project.replace(CHAPTER_4, &front, front.strip_suffix("---\n").unwrap());
    });
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 3, "{}", run.stderr);
    run.assert_error_count(3);
    diagnostics[0].assert_at("E121", CHAPTER_4, 1, 1);
    let (line, col) = locate(&commitments, "days: tre", "tre");
    diagnostics[1].assert_at("E104", COMMITMENTS, line, col);
    let (line, col) = locate(&organization, "emial:", "emial");
    diagnostics[2].assert_at("E102", ORGANIZATION, line, col);
    diagnostics[2].assert_hint("forse intendevi `email`?");
}

#[test]
fn bootstrap_mode_without_bootstrap_installed_is_e171() {
    // A theme of the project's own, without Bootstrap Italia (the built-in one always has it).
    let project = Project::default_copy();
    project.own_theme("comune");
    let output = project.output("public");
    let run = project.build(&output, &["--stylesheet", "bootstrap"]);
    run.assert_code(EXIT_CONTENT_ERRORS);
    let diag = only_error(&run);
    assert_eq!(diag.code, "E171", "{diag:#?}");
    assert_eq!(
        diag.file.as_deref(),
        Some("themes/comune/node_modules/bootstrap-italia/dist")
    );
    diag.assert_hint(
        "installalo con: npm ci --prefix themes/comune, oppure usa il tema integrato \"agid\", che lo contiene",
    );
    assert!(!output.exists(), "nothing is written");
}

#[test]
fn unknown_flag_is_a_usage_error_with_exit_code_2() {
    let project = Project::default_copy();
    let output = project.output("public");
    let run = project.build(&output, &["--frobnicate"]);
    run.assert_code(EXIT_USAGE_OR_IO);
    assert!(
        run.stderr.contains("--frobnicate"),
        "the error names the flag: {}",
        run.stderr
    );
    assert!(!output.exists(), "nothing is written");

    let run = carta(project.parent(), &["costruisci"]);
    run.assert_code(EXIT_USAGE_OR_IO);
    let run = carta(
        project.parent(),
        &["build", "--stylesheet", "bootstrapp", "--root", "project"],
    );
    run.assert_code(EXIT_USAGE_OR_IO);
    assert!(!project.parent().join("project/public").exists());
}

#[test]
fn a_folder_that_is_not_a_site_is_never_replaced() {
    let project = Project::default_copy();
    let output = project.output("documenti");
    std::fs::create_dir_all(&output).unwrap();
    std::fs::write(output.join("tesi.odt"), "non cancellarmi").unwrap();
    let run = project.build(&output, &[]);
    run.assert_code(EXIT_USAGE_OR_IO);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "E200", "{:#?}", diagnostics[0]);
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("scegli un'altra cartella con --output, oppure svuota quella indicata")
    );
    assert_eq!(entries(&output), ["tesi.odt"], "the folder is left alone");
    assert_eq!(
        std::fs::read_to_string(output.join("tesi.odt")).unwrap(),
        "non cancellarmi"
    );
    assert_eq!(
        entries(project.parent()),
        ["documenti", "project"],
        "no temporary folder is left behind"
    );
}

#[test]
fn duplicate_chapter_order_points_into_the_chapter_header() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace(CHAPTER_4, "\norder: 4\n", "\norder: 3\n");
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "order: 3", "3");
    diag.assert_at("E137", CHAPTER_4, line, col);
    diag.assert_hint("dai a ogni capitolo un numero d'ordine diverso");
    assert_quotes(&diag, &text);
}

#[test]
fn validation_and_chapter_errors_come_in_the_same_run() {
    let project = Project::default_copy();
    let run = build_broken(&project, |project| {
        project.replace(
            ORGANIZATION,
            "email: \"marco.mencacci@comune.fi.it\"",
            "email: \"marco.mencacci@comune\"",
        );
        insert_in_chapter_4(project, "<script>alert(1)</script>");
    });
    let codes: Vec<String> = run.diagnostics().into_iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E150", "E132"], "{}", run.stderr);
    run.assert_error_count(2);
}

#[test]
fn misspelt_or_inline_block_markers_are_errors_not_text() {
    let project = Project::default_copy();
    let run = build_broken(&project, |project| {
        project.replace(
            "content/chapters/02-descrizione-del-servizio.md",
            "{{ contatti }}",
            "{{ Contatti }}",
        );
        insert_in_chapter_4(project, "Vedi {{ impegni }} sopra.");
    });
    let diagnostics = run.diagnostics();
    let found: Vec<(&str, Option<&str>)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("E152", Some("forse intendevi `{{ contatti }}`?")),
            (
                "E153",
                Some(
                    "metti il blocco, per esempio {{ contatti }}, da solo su una riga, con una riga vuota prima e dopo"
                )
            ),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_data_file_is_a_warning_and_an_error_with_strict() {
    let project = Project::default_copy();
    project.write("content/data/contact.yaml", "processes: []\n");
    let output = project.output("public");
    let run = project.build(&output, &[]);
    run.assert_success();
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert_eq!(diagnostics[0].code, "W113");
    diagnostics[0].assert_hint("forse intendevi contacts.yaml?");
    assert!(run.stdout.contains("1 avviso"), "{}", run.stdout);

    let strict = project.build(&project.output("strict"), &["--strict"]);
    strict.assert_code(EXIT_CONTENT_ERRORS);
    assert!(
        !project.output("strict").exists(),
        "nothing written with --strict"
    );
}

#[test]
fn a_missing_project_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = carta(
        dir.path(),
        &["build", "--root", "non-esiste", "--color", "never"],
    );
    run.assert_code(EXIT_USAGE_OR_IO);
    assert!(
        run.stderr
            .contains("non è la cartella di un progetto carta"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_language_code_with_accents_is_e138_not_a_crash() {
    let project = Project::default_copy();
    let mut text = String::new();
    let run = build_broken(&project, |project| {
        text = project.replace("site.toml", "language = \"it\"", "language = \"itàa\"");
    });
    let diag = only_error(&run);
    let (line, col) = locate(&text, "language = \"itàa\"", "language");
    diag.assert_at("E138", "site.toml", line, col);
    assert_eq!(diag.message, "codice di lingua non valido: itàa");
}

#[test]
fn the_codes_in_the_program_and_in_docs_diagnostics_are_the_same_set() {
    let root = common::repo_root();
    let doc = std::fs::read_to_string(root.join("docs/diagnostics.md")).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (index, _) in text.match_indices('"') {
            let code = text.get(index + 1..index + 5).unwrap_or("");
            let closed = text.get(index + 5..index + 6) == Some("\"");
            let mut chars = code.chars();
            if closed
                && matches!(chars.next(), Some('E' | 'W'))
                && chars.all(|c| c.is_ascii_digit())
            {
                codes.insert(code.to_string());
            }
        }
    }
    assert!(
        codes.contains("E145") && codes.contains("W149"),
        "{codes:?}"
    );
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| {
            !doc.contains(&format!("\n### {code}\n"))
                && !doc.contains(&format!("<a id=\"{}\"></a>{code}", code.to_lowercase()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an explanation: {missing:?}"
    );
    // And nothing is explained that the program never says: a code is a heading (`### E101`) or
    // an anchored entry (`<a id="e101"></a>E101`).
    let mut documented = std::collections::BTreeSet::new();
    for line in doc.lines() {
        let entry = line
            .strip_prefix("### ")
            .or_else(|| line.split_once("</a>").map(|(_, after)| after));
        let code: String = entry.unwrap_or("").chars().take(4).collect();
        let mut chars = code.chars();
        if code.len() == 4
            && matches!(chars.next(), Some('E' | 'W'))
            && chars.all(|c| c.is_ascii_digit())
        {
            documented.insert(code);
        }
    }
    let stale: Vec<&String> = documented.difference(&codes).collect();
    assert!(
        stale.is_empty(),
        "docs/diagnostics.md explains codes the program never emits: {stale:?}"
    );
    assert_eq!(documented.len(), codes.len(), "{documented:?}");
}

#[test]
fn a_chapter_cannot_take_the_address_of_the_pack_or_of_the_editions_archive() {
    // Either page would have replaced the chapter, while the menu still named it.
    let project = Project::default_copy();
    let (mut third, mut fourth) = (String::new(), String::new());
    let run = build_broken(&project, |project| {
        third = project.replace(CHAPTER_3, "order: 3\n", "order: 3\nslug: edizioni\n");
        fourth = project.replace(CHAPTER_4, "order: 4\n", "order: 4\nslug: trasparenza\n");
    });
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 2, "{}", run.stderr);
    let (line, col) = locate(&third, "title: Standard di qualità", "Standard");
    diagnostics[0].assert_at("E137", CHAPTER_3, line, col);
    assert_eq!(
        diagnostics[0].message,
        "il capitolo ha lo stesso indirizzo /edizioni/ della pagina «Edizioni della carta»"
    );
    let (line, col) = locate(&fourth, "title: Rapporto con il cittadino", "Rapporto");
    diagnostics[1].assert_at("E137", CHAPTER_4, line, col);
    assert_eq!(
        diagnostics[1].message,
        "il capitolo ha lo stesso indirizzo /trasparenza/ della pagina «Trasparenza e dati aperti»"
    );
    diagnostics[1]
        .assert_hint("aggiungi `slug:` con un indirizzo diverso nell'intestazione del capitolo");
}
