// Findings and the printed report. A finding always names the page, the rule and the element.

export class Report {
  constructor(mode) {
    this.mode = mode;
    this.findings = [];
    this.sections = [];
    this.current = null;
  }

  section(title) {
    this.current = { title, start: performance.now(), findings: 0 };
    this.sections.push(this.current);
    console.log(`\n-- ${title}`);
  }

  info(line) {
    console.log(`   ${line}`);
  }

  // check: the suite's check ("axe", "vnu", "focus"...); page: URL or file; rule: axe rule id,
  // vnu message or the suite's rule name; element: CSS path or file:line:column; detail: the why.
  fail({ check, page, rule, element, html = '', detail = '' }) {
    const finding = { check, mode: this.mode, page, rule, element, html, detail };
    this.findings.push(finding);
    if (this.current) this.current.findings += 1;
    console.log(`   FAIL [${check}] ${page} :: ${rule}${detail ? ` — ${detail}` : ''}`);
    console.log(`        element: ${element}`);
    if (html) console.log(`        html:    ${html}`);
  }

  // The closing line of a section: "<tool> [mode]: <what was checked>, <count> <noun>".
  close(label, summary, since = this.current.start) {
    const seconds = ((performance.now() - since) / 1000).toFixed(1);
    console.log(`${label} [${this.mode}]: ${summary} (${seconds} s)`);
  }

  count(check) {
    return this.findings.filter((f) => f.check === check).length;
  }
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
