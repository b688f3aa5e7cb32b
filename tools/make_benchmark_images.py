#!/usr/bin/python3
"""Writes an ImageFolder tree of ImageNet-like JPEGs for the image pipeline benchmark (docs/performance.md).

    /usr/bin/python3 tools/make_benchmark_images.py OUT [classes] [per_class]

OUT/<class>/img_NNNN.jpg, about 500x375 (sizes and orientations vary as ImageNet's do), quality 90: smooth colour
gradients, a few soft-edged shapes and per-pixel noise, so that the JPEGs carry ImageNet-like entropy (about 100 KB
each, not the few KB of a constant colour). Seeded: the same files on every run.
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def image(rng, width, height):
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    channels = []
    for _ in range(3):
        a, b, c = rng.uniform(-1, 1, 3)
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(x / rng.uniform(20, 120) + phase) * np.cos(y / rng.uniform(20, 120))
        channels.append(128 + 60 * (a * x / width + b * y / height) + 40 * c * wave)
    pixels = np.stack(channels, axis=-1)
    picture = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.integers(3, 8)):
        x0, y0 = rng.integers(0, width), rng.integers(0, height)
        x1, y1 = x0 + rng.integers(20, width // 2), y0 + rng.integers(20, height // 2)
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=fill)
    picture = picture.filter(ImageFilter.GaussianBlur(1.5))
    noisy = np.asarray(picture, dtype=np.float32) + rng.normal(0, 12, (height, width, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def main():
    out = sys.argv[1]
    classes = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    per_class = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rng = np.random.default_rng(2026)
    sizes = [(500, 375), (500, 333), (375, 500), (500, 400), (640, 480), (333, 500)]
    for c in range(classes):
        folder = os.path.join(out, f"class{c:02d}")
        os.makedirs(folder, exist_ok=True)
        for i in range(per_class):
            width, height = sizes[rng.integers(len(sizes))]
            image(rng, width, height).save(os.path.join(folder, f"img_{i:04d}.jpg"), quality=90)
    print(f"wrote {classes * per_class} JPEGs under {out}")


if __name__ == "__main__":
    main()
