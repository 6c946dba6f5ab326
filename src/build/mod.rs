//! Build: the driver of the pipeline, load → validate → context → outputs (render, rewrite) →
//! gate → write.
//!
//! Each stage's problems are collected; the build stops before writing when there is any error, so
//! the previous output stays as it was. The charter's [`render::Context`] is made once; then every
//! output of [`crate::output::OUTPUTS`] runs in order, its pages rewritten (and written into the
//! staging folder at once, `rewrite_pass`) and its facts passed to the next. Printing is left to
//! the command layer.
//!
//! [`generate`] runs everything but the write and returns the site in memory; with a [`Cache`]
//! kept between runs (`carta serve`) it keeps the loaded theme and renders again only the pages
//! whose inputs changed. [`build`] writes the site atomically.

pub(crate) mod links;
pub(crate) mod reminders;
mod rewrite_pass;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::Project;
use crate::output::pdf::PdfFile;
use crate::output::{self, OUTPUTS, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};
use crate::source::SourceMap;
use crate::theme::{self, StylesheetMode, Theme};
use crate::validate;
use rewrite_pass::{Rewriter, Rewritten};

/// What to build and how: the command line's options for `carta build` (and `check`, `serve`).
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder with `site.toml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Output folder; defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Which stylesheet the site gets (`--stylesheet`).
    pub stylesheet: StylesheetMode,
    /// Warnings count as errors.
    pub strict: bool,
    /// Publish at this address instead of `base_url` in site.toml (`--base-url`).
    pub base_url: Option<String>,
    /// A draft charter is published on purpose (`--allow-draft`): no `W149`, so `--strict`
    /// accepts it.
    pub allow_draft: bool,
    /// Also render the print edition to PDF with this engine (`--pdf`).
    pub pdf: Option<crate::pdf::Engine>,
    /// Replace an output folder without carta's marker (`--force`).
    pub force: bool,
}

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    /// The site was written.
    Built(Summary),
    /// Content or theme problems: nothing was written.
    ContentErrors,
    /// The output could not be written; what the output folder holds now.
    WriteFailed(output::write::OutputState),
}

/// What a written site holds, for the command layer to print.
#[derive(Debug)]
pub struct Summary {
    pub(crate) output: PathBuf,
    pub(crate) pages: usize,
    pub(crate) files: usize,
    /// True when the real Bootstrap Italia stylesheet and fonts were copied.
    pub(crate) bootstrap: bool,
    pub(crate) theme: String,
    /// The PDF, when the build made one.
    pub(crate) pdf: Option<PdfFile>,
    /// Part of the previous site that could not be removed (the next build removes it).
    pub(crate) leftover: Option<output::write::Leftover>,
    /// What the office must still do by hand, compared with the site this one replaced.
    pub(crate) reminders: Vec<reminders::Reminder>,
}

/// Everything a caller needs to report a build: its outcome, its problems and the files quoted.
pub struct BuildReport {
    pub(crate) outcome: Outcome,
    /// Every problem found, sorted by file and position (a write failure last); with `strict`,
    /// warnings count as errors.
    pub diagnostics: Diagnostics,
    /// The files the diagnostics quote, to print them with their snippets.
    pub sources: SourceMap,
    /// How long each phase took.
    pub timings: Timings,
}

/// Wall time of each phase that ran, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Each phase's name (`load`, `validate`, `render`, `rewrite`, `pack`, `gate`, `write`) and
    /// its wall time.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Records the time since `since` as `phase` and restarts the clock.
    fn lap(&mut self, phase: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.phases.push((phase, now - *since));
        *since = now;
    }

    pub(crate) fn total(&self) -> Duration {
        self.phases.iter().map(|(_, duration)| *duration).sum()
    }
}

/// Builds the site and writes it into the output folder at once; on any error (or any warning
/// with `strict`) nothing is written and the previous output stays as it was.
pub fn build(options: &BuildOptions) -> BuildReport {
    build_with_progress(options, &|_| {})
}

/// [`build`], telling `progress` after each output.
pub(crate) fn build_with_progress(
    options: &BuildOptions,
    progress: &dyn Fn(&Progress<'_>),
) -> BuildReport {
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let plan = Plan {
        stage_into: Some(&output_dir),
        site_pages_only: false,
        progress: Some(progress),
    };
    let mut timings = Timings::default();
    let GenerateReport {
        result,
        mut diagnostics,
        sources,
        ..
    } = run(options, &mut Cache::default(), &plan, &mut timings);
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
    // Read before the swap: the output folder still holds the last build's site.
    let reminders = reminders::find(
        &output_dir,
        &site.files,
        &site.manifest_path,
        &site.fragment_path,
    );
    let written = match site.staging {
        Some(staging) => staging.publish(&site.files),
        None => output::write::Staging::replacing(&options.root, &output_dir, options.force)
            .and_then(|staging| staging.publish(&site.files)),
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
            pdf: site.pdf,
            leftover: published.leftover,
            reminders,
        }),
        diagnostics,
        sources,
        timings,
    }
}

/// The diagnostic for an output folder that could not be written.
pub(crate) fn write_error(
    error: output::write::WriteError,
    output_dir: &std::path::Path,
) -> Diagnostic {
    let hint = error.hint();
    Diagnostic::error("E200", error.to_string())
        .at_path(output_dir)
        .with_hint(hint)
}

/// A site generated in memory: every output file, sorted by path, not yet written.
#[derive(Debug)]
pub struct Site {
    /// Every file of the output, relative to the output folder.
    pub files: Vec<OutputFile>,
    pub(crate) pages: usize,
    /// True when the real Bootstrap Italia stylesheet and fonts are part of the site.
    pub(crate) bootstrap: bool,
    pub(crate) theme: String,
    /// Deployment path from `base_url`, e.g. `/` or `/carta/dsi/`.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) root_path: String,
    /// How much of the site this run actually rendered (the rest came from the cache).
    pub rendered: render::RenderStats,
    /// The PDF, when the run made one.
    pub(crate) pdf: Option<PdfFile>,
    /// The staging folder the pages are already written into, when the site was generated to be
    /// written (`build`); its `files` say [`output::Contents::Staged`] for those pages.
    pub(crate) staging: Option<output::write::Staging>,
    /// Where the manifest and the fragment for the CMS are, relative to the output folder.
    pub(crate) manifest_path: String,
    pub(crate) fragment_path: String,
}

/// What [`generate`] found: the site, or why there is none, with the problems and the files quoted.
pub struct GenerateReport {
    /// On failure, [`Outcome::ContentErrors`] or [`Outcome::WriteFailed`] (theme assets unreadable).
    pub result: Result<Site, Outcome>,
    /// Every problem found, sorted by file and position; with `strict`, warnings count as errors.
    pub diagnostics: Diagnostics,
    /// The files the diagnostics quote, to print them with their snippets.
    pub sources: SourceMap,
    /// How long each phase took.
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
    outputs: output::Cache,
    rewrite: Option<(
        RewriteSettings,
        crate::gate::Policy,
        BTreeMap<String, Rewritten>,
    )>,
}

impl Cache {
    /// A cache that keeps the theme, the rendered and the rewritten pages between runs.
    pub fn kept() -> Self {
        Cache {
            keep: true,
            outputs: output::Cache {
                render: render::Cache::kept(),
                subset: None,
            },
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

    /// Keeps the theme for the next run, when the cache keeps anything.
    fn keep_theme(&mut self, name: String, mode: StylesheetMode, theme: Theme) {
        if self.keep {
            self.theme = Some((name, mode, theme));
        }
    }
}

/// Runs load → validate → render → rewrite and returns the site's files in memory.
pub fn generate(options: &BuildOptions, cache: &mut Cache) -> GenerateReport {
    let mut timings = Timings::default();
    let mut report = run(options, cache, &Plan::default(), &mut timings);
    report.timings = timings;
    report
}

/// A site's pages rendered and rewritten in memory (the pack and the other files aside): the
/// loaded project and the problems found, links between the pages included. `carta check`
/// reports them.
pub(crate) struct Rendered {
    pub(crate) project: Project,
    pub(crate) diagnostics: Diagnostics,
}

/// The part of the pipeline `build` and `check` share: load → validate → render → rewrite of the
/// site's pages, in memory. `extra` adds the caller's own checks of the loaded project (run even
/// when validation finds errors, so one run reports everything). Nothing is written.
pub(crate) fn render_site(
    options: &BuildOptions,
    extra: &(dyn Fn(&Project) -> Vec<Diagnostic> + Sync),
) -> Result<Rendered, Box<GenerateReport>> {
    let mut timings = Timings::default();
    let mut cache = Cache::default();
    let (project, theme, diagnostics) = load_stage(options, &mut cache, extra, &mut timings)?;
    let plan = Plan {
        site_pages_only: true,
        ..Plan::default()
    };
    let made = make(
        options,
        &plan,
        &project,
        &theme,
        diagnostics,
        &mut cache,
        &mut timings,
    );
    match made {
        Ok(made) => {
            let mut project = project;
            let mut diagnostics = made.diagnostics;
            diagnostics.extend(gate_pages(
                &mut project,
                &theme,
                &made.made.files,
                &made.inspected,
            ));
            Ok(Rendered {
                diagnostics,
                project,
            })
        }
        Err(Stop { diagnostics, write }) => Err(Box::new(stopped(
            project.sources,
            diagnostics,
            write,
            options.strict,
        ))),
    }
}

/// The gate over the site's pages kept in memory (the print edition among them) and the static
/// files they would be published with (`carta check`, which does not make the pack).
fn gate_pages(
    project: &mut Project,
    theme: &Theme,
    pages: &[OutputFile],
    inspected: &crate::gate::Inspected,
) -> Vec<Diagnostic> {
    let mut files: Vec<OutputFile> = pages.to_vec();
    let problems = match output::assets::files(theme, &project.config.ente.colour) {
        Ok(assets) => {
            files.extend(assets);
            Vec::new()
        }
        Err(error) => vec![
            Diagnostic::error(
                "E201",
                format!("impossibile leggere i file statici del tema: {error}"),
            )
            .at_path(theme.files.shown("static")),
        ],
    };
    let print = render::print::info(project, &theme.strings).page;
    let shape = crate::gate::SiteShape {
        print: Some(&print),
        fragments: Vec::new(),
        root: &project.root.clone(),
    };
    let policy = crate::gate::Policy::of(project, theme.bootstrap.is_some());
    let mut found =
        crate::gate::check_site(&policy, &files, &shape, inspected, &mut project.sources);
    found.extend(problems);
    found
}

/// What a run does besides the site's files.
#[derive(Default)]
struct Plan<'a> {
    /// Write the pages into a staging folder for this output folder as they are made.
    stage_into: Option<&'a Path>,
    /// Make only the site's pages, in memory (`carta check`).
    site_pages_only: bool,
    progress: Option<&'a dyn Fn(&Progress<'_>)>,
}

/// What a build reports after each output (for `carta build --pdf`'s progress lines).
pub(crate) struct Progress<'a> {
    /// The output just made ([`output::Output::name`]).
    pub(crate) output: &'static str,
    /// Since the previous report (or the start of the run).
    pub(crate) elapsed: Duration,
    pub(crate) facts: &'a output::Facts,
}

/// Load, theme, validation, and the caller's checks; stops when the project cannot be loaded or
/// has errors (the chapters are still checked, so one report has everything).
fn load_stage(
    options: &BuildOptions,
    cache: &mut Cache,
    extra: &(dyn Fn(&Project) -> Vec<Diagnostic> + Sync),
    timings: &mut Timings,
) -> Result<(Project, Theme, Diagnostics), Box<GenerateReport>> {
    let mut clock = Instant::now();
    let (mut project, mut diagnostics) = load::load(&options.root)
        .map_err(|(sources, diagnostics)| Box::new(failed(sources, diagnostics, options.strict)))?;
    if let Some(base_url) = &options.base_url {
        project.config.site.base_url = base_url.clone();
    }
    let (rules, problems) = crate::accept::rules(&project);
    diagnostics.accept_with(rules);
    diagnostics.extend(problems);
    if let Some(note) = crate::load::typed_numbers_note(&project) {
        diagnostics.note(note);
    }
    let theme_name = project.config.site.theme.clone();
    let theme = match cache.theme.take() {
        Some((name, mode, theme)) if name == theme_name && mode == options.stylesheet => {
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
    timings.lap("load", &mut clock);
    diagnostics.extend(validate::validate(&project).into_vec());
    if !options.allow_draft {
        diagnostics.extend(validate::draft(&project));
    }
    diagnostics.extend(crate::branding::validate(&project));
    diagnostics.extend(crate::gate::validate(&project));
    diagnostics.extend(extra(&project));
    timings.lap("validate", &mut clock);
    let theme = match theme {
        Ok(theme) => {
            // Told on every run, a reused theme's too: the copy and the overrides are the project's.
            diagnostics.extend(theme.findings.warnings.iter().cloned());
            for note in &theme.findings.notes {
                diagnostics.note(note.clone());
            }
            theme
        }
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
        cache.keep_theme(theme_name, options.stylesheet, theme);
        return Err(Box::new(failed(
            project.sources,
            diagnostics,
            options.strict,
        )));
    }
    Ok((project, theme, diagnostics))
}

/// Why a run stopped after the project was loaded.
struct Stop {
    diagnostics: Diagnostics,
    /// The output could not be written (or a file read), rather than a content problem.
    write: bool,
}

/// What the outputs made.
struct MadeSite {
    made: output::Made,
    diagnostics: Diagnostics,
    stats: render::RenderStats,
    staging: Option<output::write::Staging>,
    /// What the gate found in the pages, read in the rewrite pass.
    inspected: crate::gate::Inspected,
}

/// Renders the charter's context, then runs every output in order: each one's pages are rewritten
/// (and written, with a staging folder) and its files and facts added to what the next ones read.
fn make(
    options: &BuildOptions,
    plan: &Plan<'_>,
    project: &Project,
    theme: &Theme,
    mut diagnostics: Diagnostics,
    cache: &mut Cache,
    timings: &mut Timings,
) -> Result<MadeSite, Stop> {
    let mut clock = Instant::now();
    let content = |diagnostics| Stop {
        diagnostics,
        write: false,
    };
    let (cx, warnings) = match render::Context::new(project, theme, &mut cache.outputs.render) {
        Ok(made) => made,
        Err(problems) => {
            diagnostics.extend(problems.into_vec());
            return Err(content(diagnostics));
        }
    };
    diagnostics.extend(warnings.into_vec());
    timings.lap("render", &mut clock);
    let settings = rewrite_settings(project, theme);
    let policy = crate::gate::Policy::of(project, theme.bootstrap.is_some());
    let previous = match cache.rewrite.take() {
        Some((cached, cached_policy, pages)) if cached == settings && cached_policy == policy => {
            pages
        }
        _ => BTreeMap::new(),
    };
    // Pages are written as they are rewritten, unless the build is already bound to fail (then
    // nothing is written and the output folder is not even looked at).
    let bound_to_fail =
        diagnostics.has_errors() || (options.strict && diagnostics.warning_count() > 0);
    let staging = match plan.stage_into.filter(|_| !bound_to_fail) {
        Some(output_dir) => {
            match output::write::Staging::replacing(&options.root, output_dir, options.force) {
                Ok(staging) => Some(staging),
                Err(error) => {
                    diagnostics.push(write_error(error, output_dir));
                    return Err(Stop {
                        diagnostics,
                        write: true,
                    });
                }
            }
        }
        None => None,
    };
    let mut rewriter = Rewriter {
        settings,
        policy,
        inspected: Vec::new(),
        previous,
        done: BTreeMap::new(),
        keep: cache.keep,
        staging: staging.as_ref(),
    };
    let run = Run {
        cx: &cx,
        settings: &output::Settings {
            pdf: options.pdf.clone(),
        },
        plan,
        strict: options.strict,
        write_to: plan.stage_into.unwrap_or(&options.root),
    };
    let result = run.outputs(&mut rewriter, &mut cache.outputs, diagnostics, timings);
    let stats = cache.outputs.render.stats();
    cache.outputs.render.end_run();
    let inspected = std::mem::take(&mut rewriter.inspected);
    if cache.keep {
        cache.rewrite = Some((rewriter.settings, rewriter.policy, rewriter.done));
    }
    let (made, diagnostics) = result?;
    Ok(MadeSite {
        made,
        diagnostics,
        stats,
        staging,
        inspected,
    })
}

/// One run of the outputs over a charter's context.
struct Run<'a> {
    cx: &'a render::Context<'a>,
    settings: &'a output::Settings,
    plan: &'a Plan<'a>,
    strict: bool,
    /// Where the output goes, for messages about writing it.
    write_to: &'a Path,
}

impl Run<'_> {
    /// Runs the outputs in order; stops at the first error (nothing is published then).
    fn outputs(
        &self,
        rewriter: &mut Rewriter<'_>,
        cache: &mut output::Cache,
        mut diagnostics: Diagnostics,
        timings: &mut Timings,
    ) -> Result<(output::Made, Diagnostics), Stop> {
        let mut made = output::Made::default();
        let mut anchors = links::Anchors::new();
        let mut claims = output::claims::Claims::default();
        let mut clock = Instant::now();
        let mut since_report = Instant::now();
        let outputs: Vec<&'static dyn output::Output> = OUTPUTS
            .iter()
            .copied()
            .filter(|output| !self.plan.site_pages_only || output.is_site_pages())
            .collect();
        // The site's pages are timed as "rewrite", the rest (the pack, the stylesheet) as "pack".
        let last_site_output = outputs.iter().rposition(|output| output.is_site_pages());
        for (index, output) in outputs.into_iter().enumerate() {
            diagnostics = self.checkpoint(diagnostics)?;
            let input = output::Input {
                cx: self.cx,
                made: &made,
                settings: self.settings,
            };
            let product = match output.make(&input, cache) {
                Ok(product) => product,
                Err(failure) => return Err(stop(failure, diagnostics)),
            };
            let collisions = claim(&mut claims, output, self.cx, &product);
            if !collisions.is_empty() {
                // Refused before either file is rewritten or written.
                diagnostics.extend(collisions);
                return Err(Stop {
                    diagnostics,
                    write: false,
                });
            }
            let rewritten = match rewriter.pages(product.pages, &mut diagnostics) {
                Ok(rewritten) => rewritten,
                Err(error) => {
                    diagnostics.push(write_error(error, self.write_to));
                    return Err(Stop {
                        diagnostics,
                        write: true,
                    });
                }
            };
            made.vocabulary.absorb(rewritten.vocabulary);
            if output.is_site_pages() {
                anchors.extend(rewritten.anchors);
            }
            let mut files = rewritten.staged;
            files.extend(page_files(rewritten.pages));
            files.extend(product.files);
            made.add(files, product.facts);
            if let Some(progress) = self.plan.progress {
                progress(&Progress {
                    output: output.name(),
                    elapsed: since_report.elapsed(),
                    facts: &made.facts,
                });
                since_report = Instant::now();
            }
            if Some(index) == last_site_output {
                // Every page a chapter may link to is made: its links are checked before anything
                // else is made, so a broken one stops the build as any content error does.
                diagnostics.extend(links::check(self.cx, &anchors));
                timings.lap("rewrite", &mut clock);
            }
        }
        if !self.plan.site_pages_only {
            timings.lap("pack", &mut clock);
        }
        // Only a whole run can tell that an acceptance matched nothing.
        let stale = crate::accept::stale(self.cx.project, &diagnostics);
        diagnostics.extend(stale);
        Ok((made, self.checkpoint(diagnostics)?))
    }

    /// Stops the run when there is an error (with `--strict`, a warning).
    fn checkpoint(&self, mut diagnostics: Diagnostics) -> Result<Diagnostics, Stop> {
        if self.strict {
            diagnostics.promote_warnings();
        }
        if diagnostics.has_errors() {
            return Err(Stop {
                diagnostics,
                write: false,
            });
        }
        Ok(diagnostics)
    }
}

/// Claims the path of every page and file `product` holds for `output`; the `E240` of each path
/// another source has taken.
fn claim(
    claims: &mut output::claims::Claims,
    output: &'static dyn output::Output,
    cx: &render::Context<'_>,
    product: &output::Product,
) -> Vec<Diagnostic> {
    let pages = product.pages.iter().map(|page| page.path.clone());
    let files = product.files.iter().map(output::path_text);
    pages
        .chain(files)
        .filter_map(|path| claims.claim(&path, output, cx).err())
        .collect()
}

/// The files of rewritten pages kept in memory.
fn page_files(pages: Vec<render::Page>) -> Vec<OutputFile> {
    pages
        .into_iter()
        .map(|page| OutputFile {
            path: page.path.into(),
            contents: output::Contents::Bytes(page.html.into_bytes()),
        })
        .collect()
}

fn stop(failure: output::Failure, mut diagnostics: Diagnostics) -> Stop {
    match failure {
        output::Failure::Content(problems) => {
            diagnostics.extend(problems.into_vec());
            Stop {
                diagnostics,
                write: false,
            }
        }
        output::Failure::Io(problem) => {
            diagnostics.push(problem);
            Stop {
                diagnostics,
                write: true,
            }
        }
    }
}

/// How the rewrite pass reads this project's links.
fn rewrite_settings(project: &Project, theme: &Theme) -> RewriteSettings {
    RewriteSettings {
        root: project.config.site.root_path(),
        own_hosts: rewrite::host_of(&project.config.site.base_url)
            .into_iter()
            .collect(),
        new_window: project.config.site.external_links_new_window,
        new_window_hint: theme.strings.links.new_window_hint.clone(),
        collect_vocabulary: theme.uses_subset(),
    }
}

/// Loads, renders and runs every output: the site in memory, or in a staging folder with
/// `plan.stage_into`.
fn run(
    options: &BuildOptions,
    cache: &mut Cache,
    plan: &Plan<'_>,
    timings: &mut Timings,
) -> GenerateReport {
    // What `check` finds without the pages is worth a warning here too: a copied charter must not
    // be published still naming the ente it came from.
    let (mut project, theme, diagnostics) =
        match load_stage(options, cache, &crate::fork::leftovers, timings) {
            Ok(loaded) => loaded,
            Err(report) => return *report,
        };
    let theme_name = project.config.site.theme.clone();
    let pack_strings = &theme.strings.pack;
    let manifest_path = format!("{}/{}", pack_strings.slug, output::manifest::FILE_NAME);
    let fragment_path = format!(
        "{}{}",
        render::pack::pack_url(&theme.strings).trim_start_matches('/'),
        render::pack::FRAGMENT_FILE
    );
    let made = make(options, plan, &project, &theme, diagnostics, cache, timings);
    let bootstrap = theme.bootstrap.is_some();
    cache.keep_theme(theme_name.clone(), options.stylesheet, theme);
    let MadeSite {
        made,
        mut diagnostics,
        stats,
        staging,
        inspected,
    } = match made {
        Ok(site) => site,
        Err(Stop { diagnostics, write }) => {
            return stopped(project.sources, diagnostics, write, options.strict);
        }
    };
    let mut clock = Instant::now();
    let shape = crate::gate::SiteShape {
        print: made.facts.print.as_ref().map(|print| print.page.as_str()),
        fragments: vec![fragment_path.clone()],
        root: &options.root,
    };
    let refused = crate::gate::check_site(
        &crate::gate::Policy::of(&project, bootstrap),
        &made.files,
        &shape,
        &inspected,
        &mut project.sources,
    );
    timings.lap("gate", &mut clock);
    if !refused.is_empty() {
        // Nothing is published: the staging folder goes with `staging`.
        diagnostics.extend(refused);
        return stopped(project.sources, diagnostics, false, options.strict);
    }
    let mut files = made.files;
    let page_count = files
        .iter()
        .filter(|file| file.path.extension().is_some_and(|ext| ext == "html"))
        .count();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(error) = output::size::over_limit(&files, output::size::MAX_SITE_BYTES) {
        diagnostics.push(error);
        return stopped(project.sources, diagnostics, false, false);
    }
    diagnostics.sort(&project.sources);
    GenerateReport {
        result: Ok(Site {
            files,
            pages: page_count,
            bootstrap,
            theme: theme_name,
            root_path: project.config.site.root_path(),
            rendered: stats,
            pdf: made.facts.pdf,
            staging,
            manifest_path,
            fragment_path,
        }),
        diagnostics,
        sources: project.sources,
        timings: Timings::default(),
    }
}

/// The report of a run that stopped: content problems, or an output that could not be written.
/// With `strict` every warning is an error, whichever stage stopped and whichever command ran.
fn stopped(
    sources: SourceMap,
    mut diagnostics: Diagnostics,
    write: bool,
    strict: bool,
) -> GenerateReport {
    if strict {
        diagnostics.promote_warnings();
    }
    if write {
        write_failed(sources, diagnostics)
    } else {
        failed(sources, diagnostics, strict)
    }
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
