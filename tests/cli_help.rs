//! The command line speaks Italian: every command's help, and clap's own errors.

use std::process::Command;

fn carta(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_carta"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("carta runs");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// clap's English words that must not reach the office.
const ENGLISH: [&str; 9] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "[default:",
    "[possible values:",
    "Possible values:",
];

fn assert_italian(args: &[&str], words: &[&str]) {
    let (code, stdout, stderr) = carta(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    for english in ENGLISH {
        assert!(
            !stdout.contains(english),
            "{args:?} prints {english:?}:\n{stdout}"
        );
    }
    for word in ["Uso: carta", "Opzioni:", "Mostra questo aiuto"]
        .iter()
        .chain(words)
    {
        assert!(stdout.contains(word), "{args:?} lacks {word:?}:\n{stdout}");
    }
}

#[test]
fn the_main_help_is_italian_in_both_forms() {
    for flag in ["--help", "-h"] {
        assert_italian(
            &[flag],
            &[
                "Comandi:",
                "Mostra la versione",
                "Genera il sito",
                "Controlla tutto",
            ],
        );
    }
}

#[test]
fn every_subcommand_help_is_italian() {
    let commands: &[(&str, &[&str])] = &[
        (
            "build",
            &[
                "Uso: carta build [OPZIONI]",
                "Tratta gli avvisi come errori",
                "[predefinito: auto]",
                "Motore del PDF",
            ],
        ),
        (
            "check",
            &[
                "Uso: carta check [OPZIONI]",
                "Secondi di attesa",
                "[predefinito: 10]",
            ],
        ),
        (
            "init",
            &[
                "Uso: carta init [OPZIONI] <CARTELLA>",
                "Argomenti:",
                "Cartella del nuovo progetto",
            ],
        ),
        #[cfg(feature = "serve")]
        (
            "serve",
            &[
                "Uso: carta serve [OPZIONI]",
                "Porta su cui ascoltare",
                "[predefinito: 4000]",
            ],
        ),
    ];
    for (command, words) in commands {
        assert_italian(&[command, "--help"], words);
        assert_italian(&[command, "-h"], words);
    }
    // A command under a command is named after it.
    assert_italian(
        &["theme", "--help"],
        &["Uso: carta theme [OPZIONI] <COMANDO>", "Comandi:", "eject"],
    );
    assert_italian(
        &["theme", "eject", "--help"],
        &[
            "Uso: carta theme eject [OPZIONI] <PERCORSO>",
            "Argomenti:",
            "--record",
        ],
    );
}

#[test]
fn the_version_flag_prints_the_version() {
    let (code, stdout, _) = carta(&["--version"]);
    assert_eq!(code, 0);
    let theme: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/agid/package.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let bootstrap = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/agid/vendor/bootstrap-italia/VERSION"),
    )
    .unwrap();
    assert_eq!(
        stdout,
        format!(
            "carta {} (tema agid {}, Bootstrap Italia {})\n",
            env!("CARGO_PKG_VERSION"),
            theme["version"].as_str().unwrap(),
            bootstrap.trim()
        ),
        "carta's, the theme's and Bootstrap Italia's versions"
    );
}

#[test]
fn command_line_errors_are_italian_with_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["build", "--bogus"],
            "errore: opzione sconosciuta: `--bogus`",
        ),
        (
            &["bild"],
            "errore: comando sconosciuto: `bild`\n  = suggerimento: forse intendevi `build`?",
        ),
        (
            &[],
            if cfg!(feature = "serve") {
                "errore: manca il comando: build, serve, check, init o theme"
            } else {
                "errore: manca il comando: build, check, init o theme"
            },
        ),
        (
            &["check", "--format", "xml"],
            "valore non valido per `--format <FORMATO>`: `xml`\n  = valori ammessi: human, json",
        ),
        (
            &["check", "--timeout", "1000"],
            "valore non valido per `--timeout <SECONDI>`: `1000`",
        ),
        (&["init"], "manca un argomento obbligatorio: <CARTELLA>"),
        (
            &["build", "--root"],
            "manca il valore di `--root <CARTELLA>`",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = carta(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        for english in ["error:", "Usage:", "For more information", "tip:"] {
            assert!(!stderr.contains(english), "{args:?}: {stderr}");
        }
    }
}

/// English words a help text written from a doc comment would hold, and an Italian one would not.
const ENGLISH_WORDS: [&str; 10] = [
    "the",
    "and",
    "with",
    "without",
    "even",
    "every",
    "everything",
    "folder",
    "older",
    "replace",
];

#[test]
fn every_command_describes_every_option_in_italian() {
    let mut commands = vec![
        vec!["build"],
        vec!["check"],
        vec!["init"],
        vec!["theme"],
        vec!["theme", "list"],
        vec!["theme", "eject"],
        vec!["theme", "diff"],
    ];
    if cfg!(feature = "serve") {
        commands.push(vec!["serve"]);
    }
    for command in commands {
        let mut args = command.clone();
        args.push("--help");
        let (code, stdout, stderr) = carta(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        for line in stdout.lines() {
            let english: Vec<&str> = line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| ENGLISH_WORDS.contains(&word.to_lowercase().as_str()))
                .collect();
            assert!(english.is_empty(), "{args:?} says {english:?}: {line}");
        }
    }
}
