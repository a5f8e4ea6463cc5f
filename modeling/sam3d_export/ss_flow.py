"""Stage-1 Mixture-of-Transformers flow (reference 1.7). Keys follow the checkpoint after the prefix
`_base_models.generator.reverse_fn.backbone.`: t_embedder, d_embedder, latent_mapping.{name}.*,
blocks.{i}.{adaLN_modulation.1, norm2.{stream}, self_attn.{to_qkv,q_rms_norm,k_rms_norm,to_out}.{stream},
cross_attn.{stream}.*, mlp.{stream}.mlp.*}."""
import torch
import torch.nn as nn

from .ops import CrossAttention, FeedForward, LayerNorm, MultiHeadRMSNorm, TimestepEmbedder, ape, attention, grid_coords

# Official latent names -> our pack's layout / tensor names.
LATENT_TO_PACK = {"6drotation_normalized": "rot6d", "translation": "translation", "scale": "scale",
                  "translation_scale": "translation_scale", "shape": "shape"}


class Latent(nn.Module):
    """input_layer, out_layer, pos_emb (learned Parameter (T, W), or the fixed sin-cos buffer of the
    shape grid, which the checkpoint also stores)."""

    def __init__(self, l, width):
        super().__init__()
        self.input_layer = nn.Linear(l["in"], width)
        self.out_layer = nn.Linear(width, l["in"])
        self.out_norm = LayerNorm(width, 1e-5, affine=False)
        if l["pos"] == "learned":
            self.pos_emb = nn.Parameter(torch.zeros(l["tokens"], width))
        else:
            self.register_buffer("pos_emb", ape(grid_coords(l["res"]), width))

    def to_input(self, x):
        return self.input_layer(x) + self.pos_emb[None].to(x.dtype)

    def to_output(self, h):
        return self.out_layer(self.out_norm(h))


class MoTSelfAttention(nn.Module):
    def __init__(self, width, heads, streams, qk_norm):
        super().__init__()
        self.heads = heads
        self.qk_norm = qk_norm
        self.to_qkv = nn.ModuleDict({s: nn.Linear(width, 3 * width) for s in streams})
        if qk_norm:
            self.q_rms_norm = nn.ModuleDict({s: MultiHeadRMSNorm(width // heads, heads) for s in streams})
            self.k_rms_norm = nn.ModuleDict({s: MultiHeadRMSNorm(width // heads, heads) for s in streams})
        self.to_out = nn.ModuleDict({s: nn.Linear(width, width) for s in streams})

    def qkv(self, s, x):
        b, l, c = x.shape
        qkv = self.to_qkv[s](x).reshape(b, l, 3, self.heads, c // self.heads)
        q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
        if self.qk_norm:
            q, k = self.q_rms_norm[s](q), self.k_rms_norm[s](k)
        return q.reshape(b, l, c), k.reshape(b, l, c), v.reshape(b, l, c)

    def forward(self, xs, protected):
        """MoT routing: each protected stream (shape) attends to itself only; the other streams,
        concatenated in stream order, attend to [others ; protected] keys/values."""
        q, k, v = {}, {}, {}
        for s, x in xs.items():
            q[s], k[s], v[s] = self.qkv(s, x)
        out = {}
        for s in protected:
            out[s] = attention(q[s], k[s], v[s], self.heads)
        others = [s for s in xs if s not in protected]
        if others:
            qo = torch.cat([q[s] for s in others], 1)
            ko = torch.cat([k[s] for s in others] + [k[s] for s in protected], 1)
            vo = torch.cat([v[s] for s in others] + [v[s] for s in protected], 1)
            ho = attention(qo, ko, vo, self.heads)
            start = 0
            for s in others:
                n = xs[s].shape[1]
                out[s] = ho[:, start:start + n]
                start += n
        return {s: self.to_out[s](out[s]) for s in xs}


class MoTBlock(nn.Module):
    def __init__(self, a):
        super().__init__()
        w, streams = a["width"], a["streams"]
        self.norm1 = nn.ModuleDict({s: LayerNorm(w, 1e-6, affine=False) for s in streams})
        self.norm2 = nn.ModuleDict({s: LayerNorm(w, 1e-6, affine=True) for s in streams})
        self.norm3 = nn.ModuleDict({s: LayerNorm(w, 1e-6, affine=False) for s in streams})
        self.self_attn = MoTSelfAttention(w, a["heads"], streams, a["qk_rms_norm"])
        self.cross_attn = nn.ModuleDict({s: CrossAttention(w, a["cond_dim"], a["heads"]) for s in streams})
        self.mlp = nn.ModuleDict({s: FeedForward(w, a["mlp_ratio"]) for s in streams})
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(w, 6 * w))

    def forward(self, xs, temb, cond, protected):
        m = [t.unsqueeze(1) for t in self.adaLN_modulation(temb).chunk(6, dim=-1)]
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = m
        h = {s: self.norm1[s](x) * (1 + scale_msa) + shift_msa for s, x in xs.items()}
        h = self.self_attn(h, protected)
        xs = {s: xs[s] + gate_msa * h[s] for s in xs}
        xs = {s: xs[s] + self.cross_attn[s](self.norm2[s](xs[s]), cond) for s in xs}
        return {s: xs[s] + gate_mlp * self.mlp[s](self.norm3[s](xs[s]) * (1 + scale_mlp) + shift_mlp) for s in xs}


class SSFlow(nn.Module):
    """forward(x_<latent>..., t, [d], cond) in the pack's input order -> v_<latent>... ."""

    def __init__(self, a, shape_name):
        super().__init__()
        self.a = a
        w = a["width"]
        if a["shortcut"]:
            self.d_embedder = TimestepEmbedder(w)
        self.t_embedder = TimestepEmbedder(w)
        self.blocks = nn.ModuleList([MoTBlock(a) for _ in range(a["depth"])])
        self.latent_mapping = nn.ModuleDict({n: Latent(l, w) for n, l in a["latents"].items()})
        self.shape_name = shape_name
        # Pack order: shape, then the layout latents in shared-stream order.
        self.layout = [n for v in a["share"].values() for n in v]
        self.order = [shape_name] + self.layout
        self.protected = [s for s in a["streams"] if s == shape_name]

    def forward(self, *args):
        n = len(self.order)
        lat = dict(zip(self.order, args[:n]))
        t = args[n]
        d = args[n + 1] if self.a["shortcut"] else None
        cond = args[-1]
        temb = self.t_embedder(t)
        if d is not None:
            temb = temb + self.d_embedder(d)
        h = {k: self.latent_mapping[k].to_input(v) for k, v in lat.items()}
        xs = {}
        for s in self.a["streams"]:
            xs[s] = torch.cat([h[k] for k in self.a["share"][s]], 1) if s in self.a["share"] else h[s]
        for blk in self.blocks:
            xs = blk(xs, temb, cond, self.protected)
        out = {}
        for s, x in xs.items():
            if s in self.a["share"]:
                start = 0
                for k in self.a["share"][s]:
                    tl = self.a["latents"][k]["tokens"]
                    out[k] = x[:, start:start + tl]
                    start += tl
            else:
                out[s] = x
        return tuple(self.latent_mapping[k].to_output(out[k]) for k in self.order)
