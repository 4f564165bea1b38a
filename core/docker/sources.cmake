# Sources of the Docker host explorer (core/docker), added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../cli/dockercli.cpp
)
