// The rules AGID's site validator applies to a page (italia/pa-website-validator-ng 1.1.38,
// `src/audits/*`), written again here so that every page of a built site is held to them without
// running the validator (which needs the site online under its real domain). Each rule names the
// audit file it follows. What the validator checks online (that an external target page exists,
// what form.agid.gov.it's page says) is left to it; the form of the link is checked here.
//
// The rules return findings ({ criterion, rule, element, html, detail }); what does not apply to
// the page ({ criterion, why }); and what the validator would fail because of a value the ente
// gives in site.toml rather than because of the pages ({ criterion, detail }), which `carta check`
// reports as a warning.

// Bootstrap Italia's classes: every class named by a selector of its whole stylesheet. The
// validator keeps its own list (municipality_bootstrap/cssClasses.ts); this one is made from the
// installed package, so both describe the same library.
export function bootstrapClasses(css) {
  const names = new Set();
  const plain = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/url\([^)]*\)/g, '').replace(/"[^"]*"|'[^']*'/g, '');
  // Only selectors: the text before each `{` back to the previous `}`, `{` or `;`.
  for (const match of plain.matchAll(/(?:^|[{};])([^{};]*)\{/g)) {
    const selector = match[1];
    if (selector.trim().startsWith('@')) continue;
    for (const cls of selector.matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)) names.add(cls[1]);
  }
  return names;
}

// The accessibility statement's own page (see carta's W194): form.agid.gov.it/view/<id>.
const STATEMENT = /^https:\/\/form\.agid\.gov\.it\/view\/[A-Za-z0-9_-]+\/?$/;
// The only labels C.SI.2.4 accepts, compared lowercased.
const INEFFICIENCY_LABELS = ['disservizio', 'segnala disservizio', 'segnalazione disservizio'];
// The fonts C.SI.1.1 accepts first in font-family (font/allowedFonts.ts).
const FONTS = ['titillium web', 'lora', 'roboto mono'];
// C.SI.3.4: the heading and the CC-BY 4.0 text of the legal notes (license/legalNotes.ts): the
// text AGID's model gives for the section «Licenza dei contenuti».
const LICENCE_TITLE = 'licenza dei contenuti';
const LICENCE_TEXT =
  'In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo 7 marzo 2005, n. 82 (CAD) e salvo dove diversamente specificato (compresi i contenuti incorporati di terzi), i dati, i documenti e le informazioni pubblicati sul sito sono rilasciati con licenza CC-BY 4.0. ' +
  'Gli utenti sono quindi liberi di condividere (riprodurre, distribuire, comunicare al pubblico, esporre in pubblico), rappresentare, eseguire e recitare questo materiale con qualsiasi mezzo e formato e modificare (trasformare il materiale e utilizzarlo per opere derivate) per qualsiasi fine, anche commerciale con il solo onere di attribuzione, senza apporre restrizioni aggiuntive.';
// R.SI.1.1: the keys of a service's JSON-LD the validator requires (municipality_metatag/index.ts).
const METATAG_KEYS = [
  'name',
  'serviceType',
  'serviceOperator.name',
  'areaServed.name',
  'audience.audienceType',
  'availableChannel.serviceUrl',
  'availableChannel.serviceLocation.name',
  'availableChannel.serviceLocation.address.streetAddress',
  'availableChannel.serviceLocation.address.postalCode',
  'availableChannel.serviceLocation.address.addressLocality',
];

// compare-versions' grammar, which the validator's semver comparison uses: anything else throws.
const SEMVER = /^[v^~<>=]*?(\d+)(?:\.([x*]|\d+)(?:\.([x*]|\d+)(?:\.([x*]|\d+))?(?:-([\da-z-]+(?:\.[\da-z-]+)*))?(?:\+[\da-z-]+(?:\.[\da-z-]+)*)?)?)?$/i;

