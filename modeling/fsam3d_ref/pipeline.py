"""End-to-end reference of the host pipeline on the tiny test pack, in torch/numpy.

    cd modeling && /usr/bin/python3 -m fsam3d_ref.pipeline

photo + mask -> crop/pad/resize (reference 1.4, no-depth mode) -> ss_condition -> Euler+CFG sampler
-> ss_decoder -> coords, prune -> pose -> slat_condition -> Euler+CFG sampler -> de-normalise ->
mesh_decoder -> FlexiCubes. Runs the PyTorch modules the pack was exported from (same seed) and writes
resources/fixtures/test-pack/e2e.safetensors. The noise is drawn here and stored, so the engine injects it.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from fsam3d_model import config as C
from fsam3d_model import safetensors_io
from fsam3d_model import structures as S
from fsam3d_model.build import build_models
from fsam3d_model.export_test_pack import check_mesh_prior, manifest_constants

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE_DIR = os.path.join(ROOT, "resources", "samples", "test")
OUT_FILE = os.path.join(ROOT, "resources", "fixtures", "test-pack", "e2e.safetensors")
NOISE_SEED = 1234


# ---------------------------------------------------------------------------------------------
# Preprocessing (reference 1.4 b-c)


def load_inputs(sample_dir):
    rgb = np.asarray(Image.open(os.path.join(sample_dir, "photo.png")).convert("RGB"))
    mask = np.asarray(Image.open(os.path.join(sample_dir, "mask.png")).convert("L"))
    rgb = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float() / 255.0  # uint8.float()/255
    mask = torch.from_numpy((mask >= 128).astype(np.float32))[None]  # {0,1}, >= 50% white
    return rgb, mask


def crop_box(mask, box_size_factor):
    """compute_mask_bbox: inclusive bbox, float centre, w = x1-x0 (no +1), int() truncation."""
    ys, xs = torch.nonzero(mask[0], as_tuple=True)
    x0, y0, x1, y1 = xs.min().item(), ys.min().item(), xs.max().item(), ys.max().item()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = x1 - x0, y1 - y0
    if w < 2 or h < 2:
        raise ValueError("mask bounding box must be at least 2x2")
    size = int(max(w, h, 2) * box_size_factor)
    half = size // 2
    return int(cx - half), int(cy - half), int(cx + half), int(cy + half)


def crop_zero(img, box):
    """torchvision crop(top=y0, left=x0, height=y1-y0, width=x1-x0): outside pixels are 0."""
    x0, y0, x1, y1 = box
    c, hh, ww = img.shape
    out = torch.zeros(c, y1 - y0, x1 - x0, dtype=img.dtype)
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x1, ww), min(y1, hh)
    if sx1 > sx0 and sy1 > sy0:
        out[:, sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = img[:, sy0:sy1, sx0:sx1]
    return out


def pad_square(img, value=0.0):
    """Centred: diff//2 on left/top, the rest on right/bottom."""
    _, hh, ww = img.shape
    m = max(hh, ww)
    ph, pw = (m - hh) // 2, (m - ww) // 2
    return F.pad(img, (pw, m - ww - pw, ph, m - hh - ph), value=value)


def resize_rgb(img, size):
    return F.interpolate(img[None], size=(size, size), mode="bilinear", align_corners=False, antialias=True)


def resize_mask(img, size):
    return F.interpolate(img[None], size=(size, size), mode="nearest")  # legacy floor(dst*in/out)


def preprocess(rgb, mask, size, box_size_factor):
    box = crop_box(mask, box_size_factor)
    both = pad_square(crop_zero(torch.cat([rgb, mask]), box))  # RGBA crop, 0 fill, pad 0
    return {
        "image_crop": resize_rgb(both[:3], size),
        "image_full": resize_rgb(pad_square(rgb), size),
        "mask_crop": resize_mask(both[3:], size),
        "mask_full": resize_mask(pad_square(mask), size),
    }, box


# ---------------------------------------------------------------------------------------------
# Sampler (pack-format.md "Time grid and CFG")


def time_grid(steps, rescale_t):
    u = np.arange(steps + 1, dtype=np.float64) / steps
    return u / (1 + (rescale_t - 1) * (1 - u))


