#!/usr/bin/env bash
# Runs the end-to-end suite on the default site (site.toml + content/ of this repository), or on
# another project of the repository given as second argument (e.g. examples/quarto).
#
#   tests/e2e/run.sh bootstrap [ROOT]   build with the real Bootstrap Italia assets (built into carta)
#   tests/e2e/run.sh fallback [ROOT]    build with the theme's fallback stylesheet
#   tests/e2e/run.sh selftest    build a copy of the project with deliberate faults; the suite must report them
#   tests/e2e/run.sh allowlist   build a chapter holding the allowed raw HTML; in Chromium no script may run
#                                and every URL must have an allowed scheme (plus a hostile page the probe must catch)
#   tests/e2e/run.sh lighthouse  build with Bootstrap Italia and hold the home page, the commitments page and the
#                                longest chapter to the Lighthouse budgets, mobile and desktop (tests/e2e/lighthouse.mjs)
#
# Needs: the carta release binary (built when missing), /usr/bin/chromium, Java 11+, and the
# suite's packages (npm ci --prefix tests/e2e --ignore-scripts). The site is written to
# target/e2e/<mode>/, screenshots to artifacts/screenshots/<mode>/, the findings to
# target/e2e/report-<mode>.json; for another project ROOT, <mode> is <mode>-<name of ROOT>
# (target/e2e/fallback-quarto/). A draft charter (no `approval:` in content/charter.yaml) is built
# with --allow-draft.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode="${1:-}"
root="${2:-}"
case "$mode" in
  bootstrap | fallback) ;;
  selftest | allowlist | lighthouse) [ -z "$root" ] || { echo "e2e: $mode runs on the default project only" >&2; exit 2; } ;;
  *) echo "usage: tests/e2e/run.sh bootstrap|fallback [ROOT] | selftest | allowlist | lighthouse" >&2; exit 2 ;;
esac
if [ -n "$root" ] && [ ! -f "$root/site.toml" ]; then
  echo "e2e: $root is not a carta project (no site.toml)" >&2
  exit 2
fi

if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ] || [ ! -d tests/e2e/node_modules/vnu-jar ]; then
  echo "e2e: the suite's packages are missing: npm ci --prefix tests/e2e --ignore-scripts" >&2
  exit 2
fi

carta="${CARTA:-target/release/carta}"
if [ ! -x "$carta" ]; then
  cargo build --release --locked --quiet
fi

mkdir -p target/e2e
# A site an older carta left here has no .carta-output marker, and carta no longer replaces an
# unmarked folder: the suite's own folders are removed instead.
for old in target/e2e/*/; do
  if [ -d "$old" ] && [ -f "$old/index.html" ] && [ ! -f "$old/.carta-output" ]; then
    rm -rf "$old"
  fi
done
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

name="$mode"
build=(--quiet --color never --stylesheet "$mode")
if [ -n "$root" ]; then
  name="$mode-$(basename "$(cd "$root" && pwd)")"
  build+=(--root "$root")
fi
charter="${root:-.}/content/charter.yaml"
if ! grep -q '^approval:' "$charter"; then
  build+=(--allow-draft)
fi
out="target/e2e/$name"
"$carta" build "${build[@]}" --output "$out"
exec node tests/e2e/suite.mjs --site "$out" --mode "$name" \
  --screenshots "artifacts/screenshots/$name" --report "target/e2e/report-$name.json"
