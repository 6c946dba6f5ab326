//! Entry points for the fuzz targets in `fuzz/`: untrusted bytes through the same parsers the
//! loader uses, in memory.
//!
//! One input is read as a chapter (front matter + YAML + Markdown, then the lint and the
//! diagnostics rendering), as every YAML data file, as `site.toml`, and through the fork-hygiene
//! scan. Any panic, hang or unbounded allocation here is a bug in carta: user mistakes must come
//! back as diagnostics. The regression inputs in `tests/fixtures/fuzz/` replay through
//! [`load_bytes`] in the ordinary test suite.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::config;
use crate::diagnostics::{self, Diagnostic};
use crate::fork;
use crate::load::{self, yaml};
use crate::markdown::{self, Links, Source};
use crate::model::{Channels, Charter, Commitments, Contacts, Organization, Stakeholders};
use crate::source::{FileId, SourceMap};

/// Parses `data` every way the loader can; returns how many diagnostics came out.
pub fn load_bytes(data: &[u8]) -> usize {
    let text = match load::decode(data) {
        Ok(text) => text,
        Err(_) => return 1,
    };
    let mut sources = SourceMap::new();
    let chapter = sources.add("content/chapters/01-fuzz.md", text.clone());
    let data_file = sources.add("content/data/fuzz.yaml", text.clone());
    let config_file = sources.add("site.toml", text.clone());
    let mut found: Vec<Diagnostic> = Vec::new();

    match load::parse_chapter(&sources, chapter) {
        Ok((_front, body_offset)) => {
            let chapter_urls: BTreeMap<String, String> =
                [("01-fuzz.md".to_string(), "/fuzz/".to_string())].into();
            let blocks: BTreeMap<String, String> = markdown::BLOCK_NAMES
                .iter()
                .map(|name| (name.to_string(), String::new()))
                .collect();
            let rendered = markdown::render(
                &sources.text(chapter)[body_offset..],
                &Source {
                    sources: &sources,
                    file: chapter,
                    body_offset,
                },
                &Links {
                    chapter_urls: &chapter_urls,
                    blocks: &blocks,
                    table_label: "Tabella nella sezione «{section}»",
                    table_label_no_section: "Tabella",
                },
            );
            // The renderer lints the body too: its diagnostics include the lint's warnings.
            found.extend(rendered.diagnostics);
        }
        Err(diagnostic) => found.push(diagnostic),
    }
    found.extend(parse_as::<Charter>(&sources, data_file));
    found.extend(parse_as::<Organization>(&sources, data_file));
    found.extend(parse_as::<Commitments>(&sources, data_file));
    found.extend(parse_as::<Contacts>(&sources, data_file));
    found.extend(parse_as::<Stakeholders>(&sources, data_file));
    found.extend(parse_as::<Channels>(&sources, data_file));
    if let Err(diagnostic) = config::parse(&sources, config_file) {
        found.push(diagnostic);
    }
    let terms = fork::Terms::for_fuzzing(&text);
    found.extend(terms.scan(&sources, data_file, None));

    for diagnostic in &found {
        let _ = diagnostics::render(diagnostic, &sources, false);
        let _ = diagnostics::one_line(diagnostic, &sources);
    }
    found.len()
}

fn parse_as<T: DeserializeOwned>(sources: &SourceMap, file: FileId) -> Option<Diagnostic> {
    yaml::parse::<T>(sources.text(file), sources, file, 0).err()
}
