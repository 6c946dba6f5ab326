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
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::css::Vocabulary;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::Project;
use crate::output::pdf::PdfFile;
use crate::output::{self, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};
use crate::source::SourceMap;
use crate::theme::{self, StylesheetMode, Theme};
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
    /// A draft charter is published on purpose (`--allow-draft`): no `W149`, so `--strict`
    /// accepts it.
    pub allow_draft: bool,
}

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    Built(Summary),
    /// Content or theme problems: nothing was written.
    ContentErrors,
    /// The output could not be written; what the output folder holds now.
    WriteFailed(output::write::OutputState),
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
    /// Part of the previous site that could not be removed (the next build removes it).
    pub leftover: Option<output::write::Leftover>,
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
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let GenerateReport {
        result,
        mut diagnostics,
        sources,
        mut timings,
    } = generate_with(options, extras, &mut Cache::default(), Some(&output_dir));
    let site = match result {
        Ok(site) => site,
        Err(outcome) => {
            return BuildReport {
                outcome,
                diagnostics,
                sources,
                timings,
            };
        }
    };
    let mut clock = Instant::now();
    let files = site.files.len();
    let written = match site.staging {
        Some(staging) => staging.publish(&site.files),
        None => output::write::write_atomically(&options.root, &output_dir, &site.files),
    };
    let published = match written {
        Ok(published) => published,
        Err(error) => {
            let state = error.output_state();
            diagnostics.push(write_error(error, &output_dir));
            return BuildReport {
                outcome: Outcome::WriteFailed(state),
                diagnostics,
                sources,
                timings,
            };
        }
    };
    timings.lap("write", &mut clock);
    BuildReport {
        outcome: Outcome::Built(Summary {
            output: output_dir,
            pages: site.pages,
            files,
            bootstrap: site.bootstrap,
            theme: site.theme,
            print: site.print,
            leftover: published.leftover,
        }),
        diagnostics,
        sources,
        timings,
    }
}

/// The diagnostic for an output folder that could not be written.
pub fn write_error(error: output::write::WriteError, output_dir: &std::path::Path) -> Diagnostic {
    let hint = error.hint();
    Diagnostic::error("E200", error.to_string())
        .at_path(output_dir)
        .with_hint(hint)
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
    /// Where the print edition was written and the name its PDF gets.
    pub print: render::print::PrintInfo,
    /// The staging folder the pages are already written into, when the site was generated to be
    /// written (`build`); its `files` say [`output::Contents::Staged`] for those pages.
    pub staging: Option<output::write::Staging>,
}

/// What [`generate`] found: the site, or why there is none, with the problems and the files quoted.
pub struct GenerateReport {
    /// On failure, [`Outcome::ContentErrors`] or [`Outcome::WriteFailed`] (theme assets unreadable).
    pub result: Result<Site, Outcome>,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    pub timings: Timings,
}

/// What one run leaves for the next: the loaded theme and what was rendered with it.
///
/// A run reloads `site.toml` and `content/` every time (that is cheap and keeps validation whole),
/// keeps the theme while its name and stylesheet mode stay the same, and renders and rewrites again
/// only the pages whose inputs changed. Call [`Cache::forget_theme`] when the theme's files change.
/// The default cache keeps nothing: a plain build pays nothing for it.
#[derive(Default)]
pub struct Cache {
    /// Keep what was rendered for the next run (`carta serve`).
    keep: bool,
    theme: Option<(String, StylesheetMode, Theme)>,
    render: render::Cache,
    rewrite: Option<(RewriteSettings, BTreeMap<String, Rewritten>)>,
    /// The Bootstrap Italia subset and the vocabulary it was made for: an edit that brings no new
    /// class, id, element or attribute (nearly every edit) reuses it instead of parsing the
    /// stylesheet again.
    subset: Option<(Vocabulary, String)>,
}

/// A page after the rewrite pass, with the HTML it was rewritten from.
struct Rewritten {
    from: RewriteInput,
    html: String,
    problems: Vec<Diagnostic>,
    vocabulary: Option<Vocabulary>,
}

/// What the rewrite pass read of a page: its frame and its parts.
#[derive(Default, Clone)]
struct RewriteInput {
    html: String,
    parts: Vec<String>,
}

