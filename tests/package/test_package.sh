#!/usr/bin/env bash
# tests/package/test_package.sh [DEB]: the Debian package in a clean Debian 12 root.
# Builds the package (scripts/package.sh) unless DEB is given, debootstraps a minimal bookworm
# root from this machine's Debian mirror into a folder of its own, installs the package there
# with apt-get, runs the programs, the man page and the completion, takes a screenshot under
# Xvfb, purges the package and checks that none of its files is left. Root only; /proc and /dev
# are mounted in a private mount namespace, so nothing outlives the test.
#   STRATA_PACKAGE_TEST_DIR=DIR  where the root goes (default: a new /var/tmp/strata-pkgtest.*)
#   STRATA_PACKAGE_TEST_KEEP=1   keep it afterwards
#   STRATA_PACKAGE_TEST_SHOT=PNG where to copy the screenshot taken in the root
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "test_package: needs root (debootstrap, chroot)" >&2; exit 77; }
for tool in debootstrap unshare chroot; do
  command -v $tool >/dev/null || { echo "test_package: $tool is missing (scripts/setup.sh)" >&2; exit 77; }
done

start=$SECONDS
phase_start=$SECONDS
timings=()
phase() { # phase NAME: the time since the previous phase ended
  timings+=("$(printf '%-12s %4ds' "$1" $((SECONDS - phase_start)))")
  phase_start=$SECONDS
}

work=${STRATA_PACKAGE_TEST_DIR:-$(mktemp -d /var/tmp/strata-pkgtest.XXXXXX)}
mkdir -p "$work"
root=$work/root
build_pid=""
cleanup() {
  [ -z "$build_pid" ] || kill "$build_pid" 2>/dev/null || true
  [ "${STRATA_PACKAGE_TEST_KEEP:-}" = 1 ] || rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The package builds while debootstrap (mostly waiting on the network) makes the root.
deb=${1:-}
if [ -z "$deb" ]; then
  "$repo/scripts/package.sh" >"$work/package.log" 2>&1 &
  build_pid=$!
else
  deb=$(realpath "$deb")
fi

# The first Debian mirror apt uses here (deb822 or one-line sources).
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" # no services start in the root
chmod 755 "$root/usr/sbin/policy-rc.d"
phase debootstrap
if [ -n "$build_pid" ]; then
  wait "$build_pid" || { tail -30 "$work/package.log" >&2; exit 1; }
  build_pid=""
  deb=$(tail -1 "$work/package.log")
  phase build-rest # what the build needed beyond debootstrap's time
fi

# in_root SCRIPT: bash -c SCRIPT chrooted, with /proc and /dev in a private mount namespace.
in_root() {
  unshare -m --propagation private bash -c '
    mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" &&
    exec chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive /bin/bash -euo pipefail -c "$2"' in_root "$root" "$1"
}

cp "$deb" "$root/tmp/"
in_root "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends \
  /tmp/$(basename "$deb") man-db xvfb xauth >/tmp/install.log 2>&1 || { tail -30 /tmp/install.log; exit 1; }
  dpkg -L stratascope >/tmp/ours.list"
phase install

in_root '
  strata --version | grep -qx "strata $(dpkg-query -W -f="\${Version}" stratascope)"
  strata scenario blog /tmp/x >/dev/null && strata tree /tmp/x | grep -q overlay_layer
  man -w strata | grep -q "/usr/share/man/man1/strata.1.gz"
  man -w stratascope >/dev/null
  source /usr/share/bash-completion/completions/strata
  COMP_WORDS=(strata ""); COMP_CWORD=1; _strata
  [[ " ${COMPREPLY[*]} " == *" scenario "* && " ${COMPREPLY[*]} " == *" docker "* ]]
  COMP_WORDS=(strata op /tmp/x --overlay ""); COMP_CWORD=4; _strata
  [[ " ${COMPREPLY[*]} " == *" overlay_layer "* ]]
  xvfb-run -a stratascope --screenshot /tmp/shot.png --quit >/tmp/gui.log 2>&1 || { cat /tmp/gui.log; exit 1; }
  [ "$(head -c 8 /tmp/shot.png | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ]
  desktop=/usr/share/applications/stratascope.desktop
  test -f $desktop && test -f /usr/share/icons/hicolor/48x48/apps/stratascope.png
  test -f /usr/share/metainfo/io.github.stratascope.Stratascope.metainfo.xml
'
cp "$root/tmp/shot.png" "${STRATA_PACKAGE_TEST_SHOT:-/dev/null}"
phase checks

in_root 'apt-get purge -y -q stratascope >/dev/null
  dpkg-query -W stratascope 2>/dev/null && { echo "still installed"; exit 1; }
  left=0
  while read -r f; do
    # Directories are shared with other packages (/usr/share/man/man1...); files are ours.
    if [ -e "$f" ] && [ ! -d "$f" ] || [ -d "$f" ] && [[ $f == */stratascope* ]]; then
      echo "left behind: $f"; left=1
    fi
  done </tmp/ours.list
  exit $left'
phase purge

echo "test_package: PASS ($((SECONDS - start))s)"
printf '  %s\n' "${timings[@]}"
