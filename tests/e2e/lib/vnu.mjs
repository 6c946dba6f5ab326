// The W3C Nu Html Checker (npm vnu-jar), run with the machine's Java on every HTML page and
// every stylesheet of the site.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

// The checker's CSS grammar predates CSS Containment Level 3 (2022, in every browser since 2023),
// so it reports valid container queries as errors. Only these exact messages, and only in the
// vendored Bootstrap Italia stylesheet (which the project does not edit), are set aside; every
// other message in it, and every message in the project's own pages and stylesheets, counts.
const VENDOR_PREFIX = 'assets/bootstrap-italia/';
const CHECKER_GAPS = [
  /^CSS: Unrecognized at-rule “@container”\.?$/,
  /^CSS: “container-type”: Property “container-type” doesn't exist\.?$/,
  /^CSS: “container-name”: Property “container-name” doesn't exist\.?$/,
];

export function vnuJar() {
  return require.resolve('vnu-jar/build/dist/vnu.jar');
}

export function vnuVersion() {
  return require('vnu-jar/package.json').version;
}

export async function javaVersion(java = process.env.JAVA || 'java') {
  const { stderr } = await run(java, ['-version']);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  return { major, line: stderr.split('\n')[0].trim() };
}

// Checks `files` (relative to `root`). Returns { errors, warnings, gaps } with each message as
// { file, line, column, message, extract }.
export async function checkFiles(root, files, java = process.env.JAVA || 'java') {
  const args = ['-Xss4m', '-jar', vnuJar(), '--format', 'json', '--also-check-css', '--exit-zero-always', ...files.map((f) => join(root, f))];
  const { stdout, stderr } = await run(java, args, { maxBuffer: 64 * 1024 * 1024 });
  const text = (stderr.trim() || stdout.trim());
  let messages;
  try {
    messages = JSON.parse(text).messages;
  } catch (error) {
    throw new Error(`vnu printed no JSON report: ${text.slice(0, 500)}`);
  }
  const prefix = `file:${root.endsWith('/') ? root : root + '/'}`;
  const result = { errors: [], warnings: [], gaps: [] };
  for (const m of messages) {
    const file = m.url ? decodeURIComponent(m.url).replace(prefix, '') : '(vnu)';
    const entry = {
      file,
      line: m.lastLine ?? m.firstLine ?? 0,
      column: m.firstColumn ?? m.lastColumn ?? 0,
      message: m.message,
      extract: (m.extract || '').replace(/\s+/g, ' ').trim(),
    };
    if (m.type === 'error' || m.type === 'non-document-error') {
      if (file.startsWith(VENDOR_PREFIX) && CHECKER_GAPS.some((re) => re.test(m.message))) result.gaps.push(entry);
      else result.errors.push(entry);
    } else if (m.subType === 'warning') {
      result.warnings.push(entry);
    }
  }
  return result;
}