impl Cache {
    /// A cache that keeps the theme, the rendered and the rewritten pages between runs.
    pub fn kept() -> Self {
        Cache {
            keep: true,
            render: render::Cache::kept(),
            ..Cache::default()
        }
    }

    /// Drops the theme and everything rendered with it: the next run loads and renders it all.
    pub fn forget_theme(&mut self) {
        *self = if self.keep {
            Cache::kept()
        } else {
            Cache::default()
        };
    }
}

/// Runs load → validate → render → rewrite and returns the site's files in memory.
pub fn generate(options: &BuildOptions, extras: &Extras, cache: &mut Cache) -> GenerateReport {
    generate_with(options, extras, cache, None)
}

/// [`generate`]; with `stage_into`, the pages go straight into a staging folder for that output
/// folder instead of staying in memory.
fn generate_with(
    options: &BuildOptions,
    extras: &Extras,
    cache: &mut Cache,
    stage_into: Option<&std::path::Path>,
) -> GenerateReport {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut report = generate_timed(options, extras, cache, stage_into, &mut timings, &mut clock);
    report.timings = timings;
    report
}

/// A site rendered and rewritten in memory, before its files are assembled: the loaded project,
/// its theme, every page and the problems found so far. `carta check` inspects it.
pub struct Rendered {
    pub project: Project,
    pub theme: Theme,
    pub pages: Vec<render::Page>,
    pub diagnostics: Diagnostics,
    /// Pages already written into `staging` (none unless the site is being built to a folder).
    staged: Vec<OutputFile>,
    /// What the rewritten pages hold that a selector can name (empty unless collected).
    vocabulary: Vocabulary,
    staging: Option<output::write::Staging>,
    settings: RewriteSettings,
    previous: BTreeMap<String, Rewritten>,
    done: BTreeMap<String, Rewritten>,
    stats: render::RenderStats,
    print: render::print::PrintInfo,
}

/// The part of the pipeline `build` and `check` share: load → validate → render → rewrite, in
/// memory. `extra` adds the caller's own checks of the loaded project (run even when validation
/// finds errors, so one run reports everything). Nothing is written.
pub fn render_site(
    options: &BuildOptions,
    extra: &(dyn Fn(&Project) -> Vec<Diagnostic> + Sync),
) -> Result<Rendered, Box<GenerateReport>> {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    render_stage(
        options,
        &Extras::default(),
        &mut Cache::default(),
        extra,
        None,
        &mut timings,
        &mut clock,
    )
}

