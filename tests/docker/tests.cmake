# Tests of the Docker host explorer (need a real dockerd; see tests/docker/README.md).
