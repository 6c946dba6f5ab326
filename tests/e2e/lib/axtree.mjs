// What a screen reader is given: the accessibility tree Chromium builds for the page (DevTools
// protocol, Accessibility.getFullAXTree), checked for three things the DOM alone does not show.
//
// - Sections have headings: every unit of the organigram (.carta-org-card), every box of the
//   contacts (.carta-contact-box) and every <section> of main holds a heading in the tree, so
//   that a reader can move between them by heading; every generated table has a name (its
//   caption) and every generated list (organigram, stakeholders, channels) its label.
// - Links say where they lead: no link whose accessible name is only an e-mail address, a phone
//   number, a web address or a path (a list of links would read "mario.rossi@…, 055 …").
// - Words in the case they are written: no text whose accessible name is in capitals while its
//   source text is not (CSS text-transform reaches the names Chromium gives screen readers, which
//   then spell words out or read them as shouting).

const EMAIL = /^(mailto:)?[^\s@]+@[^\s@]+\.[^\s@]+$/i;
// A number written with digits, spaces, dots, dashes, slashes or brackets, at least six digits.
const PHONE = /^(tel:)?\+?[\d\s().\/-]+$/;
const URL_ONLY = /^(https?:\/\/|www\.)\S+$/i;
const PATH = /^\.{0,2}\/\S*$/;

function bareName(name) {
  if (EMAIL.test(name)) return 'an e-mail address';
  if (PHONE.test(name) && (name.match(/\d/g) || []).length >= 6) return 'a phone number';
  if (URL_ONLY.test(name)) return 'a web address';
  if (PATH.test(name)) return 'a path';
  return null;
}

function capitals(text) {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && text === text.toUpperCase() && text !== text.toLowerCase();
}

const normal = (text) => (text || '').replace(/\s+/g, ' ').trim();

// The DOM node behind an AX node: its selector, HTML and text (for a text node, its parent's
// selector and HTML).
async function domOf(cdp, backendNodeId) {
  if (!backendNodeId) return null;
  try {
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      returnByValue: true,
      functionDeclaration: `function () {
        const el = this.nodeType === 1 ? this : this.parentElement;
        const info = window.cartaProbe ? cartaProbe.describe(el) : { selector: el.localName, html: el.outerHTML.slice(0, 200) };
        const authored = !!el.closest('body.carta-print') || (!!el.closest('.carta-content') && !el.closest('.carta-generated, .carta-block'));
        return { ...info, text: this.textContent, authored };
      }`,
    });
    await cdp.send('Runtime.releaseObject', { objectId: object.objectId });
    return result.value;
  } catch {
    return null;
  }
}

// Returns findings ({ rule, element, html, detail }) for the loaded page, the number of accessible
// nodes, and how many links of the chapters' own text are named by an address (not findings).
export async function axTreeRules(page, cdp) {
  const findings = [];
  await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const live = nodes.filter((n) => !n.ignored);
  const name = (n) => normal(n.name?.value);
  const role = (n) => n.role?.value;

  // Links named only by an address, a number or a path, in what carta writes: its pages, blocks
  // and frame. A chapter's own text is the charter's (an address written out in a sentence is
  // the author's choice), and the print edition writes addresses out for paper.
  let authored = 0;
  for (const n of live.filter((n) => role(n) === 'link')) {
    const kind = bareName(name(n));
    if (!kind) continue;
    const dom = await domOf(cdp, n.backendDOMNodeId);
    if (dom?.authored) {
      authored += 1;
      continue;
    }
    findings.push({ rule: 'link-name-bare', element: dom?.selector || 'a', html: dom?.html || '', detail: `the link's accessible name "${name(n)}" is only ${kind}: say whose it is or where it leads` });
  }

  // Text in capitals that is not written in capitals.
  const seen = new Set();
  for (const n of live.filter((n) => role(n) === 'StaticText' && capitals(name(n)))) {
    const dom = await domOf(cdp, n.backendDOMNodeId);
    if (!dom) continue;
    const source = normal(dom.text);
    if (!source || capitals(source) || seen.has(dom.selector)) continue;
    seen.add(dom.selector);
    findings.push({ rule: 'name-in-capitals', element: dom.selector, html: dom.html, detail: `read as "${name(n)}" but written "${source}" (text-transform: uppercase reaches the accessible name)` });
  }

  // Headings of sections and units, names of tables and lists: which DOM elements hold an AX
  // heading is asked of the DOM with the backend ids of the tree's headings.
  const headingIds = live.filter((n) => role(n) === 'heading' && name(n)).map((n) => n.backendDOMNodeId);
  const namedTables = live.filter((n) => role(n) === 'table' && name(n)).map((n) => n.backendDOMNodeId);
  const namedLists = live.filter((n) => ['list', 'tree'].includes(role(n)) && name(n)).map((n) => n.backendDOMNodeId);
  const mark = async (ids, attribute) => {
    for (const id of ids) {
      try {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: id });
        await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: `function () { this.setAttribute('${attribute}', ''); }` });
      } catch {
        // A node without a DOM element: nothing to mark.
      }
    }
  };
  await mark(headingIds, 'data-carta-ax-heading');
  await mark(namedTables, 'data-carta-ax-named');
  await mark(namedLists, 'data-carta-ax-named');
  const missing = await page.evaluate(() => {
    const out = [];
    const describe = (el) => cartaProbe.describe(el);
    for (const el of document.querySelectorAll('.carta-org-card, .carta-contact-box, main section')) {
      if (!el.querySelector('[data-carta-ax-heading]')) out.push({ ...describe(el), what: 'section-heading', detail: 'holds no heading in the accessibility tree' });
    }
    for (const el of document.querySelectorAll('table.carta-table')) {
      if (!el.hasAttribute('data-carta-ax-named')) out.push({ ...describe(el), what: 'table-name', detail: 'the table has no name (its caption) in the accessibility tree' });
    }
    for (const el of document.querySelectorAll('.carta-org-tree, .carta-stakeholders, .carta-channels')) {
      if (!el.hasAttribute('data-carta-ax-named')) out.push({ ...describe(el), what: 'list-name', detail: 'the list has no name in the accessibility tree' });
    }
    for (const el of document.querySelectorAll('[data-carta-ax-heading], [data-carta-ax-named]')) {
      el.removeAttribute('data-carta-ax-heading');
      el.removeAttribute('data-carta-ax-named');
    }
    return out;
  });
  for (const m of missing) findings.push({ rule: m.what, element: m.selector, html: m.html, detail: m.detail });
  return { findings, nodes: live.length, authored };
}