fn render_stage(
    options: &BuildOptions,
    extras: &Extras,
    cache: &mut Cache,
    extra: &(dyn Fn(&Project) -> Vec<Diagnostic> + Sync),
    stage_into: Option<&std::path::Path>,
    timings: &mut Timings,
    clock: &mut Instant,
) -> Result<Rendered, Box<GenerateReport>> {
    let (mut project, mut diagnostics) = match load::load(&options.root) {
        Ok(loaded) => loaded,
        Err((sources, diagnostics)) => {
            return Err(Box::new(failed(sources, diagnostics, options.strict)));
        }
    };
    if let Some(base_url) = &options.base_url {
        project.config.site.base_url = base_url.clone();
    }
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
    timings.lap("load", clock);
    diagnostics.extend(validate::validate(&project).into_vec());
    if !options.allow_draft {
        diagnostics.extend(validate::draft(&project));
    }
    diagnostics.extend(crate::branding::validate(&project));
    diagnostics.extend(extra(&project));
    timings.lap("validate", clock);
    let mut theme = match theme {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Box::new(failed(
                project.sources,
                diagnostics,
                options.strict,
            )));
        }
    };
    if diagnostics.has_errors() {
        // Still look at the chapters, so their problems come in the same report.
        diagnostics.extend(render::check_chapters(&project));
        if cache.keep {
            cache.theme = Some((theme_name, options.stylesheet, theme));
        }
        return Err(Box::new(failed(
            project.sources,
            diagnostics,
            options.strict,
        )));
    }

    let pdf = extras
        .pdf
        .as_ref()
        .map(|pdf| render::print::pdf_view(pdf, &theme.strings));
    theme.templates.set_global("pdf", &pdf);
    let print = render::print::info(&project, &theme.strings);

    let rendered = render::render_with(&project, &mut theme, &mut cache.render).and_then(
        |(mut pages, warnings)| {
            pages.extend(render::editions::render(&project, &theme)?);
            Ok((pages, warnings))
        },
    );
    let stats = cache.render.stats();
    timings.lap("render", clock);
    let settings = RewriteSettings {
        root: project.config.site.root_path(),
        own_hosts: rewrite::host_of(&project.config.site.base_url)
            .into_iter()
            .collect(),
        new_window: project.config.site.external_links_new_window,
        new_window_hint: theme.strings.links.new_window_hint.clone(),
        collect_vocabulary: theme.bootstrap_dist.is_some() && !theme.bootstrap_full,
    };
    let pages = match rendered {
        Ok((pages, warnings)) => {
            diagnostics.extend(warnings.into_vec());
            pages
        }
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            if cache.keep {
                cache.theme = Some((theme_name, options.stylesheet, theme));
            }
            return Err(Box::new(failed(
                project.sources,
                diagnostics,
                options.strict,
            )));
        }
    };

    let previous = match cache.rewrite.take() {
        Some((cached_settings, pages)) if cached_settings == settings => pages,
        _ => BTreeMap::new(),
    };
    // Pages are written as they are rewritten, unless the build is already bound to fail (then
    // nothing is written and the output folder is not even looked at).
    let bound_to_fail =
        diagnostics.has_errors() || (options.strict && diagnostics.warning_count() > 0);
    let staging = match stage_into.filter(|_| !bound_to_fail) {
        Some(output_dir) => match output::write::Staging::new(&options.root, output_dir) {
            Ok(staging) => Some(staging),
            Err(error) => {
                diagnostics.push(write_error(error, output_dir));
                return Err(Box::new(write_failed(project.sources, diagnostics)));
            }
        },
        None => None,
    };
    let mut done = BTreeMap::new();
    let rewritten = rewrite_pages(
        pages,
        &settings,
        &previous,
        cache.keep,
        &mut done,
        &mut diagnostics,
        staging.as_ref(),
    );
    let RewriteOutcome {
        pages,
        staged,
        vocabulary,
    } = match rewritten {
        Ok(outcome) => outcome,
        Err(error) => {
            diagnostics.push(write_error(error, stage_into.unwrap_or(&options.root)));
            return Err(Box::new(write_failed(project.sources, diagnostics)));
        }
    };
    timings.lap("rewrite", clock);
    Ok(Rendered {
        project,
        theme,
        pages,
        diagnostics,
        staged,
        vocabulary,
        staging,
        settings,
        previous,
        done,
        stats,
        print,
    })
}

