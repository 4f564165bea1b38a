# Tests of the Podman store. tst_podmanstore (unit) reads synthetic containers-storage stores
# (tests/support/podmanfixture), whiteouts in both forms. tst_podman (podman) runs podman.sh
# and compares with the real podman; without root it skips, except under CI=true, where it fails.
strata_add_test(tst_podmanstore ${CMAKE_CURRENT_LIST_DIR}/tst_podmanstore.cpp LABELS unit)
strata_add_test(tst_podman ${CMAKE_CURRENT_LIST_DIR}/tst_podman.cpp LABELS podman TIMEOUT 900)
add_dependencies(tst_podman strata)
