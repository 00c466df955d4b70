#!/usr/bin/env bash
# Run one fuzz target for a while, its corpus seeded from the project's rules and, when it
# is there, ../shared/corpus (rule files; for the kql target, their queries as text).
#   fuzz/run.sh TARGET SECONDS
# cargo-fuzz needs a nightly compiler's flags; RUSTC_BOOTSTRAP=1 lets the stable one take them.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-60}
corpus=corpus/$target
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then
  seeds=(../rules)
  [ -d ../../shared/corpus ] && seeds+=(../../shared/corpus)
  i=0
  while IFS= read -r -d '' file; do
    # At most 64 KiB a seed: large seeds slow the fuzzer without finding more.
    [ "$(stat -c %s "$file")" -le 65536 ] || continue
    if [ "$target" = kql ]; then
      # The query: the lines after `query:` up to the next top-level key.
      awk '/^query:/{q=1; sub(/^query:[ |>-]*/, ""); print; next} q && /^[A-Za-z]/{q=0} q' "$file" > "$corpus/seed$i"
    else
      cp "$file" "$corpus/seed$i"
    fi
    i=$((i + 1))
  done < <(find "${seeds[@]}" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "$corpus" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
