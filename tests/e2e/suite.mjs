#!/usr/bin/env node
// carta end-to-end suite: serves a generated site on 127.0.0.1 and checks every HTML file in it
// with axe-core in headless Chromium, the W3C Nu Html Checker (HTML and CSS), and scripted browser
// checks for what axe cannot see (skip link, focus indicators, reflow at 320 px, 200% zoom,
// heading outline, use without JavaScript), the rules of AGID's site validator (lib/agid.mjs),
// what the accessibility tree gives screen readers (lib/axtree.mjs) and the Content-Security-Policy
// (first in head on every page, and no violation reported by Chromium). Exits 1 when anything
// fails, 2 when it cannot run.
//
//   node tests/e2e/suite.mjs --site DIR [--mode NAME] [--screenshots DIR] [--report FILE.json]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { parse as parseCsv } from 'csv-parse/sync';
import { chromium } from 'playwright-core';

import { agidRules, bootstrapClasses } from './lib/agid.mjs';
import { axTreeRules, menuDisclosureRules } from './lib/axtree.mjs';
import { factsRules, hoursRules } from './lib/facts.mjs';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './lib/chromium.mjs';
import { sitePages } from './lib/pages.mjs';
import { Report, plural } from './lib/report.mjs';
import { serve } from './lib/server.mjs';
import { checkFiles, javaVersion, vnuVersion } from './lib/vnu.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 812 };
const NARROW = { width: 320, height: 640 };
// A common phone: generated tables must read as blocks, without sideways scrolling.
const PHONE = { width: 360, height: 800 };
// On a phone the page's h1 starts within this many CSS px from the top of the page.
const TITLE_TOP_BUDGET = 200;
// The theme's name for the menu's toggle on a phone (themes/agid/strings.toml, ui.menu_toggle).
const MENU_NAME = 'Menu';
// 200% page zoom of a 1280x800 window: the layout viewport is 640x400 CSS px and every CSS px is
// drawn with 2 device px. This is exactly what Chromium does at "Zoom 200%".
const ZOOMED = { width: 640, height: 400 };
// 200% text size: the browser's default font size (Settings > Font size) at 32 px instead of 16.
const TEXT_ZOOM_FONT_SIZES = { standard: 32, fixed: 26 };
const SCREENSHOT_PAGES = [
  { url: '/', name: 'home' },
  { url: '/impegni/', name: 'impegni' },
];
// Extra screenshots at the phone width; `menu` opens the menu first, from the keyboard.
const PHONE_SCREENSHOTS = [
  { url: '/', name: 'home' },
  { url: '/', name: 'home-menu', menu: true },
  { url: '/impegni/', name: 'impegni' },
];

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' },
    mode: { type: 'string', default: 'site' },
    screenshots: { type: 'string' },
    report: { type: 'string' },
    chromium: { type: 'string', default: CHROMIUM_PATH },
    // Comma-separated subset of: csp, axe, vnu, keyboard, reflow, tables, fonts, zoom, headings, no-js, title-first, agid, ax-tree, facts, charts (default: all).
    only: { type: 'string' },
  },
});
if (!opts.site) {
  console.error('usage: node suite.mjs --site DIR [--mode NAME] [--screenshots DIR] [--report FILE.json]');
  process.exit(2);
}

const siteDir = resolve(opts.site);
const report = new Report(opts.mode);
const probeSource = readFileSync(join(here, 'lib/probe.js'), 'utf8');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = require('axe-core/package.json').version;
const started = performance.now();

const { pages, stylesheets } = sitePages(siteDir);
if (pages.length === 0) {
  console.error(`e2e: no HTML file in ${siteDir}`);
  process.exit(2);
}

console.log(`\n== e2e [${opts.mode}]: ${plural(pages.length, 'page', 'pages')} and ${plural(stylesheets.length, 'stylesheet', 'stylesheets')} in ${siteDir}`);
console.log(`   pages checked: ${pages.map((p) => p.url).join(' ')}`);

const server = await serve(siteDir);
const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_FLAGS });
console.log(`   served at ${server.origin}; Chromium ${browser.version()} (${opts.chromium}); axe-core ${axeVersion}; vnu ${vnuVersion()}`);

const mainTexts = new Map(); // "<width> <url>" -> main text with JavaScript on (compared with JavaScript off at the same width)

async function newPage(contextOptions = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

// Loads a page and waits for its fonts; records responses that failed.
async function open(page, url, failed) {
  const onResponse = (response) => {
    if (response.status() >= 400 && failed) failed.push({ url: response.url(), status: response.status() });
  };
  page.on('response', onResponse);
  try {
    const response = await page.goto(server.origin + url, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => true));
    await page.evaluate(probeSource);
    return response;
  } finally {
    page.off('response', onResponse);
  }
}

function at(viewport, extra = '') {
  return `${viewport.width}px${extra}`;
}

// ---- Content-Security-Policy --------------------------------------------------------------------
// Every page opens head with carta's policy (script-src 'none'), and Chromium, loading the page as a
// reader does (nothing of the suite injected but the listener), reports no violation of it: no
// blocked script, style, image, font or frame. Run first, on pages untouched by the other checks.
async function cspPass() {
  report.section("Content-Security-Policy: the first element of head on every page, script-src 'none', no violation reported by Chromium (securitypolicyviolation events and console messages), at 1280 and 375 px");
  const before = report.findings.length;
  let violations = 0;
  for (const viewport of [DESKTOP, MOBILE]) {
    const { context, page } = await newPage({ viewport });
    await context.addInitScript(() => {
      window.__cartaCsp = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cartaCsp.push({ directive: event.effectiveDirective || event.violatedDirective, blocked: event.blockedURI || 'inline', sample: event.sample || '' });
      });
    });
    let messages = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) messages.push(message.text());
    });
    for (const { url } of pages) {
      messages = [];
      await page.goto(server.origin + url, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => true));
      const head = await page.evaluate(() => {
        const first = document.head && document.head.firstElementChild;
        return {
          first: first ? first.outerHTML.slice(0, 200) : '(no head)',
          isPolicy: !!first && first.localName === 'meta' && (first.getAttribute('http-equiv') || '').toLowerCase() === 'content-security-policy',
          policy: first ? first.getAttribute('content') || '' : '',
        };
      });
      if (viewport === DESKTOP && !head.isPolicy) {
        report.fail({ check: 'csp', page: url, rule: 'csp-meta-first', element: 'head', html: head.first, detail: 'the first element of head is not the Content-Security-Policy' });
      } else if (viewport === DESKTOP && !/(^|;)\s*script-src 'none'\s*(;|$)/.test(head.policy)) {
        report.fail({ check: 'csp', page: url, rule: 'csp-script-src-none', element: 'head', html: head.first, detail: `the policy lets scripts run: ${head.policy}` });
      }
      const seen = await page.evaluate(() => window.__cartaCsp);
      for (const v of seen) {
        violations += 1;
        report.fail({ check: 'csp', page: url, rule: `csp-violation ${v.directive}`, element: v.blocked, html: v.sample, detail: `${at(viewport)}: Chromium blocked ${v.blocked} (${v.directive})` });
      }
      for (const text of messages) {
        // A blocked load is both an event (reported above) and a console line; other lines (a
        // directive the browser ignores, a malformed policy) are findings of their own.
        if (seen.length && /violates the following Content Security Policy/i.test(text)) continue;
        violations += 1;
        report.fail({ check: 'csp', page: url, rule: 'csp-console', element: 'console', html: text.slice(0, 200), detail: `${at(viewport)}: ${text}` });
      }
      report.info(`${url} at ${at(viewport)}: ${head.isPolicy ? 'policy first in head' : 'NO policy first in head'}, ${plural(seen.length + messages.length, 'violation', 'violations')}`);
    }
    await context.close();
  }
  const failures = report.findings.length - before;
  report.close('csp', `${plural(pages.length, 'page', 'pages')} at 1280 and 375 px, ${plural(violations, 'violation', 'violations')}, ${plural(failures, 'failure', 'failures')}`);
}

