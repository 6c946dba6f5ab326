#!/usr/bin/env node
// End-to-end check of the raw-HTML allowlist (docs/content.md § 5.6), in a real browser.
//
// 1. Copies the project to target/e2e/allowlist/project/ and adds to a chapter a section of every
//    kind of HTML the allowlist accepts (and links that only look like a script scheme), builds it
//    with `carta build --strict` (which must succeed), serves it and opens the chapter page and the
//    print edition in Chromium with JavaScript on. On each page: no script may run (Chromium's
//    debugger reports every script the page parses), no element may carry an event handler, and
//    every URL-bearing attribute of every element (HTML, SVG, MathML) must resolve to https, http,
//    mailto (subject and body only) or tel. The allowed HTML itself must be on the page.
// 2. Self-test: the same probe runs on a hand-written page holding a script, an `onerror` image,
//    a `javascript:` link written with an entity, an SVG `<animate>` of `href` and a `formaction`;
//    it must report each of them, so the check is known to fail when the rule is broken.
//
// Exits 0 when both parts pass, 1 otherwise, 2 when it could not run.
//
//   node tests/e2e/allowlist.mjs [--carta target/release/carta]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './lib/chromium.mjs';
import { serve } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const { values: opts } = parseArgs({
  options: {
    carta: { type: 'string', default: 'target/release/carta' },
    chromium: { type: 'string', default: CHROMIUM_PATH },
  },
});

const CHAPTER = 'content/chapters/04-rapporto-con-il-cittadino.md';
const CHAPTER_URL = '/rapporto-con-il-cittadino/';
const ALLOWED = `
## Prova dell'HTML ammesso

<details id="prova-details">
<summary>Orari dello sportello</summary>

| Giorno | Ore |
|:---|---:|
| Lunedì | 9-13 |

</details>

Testo con <abbr title="Ufficio relazioni con il pubblico">URP</abbr>, <kbd>Ctrl</kbd>, H<sub>2</sub>O,
<mark>nota</mark>, <q cite="https://www.comune.fi.it/">una citazione</q>, <del datetime="2025-06-03">vecchio</del>
<ins>nuovo</ins>, <a id="prova-web" href="https://www.comune.fi.it/" hreflang="it">il sito</a>,
<a id="prova-mail" href="mailto:urp@comune.fi.it?subject=Orari">l'URP</a>,
<a id="prova-tel" href="tel:+390553283807">il telefono</a>,
<a id="prova-percent" href="%6Aavascript:alert(1)">un percorso che sembra uno schema</a>,
[la pagina degli impegni](/impegni/). <!-- appunto della redazione -->

<blockquote cite="https://www.comune.fi.it/">
<p>Una citazione in blocco.</p>
</blockquote>
`;

const ALLOWED_SCHEMES = ['https:', 'http:', 'mailto:', 'tel:'];

// Runs in the page: every element and attribute a click or a load could act on.
function probe(allowedSchemes) {
  const found = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'cite', 'poster', 'data', 'background',
    'srcset', 'ping', 'manifest', 'codebase', 'longdesc', 'xlink:href', 'to', 'values', 'from', 'by'];
  for (const element of document.querySelectorAll('*')) {
    const name = element.localName;
    if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`elemento <${name}> fuori dall'HTML`);
    if (['script', 'iframe', 'object', 'embed', 'form', 'button', 'input', 'noscript', 'template', 'set',
      'animate', 'base', 'meta[http-equiv]'].includes(name) && element.closest('main')) {
      found.push(`elemento <${name}> nel contenuto`);
    }
    for (const attribute of element.attributes) {
      const attr = attribute.name.toLowerCase();
      if (attr.startsWith('on')) found.push(`attributo ${attr} su <${name}>`);
      if (!urlAttributes.includes(attr)) continue;
      if (['to', 'values', 'from', 'by'].includes(attr) && !['set', 'animate'].includes(name)) continue;
      const values = attr === 'srcset' ? attribute.value.split(',').map((part) => part.trim().split(/\s+/)[0]) : [attribute.value];
      for (const value of values) {
        let url;
        try {
          url = new URL(value, document.baseURI);
        } catch {
          continue; // not a URL a browser would follow
        }
        if (!allowedSchemes.includes(url.protocol)) {
          found.push(`${attr}="${value.slice(0, 60)}" su <${name}>: schema ${url.protocol}`);
        } else if (url.protocol === 'mailto:' && [...url.searchParams.keys()].some((k) => !['subject', 'body'].includes(k.toLowerCase()))) {
          found.push(`${attr}="${value.slice(0, 60)}" su <${name}>: mailto con intestazioni`);
        }
      }
    }
  }
  return found;
}

