#!/usr/bin/env python3
"""Renders a terminal capture (text with ANSI SGR sequences, as printed by
`tmux capture-pane -e -p`) to a PNG, cell by cell, with a monospace font.
Used by scripts/screenshots.sh. Needs pyte and Pillow (the script installs them)."""
import sys

import pyte
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
# A font with CJK glyphs for names like 田中 (the script installs one).
WIDE_FONT = next((p for p in (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
) if __import__("os").path.exists(p)), None)

# xterm's default palette, so the image looks like a dark terminal.
NAMED = {
    "black": (0, 0, 0), "red": (205, 49, 49), "green": (13, 188, 121), "brown": (229, 229, 16),
    "yellow": (229, 229, 16), "blue": (36, 114, 200), "magenta": (188, 63, 188), "cyan": (17, 168, 205),
    "white": (229, 229, 229), "brightblack": (102, 102, 102), "brightred": (241, 76, 76),
    "brightgreen": (35, 209, 139), "brightyellow": (245, 245, 67), "brightblue": (59, 142, 234),
    "brightmagenta": (214, 112, 214), "brightcyan": (41, 184, 219), "brightwhite": (255, 255, 255),
}
DEFAULT_FG = (204, 204, 204)
DEFAULT_BG = (24, 24, 27)


def color(c, default):
    if c == "default":
        return default
    if c in NAMED:
        return NAMED[c]
    if isinstance(c, str) and len(c) == 6:
        try:
            return tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return default
    return default


# Box-drawing characters are drawn as lines so borders join up whatever the
# font's line height: (left, right, up, down) arms of each character.
BOX = {
    "─": (1, 1, 0, 0), "│": (0, 0, 1, 1), "┌": (0, 1, 0, 1), "┐": (1, 0, 0, 1),
    "└": (0, 1, 1, 0), "┘": (1, 0, 1, 0), "├": (0, 1, 1, 1), "┤": (1, 0, 1, 1),
    "┬": (1, 1, 0, 1), "┴": (1, 1, 1, 0), "┼": (1, 1, 1, 1),
}


def draw_box(d, arms, px, py, cw, ch, fg):
    cx, cy = px + cw / 2, py + ch / 2
    left, right, up, down = arms
    if left:
        d.line([px, cy, cx, cy], fill=fg)
    if right:
        d.line([cx, cy, px + cw, cy], fill=fg)
    if up:
        d.line([cx, py, cx, cy], fill=fg)
    if down:
        d.line([cx, cy, cx, py + ch], fill=fg)


def main():
    src, dst, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    screen = pyte.Screen(cols, rows)
    stream = pyte.Stream(screen)
    with open(src, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # capture-pane separates rows with bare newlines; a terminal needs CR too.
    stream.feed(text.rstrip("\n").replace("\n", "\r\n"))
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(FONT_BOLD, SIZE)
    wide = ImageFont.truetype(WIDE_FONT, SIZE) if WIDE_FONT else font
    left, top, right, bottom = font.getbbox("M")
    cw = font.getlength("M")
    ch = SIZE + 4
    pad = 12
    img = Image.new("RGB", (int(cw * cols) + 2 * pad, ch * rows + 2 * pad), DEFAULT_BG)
    d = ImageDraw.Draw(img)
    for y in range(rows):
        line = screen.buffer[y]
        for x in range(cols):
            cell = line[x]
            fg = color(cell.fg, DEFAULT_FG)
            bg = color(cell.bg, DEFAULT_BG)
            if cell.bold and cell.fg in NAMED and not cell.fg.startswith("bright"):
                fg = NAMED.get("bright" + cell.fg, fg)
            if cell.reverse:
                fg, bg = bg, fg
            px, py = pad + x * cw, pad + y * ch
            if bg != DEFAULT_BG:
                d.rectangle([px, py, px + cw, py + ch], fill=bg)
            if cell.data in BOX:
                draw_box(d, BOX[cell.data], px, py, cw, ch, fg)
            elif cell.data and cell.data != " ":
                f = bold if cell.bold else font
                if WIDE_FONT and any(ord(c) > 0x2E80 for c in cell.data):
                    f = wide
                d.text((px, py + 1), cell.data, font=f, fill=fg)
                if cell.underscore:
                    d.line([px, py + ch - 2, px + cw, py + ch - 2], fill=fg)
    img.save(dst)


if __name__ == "__main__":
    main()
