#!/usr/bin/env bash
# Side by side with htm.core (issue 14): the same temporal-memory and
# spatial-pooler workloads, on the same inputs and parameters, run by our
# code and by htm.core's, interleaved (ours, htm.core, ours, htm.core, ...),
# RUNS times each; prints min / median / max of both sides, the ratio of the
# medians (htm.core / ours) and the segment, synapse and anomaly counts that
# show both did the same work.
#
# It needs a built htm.core 2.2.0 (C++ only, Release): HTMCORE names its
# install, the folder holding lib/libhtm_core.a and include/ (include/htm/...,
# Version.hpp, cereal/). The script builds only our own small C++ program
# (scripts/htmcore-compare/cpp/compare.cpp) against it, with the compile and
# link flags htm.core's CMake build gives its `hello` example, and the Go
# half (scripts/htmcore-compare) from this tree, so it measures whatever the
# code is now. Without HTMCORE, or when it is not such an install, it says
# so and exits 0.
#
# Usage: HTMCORE=DIR [RUNS=3] [CXX=g++] scripts/htmcore-compare.sh
# About 2-3 minutes on 2 idle cores, most of it htm.core's side.
set -euo pipefail

# The checks below use shell builtins only: without htm.core the script
# needs neither a compiler nor Go.
if [ -z "${HTMCORE:-}" ]; then
	echo "htmcore-compare: HTMCORE is not set, so there is nothing to compare with; set HTMCORE to a built htm.core 2.2.0 install (the folder with lib/libhtm_core.a and include/)"
	exit 0
fi
if [ ! -f "$HTMCORE/lib/libhtm_core.a" ] || [ ! -f "$HTMCORE/include/htm/algorithms/TemporalMemory.hpp" ]; then
	echo "htmcore-compare: HTMCORE=$HTMCORE is not an htm.core install (no lib/libhtm_core.a or include/htm/algorithms/TemporalMemory.hpp), so there is nothing to compare with"
	exit 0
fi

RUNS=${RUNS:-3}
CXX=${CXX:-g++}
case $RUNS in '' | *[!0-9]* | 0) echo "htmcore-compare: RUNS=$RUNS: want a positive whole number" >&2; exit 2 ;; esac
for tool in "$CXX" go; do
	command -v "$tool" >/dev/null || { echo "htmcore-compare: $tool not found (needed to build the two halves)" >&2; exit 1; }
done

HTMCORE=$(cd "$HTMCORE" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/htmcore-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "building the C++ half against $HTMCORE ..."
# The flags of htm.core's Release build of `hello` (its flags.make and
# link.txt): -O3 -DNDEBUG, -mtune=generic (no -march=native), gnu++17;
# libstdc++ linked dynamically, as hello's is.
"$CXX" -O3 -DNDEBUG -fvisibility-inlines-hidden -m64 -fPIC -pipe -O3 -mtune=generic -std=gnu++17 \
	-I"$HTMCORE/include" -c scripts/htmcore-compare/cpp/compare.cpp -o "$work/compare.o"
"$CXX" -O3 -DNDEBUG "$work/compare.o" -o "$work/compare" \
	-m64 -Wl,--no-undefined -O3 "$HTMCORE/lib/libhtm_core.a" -lpthread -ldl
echo "building the Go half ..."
go build -o "$work/ours" ./scripts/htmcore-compare

data=$work/data
"$work/ours" export "$data"           # the inputs and parameters of both sides
"$work/compare" record-sp "$data"     # htm.core's SP's output stream (untimed)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${cpu:-unknown CPU}, $(nproc) CPUs; $(go version | cut -d' ' -f3); $("$CXX" --version | head -n 1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

results=$work/results.txt
for w in $("$work/ours" workloads); do
	for _ in $(seq "$RUNS"); do
		"$work/ours" run "$w" "$data" | tee -a "$results"
		"$work/compare" run "$w" "$data" | tee -a "$results"
	done
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$work/ours" summary "$results"
