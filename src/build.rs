//! Build: the whole pipeline, load → validate → render → rewrite → write, as one function.
//!
//! Each stage's problems are collected; the build stops before writing when there is any error, so
//! the previous output stays as it was. Printing is left to the command layer.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::output::pdf::PdfFile;
use crate::output::{self, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};
use crate::source::SourceMap;
use crate::theme::{self, StylesheetMode};
use crate::transparency;
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
    /// Publish at this address instead of `base_url` in site.toml (`--base-url`).
    pub base_url: Option<String>,
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
    /// Where the print edition was written and the name its PDF gets.
    pub print: render::print::PrintInfo,
}

/// What a build publishes besides the pages and assets it makes itself.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The PDF of the print edition, already rendered (`carta build --pdf`): published at the root
    /// of the site and linked, with its size, from the home page.
    pub pdf: Option<PdfFile>,
}

/// Everything a caller needs to report a build: its outcome, its problems and the files quoted.
pub struct BuildReport {
    pub outcome: Outcome,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    pub timings: Timings,
}

/// Wall time of each phase that ran, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Records the time since `since` as `phase` and restarts the clock.
    fn lap(&mut self, phase: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.phases.push((phase, now - *since));
        *since = now;
    }

    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, duration)| *duration).sum()
    }
}

pub fn build(options: &BuildOptions) -> BuildReport {
    build_with(options, &Extras::default())
}

/// [`build`], publishing `extras` with the site.
pub fn build_with(options: &BuildOptions, extras: &Extras) -> BuildReport {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let report = run(options, extras, &mut timings, &mut clock);
    BuildReport { timings, ..report }
}

fn run(
    options: &BuildOptions,
    extras: &Extras,
    timings: &mut Timings,
    clock: &mut Instant,
) -> BuildReport {
    let (mut project, mut diagnostics) = match load::load(&options.root) {
        Ok(loaded) => loaded,
        Err((sources, diagnostics)) => return failed(sources, diagnostics, options.strict),
    };
    if let Some(base_url) = &options.base_url {
        project.config.site.base_url = base_url.clone();
    }
    let theme_name = project.config.site.theme.clone();
    let theme = theme::load(
        &options.root,
        &theme_name,
        options.stylesheet,
        &mut project.sources,
    );
    timings.lap("load", clock);
    diagnostics.extend(validate::validate(&project).into_vec());
    timings.lap("validate", clock);
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
        return failed(project.sources, diagnostics, options.strict);
    }

    let pdf = extras
        .pdf
        .as_ref()
        .map(|pdf| render::print::pdf_view(pdf, &theme.strings));
    theme.templates.set_global("pdf", &pdf);
    let print = render::print::info(&project, &theme.strings);

    let rendered = render::render(&project, &mut theme).and_then(|(mut pages, warnings)| {
        pages.extend(render::editions::render(&project, &theme)?);
        Ok((pages, warnings))
    });
    let pages = match rendered {
        Ok((pages, warnings)) => {
            diagnostics.extend(warnings.into_vec());
            pages
        }
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return failed(project.sources, diagnostics, options.strict);
        }
    };
    timings.lap("render", clock);

    let settings = RewriteSettings {
        root: project.config.site.root_path(),
        own_hosts: rewrite::host_of(&project.config.site.base_url)
            .into_iter()
            .collect(),
        new_window: project.config.site.external_links_new_window,
        new_window_hint: theme.strings.links.new_window_hint.clone(),
    };
    let pages = rewrite_pages(pages, &settings, &mut diagnostics);
    timings.lap("rewrite", clock);
    if options.strict {
        diagnostics.promote_warnings();
    }
    if diagnostics.has_errors() {
        return failed(project.sources, diagnostics, false);
    }

    let mut files: Vec<OutputFile> = output::pages::files(pages);
    match output::assets::files(&theme, &project.config.ente.colour) {
        Ok(assets) => files.extend(assets),
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "E201",
                    format!("impossibile leggere i file statici del tema: {error}"),
                )
                .at_path(theme.dir.join("static")),
            );
            return BuildReport {
                outcome: Outcome::WriteFailed,
                diagnostics,
                sources: project.sources,
                timings: Timings::default(),
            };
        }
    }
    if let Some(pdf) = &extras.pdf {
        files.extend(output::pdf::files(pdf));
    }
    // The transparency pack measures the files above, so it comes last; then the sitemap.
    match transparency::assemble(&project, &theme, &files) {
        Ok(pack) => {
            let pack_pages = rewrite_pages(pack.pages, &settings, &mut diagnostics);
            if diagnostics.has_errors() {
                return failed(project.sources, diagnostics, false);
            }
            files.extend(output::pages::files(pack_pages));
            files.extend(pack.files);
        }
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return failed(project.sources, diagnostics, false);
        }
    }
    files.extend(transparency::sitemap(&project, &theme, &files));
    let page_count = files
        .iter()
        .filter(|file| file.path.extension().is_some_and(|ext| ext == "html"))
        .count();
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    if let Err(error) = output::write::write_atomically(&options.root, &output_dir, &files) {
        diagnostics.push(
            Diagnostic::error("E200", error.to_string())
                .at_path(&output_dir)
                .with_hint("scegli un'altra cartella con --output, oppure svuota quella indicata"),
        );
        return BuildReport {
            outcome: Outcome::WriteFailed,
            diagnostics,
            sources: project.sources,
            timings: Timings::default(),
        };
    }
    timings.lap("write", clock);
    diagnostics.sort(&project.sources);
    BuildReport {
        timings: Timings::default(),
        outcome: Outcome::Built(Summary {
            output: output_dir,
            pages: page_count,
            files: files.len(),
            bootstrap: theme.bootstrap_dist.is_some(),
            theme: theme_name,
            print,
        }),
        diagnostics,
        sources: project.sources,
    }
}

/// The rewrite pass over pages, in parallel; problems go to `diagnostics`, pages keep their order.
fn rewrite_pages(
    pages: Vec<render::Page>,
    settings: &RewriteSettings,
    diagnostics: &mut Diagnostics,
) -> Vec<render::Page> {
    let rewritten: Vec<Result<(render::Page, Vec<Diagnostic>), Diagnostic>> = pages
        .into_par_iter()
        .map(|mut page| {
            let (html, problems) = rewrite::rewrite(&page.html, settings).map_err(|error| {
                Diagnostic::error(
                    "E160",
                    format!(
                        "riscrittura della pagina {} non riuscita: {error}",
                        page.url
                    ),
                )
            })?;
            page.html = html;
            let problems = problems
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
            Ok((page, problems))
        })
        .collect();
    let mut pages = Vec::with_capacity(rewritten.len());
    for result in rewritten {
        match result {
            Ok((page, problems)) => {
                diagnostics.extend(problems);
                pages.push(page);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    pages
}

fn failed(sources: SourceMap, mut diagnostics: Diagnostics, strict: bool) -> BuildReport {
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
    BuildReport {
        outcome,
        diagnostics,
        sources,
        timings: Timings::default(),
    }
}
