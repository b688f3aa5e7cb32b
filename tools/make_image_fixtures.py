"""Writes the small image files that SkiaSharp cannot encode, for tests/NfmGen.Tests/Data/Images/Fixtures/.

Run once with Debian's python3-pil (/usr/bin/python3 tools/make_image_fixtures.py); the files are committed and the
tests never need Python. Each image is 12x8 (width x height): the left half red (255, 0, 0), the right half blue
(0, 0, 255), except a green (0, 255, 0) 2x2 block at the top-left corner, so orientation and colour can be checked.
"""
import os
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "NfmGen.Tests", "Data", "Images", "Fixtures")


def picture():
    image = Image.new("RGB", (12, 8))
    for y in range(8):
        for x in range(12):
            image.putpixel((x, y), (0, 255, 0) if x < 2 and y < 2 else ((255, 0, 0) if x < 6 else (0, 0, 255)))
    return image


def main():
    os.makedirs(OUT, exist_ok=True)
    rgb = picture()
    rgb.convert("CMYK").save(os.path.join(OUT, "cmyk.jpg"), quality=100)
    rgb.convert("P", palette=Image.ADAPTIVE, colors=4).save(os.path.join(OUT, "palette.png"))
    rgba = rgb.convert("RGBA")
    rgba.putalpha(0)  # fully transparent: the colours must survive, as PIL's convert("RGB") keeps them
    rgba.save(os.path.join(OUT, "transparent.png"))
    # 16-bit grey: value 65535 * 0.5 (grey 128 at 8 bits) on the left half, 65535 on the right.
    grey16 = Image.new("I;16", (12, 8))
    for y in range(8):
        for x in range(12):
            grey16.putpixel((x, y), 32896 if x < 6 else 65535)
    grey16.save(os.path.join(OUT, "grey16.png"))
    # Stored rotated 90 degrees counter-clockwise with EXIF orientation 6 (rotate 90 clockwise to view):
    # upright it is the 12x8 picture again.
    stored = rgb.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(os.path.join(OUT, "exif-orientation-6.jpg"), quality=100, exif=exif.tobytes())


if __name__ == "__main__":
    main()
