#!/usr/bin/env bash
# Builds the Debian package stratascope_<version>_amd64.deb (CPack, dpkg-shlibdeps) from a
# Release build in build-package/, so the normal build is untouched, and checks it with lintian.
#   STRATA_PACKAGE_DIR=DIR: another build directory. Prints the .deb's path last.
#   scripts/package.sh --from-build DIR: packs a build already made with -DSTRATA_PACKAGING=ON
#   (scripts/test.sh under CI=true: the package of the tree the tests just passed, one build).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --packaging
dir=${STRATA_PACKAGE_DIR:-build-package}
from_build=""
if [ "${1:-}" = --from-build ]; then
  dir=${2:?--from-build DIR}
  from_build=1
fi
if [ -z "$from_build" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Debian's hardening flags (dpkg-buildflags' without -g and -O2: Release chooses those).
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_CXX_FLAGS="-fstack-protector-strong -Wformat -Werror=format-security -D_FORTIFY_SOURCE=2" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-z,relro -Wl,-z,now" \
    -DSTRATA_PACKAGING=ON -DSTRATA_BUILD_TESTS=OFF -DSTRATA_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
  cmake --build "$dir" -j"${STRATA_JOBS:-2}"
fi
# What the package installs for the desktop must pass the desktop's own validators.
desktop-file-validate resources/stratascope.desktop
appstreamcli validate --no-net "$dir"/packaging/io.github.stratascope.Stratascope.metainfo.xml
rm -f "$dir"/stratascope_*.deb
(cd "$dir" && cpack -G DEB >/dev/null)
deb=$(ls "$dir"/stratascope_*_amd64.deb)
if command -v lintian >/dev/null; then
  # Errors fail the package; warnings are printed.
  lintian --fail-on error "$deb" >&2
fi
realpath "$deb"
