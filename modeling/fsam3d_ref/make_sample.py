"""Draws resources/samples/test/{photo.png,mask.png}: a 96x72 photo of a shaded orange ball with a
blue base on a gradient background, and its 0/255 mask. The object sits at the left edge so the
x1.2 crop box sticks out left and bottom (zero fill), and its left edge truncates toward zero
(int(-5.5) = -5), giving a 53x54 crop that is padded to a centred square.

    cd modeling && /usr/bin/python3 -m fsam3d_ref.make_sample
"""
import os

import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "resources", "samples", "test")
W, H = 96, 72
BALL = (2, 26, 41, 64)  # PIL ellipse box (x0, y0, x1, y1), inclusive
BASE = (8, 60, 35, 71)


def draw():
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    bg = np.stack([150 + 60 * yy / H, 180 + 30 * xx / W, 210 - 40 * yy / H], axis=-1)  # sky-like gradient
    photo = Image.fromarray(bg.round().clip(0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(photo)
    d.rectangle(BASE, fill=(40, 70, 160))
    # Shaded ball: concentric ellipses shrinking towards an upper-left highlight.
    for i in range(12):
        f = i / 12
        x0 = BALL[0] + f * 10
        y0 = BALL[1] + f * 8
        x1 = BALL[2] - f * 22
        y1 = BALL[3] - f * 24
        d.ellipse((x0, y0, x1, y1), fill=(int(200 + 50 * f), int(90 + 120 * f), int(30 + 150 * f)))
    mask = Image.new("L", (W, H), 0)
    m = ImageDraw.Draw(mask)
    m.ellipse(BALL, fill=255)
    m.rectangle(BASE, fill=255)
    return photo, mask


def main():
    os.makedirs(OUT, exist_ok=True)
    photo, mask = draw()
    photo.save(os.path.join(OUT, "photo.png"), optimize=False)
    mask.save(os.path.join(OUT, "mask.png"), optimize=False)
    print(f"wrote {OUT}/photo.png and mask.png ({W}x{H})")


if __name__ == "__main__":
    main()
