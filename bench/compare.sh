#!/usr/bin/env bash
# sentinel-lint against its peers on ../shared/corpus, from one run:
#   - check vs check-jsonschema (with our generated schema), vs yamllint, and vs a bare YAML
#     parse of the same files (examples/parse.rs);
#   - convert --to arm and --to sigma: wall time and peak RSS;
#   - check over 16 copies of the corpus: peak RSS.
# Needs hyperfine (Debian) and Python 3; the peers go into a virtualenv under target/.
#   bench/compare.sh [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/corpus}")
venv=target/bench-venv
if [ ! -x "$venv/bin/yamllint" ] || [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'yamllint==1.37.1' 'check-jsonschema==0.39.0'
fi
command -v hyperfine > /dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin sentinel-lint --example parse
bin=target/release/sentinel-lint
parse=target/release/examples/parse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort > "$work/files"
files=$(wc -l < "$work/files")

echo "# $files rule files, $(du -sh "$corpus" | cut -f1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
# The peers exit non-zero on the corpus's defects, as sentinel-lint does: that is not failure.
hyperfine --warmup 1 --runs 5 --ignore-failure --style none --export-json "$work/check.json" \
  -n sentinel-lint "$bin check $corpus --format concise -o /dev/null" \
  -n bare-parse "$parse $corpus" \
  -n yamllint "xargs -d '\\n' -a $work/files $venv/bin/yamllint -f parsable -d relaxed" \
  -n check-jsonschema "xargs -d '\\n' -a $work/files $venv/bin/check-jsonschema --schemafile schema/rule.schema.json" \
  > /dev/null 2>&1
python3 - "$work/check.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = results["sentinel-lint"]["mean"]
print("check over the corpus (hyperfine, mean of 5 runs after a warm-up):")
for name, r in results.items():
    ratio = "" if name == "sentinel-lint" else f"  {r['mean'] / ours:6.2f}x the time of sentinel-lint"
    print(f"  {name:<18} {r['mean'] * 1000:8.0f} ms ± {r['stddev'] * 1000:5.0f}{ratio}")
if results["yamllint"]["mean"] < results["bare-parse"]["mean"]:
    sys.exit("yamllint finished faster than a bare parse: it did not run as meant")
PY
echo
peak() { # peak RSS in MiB and wall seconds of a command
  /usr/bin/time -f '%M %e' -o "$work/time" "$@" > /dev/null 2>&1 || true
  read -r kib seconds < <(tail -n 1 "$work/time")
  printf '%6.1f s  %6.0f MiB peak RSS' "$seconds" "$(echo "$kib / 1024" | bc -l)"
}
echo "convert over the corpus (one run each, outputs on $work):"
echo "  --to arm --force   $(peak "$bin" convert --to arm --force "$corpus" -o "$work/arm")"
echo "  --to sigma         $(peak "$bin" convert --to sigma "$corpus" -o "$work/sigma")"
echo
mkdir -p "$work/x16"
# Hard-linked copies where the file system allows it (links to folders are not walked).
for i in $(seq 1 16); do cp -al "$corpus" "$work/x16/copy$i" 2>/dev/null || cp -a "$corpus" "$work/x16/copy$i"; done
echo "check over 16 copies ($(find "$work/x16" -type f \( -name '*.yaml' -o -name '*.yml' \) | wc -l) files, duplicate lints off):"
echo "  concise            $(peak "$bin" check "$work/x16" --ignore SL701,SL703 --format concise -o /dev/null)"
echo "  human              $(peak "$bin" check "$work/x16" --ignore SL701,SL703 --format human -o /dev/null)"
# shellcheck disable=SC2086
echo "  1 copy             $(peak "$bin" check "$corpus" --format concise -o /dev/null)"
