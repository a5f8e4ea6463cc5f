#!/usr/bin/env bash
# The nano pack's quality targets (issue #4, MODEL_CARD.md) measured with `fsam3d bench`:
#   modeling/nano/evaluate.sh OUT_DIR [COUNT] [PACK]
# 1. COUNT (default 256) held-out synthetic samples (seeds 10 000 000 + i, never used in training) with
#    ground truth, written once to OUT_DIR/heldout;
# 2. full and fast-sam3d on them: vIoU / F1@0.05 vs ground truth, silhouette IoU, closed, coloured
#    (OUT_DIR/synthetic/results.{json,csv}, mean rows at the end);
# 3. the same on the real sample photos (resources/samples/* with clicks.json): OUT_DIR/real.
# The bench uses the default seed 0 and the default 60° camera (none of these photos carries EXIF).
set -euo pipefail
OUT=$(realpath -m "${1:?usage: evaluate.sh OUT_DIR [COUNT] [PACK]}")
COUNT=${2:-256}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PACK=$(realpath "${3:-$ROOT/resources/models/nano}")
cd "$ROOT"
if [[ ! -f $OUT/heldout/.done-$COUNT ]]; then
  (cd modeling && OMP_NUM_THREADS=1 /usr/bin/python3 -W ignore -m nano.heldout --count "$COUNT" --folders \
    --out "$OUT/heldout")
  touch "$OUT/heldout/.done-$COUNT"
fi
node bin/fsam3d.mjs bench --inputs "$OUT/heldout" --pack "$PACK" --strategies full,fast-sam3d --repeat 1 \
  --out-dir "$OUT/synthetic"
mkdir -p "$OUT/real-inputs"
for d in resources/samples/*/; do
  [[ -f $d/clicks.json ]] && ln -sfn "$ROOT/$d" "$OUT/real-inputs/$(basename "$d")"
done
node bin/fsam3d.mjs bench --inputs "$OUT/real-inputs" --pack "$PACK" --strategies full,fast-sam3d --repeat 1 \
  --out-dir "$OUT/real"
