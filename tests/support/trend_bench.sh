#!/usr/bin/env bash
# Benchmark for `tranche trend` (issue 19: 40 commits of the example portfolio within 2 s).
# Builds a git repository of portfolios/children-and-families.tranche with 40 versions, the
# status date moving a month each time and the case system slipping, then times
# `tranche trend` over all of them (each version parsed and scheduled once).
#
# Usage: tests/support/trend_bench.sh [TRANCHE_BIN]   (default target/release/tranche)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/target/release/tranche}
REPO=$(mktemp -d)
trap 'rm -rf "$REPO"' EXIT
mkdir -p "$REPO/workstreams"
cp "$ROOT/portfolios/workstreams/collaborative-commissioning.tranche" "$REPO/workstreams/"
git -C "$REPO" init -q -b main
for i in $(seq 0 39); do
  status=$(date -d "2021-01-15 + $i month" +%F)
  months=$((16 + i / 4))
  sed -e "s/status-date 2021-01-15/status-date $status/" \
      -e "s/duration 16 months range 12 months to 22 months/duration $months months range 12 months to 40 months/" \
      "$ROOT/portfolios/children-and-families.tranche" >"$REPO/plan.tranche"
  git -C "$REPO" add -A
  git -C "$REPO" -c user.name=bench -c user.email=bench@example.org commit -qm "return $status"
done
cd "$REPO"
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %M KB max RSS" "$BIN" trend plan.tranche --format json >/dev/null
done
"$BIN" trend plan.tranche | head -1
