"""Training of every nano stage: resumable, seeded, logged (DESIGN.md "Training").

    cd modeling
    nice -n 10 /usr/bin/python3 -m nano.train --stage ss_vae    --run .cache/nano/run --shards '.cache/nano/shards/train-*.npz' --minutes 20
    nice -n 10 /usr/bin/python3 -m nano.train --stage slat_ae   --run .cache/nano/run ... --minutes 40
    nice -n 10 /usr/bin/python3 -m nano.train --stage ss_flow   --run .cache/nano/run ... --minutes 60   (needs ss_vae)
    nice -n 10 /usr/bin/python3 -m nano.train --stage slat_flow --run .cache/nano/run ... --minutes 40  (needs slat_ae)
    nice -n 10 /usr/bin/python3 -m nano.train --stage ss_refine --run .cache/nano/run ... --minutes 20  (needs ss_flow)

Each stage writes RUN/<stage>/ckpt.pt (model + optimiser + step + RNG state, every --ckpt-every steps and at
the end), RUN/<stage>/log.jsonl (one line per --log-every steps) and, when finished (--steps reached, or
the --minutes cap, counted over all invocations of the stage), RUN/<stage>/final.pt and done.json.
Re-running the same command resumes from ckpt.pt. Autoencoder stages finish by encoding every training sample
(RUN/<stage>/latents.pt) and the latent statistics the pack needs.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import config as C
from . import nets
from .dataset import Shards, decoder_inputs, rot6d_stats, slat_inputs
from .sparse import neighbour_map
from .stage1_sample import sample_shape_latents

STAGES = {
    "ss_vae": ["ss_encoder", "ss_decoder"],
    "slat_ae": ["slat_encoder", "mesh_decoder"],
    "ss_flow": ["ss_condition", "ss_denoiser"],
    "slat_flow": ["slat_condition", "slat_denoiser"],
    "ss_refine": ["ss_decoder"],
}
# The shard arrays each stage reads (the fine sdf/colour grids only where the mesh decoder is trained).
_IMAGES = ["image_crop", "image_full", "mask_crop", "mask_full"]
STAGE_KEYS = {
    "ss_vae": ["occupancy", "rotation"],  # rotation: the rot6d statistics written at the end
    "slat_ae": ["occupancy", "sdf_q", "colour"],
    "ss_flow": _IMAGES + ["occupancy", "rotation", "translation", "translation_canon", "scale"],
    "slat_flow": _IMAGES + ["occupancy"],
    "ss_refine": _IMAGES + ["occupancy"],
}
DEFAULTS = {  # batch, lr
    "ss_vae": (16, 2e-3), "slat_ae": (4, 1e-3), "ss_flow": (16, 6e-4), "slat_flow": (4, 3e-4),
    "ss_refine": (16, 5e-4),
}
CFG_DROP = 0.1
SS_KL = 1e-4
SLAT_KL = 1e-5
REFINE_SAMPLES = 4096  # training images whose stage-1 samples ss_refine trains the decoder on
REFINE_CHUNK = 256
REFINE_POS_WEIGHT = 3.0
# Where the refined decoder's logits are cut (the manifest's occupancyThreshold). Logit 0 gives the best band
# IoU, but stage 2 cannot carve a thick band (DESIGN.md), and 0.5 keeps 27 % fewer voxels: on 52 held-out
# inputs end to end, vIoU 0.345 -> 0.366, F1 55.6 -> 56.9, silhouette 0.850 -> 0.846, 42 % faster.
REFINE_THRESHOLD = 0.5


# ---------------------------------------------------------------------------------------------
# Losses (also used by bench.py)


def ss_vae_loss(m, data, idx, sample=True):
    occ = data.occupancy(idx)
    mean, logvar = m["ss_encoder"](occ)
    z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sample else mean
    logits = m["ss_decoder"](z)
    pos = occ.mean().clamp(min=1e-3)
    bce = F.binary_cross_entropy_with_logits(logits, occ, pos_weight=torch.clamp((1 - pos) / pos, max=10.0))
    kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).mean()
    with torch.no_grad():
        pred = logits > 0
        iou = ((pred & (occ > 0.5)).sum() / ((pred | (occ > 0.5)).sum()).clamp(min=1)).item()
    return bce + SS_KL * kl, {"bce": bce.item(), "kl": kl.item(), "iou": iou}


CROP = 16  # SLaT-autoencoder training crop (voxels per axis, window-aligned)


def crop_coords(coords, rng, size=CROP, min_voxels=64):
    """A random window-aligned size^3 box of the voxel set (the decoder is local, DESIGN.md). Offsets are
    multiples of the window so every window inside the crop is a window of the full set."""
    offs = range(0, C.SLAT_RES - size + 1, C.WINDOW)
    boxes = [(a, b, c) for a in offs for b in offs for c in offs]
    rng.shuffle(boxes)
    best = coords
    for o in boxes:
        inside = np.all((coords >= o) & (coords < np.array(o) + size), axis=1)
        if inside.sum() >= min_voxels:
            return coords[inside]
    return best


def slat_ae_loss(m, data, idx, sample=True, crop=True, rng=None):
    total, logs = 0.0, {"sdf_l1_cells": 0.0, "rgb_l1": 0.0, "kl": 0.0, "sign_acc": 0.0}
    for i in idx:
        coords = data.coords(i)
        if crop:
            coords = crop_coords(coords, rng or np.random.default_rng())
        st = decoder_inputs(coords)
        x = data.voxel_inputs(i, coords)
        mean, logvar = m["slat_encoder"](x, torch.from_numpy(neighbour_map(coords)))
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sample else mean
        out = m["mesh_decoder"](z, st["coords"], st["win0_idx"], st["win0_valid"], st["win0_inv"], st["win1_idx"],
                                st["win1_valid"], st["win1_inv"], st["nbr_sub1"])
        sdf_t, rgb_t = data.cube_targets(i, coords)
        sdf_p = out[:, 0:8] + C.MESH_SDF_BIAS
        lim = 4.0 / C.MESH_RES
        sdf_l1 = (torch.clamp(sdf_p, -lim, lim) - sdf_t.clamp(-lim, lim)).abs().mean() * C.MESH_RES
        near = (sdf_t.abs() < 1.5 / C.MESH_RES).float()
        rgb_p = torch.sigmoid(out[:, 53:101].reshape(-1, 8, 6)[..., :3])
        rgb_l1 = ((rgb_p - rgb_t).abs().mean(-1) * near).sum() / near.sum().clamp(min=1)
        kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).mean()
        total = total + (sdf_l1 + rgb_l1 + SLAT_KL * kl) / len(idx)
        with torch.no_grad():
            logs["sign_acc"] += ((sdf_p > 0) == (sdf_t > 0)).float().mean().item() / len(idx)
        logs["sdf_l1_cells"] += sdf_l1.item() / len(idx)
        logs["rgb_l1"] += rgb_l1.item() / len(idx)
        logs["kl"] += kl.item() / len(idx)
    return total, logs


def ss_refine_loss(m, data, idx, latents):
    """The stage-1 decoder on stage 1's own samples: pos-weighted BCE + (1 - soft IoU) against the true band.
    The soft IoU is the band metric itself; BCE alone (pos weight 1) learns to leave an uncertain band empty."""
    occ = data.occupancy(idx)
    logits = m["ss_decoder"](latents)
    bce = F.binary_cross_entropy_with_logits(logits, occ, pos_weight=torch.tensor(REFINE_POS_WEIGHT))
    p = torch.sigmoid(logits)
    inter = (p * occ).sum((1, 2, 3))
    soft_iou = inter / (p + occ - p * occ).sum((1, 2, 3)).clamp(min=1)
    with torch.no_grad():
        hard = logits > 0
        iou = ((hard & (occ > 0.5)).sum() / (hard | (occ > 0.5)).sum().clamp(min=1)).item()
    return bce + (1 - soft_iou).mean(), {"bce": bce.item(), "soft_iou": soft_iou.mean().item(), "iou": iou}


def refine_latents(m, data, out_dir, part=(0, 1)):
    """Stage-1 samples (the engine's sampler, stage1_sample) of the first REFINE_SAMPLES training images, cached
    per REFINE_CHUNK in OUT_DIR/samples-XXX.pt (resumable). part (i, n): only every n-th chunk from the i-th,
    so that n processes can share the sampling. Returns the latents in image order (None unless all exist)."""
    n = min(REFINE_SAMPLES, len(data))
    chunks = range(0, n, REFINE_CHUNK)
    for c, start in enumerate(chunks):
        path = os.path.join(out_dir, f"samples-{c:03d}.pt")
        if c % part[1] != part[0] or os.path.exists(path):
            continue
        t0, lat = time.time(), []
        for s in range(start, min(n, start + REFINE_CHUNK), 16):
            idx = np.arange(s, min(n, start + REFINE_CHUNK, s + 16))
            lat.append(sample_shape_latents(m, data.images(idx), C.SEED + s).half())
        lat = torch.cat(lat)
        torch.save(lat, path + ".tmp")
        os.replace(path + ".tmp", path)
        print(f"ss_refine: sampled images {start}-{start + len(lat) - 1} in {time.time() - t0:.0f} s", flush=True)
    paths = [os.path.join(out_dir, f"samples-{c:03d}.pt") for c in range(len(chunks))]
    if not all(os.path.exists(p) for p in paths):
        return None
    return torch.cat([torch.load(p).float() for p in paths])


def sample_t(n, rng):
    """Half logit-normal(0, 1), half uniform; t = 0 is noise, 1 is data (reference 1.5)."""
    z = torch.from_numpy(rng.standard_normal(n)).float()
    u = torch.from_numpy(rng.random(n)).float()
    pick = torch.from_numpy(rng.random(n) < 0.5)
    return torch.where(pick, torch.sigmoid(z), u).clamp(1e-4, 1 - 1e-4)


def drop_cond(cond, rng):
    keep = torch.from_numpy(rng.random(cond.shape[0]) >= CFG_DROP).float().view(-1, 1, 1)
    return cond * keep  # all-zero tokens = the 1-zero-token unconditional pass (exact, pack-format.md)


def flow_ss_loss(m, data, idx, shape_latents, stats, rng):
    b = len(idx)
    im = data.images(idx)
    zeros = torch.zeros(b, 3, C.IMAGE_SIZE, C.IMAGE_SIZE)
    cond = m["ss_condition"](im["image_crop"], im["image_full"], im["mask_crop"], im["mask_full"], zeros, zeros,
                             torch.zeros(b))
    cond = drop_cond(cond, rng)
    lay = data.layout(idx, stats)
    x1 = [shape_latents] + [lay[n] for n, _ in C.SS_LAYOUT]
    x0 = [torch.randn_like(x) for x in x1]
    t = sample_t(b, rng)
    xt = [(1 - t.view(-1, 1, 1)) * a + t.view(-1, 1, 1) * d for a, d in zip(x0, x1)]
    v = m["ss_denoiser"](*xt, t * 1000, torch.zeros(b), cond)
    losses = [F.mse_loss(p, d - a) for p, a, d in zip(v, x0, x1)]
    loss = losses[0] + sum(losses[1:])
    names = ["shape"] + [n for n, _ in C.SS_LAYOUT]
    return loss, {f"mse_{n}": l.item() for n, l in zip(names, losses)}


def flow_slat_loss(m, data, idx, latents, rng):
    im = data.images(idx)
    cond = drop_cond(m["slat_condition"](im["image_crop"], im["image_full"], im["mask_crop"], im["mask_full"]), rng)
    t = sample_t(len(idx), rng)
    total, mse = 0.0, 0.0
    for j, i in enumerate(idx):
        coords = data.coords(i)
        st = slat_inputs(coords)
        x1 = latents[j][None]
        x0 = torch.randn_like(x1)
        xt = (1 - t[j]) * x0 + t[j] * x1
        v = m["slat_denoiser"](xt, t[j:j + 1] * 1000, cond[j:j + 1], st["nbr"], st["pool_children"], st["pool_scale"],
                               st["parent"], st["nbr_coarse"], st["coords_coarse"])
        l = F.mse_loss(v, x1 - x0)
        total = total + l / len(idx)
        mse += l.item() / len(idx)
    return total, {"mse": mse}


# ---------------------------------------------------------------------------------------------
# Loop


def lr_at(step, total, base, warmup=200):
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))


def load_prev(run, stage, m):
    path = os.path.join(run, stage, "final.pt")
    if not os.path.exists(path):
        raise SystemExit(f"{stage} is not finished: {path} missing (run --stage {stage} first)")
    blob = torch.load(path)
    for k, sd in blob["models"].items():
        m[k].load_state_dict(sd)
    return blob


@torch.no_grad()
def finish_ss_vae(m, data, out_dir):
    m["ss_encoder"].eval()
    means = []
    for s in range(0, len(data), 64):
        idx = np.arange(s, min(len(data), s + 64))
        means.append(m["ss_encoder"](data.occupancy(idx))[0])
    z = torch.cat(means)
    mu, sd = z.mean((0, 1)), z.std((0, 1)).clamp(min=1e-3)
    dec = m["ss_decoder"]
    # fold the normalisation into the decoder: decoder(z_norm) = decoder_old(z_norm * sd + mu)
    dec.latent_mean.copy_(mu)
    dec.latent_std.copy_(sd)
    torch.save({"latents": (z - mu) / sd}, os.path.join(out_dir, "latents.pt"))
    return {"latent_mean": mu.tolist(), "latent_std": sd.tolist()}


@torch.no_grad()
def finish_slat_ae(m, data, out_dir):
    m["slat_encoder"].eval()
    lats = []
    for i in range(len(data)):
        coords = data.coords(i)
        lats.append(m["slat_encoder"](data.voxel_inputs(i, coords), torch.from_numpy(neighbour_map(coords)))[0])
    allz = torch.cat(lats)
    mu, sd = allz.mean(0), allz.std(0).clamp(min=1e-3)
    torch.save({"latents": [(z - mu) / sd for z in lats]}, os.path.join(out_dir, "latents.pt"))
    return {"slat_mean": mu.tolist(), "slat_std": sd.tolist()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stage", required=True, choices=list(STAGES))
    ap.add_argument("--run", required=True)
    ap.add_argument("--shards", required=True)
    ap.add_argument("--steps", type=int, default=100000, help="total steps of the cosine schedule")
    ap.add_argument("--minutes", type=float, default=None, help="wall-clock budget for this invocation")
    ap.add_argument("--batch", type=int)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=C.SEED)
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--sample-part", help="ss_refine only: I/N, sample that share of the stage-1 samples and exit")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    batch, lr = DEFAULTS[args.stage]
    batch, lr = args.batch or batch, args.lr or lr
    out_dir = os.path.join(args.run, args.stage)
    os.makedirs(out_dir, exist_ok=True)
    data = Shards(args.shards, STAGE_KEYS[args.stage])
    torch.manual_seed(args.seed + list(STAGES).index(args.stage))
    m = nets.build_all()
    names = STAGES[args.stage]
    extra = {}
    if args.stage == "ss_flow":
        prev = load_prev(args.run, "ss_vae", m)
        shape_lat = torch.load(os.path.join(args.run, "ss_vae", "latents.pt"))["latents"]
        stats = prev["stats"].get("rot6d") or rot6d_stats(data)
        extra["rot6d"] = stats
    if args.stage == "slat_flow":
        load_prev(args.run, "slat_ae", m)
        slat_lat = torch.load(os.path.join(args.run, "slat_ae", "latents.pt"))["latents"]
    if args.stage == "ss_refine":
        load_prev(args.run, "ss_vae", m)   # the decoder starts from the autoencoder's
        load_prev(args.run, "ss_flow", m)
        for n in ("ss_condition", "ss_denoiser"):
            m[n].eval()
        part = tuple(int(v) for v in args.sample_part.split("/")) if args.sample_part else (0, 1)
        refine_lat = refine_latents(m, data, out_dir, part)
        if args.sample_part:
            return
    params = [p for n in names for p in m[n].parameters()]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    rng = np.random.default_rng(args.seed)
    step, wall_before = 0, 0.0
    ckpt = os.path.join(out_dir, "ckpt.pt")
    if os.path.exists(ckpt):
        blob = torch.load(ckpt)
        for n in names:
            m[n].load_state_dict(blob["models"][n])
        opt.load_state_dict(blob["opt"])
        step = blob["step"]
        wall_before = blob.get("wall", 0.0)
        rng.bit_generator.state = blob["rng"]
        torch.set_rng_state(blob["torch_rng"])
        print(f"resumed {args.stage} at step {step}")

    def save(path):
        torch.save({"models": {n: m[n].state_dict() for n in names}, "opt": opt.state_dict(), "step": step,
                    "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "args": vars(args),
                    "wall": wall_before + time.time() - t_start}, path + ".tmp")
        os.replace(path + ".tmp", path)

    for n in names:
        m[n].train()
    t_start = time.time()
    log = open(os.path.join(out_dir, "log.jsonl"), "a")
    capped = False
    pool = len(refine_lat) if args.stage == "ss_refine" else len(data)  # ss_refine: the sampled images only
    while step < args.steps:
        if args.minutes is not None and wall_before + time.time() - t_start > 60 * args.minutes:
            capped = True
            break
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, lr)
        idx = rng.choice(pool, batch, replace=pool < batch)
        t0 = time.time()
        if args.stage == "ss_vae":
            loss, info = ss_vae_loss(m, data, idx)
        elif args.stage == "slat_ae":
            loss, info = slat_ae_loss(m, data, idx, rng=rng)
        elif args.stage == "ss_flow":
            loss, info = flow_ss_loss(m, data, idx, shape_lat[idx], stats, rng)
        elif args.stage == "ss_refine":
            loss, info = ss_refine_loss(m, data, idx, refine_lat[idx])
        else:
            loss, info = flow_slat_loss(m, data, idx, [slat_lat[i] for i in idx], rng)
        opt.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(params, 1.0).item()
        opt.step()
        step += 1
        if step % args.log_every == 0 or step == 1:
            rec = {"step": step, "loss": loss.item(), "lr": opt.param_groups[0]["lr"], "grad_norm": gn,
                   "s_per_step": time.time() - t0, "wall": time.time() - t_start, **info}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()), flush=True)
        if step % args.ckpt_every == 0:
            save(ckpt)
    save(ckpt)
    if step >= args.steps or capped:
        stats_out = dict(extra)
        if args.stage == "ss_vae":
            stats_out.update(finish_ss_vae(m, data, out_dir))
            stats_out["rot6d"] = rot6d_stats(data)
        elif args.stage == "slat_ae":
            stats_out.update(finish_slat_ae(m, data, out_dir))
        elif args.stage == "ss_refine":
            stats_out["occupancy_threshold"] = REFINE_THRESHOLD
        torch.save({"models": {n: m[n].state_dict() for n in names}, "stats": stats_out, "step": step},
                   os.path.join(out_dir, "final.pt"))
        with open(os.path.join(out_dir, "done.json"), "w") as f:
            json.dump({"step": step, "steps_planned": args.steps, "capped_by_minutes": capped,
                       "wall_s": wall_before + time.time() - t_start, "stats": stats_out}, f, indent=1)
        print(f"{args.stage}: finished at step {step}{' (minutes cap)' if capped else ''}; wrote final.pt")


if __name__ == "__main__":
    main()
