#!/usr/bin/env node
// Self-test of the e2e suite: proves that it fails when a page is not accessible.
//
// Copies the project (site.toml, content/) to target/e2e/selftest/ with the theme's source as a
// theme of the project's own (themes/agid/ copied to themes/selftest/, without node_modules and
// vendor/; site.toml says theme = "selftest", since "agid" is always the theme built into carta),
// breaks its templates and stylesheet in known ways, builds it with the fallback stylesheet, runs
// the suite on it and asserts that the suite exits 1 and reports every fault with its page, rule
// and element. Exits 0 when every fault was reported, 1 otherwise.
//
//   node tests/e2e/selftest.mjs [--carta target/release/carta]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const { values: opts } = parseArgs({ options: { carta: { type: 'string', default: 'target/release/carta' } } });
const carta = resolve(repo, opts.carta);
const work = join(repo, 'target/e2e/selftest');
const project = join(work, 'project');
const site = join(work, 'site');
const reportFile = join(work, 'report.json');

// Each fault: where it goes (an exact, single occurrence in a theme file) and what the suite must
// report for it. `element` must occur in the finding's element or html.
const FAULTS = [
  {
    what: 'an image without alt text on the home page',
    file: 'themes/agid/templates/home.html',
    after: '<h1 class="carta-title">{{ charter.title }}</h1>',
    insert: '\n  <img class="carta-selftest-img" src="/assets/selftest/stemma.png" width="48" height="48">',
    expect: [
      { check: 'axe', page: '/', rule: 'image-alt', element: 'carta-selftest-img' },
      { check: 'vnu', page: '/', rule: 'An “img” element must have an “alt” attribute', element: 'index.html:' },
      { check: 'resources', page: '/', rule: 'http-404', element: '/assets/selftest/stemma.png' },
    ],
  },
  {
    what: 'low-contrast text on the home page',
    file: 'themes/agid/templates/home.html',
    after: '<dl class="carta-facts">',
    before: true,
    // A class, not a style attribute: the pages' Content-Security-Policy would drop an inline style.
    insert: '<p class="carta-selftest-faint">Testo poco contrastato</p>\n  ',
    expect: [{ check: 'axe', page: '/', rule: 'color-contrast', element: 'carta-selftest-faint' }],
  },
  {
    what: 'a link without text in every chapter',
    file: 'themes/agid/templates/chapter.html',
    after: '{{ page.title }}</h1>',
    insert: '\n  <a class="carta-selftest-empty" href="/impegni/"><span></span></a>',
    expect: [{ check: 'axe', page: '/il-valore-del-servizio/', rule: 'link-name', element: 'carta-selftest-empty' }],
  },
  {
    what: 'a skipped heading level (h1 then h4) on the generated pages',
    file: 'themes/agid/templates/generated.html',
    after: '<h1 class="carta-title">{{ page.title }}</h1>',
    insert: '\n  <h4 class="carta-selftest-h4">Livello saltato</h4>\n  <p class="carta-selftest-wide">Un paragrafo largo 40rem che non si adatta allo schermo stretto.</p>',
    expect: [
      { check: 'axe', page: '/impegni/', rule: 'heading-order', element: 'carta-selftest-h4' },
      { check: 'headings', page: '/impegni/', rule: 'heading-level-skipped', element: 'carta-selftest-h4' },
      { check: 'reflow', page: '/impegni/', rule: 'no-horizontal-scroll', element: 'carta-selftest-wide' },
    ],
  },
  {
    what: 'main that cannot take the focus from the skip link',
    file: 'themes/agid/templates/base.html',
    replace: ['<main id="main" class="carta-main" tabindex="-1">', '<main id="main" class="carta-main">'],
    expect: [{ check: 'skip-link', page: '/contatti/', rule: 'skip-link-focuses-main', element: 'body' }],
  },
  {
    what: 'a menu entry pointing to a page that does not exist',
    file: 'themes/agid/templates/partials/header.html',
    replace: [
      '{%- endfor %}\n          </ul>',
      '{%- endfor %}\n            <li class="nav-item"><a class="nav-link carta-selftest-missing" href="/pagina-mancante/">Pagina mancante</a></li>\n          </ul>',
    ],
    expect: [
      // A menu entry is followed once, from the first page in file order.
      { check: 'no-js', page: '/404.html', rule: 'nav-link-works', element: 'carta-selftest-missing' },
      { check: 'no-js', page: '/', rule: 'link-target-exists', element: 'carta-selftest-missing' },
    ],
  },
  {
    what: 'stylesheet: no focus ring on breadcrumb links, clipped and px-sized text, an invalid property',
    file: 'themes/agid/static/css/carta.css',
    append: [
      '',
      '/* self-test faults */',
      '.carta-breadcrumb a:focus, .carta-breadcrumb a:focus-visible { outline: none !important; box-shadow: none !important; }',
      // The home page's title: its ente/office line above it is visually hidden on a phone.
      '.carta-home-intro .carta-title { overflow: hidden; white-space: nowrap; }',
      '.carta-last-updated { font-size: 15px; }',
      '.carta-selftest-wide { width: 40rem; }',
      '.carta-selftest-h4 { colr: red; }',
      '.carta-selftest-faint { color: #b4b4b4; }',
      '',
    ].join('\n'),
    expect: [
      { check: 'focus', page: '/impegni/', rule: 'focus-visible', element: 'breadcrumb' },
      { check: 'reflow', page: '/', rule: 'clipped-text', element: 'carta-title' },
      { check: 'zoom', page: '/impegni/', rule: 'text-resizes', element: 'carta-last-updated' },
      { check: 'vnu', page: 'assets/css/carta.css', rule: '“colr”', element: 'assets/css/carta.css:' },
    ],
  },
  {
    what: "AGID's validator: a label of the inefficiency-report link it does not accept",
    file: 'themes/agid/strings.toml',
    replace: ['report_inefficiency = "Segnala disservizio"', 'report_inefficiency = "Segnala un disservizio"'],
    expect: [{ check: 'agid', page: '/', rule: 'C.SI.2.4 inefficiency-label', element: 'report-inefficiency' }],
  },
  {
    what: "AGID's validator: a service's metatag without most of its keys, and a legal-notes section with another title and text",
    file: 'themes/agid/templates/home.html',
    after: '<h1 class="carta-title">{{ charter.title }}</h1>',
    insert: '\n  <script type="application/ld+json" data-element="metatag">{"name": "Servizio di prova", "serviceType": "Prova"}</script>\n  <h2 class="carta-selftest-legal" data-element="legal-notes-section">Licenza</h2>\n  <p data-element="legal-notes-body">Un altro testo.</p>',
    expect: [
      { check: 'agid', page: '/', rule: 'R.SI.1.1 metatag-keys', element: 'metatag' },
      { check: 'agid', page: '/', rule: 'C.SI.3.4 legal-notes-section', element: 'carta-selftest-legal' },
      { check: 'agid', page: '/', rule: 'C.SI.3.4 legal-notes-body', element: 'carta-selftest-legal' },
    ],
  },
  {
    what: "AGID's validator: a service page whose JSON-LD states an address the page does not show",
    file: 'themes/agid/templates/service.html',
    replace: ['data-carta-service="where"', 'data-carta-service="elsewhere"'],
    expect: [{ check: 'agid', page: '/impegni/firenzewifi/', rule: 'R.SI.1.1 metatag-unshown', element: 'metatag' }],
  },
  {
    what: "AGID's validator: the accessibility statement link without its data-element",
    file: 'themes/agid/templates/partials/footer.html',
    replace: ['data-element="accessibility-link"', 'data-element="accessibility"'],
    expect: [{ check: 'agid', page: '/contatti/', rule: 'C.SI.3.2 link-missing', element: 'body' }],
  },
  {
    what: 'accessibility tree: organigram units without headings',
    file: 'themes/agid/templates/partials/org-node.html',
    replace: ['<{{ node_heading }} class="carta-org-name">{{ unit.name }}</{{ node_heading }}>', '<p class="carta-org-name">{{ unit.name }}</p>'],
    expect: [{ check: 'ax-tree', page: '/organizzazione/', rule: 'section-heading', element: 'carta-org-card' }],
  },
  {
    what: 'accessibility tree: a link named only by an e-mail address on the generated pages',
    file: 'themes/agid/templates/generated.html',
    after: '<div class="carta-content">',
    insert: '\n    <p><a class="carta-selftest-bare" href="mailto:prova@example.it">prova@example.it</a></p>',
    expect: [{ check: 'ax-tree', page: '/impegni/', rule: 'link-name-bare', element: 'carta-selftest-bare' }],
  },
  {
    what: "facts: every service page with the same title (no commitment number), and a list bullet beside each standard's dot",
    file: 'themes/agid/templates/service.html',
    replace: ['{{ page.title }}{{ strings.ui.title_separator }}{{ strings.blocks.impegni.number_prefix }} {{ service.commitment.number }}{{ strings.ui.title_separator }}', ''],
    expect: [{ check: 'facts', page: '/impegni/firenzewifi/', rule: 'title-unique', element: 'title' }],
  },
  {
    what: "facts: a list bullet beside each standard's dot",
    file: 'themes/agid/static/css/carta.css',
    append: '\n.carta-standards { list-style: disc outside; padding-left: 1.5rem; }\n',
    expect: [{ check: 'facts', page: '/impegni/firenzewifi/', rule: 'standard-two-markers', element: 'carta-standard' }],
  },
  {
    what: 'accessibility tree: footer headings turned into capitals by CSS',
    file: 'themes/agid/static/css/carta.css',
    append: '\n.carta-footer .carta-footer-heading { text-transform: uppercase; }\n',
    expect: [{ check: 'ax-tree', page: '/', rule: 'name-in-capitals', element: 'carta-footer-heading' }],
  },
];