// What the page says, read in the browser: everything the rules below look at.
function readPage({ fonts }) {
  const describe = (el) => ({ selector: window.cartaProbe ? cartaProbe.describe(el).selector : el.tagName.toLowerCase(), html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 200) });
  const link = (name) => {
    const el = document.querySelector(`footer [data-element="${name}"]`);
    if (!el) return null;
    return { ...describe(el), href: el.getAttribute('href'), label: el.textContent.trim() };
  };
  const firstFamily = (el) => getComputedStyle(el).fontFamily.split(',', 1)[0].trim().replace(/^"|"$/g, '');
  const badFonts = [];
  if (fonts) {
    for (const el of document.body.querySelectorAll('h1, h2, h3, h4, h5, h6, p')) {
      const own = firstFamily(el);
      if (!fonts.includes(own.toLowerCase())) {
        badFonts.push({ ...describe(el), family: own, inside: false });
        continue;
      }
      for (const child of el.querySelectorAll('*')) {
        const family = firstFamily(child);
        if (!fonts.includes(family.toLowerCase())) {
          badFonts.push({ ...describe(child), family, inside: true });
          break;
        }
      }
    }
  }
  const classes = new Set();
  for (const el of document.getElementsByTagName('*')) {
    for (const cls of (el.getAttribute('class') || '').split(' ')) if (cls) classes.add(cls);
  }
  const unavailable = [...document.querySelectorAll('footer .carta-footer-unavailable')].map((el) => el.textContent.trim().toLowerCase());
  const metatags = [...document.querySelectorAll('[data-element="metatag"]')].map((el) => ({ ...describe(el), text: el.textContent }));
  // What a service's page shows (carta's own marks), to hold its JSON-LD to it.
  const mark = (name) => document.querySelector(`[data-carta-service="${name}"]`);
  const shows = {
    users: !!(mark('users') && mark('users').querySelector('li')),
    location: !!mark('where'),
    channel: !!((mark('channels') && mark('channels').querySelector('a[href]')) || mark('service-url')),
    type: !!mark('service-type'),
  };
  const section = document.querySelector('[data-element="legal-notes-section"]');
  const bodies = [...document.querySelectorAll('[data-element="legal-notes-body"]')];
  return {
    host: location.host,
    scriptVersion: window.BOOTSTRAP_ITALIA_VERSION || null,
    cssVersion: getComputedStyle(document.body).getPropertyValue('--bootstrap-italia-version') || null,
    classes: [...classes],
    badFonts,
    links: {
      faq: link('faq'),
      inefficiency: link('report-inefficiency'),
      accessibility: link('accessibility-link'),
      legal: link('legal-notes'),
      privacy: link('privacy-policy-link'),
    },
    unavailable,
    metatags,
    shows,
    legal: section || bodies.length ? {
      section: section ? { ...describe(section), text: section.textContent.trim() } : null,
      body: bodies.map((b) => b.textContent).join(' '),
    } : null,
  };
}

function compareSemver(a, b) {
  const pa = a.match(SEMVER).slice(1, 4).map((n) => Number(n) || 0);
  const pb = b.match(SEMVER).slice(1, 4).map((n) => Number(n) || 0);
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return 0;
}

function dig(object, path) {
  return path.split('.').reduce((o, key) => (o && typeof o === 'object' ? o[key] : undefined), object);
}

