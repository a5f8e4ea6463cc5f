"""Stage 1 alone, sampled as the engine samples it (25 Euler steps, time rescale 3, CFG 7 on t*1000 <= 500),
against the ground-truth occupancy of a shard's samples. The flow loss hardly tells two stage-1 models apart
(DESIGN.md, "Crop lift"); these figures do, in minutes instead of a full evaluation:

    python3 -m nano.data.make_shard --start 20000000 --count 64 --out VAL.npz   # seeds never trained on
    python3 -m nano.stage1_eval --run RUN_DIR --shard VAL.npz [--ckpt] [--count 64] [--unrefined]

band IoU: the 32^3 occupancy against the true surface band; outline IoU: both seen along depth (grid y,
away from the camera), i.e. the object's outline as stage 1 draws it; voxels: the sampled voxel count over the
true one (mean per sample; stage 2 cannot carve extra voxels, DESIGN.md); empty: samples with no voxel. Where the run
has a finished ss_refine, its decoder and threshold are used (--unrefined: the ss_vae decoder at logit 0).
"""
import argparse
import os

import numpy as np
import torch

from . import nets
from .dataset import Shards
from .stage1_sample import sample_shape_latents
from .train import load_prev


@torch.no_grad()
def sample_occupancy(m, im, seed, threshold=0.0):
    return m["ss_decoder"](sample_shape_latents(m, im, seed)) > threshold


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--shard", required=True)
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--ckpt", action="store_true", help="the stage's latest checkpoint instead of final.pt")
    ap.add_argument("--unrefined", action="store_true", help="the ss_vae decoder even where ss_refine finished")
    args = ap.parse_args()
    torch.set_num_threads(1)
    m = nets.build_all()
    load_prev(args.run, "ss_vae", m)
    blob = torch.load(os.path.join(args.run, "ss_flow", "ckpt.pt" if args.ckpt else "final.pt"))
    for k, sd in blob["models"].items():
        m[k].load_state_dict(sd)
    refined = os.path.exists(os.path.join(args.run, "ss_refine", "final.pt")) and not args.unrefined
    threshold = load_prev(args.run, "ss_refine", m)["stats"]["occupancy_threshold"] if refined else 0.0
    for net in m.values():
        net.eval()
    data = Shards(args.shard, ["image_crop", "image_full", "mask_crop", "mask_full", "occupancy"])
    n = min(args.count, len(data))
    band, outline, ratio, empty = [], [], [], 0
    for s in range(0, n, 16):
        idx = np.arange(s, min(n, s + 16))
        pred = sample_occupancy(m, data.images(idx), 1000 + s, threshold)
        true = data.occupancy(idx) > 0.5
        for p, q in zip(pred, true):
            band.append(((p & q).sum() / (p | q).sum().clamp(min=1)).item())
            po, qo = p.any(1), q.any(1)
            outline.append(((po & qo).sum() / (po | qo).sum().clamp(min=1)).item())
            ratio.append((p.sum() / q.sum().clamp(min=1)).item())
            empty += int(p.sum() == 0)
    print(f"{'ss_refine' if refined else 'ss_vae'} decoder, {n} samples: band IoU {np.mean(band):.3f}, "
          f"outline IoU {np.mean(outline):.3f}, voxels {np.mean(ratio):.2f}x the true count, empty {empty}")


if __name__ == "__main__":
    main()
