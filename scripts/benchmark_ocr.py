"""OCR speed on this machine: an image-only PDF of N A4 pages (200 dpi, printed and slightly blurred like a
scan) read by the app's extractor, against RapidOCR called directly on the same page images.

    .venv/bin/python scripts/benchmark_ocr.py --pages 10
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PARAGRAPH = ("The harbour authority approved the new eastern breakwater in March 2019. It was designed by the firm "
             "Lindqvist & Abara and cost 48.5 million euros. Construction began in 2020 and the structure opened to "
             "shipping on 14 June 2023. The breakwater is 1,240 metres long and protects 36 berths. ")


def scan_page(number: int):
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.load_default(size=34)
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    y = 150
    for line in textwrap.wrap(f"Page {number}. " + PARAGRAPH * 6, 70):
        draw.text((150, y), line, font=font, fill=0)
        y += 52
    return image.rotate(0.6, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    import numpy as np
    from rapidocr import RapidOCR

    from desktop_app.core.extract import extract

    pages = [scan_page(n) for n in range(1, args.pages + 1)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.pdf"
        buffer = io.BytesIO()
        pages[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=pages[1:])
        path.write_bytes(buffer.getvalue())
        engine = RapidOCR(params={"Global.log_level": "error"})
        engine(np.asarray(pages[0].convert("RGB")))  # load and warm both
        extract(path, ocr=True)
        began = time.perf_counter()
        for page in pages:
            engine(np.asarray(page.convert("RGB")))
        raw = time.perf_counter() - began
        began = time.perf_counter()
        document = extract(path)
        app = time.perf_counter() - began
    from collections import Counter

    printed = [Counter(f"Page {n}. {PARAGRAPH * 6}".split()) for n in range(1, args.pages + 1)]
    read = [Counter(p.text.split()) for p in document.pages]
    found = sum(sum((want & got).values()) for want, got in zip(printed, read))
    total = sum(sum(want.values()) for want in printed)
    print(f"{args.pages} scanned A4 pages: {found} of {total} printed words read exactly ({found / total:.1%})")
    print(f"RapidOCR on the page images: {raw:.1f} s, {args.pages / raw:.2f} pages/s")
    print(f"app (PDF render at 200 dpi + OCR + reading order): {app:.1f} s, {args.pages / app:.2f} pages/s, "
          f"{app / raw:.2f}x the raw engine")


if __name__ == "__main__":
    main()
