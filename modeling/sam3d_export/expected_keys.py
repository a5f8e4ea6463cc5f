"""The checkpoint key list (name -> shape), derived independently of our module code.

How it was derived: by reading the official module constructors at facebookresearch/sam-3d-objects
@ cf06676 and writing down, for each registered nn.Parameter / persistent buffer, its attribute path
and shape as a function of the YAML numbers:
  * dit/embedder/embedder_fuser.py (module_list, projection_nets = Sequential(LayerNorm, llama3
    FeedForward w1/w2/w3 without bias), idx_emb (groups + 1, dim));
  * DINOv2 hub ViT (patch_embed.proj, cls_token, pos_embed, register_tokens, mask_token,
    blocks.i.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2, mlp.fc1, mlp.fc2, ls2.gamma}, norm);
  * dit/embedder/pointmap.py (point_proj, invalid_xyz_token, pos_embed, pos_embed_window, cls_token,
    blocks.0 = timm Block without LayerScale);
  * tdfy_dit/models/mot_sparse_structure_flow.py + modules/transformer/modulated.py
    (MOTModulatedTransformerCrossBlock: ModuleDicts per stream) + mm_latent.py (Latent);
  * tdfy_dit/models/structured_latent_flow.py (SparseResBlock3d with spconv `.conv` weights
    (out, 3, 3, 3, in)) + modules/sparse/transformer/modulated.py;
  * tdfy_dit/models/sparse_structure_vae.py (decoder), structured_latent_vae/{base,decoder_mesh,decoder_gs}.py.
Prefixes are those the official loader strips (inference_pipeline.py) plus the module path the YAML
instantiates (generator -> reverse_fn.backbone)."""


def _lin(p, i, o, bias=True):
    d = {p + ".weight": (o, i)}
    if bias:
        d[p + ".bias"] = (o,)
    return d


def _ln(p, c):
    return {p + ".weight": (c,), p + ".bias": (c,)}


def _vit_block(p, c, heads_unused, hidden, ls):
    d = {}
    d.update(_ln(p + ".norm1", c)); d.update(_lin(p + ".attn.qkv", c, 3 * c)); d.update(_lin(p + ".attn.proj", c, c))
    d.update(_ln(p + ".norm2", c)); d.update(_lin(p + ".mlp.fc1", c, hidden)); d.update(_lin(p + ".mlp.fc2", hidden, c))
    if ls:
        d[p + ".ls1.gamma"] = (c,)
        d[p + ".ls2.gamma"] = (c,)
    return d


def fuser_keys(f):
    d = {}
    for i, e in enumerate(f["embedders"]):
        p = f"module_list.{i}"
        if e["kind"] == "dino":
            c, b = e["width"], p + ".backbone"
            d[b + ".patch_embed.proj.weight"] = (c, 3, e["patch"], e["patch"])
            d[b + ".patch_embed.proj.bias"] = (c,)
            d[b + ".cls_token"] = (1, 1, c)
            d[b + ".pos_embed"] = (1, e["pos_tokens"], c)
            if e["registers"]:
                d[b + ".register_tokens"] = (1, e["registers"], c)
            d[b + ".mask_token"] = (1, c)
            for j in range(e["depth"]):
                d.update(_vit_block(f"{b}.blocks.{j}", c, e["heads"], int(c * e["mlp_ratio"]), True))
            d.update(_ln(b + ".norm", c))
        else:
            c, g = e["dim"], e["input_size"] // e["patch"]
            d.update(_lin(p + ".point_proj", 3, c))
            d[p + ".invalid_xyz_token"] = (c,)
            d[p + ".pos_embed"] = (1, c, g, g)
            d[p + ".pos_embed_window"] = (1, 1 + e["patch"] ** 2, c)
            d[p + ".cls_token"] = (1, 1, c)
            d.update(_vit_block(p + ".blocks.0", c, e["heads"], int(c * e["mlp_ratio"]), False))
        c = e["dim"]
        d.update(_ln(f"projection_nets.{i}.0", c))
        d[f"projection_nets.{i}.1.w1.weight"] = (f["hidden"], c)
        d[f"projection_nets.{i}.1.w2.weight"] = (f["dim"], f["hidden"])
        d[f"projection_nets.{i}.1.w3.weight"] = (f["hidden"], c)
    d["idx_emb"] = (f["idx_rows"], f["dim"])
    return d


def _temb(p, w, freq=256):
    d = _lin(p + ".mlp.0", freq, w)
    d.update(_lin(p + ".mlp.2", w, w))
    return d


def _cross(p, w, ctx):
    d = _lin(p + ".to_q", w, w)
    d.update(_lin(p + ".to_kv", ctx, 2 * w)); d.update(_lin(p + ".to_out", w, w))
    return d


def _mlp(p, w, r):
    d = _lin(p + ".mlp.0", w, int(w * r))
    d.update(_lin(p + ".mlp.2", int(w * r), w))
    return d


