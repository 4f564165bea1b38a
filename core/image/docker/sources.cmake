# Sources of the Docker overlay2 store (core/image/docker), added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dockerrepositories.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerlayerdb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerimageconfig.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockercontainerconfig.cpp
  ${CMAKE_CURRENT_LIST_DIR}/overlay2dirs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockerhost.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dockermountowner.cpp
)
