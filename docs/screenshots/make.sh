#!/usr/bin/env bash
# Makes a screenshot of every step of the blog lesson under Xvfb: 1280x720 and 1920x1080, normal
# and presentation mode, half-way through the step's animation (mid) and once it is over (after).
# Names: blog-NN-{mid,after}-WxH-{normal,presentation}.png. Steps without an edit (1, 10) have no
# animation, so no mid shot. Needs xvfb-run, ImageMagick and a build in ./build; the engine
# backend, so it needs no root. Look at every image after: make.sh does not judge them.
#   docs/screenshots/make.sh [STEP...]     (default: every step)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
app=${STRATASCOPE:-build/app/stratascope}
steps=$(seq 1 11)
[ $# -gt 0 ] && steps="$*"
sizes=${SIZES:-"1280x720 1920x1080"}

shot() { # STEP KIND SIZE MODE
  local step=$1 kind=$2 size=$3 mode=$4 name args=()
  name=$(printf 'blog-%02d-%s-%s-%s.png' "$step" "$kind" "$size" "$mode")
  [ "$kind" = mid ] && args+=(--mid)
  [ "$mode" = presentation ] && args+=(--presentation)
  xvfb-run -a -s "-screen 0 ${size}x24" "$app" --lesson blog --backend engine --to-step "$step" "${args[@]}" \
    --screenshot "$out/$name" --quit 2>/dev/null
  # No metadata; a 256-colour palette keeps the text sharp (the UI has few colours) at a third of the size.
  convert "$out/$name" -strip -dither None -colors 256 "PNG8:$out/$name"
  echo "$name $(stat -c %s "$out/$name")"
}

write_gallery() { # docs/screenshots/README.md: a table of the shots there, the narration's first words
  python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
steps = json.load(open("resources/lessons/blog.lesson"))["steps"]
sizes = ["1280x720", "1920x1080"]
modes = ["normal", "presentation"]
head = ["Step", "Narration"] + [f"{s.replace('x', '×')} {m}" for s in sizes for m in modes]
rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
for n, step in enumerate(steps, 1):
    words = step["say"].split()
    say = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    cells = [str(n), say.replace("|", "\\|")]
    for size in sizes:
        for mode in modes:
            links = []
            for kind in ["mid", "after"]:
                name = f"blog-{n:02d}-{kind}-{size}-{mode}.png"
                if os.path.exists(os.path.join(out, name)):
                    links.append(f"[{kind}]({name})")
            cells.append(" · ".join(links) or "—")
    rows.append("| " + " | ".join(cells) + " |")
text = """# Screenshots of the blog lesson

Every step of the built-in `blog` lesson, made by [make.sh](make.sh) under Xvfb with the engine
backend: at 1280×720 and 1920×1080, in the normal window and in presentation mode (F11), half-way
through the step's animation (*mid*: its middle phase on screen) and once its captions and
animation are over (*after*). Steps 1 and 10 make no edit, so they have no animation and no mid
shot. One shot is made by

    stratascope --lesson blog --backend engine --to-step N [--mid] [--presentation] --screenshot F.png --quit

which plays steps 1 to N-1 without animations and step N at normal speed. The PNGs are stripped
and reduced to a 256-colour palette.

""" + "\n".join(rows) + "\n"
open(os.path.join(out, "README.md"), "w").write(text)
PY
}

for step in $steps; do
  for size in $sizes; do
    for mode in normal presentation; do
      case $step in 1 | 10) ;; *) shot "$step" mid "$size" "$mode" ;; esac
      shot "$step" after "$size" "$mode"
    done
  done
done
write_gallery
du -sh "$out"
