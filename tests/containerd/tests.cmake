# Tests of the containerd store: they need root and a real containerd, which containerd.sh
# starts; without root they skip, except under CI=true, where they fail. tst_bolt (unit) reads the databases a real containerd wrote
# (data/, copied from the daemon containerd.sh starts) and hand-made and damaged copies.
add_library(strata_bolttestsupport STATIC ${CMAKE_CURRENT_LIST_DIR}/boltbuilder.cpp)
target_link_libraries(strata_bolttestsupport PUBLIC strata_core strata_settings)
strata_add_test(tst_bolt ${CMAKE_CURRENT_LIST_DIR}/tst_bolt.cpp LABELS unit)
target_link_libraries(tst_bolt PRIVATE strata_bolttestsupport)
# tst_containerd (containerd) runs containerd.sh and reads the daemon's own root as it runs.
strata_add_test(tst_containerd ${CMAKE_CURRENT_LIST_DIR}/tst_containerd.cpp LABELS containerd TIMEOUT 900)
add_dependencies(tst_containerd strata)
