"""Procedural solids as signed-distance-like functions (numpy, vectorised over (P,3) points).

Every shape is a list of parts; a part is (sdf_fn, material_index). The solid is the union (min) of the
parts, and the colour of a point is the material of the part nearest to it. Distances are exact for
primitives and Lipschitz-bounded (<= 1) approximations for superquadrics, lathes, smooth unions and CSG, which
is all the grid ground truth and the sphere tracer need. Shapes are built z-up in a loose [-1, 1]^3 box and
normalised to the canonical [-0.5, 0.5]^3 frame afterwards (sample.normalise_parts).
"""
import numpy as np


def _len(v):
    return np.sqrt((v * v).sum(-1))


# ---------------------------------------------------------------------------------------------
# Primitives (centred at the origin, z-up). p: (P,3).

def sphere(r):
    return lambda p: _len(p) - r


def box(half, round_=0.0):
    half = np.asarray(half, np.float64) - round_

    def f(p):
        q = np.abs(p) - half
        return _len(np.maximum(q, 0)) + np.minimum(q.max(-1), 0) - round_
    return f


def cylinder(r, h, round_=0.0):
    """Axis z, radius r, half height h."""
    def f(p):
        d = np.stack([np.sqrt(p[:, 0] ** 2 + p[:, 1] ** 2) - r + round_, np.abs(p[:, 2]) - h + round_], -1)
        return np.minimum(d.max(-1), 0) + _len(np.maximum(d, 0)) - round_
    return f


def capsule(a, b, r):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)

    def f(p):
        pa, ba = p - a, b - a
        h = np.clip((pa @ ba) / (ba @ ba), 0, 1)
        return _len(pa - h[:, None] * ba) - r
    return f


def torus(R, r):
    def f(p):
        q = np.stack([np.sqrt(p[:, 0] ** 2 + p[:, 1] ** 2) - R, p[:, 2]], -1)
        return _len(q) - r
    return f


def cone(r0, r1, h):
    """Capped cone along z from -h (radius r0) to +h (radius r1): a lathe of a straight profile."""
    return lathe(np.array([[r0, -h], [r1, h]]))


def ellipsoid(radii):
    radii = np.asarray(radii, np.float64)

    def f(p):  # bound-preserving approximation (iq)
        k0 = _len(p / radii)
        k1 = _len(p / (radii * radii))
        return k0 * (k0 - 1.0) / np.maximum(k1, 1e-9)
    return f


def superquadric(radii, e1, e2):
    """Barr superquadric, exponents e1 (z) and e2 (xy); d ~ |p|(1 - F^(-e1/2)), scaled to stay Lipschitz."""
    radii = np.asarray(radii, np.float64)

    def f(p):
        q = np.abs(p) / radii + 1e-9
        fxy = (q[:, 0] ** (2 / e2) + q[:, 1] ** (2 / e2)) ** (e2 / e1)
        F = fxy + q[:, 2] ** (2 / e1)
        r = _len(p)
        return 0.8 * r * (1 - F ** (-e1 / 2))
    return f


def _segment_dist(q, a, b):
    """Distance from 2D points q (P,2) to segment a-b."""
    pa, ba = q - a, b - a
    h = np.clip((pa @ ba) / max(ba @ ba, 1e-12), 0, 1)
    return _len(pa - h[:, None] * ba)


def polygon_sdf(q, poly):
    """Signed distance of 2D points q (P,2) to a closed polygon (V,2) (negative inside)."""
    d = np.full(len(q), np.inf)
    inside = np.zeros(len(q), bool)
    n = len(poly)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        d = np.minimum(d, _segment_dist(q, a, b))
        cond = (a[1] > q[:, 1]) != (b[1] > q[:, 1])
        xint = (b[0] - a[0]) * (q[:, 1] - a[1]) / np.where(b[1] - a[1] == 0, 1e-12, b[1] - a[1]) + a[0]
        inside ^= cond & (q[:, 0] < xint)
    return np.where(inside, -d, d)


def lathe(profile):
    """Solid of revolution about z of the region between the z axis and the profile (radius, z) polyline
    (ordered bottom to top)."""
    profile = np.asarray(profile, np.float64)
    poly = np.concatenate([[[0.0, profile[0, 1]]], profile, [[0.0, profile[-1, 1]]]])

    def f(p):
        q = np.stack([np.sqrt(p[:, 0] ** 2 + p[:, 1] ** 2), p[:, 2]], -1)
        return polygon_sdf(q, poly)
    return f


