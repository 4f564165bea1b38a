# Sources of the Docker host explorer (core/image/docker), added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/chainid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/createdby.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metadatafile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerhost.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerdiff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockersearch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerexplain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockermountowner.cpp
)
