// How every script of the suite starts Chromium: the Debian package at /usr/bin/chromium (or
// $CHROMIUM / $CHROME_PATH), headless, without the sandbox (CI runs as root), with a fresh profile
// and nothing that talks to the network on its own. Text is rendered without hinting, so that
// measurements do not depend on the machine's font settings.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

export const CHROMIUM_PATH = process.env.CHROME_PATH || process.env.CHROMIUM || '/usr/bin/chromium';