fn generate_timed(
    options: &BuildOptions,
    extras: &Extras,
    cache: &mut Cache,
    stage_into: Option<&std::path::Path>,
    timings: &mut Timings,
    clock: &mut Instant,
) -> GenerateReport {
    let Rendered {
        project,
        theme,
        pages,
        mut diagnostics,
        staged,
        vocabulary,
        staging,
        settings,
        previous,
        mut done,
        stats,
        print,
    } = match render_stage(
        options,
        extras,
        cache,
        // What `check` finds without the pages is worth a warning here too: a copied charter
        // must not be published still naming the ente it came from.
        &crate::fork::leftovers,
        stage_into,
        timings,
        clock,
    ) {
        Ok(rendered) => rendered,
        Err(report) => return *report,
    };
    let theme_name = project.config.site.theme.clone();
    if options.strict {
        diagnostics.promote_warnings();
    }
    if diagnostics.has_errors() {
        if cache.keep {
            cache.rewrite = Some((settings, done));
            cache.theme = Some((theme_name, options.stylesheet, theme));
        }
        return failed(project.sources, diagnostics, false);
    }

    let mut files: Vec<OutputFile> = output::pages::files(pages);
    files.extend(staged);
    // What the pages hold that a selector can name: the pack's pages add theirs below.
    let mut vocabulary = vocabulary;
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
            return GenerateReport {
                result: Err(Outcome::WriteFailed(output::write::OutputState::Unchanged)),
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
            let pack_pages = match rewrite_pages(
                pack.pages,
                &settings,
                &previous,
                cache.keep,
                &mut done,
                &mut diagnostics,
                staging.as_ref(),
            ) {
                Ok(outcome) => outcome,
                Err(error) => {
                    let output_dir = stage_into.unwrap_or(&options.root);
                    diagnostics.push(write_error(error, output_dir));
                    return write_failed(project.sources, diagnostics);
                }
            };
            if diagnostics.has_errors() {
                return failed(project.sources, diagnostics, false);
            }
            files.extend(output::pages::files(pack_pages.pages));
            files.extend(pack_pages.staged);
            files.extend(pack.files);
            vocabulary.merge(&pack_pages.vocabulary);
        }
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return failed(project.sources, diagnostics, false);
        }
    }
    // Bootstrap Italia reduced to what every page (the pack's too) can use.
    if settings.collect_vocabulary {
        let kept = cache
            .subset
            .take()
            .filter(|(made_for, _)| *made_for == vocabulary)
            .map(|(_, css)| css);
        let css = match kept
            .map(Ok)
            .unwrap_or_else(|| output::assets::bootstrap_subset(&theme, &vocabulary))
        {
            Ok(css) => css,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return failed(project.sources, diagnostics, false);
            }
        };
        files.push(output::assets::bootstrap_subset_file(css.clone()));
        if cache.keep {
            cache.subset = Some((vocabulary, css));
        }
    }
    files.extend(transparency::sitemap(&project, &theme, &files));
    timings.lap("pack", clock);
    let page_count = files
        .iter()
        .filter(|file| file.path.extension().is_some_and(|ext| ext == "html"))
        .count();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostics.sort(&project.sources);
    let bootstrap = theme.bootstrap_dist.is_some();
    if cache.keep {
        cache.rewrite = Some((settings, done));
        cache.theme = Some((theme_name.clone(), options.stylesheet, theme));
    }
    GenerateReport {
        result: Ok(Site {
            files,
            pages: page_count,
            bootstrap,
            theme: theme_name,
            root_path: project.config.site.root_path(),
            rendered: stats,
            print,
            staging,
        }),
        diagnostics,
        sources: project.sources,
        timings: Timings::default(),
    }
}

/// A page after the rewrite pass: where it went, its problems, and what to keep of it for the
/// next run (only when the cache keeps).
struct RewrittenPage {
    path: String,
    out: PageOut,
    problems: Vec<Diagnostic>,
    vocabulary: Option<Vocabulary>,
    record: Option<Rewritten>,
}

/// A rewritten page, in memory or already written into the build's staging folder.
enum PageOut {
    Kept(render::Page),
    Staged(OutputFile),
}

enum RewriteFailure {
    /// The page could not be rewritten: a content or theme problem, reported with the others.
    Page(Diagnostic),
    /// The page could not be written: the build stops.
    Write(output::write::WriteError),
}

/// What the rewrite pass made: the pages kept in memory, and the files it already wrote.
#[derive(Default)]
struct RewriteOutcome {
    pages: Vec<render::Page>,
    staged: Vec<OutputFile>,
    /// What the pages hold that a selector can name (when the settings collect it).
    vocabulary: Vocabulary,
}

