"""Build modules without allocating weights (torch 1.13 has no `with torch.device('meta')`): a
TorchFunctionMode that sends every factory call to the meta device."""
import torch
from torch.overrides import TorchFunctionMode

_FACTORIES = {torch.empty, torch.zeros, torch.ones, torch.randn, torch.rand, torch.arange, torch.full,
              torch.tensor, torch.linspace, torch.eye}


class MetaMode(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in _FACTORIES:
            kwargs["device"] = "meta"
        if func is torch.from_numpy:
            return func(*args, **kwargs).to("meta")
        return func(*args, **kwargs)


def on_meta(fn, *args, **kwargs):
    with MetaMode():
        return fn(*args, **kwargs)