def euler_cfg(net, x, sampler, cond, uncond, trace=None):
    """x: dict of float32 tensors (B=1). net(x, T, cond) -> dict of velocities. T = float32(t_k*timeScale);
    dt = float32(t_{k+1} - t_k) computed in float64; guidance while lo <= t_k*timeScale <= hi (float64)."""
    t = time_grid(sampler["steps"], sampler["rescaleT"])
    ts = sampler["timeScale"]
    s = sampler["cfg"]["strength"]
    lo, hi = sampler["cfg"]["interval"]
    outputs = sampler["cfg"]["outputs"]
    x = {k: v.clone() for k, v in x.items()}
    evals = 0
    for k in range(sampler["steps"]):
        T = torch.tensor([t[k] * ts], dtype=torch.float32)
        dt = torch.tensor(t[k + 1] - t[k], dtype=torch.float32)
        v = net(x, T, cond)
        evals += 1
        if s > 0 and lo <= t[k] * ts <= hi:
            vu = net(x, T, uncond)
            evals += 1
            v = {n: ((1 + s) * v[n] - s * vu[n]) if outputs == "all" or n in outputs else v[n] for n in v}
        x = {n: x[n] + dt * v[n] for n in x}
        if trace is not None:
            trace.append({n: a.clone() for n, a in x.items()})
    return x, evals


# ---------------------------------------------------------------------------------------------
# Pose (reference 1.9)


def matrix_to_quaternion(m):
    """PyTorch3D matrix_to_quaternion (best-conditioned candidate), then standardize_quaternion (w >= 0)."""
    m00, m01, m02, m10, m11, m12, m20, m21, m22 = m.reshape(9).tolist()
    sq = lambda v: np.sqrt(v) if v > 0 else 0.0  # noqa: E731
    q_abs = [sq(1 + m00 + m11 + m22), sq(1 + m00 - m11 - m22), sq(1 - m00 + m11 - m22), sq(1 - m00 - m11 + m22)]
    rows = [[q_abs[0] ** 2, m21 - m12, m02 - m20, m10 - m01],
            [m21 - m12, q_abs[1] ** 2, m10 + m01, m02 + m20],
            [m02 - m20, m10 + m01, q_abs[2] ** 2, m12 + m21],
            [m10 - m01, m20 + m02, m21 + m12, q_abs[3] ** 2]]
    best = int(np.argmax(q_abs))
    q = np.array(rows[best]) / (2.0 * max(q_abs[best], 0.1))
    return -q if q[0] < 0 else q


def decode_pose(rot6d, translation, scale, rot6d_mean, rot6d_std, scene_scale=1.0, scene_shift=(0, 0, 0),
                downsample_factor=1):
    """float64 on the host. R has columns b1, b2, b3; points map as p*scale*R + translation (row vectors)."""
    r6 = np.asarray(rot6d, np.float64) * np.asarray(rot6d_std) + np.asarray(rot6d_mean)
    nrm = lambda v: v / max(np.linalg.norm(v), 1e-12)  # noqa: E731
    b1 = nrm(r6[:3])
    b2 = nrm(r6[3:] - np.dot(b1, r6[3:]) * b1)
    b3 = np.cross(b1, b2)
    R = np.stack([b1, b2, b3], axis=1)
    s = float(np.mean(scene_scale * np.exp(np.asarray(scale, np.float64)))) * downsample_factor
    t = scene_scale * np.asarray(translation, np.float64) + np.asarray(scene_shift, np.float64)
    return {"rotation": R, "quaternion": matrix_to_quaternion(R), "translation": t, "scale": s}


# ---------------------------------------------------------------------------------------------


