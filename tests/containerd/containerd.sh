#!/usr/bin/env bash
# Prepares a real containerd for the containerd store tests (label containerd). Idempotent:
# installs containerd when missing, starts it when it is not running, waits until `ctr version`
# answers, and fills the namespace strata-test with images and containers. Needs root.
#
# The daemon keeps its default root (/var/lib/containerd) but listens on its own socket,
# /run/strata-containerd/containerd.sock: dockerd uses a containerd on the default socket when
# it finds one, and its work would then change the databases the tests compare byte for byte.
# Safety: the CRI plugin is disabled (no CNI), `ctr run` gives each container a network
# namespace with nothing in it, and the images come from `docker save` of the images
# tests/docker/dockerd.sh builds FROM scratch (nothing is pulled).
set -euo pipefail

log() { echo "containerd.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "needs root (containerd and /var/lib/containerd)"
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then
  installed containerd && { log "containerd is installed but not on PATH"; exit 1; }
  log "installing containerd"
  # The package must not start a daemon with its default (CRI, CNI) configuration.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y containerd || { [ -z "$guard" ] || rm -f "$guard"; exit 1; }
  [ -z "$guard" ] || rm -f "$guard"
fi

RUNDIR=/run/strata-containerd
ADDRESS=$RUNDIR/containerd.sock
NS=strata-test
ctr() { command ctr --address "$ADDRESS" "$@"; }
answers() { ctr version >/dev/null 2>&1; }

if ! answers; then
  mkdir -p "$RUNDIR"
  cat >"$RUNDIR/config.toml" <<CONF
version = 2
root = "/var/lib/containerd"
state = "$RUNDIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ADDRESS"
CONF
  if ! pgrep -f "containerd --config $RUNDIR/config.toml" >/dev/null; then
    log "starting containerd (root /var/lib/containerd, socket $ADDRESS, no CRI)"
    setsid containerd --config "$RUNDIR/config.toml" >/tmp/strata-containerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 120); do
    answers && break
    sleep 0.5
  done
  if ! answers; then
    log "containerd did not answer; see /tmp/strata-containerd.log"
    tail -20 /tmp/strata-containerd.log >&2 || true
    exit 1
  fi
fi

# --- test images: the Docker test images, saved and imported ---------------------------------
V=v1
images=(base walkthrough walkthrough-whoami walkthrough-root deletions)
have=$(ctr -n "$NS" images ls -q)
missing=()
for i in "${images[@]}"; do
  grep -qx "docker.io/strata-test/$i:$V" <<<"$have" || missing+=("strata-test/$i:$V")
done
if ((${#missing[@]} > 0)); then
  if ! /usr/bin/docker info >/dev/null 2>&1; then
    "$here/../docker/dockerd.sh"
  fi
  log "importing ${missing[*]}"
  /usr/bin/docker save "${missing[@]}" | ctr -n "$NS" images import -
fi

# --- test containers ------------------------------------------------------------------------
exists() { ctr -n "$NS" containers info "$1" >/dev/null 2>&1; }
running() { ctr -n "$NS" tasks ls 2>/dev/null | grep -q "^$1 .*RUNNING"; }
# As the image's user (root in both images): `exec --user` reads /etc/passwd through a second
# mount of the active snapshot, and that mount resets the workdir of the container's own
# overlay (kernel 6.x), after which every copy-up in the container fails with ENOENT.
edit() { # edit CONTAINER SCRIPT
  ctr -n "$NS" tasks exec --exec-id strata-edit "$1" sh -c "$2"
}

# strata-walk: the walkthrough, running, changed with `ctr task exec` (as root) like Docker's
# strata-walk, from walkthrough-root (the same files without USER nobody: see edit()).
if ! exists strata-walk-$V; then
  log "creating container strata-walk-$V"
  ctr -n "$NS" run -d "docker.io/strata-test/walkthrough-root:$V" strata-walk-$V sleep 1000000 >/dev/null
  edit strata-walk-$V '
    echo changed >> /app/takbir.txt &&
    echo added > /app/added.txt &&
    mkdir -p /app/newdir/sub && echo x > /app/newdir/sub/x.txt &&
    rm /bin/wget &&
    rm -rf /home/nobody &&
    echo root-only > /etc/secret &&
    chmod 600 /etc/secret'
fi
if ! running strata-walk-$V; then
  ctr -n "$NS" tasks rm strata-walk-$V >/dev/null 2>&1 || true
  ctr -n "$NS" tasks start -d strata-walk-$V >/dev/null
fi

# strata-del: on the deletions image, run, changed, then killed and its task deleted (the
# active snapshot stays with the container).
if ! exists strata-del-$V; then
  log "creating container strata-del-$V"
  ctr -n "$NS" run -d "docker.io/strata-test/deletions:$V" strata-del-$V sleep 1000000 >/dev/null
  edit strata-del-$V '
    rm -rf /data/redo && mkdir /data/redo && echo again > /data/redo/again.txt &&
    rm "/data/with space.txt" &&
    echo more >> /data/needle.txt &&
    mkdir -p /tmp/t && touch /tmp/t/empty'
  ctr -n "$NS" tasks kill -s SIGKILL strata-del-$V
  for _ in $(seq 1 40); do
    ctr -n "$NS" tasks ls | grep -q "^strata-del-$V .*STOPPED" && break
    sleep 0.25
  done
  ctr -n "$NS" tasks rm strata-del-$V >/dev/null
fi

# strata-created: created and never started (an active snapshot with an empty upper).
if ! exists strata-created-$V; then
  log "creating container strata-created-$V"
  ctr -n "$NS" containers create "docker.io/strata-test/walkthrough-whoami:$V" strata-created-$V >/dev/null
fi

# --- a Docker 29 container in namespace moby -------------------------------------------------
# dockerd with the containerd image store keeps images and snapshots in namespace moby; a
# container's read-write snapshot (key = its ID) sits on a committed "<ID>-init" on the image's
# top layer (moby daemon/containerd/image_snapshot.go). tst_containerd copies this root and adds
# the containers/<ID>/config.v2.json dockerd would write.
D29_ID=d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d
if ! ctr -n moby images ls -q | grep -qx "docker.io/strata-test/walkthrough:$V"; then
  /usr/bin/docker info >/dev/null 2>&1 || "$here/../docker/dockerd.sh"
  log "importing strata-test/walkthrough:$V into namespace moby"
  /usr/bin/docker save "strata-test/walkthrough:$V" | ctr -n moby images import -
fi
if ! ctr -n moby snapshots info "$D29_ID" >/dev/null 2>&1; then
  # The image's top layer: the committed snapshot no other snapshot has as parent.
  top=$(ctr -n moby snapshots ls | awk 'NR>1 && $NF=="Committed" {k[$1]=1; if ($2!="") p[$2]=1}
    END {for (x in k) if (!(x in p)) print x}')
  [ "$(wc -l <<<"$top")" -eq 1 ] || { log "namespace moby: no single top layer ($top)"; exit 1; }
  log "creating the Docker-shaped snapshots $D29_ID-init and $D29_ID in namespace moby"
  ctr -n moby snapshots prepare "$D29_ID-init-key" "$top" >/dev/null
  ctr -n moby snapshots commit "$D29_ID-init" "$D29_ID-init-key"
  ctr -n moby snapshots prepare "$D29_ID" "$D29_ID-init" >/dev/null
fi

log "ready ($(ctr version | awk '/Server:/{s=1} s&&/Version:/{print $2; exit}'), root /var/lib/containerd, socket $ADDRESS, namespace $NS)"
