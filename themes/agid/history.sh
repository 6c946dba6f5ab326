#!/usr/bin/env bash
# Writes history.txt: the SHA-256 of every version of every file of the built-in theme
# (templates/, static/, strings.toml) this repository has held, one `<sha256> <path>` per line.
# carta reads it to tell a project's unmodified copy of an older theme (safe to delete) from a
# modified one. Run it after changing a theme file (a test fails until then); it needs the git
# history, and keeps every line already there.
set -euo pipefail
cd "$(dirname "$0")"
out=history.txt
{
  [ -f "$out" ] && grep -v '^#' "$out" || true
  git log --format= --raw --no-abbrev -- templates static strings.toml |
    awk '$6 != "" && $4 !~ /^0+$/ {print $4, $6}' |
    sort -u |
    while read -r blob path; do
      printf '%s %s\n' "$(git cat-file blob "$blob" | sha256sum | cut -d' ' -f1)" "${path#themes/agid/}"
    done
  for file in strings.toml $(find templates static -type f | sort); do
    printf '%s %s\n' "$(sha256sum "$file" | cut -d' ' -f1)" "$file"
  done
} | sort -u -k2,2 -k1,1 > "$out.new"
{
  echo "# sha256 path: every version of every built-in theme file carta has shipped (history.sh)"
  cat "$out.new"
} > "$out"
rm "$out.new"
echo "history.sh: $(grep -vc '^#' "$out") file versions in themes/agid/history.txt"
