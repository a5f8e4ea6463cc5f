#!/usr/bin/env python3
"""Derive the FlexiCubes dual-marching-cubes tables from first principles.

For each of the 256 corner sign cases (bit j set = corner j has sdf < 0, corners x-fastest) the surface
edges (one endpoint negative) are grouped into the surface patches inside the cube:

* two edges are in the same patch when they are consecutive crossings on a cube face;
* an ambiguous face (two negative corners on one diagonal, two non-negative on the other) always keeps the
  negative corners apart: each negative corner's two crossing edges form a pair. This rule only looks at
  the face, so the two cubes sharing a face always agree and the mesh stays watertight;
* edges inside a group are ascending; groups are ordered by the smallest corner on the cube's minority
  side that they touch (negative side when at most 4 corners are negative, else non-negative side, ties
  broken by the smallest negative corner). Only vertex order depends on this.

A case with exactly one ambiguous face whose crossings all merge into one patch is the C16/C19 family: a
single dual vertex there can give a non-manifold mesh. ``check_table`` marks it with the face's outward
direction and the complementary case (255 - case), whose grouping is the same edge set split the other
way on that face; the extractor switches to it when the neighbouring cube is marked too.

Usage: gen_flexicubes_tables.py [--out engine/geometry/flexicubes/tables.ts] [--compare tables.py]
``--compare`` reads a published tables.py (dmc_table, num_vd_table, check_table) and counts the cases
that differ from the derived ones.
"""
import argparse
import ast
import os
import sys

CORNERS = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 1), (1, 1, 1)]
# Endpoint order matters downstream (alpha/sdf pairing); every parallel edge points the same way.
EDGES = [(0, 1), (1, 5), (4, 5), (0, 4), (2, 3), (3, 7), (6, 7), (2, 6), (2, 0), (3, 1), (7, 5), (6, 4)]


def _faces():
    """(axis, side, corners in cyclic order) for the 6 cube faces."""
    ring = [(0, 0), (1, 0), (1, 1), (0, 1)]
    out = []
    for axis in range(3):
        u, v = [a for a in range(3) if a != axis]
        for side in (0, 1):
            cs = [i for i in range(8) if CORNERS[i][axis] == side]
            cs.sort(key=lambda i: ring.index((CORNERS[i][u], CORNERS[i][v])))
            out.append((axis, side, cs))
    return out


FACES = _faces()


def _edge_of(a, b):
    for k, (p, q) in enumerate(EDGES):
        if {p, q} == {a, b}:
            return k
    raise KeyError((a, b))


def _ambiguous_faces(neg):
    return [f for f, (_, _, cs) in enumerate(FACES)
            if neg[cs[0]] == neg[cs[2]] and neg[cs[1]] == neg[cs[3]] and neg[cs[0]] != neg[cs[1]]]


def surface_groups(case):
    """Surface patches of one case as sorted edge lists, in table order."""
    neg = [(case >> i) & 1 for i in range(8)]
    surf = [k for k, (p, q) in enumerate(EDGES) if neg[p] != neg[q]]
    parent = {k: k for k in surf}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, _, cs in FACES:
        ring = [_edge_of(cs[i], cs[(i + 1) % 4]) for i in range(4)]
        crossing = [e for e in ring if e in parent]
        if len(crossing) == 2:
            parent[find(crossing[0])] = find(crossing[1])
        elif len(crossing) == 4:
            for i in range(4):
                if neg[cs[i]]:  # edges ring[i-1], ring[i] meet at corner cs[i]
                    parent[find(ring[i - 1])] = find(ring[i])
    groups = {}
    for k in surf:
        groups.setdefault(find(k), []).append(k)
    groups = [sorted(g) for g in groups.values()]

    def side_min(g, want_neg):
        return min(p if neg[p] == want_neg else q for p, q in (EDGES[e] for e in g))

    if sum(neg) <= 4:
        groups.sort(key=lambda g: side_min(g, 1))
    else:
        groups.sort(key=lambda g: (side_min(g, 0), side_min(g, 1)))
    return groups