/// The rewrite pass over pages, in parallel (and over the parts of a page, in parallel too);
/// pages keep their order and their problems go to `diagnostics`. A page whose HTML is the same
/// as in `previous` is not rewritten again; when `keep` is set, what was rewritten is recorded in
/// `done` for the next run. With `staging`, each page is written there as soon as it is rewritten
/// and only its place is kept, so the site is never held in memory whole.
fn rewrite_pages(
    pages: Vec<render::Page>,
    settings: &RewriteSettings,
    previous: &BTreeMap<String, Rewritten>,
    keep: bool,
    done: &mut BTreeMap<String, Rewritten>,
    diagnostics: &mut Diagnostics,
    staging: Option<&output::write::Staging>,
) -> Result<RewriteOutcome, output::write::WriteError> {
    let rewritten: Vec<Result<RewrittenPage, RewriteFailure>> = pages
        .into_par_iter()
        .map(|mut page| {
            if let Some(staging) = staging.filter(|_| !keep && !page.parts.is_empty()) {
                return rewrite_and_write_in_pieces(page, settings, staging);
            }
            // The print edition (a page with a plan) is always rewritten: its plan is not compared.
            let cached = previous.get(&page.path).filter(|cached| {
                page.parts.plan.is_none()
                    && cached.from.html == page.html
                    && cached.from.parts == page.parts.bodies
            });
            let (page, problems, vocabulary, from) = match cached {
                Some(cached) => {
                    let html = cached.html.clone();
                    let page = render::Page::new(page.path, page.url, html);
                    (
                        page,
                        cached.problems.clone(),
                        cached.vocabulary.clone(),
                        keep.then(|| cached.from.clone()),
                    )
                }
                None => {
                    let (frame, mut problems, vocabulary) =
                        rewrite_html(&page.html, &page.url, settings, None)
                            .map_err(RewriteFailure::Page)?;
                    let plan = page.parts.plan.as_deref();
                    let parts: Vec<(String, Vec<Diagnostic>, Option<Vocabulary>)> = page
                        .parts
                        .bodies
                        .par_iter()
                        .enumerate()
                        .map(|(index, part)| {
                            let print = plan.map(|plan| (plan, index));
                            rewrite_html(part, &page.url, settings, print)
                        })
                        .collect::<Result<_, _>>()
                        .map_err(RewriteFailure::Page)?;
                    let mut rewritten_parts = Vec::with_capacity(parts.len());
                    for (part, part_problems, _) in parts {
                        rewritten_parts.push(part);
                        problems.extend(part_problems);
                    }
                    let from = RewriteInput {
                        html: std::mem::replace(&mut page.html, frame),
                        parts: std::mem::replace(&mut page.parts.bodies, rewritten_parts),
                    };
                    (page, problems, vocabulary, keep.then_some(from))
                }
            };
            let record = from.map(|from| Rewritten {
                from,
                html: page.pieces().concat(),
                problems: problems.clone(),
                vocabulary: vocabulary.clone(),
            });
            let path = page.path.clone();
            let out = match staging {
                Some(staging) => {
                    let pieces: Vec<&[u8]> = page.pieces().into_iter().map(str::as_bytes).collect();
                    let file = staging
                        .write_now(std::path::Path::new(&page.path), &pieces)
                        .map_err(RewriteFailure::Write)?;
                    PageOut::Staged(file)
                }
                None => PageOut::Kept(page.joined()),
            };
            Ok(RewrittenPage {
                path,
                out,
                problems,
                vocabulary,
                record,
            })
        })
        .collect();
    let mut outcome = RewriteOutcome::default();
    for result in rewritten {
        match result {
            Ok(page) => {
                diagnostics.extend(page.problems);
                if let Some(vocabulary) = &page.vocabulary {
                    outcome.vocabulary.merge(vocabulary);
                }
                if let Some(record) = page.record {
                    done.insert(page.path, record);
                }
                match page.out {
                    PageOut::Kept(page) => outcome.pages.push(page),
                    PageOut::Staged(file) => outcome.staged.push(file),
                }
            }
            Err(RewriteFailure::Page(diagnostic)) => diagnostics.push(diagnostic),
            Err(RewriteFailure::Write(error)) => return Err(error),
        }
    }
    Ok(outcome)
}

/// How many parts of a page are rewritten at once before they are written out, in order.
const PARTS_AT_ONCE: usize = 32;

