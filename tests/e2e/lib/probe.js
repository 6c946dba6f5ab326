// In-page helpers of the e2e suite. This file is evaluated inside each page (also with page
// JavaScript disabled: the automation channel still runs it) and defines `window.cartaProbe`.
// It only reads the page: it never changes the DOM or the styles.
(() => {
  const FOCUSABLE = [
    'a[href]',
    'area[href]',
    'button',
    'input:not([type="hidden"])',
    'select',
    'textarea',
    'summary',
    'iframe',
    '[contenteditable=""]',
    '[contenteditable="true"]',
    '[tabindex]',
  ].join(',');

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/[^a-zA-Z0-9_-]/g, '\\$&');
  }

  // A CSS path that names the element: from the nearest ancestor with an id, tag.class:nth-of-type.
  function selectorOf(el) {
    if (!(el instanceof Element)) return String(el);
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && parts.length < 6) {
      if (node.id) {
        parts.unshift(`#${cssEscape(node.id)}`);
        break;
      }
      let part = node.localName;
      const classes = [...node.classList].filter((c) => !c.startsWith('carta-selftest-probe'));
      if (classes.length) part += '.' + classes.slice(0, 2).map(cssEscape).join('.');
      const parent = node.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === node.localName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      if (node.localName === 'body' || node.localName === 'html') break;
      node = parent;
    }
    return parts.join(' > ');
  }

  function snippet(el) {
    if (!(el instanceof Element)) return '';
    const clone = el.cloneNode(false);
    const open = clone.outerHTML.replace(/<\/[^>]+>$/, '');
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    const shortText = text.length > 60 ? text.slice(0, 57) + '...' : text;
    const shortOpen = open.length > 160 ? open.slice(0, 157) + '...' : open;
    return shortText ? `${shortOpen}${shortText}` : shortOpen;
  }

  function describe(el) {
    return { selector: selectorOf(el), html: snippet(el) };
  }

  // Hidden from sight: not rendered, invisible, transparent, or the visually-hidden pattern
  // (1px box with clip), which screen readers still read but nobody sees.
  function isHidden(el) {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return true;
      if (parseFloat(style.opacity) === 0) return true;
      const clipped =
        style.clip === 'rect(0px, 0px, 0px, 0px)' ||
        /inset\(50%\)/.test(style.clipPath) ||
        (style.position === 'absolute' && node.offsetWidth <= 1 && node.offsetHeight <= 1 && style.overflow === 'hidden');
      if (clipped) return true;
    }
    if (el.getClientRects().length === 0) return true;
    // Content the browser skips (a closed <details>, content-visibility: hidden) has boxes but is
    // not drawn.
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ contentVisibilityAuto: true })) return true;
    return false;
  }

  // The closed disclosures (<details>) of the page's navigation whose toggle can be seen: what a
  // reader must open to reach the menu.
  function closedMenus() {
    return [...document.querySelectorAll('nav details:not([open]) > summary')]
      .filter((summary) => !isHidden(summary))
      .map((summary) => describe(summary));
  }

  function focusables() {
    return [...document.querySelectorAll(FOCUSABLE)].filter((el) => {
      if (el.hasAttribute('disabled')) return false;
      if (el.hasAttribute('tabindex') && el.tabIndex < 0) return false;
      if (el.closest('[inert]')) return false;
      return !isHidden(el) || el.matches('.visually-hidden-focusable, .visually-hidden-focusable *');
    });
  }

  const FOCUS_PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow', 'borderTopColor', 'backgroundColor', 'textDecorationLine'];

  function focusStyle(el) {
    const style = getComputedStyle(el);
    const out = {};
    for (const prop of FOCUS_PROPS) out[prop] = style[prop];
    return out;
  }

  // The styles of every focusable element while nothing is focused.
  function recordUnfocused() {
    const base = new Map();
    for (const el of focusables()) base.set(el, focusStyle(el));
    window.cartaProbe.unfocused = base;
    return base.size;
  }

  function isTransparent(colour) {
    return /^rgba\(.*,\s*0\)$/.test(colour) || colour === 'transparent';
  }

  // Whether the focused element shows an indicator it does not show unfocused: an outline or a
  // box-shadow that is drawn (not none, not zero width, not transparent) and differs from the
  // unfocused state.
  function focusIndicator(el) {
    const base = (window.cartaProbe.unfocused && window.cartaProbe.unfocused.get(el)) || null;
    const now = focusStyle(el);
    const reasons = [];
    const outlineDrawn = now.outlineStyle !== 'none' && parseFloat(now.outlineWidth) >= 1 && !isTransparent(now.outlineColor);
    const outlineChanged =
      !base || base.outlineStyle !== now.outlineStyle || base.outlineWidth !== now.outlineWidth || base.outlineColor !== now.outlineColor;
    if (outlineDrawn && outlineChanged) reasons.push(`outline ${now.outlineWidth} ${now.outlineStyle} ${now.outlineColor}`);
    const shadowDrawn = now.boxShadow !== 'none' && !/^rgba\([^)]*,\s*0\)[^,]*$/.test(now.boxShadow);
    if (shadowDrawn && (!base || base.boxShadow !== now.boxShadow)) reasons.push(`box-shadow ${now.boxShadow}`);
    const rect = el.getBoundingClientRect();
    return {
      visible: reasons.length > 0,
      how: reasons.join('; '),
      unfocused: base,
      focused: now,
      size: { width: rect.width, height: rect.height },
    };
  }

  // The focused element's box is on screen and not covered by something else.
  function focusPlacement(el) {
    const rect = el.getBoundingClientRect();
    const inViewport = rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
    let covered = null;
    if (inViewport && rect.width > 0 && rect.height > 0) {
      const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 8), 0), innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) covered = describe(hit);
    }
    return { inViewport, covered, rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } };
  }

  function activeInfo() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    return { ...describe(el), tag: el.localName, inMain: !!el.closest('main'), isMain: el.localName === 'main' };
  }

  function accessibleNameOfRegion(el) {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const byIds = ids.map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.textContent.trim()).join(' ').trim();
    return byIds || (el.getAttribute('aria-label') || '').trim() || (el.getAttribute('title') || '').trim();
  }

  function isScrollableX(el) {
    const style = getComputedStyle(el);
    return (style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1;
  }

  function scrollAncestor(el) {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (isScrollableX(node)) return node;
    }
    return null;
  }

  // Text boxes (one per line fragment) of every visible text node.
  function textBoxes() {
    const boxes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let index = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue.trim()) continue;
      const parent = node.parentElement;
      if (!parent || parent.closest('script,style,noscript,template') || isHidden(parent)) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        boxes.push({ node: index, parent, left: r.left, right: r.right, top: r.top, bottom: r.bottom });
      }
      index += 1;
    }
    return boxes;
  }

  // Reflow and zoom probe: horizontal scrolling of the page, scroll regions, clipped and overlapping text.
  function layout() {
    const doc = document.documentElement;
    const viewport = doc.clientWidth;
    const result = { viewport, scrollWidth: doc.scrollWidth, offenders: [], regions: [], badRegions: [], tablesOutside: [], clipped: [], overlaps: [] };

    if (doc.scrollWidth > viewport + 1) {
      // The elements that stick out of the viewport and are not inside a horizontal scroll region.
      const seen = new Set();
      for (const el of document.body.querySelectorAll('*')) {
        if (isHidden(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.right <= viewport + 1 || scrollAncestor(el)) continue;
        // Report the outermost offender only.
        let outer = el;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (p.getBoundingClientRect().right > viewport + 1) outer = p;
        }
        if (seen.has(outer)) continue;
        seen.add(outer);
        // Descend to the deepest element that alone explains the overflow.
        let inner = outer;
        for (;;) {
          const next = [...inner.children].find((c) => !isHidden(c) && c.getBoundingClientRect().right > viewport + 1);
          if (!next) break;
          inner = next;
        }
        result.offenders.push({ ...describe(inner), right: Math.round(inner.getBoundingClientRect().right) });
        if (result.offenders.length >= 5) break;
      }
    }

    for (const el of document.body.querySelectorAll('*')) {
      if (isHidden(el) || !isScrollableX(el)) continue;
      const name = accessibleNameOfRegion(el);
      const problems = [];
      if (!(el.hasAttribute('tabindex') && el.tabIndex >= 0)) problems.push('not keyboard-focusable (tabindex="0")');
      const role = el.getAttribute('role');
      if (!role || !['region', 'group', 'figure', 'application'].includes(role)) problems.push('no role="region"');
      if (!name) problems.push('no accessible name (aria-labelledby or aria-label)');
      // What scrolls: only a code block or a wide Markdown table may (generated tables reflow).
      const holds = el.matches('pre, .carta-code') || el.querySelector('pre, code') ? 'code' : el.querySelector('table:not(.carta-table)') ? 'markdown-table' : el.querySelector('table') ? 'generated-table' : 'other';
      const entry = { ...describe(el), name, holds, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
      result.regions.push(entry);
      if (problems.length) result.badRegions.push({ ...entry, problems });
    }

    for (const table of document.querySelectorAll('table')) {
      if (isHidden(table)) continue;
      const rect = table.getBoundingClientRect();
      const holder = scrollAncestor(table) || table.closest('[role="region"]');
      if (rect.right > viewport + 1 && !holder) result.tablesOutside.push(describe(table));
    }

    // Clipped text: a box with overflow hidden/clip whose content is larger than the box.
    let allBoxes = null;
    for (const el of document.body.querySelectorAll('*')) {
      if (isHidden(el)) continue;
      const style = getComputedStyle(el);
      const clipX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      const clipY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (!clipX && !clipY) continue;
      if (!(el.textContent || '').trim()) continue;
      const overX = clipX && el.scrollWidth > el.clientWidth + 1;
      const overY = clipY && el.scrollHeight > el.clientHeight + 1;
      if (!overX && !overY) continue;
      // Only text that really lies outside the box counts (padding or empty pseudo elements do not).
      const box = el.getBoundingClientRect();
      if (!allBoxes) allBoxes = textBoxes();
      const lost = allBoxes.filter(
        (b) => el.contains(b.parent) && (b.right > box.right + 1 || b.left < box.left - 1 || b.bottom > box.bottom + 1 || b.top < box.top - 1),
      );
      if (lost.length) {
        result.clipped.push({ ...describe(el), text: lost.slice(0, 3).map((b) => (b.parent.textContent || '').trim().slice(0, 40)) });
      }
    }

    // Overlapping text: two different text nodes whose line boxes overlap noticeably.
    const boxes = (allBoxes || textBoxes()).slice().sort((a, b) => a.top - b.top);
    for (let i = 0; i < boxes.length && result.overlaps.length < 5; i += 1) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length && boxes[j].top < a.bottom; j += 1) {
        const b = boxes[j];
        if (a.node === b.node) continue;
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        const minHeight = Math.min(a.bottom - a.top, b.bottom - b.top);
        if (overlapX > 2 && overlapY > minHeight * 0.3) {
          if (scrollAncestor(a.parent) !== scrollAncestor(b.parent)) continue;
          result.overlaps.push({ first: describe(a.parent), second: describe(b.parent) });
          break;
        }
      }
    }
    return result;
  }

  // The generated tables of the page as the DOM has them: caption, column headers, body rows
  // (with their cells), and whether their scroll region scrolls.
  function generatedTables() {
    return [...document.querySelectorAll('table.carta-table')].map((table) => {
      const region = table.closest('.carta-table-region, [role="region"]');
      return {
        ...describe(table),
        caption: (table.caption ? table.caption.textContent : '').replace(/\s+/g, ' ').trim(),
        display: getComputedStyle(table).display,
        headers: [...table.querySelectorAll(':scope > thead th')].map((th) => th.textContent.replace(/\s+/g, ' ').trim()),
        rows: [...table.querySelectorAll(':scope > tbody > tr')].map((tr) => ({
          rowheaders: tr.querySelectorAll(':scope > th').length,
          cells: tr.querySelectorAll(':scope > td').length,
        })),
        regionScrolls: region ? region.scrollWidth > region.clientWidth + 1 : false,
        right: Math.round(table.getBoundingClientRect().right),
      };
    });
  }

  function headings() {
    return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role="heading"]')].map((el) => {
      const level = el.getAttribute('role') === 'heading' ? parseInt(el.getAttribute('aria-level') || '2', 10) : parseInt(el.localName.slice(1), 10);
      return { level, ...describe(el), text: (el.textContent || '').replace(/\s+/g, ' ').trim() };
    });
  }

  function mainText() {
    const main = document.querySelector('main');
    return main ? main.innerText.replace(/\s+/g, ' ').trim() : null;
  }

  function links(scope) {
    return [...document.querySelectorAll(`${scope || ''} a[href]`.trim())].map((a, index) => ({
      index,
      href: a.href,
      raw: a.getAttribute('href'),
      inNav: !!a.closest('nav'),
      nav: a.closest('nav') ? a.closest('nav').getAttribute('aria-label') || a.closest('nav').id || 'nav' : null,
      hidden: isHidden(a),
      ...describe(a),
    }));
  }

  function ids() {
    return [...document.querySelectorAll('[id]')].map((el) => el.id).concat([...document.querySelectorAll('a[name]')].map((a) => a.name));
  }

  window.cartaProbe = {
    describe,
    isHidden,
    focusables: () => focusables().map(describe),
    // The focusable elements that are not in `visited` (a Set of elements reached with Tab).
    unvisited: (visited) => focusables().filter((el) => !visited.has(el)).map(describe),
    recordUnfocused,
    focusIndicator,
    focusPlacement,
    activeInfo,
    layout,
    generatedTables,
    headings,
    mainText,
    links,
    closedMenus,
    ids,
    // Font size of every element that has text of its own, in document order.
    textSizes: () =>
      [...document.body.querySelectorAll('*')]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim()) && !el.closest('script,style,noscript,template'))
        .map((el) => ({ ...describe(el), size: parseFloat(getComputedStyle(el).fontSize) })),
  };
})();