// ---- axe-core ------------------------------------------------------------------------------------
async function axePass() {
  report.section(`axe-core ${axeVersion} in Chromium, tags ${AXE_TAGS.join(', ')}, at 1280 and 375 px`);
  let runs = 0;
  let violations = 0;
  const rules = new Set();
  for (const viewport of [DESKTOP, MOBILE]) {
    const { context, page } = await newPage({ viewport });
    for (const { url } of pages) {
      const failed = [];
      await open(page, url, failed);
      mainTexts.set(`${viewport.width} ${url}`, await page.evaluate(() => cartaProbe.mainText()));
      for (const f of failed) {
        if (url === '/404.html' && f.url === server.origin + url) continue;
        report.fail({ check: 'resources', page: url, rule: `http-${f.status}`, element: f.url, detail: `a resource of the page did not load (${at(viewport)})` });
      }
      await page.evaluate(axeSource);
      const result = await page.evaluate(
        (tags) => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
      );
      runs += 1;
      let here = 0;
      for (const v of result.violations) {
        rules.add(v.id);
        for (const node of v.nodes) {
          here += 1;
          report.fail({
            check: 'axe',
            page: url,
            rule: v.id,
            element: node.target.join(' '),
            html: node.html.replace(/\s+/g, ' ').slice(0, 200),
            detail: `${v.impact}, ${at(viewport)}: ${v.help} (${v.helpUrl.replace(/\?.*$/, '')})`,
          });
        }
      }
      violations += here;
      const review = result.incomplete.map((r) => r.id);
      report.info(`${url} at ${at(viewport)}: ${plural(here, 'violation', 'violations')}${review.length ? `; to review by hand: ${review.join(', ')}` : ''}`);
    }
    await context.close();
  }
  report.close('axe', `${plural(pages.length, 'page', 'pages')}, ${runs} runs, ${plural(violations, 'violation', 'violations')}${rules.size ? ` (rules: ${[...rules].join(', ')})` : ''}`);
}

// ---- W3C Nu Html Checker -------------------------------------------------------------------------
// vnu runs in its own Java process alongside the browser checks; its section is printed when the
// browser checks are done.
function startVnu() {
  const started = performance.now();
  const files = [...pages.map((p) => p.file), ...stylesheets];
  const java = javaVersion();
  const run = { started, finished: null, files, java };
  run.result = java.then((j) => (j.major >= 11 ? checkFiles(siteDir, files) : null)).finally(() => {
    run.finished = performance.now();
  });
  run.result.catch(() => {});
  return run;
}

async function vnuPass(run) {
  const java = await run.java;
  report.section(`W3C Nu Html Checker ${vnuVersion()} (vnu.jar, ${java.line}), HTML and CSS`);
  if (java.major < 11) {
    report.fail({ check: 'vnu', page: '(machine)', rule: 'java-11', element: 'java', detail: `vnu.jar needs Java 11 or later, found ${java.line}` });
    report.close('vnu', 'not run, 1 error');
    return;
  }
  const result = await run.result;
  const byFile = new Map(run.files.map((f) => [f, 0]));
  for (const e of result.errors) {
    byFile.set(e.file, (byFile.get(e.file) || 0) + 1);
    const page = pages.find((p) => p.file === e.file)?.url || e.file;
    report.fail({ check: 'vnu', page, rule: e.message, element: `${e.file}:${e.line}:${e.column}`, html: e.extract.slice(0, 200) });
  }
  for (const [file, count] of byFile) report.info(`${file}: ${plural(count, 'error', 'errors')}`);
  for (const w of result.warnings) report.info(`warning ${w.file}:${w.line}:${w.column}: ${w.message}`);
  if (result.gaps.length) {
    const kinds = [...new Set(result.gaps.map((g) => g.message))].join(' | ');
    report.info(`set aside: ${result.gaps.length} messages in the vendored Bootstrap Italia stylesheet for valid CSS the checker does not know (${kinds})`);
  }
  report.info(`vnu ran in its own Java process alongside the browser checks, for ${((run.finished - run.started) / 1000).toFixed(1)} s`);
  report.close('vnu', `${plural(pages.length, 'page', 'pages')} and ${plural(stylesheets.length, 'stylesheet', 'stylesheets')}, ${plural(result.errors.length, 'error', 'errors')}, ${plural(result.warnings.length, 'warning', 'warnings')}`, performance.now() - (run.finished - run.started));
}

