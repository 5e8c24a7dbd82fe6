#!/usr/bin/env bash
# The whole test suite: install what is missing (Debian packages, Chromium
# for the browser test, Node.js and the npm test peers), build twice —
# Release, and Debug with AddressSanitizer and UndefinedBehaviorSanitizer —
# and run every test of both through ctest.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}"
install_npm_packages

build "$CAFIO_ROOT/build/release" Release -DCAFIO_BUILD_TESTS=ON
build "$CAFIO_ROOT/build/sanitize" Debug -DCAFIO_BUILD_TESTS=ON -DCAFIO_SANITIZE=ON

status=0
for dir in release sanitize; do
  log "ctest in build/$dir"
  # halt_on_error: a sanitizer finding fails the test that made it.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$CAFIO_ROOT/build/$dir" --output-on-failure --parallel "$(jobs)" \
    --timeout 300 || status=1
done
if [ "$status" -eq 0 ]; then log "all tests passed"; else log "tests FAILED"; fi
exit "$status"
