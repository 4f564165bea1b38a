# Sources of the image analysis (core/analysis): dive's figures, CI rules; added to strata_core.
target_sources(strata_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/pathtable.cpp
  ${CMAKE_CURRENT_LIST_DIR}/efficiencyrun.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layerstream.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imageanalyzer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cirules.cpp
)