def extrusion(poly, h, axis=2):
    """Prism: 2D polygon (in the plane orthogonal to `axis`) extruded to half height h."""
    poly = np.asarray(poly, np.float64)
    other = [a for a in range(3) if a != axis]

    def f(p):
        d2 = polygon_sdf(p[:, other], poly)
        w = np.stack([d2, np.abs(p[:, axis]) - h], -1)
        return np.minimum(w.max(-1), 0) + _len(np.maximum(w, 0))
    return f


# ---------------------------------------------------------------------------------------------
# Transforms and CSG

def transform(f, R=None, t=(0, 0, 0), s=1.0):
    """Place f: world point p -> local (p - t) R / s (R row-major, columns = local axes in world)."""
    t = np.asarray(t, np.float64)
    R = np.eye(3) if R is None else np.asarray(R, np.float64)
    return lambda p: f(((p - t) @ R) / s) * s


def rot(axis, angle):
    c, s = np.cos(angle), np.sin(angle)
    if axis == 0:
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == 1:
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def random_rotation(rng):
    q = rng.standard_normal(4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def subtract(a, b):
    return lambda p: np.maximum(a(p), -b(p))


def intersect(a, b):
    return lambda p: np.maximum(a(p), b(p))


def smooth_union(a, b, k):
    def f(p):
        da, db = a(p), b(p)
        h = np.clip(0.5 + 0.5 * (db - da) / k, 0, 1)
        return db * (1 - h) + da * h - k * h * (1 - h)
    return f


def shell(f, thickness):
    return lambda p: np.abs(f(p)) - thickness


# ---------------------------------------------------------------------------------------------
# Shape families. Each returns (name, parts) with parts = [(sdf, material)], materials 0..3.

def _u(rng, a, b):
    return float(rng.uniform(a, b))


def fam_primitive(rng):
    k = rng.integers(7)
    if k == 0:
        f = sphere(0.6)
    elif k == 1:
        f = box(rng.uniform(0.2, 0.7, 3), round_=_u(rng, 0, 0.1))
    elif k == 2:
        f = cylinder(_u(rng, 0.2, 0.6), _u(rng, 0.2, 0.7), round_=_u(rng, 0, 0.08))
    elif k == 3:
        f = torus(_u(rng, 0.35, 0.55), _u(rng, 0.08, 0.25))
    elif k == 4:
        f = cone(_u(rng, 0.3, 0.7), _u(rng, 0.0, 0.3), _u(rng, 0.3, 0.7))
    elif k == 5:
        f = capsule((0, 0, -_u(rng, 0.2, 0.5)), (0, 0, _u(rng, 0.2, 0.5)), _u(rng, 0.15, 0.4))
    else:
        f = ellipsoid(rng.uniform(0.25, 0.7, 3))
    if rng.random() < 0.5:
        f = transform(f, R=random_rotation(rng))
    return "primitive", [(f, 0)]


def fam_superquadric(rng):
    f = superquadric(rng.uniform(0.3, 0.7, 3), _u(rng, 0.25, 2.0), _u(rng, 0.25, 2.0))
    if rng.random() < 0.4:
        f = transform(f, R=random_rotation(rng))
    return "superquadric", [(f, 0)]


def _profile(rng, n):
    z = np.linspace(-_u(rng, 0.5, 0.8), _u(rng, 0.5, 0.8), n)
    r = np.abs(np.cumsum(rng.normal(0, 0.12, n)) + _u(rng, 0.2, 0.45))
    r = np.clip(r, 0.05, 0.7)
    return np.stack([r, z], -1)


def fam_lathe(rng):
    return "lathe", [(lathe(_profile(rng, int(rng.integers(3, 8)))), 0)]


def _star(rng):
    n = int(rng.integers(3, 8))
    ang = np.sort(rng.uniform(0, 2 * np.pi, n)) if rng.random() < 0.3 else np.linspace(0, 2 * np.pi, n, endpoint=False)
    if rng.random() < 0.5:  # star
        n2 = np.repeat(ang, 2)
        n2[1::2] += np.pi / n
        rad = np.tile([_u(rng, 0.5, 0.7), _u(rng, 0.2, 0.45)], n)
        ang = n2
    else:
        rad = rng.uniform(0.4, 0.7, n)
    return np.stack([rad * np.cos(ang), rad * np.sin(ang)], -1)


def fam_extrusion(rng):
    f = extrusion(_star(rng), _u(rng, 0.08, 0.4), axis=int(rng.integers(3)))
    return "extrusion", [(f, 0)]


def fam_csg(rng):
    parts = [fam_primitive(rng)[1][0][0] for _ in range(int(rng.integers(2, 4)))]
    offs = rng.uniform(-0.3, 0.3, (len(parts), 3))
    fs = [transform(f, t=o, s=_u(rng, 0.6, 0.9)) for f, o in zip(parts, offs)]
    mode = rng.integers(3)
    if mode == 0:  # union with colours per part
        return "csg-union", [(f, i % 4) for i, f in enumerate(fs)]
    if mode == 1:
        f = fs[0]
        for g in fs[1:]:
            f = smooth_union(f, g, _u(rng, 0.05, 0.2))
        return "csg-smooth", [(f, 0)]
    f = fs[0]
    cut = transform(fam_primitive(rng)[1][0][0], t=rng.uniform(-0.5, 0.5, 3), s=_u(rng, 0.4, 0.7))
    return "csg-subtract", [(subtract(f, cut), 0)] + [(g, 1) for g in fs[1:2]]


def fam_mug(rng):
    r, h = _u(rng, 0.3, 0.5), _u(rng, 0.35, 0.6)
    wall = _u(rng, 0.03, 0.07)
    body = subtract(cylinder(r, h, 0.02), transform(cylinder(r - wall, h, 0.0), t=(0, 0, wall * 2)))
    handle = transform(torus(_u(rng, 0.15, 0.25), _u(rng, 0.03, 0.06)), R=rot(0, np.pi / 2), t=(r + 0.05, 0, 0))
    handle = subtract(handle, cylinder(r - 0.01, h, 0.0))
    return "mug", [(body, 0), (handle, 1 if rng.random() < 0.3 else 0)]


def fam_bottle(rng):
    rb, h = _u(rng, 0.2, 0.35), _u(rng, 0.5, 0.8)
    neck = _u(rng, 0.06, 0.12)
    prof = [[rb * 0.9, -h], [rb, -h + 0.05], [rb, _u(rng, 0.0, 0.3)], [neck, h - 0.25], [neck, h - 0.05]]
    body = lathe(np.array(prof))
    cap = transform(cylinder(neck + 0.02, 0.06, 0.01), t=(0, 0, h - 0.04))
    return "bottle", [(body, 0), (cap, 1)]


def fam_lamp(rng):
    h = _u(rng, 0.5, 0.8)
    base = transform(cylinder(_u(rng, 0.2, 0.35), 0.05, 0.02), t=(0, 0, -h))
    pole = capsule((0, 0, -h), (0, 0, h * 0.5), _u(rng, 0.025, 0.05))
    shade = transform(shell(cone(_u(rng, 0.3, 0.45), _u(rng, 0.12, 0.25), 0.2), 0.02), t=(0, 0, h * 0.5 + 0.1))
    return "lamp", [(base, 0), (pole, 0), (shade, 1)]


def fam_chair(rng):
    w, d = _u(rng, 0.35, 0.5), _u(rng, 0.35, 0.5)
    seat_z = _u(rng, -0.1, 0.1)
    leg = _u(rng, 0.025, 0.05)
    parts = [(transform(box((w, d, 0.04), 0.01), t=(0, 0, seat_z)), 0)]
    for sx in (-1, 1):
        for sy in (-1, 1):
            parts.append((transform(box((leg, leg, (seat_z + 0.7) / 2)),
                                    t=(sx * (w - leg), sy * (d - leg), (seat_z - 0.7) / 2)), 1))
    back_h = _u(rng, 0.3, 0.6)
    parts.append((transform(box((w, 0.03, back_h / 2), 0.01), t=(0, d - 0.03, seat_z + back_h / 2)), 0))
    return "chair", parts


def fam_table(rng):
    w, d = _u(rng, 0.5, 0.8), _u(rng, 0.3, 0.6)
    top = transform(box((w, d, 0.04), 0.01), t=(0, 0, 0.3))
    parts = [(top, 0)]
    if rng.random() < 0.5:
        parts.append((capsule((0, 0, -0.4), (0, 0, 0.3), 0.06), 1))
        parts.append((transform(cylinder(0.3, 0.03), t=(0, 0, -0.4)), 1))
    else:
        for sx in (-1, 1):
            for sy in (-1, 1):
                parts.append((transform(box((0.04, 0.04, 0.35)), t=(sx * (w - 0.06), sy * (d - 0.06), -0.05)), 1))
    return "table", parts


def fam_animal(rng):
    """Toy quadruped: ellipsoid body, head, ears/snout, four legs, tail."""
    bl, bh = _u(rng, 0.35, 0.55), _u(rng, 0.15, 0.25)
    body = ellipsoid((bl, bh * _u(rng, 0.9, 1.2), bh))
    leg_len = _u(rng, 0.15, 0.35)
    parts = [(body, 0)]
    for sx in (-1, 1):
        for sy in (-1, 1):
            x, y = sx * bl * 0.6, sy * bh * 0.6
            parts.append((capsule((x, y, -bh * 0.3), (x, y, -bh - leg_len), _u(rng, 0.04, 0.07)), 0))
    hr = _u(rng, 0.1, 0.18)
    hx, hz = bl + hr * 0.6, bh * _u(rng, 0.6, 1.3)
    parts.append((transform(sphere(hr), t=(hx, 0, hz)), 1 if rng.random() < 0.3 else 0))
    parts.append((transform(ellipsoid((hr * 0.6, hr * 0.4, hr * 0.35)), t=(hx + hr * 0.8, 0, hz - hr * 0.2)), 2))
    for sy in (-1, 1):
        parts.append((transform(cone(hr * 0.35, 0.0, hr * 0.4), t=(hx - hr * 0.2, sy * hr * 0.6, hz + hr * 0.9)), 0))
    parts.append((capsule((-bl, 0, bh * 0.2), (-bl - _u(rng, 0.1, 0.3), 0, bh * _u(rng, 0.3, 1.0)), 0.03), 0))
    return "animal", parts


def fam_snowman(rng):
    r0 = _u(rng, 0.3, 0.4)
    r1, r2 = r0 * _u(rng, 0.6, 0.8), r0 * _u(rng, 0.4, 0.55)
    z0 = -0.6 + r0
    z1 = z0 + r0 + r1 * 0.7
    z2 = z1 + r1 + r2 * 0.7
    return "snowman", [(transform(sphere(r0), t=(0, 0, z0)), 0), (transform(sphere(r1), t=(0, 0, z1)), 0),
                       (transform(sphere(r2), t=(0, 0, z2)), 1)]


def fam_house(rng):
    w, d, h = _u(rng, 0.3, 0.6), _u(rng, 0.3, 0.5), _u(rng, 0.2, 0.4)
    walls = transform(box((w, d, h)), t=(0, 0, -0.2))
    roof = extrusion(np.array([[-w - 0.05, 0], [w + 0.05, 0], [0, _u(rng, 0.2, 0.45)]]), d + 0.05, axis=1)
    roof = transform(roof, t=(0, 0, h - 0.2))
    parts = [(walls, 0), (roof, 1)]
    if rng.random() < 0.5:
        parts.append((transform(box((0.06, 0.06, 0.15)), t=(w * 0.5, 0, h + 0.05)), 2))
    return "house", parts


def fam_mushroom(rng):
    stem = capsule((0, 0, -0.5), (0, 0, 0.1), _u(rng, 0.08, 0.15))
    cap = intersect(ellipsoid((_u(rng, 0.3, 0.5),) * 2 + (_u(rng, 0.2, 0.35),)), box((1, 1, 1)))
    cap = transform(subtract(cap, transform(box((1, 1, 1)), t=(0, 0, -1.0))), t=(0, 0, 0.05))
    return "mushroom", [(stem, 0), (cap, 1)]


FAMILIES = [fam_primitive, fam_superquadric, fam_lathe, fam_extrusion, fam_csg, fam_mug, fam_bottle, fam_lamp,
            fam_chair, fam_table, fam_animal, fam_snowman, fam_house, fam_mushroom]
FAMILY_WEIGHTS = np.array([1.0, 1.0, 1.0, 0.8, 1.2, 1.0, 0.8, 0.7, 1.0, 0.7, 1.2, 0.5, 0.6, 0.5])


def random_shape(rng):
    i = rng.choice(len(FAMILIES), p=FAMILY_WEIGHTS / FAMILY_WEIGHTS.sum())
    return FAMILIES[i](rng)


def eval_parts(parts, p):
    """(sdf (P,), material index (P,)) of the union."""
    ds = np.stack([f(p) for f, _ in parts], 0)
    j = ds.argmin(0)
    mats = np.array([m for _, m in parts])[j]
    return ds.min(0), mats