// Runs every rule on the loaded page. `bootstrap` is the set of Bootstrap Italia's classes, or
// null when the site is built with the fallback stylesheet: then C.SI.1.1 and C.SI.1.2, which are
// about Bootstrap Italia's fonts and library, do not apply. `cookies` are the browser context's
// cookies after the page loaded.
export async function agidRules(page, { bootstrap, cookies }) {
  const findings = [];
  const notApplicable = [];
  const content = [];
  // The print edition is a document for paper and PDF, not a page of the site: the validator's
  // criteria are about the site's pages.
  if (await page.evaluate(() => document.body.classList.contains('carta-print'))) {
    notApplicable.push({ criterion: 'all', why: 'the print edition is a document, not a page of the site' });
    return { findings, notApplicable, content };
  }
  const seen = await page.evaluate(readPage, { fonts: bootstrap ? FONTS : null });
  const fail = (criterion, rule, where, detail) => findings.push({ criterion, rule, element: where?.selector || 'body', html: where?.html || '', detail });

  if (bootstrap) {
    // C.SI.1.1 — src/audits/font/index.ts: the first family of every h1-h6 and p, and of their
    // descendants (a descendant only costs half the score, still not a pass).
    for (const bad of seen.badFonts) {
      fail('C.SI.1.1', bad.inside ? 'font-inside-text' : 'font', bad, `first font "${bad.family}" is not Titillium Web, Lora or Roboto Mono`);
    }
    // C.SI.1.2 — src/audits/municipality_bootstrap/index.ts: the version from
    // window.BOOTSTRAP_ITALIA_VERSION, else from the custom property on body with double quotes
    // (only) removed; it must be a version compare-versions accepts, at least 2.0.0; and at least
    // 30% (rounded) of the page's distinct classes must be Bootstrap Italia's.
    const raw = seen.scriptVersion ?? seen.cssVersion;
    const version = raw === null ? '' : String(raw).trim().replaceAll('"', '');
    if (!version) fail('C.SI.1.2', 'version-missing', null, 'no window.BOOTSTRAP_ITALIA_VERSION and no --bootstrap-italia-version on body');
    else if (!SEMVER.test(version)) fail('C.SI.1.2', 'version-unreadable', null, `--bootstrap-italia-version reads ${JSON.stringify(version)} once double quotes are removed: not a version the validator can compare`);
    else if (compareSemver(version, '2.0.0') < 0) fail('C.SI.1.2', 'version-too-old', null, `Bootstrap Italia ${version} is older than 2.0.0`);
    const share = seen.classes.length ? Math.round((seen.classes.filter((c) => bootstrap.has(c)).length / seen.classes.length) * 100) : 0;
    if (share < 30) fail('C.SI.1.2', 'bootstrap-classes', null, `${share}% of the page's ${seen.classes.length} distinct classes are Bootstrap Italia's (at least 30%)`);
  } else {
    notApplicable.push({ criterion: 'C.SI.1.1', why: 'fallback stylesheet: not Bootstrap Italia\'s fonts' });
    notApplicable.push({ criterion: 'C.SI.1.2', why: 'fallback stylesheet: Bootstrap Italia is not used' });
  }

  const required = (criterion, key, label, check) => {
    const l = seen.links[key];
    if (!l) {
      // A draft names a required link it does not have yet (carta's W186) instead of linking.
      if (seen.unavailable.some((text) => text.startsWith(label.toLowerCase()))) {
        notApplicable.push({ criterion, why: 'the draft has no such link yet (W186)' });
      } else {
        fail(criterion, 'link-missing', null, `no footer link with data-element="${{ faq: 'faq', inefficiency: 'report-inefficiency', accessibility: 'accessibility-link', legal: 'legal-notes' }[key]}"`);
      }
      return;
    }
    if (!l.href || l.href === '#') {
      fail(criterion, 'link-empty', l, 'the link goes nowhere');
      return;
    }
    check(l);
  };

  // C.SI.2.3 — src/audits/municipality_faq/index.ts: footer [data-element="faq"], text containing
  // "faq" or "domande frequenti" (lowercased). The link is optional in carta: no link, no rule.
  if (seen.links.faq) {
    required('C.SI.2.3', 'faq', 'FAQ', (l) => {
      const label = l.label.toLowerCase();
      if (!label.includes('faq') && !label.includes('domande frequenti')) fail('C.SI.2.3', 'faq-label', l, `label "${l.label}" has neither "FAQ" nor "domande frequenti"`);
    });
  } else {
    notApplicable.push({ criterion: 'C.SI.2.3', why: 'no FAQ link (`faq` is optional in site.toml; the validator fails the criterion without one)' });
  }

  // C.SI.2.4 — src/audits/municipality_inefficiency_report_audit/index.ts: footer
  // [data-element="report-inefficiency"], a mailto: or a page, labelled exactly one of three.
  required('C.SI.2.4', 'inefficiency', 'Segnala', (l) => {
    if (!INEFFICIENCY_LABELS.includes(l.label.toLowerCase())) fail('C.SI.2.4', 'inefficiency-label', l, `label "${l.label}" is not "Segnala disservizio", "Segnalazione disservizio" or "Disservizio"`);
  });

  // C.SI.3.1 — src/audits/cookie/index.ts: every cookie set by the page belongs to its domain.
  const host = seen.host.replace(/:\d+$/, '').replace(/^www\./, '');
  for (const cookie of cookies) {
    const domain = cookie.domain.replace(/^\./, '').replace(/^www\./, '');
    if (domain !== host && !domain.endsWith(`.${host}`)) fail('C.SI.3.1', 'third-party-cookie', null, `cookie ${cookie.name} of ${cookie.domain}`);
  }

  // C.SI.3.2 — src/audits/accessibility/index.ts: footer [data-element="accessibility-link"] on
  // https://form.agid.gov.it/; the validator then reads the statement (by its /view/<uuid>) and
  // looks for the site's domain and "WCAG 2.1": only the statement's own page can pass.
  required('C.SI.3.2', 'accessibility', 'Dichiarazione', (l) => {
    if (!l.href.includes('https://form.agid.gov.it/')) fail('C.SI.3.2', 'statement-not-agid', l, `${l.href} is not on https://form.agid.gov.it/`);
    // The address itself is the ente's to give (site.toml): not a fault of the pages, and carta
    // check warns about it (W194). It is reported beside the findings.
    else if (!STATEMENT.test(l.href)) content.push({ criterion: 'C.SI.3.2', detail: `${l.href} is not a published statement (https://form.agid.gov.it/view/<id>): the validator fails the criterion; carta check warns (W194)` });
  });

  // C.SI.3.4 — src/audits/license/index.ts: the legal notes page has a heading
  // [data-element="legal-notes-section"] reading «Licenza dei contenuti» and
  // [data-element="legal-notes-body"] with the CC-BY 4.0 text (whitespace collapsed, ' as ’).
  // Checked on the page that holds them; carta links the ente's own legal notes, so usually none.
  if (seen.legal) {
    const { section, body } = seen.legal;
    if (!section || section.text.toLowerCase() !== LICENCE_TITLE) fail('C.SI.3.4', 'legal-notes-section', section, `the section title is ${section ? `"${section.text}"` : 'missing'}, not «Licenza dei contenuti»`);
    const text = body.trim().toLowerCase().replace(/\s+/g, ' ').replaceAll("'", '’');
    if (text !== LICENCE_TEXT.toLowerCase()) fail('C.SI.3.4', 'legal-notes-body', section, 'the legal-notes-body text is not the CC-BY 4.0 text of AGID\'s model');
  } else {
    notApplicable.push({ criterion: 'C.SI.3.4', why: 'no legal notes section on this page' });
  }

  // R.SI.1.1 — src/audits/municipality_metatag/index.ts: a service page's
  // [data-element="metatag"] holds JSON with the ten keys of a GovernmentService.
  if (seen.metatags.length) {
    for (const tag of seen.metatags) {
      let json;
      try {
        json = JSON.parse(tag.text);
      } catch (error) {
        fail('R.SI.1.1', 'metatag-json', tag, `not JSON: ${error.message}`);
        continue;
      }
      const missing = METATAG_KEYS.filter((key) => {
        const value = dig(json, key);
        return typeof value !== 'string' || value.length === 0;
      });
      // An entry may be missing only where the page shows that the charter does not give it
      // (carta invents nothing); an entry the page does not show must not be there either.
      const shownBy = (key) =>
        key.startsWith('audience.') ? seen.shows.users
          : key.startsWith('availableChannel.serviceLocation') ? seen.shows.location
            : key === 'availableChannel.serviceUrl' ? seen.shows.channel
              : key === 'serviceType' ? seen.shows.type
                : true;
      const wrong = missing.filter(shownBy);
      const notGiven = missing.filter((key) => !shownBy(key));
      if (wrong.length) fail('R.SI.1.1', 'metatag-keys', tag, `missing or empty: ${wrong.join(', ')}`);
      if (notGiven.length) {
        notApplicable.push({ criterion: 'R.SI.1.1', why: `not given by the charter, and the page says so: ${notGiven.join(', ')}` });
      }
      const claimed = METATAG_KEYS.filter((key) => !missing.includes(key) && !shownBy(key));
      if (claimed.length) fail('R.SI.1.1', 'metatag-unshown', tag, `the JSON-LD states what the page does not show: ${claimed.join(', ')}`);
    }
  } else {
    notApplicable.push({ criterion: 'R.SI.1.1', why: 'no [data-element="metatag"] (not a service page)' });
  }
  return { findings, notApplicable, content };
}
