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