// ---- Keyboard: skip link, focus indicator on every tab stop, tab order --------------------------
async function keyboardPass() {
  report.section('Keyboard: first Tab reaches the skip link, which moves focus to main; visible focus on every tab stop (1280 and 375 px)');
  let stops = 0;
  let before = report.findings.length;
  for (const viewport of [DESKTOP, MOBILE]) {
    const { context, page } = await newPage({ viewport });
    for (const { url } of pages) {
      // The skip link.
      if (viewport === DESKTOP) {
        await open(page, url);
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => {
          const el = document.activeElement;
          const info = cartaProbe.activeInfo();
          if (!info) return null;
          const rect = el.getBoundingClientRect();
          return { ...info, href: el.getAttribute('href'), visible: !cartaProbe.isHidden(el) && rect.width > 1 && rect.height > 1 && rect.top >= 0 && rect.left >= 0 };
        });
        if (!first || first.href !== '#main') {
          report.fail({ check: 'skip-link', page: url, rule: 'first-tab-skip-link', element: first ? first.selector : 'body', html: first?.html, detail: 'the first Tab should focus the link to #main' });
        } else {
          if (!first.visible) report.fail({ check: 'skip-link', page: url, rule: 'skip-link-visible-on-focus', element: first.selector, html: first.html, detail: 'the focused skip link is not visible' });
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => location.hash === '#main');
          const landed = await page.evaluate(() => cartaProbe.activeInfo());
          if (!landed || !landed.isMain) {
            report.fail({ check: 'skip-link', page: url, rule: 'skip-link-focuses-main', element: landed ? landed.selector : 'body', html: landed?.html, detail: 'after Enter on the skip link the focus should be on main' });
          }
          await page.keyboard.press('Tab');
          const next = await page.evaluate(() => cartaProbe.activeInfo());
          if (!next || !next.inMain) {
            report.fail({ check: 'skip-link', page: url, rule: 'tab-after-skip-link', element: next ? next.selector : 'body', html: next?.html, detail: 'the Tab after the skip link should reach the first control inside main' });
          }
        }
      }

      // Every tab stop, in order.
      await open(page, url);
      const expected = await page.evaluate(() => {
        window.cartaVisited = new Set();
        cartaProbe.recordUnfocused();
        return cartaProbe.focusables();
      });
      let here = 0;
      for (let step = 0; step < expected.length + 5; step += 1) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return { end: true };
          if (window.cartaVisited.has(el)) return { end: true };
          window.cartaVisited.add(el);
          return { ...cartaProbe.describe(el), indicator: cartaProbe.focusIndicator(el), placement: cartaProbe.focusPlacement(el) };
        });
        if (stop.end) break;
        here += 1;
        const where = `${at(viewport)}, tab stop ${here}`;
        if (!stop.indicator.visible) {
          const u = stop.indicator.unfocused || {};
          const f = stop.indicator.focused;
          report.fail({
            check: 'focus', page: url, rule: 'focus-visible', element: stop.selector, html: stop.html,
            detail: `${where}: no visible focus indicator (outline ${u.outlineStyle} ${u.outlineWidth} -> ${f.outlineStyle} ${f.outlineWidth} ${f.outlineColor}; box-shadow ${u.boxShadow} -> ${f.boxShadow})`,
          });
        }
        if (stop.indicator.size.width < 1 || stop.indicator.size.height < 1) {
          report.fail({ check: 'focus', page: url, rule: 'focus-target-size', element: stop.selector, html: stop.html, detail: `${where}: the focused element has no visible box (${stop.indicator.size.width}x${stop.indicator.size.height})` });
        }
        if (!stop.placement.inViewport) {
          report.fail({ check: 'focus', page: url, rule: 'focus-in-viewport', element: stop.selector, html: stop.html, detail: `${where}: the focused element is off screen` });
        } else if (stop.placement.covered) {
          report.fail({ check: 'focus', page: url, rule: 'focus-not-obscured', element: stop.selector, html: stop.html, detail: `${where}: covered by ${stop.placement.covered.selector}` });
        }
      }
      stops += here;
      const missed = await page.evaluate(() => cartaProbe.unvisited(window.cartaVisited));
      for (const m of missed) {
        report.fail({ check: 'focus', page: url, rule: 'tab-reachable', element: m.selector, html: m.html, detail: `${at(viewport)}: focusable but never reached with Tab` });
      }
      report.info(`${url} at ${at(viewport)}: ${here} tab stops of ${expected.length} focusable elements`);
    }
    await context.close();
  }
  const failures = report.findings.length - before;
  report.close('keyboard', `${plural(pages.length, 'page', 'pages')}, ${stops} tab stops, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Layout probes: reflow at 320 px, 200% page zoom, 200% text size ----------------------------
function layoutFindings(check, url, where, result) {
  if (result.scrollWidth > result.viewport + 1) {
    const offenders = result.offenders.length ? result.offenders : [{ selector: 'html', html: '' }];
    for (const o of offenders) {
      report.fail({ check, page: url, rule: 'no-horizontal-scroll', element: o.selector, html: o.html, detail: `${where}: the page is ${result.scrollWidth} px wide in a ${result.viewport} px viewport${o.right ? `; this element ends at ${o.right} px` : ''}` });
    }
  }
  for (const r of result.badRegions) {
    report.fail({ check, page: url, rule: 'scroll-region', element: r.selector, html: r.html, detail: `${where}: scrolls horizontally (${r.scrollWidth} in ${r.clientWidth} px) but is ${r.problems.join(', ')}` });
  }
  // At 320 px only a code block or a wide Markdown table may scroll, inside its region; generated
  // tables show each row as a block instead.
  if (check === 'reflow') {
    for (const r of result.regions.filter((r) => r.holds !== 'code' && r.holds !== 'markdown-table')) {
      report.fail({ check, page: url, rule: 'only-code-or-markdown-table-scrolls', element: r.selector, html: r.html, detail: `${where}: "${r.name}" scrolls sideways (${r.scrollWidth} in ${r.clientWidth} px) and holds ${r.holds === 'generated-table' ? 'a generated table, which should read as blocks' : 'neither a code block nor a Markdown table'}` });
    }
  }
  for (const t of result.tablesOutside) {
    report.fail({ check, page: url, rule: 'wide-table-region', element: t.selector, html: t.html, detail: `${where}: a table wider than the viewport outside a scroll region` });
  }
  for (const c of result.clipped) {
    report.fail({ check, page: url, rule: 'clipped-text', element: c.selector, html: c.html, detail: `${where}: text cut off by overflow: ${c.text.join(' | ')}` });
  }
  for (const o of result.overlaps) {
    report.fail({ check, page: url, rule: 'overlapping-text', element: o.first.selector, html: o.first.html, detail: `${where}: text overlaps ${o.second.selector}` });
  }
}

async function reflowPass() {
  report.section('Reflow (WCAG 1.4.10): 320 CSS px wide, no horizontal scrolling, wide tables in labelled keyboard-focusable scroll regions');
  const before = report.findings.length;
  const { context, page } = await newPage({ viewport: NARROW });
  let regions = 0;
  for (const { url } of pages) {
    await open(page, url);
    const result = await page.evaluate(() => cartaProbe.layout());
    regions += result.regions.length;
    layoutFindings('reflow', url, '320px', result);
    report.info(`${url}: page ${result.scrollWidth} px in ${result.viewport} px; ${plural(result.regions.length, 'scroll region', 'scroll regions')}${result.regions.length ? ` (${result.regions.map((r) => `"${r.name}" holding ${r.holds}`).join(', ')})` : ''}`);
  }
  await context.close();
  const failures = report.findings.length - before;
  report.close('reflow', `${plural(pages.length, 'page', 'pages')} at 320 px, ${regions} scroll regions, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Generated tables on a phone: blocks on screen, a table for screen readers ------------------
// At 360 px every generated table (table.carta-table) must not scroll sideways, and the
// accessibility tree Chromium builds (DevTools protocol, Accessibility.getFullAXTree) must still
// expose it as a table: its caption as name, one row per DOM row, its column headers with their
// text, and in each body row the row header and the cells.
async function tablesPass() {
  report.section('Generated tables at 360 px: no sideways scrolling; the accessibility tree still has the table, its rows, column headers, row headers and cells');
  const before = report.findings.length;
  const { context, page } = await newPage({ viewport: PHONE });
  const cdp = await context.newCDPSession(page);
  let tables = 0;
  for (const { url } of pages) {
    await open(page, url);
    const dom = await page.evaluate(() => cartaProbe.generatedTables());
    if (!dom.length) continue;
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const role = (n) => (n.ignored ? 'ignored' : n.role?.value);
    // The rows of an AX table, each with the roles of its cells (ignored wrappers looked through).
    const axRows = (table) => {
      const rows = [];
      const walk = (n, row) => {
        for (const id of n.childIds || []) {
          const child = byId.get(id);
          if (!child) continue;
          const r = role(child);
          if (r === 'row') {
            const cells = [];
            rows.push({ cells });
            walk(child, cells);
          } else if (row && ['columnheader', 'rowheader', 'cell', 'gridcell'].includes(r)) {
            row.push({ role: r, name: (child.name?.value || '').replace(/\s+/g, ' ').trim() });
          } else if (r !== 'table') {
            walk(child, row);
          }
        }
      };
      walk(table, null);
      return rows;
    };
    const axTables = nodes.filter((n) => role(n) === 'table');
    for (const table of dom) {
      tables += 1;
      const where = `360px, "${table.caption}"`;
      if (table.regionScrolls || table.right > PHONE.width + 1) {
        report.fail({ check: 'tables', page: url, rule: 'no-sideways-scroll', element: table.selector, html: table.html, detail: `${where}: the table ${table.regionScrolls ? 'scrolls sideways in its region' : `ends at ${table.right} px`}` });
      }
      const ax = axTables.find((n) => (n.name?.value || '').replace(/\s+/g, ' ').trim() === table.caption);
      if (!ax) {
        report.fail({ check: 'tables', page: url, rule: 'table-semantics', element: table.selector, html: table.html, detail: `${where}: no table named by its caption in the accessibility tree (display: ${table.display})` });
        continue;
      }
      const rows = axRows(ax);
      const problems = [];
      if (rows.length !== table.rows.length + 1) problems.push(`${rows.length} rows instead of ${table.rows.length + 1}`);
      const headers = (rows[0]?.cells || []).filter((c) => c.role === 'columnheader').map((c) => c.name);
      // The accessible name follows text-transform; the words must be the same.
      if (headers.join(' | ').toLowerCase() !== table.headers.join(' | ').toLowerCase()) problems.push(`column headers [${headers.join(' | ')}] instead of [${table.headers.join(' | ')}]`);
      table.rows.forEach((expected, i) => {
        const cells = rows[i + 1]?.cells || [];
        const rowheaders = cells.filter((c) => c.role === 'rowheader').length;
        const data = cells.filter((c) => c.role === 'cell' || c.role === 'gridcell').length;
        if (rowheaders !== expected.rowheaders || data !== expected.cells) problems.push(`body row ${i + 1}: ${rowheaders} row headers and ${data} cells instead of ${expected.rowheaders} and ${expected.cells}`);
      });
      for (const p of problems.slice(0, 5)) report.fail({ check: 'tables', page: url, rule: 'table-semantics', element: table.selector, html: table.html, detail: `${where} (display: ${table.display}): ${p}` });
      report.info(`${url}: "${table.caption}" shown as display ${table.display}; accessibility tree: ${rows.length} rows, column headers [${headers.join(' | ')}]${problems.length ? `; ${plural(problems.length, 'problem', 'problems')}` : ''}`);
    }
  }
  await context.close();
  const failures = report.findings.length - before;
  report.close('tables', `${plural(tables, 'generated table', 'generated tables')} at 360 px, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Late fonts: no layout shift -----------------------------------------------------------------
// Every web font is held back for 800 ms (a slow connection); the page is shown in the fallback
// fonts first and must not move when the fonts arrive (cumulative layout shift at most 0.05, the
// Lighthouse budget), at 1280 and 375 px.
const FONT_DELAY_MS = 800;
const CLS_BUDGET = 0.05;
async function fontsPass() {
  report.section(`Late fonts: web fonts held back ${FONT_DELAY_MS} ms, cumulative layout shift at most ${CLS_BUDGET} (1280 and 375 px)`);
  const before = report.findings.length;
  let worst = 0;
  for (const viewport of [DESKTOP, MOBILE]) {
    const { context, page } = await newPage({ viewport });
    await context.addInitScript(() => {
      window.cartaShift = { total: 0, sources: [] };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.hadRecentInput) continue;
          window.cartaShift.total += entry.value;
          for (const source of entry.sources || []) if (source.node && source.node.nodeType === 1) window.cartaShift.sources.push(source.node);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.route('**/*.woff2', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, FONT_DELAY_MS));
      await route.continue();
    });
    for (const { url } of pages) {
      await open(page, url);
      await page.waitForTimeout(200);
      const shift = await page.evaluate(() => ({
        total: window.cartaShift.total,
        fonts: [...document.fonts].filter((f) => f.status === 'loaded').length,
        moved: window.cartaShift.sources.slice(0, 3).map((el) => cartaProbe.describe(el)),
      }));
      worst = Math.max(worst, shift.total);
      if (shift.total > CLS_BUDGET) {
        const moved = shift.moved[0] || { selector: 'body', html: '' };
        report.fail({ check: 'fonts', page: url, rule: 'no-layout-shift', element: moved.selector, html: moved.html, detail: `${at(viewport)}: cumulative layout shift ${shift.total.toFixed(3)} when the fonts arrive (budget ${CLS_BUDGET})` });
      }
      report.info(`${url} at ${at(viewport)}: layout shift ${shift.total.toFixed(3)}, ${plural(shift.fonts, 'font', 'fonts')} loaded`);
    }
    await context.close();
  }
  const failures = report.findings.length - before;
  report.close('fonts', `${plural(pages.length, 'page', 'pages')} at 1280 and 375 px, worst layout shift ${worst.toFixed(3)}, ${plural(failures, 'failure', 'failures')}`);
}

async function zoomPass() {
  report.section('Resize text (WCAG 1.4.4): 200% page zoom of a 1280x800 window (640 CSS px at device scale 2) and 200% text size (default font 32 px at 1280 px)');
  const before = report.findings.length;
  // Page zoom.
  {
    const { context, page } = await newPage({ viewport: ZOOMED, deviceScaleFactor: 2 });
    for (const { url } of pages) {
      await open(page, url);
      const result = await page.evaluate(() => cartaProbe.layout());
      layoutFindings('zoom', url, 'page zoom 200%', result);
      report.info(`${url} page zoom 200%: page ${result.scrollWidth} px in ${result.viewport} px, ${result.clipped.length} clipped, ${result.overlaps.length} overlapping`);
    }
    await context.close();
  }
  // Text size.
  {
    const { context, page } = await newPage({ viewport: DESKTOP });
    const cdp = await context.newCDPSession(page);
    for (const { url } of pages) {
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
      await open(page, url);
      const base = await page.evaluate(() => cartaProbe.textSizes());
      await cdp.send('Page.setFontSizes', { fontSizes: TEXT_ZOOM_FONT_SIZES });
      await open(page, url);
      const zoomed = await page.evaluate(() => cartaProbe.textSizes());
      if (zoomed.length !== base.length) throw new Error(`${url}: the page changed between two loads`);
      // Text set in px keeps its size; text in rem or em doubles, or, where an em breakpoint
      // switches to the narrow layout, takes that layout's (still rem-based) size. So the bar is
      // "grew by at least a quarter", which only text that ignores the reader's setting fails.
      const fixed = zoomed.filter((z, i) => z.size < base[i].size * 1.25);
      for (const z of fixed.slice(0, 5)) {
        const b = base[zoomed.indexOf(z)];
        report.fail({ check: 'zoom', page: url, rule: 'text-resizes', element: z.selector, html: z.html, detail: `text size 200%: ${b.size} px became ${z.size} px (a font size in px does not follow the reader's setting; use rem or em)` });
      }
      if (fixed.length > 5) report.info(`${url}: ${fixed.length - 5} more elements whose text does not resize`);
      const result = await page.evaluate(() => cartaProbe.layout());
      layoutFindings('zoom', url, 'text size 200%', result);
      report.info(`${url} text size 200%: ${base.length - fixed.length}/${base.length} text elements grew, page ${result.scrollWidth} px in ${result.viewport} px, ${result.clipped.length} clipped, ${result.overlaps.length} overlapping`);
    }
    await context.close();
  }
  const failures = report.findings.length - before;
  report.close('zoom', `${plural(pages.length, 'page', 'pages')} at 200% page zoom and 200% text size, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Heading outline ---------------------------------------------------------------------------
async function headingsPass() {
  report.section('Headings: one h1 first, no skipped level');
  const before = report.findings.length;
  const { context, page } = await newPage();
  for (const { url } of pages) {
    await open(page, url);
    const list = await page.evaluate(() => cartaProbe.headings());
    const h1s = list.filter((h) => h.level === 1);
    if (h1s.length !== 1) {
      report.fail({ check: 'headings', page: url, rule: 'one-h1', element: h1s.map((h) => h.selector).join(', ') || 'main', detail: `${h1s.length} h1 elements` });
    }
    if (list.length && list[0].level !== 1) {
      report.fail({ check: 'headings', page: url, rule: 'h1-first', element: list[0].selector, html: list[0].html, detail: `the first heading is h${list[0].level}` });
    }
    for (let i = 1; i < list.length; i += 1) {
      if (list[i].level > list[i - 1].level + 1) {
        report.fail({ check: 'headings', page: url, rule: 'heading-level-skipped', element: list[i].selector, html: list[i].html, detail: `h${list[i - 1].level} "${list[i - 1].text}" is followed by h${list[i].level}` });
      }
    }
    report.info(`${url}: ${list.map((h) => `h${h.level}`).join(' ')}`);
  }
  await context.close();
  const failures = report.findings.length - before;
  report.close('headings', `${plural(pages.length, 'page', 'pages')}, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Results' charts ----------------------------------------------------------------------------
// Each chart of measured results (figure.carta-chart) says in its text alternative what its bars
// show, and the same numbers are in the table before it and in the results' CSV the figure links
// (itself made from content/data/results.yaml): value by value, period by period. The chart fits a
// 320 px screen. A site without results has no chart and passes with nothing to check.
function csvRows(text) {
  return parseCsv(text, { columns: true, skip_empty_lines: true });
}

async function chartsPass() {
  report.section('Results\' charts: text alternative, table and CSV hold the same numbers; the chart fits 320 px');
  const before = report.findings.length;
  const { context, page } = await newPage({ viewport: { width: 320, height: 800 } });
  let charts = 0;
  for (const { url } of pages) {
    await open(page, url);
    const found = await page.evaluate(() => [...document.querySelectorAll('figure.carta-chart')].map((figure) => {
      const section = figure.closest('section.carta-results-standard');
      const svg = figure.querySelector('svg.carta-chart-svg');
      const labelledby = svg?.getAttribute('aria-labelledby');
      const title = labelledby ? svg.querySelector(`title#${CSS.escape(labelledby)}`) : null;
      const rows = [...(section?.querySelectorAll('tr.carta-result') || [])].map((tr) => ({
        period: tr.getAttribute('data-period'),
        value: tr.querySelector('.carta-result-value')?.textContent.trim() || null,
      }));
      const box = svg?.getBoundingClientRect();
      return {
        id: section?.id || '(no section)',
        role: svg?.getAttribute('role'),
        title: title?.textContent.replace(/\s+/g, ' ').trim() || '',
        bars: [...figure.querySelectorAll('.carta-chart-labels .carta-chart-value')].map((v) => v.textContent.trim()),
        drawn: svg ? svg.querySelectorAll('rect.carta-chart-bar').length : 0,
        rows,
        csv: figure.querySelector('a[href$=".csv"]')?.getAttribute('href') || null,
        right: box ? Math.round(box.right) : 0,
      };
    }));
    for (const chart of found) {
      charts += 1;
      const fail = (rule, detail) => report.fail({ check: 'charts', page: url, rule, element: `#${chart.id} figure.carta-chart`, detail });
      if (chart.role !== 'img' || !chart.title) fail('chart-alternative', 'the SVG has no role="img" named by its title');
      if (chart.right > 320 + 1) fail('chart-fits', `the chart ends at ${chart.right} px at 320 px`);
      if (chart.drawn !== chart.bars.length) fail('chart-labels', `${chart.drawn} bars drawn, ${chart.bars.length} labelled`);
      if (!chart.csv) { fail('chart-data-link', 'no link to the CSV under the chart'); continue; }
      const measured = chart.rows.filter((r) => r.value);
      for (const value of chart.bars) {
        if (!chart.title.includes(`: ${value}.`)) fail('chart-alternative-values', `the text alternative does not say ${value}: «${chart.title}»`);
        if (!measured.some((r) => r.value === value)) fail('chart-table-values', `the bar ${value} is not in the table (${measured.map((r) => r.value).join(', ')})`);
      }
      let csv;
      try {
        // The print edition links absolute addresses: the file is at the same path in the site.
        const path = new URL(chart.csv, 'https://site.invalid/').pathname;
        csv = csvRows(readFileSync(join(siteDir, path.replace(/^\//, '')), 'utf8'));
      } catch (error) {
        fail('chart-data-link', `the CSV ${chart.csv} cannot be read: ${error.message}`);
        continue;
      }
      for (const row of measured) {
        const [, commitment] = chart.id.match(/^risultato-(.*)$/) || [];
        const inCsv = csv.filter((r) => r.periodo === row.period && commitment === `${r.id_impegno}-${r.id_standard}`);
        const number = (text) => Number(text.replace(/[^0-9,.-]/g, '').replace(',', '.'));
        if (inCsv.length !== 1) fail('chart-csv-values', `${row.period}: ${inCsv.length} rows in ${chart.csv}`);
        else if (Math.abs(number(row.value) - Number(inCsv[0].valore_misurato)) > 0.005) fail('chart-csv-values', `${row.period}: the table says ${row.value}, ${chart.csv} ${inCsv[0].valore_misurato}`);
      }
      report.info(`${url} #${chart.id}: ${chart.bars.join(', ')}`);
    }
  }
  await context.close();
  const failures = report.findings.length - before;
  report.close('charts', `${plural(charts, 'chart', 'charts')}, ${plural(failures, 'failure', 'failures')}`);
}

// ---- JavaScript disabled ------------------------------------------------------------------------
// Opens every closed menu disclosure whose toggle is visible, from the keyboard (focus, Enter), as
// many times as it takes; returns how many activations it took and the toggles opened.
async function openMenus(page) {
  const opened = { count: 0, selectors: [] };
  for (let round = 0; round < 5; round += 1) {
    const closed = await page.evaluate(() => cartaProbe.closedMenus());
    if (closed.length === 0) break;
    await page.locator(closed[0].selector).focus();
    await page.keyboard.press('Enter');
    opened.count += 1;
    opened.selectors.push(closed[0].selector);
  }
  return opened;
}

async function noScriptPass() {
  report.section('JavaScript disabled: every page renders its content, every link resolves, every navigation link is reachable (at 375 px visible after one keyboard activation of the menu, at 1280 px visible with none) and works (followed with the keyboard at 375 px)');
  const before = report.findings.length;
  const ids = new Map(); // url -> Set of ids
  const targets = new Map(); // absolute URL without hash -> [{ page, selector, hash }]
  let clicks = 0;
  const followed = new Set(); // "<nav label> <href>" of the links to other pages already followed
  for (const viewport of [MOBILE, DESKTOP]) {
    const { context, page } = await newPage({ viewport, javaScriptEnabled: false });
    for (const { url } of pages) {
      const response = await open(page, url);
      if (!response || response.status() !== 200) {
        report.fail({ check: 'no-js', page: url, rule: 'page-loads', element: url, detail: `HTTP ${response ? response.status() : 'no response'}` });
        continue;
      }
      const text = await page.evaluate(() => cartaProbe.mainText());
      const h1 = await page.evaluate(() => document.querySelectorAll('main h1').length);
      if (!text || h1 !== 1) report.fail({ check: 'no-js', page: url, rule: 'content-renders', element: 'main', detail: `${at(viewport)}: main ${text ? 'has no single h1' : 'is missing or empty'} without JavaScript` });
      else if (mainTexts.has(`${viewport.width} ${url}`) && mainTexts.get(`${viewport.width} ${url}`) !== text) report.fail({ check: 'no-js', page: url, rule: 'same-content', element: 'main', detail: `${at(viewport)}: the text of main differs from the page with JavaScript` });
      // On a phone the menu is a closed disclosure: open it as a keyboard user would, once; on a
      // wide screen nothing may need opening.
      const opened = await openMenus(page);
      if (viewport === MOBILE && opened.count > 1) report.fail({ check: 'no-js', page: url, rule: 'menu-one-activation', element: opened.selectors.join(', '), detail: `${at(viewport)}: reaching the menu took ${opened.count} activations` });
      if (viewport !== MOBILE && opened.count > 0) report.fail({ check: 'no-js', page: url, rule: 'menu-open-on-desktop', element: opened.selectors.join(', '), detail: `${at(viewport)}: the menu is closed and must be opened` });
      const links = await page.evaluate(() => cartaProbe.links());
      if (viewport === MOBILE) {
        ids.set(url, new Set(await page.evaluate(() => cartaProbe.ids())));
        for (const link of links) {
          const target = new URL(link.href);
          if (target.origin !== server.origin) continue;
          const key = target.origin + target.pathname;
          if (!targets.has(key)) targets.set(key, []);
          targets.get(key).push({ page: url, selector: link.selector, html: link.html, hash: decodeURIComponent(target.hash.slice(1)) });
        }
      }
      // Follow the links inside nav elements, activated from the keyboard (focus, Enter), at
      // 375 px; at both widths they must be visible.
      for (const link of links.filter((l) => l.inNav)) {
        const target = new URL(link.href);
        if (target.origin !== server.origin) continue;
        if (link.hidden) {
          report.fail({ check: 'no-js', page: url, rule: 'nav-link-visible', element: link.selector, html: link.html, detail: `${at(viewport)}: navigation link hidden without JavaScript${opened.count ? ' after opening the menu' : ''}` });
          continue;
        }
        if (viewport !== MOBILE) continue;
        const missingBefore = server.missing.length;
        const hash = decodeURIComponent(target.hash.slice(1));
        // A link to a fragment of this page scrolls; any other link loads a document.
        const samePage = target.pathname === new URL(page.url()).pathname && !!target.hash;
        // The same menu entry on every page is the same markup: follow it once (every target is
        // still fetched below); links to fragments of this page are all followed.
        const key = `${link.nav} ${link.raw}`;
        if (!samePage && followed.has(key)) continue;
        followed.add(key);
        try {
          await openMenus(page);
          await page.locator('a[href]').nth(link.index).focus();
          if (samePage) {
            await page.keyboard.press('Enter');
            await page.waitForURL((u) => u.hash === target.hash, { timeout: 5000 });
          } else {
            const loaded = page.waitForEvent('load', { timeout: 5000 });
            await page.keyboard.press('Enter');
            await loaded;
            const now = new URL(page.url());
            if (now.pathname !== target.pathname) throw new Error(`arrived at ${now.pathname}`);
          }
          const state = await page.evaluate((id) => ({
            h1: document.querySelectorAll('main h1').length,
            target: id ? !!document.getElementById(id) : true,
          }), hash);
          const missingPage = server.missing.slice(missingBefore).includes(target.pathname);
          if (missingPage || state.h1 !== 1 || !state.target) {
            report.fail({ check: 'no-js', page: url, rule: 'nav-link-works', element: link.selector, html: link.html, detail: `${at(viewport)}: following ${link.raw} ${missingPage ? 'led to a missing page (HTTP 404)' : !state.target ? 'found no target for the fragment' : 'led to a page without one h1'}` });
          }
        } catch (error) {
          report.fail({ check: 'no-js', page: url, rule: 'nav-link-works', element: link.selector, html: link.html, detail: `${at(viewport)}: following ${link.raw} failed: ${error.message.split('\n')[0]}` });
        }
        clicks += 1;
        if (!samePage) await open(page, url);
      }
      report.info(`${url} at ${at(viewport)}: ${links.length} links, ${links.filter((l) => l.inNav).length} in navigation`);
    }
    await context.close();
  }
  // Every internal link target exists, and so does its fragment.
  const request = await (await browser.newContext({ javaScriptEnabled: false })).request;
  for (const [key, uses] of targets) {
    const path = new URL(key).pathname;
    const response = await request.get(key, { maxRedirects: 2 });
    if (response.status() !== 200) {
      for (const use of uses) report.fail({ check: 'no-js', page: use.page, rule: 'link-target-exists', element: use.selector, html: use.html, detail: `${path} answers HTTP ${response.status()}` });
      continue;
    }
    const pageIds = ids.get(path);
    for (const use of uses) {
      if (use.hash && pageIds && !pageIds.has(use.hash)) {
        report.fail({ check: 'no-js', page: use.page, rule: 'link-fragment-exists', element: use.selector, html: use.html, detail: `${path} has no element with id "${use.hash}"` });
      }
    }
  }
  const failures = report.findings.length - before;
  report.close('no-js', `${plural(pages.length, 'page', 'pages')}, ${targets.size} internal link targets, ${clicks} navigation links followed, ${plural(failures, 'failure', 'failures')}`);
}

// ---- AGID's site validator, its own rules ---------------------------------------------------------
// lib/agid.mjs applies the rules of italia/pa-website-validator-ng to every page. With the fallback
// stylesheet the site does not use Bootstrap Italia, and the two criteria about it (fonts,
// library) do not apply. Bootstrap Italia's classes are read from the installed package's whole
// stylesheet (the validator's list is of the whole library), else from the site's copy.
function bootstrapClassList() {
  const sheets = stylesheets.filter((f) => f.startsWith('assets/bootstrap-italia/'));
  if (!sheets.length) return null;
  const installed = join(here, '../../themes/agid/node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css');
  const css = existsSync(installed) ? readFileSync(installed, 'utf8') : sheets.map((f) => readFileSync(join(siteDir, f), 'utf8')).join('\n');
  return bootstrapClasses(css);
}

async function agidPass() {
  const bootstrap = bootstrapClassList();
  report.section(`AGID's validator rules (pa-website-validator-ng 1.1.38: C.SI.1.1, 1.2, 2.3, 2.4, 3.1, 3.2, 3.4, R.SI.1.1) on every page${bootstrap ? `, ${bootstrap.size} Bootstrap Italia classes` : ', fallback stylesheet'}`);
  const before = report.findings.length;
  const { context, page } = await newPage();
  const notApplicable = new Map(); // criterion and reason -> { criterion, why, pages }
  const content = new Map(); // criterion -> { detail, pages }: values of site.toml, not the pages
  for (const { url } of pages) {
    await context.clearCookies();
    await open(page, url);
    const result = await agidRules(page, { bootstrap, cookies: await context.cookies() });
    for (const f of result.findings) {
      report.fail({ check: 'agid', page: url, rule: `${f.criterion} ${f.rule}`, element: f.element, html: f.html, detail: f.detail });
    }
    for (const c of result.content) {
      const entry = content.get(c.criterion) || { detail: c.detail, pages: 0 };
      entry.pages += 1;
      content.set(c.criterion, entry);
    }
    for (const n of result.notApplicable) {
      // One line per criterion and reason: a criterion can be out of reach for several reasons.
      const key = `${n.criterion}\u0000${n.why}`;
      const entry = notApplicable.get(key) || { criterion: n.criterion, why: n.why, pages: 0 };
      entry.pages += 1;
      notApplicable.set(key, entry);
    }
    report.info(`${url}: ${plural(result.findings.length, 'finding', 'findings')}`);
  }
  for (const { criterion, why, pages: count } of notApplicable.values()) report.info(`${criterion} not applicable on ${plural(count, 'page', 'pages')}: ${why}`);
  for (const [criterion, { detail, pages: count }] of content) report.info(`${criterion} on ${plural(count, 'page', 'pages')}, from site.toml (not a finding): ${detail}`);
  await context.close();
  const failures = report.findings.length - before;
  report.close('agid', `${plural(pages.length, 'page', 'pages')}, ${plural(failures, 'failure', 'failures')}`);
}

// ---- The accessibility tree: headings of sections, link names, capitals ---------------------------
async function axTreePass() {
  report.section('Accessibility tree (Accessibility.getFullAXTree) at 1280 and 360 px: a heading for every section and unit, named tables and lists, no link named only by an address, number or path, no name in capitals its text does not have; the menu\'s toggle named and announcing collapsed, then expanded, on a phone, and every menu link in the tree');
  const before = report.findings.length;
  let nodes = 0;
  for (const viewport of [DESKTOP, PHONE]) {
    const { context, page } = await newPage({ viewport });
    const cdp = await context.newCDPSession(page);
    for (const { url } of pages) {
      await open(page, url);
      const result = await axTreeRules(page, cdp);
      nodes += result.nodes;
      // Last, as it opens the menu on a phone.
      const menu = await menuDisclosureRules(page, cdp, MENU_NAME);
      for (const f of [...result.findings, ...menu]) {
        report.fail({ check: 'ax-tree', page: url, rule: f.rule, element: f.element, html: f.html, detail: `${at(viewport)}: ${f.detail}` });
      }
      report.info(`${url} at ${at(viewport)}: ${result.nodes} accessible nodes, ${plural(result.findings.length, 'finding', 'findings')}${result.authored ? `; ${plural(result.authored, 'link', 'links')} of the chapter's own text named by an address` : ''}`);
    }
    await context.close();
  }
  const failures = report.findings.length - before;
  report.close('ax-tree', `${plural(pages.length, 'page', 'pages')} at 1280 and 360 px, ${nodes} accessible nodes, ${plural(failures, 'failure', 'failures')}`);
}

// ---- The title first on a phone ------------------------------------------------------------------
// A citizen arriving from a search engine sees the answer's title, not a wall of menu entries.
async function titleFirstPass() {
  report.section(`The title first on a phone: at ${at(PHONE)} the h1 of main starts within the first ${TITLE_TOP_BUDGET} px of every page with the site's menu`);
  const before = report.findings.length;
  const { context, page } = await newPage({ viewport: PHONE });
  let worst = 0;
  for (const { url } of pages) {
    await open(page, url);
    const top = await page.evaluate(() => {
      const h1 = document.querySelector('main h1');
      // The print edition has no site header or menu: it is a paper document, unchanged.
      if (!document.querySelector('nav.carta-menu')) return undefined;
      return h1 ? h1.getBoundingClientRect().top + window.scrollY : null;
    });
    if (top === undefined) {
      report.info(`${url}: no site menu (the print edition), not measured`);
      continue;
    }
    if (top === null) continue; // the no-js pass reports a page without its h1
    worst = Math.max(worst, top);
    if (top > TITLE_TOP_BUDGET) report.fail({ check: 'title-first', page: url, rule: 'h1-in-first-screen', element: 'main h1', detail: `${at(PHONE)}: the h1 starts at ${Math.round(top)} px` });
  }
  await context.close();
  const failures = report.findings.length - before;
  report.close('title-first', `${plural(pages.length, 'page', 'pages')}, lowest h1 at ${Math.round(worst)} px, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Every fact in its place ----------------------------------------------------------------------
// The theme's words for a closed day and for days received by appointment ([hours] of strings.toml).
const HOURS_WORDS = { closedWord: 'chiuso', appointmentWord: 'su appuntamento' };
async function factsPass() {
  report.section('Facts in place at 1280 and 360 px: unique page titles, dimensions in the standards\' cells, one marker per standard, contact links that say whose, no repeated kind of contact, no edition in force in a draft, no lead repeated, hours closed or by appointment in the JSON-LD');
  const before = report.findings.length;
  const titles = new Map(); // title -> pages
  const hoursLines = [];
  const specifications = [];
  for (const viewport of [DESKTOP, PHONE]) {
    const { context, page } = await newPage({ viewport });
    for (const { url } of pages) {
      await open(page, url);
      const result = await factsRules(page);
      for (const f of result.findings) {
        report.fail({ check: 'facts', page: url, rule: f.rule, element: f.element, html: f.html, detail: `${at(viewport)}: ${f.detail}` });
      }
      // The print edition is the charter as one document, titled as the charter (and its PDF).
      if (viewport === DESKTOP && !result.print) {
        titles.set(result.title, [...(titles.get(result.title) || []), url]);
      }
      if (viewport === DESKTOP) {
        hoursLines.push(...result.hoursLines.map((line) => ({ ...line, url })));
        specifications.push(...result.specifications);
      }
    }
    await context.close();
  }
  for (const [title, urls] of titles) {
    if (urls.length < 2) continue;
    for (const url of urls) {
      report.fail({ check: 'facts', page: url, rule: 'title-unique', element: 'title', detail: `${urls.length} pages have the title «${title}»: ${urls.join(', ')}` });
    }
  }
  for (const f of hoursRules(hoursLines, specifications, HOURS_WORDS)) {
    report.fail({ check: 'facts', page: '(site)', rule: f.rule, element: f.element, html: f.html, detail: f.detail });
  }
  const failures = report.findings.length - before;
  report.close('facts', `${plural(pages.length, 'page', 'pages')}, ${titles.size} titles, ${hoursLines.length} lines of weekly hours, ${specifications.length} opening hours specifications, ${plural(failures, 'failure', 'failures')}`);
}

// ---- Screenshots --------------------------------------------------------------------------------
async function screenshots(dir) {
  report.section(`Screenshots in ${dir}`);
  mkdirSync(dir, { recursive: true });
  let taken = 0;
  for (const viewport of [DESKTOP, MOBILE]) {
    const { context, page } = await newPage({ viewport });
    for (const shot of SCREENSHOT_PAGES) {
      if (!pages.some((p) => p.url === shot.url)) {
        report.fail({ check: 'screenshots', page: shot.url, rule: 'page-exists', element: shot.url, detail: 'no such page in the site' });
        continue;
      }
      await open(page, shot.url);
      const file = join(dir, `${shot.name}-${viewport.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      taken += 1;
      report.info(file);
    }
    await context.close();
  }
  {
    const { context, page } = await newPage({ viewport: PHONE });
    for (const shot of PHONE_SCREENSHOTS) {
      if (!pages.some((p) => p.url === shot.url)) continue;
      await open(page, shot.url);
      if (shot.menu) await openMenus(page);
      const file = join(dir, `${shot.name}-${PHONE.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      taken += 1;
      report.info(file);
    }
    await context.close();
  }
  report.close('screenshots', `${taken} written`);
}

let crashed = null;
try {
  const passes = { csp: cspPass, axe: axePass, keyboard: keyboardPass, reflow: reflowPass, tables: tablesPass, fonts: fontsPass, zoom: zoomPass, headings: headingsPass, 'no-js': noScriptPass, 'title-first': titleFirstPass, agid: agidPass, 'ax-tree': axTreePass, facts: factsPass, charts: chartsPass, vnu: null };
  const only = opts.only ? opts.only.split(',') : Object.keys(passes);
  for (const name of only) {
    if (!(name in passes)) throw new Error(`unknown check ${name}; known: ${Object.keys(passes).join(', ')}`);
  }
  const vnu = only.includes('vnu') ? startVnu() : null;
  for (const name of only) if (passes[name]) await passes[name]();
  if (vnu) await vnuPass(vnu);
  if (opts.screenshots) await screenshots(resolve(opts.screenshots));
} catch (error) {
  crashed = error;
} finally {
  await browser.close();
  await server.close();
}

if (opts.report) writeFileSync(opts.report, JSON.stringify({ mode: opts.mode, pages: pages.map((p) => p.url), findings: report.findings }, null, 2));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (crashed) {
  console.error(`\ne2e [${opts.mode}]: the suite could not finish: ${crashed.stack || crashed}`);
  process.exit(2);
}
const checks = [...new Set(report.findings.map((f) => f.check))];
console.log(`\ne2e [${opts.mode}]: ${plural(pages.length, 'page', 'pages')} checked in ${seconds} s: ${report.findings.length === 0 ? 'PASS' : `FAIL, ${plural(report.findings.length, 'finding', 'findings')} (${checks.join(', ')})`}`);
process.exit(report.findings.length === 0 ? 0 : 1);
