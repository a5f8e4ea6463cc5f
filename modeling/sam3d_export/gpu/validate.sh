#!/usr/bin/env bash
# GPU validation of a real SAM 3D Objects export (docs/real-sam3d.md). NOT RUN here (no weights).
#   modeling/sam3d_export/gpu/validate.sh CKPT_DIR PHOTO MASK [OFFICIAL_REPO]
# 1. export (CPU, ~40 GB RAM), 2. optional official dump (official env, GPU), 3. per-stage parity of
# every graph on CUDA against the dump, 4. one engine run with --ep cuda: wall time per stage (--json)
# and peak GPU memory (nvidia-smi polled every 100 ms).
set -euo pipefail
CKPT=$1; PHOTO=$2; MASK=$3; OFFICIAL=${4:-}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=${OUT:-$ROOT/out/sam3d-validate}; PACK=$OUT/pack
mkdir -p "$OUT"
cd "$ROOT/modeling"
/usr/bin/time -v python3 -m sam3d_export export --checkpoint "$CKPT" --out "$PACK" 2>&1 | tee "$OUT/export.log"
cd "$ROOT"
if [ -n "$OFFICIAL" ]; then
  (cd "$OFFICIAL/notebook" && python "$ROOT/modeling/sam3d_export/gpu/official_dump.py" \
     --config "$CKPT/pipeline.yaml" --image "$PHOTO" --mask "$MASK" --out "$OUT/official.safetensors") | tee "$OUT/official.log"
  FSAM3D_EP=cuda node modeling/sam3d_export/tools/check_ort.mjs "$PACK" "$OUT/official.safetensors" | tee "$OUT/parity.jsonl"
fi
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$OUT/gpu_mem.txt" &
SMI=$!
npx fsam3d run --image "$PHOTO" --mask "$MASK" --pack "$PACK" --ep cuda --out "$OUT/mesh.glb" --json "$OUT/run.json"
kill $SMI
echo "peak GPU memory (MiB, whole device): $(sort -n "$OUT/gpu_mem.txt" | tail -1)"
node -e "const r=require('$OUT/run.json'); console.log(JSON.stringify(r.timings ?? r, null, 1))" | head -40
