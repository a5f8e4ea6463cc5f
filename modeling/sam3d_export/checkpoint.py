"""Loading the official state dicts into our modules, strictly.

* `.ckpt` files are Lightning pickles (torch.load with full unpickling). Classes the pickle names but
  this machine lacks (omegaconf, lightning, sam3d_objects ...) are replaced by inert stubs: only tensors
  are needed. A `state_dict` entry is used when present.
* `.safetensors` files are read with a small reader here (F32/F16/BF16/I64/I32/U8/BOOL).
* The key map is stages.KEY_MAP (a prefix per checkpoint and stage). The load refuses (raises
  LoadError listing every offending key) when a checkpoint tensor is claimed by no stage and is not in
  stages.IGNORED, when a module parameter/buffer is not loaded, or when a shape differs.
"""
import json
import os
import pickle
import struct

import torch

from .stages import IGNORED, KEY_MAP


class LoadError(RuntimeError):
    pass


class _Stub:
    def __init__(self, *a, **k):
        pass

    def __setstate__(self, state):
        self.__dict__["_state"] = state

    def __call__(self, *a, **k):
        return _Stub()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Stub,), {"__module__": module})


class _PickleModule:
    Unpickler = _Unpickler
    load = pickle.load
    __name__ = "sam3d_export_pickle"


_ST = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
       "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool, "F64": torch.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        buf = bytearray(data[b:e])
        t = torch.frombuffer(buf, dtype=_ST[info["dtype"]]) if e > b else torch.empty(0, dtype=_ST[info["dtype"]])
        out[name] = t.reshape(info["shape"])
    return out


def read_checkpoint(path):
    if path.endswith(".safetensors"):
        sd = read_safetensors(path)
    else:
        obj = torch.load(path, map_location="cpu", pickle_module=_PickleModule)
        sd = obj.get("state_dict", obj) if isinstance(obj, dict) else obj
    return {k: v for k, v in sd.items() if torch.is_tensor(v)}


def find_file(checkpoint_dir, name):
    for cand in (name, os.path.splitext(name)[0] + ".safetensors", os.path.splitext(name)[0] + ".ckpt"):
        p = os.path.join(checkpoint_dir, cand)
        if os.path.exists(p):
            return p
    raise LoadError(f"{checkpoint_dir}: checkpoint {name} not found")


def assign(stages, sources, report=print, dry=False):
    """sources: file key -> state dict. Copies tensors into the stage modules' `.net` (cast to the
    module's dtype). Raises LoadError on any unused checkpoint tensor, unloaded parameter or shape
    mismatch; returns {stage: number of tensors loaded}."""
    problems, loaded_count = [], {}
    claimed = {k: set() for k in sources}
    for stage, fkey, prefix in KEY_MAP:
        if stage not in stages:
            continue
        if fkey not in sources:
            problems.append(f"{stage}: checkpoint {fkey} missing")
            continue
        sd = sources[fkey]
        target = stages[stage].net.state_dict()
        loaded = 0
        with torch.no_grad():
            for name, dst in target.items():
                key = prefix + name
                if key not in sd:
                    problems.append(f"{stage}: parameter {name} not in {fkey} (expected key {key})")
                    continue
                src = sd[key]
                claimed[fkey].add(key)
                if tuple(src.shape) != tuple(dst.shape):
                    problems.append(f"{stage}: {key} has shape {tuple(src.shape)}, module expects {tuple(dst.shape)}")
                    continue
                if not dry:
                    dst.copy_(src.to(dst.dtype))
                loaded += 1
        loaded_count[stage] = loaded
    for fkey, sd in sources.items():
        if not all(st in stages for st, f, _ in KEY_MAP if f == fkey):
            continue  # a partial load: unused keys are judged on a full (dry) pass
        ignore = IGNORED.get(fkey, [])
        unused = [k for k in sd if k not in claimed[fkey]]
        skipped = [k for k in unused if any(k.startswith(p) for p, _ in ignore)]
        for p, why in ignore:
            n = sum(k.startswith(p) for k in skipped)
            if n:
                report(f"  {fkey}: ignoring {n} tensors under {p!r}: {why}")
        for k in unused:
            if k not in skipped:
                problems.append(f"{fkey}: checkpoint tensor {k} {tuple(sd[k].shape)} is not used by any stage")
    if problems:
        raise LoadError("refusing to write a pack:\n  " + "\n  ".join(problems))
    return loaded_count


def verify_buffers(stages, report=print):
    """Checkpoint buffers we can recompute are checked against their formulas (catches a key map or
    convention error early)."""
    from .decoders import hammersley_perturbation
    from .ops import ape, grid_coords
    ss = stages["ss_denoiser"].net if "ss_denoiser" in stages else None
    for name, lat in (ss.latent_mapping.items() if ss is not None else []):
        if name == ss.shape_name:
            want = ape(grid_coords(ss.a["latents"][name]["res"]), ss.a["width"])
            err = (lat.pos_emb.float() - want).abs().max().item()
            report(f"  latent_mapping.{name}.pos_emb vs sin-cos formula: max abs diff {err:.2e}")
            if err > 1e-2:
                raise LoadError(f"latent_mapping.{name}.pos_emb does not match the sin-cos embedding (diff {err})")
    if "gs_decoder" in stages:
        g = stages["gs_decoder"].net
        want = hammersley_perturbation(g.a["num_gaussians"], g.a["voxel_size"])
        err = (g.offset_perturbation.float() - want).abs().max().item()
        report(f"  offset_perturbation vs hammersley formula: max abs diff {err:.2e}")
        if err > 1e-3:
            raise LoadError(f"offset_perturbation does not match the hammersley formula (diff {err})")
