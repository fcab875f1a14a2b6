"""The SVG flame graph (tm_write_flamegraph_svg) rendered by headless Chromium.

//tests/formats:write_flame records a known graph on a fake clock and writes
wall_clock.svg and wall_clock.folded. The independent references are the
folded stacks (a frame's width is its line plus every line below it) and the
scenario's known seconds. Chromium takes a screenshot (must not be blank; the
root frame's painted extent must span the plot) and, on a page embedding the
SVG, reports every frame's rendered box (getBBox), the boxes after a click on
a frame (zoom) and the details line shown on hover.
"""
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import pytest

CHROMIUM = "/usr/bin/chromium"
PLOT_X, PLOT_W = 10.0, 1180.0  # the writer's padding and plot width (px)


def _find(name):
    roots = [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR"),
             os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")]
    for root in filter(None, roots):
        for rel in ("timemory/tests/formats/" + name, "tests/formats/" + name):
            path = os.path.join(root, rel)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    raise RuntimeError(name + " not found in runfiles")


def _chromium(*args):
    profile = tempfile.mkdtemp()
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=True,
            # Under --config=asan/tsan the runtime preloaded for our code
            # (tools/sanitizers) is not for chromium, which breaks under it.
            env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}).stdout.decode("utf-8")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


@pytest.fixture(scope="module")
def files():
    out = tempfile.mkdtemp()
    subprocess.run([_find("write_flame"), out], check=True)
    yield out
    shutil.rmtree(out, ignore_errors=True)


def _folded_widths(path):
    """Frame path -> inclusive weight: its own line plus every line below it."""
    widths = {}
    for line in open(path, encoding="utf-8"):
        stack, weight = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        for depth in range(1, len(frames) + 1):
            key = tuple(frames[:depth])
            widths[key] = widths.get(key, 0) + int(weight)
    return widths


def test_folded_file_matches_the_scenario(files):
    widths = _folded_widths(os.path.join(files, "wall_clock.folded"))
    sec = 10 ** 9
    assert widths == {("main",): 20 * sec, ("main", "solve"): 12 * sec,
                      ("main", "solve", "assemble"): 8 * sec, ("main", "solve", "a\\x3bb <c>"): 2 * sec,
                      ("main", "output"): 5 * sec}


MEASURE = """
<pre id="result"></pre>
<script>
function boxes() {
  var out = {};
  document.querySelectorAll('g.f').forEach(function (g) {
    if (g.style.display === 'none') return;
    var b = g.querySelector('rect').getBBox();
    out[g.getAttribute('data-n')] = {x: b.x, w: b.width, y: b.y};
  });
  return out;
}
var res = {full: boxes()};
var frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));
var solve = frames.filter(function (g) { return g.getAttribute('data-n') === 'solve'; })[0];
solve.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
res.hover = document.getElementById('details').textContent;
solve.dispatchEvent(new MouseEvent('click', {bubbles: true}));
res.zoomed = boxes();
document.getElementById('reset').dispatchEvent(new MouseEvent('click', {bubbles: true}));
res.reset = boxes();
document.getElementById('result').textContent = JSON.stringify(res);
</script>
"""


@pytest.fixture(scope="module")
def rendered(files):
    svg = open(os.path.join(files, "wall_clock.svg"), encoding="utf-8").read()
    svg = svg[svg.index("<svg"):]  # the XML prolog does not belong inside HTML
    page = os.path.join(files, "measure.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><meta charset='utf-8'></head><body style='margin:0'>"
                + svg + MEASURE + "</body></html>")
    dom = _chromium("--dump-dom", "file://" + page)
    start = dom.index('<pre id="result">') + len('<pre id="result">')
    return json.loads(html.unescape(dom[start:dom.index("</pre>", start)]))


def test_frame_widths_match_the_recorded_values(files, rendered):
    widths = _folded_widths(os.path.join(files, "wall_clock.folded"))
    total = widths[("main",)]
    boxes = rendered["full"]
    # the SVG shows labels as they are (the folded file escapes ';' as \x3b)
    assert set(boxes) == {"main", "solve", "assemble", "a;b <c>", "output"}
    for path, weight in widths.items():
        box = boxes[path[-1].replace("\\x3b", ";")]
        assert box["w"] == pytest.approx(PLOT_W * weight / total, abs=0.01), path
    # children sit on their parent, left to right in the order recorded
    assert boxes["solve"]["x"] == pytest.approx(PLOT_X, abs=0.01)
    assert boxes["output"]["x"] == pytest.approx(PLOT_X + PLOT_W * 12 / 20, abs=0.01)
    assert boxes["a;b <c>"]["x"] == pytest.approx(PLOT_X + PLOT_W * 8 / 20, abs=0.01)
    assert boxes["main"]["y"] > boxes["solve"]["y"] > boxes["assemble"]["y"], "root at the bottom"


def test_hover_shows_name_value_and_share(rendered):
    assert rendered["hover"] == "solve (12 sec, 60.00%)"


def test_click_zooms_into_a_frame_and_reset_restores(rendered):
    zoomed = rendered["zoomed"]
    assert "output" not in zoomed, "frames beside the zoomed one are hidden"
    assert zoomed["solve"]["w"] == pytest.approx(PLOT_W, abs=0.01)
    assert zoomed["main"]["w"] == pytest.approx(PLOT_W, abs=0.01), "ancestors span the plot"
    assert zoomed["assemble"]["w"] == pytest.approx(PLOT_W * 8 / 12, abs=0.01)
    assert zoomed["a;b <c>"]["w"] == pytest.approx(PLOT_W * 2 / 12, abs=0.01)
    for name, box in rendered["full"].items():
        assert rendered["reset"][name]["w"] == pytest.approx(box["w"], abs=0.01), name


def test_screenshot_is_not_blank_and_the_root_spans_the_plot(files, rendered):
    shot = os.path.join(files, "shot.png")
    _chromium("--screenshot=" + shot, "--window-size=1200,200",
              "file://" + os.path.join(files, "wall_clock.svg"))
    width, height, rows = _png_pixels(shot)
    assert (width, height) == (1200, 200)
    background = rows[1][1]
    painted = sum(1 for row in rows for px in row if px != background)
    assert painted > 0.05 * width * height, "the flame graph is drawn"
    assert len({px for row in rows for px in row}) > 5, "more than one colour"
    # the root frame's row: painted from the plot's left edge to its right
    main = rendered["full"]["main"]
    y = int(main["y"] + 2)
    xs = [x for x, px in enumerate(rows[y]) if px != background and sum(px) < 3 * 235]
    assert xs, "root frame row is painted"
    assert xs[0] == pytest.approx(PLOT_X, abs=2)
    assert xs[-1] + 1 == pytest.approx(PLOT_X + PLOT_W, abs=2)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
