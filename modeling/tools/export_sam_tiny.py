"""Tiny random-weight SAM encoder/decoder ONNX pair with the standard SAM (v1) ONNX contract.

Writes resources/fixtures/sam-tiny/{sam_tiny_encoder.onnx, sam_tiny_decoder.onnx} and
resources/fixtures/sam-tiny/hwc/{sam_tiny_encoder.onnx, sam_tiny_decoder.onnx} (the encoder in the
samexporter "--use-preprocess" form: HWC 0-255 input, normalisation and padding in the graph).

It checks the engine's plumbing, not segmentation quality:

- encoder `input_image` [1,3,1024,1024] (normalised, zero-padded) -> `image_embeddings` [1,256,64,64]:
  16x16 average pooling, a random 1x1 conv, tanh.
- decoder inputs image_embeddings [1,256,64,64], point_coords [1,N,2], point_labels [1,N],
  mask_input [1,1,256,256], has_mask_input [1], orig_im_size [2] -> masks [1,4,H,W] (logits at the
  original size), iou_predictions [1,4], low_res_masks [1,4,256,256].
  Low-res logits are analytic, in the 1024 frame (coords + 0.5, as SAM's point embedding does):
  mask k = min( max over positive points (R_k^2 - d^2)/R_k , min over negative points (d^2 - 64^2)/64 ) / 64
  with R = (96, 160, 256, 384) (shallow on purpose: thresholding at 0.5 instead of 0 moves the edge by
  16 px of the 1024 frame), plus 0.01*tanh(random 1x1 conv of the embedding) and
  has_mask_input * mask_input. iou_predictions = (0.3, 0.9, 0.6, 0.2) + 0.01*tanh(random linear of the
  mean embedding), so the best mask is k = 1 (R = 160). Padding points (label -1) are ignored.
  Postprocessing as SAM: bilinear to 1024x1024, crop to the resized (long side 1024) size, bilinear to
  orig_im_size.

Run with Debian's python (torch 1.13, onnx):  /usr/bin/python3 modeling/tools/export_sam_tiny.py
Deterministic (torch.manual_seed(0)).
"""

import os

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "resources", "fixtures", "sam-tiny")
SIZE = 1024
RADII = [96.0, 160.0, 256.0, 384.0]
IOU = [0.3, 0.9, 0.6, 0.2]
NEG_RADIUS = 64.0
LOGIT_SCALE = 64.0
PIXEL_MEAN = [123.675, 116.28, 103.53]
PIXEL_STD = [58.395, 57.12, 57.375]


class TinyEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool2d(16)
        self.proj = nn.Conv2d(3, 256, 1)

    def forward(self, input_image):
        return torch.tanh(self.proj(self.pool(input_image)))


class TinyEncoderHWC(nn.Module):
    """samexporter --use-preprocess form: [H, W, 3] float 0-255, long side already 1024."""

    def __init__(self, core):
        super().__init__()
        self.core = core
        self.register_buffer("mean", torch.tensor(PIXEL_MEAN).view(1, 1, 3))
        self.register_buffer("std", torch.tensor(PIXEL_STD).view(1, 1, 3))

    def forward(self, input_image):
        x = (input_image - self.mean) / self.std
        x = x.permute(2, 0, 1).unsqueeze(0)
        h, w = x.shape[-2:]
        x = F.pad(x, (0, SIZE - w, 0, SIZE - h))
        return self.core(x)


class TinyDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb_head = nn.Conv2d(256, 4, 1)
        self.iou_head = nn.Linear(256, 4)
        self.register_buffer("radii", torch.tensor(RADII).view(4, 1, 1, 1))
        self.register_buffer("iou_base", torch.tensor(IOU).view(1, 4))
        self.register_buffer("grid", (torch.arange(256, dtype=torch.float32) + 0.5) * (SIZE / 256))

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size):
        coords = point_coords + 0.5
        px = coords[:, :, 0].reshape(1, -1, 1, 1)
        py = coords[:, :, 1].reshape(1, -1, 1, 1)
        gx = self.grid.view(1, 1, 1, 256)
        gy = self.grid.view(1, 1, 256, 1)
        d2 = (gx - px) ** 2 + (gy - py) ** 2  # [1, N, 256, 256]
        lab = point_labels.reshape(1, -1, 1, 1)
        pos = (lab == 1).to(torch.float32)
        neg = (lab == 0).to(torch.float32)
        pos_term = (self.radii**2 - d2) / self.radii  # [4, N, 256, 256]
        pos_term = (pos_term * pos + (-1e4) * (1 - pos)).max(dim=1).values  # [4, 256, 256]
        neg_term = (d2 - NEG_RADIUS**2) / NEG_RADIUS
        neg_term = (neg_term * neg + 1e4 * (1 - neg)).min(dim=1).values  # [1, 256, 256]
        low = torch.minimum(pos_term, neg_term).unsqueeze(0) / LOGIT_SCALE  # [1, 4, 256, 256]
        emb = F.interpolate(self.emb_head(image_embeddings), size=(256, 256), mode="bilinear", align_corners=False)
        low = low + 0.01 * torch.tanh(emb) + has_mask_input * mask_input
        iou = self.iou_base + 0.01 * torch.tanh(self.iou_head(image_embeddings.mean(dim=(2, 3))))
        masks = F.interpolate(low, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
        scale = SIZE / torch.max(orig_im_size)
        resized = torch.floor(orig_im_size * scale + 0.5).to(torch.int64)
        masks = masks[..., : resized[0], : resized[1]]
        orig = orig_im_size.to(torch.int64)
        masks = F.interpolate(masks, size=(orig[0], orig[1]), mode="bilinear", align_corners=False)
        return masks, iou, low


def export(model, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(
        model,
        args,
        path,
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=17,
        do_constant_folding=True,
    )
    m = onnx.load(path)
    onnx.checker.check_model(m)
    print(f"{os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes")


def main():
    torch.manual_seed(0)
    encoder = TinyEncoder().eval()
    decoder = TinyDecoder().eval()
    hwc = TinyEncoderHWC(encoder).eval()
    dec_args = (
        torch.randn(1, 256, 64, 64),
        torch.tensor([[[300.0, 200.0], [0.0, 0.0]]]),
        torch.tensor([[1.0, -1.0]]),
        torch.zeros(1, 1, 256, 256),
        torch.zeros(1),
        torch.tensor([600.0, 800.0]),
    )
    dec_in = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]
    dec_out = ["masks", "iou_predictions", "low_res_masks"]
    dec_axes = {"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"}}
    with torch.no_grad():
        for sub in ["", "hwc"]:
            d = os.path.join(OUT, sub)
            export(decoder, dec_args, os.path.join(d, "sam_tiny_decoder.onnx"), dec_in, dec_out, dec_axes)
        export(
            encoder,
            (torch.randn(1, 3, SIZE, SIZE),),
            os.path.join(OUT, "sam_tiny_encoder.onnx"),
            ["input_image"],
            ["image_embeddings"],
            None,
        )
        export(
            hwc,
            (torch.rand(768, 1024, 3) * 255,),
            os.path.join(OUT, "hwc", "sam_tiny_encoder.onnx"),
            ["input_image"],
            ["image_embeddings"],
            {"input_image": {0: "image_height", 1: "image_width"}},
        )


if __name__ == "__main__":
    main()