// Faults the gate refuses at build time, so they are put into the built site afterwards, where
// only the browser checks can see them: a page without its policy, and a page with a tracking
// pixel and an inline script (Chromium must block both and report it).
const BUILT_FAULTS = [
  {
    what: 'a built page without its Content-Security-Policy',
    file: 'contatti/index.html',
    remove: /<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?/,
    expect: [{ check: 'csp', page: '/contatti/', rule: 'csp-meta-first', element: 'head' }],
  },
  {
    what: 'a built page with a third-party pixel and an inline script',
    file: 'impegni/index.html',
    remove: /<\/main>/,
    with: '<img class="carta-selftest-pixel" src="https://tracker.invalid/pixel.gif" alt=""><script>document.title = "selftest";</script></main>',
    expect: [
      { check: 'csp', page: '/impegni/', rule: 'csp-violation img-src', element: 'tracker.invalid' },
      { check: 'csp', page: '/impegni/', rule: 'csp-violation script-src', element: 'inline' },
    ],
  },
];

function applyBuiltFault(fault) {
  const path = join(site, fault.file);
  const text = readFileSync(path, 'utf8');
  if (!fault.remove.test(text)) throw new Error(`self-test: ${fault.remove} not found in the built ${fault.file}`);
  writeFileSync(path, text.replace(fault.remove, fault.with || ''));
}

