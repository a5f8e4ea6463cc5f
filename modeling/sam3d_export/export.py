"""Graph export: one ONNX per stage (opset 17 + com.microsoft MultiHeadAttention), fp16 weights with
fp32 graph I/O, external data above 1.5 GB, manifest with sha256 per file."""
import hashlib
import json
import os
import resource
import tempfile
import time

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

EXTERNAL_ABOVE = 1.5e9


def peak_rss_gb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def round_weights_fp16_(module):
    """Rounds every float parameter/buffer to fp16 precision (kept fp32). Done before export so the
    PyTorch reference and the fp16-weight graph use identical weights."""
    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.is_floating_point():
                t.copy_(t.half().float())


def to_fp16_weights(model, min_elems=16):
    """Stores float32 initializers as float16 + Cast when that is lossless (the weights were rounded
    first; computed tables such as frequencies stay fp32). Graph I/O stays float32."""
    graph = model.graph
    new_init, casts, converted = [], [], 0
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT:
            new_init.append(init)
            continue
        arr = numpy_helper.to_array(init)
        half = arr.astype(np.float16)
        if arr.size < min_elems or not np.array_equal(half.astype(np.float32), arr, equal_nan=True):
            new_init.append(init)
            continue
        h = numpy_helper.from_array(half, init.name + "__fp16")
        new_init.append(h)
        casts.append(helper.make_node("Cast", [h.name], [init.name], to=TensorProto.FLOAT, name=init.name + "__cast"))
        converted += arr.size
    del graph.initializer[:]
    graph.initializer.extend(new_init)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    return converted


def export_stage(module, name, spec, example, out_dir, fp16=True, report=print):
    """Exports `module` as <out_dir>/<name>.onnx; returns the manifest stage entry."""
    inputs, outputs = spec
    assert [n for n, _, _ in inputs] == list(example), (name, list(example))
    dyn = {}
    for n, _, shape in inputs + outputs:
        axes = {i: a for i, a in enumerate(shape) if isinstance(a, str)}
        if axes:
            dyn[n] = axes
    args = tuple(torch.from_numpy(np.ascontiguousarray(v)) for v in example.values())
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.onnx")
        with torch.no_grad():
            torch.onnx.export(module, args, raw, input_names=[n for n, _, _ in inputs],
                              output_names=[n for n, _, _ in outputs], dynamic_axes=dyn, opset_version=17,
                              do_constant_folding=True, custom_opsets={"com.microsoft": 1})
        proto = onnx.load(raw)
    got = [i.name for i in proto.graph.input]
    if got != [n for n, _, _ in inputs]:
        raise RuntimeError(f"{name}: graph inputs {got} differ from the contract")
    converted = to_fp16_weights(proto) if fp16 else 0
    proto.doc_string = f"fsam3d stage {name}"
    fname = f"{name}.onnx"
    path = os.path.join(out_dir, fname)
    size = proto.ByteSize()
    for f in (path, path + ".data"):
        if os.path.exists(f):
            os.remove(f)
    if size > EXTERNAL_ABOVE:
        onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=fname + ".data", size_threshold=1024)
        onnx.checker.check_model(path)
    else:
        onnx.checker.check_model(proto)
        onnx.save_model(proto, path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    total = os.path.getsize(path) + (os.path.getsize(path + ".data") if os.path.exists(path + ".data") else 0)
    report(f"  {fname}: {total / 1e6:.1f} MB ({converted / 1e6:.1f} M fp16 weights), {time.time() - t0:.1f} s, "
           f"peak RSS {peak_rss_gb():.1f} GB")
    return {"file": fname, "sha256": digest, "precision": "fp16-weights" if fp16 and converted else "fp32",
            "inputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in inputs],
            "outputs": [{"name": n, "dtype": dt, "shape": sh} for n, dt, sh in outputs]}


def write_manifest(out_dir, manifest):
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def validate_with_engine(pack_dir, report=print):
    """Final self-check: loads the pack with the engine's own loader (engine/pack/load.ts via tsx)."""
    import subprocess
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    script = os.path.join(os.path.dirname(__file__), "tools", "validate_pack.mjs")
    r = subprocess.run(["node", "--import", "tsx/esm", script, os.path.abspath(pack_dir)], cwd=root,
                       capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    report("  " + out.replace("\n", "\n  "))
    if r.returncode != 0:
        raise RuntimeError(f"engine validation of {pack_dir} failed")
