#!/usr/bin/env bash
# Prepares a real Docker Engine for the Docker explorer tests. Idempotent: installs docker.io and
# busybox-static when missing, starts dockerd when it is not running, waits until it answers,
# and builds the test images when they are missing. Needs root.
#
# Safety: dockerd runs without any network (--bridge=none, no iptables); images are built
# FROM scratch with a busybox-static root filesystem (nothing is pulled), with
# DOCKER_BUILDKIT=0 docker build --network none.
set -euo pipefail

log() { echo "dockerd.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "needs root (dockerd and /var/lib/docker)"
  exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
command -v dockerd >/dev/null && [ -x /usr/bin/docker ] || installed docker.io || missing+=(docker.io)
# The images are FROM scratch: their busybox must be the static one.
installed busybox-static || missing+=(busybox-static)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  # The package must not start a daemon with its default (networked) configuration.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" || { [ -z "$guard" ] || rm -f "$guard"; exit 1; }
  [ -z "$guard" ] || rm -f "$guard"
fi

# The Debian client matches the Debian daemon (the tests use /usr/bin/docker too).
DOCKER=/usr/bin/docker
DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
if ! "$DOCKER" info >/dev/null 2>&1; then
  if ! pgrep -x dockerd >/dev/null; then
    log "starting dockerd (no network)"
    setsid "$DOCKERD" --bridge=none --iptables=false --ip6tables=false >/tmp/dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 120); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! "$DOCKER" info >/dev/null 2>&1; then
    log "dockerd did not answer; see /tmp/dockerd.log"
    tail -20 /tmp/dockerd.log >&2 || true
    exit 1
  fi
fi

driver=$("$DOCKER" info --format '{{.Driver}}')
if [ "$driver" != overlay2 ]; then
  log "dockerd uses the storage driver '$driver'; the explorer tests need overlay2"
  exit 1
fi