function applyFault(fault) {
  const path = join(project, fault.file.replace(/^themes\/agid\//, 'themes/selftest/'));
  if (fault.append) {
    appendFileSync(path, fault.append);
    return;
  }
  const text = readFileSync(path, 'utf8');
  const [from, to] = fault.replace || [fault.after, fault.before ? fault.insert + fault.after : fault.after + fault.insert];
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`self-test: expected exactly one ${JSON.stringify(from)} in ${fault.file}, found ${count}`);
  writeFileSync(path, text.replace(from, to));
}

const started = performance.now();
console.log(`\n== e2e self-test: a copy of the project with ${FAULTS.length + BUILT_FAULTS.length} deliberate faults must fail the suite`);
rmSync(work, { recursive: true, force: true });
for (const entry of ['site.toml', 'content']) {
  cpSync(join(repo, entry), join(project, entry), { recursive: true });
}
cpSync(join(repo, 'themes/agid'), join(project, 'themes/selftest'), {
  recursive: true,
  filter: (src) => !src.split(/[\\/]/).some((part) => part === 'node_modules' || part === 'vendor'),
});
const siteToml = readFileSync(join(project, 'site.toml'), 'utf8');
if (!siteToml.includes('theme = "agid"')) throw new Error('self-test: site.toml does not say theme = "agid"');
writeFileSync(join(project, 'site.toml'), siteToml.replace('theme = "agid"', 'theme = "selftest"'));
for (const fault of FAULTS) {
  applyFault(fault);
  console.log(`   fault: ${fault.what} (${fault.file})`);
}
execFileSync(carta, ['build', '--root', project, '--output', site, '--stylesheet', 'fallback', '--quiet', '--color', 'never'], { stdio: 'inherit' });
for (const fault of BUILT_FAULTS) {
  applyBuiltFault(fault);
  console.log(`   fault after the build: ${fault.what} (${fault.file})`);
}

const run = spawnSync(process.execPath, [join(here, 'suite.mjs'), '--site', site, '--mode', 'selftest', '--report', reportFile], { encoding: 'utf8' });
// The suite's own output is long and all failures; keep it in a file and show its count lines.
writeFileSync(join(work, 'suite.log'), run.stdout + run.stderr);
for (const line of run.stdout.split('\n')) if (/^\S+ \[selftest\]:/.test(line)) console.log(`   ${line}`);

const problems = [];
if (run.status !== 1) problems.push(`the suite should exit 1 on the faulty site, it exited ${run.status}\n${run.stderr}`);
const findings = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')).findings : [];
let reported = 0;
let expected = 0;
for (const fault of [...FAULTS, ...BUILT_FAULTS]) {
  for (const want of fault.expect) {
    expected += 1;
    const hit = findings.find(
      (f) => f.check === want.check && f.page === want.page && f.rule.includes(want.rule) && `${f.element} ${f.html}`.includes(want.element),
    );
    if (hit) {
      reported += 1;
      const element = hit.element.length > 70 ? `...${hit.element.slice(-67)}` : hit.element;
      console.log(`   reported: [${hit.check}] ${hit.page} :: ${hit.rule.slice(0, 60)} @ ${element}`);
    } else {
      problems.push(`not reported: [${want.check}] ${want.page} :: ${want.rule} @ ${want.element} (${fault.what})`);
    }
  }
}
for (const p of problems) console.log(`   FAIL ${p}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`e2e self-test: ${reported} of ${expected} deliberate faults reported with page, rule and element; the suite exited ${run.status} (${seconds} s; full log target/e2e/selftest/suite.log)`);
process.exit(problems.length === 0 ? 0 : 1);
