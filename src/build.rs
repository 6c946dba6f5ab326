//! Build: the whole pipeline, load → validate → render → rewrite → write, as one function.
//!
//! Each stage's problems are collected; the build stops before writing when there is any error, so
//! the previous output stays as it was. Printing is left to the command layer.
//!
//! [`generate`] runs every stage but the write and returns the site in memory; with a [`Cache`]
//! kept between runs (`carta serve`) it keeps the loaded theme and renders again only the pages
//! whose inputs changed. [`build`] is [`generate`] from an empty cache, then the atomic write.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::output::{self, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};
use crate::source::SourceMap;
use crate::theme::{self, StylesheetMode, Theme};
use crate::validate;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder with `site.toml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Output folder; defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub stylesheet: StylesheetMode,
    /// Warnings count as errors.
    pub strict: bool,
}

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    Built(Summary),
    /// Content or theme problems: nothing was written.
    ContentErrors,
    /// The output could not be written.
    WriteFailed,
}

#[derive(Debug)]
pub struct Summary {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    /// True when the real Bootstrap Italia stylesheet and fonts were copied.
    pub bootstrap: bool,
    pub theme: String,
}

/// Everything a caller needs to report a build: its outcome, its problems and the files quoted.
pub struct BuildReport {
    pub outcome: Outcome,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

pub fn build(options: &BuildOptions) -> BuildReport {
    let GenerateReport {
        result,
        mut diagnostics,
        sources,
    } = generate(options, &mut Cache::default());
    let site = match result {
        Ok(site) => site,
        Err(outcome) => {
            return BuildReport {
                outcome,
                diagnostics,
                sources,
            };
        }
    };
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    if let Err(error) = output::write::write_atomically(&options.root, &output_dir, &site.files) {
        diagnostics.push(write_error(error, &output_dir));
        return BuildReport {
            outcome: Outcome::WriteFailed,
            diagnostics,
            sources,
        };
    }
    BuildReport {
        outcome: Outcome::Built(Summary {
            output: output_dir,
            pages: site.pages,
            files: site.files.len(),
            bootstrap: site.bootstrap,
            theme: site.theme,
        }),
        diagnostics,
        sources,
    }
}

/// The diagnostic for an output folder that could not be written.
pub fn write_error(error: output::write::WriteError, output_dir: &std::path::Path) -> Diagnostic {
    Diagnostic::error("E200", error.to_string())
        .at_path(output_dir)
        .with_hint("scegli un'altra cartella con --output, oppure svuota quella indicata")
}

/// A site generated in memory: every output file, sorted by path, not yet written.
#[derive(Debug)]
pub struct Site {
    pub files: Vec<OutputFile>,
    pub pages: usize,
    /// True when the real Bootstrap Italia stylesheet and fonts are part of the site.
    pub bootstrap: bool,
    pub theme: String,
    /// Deployment path from `base_url`, e.g. `/` or `/carta/dsi/`.
    pub root_path: String,
    /// How much of the site this run actually rendered (the rest came from the cache).
    pub rendered: render::RenderStats,
}

/// What [`generate`] found: the site, or why there is none, with the problems and the files quoted.
pub struct GenerateReport {
    /// On failure, [`Outcome::ContentErrors`] or [`Outcome::WriteFailed`] (theme assets unreadable).
    pub result: Result<Site, Outcome>,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

/// What one run leaves for the next: the loaded theme and what was rendered with it.
///
/// A run reloads `site.toml` and `content/` every time (that is cheap and keeps validation whole),
/// keeps the theme while its name and stylesheet mode stay the same, and renders and rewrites again
/// only the pages whose inputs changed. Call [`Cache::forget_theme`] when the theme's files change.
#[derive(Default)]
pub struct Cache {
    theme: Option<(String, StylesheetMode, Theme)>,
    render: render::Cache,
    rewrite: Option<(RewriteSettings, BTreeMap<String, Rewritten>)>,
}

/// A page after the rewrite pass, with the HTML it was rewritten from.
struct Rewritten {
    from: String,
    html: String,
    problems: Vec<Diagnostic>,
}

impl Cache {
    /// Drops the theme and everything rendered with it: the next run loads and renders it all.
    pub fn forget_theme(&mut self) {
        *self = Cache::default();
    }
}

/// Runs load → validate → render → rewrite and returns the site's files in memory.
pub fn generate(options: &BuildOptions, cache: &mut Cache) -> GenerateReport {
    let (mut project, mut diagnostics) = match load::load(&options.root) {
        Ok(loaded) => loaded,
        Err((sources, diagnostics)) => return failed(sources, diagnostics, options.strict),
    };
    diagnostics.extend(validate::validate(&project).into_vec());
    let theme_name = project.config.site.theme.clone();
    let theme = match cache.theme.take() {
        Some((name, mode, mut theme)) if name == theme_name && mode == options.stylesheet => {
            theme.register(&mut project.sources);
            Ok(theme)
        }
        _ => {
            cache.forget_theme();
            theme::load(
                &options.root,
                &theme_name,
                options.stylesheet,
                &mut project.sources,
            )
        }
    };
    let mut theme = match theme {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return failed(project.sources, diagnostics, options.strict);
        }
    };
    if diagnostics.has_errors() {
        // Still look at the chapters, so their problems come in the same report.
        diagnostics.extend(render::check_chapters(&project));
        cache.theme = Some((theme_name, options.stylesheet, theme));
        return failed(project.sources, diagnostics, options.strict);
    }

    let rendered = render::render_with(&project, &mut theme, &mut cache.render);
    let rendered_stats = cache.render.stats();
    let settings = RewriteSettings {
        root: project.config.site.root_path(),
        own_hosts: rewrite::host_of(&project.config.site.base_url)
            .into_iter()
            .collect(),
        new_window: project.config.site.external_links_new_window,
        new_window_hint: theme.strings.links.new_window_hint.clone(),
    };
    let bootstrap = theme.bootstrap_dist.is_some();
    let assets = output::assets::files(&theme, &project.config.ente.colour);
    let theme_static = theme.dir.join("static");
    cache.theme = Some((theme_name.clone(), options.stylesheet, theme));
    let pages = match rendered {
        Ok(pages) => pages,
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return failed(project.sources, diagnostics, options.strict);
        }
    };

    let previous = match cache.rewrite.take() {
        Some((cached_settings, pages)) if cached_settings == settings => pages,
        _ => BTreeMap::new(),
    };
    let rewritten: Vec<Result<(render::Page, Rewritten), Diagnostic>> = pages
        .into_par_iter()
        .map(|mut page| {
            if let Some(done) = previous
                .get(&page.path)
                .filter(|done| done.from == page.html)
            {
                page.html = done.html.clone();
                return Ok((
                    page,
                    Rewritten {
                        from: done.from.clone(),
                        html: done.html.clone(),
                        problems: done.problems.clone(),
                    },
                ));
            }
            let (html, problems) = rewrite::rewrite(&page.html, &settings).map_err(|error| {
                Diagnostic::error(
                    "E160",
                    format!(
                        "riscrittura della pagina {} non riuscita: {error}",
                        page.url
                    ),
                )
            })?;
            let from = std::mem::replace(&mut page.html, html);
            let problems: Vec<Diagnostic> = problems
                .into_iter()
                .map(|problem| {
                    Diagnostic::error(
                        "E161",
                        format!(
                            "link non valido `{}` nella pagina {}",
                            problem.href, page.url
                        ),
                    )
                    .with_hint("il link viene dal tema: controlla il modello che lo scrive")
                })
                .collect();
            let done = Rewritten {
                from,
                html: page.html.clone(),
                problems,
            };
            Ok((page, done))
        })
        .collect();
    let mut done_pages = BTreeMap::new();
    let mut pages = Vec::with_capacity(rewritten.len());
    for result in rewritten {
        match result {
            Ok((page, done)) => {
                diagnostics.extend(done.problems.iter().cloned());
                done_pages.insert(page.path.clone(), done);
                pages.push(page);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    cache.rewrite = Some((settings, done_pages));
    if options.strict {
        diagnostics.promote_warnings();
    }
    if diagnostics.has_errors() {
        return failed(project.sources, diagnostics, false);
    }

    let page_count = pages.len();
    let mut files: Vec<OutputFile> = output::pages::files(pages);
    match assets {
        Ok(assets) => files.extend(assets),
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "E201",
                    format!("impossibile leggere i file statici del tema: {error}"),
                )
                .at_path(theme_static),
            );
            return GenerateReport {
                result: Err(Outcome::WriteFailed),
                diagnostics,
                sources: project.sources,
            };
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostics.sort(&project.sources);
    GenerateReport {
        result: Ok(Site {
            files,
            pages: page_count,
            bootstrap,
            theme: theme_name,
            root_path: project.config.site.root_path(),
            rendered: rendered_stats,
        }),
        diagnostics,
        sources: project.sources,
    }
}

fn failed(sources: SourceMap, mut diagnostics: Diagnostics, strict: bool) -> GenerateReport {
    if strict {
        diagnostics.promote_warnings();
    }
    diagnostics.sort(&sources);
    let outcome = if diagnostics.has_errors() {
        Outcome::ContentErrors
    } else {
        // Only reachable if a stage failed without saying why; treat it as an error anyway.
        diagnostics.push(Diagnostic::error(
            "E100",
            "la generazione si è interrotta senza un errore preciso",
        ));
        Outcome::ContentErrors
    };
    GenerateReport {
        result: Err(outcome),
        diagnostics,
        sources,
    }
}
