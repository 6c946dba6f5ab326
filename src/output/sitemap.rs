//! `sitemap.xml` and `robots.txt`: every page of the site for search engines, which the AGID
//! guidelines require the site to be found by (and art. 9 d.lgs. 33/2013 forbids hiding).
//!
//! The sitemap lists absolute URLs with the date of the page's last update, in URL order; robots.txt
//! allows everything and names the sitemap. Crawlers read robots.txt only at the root of a host: when
//! `base_url` has a path, the file is still written but the web server's own robots.txt decides.

use std::collections::BTreeMap;

use super::{Cache, Contents, Failure, Input, Output, OutputFile, Product, manifest, path_text};
use crate::model::Date;
use crate::render::{self, editions as edition_pages, pack};

/// `sitemap.xml` and `robots.txt`, over every page the outputs before made.
pub(crate) struct Sitemap;

impl Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    /// Every page but `404.html` and the fragment's preview, each dated by its last update.
    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let (project, strings) = (input.cx.project, input.cx.strings);
        let charter = &project.charter.data;
        let mut dates: BTreeMap<String, Date> = BTreeMap::new();
        for chapter in &project.chapters {
            if let Some(date) = &chapter.front.last_reviewed {
                dates.insert(render::chapter_url(chapter), date.value);
            }
        }
        for edition in &input.cx.timeline {
            let date = edition.charter.last_updated.value;
            dates.insert(edition_pages::edition_url(strings, &edition.slug), date);
            dates.insert(edition_pages::changes_url(strings, &edition.slug), date);
        }
        let preview = format!("{}/{}", strings.pack.slug, pack::PREVIEW_FILE);
        let entries = input
            .made
            .files
            .iter()
            .map(path_text)
            .filter(|path| path.ends_with(".html") && path != "404.html" && *path != preview)
            .map(|path| {
                let url = manifest::site_url(&path);
                Entry {
                    last_modified: dates
                        .get(&url)
                        .copied()
                        .unwrap_or(charter.last_updated.value),
                    url,
                }
            })
            .collect();
        Ok(Product {
            files: files(&project.config.site.base_url_slash(), entries),
            ..Product::default()
        })
    }
}

/// One page: its root-relative URL (`/impegni/`) and its last update.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    pub(crate) url: String,
    pub(crate) last_modified: Date,
}

/// `sitemap.xml` and `robots.txt` for `entries`, with URLs under `base_url` (ending with `/`).
pub(crate) fn files(base_url: &str, mut entries: Vec<Entry>) -> Vec<OutputFile> {
    entries.sort();
    entries.dedup_by(|a, b| a.url == b.url);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in &entries {
        let url = format!("{base_url}{}", entry.url.trim_start_matches('/'));
        xml.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n  </url>\n",
            escape_xml(&url),
            entry.last_modified.iso()
        ));
    }
    xml.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n");
    vec![
        OutputFile {
            path: "sitemap.xml".into(),
            contents: Contents::Bytes(xml.into_bytes()),
        },
        OutputFile {
            path: "robots.txt".into(),
            contents: Contents::Bytes(robots.into_bytes()),
        },
    ]
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_absolute_urls_in_order() {
        let date = Date::parse("2025-06-03").unwrap();
        let files = files(
            "https://www.comune.example.it/carta/",
            vec![
                Entry {
                    url: "/impegni/".into(),
                    last_modified: date,
                },
                Entry {
                    url: "/".into(),
                    last_modified: date,
                },
            ],
        );
        let Contents::Bytes(xml) = &files[0].contents else {
            panic!()
        };
        let xml = String::from_utf8(xml.clone()).unwrap();
        let first = xml
            .find("<loc>https://www.comune.example.it/carta/</loc>")
            .unwrap();
        let second = xml
            .find("<loc>https://www.comune.example.it/carta/impegni/</loc>")
            .unwrap();
        assert!(first < second, "{xml}");
        assert!(xml.contains("<lastmod>2025-06-03</lastmod>"));
    }
}
