#!/usr/bin/env bash
# The nano pack's quality targets (issue #4, MODEL_CARD.md) measured with `fsam3d bench`:
#   modeling/nano/evaluate.sh OUT_DIR [COUNT] [PACK]
# 1. COUNT (default 256) held-out synthetic samples (seeds 10 000 000 + i, never used in training) with
#    ground truth, written once to OUT_DIR/heldout;
# 2. full and fast-sam3d on them, as JOBS (default 2, one per core) bench processes with one ORT thread
#    each over interleaved halves (OUT_DIR/synthetic-N/results.{json,csv}): vIoU / F1@0.05 vs ground truth,
#    silhouette IoU, closed, coloured, time;
# 3. the same on the real sample photos (resources/samples/* with clicks.json): OUT_DIR/real;
# 4. the model card's tables (scripts/eval-summary.ts) in OUT_DIR/summary.md.
# The bench uses the default seed 0 and the default 60° camera (none of these photos carries EXIF).
set -euo pipefail
OUT=$(realpath -m "${1:?usage: evaluate.sh OUT_DIR [COUNT] [PACK]}")
COUNT=${2:-256}
JOBS=${JOBS:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PACK=$(realpath "${3:-$ROOT/resources/models/nano}")
cd "$ROOT"
if [[ ! -f $OUT/heldout/.done-$COUNT ]]; then
  (cd modeling && OMP_NUM_THREADS=1 /usr/bin/python3 -W ignore -m nano.heldout --count "$COUNT" --folders \
    --out "$OUT/heldout")
  touch "$OUT/heldout/.done-$COUNT"
fi
bench() {  # $1 = inputs, $2 = output folder
  node bin/fsam3d.mjs bench --inputs "$1" --pack "$PACK" --strategies full,fast-sam3d --repeat 1 --threads 1 \
    --out-dir "$2" > "$2.log" 2>&1
}
parts=()
for ((j = 0; j < JOBS; j++)); do
  rm -rf "$OUT/parts/$j"; mkdir -p "$OUT/parts/$j"
  i=0
  for d in "$OUT"/heldout/synthetic-*/; do
    (( i++ % JOBS == j )) && ln -s "$d" "$OUT/parts/$j/$(basename "$d")"
  done
  bench "$OUT/parts/$j" "$OUT/synthetic-$j" &
  parts+=("$OUT/synthetic-$j")
done
wait
mkdir -p "$OUT/real-inputs"
for d in resources/samples/*/; do
  [[ -f $d/clicks.json ]] && ln -sfn "$ROOT/$d" "$OUT/real-inputs/$(basename "$d")"
done
bench "$OUT/real-inputs" "$OUT/real"
{ echo "## held-out synthetic ($COUNT)"; node --import tsx scripts/eval-summary.ts "${parts[@]}"
  echo; echo "## real photos"; node --import tsx scripts/eval-summary.ts "$OUT/real" --per-input; } | tee "$OUT/summary.md"
