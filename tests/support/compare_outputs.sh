#!/usr/bin/env bash
# Byte-identity check for output refactors (issue 16): runs two tranche binaries over the
# example portfolios, a generated plan and a hostile one, for every command and format that
# writes output, and compares everything each wrote (stdout, stderr, exit code).
#
# Usage: tests/support/compare_outputs.sh BASE_BIN NEW_BIN [BIG_PLAN]
#   BIG_PLAN: a large generated plan (`target/debug/examples/generate --projects 10000
#   --out /tmp/p10k` writes /tmp/p10k.tranche); skipped when not given.
# Env: OUT (work directory, default /tmp/tranche-compare). Exit 1 when any output differs;
# the differing files are listed.
set -uo pipefail

BASE=$1 NEW=$2 BIG=${3:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/tranche-compare}
rm -rf "$OUT" && mkdir -p "$OUT/plans" "$OUT/base" "$OUT/new"

# Plans: copies of the examples (their includes are relative), a changed copy of each for
# `diff`, a plan whose titles and owners are hostile to CSV, Markdown and HTML, and the big one.
cp -r "$ROOT/portfolios/." "$OUT/plans/"
sed -e 's/duration 4 months range/duration 5 months range/' -e 's/saving £20k per year/saving £25k per year/' \
    "$OUT/plans/tutorial.tranche" >"$OUT/plans/tutorial-changed.tranche"
sed -e '0,/duration [0-9]* [a-z]*/s//duration 30 weeks/' "$OUT/plans/children-and-families.tranche" \
    >"$OUT/plans/children-and-families-changed.tranche"
cat >"$OUT/plans/hostile.tranche" <<'PLAN'
portfolio "=HYPERLINK(\"http://x\",\"y\") | <b>&amp;</b>" {
  start 2025-04-01
  end 2028-03-31
}
theme t1 "+1 | *theme*"
programme prog "@SUM(A1) <script>" {
  project a "=HYPERLINK(\"http://x\",\"click\")" {
    owner "+1"
    theme t1
    duration 10 days
    cost capital £10k
    saving £5k per year from finish for 2 years
    milestone a-live "-2+3" at finish
  }
  project b "@SUM(1,2) | pipe, \"quoted\"" {
    owner "-2+3"
    duration 5 days
    after a
    cost revenue £1k per year from finish for 1 year
  }
  project c "	tab-led, <i>title</i>" {
    owner "	tab owner"
    duration 3 days range 2 days to 8 days
    after b
    saving £2k per year from finish for 2 years
  }
}
PLAN
plans=("$OUT/plans/tutorial.tranche" "$OUT/plans/children-and-families.tranche" "$OUT/plans/hostile.tranche")
diffs=("$OUT/plans/tutorial.tranche $OUT/plans/tutorial-changed.tranche"
       "$OUT/plans/children-and-families.tranche $OUT/plans/children-and-families-changed.tranche"
       "$OUT/plans/tutorial.tranche $OUT/plans/children-and-families.tranche")
if [[ -n $BIG ]]; then
    cp "$BIG" "$OUT/plans/big.tranche"
    sed -e '0,/duration 9 days/s//duration 19 days/' -e '0,/£111k/s//£211k/' "$BIG" >"$OUT/plans/big-changed.tranche"
    plans+=("$OUT/plans/big.tranche")
    diffs+=("$OUT/plans/big.tranche $OUT/plans/big-changed.tranche")
fi

# run BIN SIDE NAME ARGS...: one command's stdout, stderr and exit code under SIDE/NAME.
run() {
    local bin=$1 side=$2 name=$3
    shift 3
    "$bin" --color never "$@" >"$OUT/$side/$name.out" 2>"$OUT/$side/$name.err"
    echo $? >"$OUT/$side/$name.rc"
}

both() {
    local name=$1
    shift
    run "$BASE" base "$name" "$@"
    run "$NEW" new "$name" "$@"
}

for plan in "${plans[@]}"; do
    p=$(basename "$plan" .tranche)
    # Fewer iterations on the big plan: debug builds are slow and any count tests the rendering.
    iters=2000
    [[ $p == big ]] && iters=20
    for f in table json csv; do
        both "$p.schedule.$f" schedule --format $f "$plan"
        both "$p.schedule.$f.critical" schedule --format $f --critical "$plan"
        both "$p.finance.$f" finance --format $f "$plan"
        both "$p.finance.$f.monthly" finance --format $f --monthly "$plan"
        for by in project programme theme; do
            both "$p.finance.$f.by-$by" finance --format $f --by $by "$plan"
            both "$p.finance.$f.by-$by.monthly" finance --format $f --by $by --monthly "$plan"
        done
    done
    for f in md html json; do
        both "$p.report.$f" report --format $f "$plan"
        both "$p.report.$f.risk" report --format $f --risk --seed 7 --iterations $iters "$plan"
        both "$p.report.$f.risk-triangular" report --format $f --risk --seed 3 --iterations $iters --distribution triangular "$plan"
    done
    for f in table json md; do
        both "$p.risk.$f" risk --format $f --seed 7 --iterations $iters "$plan"
    done
    for f in mermaid dot csv ical mspdi; do
        both "$p.export.$f" export --format $f "$plan"
    done
    for f in human json github; do
        both "$p.check.$f" check --format $f "$plan"
    done
    # explain: every item of the small plans, a few of the big one.
    ids=$("$BASE" schedule --format csv "$plan" | tail -n +2 | cut -d, -f1 | tr -d '\r')
    [[ $p == big ]] && ids=$(echo "$ids" | sed -n '1p;500p;5000p;9999p')
    for id in $ids; do
        both "$p.explain.$id" explain "$plan" "$id"
    done
done
i=0
for pair in "${diffs[@]}"; do
    for f in table md json; do
        # shellcheck disable=SC2086
        both "diff$i.$f" diff --format $f $pair
    done
    i=$((i + 1))
done

n=$(ls "$OUT/base" | wc -l)
if different=$(diff -rq "$OUT/base" "$OUT/new"); then
    echo "compare_outputs: all $n outputs identical"
else
    echo "$different"
    echo "compare_outputs: $(echo "$different" | wc -l) of $n outputs differ"
    exit 1
fi
