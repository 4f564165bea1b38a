#!/usr/bin/env bash
# Seeds tests/fuzz/corpus/<target>/ from real files: the built-in lessons and scenarios, the
# docs' examples, image configs from test archives (FIXTURES, default /work/shared/fixtures),
# the small metadata files of a Docker root (DOCKER_ROOT, default /var/lib/docker; only read),
# and this machine's mountinfo. Then `tests/fuzz/run.sh merge` keeps what adds coverage.
#   tests/fuzz/seed.sh STRATA_CLI
set -euo pipefail
cd "$(dirname "$0")/../.."
strata=${1:?usage: tests/fuzz/seed.sh path/to/strata}
fixtures=${FIXTURES:-/work/shared/fixtures}
docker_root=${DOCKER_ROOT:-/var/lib/docker}
corpus=tests/fuzz/corpus
mkdir -p "$corpus"/{workspace,lesson,docker_json,docker_root,mountinfo,merged_operation,json_writer}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seed() { # seed TARGET NAME < content
  cat >"$corpus/$1/seed-$2"
}
json_blocks() { # the ```json blocks of a markdown file, one file each
  awk -v out="$2" '/^```json/{n++; f=out "-" n; next} /^```/{f=""} f{print > f}' "$1"
}

for s in blog stacked docker-like; do
  "$strata" scenario "$s" "$tmp/scenario-$s" >/dev/null 2>&1 &&
    seed workspace "scenario-$s" <"$tmp/scenario-$s/stratascope.json"
done
json_blocks docs/workspace-format.md "$corpus/workspace/seed-doc"
for l in resources/lessons/*.lesson; do seed lesson "$(basename "$l")" <"$l"; done
json_blocks docs/lesson-format.md "$corpus/lesson/seed-doc"

# Image configs: the JSON members of the archives that have a rootfs.
n=0
while IFS= read -r archive; do
  for member in $(tar -tf "$archive" 2>/dev/null | grep -v '/$' | grep -v 'layer' | head -40); do
    if tar -xOf "$archive" "$member" 2>/dev/null | head -c 65536 >"$tmp/member" && grep -q '"rootfs"' "$tmp/member"; then
      seed docker_json "archive-$((n += 1))" <"$tmp/member"
    fi
  done
done < <(find "$fixtures" -name '*.tar' 2>/dev/null)

# A Docker root, its metadata only, as InputTree sections (tests/fuzz/inputtree.h).
if [ -d "$docker_root/image/overlay2" ]; then
  for f in "$docker_root"/image/overlay2/imagedb/content/sha256/*; do
    seed docker_json "imagedb-$(basename "$f" | head -c 12)" <"$f"
  done
  (
    cd "$docker_root"
    find image/overlay2 containers overlay2 -maxdepth 4 \( -name 'tar-split.json.gz' -o -path '*/diff/*' \
      -o -path '*/work/*' -o -path '*/merged/*' -o -name '*.log' \) -prune -o -print | sort | while IFS= read -r p; do
      if [ -L "$p" ]; then
        printf '@@> %s\n%s\n' "$p" "$(readlink "$p")"
      elif [ -d "$p" ]; then
        printf '@@/ %s\n' "$p"
      elif [ -f "$p" ] && [ "$(stat -c %s "$p")" -le 16384 ]; then
        case $p in
        */hostconfig.json | */resolv.conf* | */hosts | */hostname | */checkpoints*) continue ;;
        esac
        printf '@@ %s\n' "$p"
        cat "$p"
        printf '\n'
      fi
    done
  ) >"$tmp/root"
  seed docker_root whole-root <"$tmp/root"
fi

seed mountinfo self </proc/self/mountinfo
printf '%s\n' \
  '98 30 0:46 / /tmp/ws/merged rw,relatime shared:50 - overlay overlay rw,lowerdir=/tmp/ws/a\:b:/tmp/ws/c,upperdir=/tmp/ws/upper,workdir=/tmp/ws/work,redirect_dir=on,userxattr' \
  '99 30 0:47 / /tmp/my\040mount rw - fuse.fuse-overlayfs fuse-overlayfs rw,user_id=0,group_id=0' |
  seed mountinfo overlay

while IFS= read -r line; do
  n=$((n + 1))
  [ -n "$line" ] && printf '%s' "$line" | seed merged_operation "line-$n"
done <<'LINES'
write /base_image/PART1.txt some new text
append "/base_image/with space.txt" 'quoted "text"'
rm /base_image/PART4.txt
rm-r /base_image
mv /base_image/a /base_image/b
chmod 0644 /base_image/common.txt
chown 1000:1000 /base_image/common.txt
truncate /base_image/x 4096
utimes 1700000000 /base_image/x
setxattr user.test value /base_image
ln-s ../target /base_image/link
LINES
printf 'write\0/a/b\0text' | seed merged_operation words
printf 'plain ascii' | seed json_writer ascii
printf '\x05\x00caf\xc3\xa9\xff\xfe\x06\x02\x00\x05/a\xffb' | seed json_writer mixed
echo "seeded: $(find "$corpus" -type f | wc -l) files"