# --- test images -----------------------------------------------------------------------------
# Versioned tag: change it when the Dockerfiles below change, so old images are not reused.
V=v1
ctx=$(mktemp -d /tmp/strata-docker-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT

# A busybox root filesystem: /bin/busybox and its applet links (relative symlinks).
make_rootfs() {
  local root=$1/rootfs
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/home/nobody"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home/nobody:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  chown 65534:65534 "$root/home/nobody"
}

build() { # build TAG DIR
  if "$DOCKER" image inspect "$1" >/dev/null 2>&1; then
    return 0
  fi
  log "building $1"
  DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q -t "$1" "$2" >/dev/null
}

# The base: busybox only.
mkdir -p "$ctx/base"
make_rootfs "$ctx/base"
cat >"$ctx/base/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
CMD ["/bin/sh"]
EOF
build "strata-test/base:$V" "$ctx/base"

# The walkthrough: WORKDIR, COPY takbir.txt, RUN cat, USER nobody.
mkdir -p "$ctx/walk"
printf 'Allahu Akbar\n' >"$ctx/walk/takbir.txt"
printf 'nobody\n' >"$ctx/walk/whoami.txt"
cat >"$ctx/walk/Dockerfile" <<EOF
FROM strata-test/base:$V
WORKDIR /app
COPY takbir.txt .
RUN cat takbir.txt
USER nobody
EOF
build "strata-test/walkthrough:$V" "$ctx/walk"

# The same with an added COPY whoami.txt (shares the first layers).
cat >"$ctx/walk/Dockerfile.whoami" <<EOF
FROM strata-test/base:$V
WORKDIR /app
COPY takbir.txt .
RUN cat takbir.txt
COPY whoami.txt .
USER nobody
EOF
if ! "$DOCKER" image inspect "strata-test/walkthrough-whoami:$V" >/dev/null 2>&1; then
  log "building strata-test/walkthrough-whoami:$V"
  DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q -f "$ctx/walk/Dockerfile.whoami" \
    -t "strata-test/walkthrough-whoami:$V" "$ctx/walk" >/dev/null
fi

# Without USER (runs as root). Also tagged a second time: one image, two tags.
cat >"$ctx/walk/Dockerfile.root" <<EOF
FROM strata-test/base:$V
WORKDIR /app
COPY takbir.txt .
RUN cat takbir.txt
LABEL strata.test=root
EOF
if ! "$DOCKER" image inspect "strata-test/walkthrough-root:$V" >/dev/null 2>&1; then
  log "building strata-test/walkthrough-root:$V"
  DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q -f "$ctx/walk/Dockerfile.root" \
    -t "strata-test/walkthrough-root:$V" -t "strata-test/walkthrough-root:second" "$ctx/walk" >/dev/null
fi

# Deletions (whiteouts), a directory deleted and re-created (opaque), a file replaced by a
# directory, and files with spaces in their names.
mkdir -p "$ctx/del"
cat >"$ctx/del/Dockerfile" <<EOF
FROM strata-test/base:$V
RUN mkdir -p /data/keep /data/gone /data/redo/sub /data/file2dir && \
    echo one > /data/keep/a.txt && echo two > /data/gone/b.txt && \
    echo three > /data/redo/old.txt && echo four > /data/redo/sub/deep.txt && \
    echo five > '/data/with space.txt' && rm -rf /data/file2dir && echo six > /data/file2dir
RUN rm -rf /data/gone /data/redo && rm /data/keep/a.txt && \
    mkdir -p /data/redo && echo new > /data/redo/new.txt && \
    rm /data/file2dir && mkdir /data/file2dir && echo in > /data/file2dir/inside.txt
ENV STRATA=deletions
RUN echo 'needle in a layer' > /data/needle.txt && rm /bin/vi
EOF
build "strata-test/deletions:$V" "$ctx/del"

# Waste as dive counts it (tst_docker's analysis): a file written then deleted, a file modified
# in three layers.
mkdir -p "$ctx/waste"
cat >"$ctx/waste/Dockerfile" <<EOF
FROM strata-test/base:$V
RUN head -c 1000 /dev/zero > /big.bin
RUN rm /big.bin
RUN printf aaaa > /m.txt
RUN printf bbbbbbbb > /m.txt
RUN printf cccccccccccc > /m.txt
EOF
build "strata-test/waste:$V" "$ctx/waste"

# Two images whose one file differs in its bytes only, same size and mode (strata compare must
# read them to tell).
mkdir -p "$ctx/bytes"
cat >"$ctx/bytes/Dockerfile" <<EOF
FROM strata-test/base:$V
ARG TEXT
RUN echo "\$TEXT" > /same-size.txt
EOF
for t in aaaa bbbb; do
  if ! "$DOCKER" image inspect "strata-test/bytes-$t:$V" >/dev/null 2>&1; then
    log "building strata-test/bytes-$t:$V"
    DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q --build-arg TEXT=$t -t "strata-test/bytes-$t:$V" \
      "$ctx/bytes" >/dev/null
  fi
done

# --- test containers ---------------------------------------------------------------------------
# strata-walk: the walkthrough, running; changes made with docker exec (as root, from outside).
# strata-del: on the deletions image, stopped after its changes.
container_exists() { "$DOCKER" container inspect "$1" >/dev/null 2>&1; }

if ! container_exists strata-walk-$V; then
  log "creating container strata-walk-$V"
  "$DOCKER" run -d --network none --name strata-walk-$V "strata-test/walkthrough:$V" sleep 1000000 >/dev/null
  "$DOCKER" exec -u root strata-walk-$V sh -c '
    echo changed >> /app/takbir.txt &&
    echo added > /app/added.txt &&
    mkdir -p /app/newdir/sub && echo x > /app/newdir/sub/x.txt &&
    rm /bin/wget &&
    rm -rf /home/nobody &&
    echo root-only > /etc/secret &&
    chmod 600 /etc/secret'
fi
if [ "$("$DOCKER" container inspect -f '{{.State.Running}}' strata-walk-$V)" != true ]; then
  "$DOCKER" start strata-walk-$V >/dev/null
fi

if ! container_exists strata-del-$V; then
  log "creating container strata-del-$V"
  "$DOCKER" run -d --network none --name strata-del-$V "strata-test/deletions:$V" sleep 1000000 >/dev/null
  "$DOCKER" exec strata-del-$V sh -c '
    rm -rf /data/redo && mkdir /data/redo && echo again > /data/redo/again.txt &&
    rm "/data/with space.txt" &&
    echo more >> /data/needle.txt &&
    mkdir -p /tmp/t && touch /tmp/t/empty'
  "$DOCKER" stop -t 1 strata-del-$V >/dev/null
fi

# A container that was created and never started: a mount with an empty upper.
if ! container_exists strata-created-$V; then
  log "creating container strata-created-$V"
  "$DOCKER" create --network none --name strata-created-$V "strata-test/walkthrough-whoami:$V" >/dev/null
fi

log "ready ($("$DOCKER" version --format '{{.Server.Version}}'), root $("$DOCKER" info --format '{{.DockerRootDir}}'))"
