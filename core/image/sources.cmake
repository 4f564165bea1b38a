# Sources of the store abstraction (core/image) and its stores, added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/chainid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/createdby.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metadatafile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/storefiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imageconfig.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imagestore.cpp
  ${CMAKE_CURRENT_LIST_DIR}/containerdiff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layersearch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pathexplainer.cpp
)
include(${CMAKE_CURRENT_LIST_DIR}/docker/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/archive/sources.cmake)
