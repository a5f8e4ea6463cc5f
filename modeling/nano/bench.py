"""Micro-benchmark: seconds per optimiser step of each training stage on this machine.

    cd modeling && nice -n 10 /usr/bin/python3 -m nano.bench --shards '.cache/nano/shards/smoke-*.npz'
"""
import argparse
import time

import numpy as np
import torch

from . import config as C
from . import nets
from .dataset import Shards, decoder_inputs, rot6d_stats, slat_inputs
from .train import (flow_ss_loss, flow_slat_loss, slat_ae_loss, ss_vae_loss)


def timeit(name, step, n=3):
    step()
    t = time.time()
    for _ in range(n):
        step()
    dt = (time.time() - t) / n
    print(f"{name:12s} {dt:6.2f} s/step  {3600 / dt:8.0f} steps/h", flush=True)
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", default=".cache/nano/shards/smoke-*.npz")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="ss_vae,slat_ae,ss_flow,slat_flow")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    data = Shards(args.shards)
    stats = rot6d_stats(data)
    m = nets.build_all()
    rng = np.random.default_rng(0)
    res = {}
    only = args.only.split(",")
    if "ss_vae" in only:
        opt = torch.optim.AdamW(list(m["ss_encoder"].parameters()) + list(m["ss_decoder"].parameters()), 1e-3)
        def st():
            idx = rng.choice(len(data), 16)
            loss, _ = ss_vae_loss(m, data, idx)
            opt.zero_grad(); loss.backward(); opt.step()
        res["ss_vae b16"] = timeit("ss_vae b16", st)
    if "slat_ae" in only:
        opt = torch.optim.AdamW(list(m["slat_encoder"].parameters()) + list(m["mesh_decoder"].parameters()), 1e-3)
        def st():
            idx = rng.choice(len(data), 4)
            loss, _ = slat_ae_loss(m, data, idx, rng=rng)
            opt.zero_grad(); loss.backward(); opt.step()
        res["slat_ae b4 crop16"] = timeit("slat_ae b4 crop16", st)
        print("  voxels/sample:", [len(data.coords(i)) for i in range(min(8, len(data)))])
    if "ss_flow" in only:
        ps = list(m["ss_condition"].parameters()) + list(m["ss_denoiser"].parameters())
        opt = torch.optim.AdamW(ps, 1e-4)
        lat = torch.randn(len(data), C.SS_RES ** 3, C.SS_CHANNELS)
        def st():
            idx = rng.choice(len(data), 16)
            loss, _ = flow_ss_loss(m, data, idx, lat[idx], stats, rng)
            opt.zero_grad(); loss.backward(); opt.step()
        res["ss_flow b16"] = timeit("ss_flow b16", st)
    if "slat_flow" in only:
        ps = list(m["slat_condition"].parameters()) + list(m["slat_denoiser"].parameters())
        opt = torch.optim.AdamW(ps, 1e-4)
        def st():
            idx = rng.choice(len(data), 4)
            lats = [torch.randn(len(data.coords(i)), C.SLAT_CHANNELS) for i in idx]
            loss, _ = flow_slat_loss(m, data, idx, lats, rng)
            opt.zero_grad(); loss.backward(); opt.step()
        res["slat_flow b4"] = timeit("slat_flow b4", st)
    print(res)


if __name__ == "__main__":
    main()