// The AX node of the first element matching a selector: role, name, expanded state (or null).
async function axNodeOf(cdp, selector) {
  const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})` });
  if (!result.objectId) return null;
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
  await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
  const node = nodes.find((n) => !n.ignored) || null;
  if (!node) return null;
  const expanded = (node.properties || []).find((p) => p.name === 'expanded');
  return { role: node.role?.value, name: normal(node.name?.value), expanded: expanded ? expanded.value.value : undefined };
}

// The menu's disclosure as a screen reader meets it. Where its toggle is shown (a phone), the
// toggle is a named control that says it is collapsed, then expanded once activated from the
// keyboard, and the menu's links are then in the tree; where it is not shown (a wide screen),
// every link of the menu is in the tree with no toggle to activate. Returns findings.
export async function menuDisclosureRules(page, cdp, expectedName) {
  const findings = [];
  const toggle = 'nav details.carta-menu-disclosure > summary';
  const state = await page.evaluate((sel) => {
    const summary = document.querySelector(sel);
    if (!summary) return null;
    return { shown: !cartaProbe.isHidden(summary), links: summary.parentElement.querySelectorAll('a[href]').length, ...cartaProbe.describe(summary) };
  }, toggle);
  if (!state) {
    // A page without the site's menu (the print edition) has nothing to disclose.
    const menu = await page.evaluate(() => !!document.querySelector('nav.carta-menu'));
    return menu ? [{ rule: 'menu-disclosure', element: 'nav.carta-menu', html: '', detail: 'the menu has no disclosure' }] : [];
  }
  const linksInTree = async () => {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const ids = nodes.filter((n) => !n.ignored && n.role?.value === 'link').map((n) => n.backendDOMNodeId);
    let count = 0;
    for (const backendNodeId of ids) {
      try {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, returnByValue: true, functionDeclaration: 'function () { return !!this.closest("details.carta-menu-disclosure"); }' });
        if (result.value) count += 1;
      } catch {
        // A node without a DOM element.
      }
    }
    return count;
  };
  if (!state.shown) {
    const count = await linksInTree();
    if (count !== state.links) findings.push({ rule: 'menu-links-in-tree', element: state.selector, html: state.html, detail: `with no toggle shown, ${count} of the menu's ${state.links} links are in the accessibility tree` });
    return findings;
  }
  const closed = await axNodeOf(cdp, toggle);
  if (!closed || closed.name !== expectedName) findings.push({ rule: 'menu-toggle-name', element: state.selector, html: state.html, detail: `the menu's toggle is named "${closed?.name}", not "${expectedName}"` });
  if (!closed || closed.expanded !== false) findings.push({ rule: 'menu-toggle-state', element: state.selector, html: state.html, detail: `the closed menu's toggle announces expanded=${closed?.expanded} (role ${closed?.role})` });
  await page.locator(toggle).focus();
  await page.keyboard.press('Enter');
  const open = await axNodeOf(cdp, toggle);
  if (!open || open.expanded !== true) findings.push({ rule: 'menu-toggle-state', element: state.selector, html: state.html, detail: `after Enter the menu's toggle announces expanded=${open?.expanded}` });
  const count = await linksInTree();
  if (count !== state.links) findings.push({ rule: 'menu-links-in-tree', element: state.selector, html: state.html, detail: `the open menu has ${count} of its ${state.links} links in the accessibility tree` });
  return findings;
}