def run(sample_dir=SAMPLE_DIR, out_file=OUT_FILE, verbose=True, dump_structures=None):
    man = manifest_constants()
    models = build_models()
    rng = np.random.default_rng(NOISE_SEED)
    log = print if verbose else (lambda *a: None)
    out = {}

    # Preprocess, no-depth mode: zero pointmaps, weight 0 (scene scale 1, shift 0).
    rgb, mask = load_inputs(sample_dir)
    pre, box = preprocess(rgb, mask, man["image"]["size"], man["crop"]["boxSizeFactor"])
    size = man["image"]["size"]
    zeros_pm = torch.zeros(1, 3, size, size)
    with torch.no_grad():
        ss_cond = models["ss_condition"](pre["image_crop"], pre["image_full"], pre["mask_crop"], pre["mask_full"],
                                         zeros_pm, zeros_pm, torch.zeros(1))
    for k, v in pre.items():
        out[f"pre.{k}"] = v.numpy()
    out["pre.crop_box"] = np.array(box, np.int32)
    out["ss.cond"] = ss_cond.numpy()
    log(f"crop box {box}")

    # Stage 1: shape + layout.
    ss = man["ss"]
    names = ["shape"] + [l["name"] for l in ss["layout"]]
    shapes = {"shape": (1, ss["latentRes"] ** 3, ss["latentChannels"])}
    shapes.update({l["name"]: (1, 1, l["dim"]) for l in ss["layout"]})
    noise = {n: torch.from_numpy(rng.standard_normal(shapes[n]).astype(np.float32)) for n in names}
    d_val = ss["sampler"]["shortcutD"] * ss["sampler"]["timeScale"]

    def ss_net(x, T, cond):
        with torch.no_grad():
            v = models["ss_denoiser"](*[x[n] for n in names], T, torch.full((1,), d_val), cond)
        return dict(zip(names, v))

    trace = []
    uncond = torch.zeros(1, ss["sampler"]["uncondTokens"], C.COND_DIM)
    ss_x, ss_evals = euler_cfg(ss_net, noise, ss["sampler"], ss_cond, uncond, trace)
    log(f"stage 1: {ss_evals} evaluations")
    for n in names:
        out[f"ss.noise.{n}"] = noise[n].numpy()
    for n in names:
        out[f"ss.latent.{n}"] = ss_x[n].numpy()
    out["ss.trace.shape"] = np.stack([noise["shape"][0].numpy()] + [s["shape"][0].numpy() for s in trace])

    with torch.no_grad():
        logits = models["ss_decoder"](ss_x["shape"])[0].numpy()
    out["ss.occupancy_logits"] = logits[None]
    coords_raw = S.occupancy_to_coords(logits, ss["occupancyThreshold"])
    coords = S.prune_interior(coords_raw, ss["occupancyRes"]) if ss["pruneInterior"] else coords_raw
    factor = 1
    if len(coords) > ss["maxVoxels"]:
        coords, factor = S.downsample_coords(coords), ss["downsampleFactor"]
        if len(coords) > ss["maxVoxels"]:
            raise RuntimeError("still above maxVoxels after downsampling; the reference keeps a random subset")
    margin = float(np.abs(logits - ss["occupancyThreshold"]).min())
    log(f"occupancy: {len(coords_raw)} voxels, {len(coords)} after prune, min |logit| {margin:.4f}")
    out["ss.coords_unpruned"] = coords_raw
    out["ss.coords"] = coords
    out["ss.downsample_factor"] = np.array([factor], np.int32)

    pose = decode_pose(ss_x["rot6d"].reshape(-1).numpy(), ss_x["translation"].reshape(-1).numpy(),
                       ss_x["scale"].reshape(-1).numpy(), man["pose"]["rot6dMean"], man["pose"]["rot6dStd"],
                       1.0, (0.0, 0.0, 0.0), factor)
    out["pose.quaternion"] = pose["quaternion"].astype(np.float32)
    out["pose.rotation"] = pose["rotation"].astype(np.float32)
    out["pose.translation"] = pose["translation"].astype(np.float32)
    out["pose.scale"] = np.array([pose["scale"]], np.float32)
    log(f"pose q={np.round(pose['quaternion'], 4)} t={np.round(pose['translation'], 4)} s={pose['scale']:.4f}")

    # Stage 2: structured latent.
    sl = man["slat"]
    with torch.no_grad():
        slat_cond = models["slat_condition"](pre["image_crop"], pre["image_full"], pre["mask_crop"], pre["mask_full"])
    st = {k: torch.from_numpy(v) for k, v in S.slat_structures(coords, sl["poolMeanIncludeSelf"]).items()}

    def slat_net(x, T, cond):
        with torch.no_grad():
            return {"x": models["slat_denoiser"](x["x"], T, cond, **st)}

    slat_noise = torch.from_numpy(rng.standard_normal((1, len(coords), sl["latentChannels"])).astype(np.float32))
    uncond = torch.zeros(1, sl["sampler"]["uncondTokens"], C.COND_DIM)
    slat_x, slat_evals = euler_cfg(slat_net, {"x": slat_noise}, sl["sampler"], slat_cond, uncond)
    log(f"stage 2: {slat_evals} evaluations, N={len(coords)}, M={len(st['coords_coarse'])}")
    feats = slat_x["x"][0] * torch.tensor(sl["std"]) + torch.tensor(sl["mean"])
    out["slat.cond"] = slat_cond.numpy()
    out["slat.noise"] = slat_noise.numpy()
    out["slat.latent"] = slat_x["x"].numpy()
    out["slat.feats"] = feats.numpy()

    # Decode.
    dec = man["decoder"]
    ds = {k: torch.from_numpy(v) for k, v in
          S.decoder_structures(coords, dec["window"], dec["shifts"], dec["subdivisions"]).items()}
    with torch.no_grad():
        cube = models["mesh_decoder"](feats, **ds)
    if dump_structures:  # too big for the fixture; for tools/check_e2e_ort.mjs
        extra = {f"slat.{k}": v.numpy() for k, v in st.items()}
        extra.update({f"mesh.{k}": v.numpy() for k, v in ds.items()})
        sdf_b = cube[:, mesh_sdf_range(man)] + man["decoder"]["mesh"]["sdfBias"]
        extra["mesh.sdf_negative"] = (sdf_b < 0).numpy().astype(np.uint8)
        safetensors_io.save(dump_structures, extra)
    fine = coords
    for _ in range(dec["subdivisions"]):
        fine = S.subdivide_coords(fine)
    mesh = dec["mesh"]
    cube64 = cube.double()
    out["mesh.cube_feats_rows"] = cube[:128].numpy()  # the 64 rows of voxels 0 and 1
    out["mesh.cube_feats_colsum"] = cube64.sum(0).float().numpy()
    out["mesh.cube_feats_rowsum"] = cube64.sum(1).float().numpy()
    got, bound = check_mesh_prior(coords, cube.numpy(), "e2e mesh_decoder")
    log(f"cube_feats {tuple(cube.shape)}, min |sdf+bias| {got:.2e} (guaranteed >= {bound:.2e})")

    try:
        from .flexicubes import flexicubes_mesh
    except ImportError as e:  # the FlexiCubes reference is written separately
        log(f"FlexiCubes reference not importable ({e}); stopping at cube_feats")
        flexicubes_mesh = None
    if flexicubes_mesh is not None:
        stats = {}
        verts, faces, colors = flexicubes_mesh(torch.from_numpy(fine).long(), cube, mesh["res"], mesh["sdfBias"],
                                               mesh["weightScale"], mesh["layout"], stats)
        out["mesh.vertices"] = verts.float().numpy()
        out["mesh.faces"] = faces.int().numpy()
        out["mesh.colors"] = colors.float().numpy()
        log(f"mesh: {len(verts)} vertices, {len(faces)} faces, stats {stats}")
        check_mesh(out["mesh.vertices"], out["mesh.faces"], log)

    safetensors_io.save(out_file, out, {"pack": "test-tiny", "generator": "modeling/fsam3d_ref/pipeline.py",
                                        "noise_seed": NOISE_SEED, "ss_evaluations": ss_evals,
                                        "slat_evaluations": slat_evals})
    log(f"wrote {out_file} ({os.path.getsize(out_file)} bytes, {len(out)} tensors)")
    return out


def mesh_sdf_range(man):
    a, b = man["decoder"]["mesh"]["layout"]["sdf"]
    return slice(a, b)


def check_mesh(verts, faces, log):
    """Closedness: every undirected edge shared by exactly two faces, each direction used once."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    und = np.sort(e, axis=1)
    _, counts = np.unique(und, axis=0, return_counts=True)
    _, dcounts = np.unique(e, axis=0, return_counts=True)
    r = np.linalg.norm(verts, axis=1)
    log(f"mesh check: edges {len(counts)}, non-2-manifold {int((counts != 2).sum())}, "
        f"repeated directed {int((dcounts != 1).sum())}, |v| in [{r.min():.3f}, {r.max():.3f}]")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", default=SAMPLE_DIR)
    ap.add_argument("--out", default=OUT_FILE)
    ap.add_argument("--dump-structures", default=None,
                    help="also write the e2e index inputs (large) for modeling/tools/check_e2e_ort.mjs")
    args = ap.parse_args()
    run(args.sample, args.out, dump_structures=args.dump_structures)


if __name__ == "__main__":
    main()
