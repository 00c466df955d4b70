#!/usr/bin/env bash
# The check steps of the composite action (action.yml): `check.sh sarif FILE` writes SARIF
# and never fails on findings; `check.sh github` writes annotations and fails on errors.
#
# PATHS, ARGS and CHANGED_SINCE come from the action's inputs. PATHS on one line is split
# into words as a shell would split it, without expanding anything (quotes and backslashes
# honoured: `Detections "Hunting Queries"`); PATHS of several lines is one path per line,
# spaces and all (quotes around a whole line are removed). ARGS is split as a shell would,
# across lines. CHANGED_SINCE is one revision.
# Compatible with bash 3.2 (macOS runners).
set -euo pipefail

WORDS=()
# The words of $1 into WORDS (empty words are dropped).
split_words() {
  WORDS=()
  # xargs splits as the shell does (quotes, backslashes) and refuses an unmatched quote.
  if ! printf '%s\n' "$1" | xargs printf '' 2>/dev/null; then
    echo "sentinel-lint action: cannot split \`$1\` into words (an unmatched quote?)" >&2
    exit 2
  fi
  local word
  while IFS= read -r -d '' word; do
    if [[ -n $word ]]; then WORDS+=("$word"); fi
  done < <(printf '%s\n' "$1" | xargs printf '%s\0')
}

# The paths of PATHS into WORDS.
split_paths() {
  local text=$1 line
  case $text in
    *$'\n'*) ;;
    *)
      split_words "$text"
      return
      ;;
  esac
  WORDS=()
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    # Trim the line's spaces, then quotes around it.
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    case $line in
      \"*\" | \'*\') line=${line:1:${#line}-2} ;;
    esac
    if [[ -n $line ]]; then WORDS+=("$line"); fi
  done <<<"$text"
}

mode=${1:?usage: check.sh sarif FILE | check.sh github}
split_paths "${PATHS:-.}"
paths=(${WORDS[@]+"${WORDS[@]}"})
split_words "${ARGS:-}"
args=(${WORDS[@]+"${WORDS[@]}"})
if [[ ${#paths[@]} -eq 0 ]]; then paths=(.); fi
# The `changed-since` input: a revision, one word as given.
if [[ -n ${CHANGED_SINCE:-} ]]; then args+=(--changed-since "$CHANGED_SINCE"); fi

case $mode in
  sarif)
    exec sentinel-lint check --exit-zero --format sarif --output "${2:?the SARIF file}" \
      ${args[@]+"${args[@]}"} -- "${paths[@]}"
    ;;
  github)
    exec sentinel-lint check --format github ${args[@]+"${args[@]}"} -- "${paths[@]}"
    ;;
  *)
    echo "check.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
