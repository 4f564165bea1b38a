#!/usr/bin/env bash
# Installs what Stratascope needs to build and run on Debian 12, from Debian's packages.
# Safe to run again: when everything is installed it touches nothing (and needs no network).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config   # toolchain
  qt6-base-dev                                   # Qt 6 Core, Gui, Widgets, Test (+ platform plugins)
  libarchive-dev                                 # image archives
  fonts-dejavu-core                              # readable text, also offscreen
  util-linux                                     # unshare, setpriv (tests)
  time bc                                        # benchmarks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
