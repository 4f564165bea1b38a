# Sources of the image analysis (core/analysis): dive's figures, CI rules; added to strata_core.
strata_core_sources(pathtable efficiencyrun layerstream imageanalyzer cirules finaltree contenthasher
  imagecomparer analysisjson)
