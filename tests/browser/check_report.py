#!/usr/bin/env python3
"""Open pginit's HTML report in headless Chromium, with no network, and check
that it rendered: the DOM's section cells cover every memmap section at every
snapshot, the page is not blank, and the report loads nothing. The explorer's
interactions are tested by report_test.mjs.

Usage: check_report.py PGINIT CHROMIUM SCENARIO WORKDIR
"""
import json
import os
import re
import struct
import subprocess
import sys
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def png_non_white(path):
    """The share of pixels that are not white, from an RGB(A) 8-bit PNG (stdlib only)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth}/{color}"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    non_white = 0
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the PNG filter of this row
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, channels * 4):  # every 4th pixel is plenty
            if line[x] < 240 or line[x + 1] < 240 or line[x + 2] < 240:
                non_white += 1
        prev = line
    return non_white / (width * height / 4)


def main():
    pginit, chromium, scenario, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    html, js = os.path.join(work, "report.html"), os.path.join(work, "run.json")
    subprocess.run([pginit, "run", "-q", "--report", html, "--json", js, scenario], check=True)
    sections = json.load(open(js))["memory_model"]["memmap_sections"]
    text = open(html).read()
    # Inline scripts only (the explorer): nothing loaded from elsewhere.
    assert " src=" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "") \
        and "https://" not in text, "not self-contained"
    profile = os.path.join(work, "profile")
    dom = subprocess.run([chromium] + FLAGS + [f"--user-data-dir={profile}", "--dump-dom", "file://" + html],
                         check=True, capture_output=True, text=True).stdout
    # Alike neighbouring sections share a cell; data-sections says how many.
    cells = sum(int(n) for n in re.findall(r'class="section" data-sections="(\d+)"', dom))
    # Four snapshots: before memmap_init, after the early phase, after mm_init, at the end.
    assert cells == 4 * sections, f"{cells} section cells in the DOM, expected {4 * sections}"
    assert dom.count('class="violation"') >= 2, "the violation is not marked on the map and listed"
    png = os.path.join(work, "report.png")
    subprocess.run([chromium] + FLAGS + [f"--user-data-dir={profile}", f"--screenshot={png}", "--window-size=1200,1000",
                    "file://" + html], check=True, capture_output=True)
    share = png_non_white(png)
    assert share > 0.02, f"the page looks blank ({share:.3f} of it is not white)"
    print(f"report rendered: {cells} section cells, {share:.2f} of the page drawn")


if __name__ == "__main__":
    main()
