# Imports each GLB given after `--` into an empty Blender scene with the stock glTF importer and prints one
# line `FSAM3D_JSON {...}`: per file, the mesh object's world-space bounding box and dimensions (Blender is
# +Z up, metres), its colour attributes, the colour of its highest and lowest vertex, the colour spread,
# and whether the imported material feeds the vertex colours to the shader.
#   blender -b --factory-startup --python e2e/blender_inspect.py -- a.glb b.glb
import json
import sys

import bpy


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for mesh in list(bpy.data.meshes):
        bpy.data.meshes.remove(mesh)
    for mat in list(bpy.data.materials):
        bpy.data.materials.remove(mat)


def vertex_colors(mesh, attr):
    """RGBA per vertex (corner colours averaged onto their vertex)."""
    n = len(mesh.vertices)
    if attr.domain == 'POINT':
        return [tuple(attr.data[i].color) for i in range(n)]
    acc = [[0.0, 0.0, 0.0, 0.0, 0] for _ in range(n)]
    for loop in mesh.loops:
        c = attr.data[loop.index].color
        a = acc[loop.vertex_index]
        for k in range(4):
            a[k] += c[k]
        a[4] += 1
    return [tuple(a[k] / a[4] for k in range(4)) if a[4] else (0.0, 0.0, 0.0, 0.0) for a in acc]


def import_gltf(path):
    """The stock importer with its default options. Debian 12 pairs Blender 3.4.1 with numpy 1.24, which
    removed `np.bool`; the 3.4 importer's default shading mode ('NORMALS') still uses it, so every import
    fails there (KhronosGroup/glTF-Blender-IO#1844, fixed in Blender 3.5). Then restore the alias the
    importer expects (numpy's own `bool` behaviour, unchanged) and import again; the result says so."""
    try:
        bpy.ops.import_scene.gltf(filepath=path)
        return False
    except (AttributeError, RuntimeError) as err:
        if 'bool' not in str(err):
            raise
    import numpy as np

    np.bool = bool
    clear_scene()
    bpy.ops.import_scene.gltf(filepath=path)
    return True


def inspect(path):
    clear_scene()
    shim = import_gltf(path)
    objs = [o for o in bpy.context.scene.objects if o.type == 'MESH']
    out = {'file': path, 'mesh_objects': len(objs), 'numpy_bool_shim': shim}
    if not objs:
        return out
    obj = objs[0]
    mesh = obj.data
    mw = obj.matrix_world
    pts = [mw @ v.co for v in mesh.vertices]
    out['vertices'] = len(pts)
    out['bbox_min'] = [min(p[i] for p in pts) for i in range(3)]
    out['bbox_max'] = [max(p[i] for p in pts) for i in range(3)]
    out['dimensions'] = list(obj.dimensions)
    attrs = list(getattr(mesh, 'color_attributes', []))
    out['color_attributes'] = [
        {'name': a.name, 'domain': a.domain, 'data_type': a.data_type} for a in attrs
    ]
    out['vertex_colors_legacy'] = [vc.name for vc in getattr(mesh, 'vertex_colors', [])]
    if attrs:
        cols = vertex_colors(mesh, attrs[0])
        top = max(range(len(pts)), key=lambda i: pts[i].z)
        bottom = min(range(len(pts)), key=lambda i: pts[i].z)
        out['top_color'] = list(cols[top])
        out['bottom_color'] = list(cols[bottom])
        out['color_spread'] = [max(c[k] for c in cols) - min(c[k] for c in cols) for k in range(3)]
    out['material_uses_vertex_color'] = any(
        node.type == 'VERTEX_COLOR'
        for mat in mesh.materials
        if mat is not None and mat.use_nodes
        for node in mat.node_tree.nodes
    )
    return out


files = sys.argv[sys.argv.index('--') + 1:] if '--' in sys.argv else []
result = {'blender': bpy.app.version_string, 'files': [inspect(f) for f in files]}
print('FSAM3D_JSON ' + json.dumps(result))
