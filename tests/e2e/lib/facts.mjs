// Every fact in its place, read in Chromium: what carta shows of the charter's data says it once,
// in its place, and as the structured data says it. Page titles are unique across the site (they
// are checked by the suite over all pages); on each page: each standard's dimension of quality is
// in its own table cell under the standards' column, a standard has one marker (no list bullet
// beside the theme's dot), a contact link of a generated block says whose address or number it is,
// a label does not repeat the kind of contact before it («PEC PEC»), a draft's editions card does
// not call an edition in force, a chapter's lead is not its first paragraph again, and opening
// hours shown closed or by appointment are so in the page's openingHoursSpecification.

// Runs in the page: what the rules below look at.
function readFacts() {
  const describe = (el) => ({ selector: window.cartaProbe ? cartaProbe.describe(el).selector : el.tagName.toLowerCase(), html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 200) });
  const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  // A standard's dimension: in a table, the cell it is in and that cell's column header.
  const dimensions = [...document.querySelectorAll('.carta-standard-dimension')].map((el) => {
    const cell = el.closest('td, th');
    const table = el.closest('table');
    let header = null;
    if (cell && table) {
      const th = table.querySelectorAll('thead th')[cell.cellIndex];
      header = th ? text(th) : null;
    }
    return { ...describe(el), text: text(el), visible: visible(el), inTable: !!table, cellTag: cell ? cell.tagName.toLowerCase() : null, header };
  });
  const standardsColumn = (() => {
    const th = document.querySelector('table.carta-commitments thead th.carta-col-standards');
    return th ? text(th) : null;
  })();
  const bullets = [...document.querySelectorAll('li.carta-standard')]
    .filter((li) => getComputedStyle(li).listStyleType !== 'none' && getComputedStyle(li).display === 'list-item')
    .map((li) => ({ ...describe(li), marker: getComputedStyle(li).listStyleType }));
  // Contact links of carta's own blocks and pages (a chapter's own text is the editor's).
  const contactLinks = [...document.querySelectorAll('.carta-block a[href^="mailto:"], .carta-block a[href^="tel:"], article.carta-service a[href^="mailto:"], article.carta-service a[href^="tel:"]')]
    .map((a) => ({ ...describe(a), shown: text(a), name: (a.getAttribute('aria-label') || text(a)).trim() }));
  const repeatedKinds = [...document.querySelectorAll('.carta-other-contacts > li')]
    .filter((li) => /\b(PEC|Telefono|Posta elettronica)\s+\1\b/i.test(text(li)))
    .map((li) => ({ ...describe(li), text: text(li) }));
  const draft = !!document.querySelector('.carta-draft-banner');
  const editionsCards = [...document.querySelectorAll('.carta-card')]
    .filter((card) => card.querySelector('a[href$="/edizioni/"]'))
    .map((card) => ({ ...describe(card), text: text(card) }));
  const lead = document.querySelector('.carta-article > .carta-lead');
  const firstParagraph = document.querySelector('.carta-article .carta-content > p');
  const hoursLines = [...document.querySelectorAll('.carta-hours:not(.carta-hours-exceptions) > li')].map((li) => ({ ...describe(li), text: text(li) }));
  const specifications = [];
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (node['@type'] === 'OpeningHoursSpecification') specifications.push(node);
      Object.values(node).forEach(walk);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      walk(JSON.parse(script.textContent));
    } catch {
      // The AGID rules report JSON that does not parse.
    }
  }
  return {
    dimensions,
    standardsColumn,
    bullets,
    contactLinks,
    repeatedKinds,
    draft,
    editionsCards,
    lead: lead ? { ...describe(lead), text: text(lead) } : null,
    firstParagraph: firstParagraph ? text(firstParagraph) : null,
    hoursLines,
    specifications,
  };
}

// The findings on one loaded page: `{ rule, element, html, detail }`; with the page's title, its
// weekly opening hours as shown and the OpeningHoursSpecifications of its JSON-LD, which
// `hoursRules` compares across the site (the hours are on one page, the JSON-LD on others).
export async function factsRules(page) {
  const seen = await page.evaluate(readFacts);
  const findings = [];
  const fail = (rule, where, detail) => findings.push({ rule, element: where?.selector || 'body', html: where?.html || '', detail });
  for (const d of seen.dimensions) {
    if (!d.visible) fail('dimension-hidden', d, `the dimension «${d.text}» is not visible`);
    if (d.inTable && (d.cellTag !== 'td' || d.header !== seen.standardsColumn)) {
      fail('dimension-cell', d, `the dimension is in a ${d.cellTag} under «${d.header}», not in the standards' cell («${seen.standardsColumn}»)`);
    }
  }
  for (const b of seen.bullets) fail('standard-two-markers', b, `a standard has the list marker "${b.marker}" beside the theme's dot`);
  for (const link of seen.contactLinks) {
    if (link.name === link.shown || !link.name.endsWith(link.shown)) {
      fail('contact-link-name', link, `the link is named «${link.name}»: it should say whose address or number «${link.shown}» is, and end with it`);
    }
  }
  for (const r of seen.repeatedKinds) fail('contact-kind-repeated', r, `«${r.text}» says the kind of contact twice`);
  if (seen.draft) {
    for (const card of seen.editionsCards) {
      if (/\bin vigore\b/i.test(card.text) && !/non ancora approvata|bozza/i.test(card.text)) {
        fail('draft-edition-in-force', card, `a draft's editions card says an edition is in force: «${card.text}»`);
      }
    }
  }
  if (seen.lead && seen.firstParagraph && seen.lead.text === seen.firstParagraph) {
    fail('lead-repeats-first-paragraph', seen.lead, 'the lead is the first paragraph again');
  }
  const print = await page.evaluate(() => document.body.classList.contains('carta-print'));
  return { findings, title: await page.title(), print, hoursLines: seen.hoursLines, specifications: seen.specifications };
}

// Weekly hours shown closed or by appointment, against the site's OpeningHoursSpecifications.
// `closedWord` and `appointmentWord` are the theme's words ([hours] closed, by_appointment).
export function hoursRules(lines, specifications, { closedWord, appointmentWord }) {
  const findings = [];
  const weekly = specifications.filter((s) => s.dayOfWeek && !s.validFrom);
  for (const line of lines) {
    if (line.text.endsWith(`: ${closedWord}`) && !weekly.some((s) => s.opens === '00:00' && s.closes === '00:00')) {
      findings.push({ rule: 'hours-closed-not-in-json-ld', element: line.selector, html: line.html, detail: `«${line.text}» has no weekly OpeningHoursSpecification closed (00:00-00:00) in the site's JSON-LD` });
    }
    if (line.text.includes(appointmentWord) && !weekly.some((s) => String(s.description || '').includes(appointmentWord))) {
      findings.push({ rule: 'hours-appointment-not-in-json-ld', element: line.selector, html: line.html, detail: `«${line.text}» has no weekly OpeningHoursSpecification saying «${appointmentWord}» in the site's JSON-LD` });
    }
  }
  return findings;
}