def build_tables():
    dmc, num_vd, check = [], [], []
    for case in range(256):
        groups = surface_groups(case)
        num_vd.append(len(groups))
        rows = [g + [-1] * (7 - len(g)) for g in groups]
        rows += [[-1] * 7] * (4 - len(rows))
        dmc.append(rows)
        neg = [(case >> i) & 1 for i in range(8)]
        amb = _ambiguous_faces(neg)
        if len(amb) == 1 and len(groups) == 1:
            axis, side, _ = FACES[amb[0]]
            d = [0, 0, 0]
            d[axis] = 1 if side else -1
            check.append([1] + d + [255 - case])
        else:
            check.append([0, 0, 0, 0, 0])
    return {"dmc_table": dmc, "num_vd_table": num_vd, "check_table": check, "cube_edges": EDGES,
            "cube_corners": CORNERS}


def _read_public(path):
    """Pull the three list literals out of a published tables.py without running it."""
    tree = ast.parse(open(path).read())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("dmc_table", "num_vd_table", "check_table"):
                out[name] = ast.literal_eval(node.value)
    return out


def compare(tables, path):
    pub = _read_public(path)
    diffs = {}
    for name in ("dmc_table", "num_vd_table", "check_table"):
        diffs[name] = [c for c in range(256) if tables[name][c] != pub[name][c]]
    return diffs


def write_ts(tables, path):
    flat = lambda xs: ", ".join(str(x) for x in xs)  # noqa: E731
    lines = [
        "// Generated by modeling/fsam3d_ref/gen_flexicubes_tables.py; do not edit by hand.",
        "// Dual-marching-cubes tables derived from the corner sign rules described in that script.",
        "// Corners x-fastest: (0,0,0),(1,0,0),(0,1,0),(1,1,0),(0,0,1),(1,0,1),(0,1,1),(1,1,1).",
        "",
        "/** Corner pairs of the 12 cube edges, in table order. */",
        "// prettier-ignore",
        "export const CUBE_EDGES: readonly (readonly [number, number])[] = [",
        "  " + ", ".join(f"[{p}, {q}]" for p, q in tables["cube_edges"]) + ",",
        "];",
        "",
        "/** dmc_table[case*28 + group*7 + k]: edge k of a dual-vertex group, -1 padded (4 groups x 7). */",
        "// prettier-ignore",
        "export const DMC_TABLE = Int8Array.from([",
    ]
    for case in range(256):
        rows = tables["dmc_table"][case]
        lines.append("  " + flat(x for r in rows for x in r) + f", // {case}")
    lines += [
        "]);",
        "",
        "/** Number of dual vertices (surface patches) per case. */",
        "// prettier-ignore",
        "export const NUM_VD_TABLE = Uint8Array.from([",
    ]
    nv = tables["num_vd_table"]
    for i in range(0, 256, 32):
        lines.append("  " + flat(nv[i:i + 32]) + ",")
    lines += [
        "]);",
        "",
        "/** check_table[case*5 + ...]: [flag, dx, dy, dz, replacement case] for the C16/C19 family. */",
        "// prettier-ignore",
        "export const CHECK_TABLE = Int16Array.from([",
    ]
    for case in range(256):
        c = tables["check_table"][case]
        if c[0]:
            lines.append("  " + flat(c) + f", // {case}")
        else:
            lines.append("  " + flat(c) + ",")
    lines += ["]);", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "engine", "geometry", "flexicubes", "tables.ts")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.normpath(default_out))
    ap.add_argument("--compare", help="published tables.py to compare against (read as data)")
    args = ap.parse_args()
    tables = build_tables()
    write_ts(tables, args.out)
    print(f"wrote {args.out}")
    if args.compare:
        diffs = compare(tables, args.compare)
        for name, cases in diffs.items():
            print(f"{name}: {len(cases)} of 256 cases differ" + (f" {cases}" if cases else ""))
        if any(diffs.values()):
            sys.exit(1)


if __name__ == "__main__":
    main()
