#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite; then the same suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer, and every fuzz target for
# STRATA_FUZZ_SECONDS (default 20; 0 skips), both from one clang build, build-fuzz
# (tests/fuzz/run.sh); under CI=true also the Debian package of the same build, installed
# into a clean Debian 12 root (tests/package/test_package.sh). Arguments go to ctest (e.g.
# -L unit). Every part runs; the script fails when any of them did.
# Kernel tests mount real overlays in a private mount namespace and need root; the Docker
# tests need root and a dockerd, which tests/docker/dockerd.sh starts (without network) and
# fills with test images; the containerd tests a containerd, which tests/containerd/containerd.sh
# starts (on its own socket, no CNI) and fills from those images; the Podman tests a store of
# their own that tests/podman/podman.sh fills (podman load, no network). Without root they skip,
# except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
# The time each part took, for the CI budget: "test: <part> done after N s (total M s)".
last=$SECONDS
done_with() {
  echo "test: $1 done after $((SECONDS - last)) s (total $SECONDS s)"
  last=$SECONDS
}
# The Debian package of the tree under test, installed in a clean Debian 12 root
# (tests/package/test_package.sh): by default under CI=true only, STRATA_PACKAGE_TEST=1 asks for it.
package_test=${STRATA_PACKAGE_TEST:-$([ "${CI:-}" = true ] && echo 1 || echo 0)}
if [ "$package_test" = 1 ]; then
  ./scripts/setup.sh --packaging
  # One build for the tests and the package: the packaging targets join the normal build.
  [ -f build/build.ninja ] || export STRATA_CMAKE_ARGS="${STRATA_CMAKE_ARGS:-} -DSTRATA_PACKAGING=ON"
else
  ./scripts/setup.sh
fi
done_with setup
./scripts/build.sh
done_with build
if [ "$(id -u)" -eq 0 ]; then
  # Not fatal here: tst_docker runs it again and then skips, or fails under CI=true.
  ./tests/docker/dockerd.sh || echo "test: warning: tests/docker/dockerd.sh failed" >&2
  ./tests/containerd/containerd.sh || echo "test: warning: tests/containerd/containerd.sh failed" >&2
  ./tests/podman/podman.sh || echo "test: warning: tests/podman/podman.sh failed" >&2
fi
failed=()
ctest --test-dir build --output-on-failure "$@" || failed+=(tests)
done_with tests

# The package test waits mostly on Debian's mirror (debootstrap, apt-get): it runs while the
# sanitized build keeps the processors busy.
package_pid=""
if [ "$package_test" = 1 ]; then
  if deb=$(./scripts/package.sh --from-build build | tail -1) && [ -f "$deb" ]; then
    ./tests/package/test_package.sh "$deb" >build/package-test.log 2>&1 &
    package_pid=$!
  else
    failed+=(package)
  fi
fi

# Any sanitizer report fails the test that made it (a child process's too: the CLI, the GUI).
# The fuzzers' build is sanitized already: the suite runs from it instead of a build of its own.
./tests/fuzz/run.sh build
done_with "sanitized build"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
ctest --test-dir build-fuzz --output-on-failure "$@" || failed+=("tests under ASan+UBSan")
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
done_with "tests under ASan+UBSan"

seconds=${STRATA_FUZZ_SECONDS:-20}
if [ "$seconds" != 0 ]; then
  ./tests/fuzz/run.sh "$seconds" || failed+=(fuzzing)
  done_with fuzzing
fi
if [ -n "$package_pid" ]; then
  wait "$package_pid" || failed+=("package test")
  sed 's/^/test: package: /' build/package-test.log
  done_with "package test"
fi
if ((${#failed[@]})); then
  echo "test: failed: ${failed[*]}" >&2
  exit 1
fi
