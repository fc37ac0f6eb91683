#!/usr/bin/env bash
# Screenshots of the three report pages (paper, sequences, NAB) in headless
# Chromium at desktop (1280 px) and phone (400 px) width, into
# docs/screenshots/*.png, so that a change that breaks the layout is seen.
#
#   scripts/screenshots.sh [WORKDIR]
#
# Builds dendritic, writes each page into WORKDIR (default: a temporary
# directory, removed afterwards) and photographs it. The paper page is a
# small simulated run (--samples 1e5); the sequences page runs the switch and
# cell-death tasks; the NAB page scores NuPIC's published numenta results
# from ../shared/data/nab (skipped, with a message, when they are absent).
# Needs chromium (.ci/run installs it). About a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
	echo "screenshots: no chromium on PATH (apt-get install chromium)" >&2
	exit 1
fi

work=${1:-}
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work" docs/screenshots
go build -o "$work/dendritic" ./cmd/dendritic
bin="$work/dendritic"

"$bin" paper --out "$work/paper" --samples 1e5 --seed 1 >/dev/null
"$bin" sequences --out "$work/sequences" --task switch --task cell-death >/dev/null
pages=(paper sequences)
results=../shared/data/nab/results/numenta.tar.gz
if [ -f "$results" ]; then
	"$bin" nab report --results "$results" --out "$work/nab" >/dev/null
	pages+=(nab)
else
	echo "screenshots: $results not found; the NAB page is skipped" >&2
fi

# shot PAGE WIDTH HEIGHT: one PNG of WORKDIR/PAGE/index.html, WIDTH css px
# wide, the first HEIGHT px of the page.
shot() {
	local out="$root/docs/screenshots/$1-$2.png"
	"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size="$2,$3" --screenshot="$out" "file://$work/$1/index.html" >/dev/null 2>&1
	echo "wrote docs/screenshots/$1-$2.png"
}
for p in "${pages[@]}"; do
	shot "$p" 1280 2400
	shot "$p" 400 2400
done