/// Rewrites a page that has parts (the print edition) and writes it at the same time, a few parts
/// at once: parts are rewritten in parallel, written in order and dropped, so the rewritten
/// document is never whole in memory.
fn rewrite_and_write_in_pieces(
    mut page: render::Page,
    settings: &RewriteSettings,
    staging: &output::write::Staging,
) -> Result<RewrittenPage, RewriteFailure> {
    let (frame, mut problems, vocabulary) =
        rewrite_html(&page.html, &page.url, settings, None).map_err(RewriteFailure::Page)?;
    page.html = frame;
    let mut bodies = std::mem::take(&mut page.parts.bodies);
    let plan = page.parts.plan.as_deref();
    // Where the parts go in the frame; the parts keep their numbers while their text is elsewhere.
    page.parts.bodies = vec![String::new(); bodies.len()];
    let layout = page.layout();
    // Taking its digest on the way spares the manifest reading the print edition back.
    let mut file = staging
        .create(std::path::Path::new(&page.path), true)
        .map_err(RewriteFailure::Write)?;
    let mut ready: Vec<Option<String>> = vec![None; bodies.len()];
    let mut next_piece = 0;
    for start in (0..bodies.len()).step_by(PARTS_AT_ONCE) {
        let end = (start + PARTS_AT_ONCE).min(bodies.len());
        let rewritten: Vec<(String, Vec<Diagnostic>, Option<Vocabulary>)> = bodies[start..end]
            .par_iter_mut()
            .enumerate()
            .map(|(offset, body)| {
                let body = std::mem::take(body);
                let print = plan.map(|plan| (plan, start + offset));
                rewrite_html(&body, &page.url, settings, print)
            })
            .collect::<Result<_, _>>()
            .map_err(RewriteFailure::Page)?;
        for (offset, (html, part_problems, _)) in rewritten.into_iter().enumerate() {
            ready[start + offset] = Some(html);
            problems.extend(part_problems);
        }
        // Write what is complete: the frame up to the first part not rewritten yet.
        while let Some(piece) = layout.get(next_piece) {
            match piece {
                render::Piece::Frame(text) => file.write(text.as_bytes()),
                render::Piece::Part(index) if *index < end => match ready[*index].take() {
                    Some(html) => file.write(html.as_bytes()),
                    None => Ok(()),
                },
                render::Piece::Part(_) => break,
            }
            .map_err(RewriteFailure::Write)?;
            next_piece += 1;
        }
        // Parts the frame leaves out are not kept either.
        ready[start..end].iter_mut().for_each(|part| *part = None);
    }
    for piece in &layout[next_piece..] {
        if let render::Piece::Frame(text) = piece {
            file.write(text.as_bytes()).map_err(RewriteFailure::Write)?;
        }
    }
    let file = file.finish().map_err(RewriteFailure::Write)?;
    Ok(RewrittenPage {
        path: page.path.clone(),
        out: PageOut::Staged(file),
        problems,
        vocabulary,
        record: None,
    })
}

/// One rewrite pass over a page's HTML (or one of its parts: with `print`, part `index` of the
/// print edition, made part of the one document by its plan), its problems located at the page,
/// and the page's vocabulary when the settings collect it (the print edition's parts, which never
/// use Bootstrap Italia, have none).
fn rewrite_html(
    html: &str,
    url: &str,
    settings: &RewriteSettings,
    print: Option<(&render::print::Plan, usize)>,
) -> Result<(String, Vec<Diagnostic>, Option<Vocabulary>), Diagnostic> {
    let rewritten = match print {
        Some((plan, index)) => rewrite::print::rewrite_part(html, index, plan, settings)
            .map(|(html, problems)| (html, problems, None)),
        None => rewrite::rewrite_page(html, settings),
    };
    let (html, problems, vocabulary) = rewritten.map_err(|error| {
        Diagnostic::error(
            "E160",
            format!("riscrittura della pagina {url} non riuscita: {error}"),
        )
    })?;
    let problems = problems
        .into_iter()
        .map(|problem| {
            Diagnostic::error(
                "E161",
                format!("link non valido `{}` nella pagina {url}", problem.href),
            )
            .with_hint("il link viene dal tema: controlla il modello che lo scrive")
        })
        .collect();
    Ok((html, problems, vocabulary))
}

/// The report of a run whose output could not be written.
fn write_failed(sources: SourceMap, mut diagnostics: Diagnostics) -> GenerateReport {
    diagnostics.sort(&sources);
    GenerateReport {
        result: Err(Outcome::WriteFailed(output::write::OutputState::Unchanged)),
        diagnostics,
        sources,
        timings: Timings::default(),
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
        timings: Timings::default(),
    }
}
