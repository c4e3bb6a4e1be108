#!/usr/bin/env python3
"""Checks the screenshots and layout probes that html-screenshots.sh made.

For each page it reads <name>.probe.json (element boxes measured by
Chromium) and <name>.check.png (a screenshot tall enough to hold them), and
checks that what must be seen is drawn: the page is not blank, the
checklist and the pipeline graph (or, for a fleet, the funnel and the
repository table) have a size, sit inside the page, and their pixels are
not empty. Standard library only (a small PNG decoder), so CI needs nothing
beyond python3 and chromium.
"""

import json
import struct
import sys
import zlib
from pathlib import Path


def read_png(path):
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError(f"{path}: unsupported PNG (depth {depth}, type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def region_stats(png, box):
    """(colours, share of pixels that are not near-white) inside box."""
    width, height, bpp, rows = png
    x0, y0 = max(0, int(box["x"])), max(0, int(box["y"]))
    x1, y1 = min(width, int(box["x"] + box["width"])), min(height, int(box["y"] + box["height"]))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return 0, 0.0
    colours, inked, total = set(), 0, 0
    for y in range(y0, y1, 2):
        line = rows[y]
        for x in range(x0, x1, 2):
            r, g, b = line[x * bpp], line[x * bpp + 1], line[x * bpp + 2]
            colours.add((r >> 3, g >> 3, b >> 3))
            total += 1
            if r < 235 or g < 235 or b < 235:
                inked += 1
    return len(colours), inked / max(total, 1)


def has_colour(png, box, rgb, tolerance=12):
    width, height, bpp, rows = png
    for y in range(max(0, int(box["y"])), min(height, int(box["y"] + box["height"]))):
        line = rows[y]
        for x in range(max(0, int(box["x"])), min(width, int(box["x"] + box["width"]))):
            if all(abs(line[x * bpp + k] - rgb[k]) <= tolerance for k in range(3)):
                return True
    return False


def main(out):
    failures = []
    pages = sorted(Path(out).glob("*.probe.json"))
    if not pages:
        print("html-check: no probes found", file=sys.stderr)
        return 1
    for probe_file in pages:
        name = probe_file.name[: -len(".probe.json")]
        probe = json.loads(probe_file.read_text())
        png = read_png(Path(out) / f"{name}.check.png")
        fail = lambda msg: failures.append(f"{name}: {msg}")
        colours, ink = region_stats(png, {"x": 0, "y": 0, "width": png[0], "height": png[1]})
        if colours < 8 or ink < 0.01:
            fail(f"the page looks blank ({colours} colours, {ink:.1%} ink)")
        phone_file = Path(out) / f"{name}.phone.json"
        for p in [probe] + ([json.loads(phone_file.read_text())] if phone_file.exists() else []):
            # Only the scrollable boxes (graph, wide tables) may be wider.
            if p["scrollWidth"] > p["innerWidth"] + 1:
                fail(f"the page is wider than a {p['innerWidth']} px window ({p['scrollWidth']} px)")
        wanted = ["checklist", "graph"] if probe["kind"] == "audit" else ["funnel", "repos"]
        for key in wanted:
            box = probe.get(key)
            if not box:
                if key == "graph" and probe.get("graphEmpty"):
                    continue
                fail(f"no {key} on the page")
                continue
            if box["width"] < 200 or box["height"] < 40:
                fail(f"{key} is too small to see: {box}")
                continue
            if box["x"] < 0 or box["x"] + box["width"] > probe["innerWidth"] + 1:
                fail(f"{key} sticks out of the window: {box}")
            colours, ink = region_stats(png, box)
            if colours < 4 or ink < 0.02:
                fail(f"{key} is not drawn ({colours} colours, {ink:.1%} ink in {box})")
        if probe["kind"] == "audit" and probe.get("graph"):
            if probe["nodes"] < 1 or probe["nodesOutside"]:
                fail(f"graph nodes: {probe['nodes']} drawn, {probe['nodesOutside']} outside the drawing")
        if probe["kind"] == "fleet":
            if probe["rows"] < 1:
                fail("the repository table has no rows")
            if probe.get("funnel") and not has_colour(png, probe["funnel"], (0x2D, 0xA4, 0x4E)):
                fail("the funnel has no bar drawn")
        print(f"html-check: {name}: ok" if not any(f.startswith(name + ":") for f in failures) else f"html-check: {name}: FAILED")
    for f in failures:
        print(f"html-check: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/html-screenshots"))
