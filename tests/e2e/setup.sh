#!/usr/bin/env bash
# Installs what the e2e suite needs, on a fresh Debian/Ubuntu machine or CI runner:
#   - Chromium from the distribution (/usr/bin/chromium; never a browser downloaded by npm),
#   - a Java runtime 11 or later for vnu.jar (default-jre-headless) when none is there,
#   - the suite's npm packages, pinned by tests/e2e/package-lock.json. Install scripts are not run:
#     vnu-jar's would fetch a Java runtime, and the machine's Java is used instead.
set -euo pipefail
cd "$(dirname "$0")"

java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -n 1 |
    awk '{ print ($1 == 1 ? $2 : $1) }'
}

missing=()
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 11 ]; then
  missing+=(default-jre-headless)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e setup: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi

npm ci --no-audit --no-fund --ignore-scripts
echo "e2e setup: $(/usr/bin/chromium --version 2>/dev/null | head -n 1); Java $(java_major); node $(node --version)"
