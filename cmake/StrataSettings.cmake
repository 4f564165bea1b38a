# One INTERFACE target carries the compile policy; every target links it.
add_library(strata_settings INTERFACE)
target_compile_features(strata_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(strata_settings INTERFACE -Wall -Wextra -Wpedantic)
target_compile_definitions(strata_settings INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_CONTEXTLESS_CONNECT
  QT_USE_QSTRINGBUILDER
  QT_STRICT_ITERATORS
  QT_NO_KEYWORDS
  QT_DISABLE_DEPRECATED_UP_TO=0x060400
  STRATA_VERSION="${PROJECT_VERSION}"
  _FILE_OFFSET_BITS=64)

# -DSTRATA_SANITIZE=ON: everything under AddressSanitizer and UndefinedBehaviorSanitizer (g++ or
# clang). STRATA_FUZZ implies it: scripts/test.sh runs the whole suite sanitized in build-fuzz.
option(STRATA_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
# -DSTRATA_FUZZ=ON (clang only): the libFuzzer targets in tests/fuzz, everything instrumented
# for them and sanitized. tests/fuzz/run.sh configures build-fuzz this way.
option(STRATA_FUZZ "Build the libFuzzer targets (clang)" OFF)
if(STRATA_SANITIZE OR STRATA_FUZZ)
  set(strata_sanitizers -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_compile_options(strata_settings INTERFACE ${strata_sanitizers})
  target_link_options(strata_settings INTERFACE ${strata_sanitizers})
endif()
if(STRATA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STRATA_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  target_compile_options(strata_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
