#!/usr/bin/env bash
# Installs what Stratascope needs to build and run on Debian 12, from Debian's packages.
# Safe to run again: when everything is installed it touches nothing (and needs no network).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config   # toolchain
  qt6-base-dev                                   # Qt 6 Core, Gui, Widgets, Test (+ platform plugins)
  qt6-svg-dev                                    # SVG export of views (and SVG icons)
  libarchive-dev                                 # image archives
  fonts-dejavu-core                              # readable text, also offscreen
  util-linux                                     # unshare, setpriv (tests)
  time bc                                        # benchmarks
  clang-14 libclang-rt-14-dev llvm-14            # fuzzing (libFuzzer, sanitizer runtimes, symbolizer)
)
# The Debian package (scripts/package.sh runs `setup.sh --packaging`): man pages and its checks.
# Not needed to build or test, so a plain setup (and CI) does not install them.
if [ "${1:-}" = --packaging ]; then
  packages+=(help2man lintian desktop-file-utils appstream)
fi
# The Docker explorer's tests run a real dockerd (started by tests/docker/dockerd.sh, without
# network) and build images from busybox; skopeo makes OCI copies of them. Optional: without
# root they are skipped anyway. The containerd store's tests run a containerd (started by
# tests/containerd/containerd.sh on its own socket, without CNI) filled from those images; the
# Podman store's tests a store of their own (tests/podman/podman.sh, `podman load` of them).
optional=(
  docker.io busybox-static fuse-overlayfs skopeo
  containerd
  podman uidmap
  debootstrap                                    # tests/package: a clean Debian 12 root for the package
)

is_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do
  is_missing "$p" && missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  is_missing "$p" && missing_optional+=("$p")
done
if ((${#missing[@]} + ${#missing_optional[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    if ((${#missing[@]} == 0)); then
      echo "setup: warning: not installed (needs root): ${missing_optional[*]}; the Docker, containerd and Podman tests will be skipped" >&2
      exit 0
    fi
    echo "setup: need root (or sudo) to install: ${missing[*]} ${missing_optional[*]}" >&2
    exit 1
  fi
  sudo=sudo
fi
all=("${missing[@]}" "${missing_optional[@]}")
echo "setup: installing ${all[*]}"
# docker.io must not start a daemon with its default (networked) configuration: policy-rc.d
# tells the package scripts not to start services; tests/docker/dockerd.sh starts its own.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
  $sudo chmod 755 "$guard"
  trap '$sudo rm -f "$guard"' EXIT
fi
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${all[@]}"
