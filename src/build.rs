//! Build: the whole pipeline, load → validate → render → rewrite → write, as one function.
//!
//! Each stage's problems are collected; the build stops before writing when there is any error, so
//! the previous output stays as it was. Printing is left to the command layer.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::output::{self, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};
use crate::source::SourceMap;
use crate::theme::{self, StylesheetMode};
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
    let Rendered {
        project,
        theme,
        pages,
        mut diagnostics,
    } = match render_site(options, &|_| Vec::new()) {
        Ok(rendered) => rendered,
        Err(report) => return report,
    };
    if options.strict {
        diagnostics.promote_warnings();
    }
    if diagnostics.has_errors() {
        return failed(project.sources, diagnostics, false);
    }

    let page_count = pages.len();
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
            };
        }
    }
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
        };
    }
    diagnostics.sort(&project.sources);
    BuildReport {
        outcome: Outcome::Built(Summary {
            output: output_dir,
            pages: page_count,
            files: files.len(),
            bootstrap: theme.bootstrap_dist.is_some(),
            theme: project.config.site.theme.clone(),
        }),
        diagnostics,
        sources: project.sources,
    }
}

/// A site rendered in memory: the loaded project, its theme, every rewritten page and the problems
/// found so far (warnings only, or errors that do not stop rendering).
pub struct Rendered {
    pub project: crate::model::Project,
    pub theme: theme::Theme,
    pub pages: Vec<render::Page>,
    pub diagnostics: Diagnostics,
}

/// The part of the pipeline `build` and `check` share: load → validate → lint → render → rewrite,
/// all in memory. `extra` adds the caller's own checks of the loaded project (run even when
/// validation finds errors, so one run reports everything). Nothing is written.
pub fn render_site(
    options: &BuildOptions,
    extra: &(dyn Fn(&crate::model::Project) -> Vec<Diagnostic> + Sync),
) -> Result<Rendered, BuildReport> {
    let (mut project, mut diagnostics) = match load::load(&options.root) {
        Ok(loaded) => loaded,
        Err((sources, diagnostics)) => return Err(failed(sources, diagnostics, options.strict)),
    };
    diagnostics.extend(validate::validate(&project).into_vec());
    diagnostics.extend(lint_chapters(&project));
    diagnostics.extend(extra(&project));
    let theme_name = project.config.site.theme.clone();
    let theme = theme::load(
        &options.root,
        &theme_name,
        options.stylesheet,
        &mut project.sources,
    );
    let mut theme = match theme {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(failed(project.sources, diagnostics, options.strict));
        }
    };
    if diagnostics.has_errors() {
        // Still look at the chapters, so their problems come in the same report.
        diagnostics.extend(render::check_chapters(&project));
        return Err(failed(project.sources, diagnostics, options.strict));
    }

    let pages = match render::render(&project, &mut theme) {
        Ok(pages) => pages,
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return Err(failed(project.sources, diagnostics, options.strict));
        }
    };

    let settings = RewriteSettings {
        root: project.config.site.root_path(),
        own_hosts: rewrite::host_of(&project.config.site.base_url)
            .into_iter()
            .collect(),
        new_window: project.config.site.external_links_new_window,
        new_window_hint: theme.strings.links.new_window_hint.clone(),
    };
    let rewritten: Vec<Result<(render::Page, Vec<Diagnostic>), Diagnostic>> = pages
        .into_par_iter()
        .map(|mut page| {
            let (html, problems) = rewrite::rewrite(&page.html, &settings).map_err(|error| {
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
    Ok(Rendered {
        project,
        theme,
        pages,
        diagnostics,
    })
}

/// Accessibility lint of every chapter, in parallel, in chapter order.
fn lint_chapters(project: &crate::model::Project) -> Vec<Diagnostic> {
    project
        .chapters
        .par_iter()
        .flat_map_iter(|chapter| {
            crate::lint::lint_chapter(&project.sources, chapter.file, chapter.body_offset)
        })
        .collect()
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
    }
}
