#!/usr/bin/env bash
# The Bootstrap Italia files the theme uses, vendored in vendor/bootstrap-italia/ and built into
# carta: the minified stylesheet, the woff2 fonts, their licences and the package's licence.
#
#   themes/agid/vendor.sh          refresh vendor/ from the package pinned by package-lock.json
#   themes/agid/vendor.sh --check  verify that vendor/ holds exactly the pinned package's files
#
# Either way the package's tarball is fetched with `npm pack` and its SHA-512 is checked against
# the `integrity` of package-lock.json before a byte of it is used. To move to a new version:
# change package.json, run `npm install --package-lock-only --prefix themes/agid`, then this script,
# then rebuild carta (`cargo build`) and record the change in CHANGELOG.md.
set -euo pipefail
cd "$(dirname "$0")"

mode=refresh
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "uso: themes/agid/vendor.sh [--check]" >&2; exit 2 ;;
esac

read -r version integrity < <(node -e '
  const lock = require("./package-lock.json");
  const entry = lock.packages["node_modules/bootstrap-italia"];
  if (!entry || !entry.version || !entry.integrity) process.exit(1);
  console.log(entry.version + " " + entry.integrity);
')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap-italia@$version" >/dev/null)
tarball="$work/bootstrap-italia-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | openssl base64 -A)"
if [ "$actual" != "$integrity" ]; then
  echo "vendor.sh: bootstrap-italia $version does not match package-lock.json's integrity" >&2
  echo "  expected $integrity" >&2
  echo "  got      $actual" >&2
  exit 1
fi
mkdir "$work/package"
tar -xzf "$tarball" -C "$work" package/LICENSE package/dist/css/bootstrap-italia.min.css package/dist/fonts

# The layout of vendor/bootstrap-italia/ is the package's dist/ folder, less what the site never
# publishes (the JavaScript, the source map, the fonts' older formats), plus the package's licence.
fresh="$work/vendor/bootstrap-italia"
mkdir -p "$fresh/css"
cp "$work/package/LICENSE" "$fresh/LICENSE"
cp "$work/package/dist/css/bootstrap-italia.min.css" "$fresh/css/"
(cd "$work/package/dist" && find fonts -type f \( -name '*.woff2' -o -name 'OFL.txt' -o -name 'LICENSE.txt' \) -print0 |
  while IFS= read -r -d '' file; do
    mkdir -p "$fresh/$(dirname "$file")"
    cp "$file" "$fresh/$file"
  done)
printf '%s\n' "$version" > "$fresh/VERSION"

if [ "$mode" = check ]; then
  if ! diff -r "$fresh" vendor/bootstrap-italia; then
    echo "vendor.sh: themes/agid/vendor/bootstrap-italia is not bootstrap-italia $version as pinned; run themes/agid/vendor.sh" >&2
    exit 1
  fi
  echo "vendor.sh: vendor/bootstrap-italia is bootstrap-italia $version ($integrity)"
else
  rm -rf vendor/bootstrap-italia
  mkdir -p vendor
  cp -R "$fresh" vendor/bootstrap-italia
  echo "vendor.sh: vendor/bootstrap-italia refreshed from bootstrap-italia $version ($integrity)"
fi
