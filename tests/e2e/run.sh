#!/usr/bin/env bash
# Runs the end-to-end suite on the default site (site.toml + content/ of this repository).
#
#   tests/e2e/run.sh bootstrap   build with the real Bootstrap Italia assets (npm ci --prefix themes/agid)
#   tests/e2e/run.sh fallback    build with the theme's fallback stylesheet
#   tests/e2e/run.sh selftest    build a copy of the project with deliberate faults; the suite must report them
#   tests/e2e/run.sh allowlist   build a chapter holding the allowed raw HTML; in Chromium no script may run
#                                and every URL must have an allowed scheme (plus a hostile page the probe must catch)
#   tests/e2e/run.sh lighthouse  build with Bootstrap Italia and hold the home page, the commitments page and the
#                                longest chapter to the Lighthouse budgets, mobile and desktop (tests/e2e/lighthouse.mjs)
#
# Needs: the carta release binary (built when missing), /usr/bin/chromium, Java 11+, and the
# suite's packages (npm ci --prefix tests/e2e --ignore-scripts). The site is written to
# target/e2e/<mode>/, screenshots to artifacts/screenshots/<mode>/, the findings to
# target/e2e/report-<mode>.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode="${1:-}"
case "$mode" in
  bootstrap | fallback | selftest | allowlist | lighthouse) ;;
  *) echo "usage: tests/e2e/run.sh bootstrap|fallback|selftest|allowlist|lighthouse" >&2; exit 2 ;;
esac

if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ] || [ ! -d tests/e2e/node_modules/vnu-jar ]; then
  echo "e2e: the suite's packages are missing: npm ci --prefix tests/e2e --ignore-scripts" >&2
  exit 2
fi

carta="${CARTA:-target/release/carta}"
if [ ! -x "$carta" ]; then
  cargo build --release --locked --quiet
fi

mkdir -p target/e2e
if [ "$mode" = selftest ]; then
  exec node tests/e2e/selftest.mjs --carta "$carta"
fi
if [ "$mode" = allowlist ]; then
  exec node tests/e2e/allowlist.mjs --carta "$carta"
fi
if [ "$mode" = lighthouse ]; then
  if [ ! -d tests/e2e/node_modules/lighthouse ]; then
    echo "e2e: lighthouse is missing: npm ci --prefix tests/e2e --ignore-scripts" >&2
    exit 2
  fi
  out="target/e2e/lighthouse-site"
  "$carta" build --quiet --color never --stylesheet bootstrap --output "$out"
  CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" exec node tests/e2e/lighthouse.mjs --site "$out" --mode bootstrap \
    --report target/e2e/report-lighthouse.json
fi

out="target/e2e/$mode"
"$carta" build --quiet --color never --stylesheet "$mode" --output "$out"
exec node tests/e2e/suite.mjs --site "$out" --mode "$mode" \
  --screenshots "artifacts/screenshots/$mode" --report "target/e2e/report-$mode.json"