// Opens `url` with JavaScript on and returns what the probe found, plus every script Chromium
// parsed while the page loaded and while each of its links was clicked (navigation is blocked).
async function inspect(browser, origin, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // Scripts of the page's own world: its <script> elements, handlers and javascript: URLs carry
  // the page's URL; what the test itself evaluates runs in other worlds or without a URL.
  const scripts = [];
  cdp.on('Debugger.scriptParsed', (event) => {
    if (event.executionContextAuxData?.isDefault && event.url) scripts.push(event.url);
  });
  await cdp.send('Debugger.enable');
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  // Clicking a link must not leave the page: every navigation after the first load gets
  // "204 No Content", on which a browser stays where it is.
  let loaded = false;
  await page.route('**/*', (route) => (loaded && route.request().isNavigationRequest() ? route.fulfill({ status: 204 }) : route.continue()));
  await page.goto(origin + url, { waitUntil: 'load' });
  loaded = true;
  // Read before any click: a javascript: URL that returns a string replaces the whole document.
  const found = await page.evaluate(probe, ALLOWED_SCHEMES);
  const present = await page.evaluate(() => ({
    summary: [...document.querySelectorAll('details > summary')].some((s) => s.textContent === 'Orari dello sportello'),
    abbr: document.querySelector('abbr[title="Ufficio relazioni con il pubblico"]') !== null,
    web: document.querySelector('a[hreflang="it"]')?.getAttribute('href') ?? null,
    mail: document.querySelector('a[href^="mailto:urp@comune.fi.it?subject"]')?.getAttribute('href') ?? null,
    comment: document.documentElement.outerHTML.includes('appunto della redazione'),
  }));
  const links = await page.locator('main a[href], main area[href]').count();
  for (let index = 0; index < links; index += 1) {
    await page.locator('main a[href], main area[href]').nth(index).click({ timeout: 2000, noWaitAfter: true, force: true }).catch(() => {});
  }
  await page.waitForTimeout(200);
  await context.close();
  return { found: [...found, ...scripts.map((s) => `script eseguito: ${s}`), ...dialogs.map((d) => `finestra aperta: ${d}`)], present };
}

function fail(message) {
  console.log(`FAIL [allowlist] ${message}`);
  failures += 1;
}

let failures = 0;
const work = join(repo, 'target/e2e/allowlist');
rmSync(work, { recursive: true, force: true });
const project = join(work, 'project');
mkdirSync(project, { recursive: true });
// While the repository's site.toml links form.agid.gov.it's home page instead of the Comune's
// published accessibility statement (W194, accepted there with its reason), the copy links a
// statement's address without the acceptance, which would be stale (W250), so that only the
// allowed HTML is on trial.
const siteToml = readFileSync(join(repo, 'site.toml'), 'utf8');
writeFileSync(join(project, 'site.toml'), siteToml
  .replace('accessibility = "https://form.agid.gov.it/"', 'accessibility = "https://form.agid.gov.it/view/carta-test-statement"')
  .replace(/\[\[accept\]\]\ncode = "W194"\n[^[]*?reason = "[^"]*"\n/, ''));
cpSync(join(repo, 'content'), join(project, 'content'), { recursive: true });
cpSync(join(repo, 'themes'), join(project, 'themes'), {
  recursive: true,
  filter: (source) => !source.includes('node_modules'),
});
const chapterFile = join(project, CHAPTER);
writeFileSync(chapterFile, readFileSync(chapterFile, 'utf8') + ALLOWED);
const site = join(work, 'site');
try {
  execFileSync(resolve(repo, opts.carta), ['build', '--strict', '--quiet', '--color', 'never', '--stylesheet', 'fallback', '--root', project, '--output', site], { stdio: 'inherit' });
} catch {
  console.log('FAIL [allowlist] carta build --strict refused the allowed HTML');
  process.exit(1);
}
// The self-test page: what carta refuses, written by hand into the served folder.
mkdirSync(join(site, 'prova-ostile'), { recursive: true });
writeFileSync(join(site, 'prova-ostile/index.html'), `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>x</title></head><body><main>
<img src="x" onerror="document.title='eseguito'" alt="">
<a href="&#x6A;avascript:document.title='cliccato'">link</a>
<svg width="10" height="10"><a><animate attributeName="href" values="javascript:alert(1)"/><text y="9">x</text></a></svg>
<button formaction="javascript:alert(2)">b</button>
<script>window.eseguito = true;</script>
</main></body></html>`);

const server = await serve(site);
let browser;
try {
  browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_FLAGS });
} catch (error) {
  console.error(`allowlist: cannot start Chromium (${opts.chromium}): ${error.message}`);
  await server.close?.();
  process.exit(2);
}
for (const url of [CHAPTER_URL, '/stampa/']) {
  const { found, present } = await inspect(browser, server.origin, url);
  for (const item of found) fail(`${url} :: ${item}`);
  if (!present.summary) fail(`${url} :: the allowed <details> is missing`);
  if (!present.abbr) fail(`${url} :: the allowed <abbr title> is missing`);
  if (present.web !== 'https://www.comune.fi.it/') fail(`${url} :: the https link is ${present.web}`);
  if (present.mail !== 'mailto:urp@comune.fi.it?subject=Orari') fail(`${url} :: the mailto link is ${present.mail}`);
  if (present.comment) fail(`${url} :: an HTML comment of the chapter is published`);
  console.log(`allowlist ${url}: ${found.length === 0 ? 'no script run, every URL allowed' : `${found.length} findings`}`);
}
const hostile = await inspect(browser, server.origin, '/prova-ostile/');
const expected = ['attributo onerror su <img>', 'su <a>: schema javascript:', 'elemento <animate>', 'formaction="javascript', 'script eseguito'];
for (const item of expected) {
  if (!hostile.found.some((f) => f.includes(item))) {
    fail(`self-test :: the probe did not report "${item}" on a hostile page (found: ${hostile.found.join('; ')})`);
  }
}
console.log(`allowlist self-test: the probe reported ${hostile.found.length} findings on the hostile page`);
await browser.close();
await server.close?.();
console.log(`\nallowlist: ${failures === 0 ? 'PASS' : `FAIL, ${failures} findings`}`);
process.exit(failures === 0 ? 0 : 1);
