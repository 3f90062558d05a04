#!/usr/bin/env bash
# The scale benchmark of issue 9, whole commands as a user runs them: generated portfolios of
# N projects (benches/support/generate.rs), `tranche check` and `tranche schedule --format json`
# beside the floor (read the file, bare topological pass: `generate --floor`) and, at the
# smaller sizes, TaskJuggler 3 (`tj3 --no-reports`, scheduling only) on the same plans.
#
# Usage: benches/compare.sh [SIZES] [TJ_SIZES] [REPS]
#   default: benches/compare.sh "1000 10000 100000 1000000" "1000 2000 10000" 3
# Env: OUT (work directory, default /tmp/tranche-bench). Needs /usr/bin/time; tj3 is optional
# (`apt-get install -y tj3`). Prints a Markdown table: median wall seconds and median CPU
# seconds (user + system) over REPS runs, and the largest peak resident memory.
set -euo pipefail

SIZES=${1:-"1000 10000 100000 1000000"}
TJ_SIZES=${2-"1000 2000 10000"}  # "" for none
REPS=${3:-3}
OUT=${OUT:-/tmp/tranche-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin tranche --example generate
TRANCHE="$ROOT/target/release/tranche"
GENERATE="$ROOT/target/release/examples/generate"
mkdir -p "$OUT"

# run LABEL N REPS CMD...: REPS timed runs; prints a table row.
run() {
    local label=$1 n=$2 reps=$3
    shift 3
    local walls=() cpus=() rss=0
    for _ in $(seq "$reps"); do
        /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt" || {
            echo "| $label | $n | failed: $(tail -1 "$OUT/stderr.txt") | | | |"
            return
        }
        read -r wall user sys kb <"$OUT/time.txt"
        walls+=("$wall")
        cpus+=("$(echo "$user + $sys" | bc)")
        ((kb > rss)) && rss=$kb
    done
    local wall cpu
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
    local per=$(echo "scale=2; $cpu * 1000000 / $n" | bc)
    echo "| $label | $n | $wall | $cpu | $((rss / 1024)) | $per |"
}

echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | projects | wall s (median) | CPU s (median) | peak MB | CPU µs per project |"
echo "|---|---|---|---|---|---|"
# Plans are generated afresh (seconds, even at 1M) so they always match the generator.
gen() { "$GENERATE" --projects "$1" --out "$OUT/p$1"; }
for n in $SIZES $TJ_SIZES; do gen "$n"; done
for n in $SIZES; do
    run "floor: read + topological pass" "$n" "$REPS" "$GENERATE" --floor "$OUT/p$n.tranche"
    run "tranche check" "$n" "$REPS" "$TRANCHE" check "$OUT/p$n.tranche"
    run "tranche schedule --format json" "$n" "$REPS" "$TRANCHE" schedule --format json "$OUT/p$n.tranche"
done
for n in $SIZES; do
    "$GENERATE" --projects "$n" --shape chain --out "$OUT/c$n"
    run "chain: tranche schedule --format json" "$n" "$REPS" "$TRANCHE" schedule --format json "$OUT/c$n.tranche"
done
if command -v tj3 >/dev/null; then
    for n in $TJ_SIZES; do
        run "tj3 --no-reports" "$n" "$REPS" tj3 --no-reports --silent "$OUT/p$n.tjp"
        run "tranche schedule --format json" "$n" "$REPS" "$TRANCHE" schedule --format json "$OUT/p$n.tranche"
    done
else
    echo "tj3 not installed: apt-get install -y tj3"
fi
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
