"""One seeded training sample: shape -> canonical grids -> materials -> pose + camera -> render -> crops.

    sample = make_sample(seed)          # dict of numpy arrays, see FIELDS below

Conventions (docs/pack-format.md, reference 1.9): canonical object z-up inside [-0.5, 0.5]^3 (longest
side CANON_EXTENT); a canonical point p maps to the PyTorch3D camera frame (x left, y up, z forward) as
p_cam = p * scale * R + t (row vectors); a camera point projects to pixel u = cx - f x/z, v = cy - f y/z
(pixel centres at integer + 0.5). The layout the networks learn is the *canonical-camera* layout
(DESIGN.md "Layout targets"): the true translation with z multiplied by f0/f, where f0 is the focal length
of the default field of view (DEFAULT_FOV_DEG on the long side); projected with f0 it gives exactly the
rendered silhouette up to perspective foreshortening of the object's own depth.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from . import shapes as SH

MESH_RES = 64          # FlexiCubes grid of the pack (decoder.mesh.res)
OCC_RES = 32           # stage-1 occupancy grid (ss.occupancyRes) = slat.res
CANON_EXTENT = 0.9     # longest side of the normalised object
CROP_PAD = 1.2         # the crop view is the mask's bounding box scaled by this (reference 1.4)
DEFAULT_FOV_DEG = 60.0  # engine default when the photo has no EXIF focal length (long side)
IMAGE_SIZE = 112       # pack image.size
FOV_RANGE = (50.0, 70.0)  # long side; see DESIGN.md section 6 (silhouette ceiling)
SIZES = [(192, 144), (144, 192), (176, 176), (208, 160)]  # (W, H) of the rendered photo


def corner_points(res=MESH_RES):
    ax = np.arange(res + 1) / res - 0.5
    g = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), -1)
    return g.reshape(-1, 3)


def eval_banded(fn, res=MESH_RES, stride=4):
    """fn on the (res+1)^3 corner grid, exactly within a band around the surface and from a stride-4 coarse
    grid elsewhere (the distance functions are 1-Lipschitz, so a coarse node farther than BAND from the
    surface decides the sign of every fine point near it; the value stored there is a lower bound of the
    true |sdf|, safe for sphere tracing, and beyond the 4-cell clamp of the stored grids)."""
    ax = np.arange(res + 1) / res - 0.5
    cax = ax[::stride]
    cp = np.stack(np.meshgrid(cax, cax, cax, indexing="ij"), -1).reshape(-1, 3)
    cd, cm = fn(cp)
    nc = len(cax)
    ni = np.round(np.arange(res + 1) / stride).astype(int)
    reach = stride * math.sqrt(3) / 2 / res  # farthest a fine point is from its nearest coarse node
    near_d = cd.reshape(nc, nc, nc)[np.ix_(ni, ni, ni)].reshape(-1)
    near_m = cm.reshape(nc, nc, nc)[np.ix_(ni, ni, ni)].reshape(-1)
    need = np.abs(near_d) < reach + 5.0 / res
    sdf = np.sign(near_d) * (np.abs(near_d) - reach)
    mat = near_m.copy()
    g = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), -1).reshape(-1, 3)
    d, m = fn(g[need])
    sdf[need], mat[need] = d, m
    return sdf, mat


def normalise(fn, half=1.3, n=44):
    """Scale/centre the shape p -> (sdf, material) so its bounding box (probed on an n^3 grid over
    [-half, half]^3) is centred with longest side CANON_EXTENT. Returns the canonical evaluation function."""
    ax = np.linspace(-half, half, n)
    p = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), -1).reshape(-1, 3)
    d, _ = fn(p)
    inside = p[d < 0]
    if len(inside) < 8:
        raise ValueError("empty shape")
    h = ax[1] - ax[0]
    lo, hi = inside.min(0) - h / 2, inside.max(0) + h / 2
    c, L = (lo + hi) / 2, (hi - lo).max()
    k = L / CANON_EXTENT

    def f(q):
        d, m = fn(q * k + c)
        return d / k, m
    return f


def view_aligned(fn, R):
    """The normalised shape fn, posed with row-form rotation R, re-expressed in the view-aligned canonical
    frame (DESIGN.md section 2): q maps to the camera by VIEW_ROTATION, so q = p R VIEW_ROTATION^T and
    fn_view(q) = fn(q VIEW_ROTATION R^T); then normalised again (the rotated box is inside radius 0.78)."""
    M = VIEW_ROTATION @ R.T
    return normalise(lambda q: fn(q @ M), half=0.8)


# ---------------------------------------------------------------------------------------------
# Materials: base colour per material slot and a procedural pattern in canonical coordinates.

def _hsv(h, s, v):
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    return np.array([(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i])


def random_colour(rng):
    if rng.random() < 0.15:  # greys, black, white
        return np.full(3, rng.uniform(0.05, 0.95))
    return _hsv(rng.random(), rng.uniform(0.3, 1.0), rng.uniform(0.25, 1.0))


def random_materials(rng, n=4):
    mats = []
    for _ in range(n):
        a, b = random_colour(rng), random_colour(rng)
        kind = rng.choice(["solid", "solid", "stripes", "checker", "noise", "gradient", "dots"])
        axis = SH.random_rotation(rng)[0]
        freq = rng.uniform(3, 12)
        phases = rng.uniform(0, 2 * np.pi, 3)
        mats.append(dict(a=a, b=b, kind=kind, axis=axis, freq=freq, phases=phases,
                         spec=rng.uniform(0.0, 0.6), shin=rng.uniform(5, 60)))
    return mats


def shade_albedo(mats, mat_idx, p):
    """Albedo (P,3) at canonical points p with material indices."""
    out = np.zeros((len(p), 3))
    for i, m in enumerate(mats):
        sel = mat_idx == i
        if not sel.any():
            continue
        q = p[sel]
        k = m["kind"]
        if k == "solid":
            w = np.zeros(len(q))
        elif k == "stripes":
            w = (np.sin(q @ m["axis"] * m["freq"] * 2 * np.pi / 2) > 0).astype(float)
        elif k == "checker":
            w = (np.floor(q * m["freq"]).sum(-1) % 2).astype(float)
        elif k == "noise":
            w = 0.5 + 0.5 * np.sin(q[:, 0] * m["freq"] + m["phases"][0]) * np.sin(q[:, 1] * m["freq"] * 1.3 + m["phases"][1]) \
                * np.sin(q[:, 2] * m["freq"] * 0.7 + m["phases"][2])
        elif k == "gradient":
            w = np.clip(q @ m["axis"] + 0.5, 0, 1)
        else:  # dots
            cell = q * m["freq"]
            w = (np.linalg.norm(cell - np.floor(cell) - 0.5, axis=-1) < 0.3).astype(float)
        out[sel] = m["a"] * (1 - w[:, None]) + m["b"] * w[:, None]
    return np.clip(out, 0, 1)


# ---------------------------------------------------------------------------------------------
# Pose and camera


# Column form of the upright, azimuth-0 view: columns = images of canonical x, y, z: x -> image right
# (-x_cam), z-up -> y_cam up, y -> away (+z_cam).
A0 = np.array([[-1.0, 0, 0], [0, 0, 1], [0, 1, 0]])
VIEW_ROTATION = A0.T  # row form: every sample's layout rotation in the view-aligned frame


def random_pose(rng):
    """Row-form R (p_cam = s p R + t) for an upright object seen from a random azimuth/elevation, or a
    fully random rotation (20 %)."""
    if rng.random() < 0.2:
        A = SH.random_rotation(rng)
    else:
        az = rng.uniform(0, 2 * np.pi)
        el = math.radians(rng.uniform(-5, 45))
        roll = math.radians(rng.normal(0, 4))
        A = SH.rot(2, roll) @ SH.rot(0, -el) @ A0 @ SH.rot(2, az)
    return A.T


def random_camera(rng):
    W, H = SIZES[rng.integers(len(SIZES))]
    fov = rng.uniform(*FOV_RANGE)
    f = (max(W, H) / 2) / math.tan(math.radians(fov) / 2)
    f0 = (max(W, H) / 2) / math.tan(math.radians(DEFAULT_FOV_DEG) / 2)
    return dict(W=W, H=H, fov=fov, f=f, f0=f0, cx=W / 2, cy=H / 2)


# ---------------------------------------------------------------------------------------------
# Rendering (sphere tracing a trilinear SDF grid with torch.grid_sample)


def _grid(vol):
    """(X,Y,Z[,C]) numpy -> (1,C,Z,Y,X) torch for grid_sample with (x,y,z) coordinates."""
    v = torch.from_numpy(np.ascontiguousarray(vol, dtype=np.float32))
    if v.dim() == 3:
        v = v[..., None]
    return v.permute(3, 2, 1, 0)[None]


def _sample(gvol, p):
    """Trilinear sample of a canonical grid at canonical points p (P,3) in [-0.5,0.5]^3 -> (P,C)."""
    g = (2 * p).reshape(1, 1, 1, -1, 3).float()
    return F.grid_sample(gvol, g, mode="bilinear", padding_mode="border", align_corners=True)[0, :, 0, 0].T


def render(sdf_grid, col_grid, R, s, t, cam, rng, steps=72):
    W, H = cam["W"], cam["H"]
    gs, gc = _grid(sdf_grid), _grid(col_grid)
    Rt = torch.from_numpy(R).float()
    tt = torch.from_numpy(np.asarray(t)).float()
    v, u = torch.meshgrid(torch.arange(H) + 0.5, torch.arange(W) + 0.5, indexing="ij")
    d = torch.stack([(cam["cx"] - u) / cam["f"], (cam["cy"] - v) / cam["f"], torch.ones_like(u)], -1).reshape(-1, 3)
    d = d / d.norm(dim=-1, keepdim=True)
    # bounding sphere of the canonical cube
    rad = s * math.sqrt(3) / 2
    b = (d * tt).sum(-1)
    disc = b * b - (tt * tt).sum() + rad * rad
    active = disc > 0
    tn = torch.clamp(b - torch.sqrt(torch.clamp(disc, min=0)), min=0)
    tf = b + torch.sqrt(torch.clamp(disc, min=0))
    dist = tn.clone()
    hit = torch.zeros_like(active)
    eps = 0.0015
    for _ in range(steps):
        idx = torch.nonzero(active & ~hit).squeeze(1)
        if len(idx) == 0:
            break
        x = d[idx] * dist[idx, None]
        p = ((x - tt) @ Rt.T) / s
        q = torch.clamp(p, -0.5, 0.5)
        out = (p - q).norm(dim=-1)
        sd = _sample(gs, q)[:, 0]
        step = torch.where(out > 1e-4, out + 0.002, sd)
        hit[idx] = (out <= 1e-4) & (sd < eps)
        dist[idx] = dist[idx] + torch.clamp(step, min=eps * 0.5) * s * 0.9
        active[idx] = active[idx] & (dist[idx] < tf[idx])
    mask = hit.reshape(H, W)
    img = torch.zeros(H * W, 3)
    if hit.any():
        idx = torch.nonzero(hit).squeeze(1)
        x = d[idx] * dist[idx, None]
        p = torch.clamp(((x - tt) @ Rt.T) / s, -0.5, 0.5)
        h = 1.0 / 128
        n = torch.stack([_sample(gs, p + h * e)[:, 0] - _sample(gs, p - h * e)[:, 0]
                         for e in torch.eye(3)], -1)
        n = n / torch.clamp(n.norm(dim=-1, keepdim=True), min=1e-8)
        n_cam = n @ Rt  # row vectors: canonical direction -> camera
        alb = _sample(gc, p)
        light = torch.tensor([rng.uniform(-1, 1), rng.uniform(0.3, 1.5), rng.uniform(-1.2, 0.2)]).float()
        light = light / light.norm()
        view = -d[idx]
        diff = torch.clamp((n_cam * light).sum(-1), min=0)
        half = (light + view)
        half = half / half.norm(dim=-1, keepdim=True)
        spec_k, shin = rng.uniform(0, 0.5), rng.uniform(8, 64)
        spec = spec_k * torch.clamp((n_cam * half).sum(-1), min=0) ** shin
        amb = rng.uniform(0.25, 0.5)
        lc = torch.from_numpy(np.clip(1 - 0.15 * rng.random(3), 0, 1)).float()
        img[idx] = torch.clamp(alb * (amb + (1 - amb) * diff[:, None]) * lc + spec[:, None], 0, 1)
    return img.reshape(H, W, 3).numpy(), mask.numpy()


# ---------------------------------------------------------------------------------------------
# Backgrounds


def _smooth_noise(rng, H, W, cells):
    z = torch.from_numpy(rng.random((1, 3, cells, cells))).float()
    return F.interpolate(z, size=(H, W), mode="bicubic", align_corners=False)[0].permute(1, 2, 0).numpy()


def background(rng, H, W):
    kind = rng.choice(["plain", "gradient", "noise", "clutter", "table", "pattern"], p=[0.15, 0.15, 0.15, 0.25, 0.2, 0.1])
    yy, xx = np.mgrid[0:H, 0:W] / max(H, W)
    a, b = random_colour(rng), random_colour(rng)
    if kind == "plain":
        bg = np.broadcast_to(a, (H, W, 3)).copy()
    elif kind == "gradient":
        ang = rng.uniform(0, 2 * np.pi)
        w = np.clip(np.cos(ang) * xx + np.sin(ang) * yy + 0.3, 0, 1)[..., None]
        bg = a * (1 - w) + b * w
    elif kind == "noise":
        bg = a * 0.5 + 0.5 * _smooth_noise(rng, H, W, int(rng.integers(3, 12)))
    elif kind == "pattern":
        f = rng.uniform(6, 30)
        w = ((np.floor(xx * f) + np.floor(yy * f)) % 2)[..., None] if rng.random() < 0.5 else \
            (np.sin(xx * f * 3 + yy * rng.uniform(-5, 5)) > 0)[..., None]
        bg = a * (1 - w) + (a * 0.6 + b * 0.4) * w
    else:
        bg = np.broadcast_to(a, (H, W, 3)).copy() * (0.7 + 0.3 * _smooth_noise(rng, H, W, 4))
        if kind == "table":  # wall + table top with a horizon
            hz = rng.uniform(0.3, 0.7) * H
            bg[int(hz):] = b * (0.8 + 0.2 * _smooth_noise(rng, H - int(hz), W, 6))
        for _ in range(int(rng.integers(3, 15)) if kind == "clutter" else int(rng.integers(0, 5))):
            c = random_colour(rng)
            x0, y0 = rng.uniform(0, W), rng.uniform(0, H)
            rw, rh = rng.uniform(5, W / 3), rng.uniform(5, H / 3)
            if rng.random() < 0.5:
                sel = ((np.mgrid[0:H, 0:W][1] - x0) / rw) ** 2 + ((np.mgrid[0:H, 0:W][0] - y0) / rh) ** 2 < 1
            else:
                sel = (np.abs(np.mgrid[0:H, 0:W][1] - x0) < rw) & (np.abs(np.mgrid[0:H, 0:W][0] - y0) < rh)
            bg[sel] = c * (0.8 + 0.2 * rng.random())
        bg = F.avg_pool2d(torch.from_numpy(bg).permute(2, 0, 1)[None].float(), 3, 1, 1,
                          count_include_pad=False)[0].permute(1, 2, 0).numpy()
    return np.clip(bg, 0, 1)


# ---------------------------------------------------------------------------------------------
# The sample


def surface_voxels(sdf_grid, res=OCC_RES):
    """Voxels of the res^3 grid the surface can pass through: |sdf(centre)| <= half the voxel diagonal.
    Voxel centres are the odd corners of the mesh grid. This is the stage-1 occupancy target (TRELLIS-style
    surface voxels, so every fine cube with a sign change is inside the set; the pack sets pruneInterior
    false)."""
    step = (sdf_grid.shape[0] - 1) // res
    centres = sdf_grid[step // 2::step, step // 2::step, step // 2::step]
    return np.abs(centres) <= 0.5 * math.sqrt(3) / res


def make_sample(seed, image_size=IMAGE_SIZE):
    """Deterministic in `seed`. Retries the pose/camera draw until the object fits inside the photo."""
    rng = np.random.default_rng(seed)
    for _ in range(10):
        family, parts = SH.random_shape(rng)
        try:
            fn = normalise(lambda p: SH.eval_parts(parts, p))
            break
        except ValueError:  # a CSG subtraction can carve the whole shape away: draw another (same rng)
            continue
    else:
        raise RuntimeError(f"seed {seed}: ten empty shapes in a row")
    # The object's pose is drawn once and folded into the shape: the grids are in the view-aligned frame and
    # the layout rotation is VIEW_ROTATION for every sample (DESIGN.md section 2).
    fn = view_aligned(fn, random_pose(rng))
    R = VIEW_ROTATION
    pts = corner_points()
    sdf, mat = eval_banded(fn)
    mats = random_materials(rng)
    col = shade_albedo(mats, mat, pts)
    r1 = MESH_RES + 1
    sdf_grid = sdf.reshape(r1, r1, r1).astype(np.float32)
    col_grid = col.reshape(r1, r1, r1, 3).astype(np.float32)
    occ = surface_voxels(sdf_grid)
    for attempt in range(20):
        cam = random_camera(rng)
        s = float(np.exp(rng.uniform(np.log(0.5), np.log(2.0))))
        frac = rng.uniform(0.3, 0.75)
        z = cam["f"] * s * CANON_EXTENT / (frac * min(cam["W"], cam["H"]))
        slack = (1 - frac) * 0.5
        ux, uy = rng.uniform(-slack, slack) * cam["W"], rng.uniform(-slack, slack) * cam["H"]
        t = np.array([-ux * z / cam["f"], -uy * z / cam["f"], z])
        img, mask = render(sdf_grid, col_grid, R, s, t, cam, rng)
        m = mask
        if m.sum() >= 64 and not (m[0].any() or m[-1].any() or m[:, 0].any() or m[:, -1].any()):
            break
    else:
        raise RuntimeError(f"seed {seed}: no pose keeps the object inside the photo")
    bg = background(rng, cam["H"], cam["W"])
    # contact shadow: darken the background under the object
    sh = torch.from_numpy(np.roll(mask.astype(np.float32), int(rng.integers(1, 6)), 0))[None, None]
    sh = F.avg_pool2d(sh, 9, 1, 4)[0, 0].numpy()
    bg = bg * (1 - rng.uniform(0.2, 0.5) * sh[..., None])
    photo = np.where(mask[..., None], img, bg)
    photo = np.clip(photo + rng.normal(0, rng.uniform(0, 0.02), photo.shape), 0, 1)
    photo_u8 = (photo * 255 + 0.5).astype(np.uint8)
    t_canon = t * np.array([1.0, 1.0, cam["f0"] / cam["f"]])
    return dict(
        family=family, seed=seed, photo=photo_u8, mask=mask.astype(np.uint8),
        sdf=sdf_grid, colour=col_grid, occupancy=occ,
        rotation=R.astype(np.float64), scale=s, translation=t, translation_canon=t_canon,
        fov=cam["fov"], focal=cam["f"], focal0=cam["f0"],
    )


def preprocess(photo_u8, mask, size=IMAGE_SIZE):
    """Exactly the engine's preprocessing (reference 1.4, no depth) via the test-pack reference."""
    from fsam3d_ref.pipeline import preprocess as ref_pre
    rgb = torch.from_numpy(photo_u8.copy()).permute(2, 0, 1).float() / 255.0
    m = torch.from_numpy(mask.astype(np.float32))[None]
    out, box = ref_pre(rgb, m, size, CROP_PAD)
    return {k: v[0].numpy() for k, v in out.items()}, box
