# Sources of the image archive store (core/image/archive), added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/archivefiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/archivestore.cpp
  ${CMAKE_CURRENT_LIST_DIR}/archiveextractor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imagecommitter.cpp
)
