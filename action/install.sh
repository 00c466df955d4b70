#!/usr/bin/env bash
# Puts sentinel-lint on the PATH of the job, for the composite action (action.yml).
#
#   install.sh plan     which binary: writes `dir` and `key` to $GITHUB_OUTPUT (the cache
#                       step of action.yml keeps `dir` between runs under `key`)
#   install.sh install  the binary in `dir` if the cache had it; else the release asset for
#                       this runner, its SHA-256 checked; else (no release of this ref) built
#                       from the action's source with `cargo install --locked`
#
# The version is the `version` input, else the action's ref when it is a version tag
# (`uses: owner/sentinel-lint@v0.2.0`); a branch or commit has no release and is built.
# Environment: VERSION (the input), ACTION_REF, ACTION_REPOSITORY,
# GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_PATH,
# GITHUB_OUTPUT; SENTINEL_LINT_RELEASES overrides the download base (tests use file://).
# Compatible with bash 3.2 (macOS runners).
set -euo pipefail

die() {
  echo "sentinel-lint action: $*" >&2
  exit 2
}

version() {
  local v=${VERSION:-}
  if [[ -z $v && ${ACTION_REF:-} =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    v=$ACTION_REF
  fi
  v=${v#v}
  if [[ -n $v && ! $v =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    die "version \`$v\` is not a version such as 0.2.0"
  fi
  printf '%s' "$v"
}

# The Rust target of the release asset for this runner.
target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo unknown ;;
  esac
}

exe() {
  if [[ ${RUNNER_OS:-} == Windows ]]; then echo sentinel-lint.exe; else echo sentinel-lint; fi
}

# A fingerprint of the action's source, for the cache key of a build from source.
source_hash() {
  (
    cd "${GITHUB_ACTION_PATH:?}"
    find Cargo.toml Cargo.lock src -type f 2>/dev/null | LC_ALL=C sort | xargs cat | cksum | tr -d ' '
  )
}

plan() {
  local v t dir key
  v=$(version)
  t=$(target)
  if [[ -n $v ]]; then
    key="release-$v-$t"
  else
    key="source-$(source_hash)-${RUNNER_OS:-}-${RUNNER_ARCH:-}"
  fi
  dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:?}}/sentinel-lint/$key"
  {
    echo "dir=$dir"
    echo "key=sentinel-lint-$key"
  } >> "${GITHUB_OUTPUT:?}"
}

sha256_of() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Download the release asset of version $1 into $2/bin; false when the release has none.
download() {
  local v=$1 dir=$2 t name base tmp expected actual
  t=$(target)
  [[ $t != unknown ]] || return 1
  name="sentinel-lint-v$v-$t.tar.gz"
  base=${SENTINEL_LINT_RELEASES:-https://github.com/${ACTION_REPOSITORY:?}/releases/download}
  tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/sentinel-lint.XXXXXX")
  if ! curl -fsSL --retry 3 -o "$tmp/$name" "$base/v$v/$name" ||
    ! curl -fsSL --retry 3 -o "$tmp/$name.sha256" "$base/v$v/$name.sha256"; then
    rm -rf "$tmp"
    return 1
  fi
  expected=$(cut -d' ' -f1 < "$tmp/$name.sha256")
  actual=$(sha256_of "$tmp/$name")
  if [[ -z $expected || $expected != "$actual" ]]; then
    rm -rf "$tmp"
    die "$name: SHA-256 $actual does not match the published $expected; not installed"
  fi
  mkdir -p "$tmp/unpacked" "$dir/bin"
  tar -xzf "$tmp/$name" -C "$tmp/unpacked"
  local binary
  binary=$(find "$tmp/unpacked" -type f -name "$(exe)" | head -n 1)
  [[ -n $binary ]] || die "$name holds no $(exe)"
  mv "$binary" "$dir/bin/$(exe)"
  chmod +x "$dir/bin/$(exe)"
  rm -rf "$tmp"
  echo "sentinel-lint $v ($t): downloaded, SHA-256 verified"
}

install() {
  local v dir bin
  v=$(version)
  dir=${DIR:?missing DIR, the plan step output}
  bin="$dir/bin/$(exe)"
  if [[ -x $bin ]]; then
    echo "sentinel-lint: from the cache ($dir)"
  elif [[ -n $v ]] && download "$v" "$dir"; then
    :
  else
    if [[ -n $v ]]; then
      echo "sentinel-lint: no release asset of v$v for $(target); building it from the action's source"
    else
      echo "sentinel-lint: the action's ref (${ACTION_REF:-none}) is not a release; building it from source"
    fi
    command -v cargo > /dev/null || die "cargo is needed to build sentinel-lint (install Rust, or use a released version of the action)"
    cargo install --locked --quiet --path "${GITHUB_ACTION_PATH:?}" --root "$dir"
  fi
  echo "$dir/bin" >> "${GITHUB_PATH:?}"
}

case ${1:-} in
  plan) plan ;;
  install) install ;;
  *) die "usage: install.sh plan|install" ;;
esac
