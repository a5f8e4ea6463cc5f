"""A tiny random-weight graph satisfying the pack's `depth` contract (docs/pack-format.md), for engine
tests: resources/fixtures/depth-tiny/{depth.onnx, stage.json, reference.json}.

    cd modeling && /usr/bin/python3 depth_tiny.py

Output: a plausible metric scene seen by a pinhole camera with focal F0 (relative to the half diagonal):
a plane tilted in depth, z = Z0 + 0.4·v, plus small random conv terms of the image; the graph returns
the affine-invariant map (x, y, z − S0) as MoGe does, so the host should recover shift ≈ S0 and focal
≈ F0. mask_raw is −1 on the top 15 % of rows (invalid) and +1 elsewhere, plus small noise."""
import json
import os

import torch
import torch.nn as nn

from sam3d_export import moge

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "resources", "fixtures", "depth-tiny")
F0, S0, Z0 = 1.3, 1.2, 2.0


class TinyDepth(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 4, 3, padding=1)

    def forward(self, image, out_hw):
        e = torch.tanh(self.conv2(torch.relu(self.conv1(image))))
        e = moge.resize_bilinear(e, out_hw)
        h, w = out_hw[0], out_hw[1]
        aspect = w.float() / h.float()
        uv = moge.view_plane_uv(h, w, aspect)
        u, v = uv[:, 0], uv[:, 1]
        sy = 1 / torch.sqrt(1 + aspect * aspect)
        z = Z0 + 0.4 * v + 0.01 * e[:, 2]
        x = u * z / F0 + 0.002 * e[:, 0]
        y = v * z / F0 + 0.002 * e[:, 1]
        points = torch.stack([x, y, z - S0], dim=-1)
        mask = 1.0 - 2.0 * (v / sy < -0.7).float() + 0.1 * e[:, 3]
        return points, mask


def main():
    torch.manual_seed(1234)
    m = TinyDepth().eval()
    os.makedirs(OUT, exist_ok=True)
    ex = moge.example(20, 15, (31, 23), seed=3)
    args = (torch.from_numpy(ex["image"]), torch.from_numpy(ex["out_hw"]))
    path = os.path.join(OUT, "depth.onnx")
    ins, outs = moge.stage_spec()
    with torch.no_grad():
        torch.onnx.export(m, args, path, input_names=[n for n, _, _ in ins], output_names=[n for n, _, _ in outs],
                          dynamic_axes={"image": {2: "h", 3: "w"}, "points_affine": {1: "H", 2: "W"},
                                        "mask_raw": {1: "H", 2: "W"}}, opset_version=17)
        pts, mask = m(*args)
    stage = {"file": "depth.onnx", "precision": "fp32",
             "inputs": [{"name": n, "dtype": d, "shape": s} for n, d, s in ins],
             "outputs": [{"name": n, "dtype": d, "shape": s} for n, d, s in outs]}
    section = {"numTokens": 300, "patch": 14, "maskThreshold": 0.5, "fitSize": [64, 64], "ftol": 1e-3,
               "xtol": 1e-8, "gtol": 1e-8, "frame": "pytorch3d"}
    with open(os.path.join(OUT, "stage.json"), "w") as f:
        json.dump({"stage": stage, "depth": section, "truth": {"focal": F0, "shift": S0, "z0": Z0}}, f, indent=2)
        f.write("\n")
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"image": {"shape": list(ex["image"].shape), "data": [round(float(v), 7) for v in ex["image"].ravel()]},
                   "out_hw": ex["out_hw"].tolist(),
                   "points_affine": {"shape": list(pts.shape), "data": [float(v) for v in pts.numpy().ravel()]},
                   "mask_raw": {"shape": list(mask.shape), "data": [float(v) for v in mask.numpy().ravel()]}}, f)
    print(f"wrote {OUT}: depth.onnx {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
