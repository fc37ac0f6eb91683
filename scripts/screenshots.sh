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
# cell-death tasks over two seeds (enough to draw the spread); the NAB page
# scores NuPIC's published numenta results from ../shared/data/nab (skipped,
# with a message, when they are absent).
# Needs chromium (.ci/run installs it). About four minutes on 2 cores.
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
"$bin" sequences --out "$work/sequences" --task switch --task cell-death --seeds 2 >/dev/null
pages=(paper sequences)
results=../shared/data/nab/results/numenta.tar.gz
if [ -f "$results" ]; then
	"$bin" nab report --results "$results" --out "$work/nab" >/dev/null
	pages+=(nab)
else
	echo "screenshots: $results not found; the NAB page is skipped" >&2
fi

# shot PAGE WIDTH HEIGHT [SECTION]: one PNG of WORKDIR/PAGE/index.html,
# WIDTH css px wide and HEIGHT tall, from the top or from the element with id
# SECTION. Headless Chromium does not scroll to a fragment of the page it
# photographs, so a section is shown through an iframe of a wrapper page.
shot() {
	local name="$1-$2" url="file://$work/$1/index.html"
	if [ -n "${4:-}" ]; then
		name="$1-$4-$2"
		printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="index.html#%s" style="border:0;width:%spx;height:%spx"></iframe></body></html>\n' \
			"$4" "$2" "$3" >"$work/$1/shot-$4.html"
		url="file://$work/$1/shot-$4.html"
	fi
	"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size="$2,$3" --screenshot="$root/docs/screenshots/$name.png" "$url" >/dev/null 2>&1
	echo "wrote docs/screenshots/$name.png"
}
sections_paper=(F3 F7 agreement-informative corrections)
sections_sequences=(summary cell-death)
sections_nab=(scores categories)
for p in "${pages[@]}"; do
	shot "$p" 1280 1600
	shot "$p" 400 1600
	declare -n secs="sections_$p"
	for s in "${secs[@]}"; do
		shot "$p" 1280 1600 "$s"
		shot "$p" 400 1600 "$s"
	done
done
