#!/usr/bin/env bash
# Reproduces the nano pack from scratch on a 2-core machine in <= 3 h (DESIGN.md section 5):
#   modeling/nano/train_all.sh RUN_DIR [PACK_OUT]
# Two chains run side by side (one core each). Every step is resumable: re-running the same command skips
# finished shards/stages and resumes unfinished ones from their checkpoints. Logs: RUN_DIR/*.log and
# RUN_DIR/<stage>/log.jsonl. Each stage runs a fixed number of steps (cosine LR over them: same seed, same
# steps -> same weights, up to floating-point threading differences) with a wall-clock cap as a safety net
# (a capped stage stops early and says so in done.json). Override with SS_VAE_STEPS=... SS_VAE_MIN=... etc.
set -euo pipefail
RUN=$(realpath -m "${1:?usage: train_all.sh RUN_DIR [PACK_OUT]}")
PACK_OUT=$(realpath -m "${2:-$RUN/pack}")
cd "$(dirname "$0")/.."            # modeling/
PY="nice -n 10 /usr/bin/python3"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
N_TRAIN=${N_TRAIN:-8000}; N_HELD=${N_HELD:-256}; SHARD=${SHARD:-250}
# The shipped weights: these step counts. Measured on a 2-core machine: data 16 min, ss_vae 20.5 min and
# the slat chain 69 min (one train_all run), ss_flow 9000 steps 103 min on one core with the other busy
# (run separately, on the same ss_vae), ss_refine (stage-1 samples of 4096 training images on both cores,
# 10.5 min, then 1500 steps on 2 threads, 13.3 min) 24 min: about 2 h 45 min end to end. The minute caps bind
# only on a slower machine.
SS_VAE_STEPS=${SS_VAE_STEPS:-800}; SS_FLOW_STEPS=${SS_FLOW_STEPS:-9000}; SLAT_AE_STEPS=${SLAT_AE_STEPS:-2500}; SLAT_FLOW_STEPS=${SLAT_FLOW_STEPS:-1300}
SS_REFINE_STEPS=${SS_REFINE_STEPS:-1500}
SS_VAE_MIN=${SS_VAE_MIN:-30}; SS_FLOW_MIN=${SS_FLOW_MIN:-125}; SLAT_AE_MIN=${SLAT_AE_MIN:-30}; SLAT_FLOW_MIN=${SLAT_FLOW_MIN:-100}
SS_REFINE_MIN=${SS_REFINE_MIN:-25}
mkdir -p "$RUN/shards" "$RUN/heldout"

shards() {  # $1 = first shard index, $2 = step between shard indices
  local i=$1
  while (( i * SHARD < N_TRAIN )); do
    local f; f=$(printf "%s/shards/train-%06d.npz" "$RUN" "$i")
    [[ -f $f ]] || $PY -m nano.data.make_shard --start $((i * SHARD)) --count $SHARD --out "$f"
    i=$((i + $2))
  done
}
stage() {  # $1 = stage, $2 = steps, $3 = minutes cap, then extra arguments; a stage with done.json is skipped
  [[ -f $RUN/$1/done.json ]] || $PY -m nano.train --stage "$1" --run "$RUN" --shards "$RUN/shards/train-*.npz" \
      --steps "$2" --minutes "$3" --ckpt-every 100 "${@:4}"
}

( shards 0 2 ) > "$RUN/data0.log" 2>&1 &
( shards 1 2
  [[ -f $RUN/heldout/heldout-000.npz ]] || $PY -m nano.data.make_shard --start 10000000 --count "$N_HELD" \
      --out "$RUN/heldout/heldout-000.npz" --sheet "$RUN/heldout/sheet.png" ) > "$RUN/data1.log" 2>&1 &
wait
( stage ss_vae "$SS_VAE_STEPS" "$SS_VAE_MIN"; stage ss_flow "$SS_FLOW_STEPS" "$SS_FLOW_MIN" ) > "$RUN/chain_ss.log" 2>&1 &
( stage slat_ae "$SLAT_AE_STEPS" "$SLAT_AE_MIN"; stage slat_flow "$SLAT_FLOW_STEPS" "$SLAT_FLOW_MIN" ) > "$RUN/chain_slat.log" 2>&1 &
wait
# The stage-1 decoder refined on stage 1's own samples: both cores sample, then one process trains.
for p in 0 1; do stage ss_refine 0 0 --sample-part $p/2 > "$RUN/ss_refine_sample$p.log" 2>&1 & done
wait
OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 stage ss_refine "$SS_REFINE_STEPS" "$SS_REFINE_MIN" --threads 2 > "$RUN/ss_refine.log" 2>&1
$PY -m nano.export --run "$RUN" --out "$PACK_OUT" --label "${PACK_LABEL:-trained}"
echo "pack written to $PACK_OUT"
