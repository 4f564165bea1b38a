# Sources of the image archive store (core/image/archive), added to strata_core.
strata_core_sources(archivefiles archivestore archiveextractor imagecommitter)