def ss_flow_keys(a):
    w, hd = a["width"], a["width"] // a["heads"]
    d = _temb("t_embedder", w)
    if a["shortcut"]:
        d.update(_temb("d_embedder", w))
    for i in range(a["depth"]):
        p = f"blocks.{i}"
        d.update(_lin(p + ".adaLN_modulation.1", w, 6 * w))
        for s in a["streams"]:
            d.update(_ln(f"{p}.norm2.{s}", w))
            d.update(_lin(f"{p}.self_attn.to_qkv.{s}", w, 3 * w))
            if a["qk_rms_norm"]:
                d[f"{p}.self_attn.q_rms_norm.{s}.gamma"] = (a["heads"], hd)
                d[f"{p}.self_attn.k_rms_norm.{s}.gamma"] = (a["heads"], hd)
            d.update(_lin(f"{p}.self_attn.to_out.{s}", w, w))
            d.update(_cross(f"{p}.cross_attn.{s}", w, a["cond_dim"]))
            d.update(_mlp(f"{p}.mlp.{s}", w, a["mlp_ratio"]))
    for n, l in a["latents"].items():
        p = f"latent_mapping.{n}"
        d.update(_lin(p + ".input_layer", l["in"], w)); d.update(_lin(p + ".out_layer", w, l["in"]))
        d[p + ".pos_emb"] = (l["tokens"], w)
    return d


def _spconv(p, i, o, k=3):
    return {p + ".conv.weight": (o, k, k, k, i), p + ".conv.bias": (o,)}


def _res(p, i, o, emb):
    d = _ln(p + ".norm1", i)
    d.update(_spconv(p + ".conv1", i, o)); d.update(_spconv(p + ".conv2", o, o))
    d.update(_lin(p + ".emb_layers.1", emb, 2 * o))
    if i != o:
        d.update(_lin(p + ".skip_connection", i, o))
    return d


def slat_flow_keys(a):
    w, io, k, hd = a["width"], a["io"], a["io_blocks"], a["width"] // a["heads"]
    d = _temb("t_embedder", w)
    d.update(_lin("input_layer", a["in"], io))
    for j in range(k - 1):
        d.update(_res(f"input_blocks.{j}", io, io, w))
    d.update(_res(f"input_blocks.{k - 1}", io, w, w))
    for i in range(a["depth"]):
        p = f"blocks.{i}"
        d.update(_lin(p + ".adaLN_modulation.1", w, 6 * w)); d.update(_ln(p + ".norm2", w))
        d.update(_lin(p + ".self_attn.to_qkv", w, 3 * w)); d.update(_lin(p + ".self_attn.to_out", w, w))
        if a["qk_rms_norm"]:
            d[p + ".self_attn.q_rms_norm.gamma"] = (a["heads"], hd)
            d[p + ".self_attn.k_rms_norm.gamma"] = (a["heads"], hd)
        d.update(_cross(p + ".cross_attn", w, a["cond_dim"])); d.update(_mlp(p + ".mlp", w, a["mlp_ratio"]))
    d.update(_res("out_blocks.0", 2 * w, io, w))
    for j in range(1, k):
        d.update(_res(f"out_blocks.{j}", 2 * io, io, w))
    d.update(_lin("out_layer", io, a["out"]))
    return d


def ss_decoder_keys(a):
    ch = a["channels"]

    def conv(p, i, o, k=3):
        return {p + ".weight": (o, i, k, k, k), p + ".bias": (o,)}

    def res(p, c):
        d = _ln(p + ".norm1", c)
        d.update(conv(p + ".conv1", c, c)); d.update(_ln(p + ".norm2", c)); d.update(conv(p + ".conv2", c, c))
        return d
    d = conv("input_layer", a["latent"], ch[0])
    for i in range(a["res_blocks_middle"]):
        d.update(res(f"middle_block.{i}", ch[0]))
    j = 0
    for i, c in enumerate(ch):
        for _ in range(a["res_blocks"]):
            d.update(res(f"blocks.{j}", c)); j += 1
        if i < len(ch) - 1:
            d.update(conv(f"blocks.{j}.conv", c, 8 * ch[i + 1])); j += 1
    d.update(_ln("out_layer.0", ch[-1])); d.update(conv("out_layer.2", ch[-1], a["out"]))
    return d


def _trunk(a):
    w = a["width"]
    d = _lin("input_layer", a["latent"], w)
    for i in range(a["depth"]):
        p = f"blocks.{i}"
        d.update(_lin(p + ".attn.to_qkv", w, 3 * w)); d.update(_lin(p + ".attn.to_out", w, w))
        d.update(_mlp(p + ".mlp", w, a["mlp_ratio"]))
    return d


def mesh_decoder_keys(a):
    d = _trunk(a)
    ch = [a["width"]] + a["sub_channels"]
    for j in range(len(ch) - 1):
        p, i, o = f"upsample.{j}", ch[j], ch[j + 1]
        d.update(_ln(p + ".act_layers.0", i)); d.update(_spconv(p + ".out_layers.0", i, o))
        d.update(_ln(p + ".out_layers.1", o)); d.update(_spconv(p + ".out_layers.3", o, o))
        if i != o:
            d.update(_spconv(p + ".skip_connection", i, o, 1))
    d.update(_lin("out_layer", ch[-1], a["channels"]))
    return d


def gs_decoder_keys(a):
    d = _trunk(a)
    d.update(_lin("out_layer", a["width"], a["channels"]))
    d["offset_perturbation"] = (a["num_gaussians"], 3)
    return d


def expected(arch):
    """stage -> {key (after the KEY_MAP prefix): shape}."""
    out = {"ss_condition": fuser_keys(arch["ss_fuser"]), "ss_denoiser": ss_flow_keys(arch["ss_flow"]),
           "ss_decoder": ss_decoder_keys(arch["ss_decoder"]), "slat_condition": fuser_keys(arch["slat_fuser"]),
           "slat_denoiser": slat_flow_keys(arch["slat_flow"]), "mesh_decoder": mesh_decoder_keys(arch["mesh_decoder"])}
    if arch.get("gs_decoder"):
        out["gs_decoder"] = gs_decoder_keys(arch["gs_decoder"])
    return out
