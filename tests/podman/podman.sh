#!/usr/bin/env bash
# Prepares a real Podman store for the Podman store tests (label podman). Idempotent: installs
# podman and uidmap when missing, and fills a store of its own with images and containers.
# Needs root.
#
# The store is not the host's: every command runs with --root /var/lib/strata-podman/storage
# and --runroot /run/strata-podman, so /var/lib/containers/storage is never touched.
# Safety: nothing is pulled (the images are `docker save` archives of the images
# tests/docker/dockerd.sh builds FROM scratch, loaded with `podman load`), and every container
# runs with --network none.
#
# Then the same, rootless: a user strata-rootless with /etc/subuid and /etc/subgid ranges, its
# ~/.config/containers/storage.conf asking for the overlay driver (without one this Podman picks
# vfs for a rootless store), and its own store in ~/.local/share/containers/storage.
#
# Prints nothing on stdout; `podman.sh --command` prints the podman command line the tests use,
# `podman.sh --rootless-command` the one that runs podman as strata-rootless.
set -euo pipefail

log() { echo "podman.sh: $*" >&2; }

ROOT=/var/lib/strata-podman/storage
RUNROOT=/run/strata-podman
PODMAN=(podman --root "$ROOT" --runroot "$RUNROOT" --storage-driver overlay
  --cgroup-manager cgroupfs --events-backend file)
RUSER=strata-rootless
rhome() { getent passwd "$RUSER" | cut -d: -f6; }
ROOTLESS=(runuser -u "$RUSER" -- env "HOME=/home/$RUSER" XDG_RUNTIME_DIR= podman --cgroup-manager cgroupfs
  --events-backend file)
if [ "${1:-}" = --command ]; then
  echo "${PODMAN[*]}"
  exit 0
