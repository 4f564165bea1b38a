# Sources of the Podman store (core/image/podman), added to strata_core: containers-storage's
# JSON records and layer directories, whiteouts in both forms.
strata_core_sources(podmanrecords podmanstatedb podmanstorageconf whiteoutfilesdir whiteoutfilessource podmanstore podmandiff)
