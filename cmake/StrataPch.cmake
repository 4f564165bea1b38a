# Precompiled headers: most of a build's time went to parsing the same Qt headers in every
# source (about a third of a test's compile). One header per kind of target, compiled once and
# reused by every target of that kind (REUSE_FROM needs the same definitions and options, so the
# kinds follow what the targets link). -DSTRATA_PCH=OFF builds without them.
option(STRATA_PCH "Build with precompiled headers" ON)
set(strata_pch_dir ${CMAKE_CURRENT_LIST_DIR}/pch)

# strata_pch(TARGET HEADER): TARGET compiles cmake/pch/HEADER itself.
function(strata_pch target header)
  if(STRATA_PCH)
    target_precompile_headers(${target} PRIVATE ${strata_pch_dir}/${header})
  endif()
endfunction()

# strata_pch_reuse(TARGET FROM): TARGET uses the header FROM compiled.
function(strata_pch_reuse target from)
  if(STRATA_PCH)
    target_precompile_headers(${target} REUSE_FROM ${from})
  endif()
endfunction()