fi
if [ "${1:-}" = --rootless-command ]; then
  echo "${ROOTLESS[*]}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "needs root (podman's rootful store)"
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
command -v podman >/dev/null || installed podman || missing+=(podman)
installed uidmap || missing+=(uidmap)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
pm() { "${PODMAN[@]}" "$@"; }

# --- test images: the Docker test images, saved and loaded -----------------------------------
V=v1
images=(walkthrough-root walkthrough-whoami deletions)
want=()
for i in "${images[@]}"; do
  pm image exists "localhost/strata-test/$i:$V" || want+=("strata-test/$i:$V")
done
if ((${#want[@]} > 0)); then
  /usr/bin/docker info >/dev/null 2>&1 || "$here/../docker/dockerd.sh"
  log "loading ${want[*]}"
  archive=$(mktemp /tmp/strata-podman-XXXXXX.tar)
  /usr/bin/docker save -o "$archive" "${want[@]}"
  pm load -q -i "$archive" >/dev/null
  rm -f "$archive"
fi

# --- test containers ------------------------------------------------------------------------
RUN=(--network none --ulimit nproc=4096:4096 --ulimit nofile=1024:1024)
exists() { pm container exists "$1"; }
# On a machine that stopped without stopping podman (its run directory kept), podman's "running"
# can name a container whose process, or whose fuse-overlayfs mount, is gone. Such a container is
# removed and made again below. Usage: drop_stale PODMAN-FUNCTION NAME.
drop_stale() {
  local pid dir
  [ "$("$1" inspect -f '{{.State.Running}}' "$2" 2>/dev/null)" = true ] || return 0
  pid=$("$1" inspect -f '{{.State.Pid}}' "$2")
  dir=$("$1" inspect -f '{{.GraphDriver.Data.MergedDir}}' "$2")
  if [ "$pid" -gt 0 ] && kill -0 "$pid" 2>/dev/null && ls "$dir" >/dev/null 2>&1; then
    return 0
  fi
  log "removing $2: podman says it runs, but its process or its mount is gone"
  "$1" rm -f "$2" >/dev/null
}
drop_stale pm strata-walk-$V
running() { [ "$(pm inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# strata-walk: running; a file added, one changed, a lower file and a lower directory deleted
# (0/0 whiteouts), a directory deleted and made again (opaque).
if ! exists strata-walk-$V; then
  log "creating container strata-walk-$V"
  pm run -d --name strata-walk-$V "${RUN[@]}" "localhost/strata-test/walkthrough-root:$V" \
    sleep 1000000 >/dev/null
  pm exec strata-walk-$V sh -c '
    echo changed >> /app/takbir.txt &&
    echo added > /app/added.txt &&
    mkdir -p /app/newdir/sub && echo x > /app/newdir/sub/x.txt &&
    rm /bin/wget &&
    rm -rf /home/nobody &&
    echo root-only > /etc/secret && chmod 600 /etc/secret'
fi
running strata-walk-$V || pm start strata-walk-$V >/dev/null

# strata-del: on the deletions image, changed, then stopped.
if ! exists strata-del-$V; then
  log "creating container strata-del-$V"
  pm run -d --name strata-del-$V "${RUN[@]}" "localhost/strata-test/deletions:$V" sleep 1000000 >/dev/null
  pm exec strata-del-$V sh -c '
    rm -rf /data/redo && mkdir /data/redo && echo again > /data/redo/again.txt &&
    rm "/data/with space.txt" &&
    echo more >> /data/needle.txt &&
    mkdir -p /tmp/t && touch /tmp/t/empty'
  pm stop -t 0 strata-del-$V >/dev/null
fi

# strata-created: created and never started (an empty upper).
if ! exists strata-created-$V; then
  log "creating container strata-created-$V"
  pm create --name strata-created-$V "${RUN[@]}" "localhost/strata-test/walkthrough-whoami:$V" >/dev/null
fi

# --- a store used through fuse-overlayfs (mount_program): .wh. whiteouts in its layers -------
FUSEROOT=/var/lib/strata-podman/fuse
FUSE=(podman --root "$FUSEROOT" --runroot /run/strata-podman-fuse --storage-driver overlay
  --storage-opt overlay.mount_program=/usr/bin/fuse-overlayfs --cgroup-manager cgroupfs --events-backend file)
fm() { "${FUSE[@]}" "$@"; }
if [ -e /dev/fuse ] && command -v fuse-overlayfs >/dev/null; then
  if ! fm image exists "localhost/strata-test/deletions:$V"; then
    /usr/bin/docker info >/dev/null 2>&1 || "$here/../docker/dockerd.sh"
    log "loading strata-test/deletions:$V into $FUSEROOT"
    archive=$(mktemp /tmp/strata-podman-XXXXXX.tar)
    /usr/bin/docker save -o "$archive" "strata-test/deletions:$V"
    fm load -q -i "$archive" >/dev/null
    rm -f "$archive"
  fi
  drop_stale fm strata-del-$V
  if ! fm container exists strata-del-$V; then
    log "creating container strata-del-$V in $FUSEROOT"
    fm run -d --name strata-del-$V "${RUN[@]}" "localhost/strata-test/deletions:$V" sleep 1000000 >/dev/null
    fm exec strata-del-$V sh -c '
      rm -rf /data/redo && mkdir /data/redo && echo again > /data/redo/again.txt &&
      rm "/data/with space.txt" && echo more >> /data/needle.txt'
  fi
  [ "$(fm inspect -f '{{.State.Running}}' strata-del-$V)" = true ] || fm start strata-del-$V >/dev/null
else
  log "no /dev/fuse or fuse-overlayfs: the fuse-overlayfs store is not made"
fi

# --- rootless: the same images and a running and a created container, as strata-rootless ---
if ! id -u "$RUSER" >/dev/null 2>&1; then
  log "creating user $RUSER"
  useradd -m -d "/home/$RUSER" -s /bin/sh "$RUSER"
fi
grep -q "^$RUSER:" /etc/subuid || usermod --add-subuids 300000-365535 "$RUSER"
grep -q "^$RUSER:" /etc/subgid || usermod --add-subgids 300000-365535 "$RUSER"
conf="$(rhome)/.config/containers/storage.conf"
if [ ! -f "$conf" ]; then
  runuser -u "$RUSER" -- mkdir -p "$(dirname "$conf")"
  printf '[storage]\ndriver = "overlay"\n' | runuser -u "$RUSER" -- tee "$conf" >/dev/null
fi
rl() { (cd "$(rhome)" && "${ROOTLESS[@]}" "$@"); }
# A machine that stopped without stopping podman (a restart that kept /tmp and the store, a killed
# session) leaves the rootless store pointing at a pause process and conmons that are gone: podman
# then refuses every command ("invalid internal status") until `podman system migrate`, which
# leaves such a container "stopping", a state it can neither start nor stop from.
if ! rl ps -q >/dev/null 2>&1; then
  log "resetting $RUSER's pause process (podman system migrate)"
  rl system migrate >/dev/null
fi
for c in strata-walk-$V strata-created-$V; do
  state=$(rl inspect -f '{{.State.Status}}' "$c" 2>/dev/null) || continue
  case $state in
    running | created | exited | stopped | configured) ;;
    *)
      log "removing $c as $RUSER: podman cannot start it from \"$state\""
      rl rm -f "$c" >/dev/null
      ;;
  esac
done
drop_stale rl strata-walk-$V
want=()
for i in walkthrough-root walkthrough-whoami; do
  rl image exists "localhost/strata-test/$i:$V" 2>/dev/null || want+=("strata-test/$i:$V")
done
if ((${#want[@]} > 0)); then
  /usr/bin/docker info >/dev/null 2>&1 || "$here/../docker/dockerd.sh"
  log "loading ${want[*]} as $RUSER"
  archive=$(runuser -u "$RUSER" -- mktemp "$(rhome)/strata-images-XXXXXX.tar")
  /usr/bin/docker save "${want[@]}" >"$archive"
  rl load -q -i "$archive" >/dev/null
  rm -f "$archive"
fi
if ! rl container exists strata-walk-$V; then
  log "creating container strata-walk-$V as $RUSER"
  rl run -d --name strata-walk-$V "${RUN[@]}" "localhost/strata-test/walkthrough-root:$V" sleep 1000000 >/dev/null
  rl exec strata-walk-$V sh -c '
    echo changed >> /app/takbir.txt && echo added > /app/added.txt &&
    rm /bin/wget && rm -rf /home/nobody && mkdir -p /app/newdir && echo x > /app/newdir/x.txt'
fi
[ "$(rl inspect -f '{{.State.Running}}' strata-walk-$V)" = true ] || rl start strata-walk-$V >/dev/null
if ! rl container exists strata-created-$V; then
  rl create --name strata-created-$V "${RUN[@]}" "localhost/strata-test/walkthrough-whoami:$V" >/dev/null
fi

log "ready ($(pm version --format '{{.Client.Version}}'), root $ROOT, runroot $RUNROOT; rootless: $RUSER)"
