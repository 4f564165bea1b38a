# Sources of the store abstraction (core/image) and its stores, added to strata_core.
strata_core_sources(chainid createdby metadatafile storefiles imageconfig imagestore containerdiff
  layersearch pathexplainer imagereference)
include(${CMAKE_CURRENT_LIST_DIR}/docker/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/archive/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/containerd/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/podman/sources.cmake)
