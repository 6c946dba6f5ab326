// Every generated HTML file of a site folder, with the URL it is served at.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function walk(dir, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

export function siteFiles(root) {
  return walk(root, []).map((path) => relative(root, path).split(sep).join('/'));
}

// `index.html` -> `/`, `impegni/index.html` -> `/impegni/`, `404.html` -> `/404.html`.
export function urlOf(file) {
  return file === 'index.html' ? '/' : file.endsWith('/index.html') ? `/${file.slice(0, -'index.html'.length)}` : `/${file}`;
}

export function sitePages(root) {
  const files = siteFiles(root);
  return {
    pages: files.filter((f) => f.endsWith('.html')).map((file) => ({ file, url: urlOf(file) })),
    stylesheets: files.filter((f) => f.endsWith('.css')),
  };
}
