#!/bin/sh
# Installs a kubeready release binary, checksum verified.
#
#   sh scripts/install.sh [--version v0.2.0] [--dir DIR] [--base-url URL] [--target TRIPLE]
#
# Every option can also come from the environment: KUBEREADY_VERSION,
# KUBEREADY_DIR, KUBEREADY_BASE_URL, KUBEREADY_TARGET.
#
# The release asset for a version and platform is
#   <base-url>/<version>/kubeready-<version>-<target>.tar.gz   (.zip on Windows)
# next to its checksum file <asset>.sha256 ("<sha256>  <asset>"). The base
# URL defaults to GitHub's release downloads; it may be any http(s) or
# file:// URL, or a local folder (to install from a mirror, or in tests).
#
# The binary ends up at DIR/kubeready (default: $HOME/.local/bin). When
# DIR/kubeready already exists and reports the requested version, nothing
# is downloaded (DIR then works as a cache, e.g. the runner's tool cache).
#
# Exit codes: 0 installed (or already there), 1 download or unpack failed,
# 2 usage error, 3 no release binary for this platform, 4 checksum mismatch
# (never install, never fall back: the asset is not the published one).
set -eu

DEFAULT_VERSION=v0.2.0
DEFAULT_BASE_URL=https://github.com/kubeready/kubeready/releases/download

version=${KUBEREADY_VERSION:-$DEFAULT_VERSION}
dir=${KUBEREADY_DIR:-}
base_url=${KUBEREADY_BASE_URL:-$DEFAULT_BASE_URL}
target=${KUBEREADY_TARGET:-}

say() { printf 'kubeready-install: %s\n' "$*" >&2; }
usage() {
  say "$1"
  say "usage: install.sh [--version vX.Y.Z] [--dir DIR] [--base-url URL] [--target TRIPLE]"
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --version) [ $# -ge 2 ] || usage "--version needs a value"; version=$2; shift 2 ;;
    --dir) [ $# -ge 2 ] || usage "--dir needs a value"; dir=$2; shift 2 ;;
    --base-url) [ $# -ge 2 ] || usage "--base-url needs a value"; base_url=$2; shift 2 ;;
    --target) [ $# -ge 2 ] || usage "--target needs a value"; target=$2; shift 2 ;;
    -h | --help)
      sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) usage "unknown argument: $1" ;;
  esac
done

case $version in
  v[0-9]*) ;;
  [0-9]*) version=v$version ;;
  *) usage "version must look like v0.2.0, got '$version'" ;;
esac
if [ -z "$dir" ]; then
  [ -n "${HOME:-}" ] || usage "--dir is needed when HOME is not set"
  dir=$HOME/.local/bin
fi

if [ -z "$target" ]; then
  os=$(uname -s)
  arch=$(uname -m)
  case $arch in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) say "no release binary for $os $arch (install with cargo instead)"; exit 3 ;;
  esac
  case $os in
    Linux) target=$arch-unknown-linux-musl ;;
    Darwin) target=$arch-apple-darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || { say "no release binary for Windows $arch"; exit 3; }
      target=x86_64-pc-windows-msvc
      ;;
    *) say "no release binary for $os $arch (install with cargo instead)"; exit 3 ;;
  esac
fi

exe=kubeready
ext=tar.gz
case $target in
  *windows*) exe=kubeready.exe; ext=zip ;;
esac

# Already installed at this version: nothing to do.
if [ -x "$dir/$exe" ] && "$dir/$exe" --version 2>/dev/null | grep -qx "kubeready ${version#v}"; then
  say "kubeready ${version#v} already at $dir/$exe"
  printf '%s\n' "$dir/$exe"
  exit 0
fi

asset=kubeready-$version-$target.$ext
base=${base_url%/}/$version

fetch() { # fetch SOURCE DEST
  case $1 in
    http://* | https://* | file://*)
      if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,http,file' -fsSL --retry 3 -o "$2" "$1"
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1"
      else
        say "neither curl nor wget is installed"
        return 1
      fi
      ;;
    *) cp "$1" "$2" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    say "neither sha256sum nor shasum is installed; cannot verify the download"
    return 1
  fi
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t kubeready)
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $base/$asset"
fetch "$base/$asset" "$tmp/$asset" || { say "cannot download $base/$asset"; exit 1; }
fetch "$base/$asset.sha256" "$tmp/$asset.sha256" || { say "cannot download $base/$asset.sha256"; exit 1; }

expected=$(cut -d' ' -f1 <"$tmp/$asset.sha256" | tr 'A-F' 'a-f')
actual=$(sha256_of "$tmp/$asset") || exit 1
case $expected in
  *[!0-9a-f]* | '') say "$asset.sha256 holds no SHA-256"; exit 4 ;;
esac
if [ "${#expected}" -ne 64 ] || [ "$expected" != "$actual" ]; then
  say "checksum mismatch for $asset: expected $expected, got $actual"
  exit 4
fi

mkdir -p "$tmp/unpacked"
case $ext in
  tar.gz) tar -xzf "$tmp/$asset" -C "$tmp/unpacked" ;;
  zip) unzip -q "$tmp/$asset" -d "$tmp/unpacked" ;;
esac || { say "cannot unpack $asset"; exit 1; }
found=$(find "$tmp/unpacked" -type f -name "$exe" | head -n 1)
[ -n "$found" ] || { say "$asset holds no $exe"; exit 1; }

mkdir -p "$dir"
cp "$found" "$dir/$exe.tmp"
chmod 755 "$dir/$exe.tmp"
mv -f "$dir/$exe.tmp" "$dir/$exe"
say "installed kubeready ${version#v} ($target) at $dir/$exe"
printf '%s\n' "$dir/$exe"
