# Tests of the Docker host explorer: they need root and a real dockerd, which
# tests/docker/dockerd.sh installs, starts (without network) and fills with test images.
# Without root they skip, except under CI=true, where they fail.
strata_add_test(tst_docker ${CMAKE_CURRENT_LIST_DIR}/tst_docker.cpp LABELS docker TIMEOUT 900)
add_dependencies(tst_docker strata)
