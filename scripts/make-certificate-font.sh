#!/usr/bin/env bash
# Regenerates the certificate font: a subset of Noto Serif CJK SC (思源宋体,
# SIL Open Font License 1.1) that the server embeds in certificate PDFs
# (app/src/certificates/render.rs loads it with include_bytes!, and krilla then
# embeds only the glyphs each PDF uses).
#
#   scripts/make-certificate-font.sh          # writes app/assets/fonts/*
#
# Source: Debian's `fonts-noto-cjk` package (tested with 1:20220127+repack1-1,
# bookworm), file /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc,
# face 2 = "NotoSerifCJKsc-Regular", "Version 2.001;hotconv 1.1.0;makeotfexe 2.6.0"
# (upstream: googlefonts/noto-cjk, Serif 2.001). CFF outlines, kept as CFF:
# krilla (via the `subsetter` crate) subsets and embeds CFF-based OpenType.
# Subsetter: fontTools `pyftsubset` (tested with fonttools 4.68.0).
#
# What goes in:
#   - printable ASCII, Latin-1 (U+00A0..U+00FF), general punctuation
#     (U+2010..U+2027, U+2030..U+203A: — ‘ ’ “ ” … ‰ ※)
#   - CJK symbols and punctuation U+3000..U+303F (、。〇「」『』【】〔〕…)
#   - half-width and full-width forms U+FF00..U+FFEF
#   - every character of GB2312 (rows 1-9 symbols, 6,763 hanzi), generated
#     from Python's gb2312 codec
#   - a short list of name characters outside GB2312 that are common in
#     given names (赟 喆 堃 玥 …), so ordinary names render
# What is dropped: hinting (PDF viewers render CFF fine without it), all
# OpenType layout features but `kern` (vertical and locale alternates double the
# glyph count; certificates are set horizontally in Simplified Chinese).
#
# Idempotent and reproducible: the same source font and fonttools version give
# a byte-identical file (fontTools keeps the source's head.modified timestamp).
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=${NOTO_SERIF_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc}
FACE=2 # NotoSerifCJKsc-Regular inside the collection
EXPECTED_PS_NAME=NotoSerifCJKsc-Regular
FONTTOOLS_VERSION=4.68.0
OUT_DIR=app/assets/fonts
OUT=$OUT_DIR/NotoSerifCJKsc-Regular.certificate-subset.otf
say() { printf '[cert-font] %s\n' "$*"; }

if [ ! -f "$SRC" ]; then
  say "installing fonts-noto-cjk (for $SRC)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
if ! python3 -c 'import fontTools' 2>/dev/null; then
  say "installing fonttools $FONTTOOLS_VERSION"
  python3 -m pip install --quiet "fonttools==$FONTTOOLS_VERSION"
fi
have=$(python3 -c 'import fontTools; print(fontTools.version)')
if [ "$have" != "$FONTTOOLS_VERSION" ]; then
  say "note: fonttools $have here, the committed file was made with $FONTTOOLS_VERSION (output may differ in bytes)"
fi

mkdir -p "$OUT_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The character list, and the licence text with the source's copyright line.
python3 - "$SRC" "$FACE" "$EXPECTED_PS_NAME" "$work/unicodes.txt" "$OUT_DIR/OFL.txt" <<'PY'
import sys
from fontTools.ttLib import TTCollection

src, face, expected, unicodes_out, licence_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
font = TTCollection(src).fonts[face]
names = font["name"]
ps_name = names.getDebugName(6)
if ps_name != expected:
    sys.exit(f"face {face} of {src} is {ps_name!r}, expected {expected!r}")
cmap = font.getBestCmap()

chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
chars |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203B))
chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
gb2312 = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            gb2312.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
hanzi = {c for c in gb2312 if 0x4E00 <= c <= 0x9FFF}
assert len(hanzi) == 6763, len(hanzi)
chars |= gb2312
# Given-name characters outside GB2312 (GBK / 通用规范汉字表), commonly seen
# in names registered since the 1990s.
extra_names = (
    "赟喆堃玥昇珺晞淏彧祎镕堉頔犇垚昳玙瑀璟旻暐琤瑄瑨瑢璠珣瑱崟暻曈甯皞祐"
    "禛翯芃沄洺浛溦潆焜燚珅珈琎琭瑭瓅甦鋆钖锘飏翀珉琇玘炆炘烜琛璘璞瑆"
)
extra = {ord(c) for c in extra_names} - gb2312
chars |= extra
present = sorted(c for c in chars if c in cmap)
missing = sorted(c for c in chars if c not in cmap)
with open(unicodes_out, "w") as f:
    f.write("\n".join(f"U+{c:04X}" for c in present) + "\n")
print(f"[cert-font] {len(present)} characters ({len(hanzi)} GB2312 hanzi, "
      f"{len(extra)} extra name characters); {len(missing)} listed but not in the font")

# OFL 1.1 text, as Debian ships it in the package's copyright file.
lines = open("/usr/share/doc/fonts-noto-cjk/copyright", encoding="utf-8").read().splitlines()
start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1)
body = []
for line in lines[start + 1:]:
    if not line.startswith(" "):
        break
    body.append("" if line.strip() == "." else line[1:])
with open(licence_out, "w", encoding="utf-8") as f:
    f.write(f"NotoSerifCJKsc-Regular.certificate-subset.otf is a subset of {ps_name}\n")
    f.write(f"({names.getDebugName(5)}), made by scripts/make-certificate-font.sh.\n\n")
    f.write(f"{names.getDebugName(0)}\n{names.getDebugName(7)}\n\n")
    f.write(f"{names.getDebugName(13)}\n\n")
    f.write("\n".join(body).rstrip() + "\n")
PY

pyftsubset "$SRC" \
  --font-number="$FACE" \
  --unicodes-file="$work/unicodes.txt" \
  --layout-features=kern \
  --no-hinting \
  --drop-tables+=vhea,vmtx,VORG,BASE \
  --name-IDs='*' \
  --output-file="$work/out.otf"

if [ -f "$OUT" ] && cmp -s "$work/out.otf" "$OUT"; then
  say "$OUT is up to date ($(stat -c %s "$OUT") bytes)"
else
  mv "$work/out.otf" "$OUT"
  say "wrote $OUT ($(stat -c %s "$OUT") bytes)"
fi
python3 -c 'import sys; from fontTools.ttLib import TTFont; print("[cert-font] glyphs:", TTFont(sys.argv[1])["maxp"].numGlyphs)' "$OUT"
