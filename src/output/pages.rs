//! Site pages: the rewritten HTML of every page, at its path.

use super::{Contents, OutputFile};
use crate::render::Page;

pub fn files(pages: Vec<Page>) -> Vec<OutputFile> {
    pages
        .into_iter()
        .map(|page| OutputFile {
            path: page.path.into(),
            contents: Contents::Bytes(page.html.into_bytes()),
        })
        .collect()
}
