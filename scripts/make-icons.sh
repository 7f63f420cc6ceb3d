#!/usr/bin/env bash
# Redraws the installed app's icons (public/icons, public/apple-touch-icon.png)
# from the SVG below with headless Debian chromium and the Noto CJK font, as
# installed by scripts/install-toolchain.sh test. The PNGs are committed; run
# this only to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# draw NAME SIZE BACKGROUND(rounded|full) GLYPH_SIZE BASELINE
draw() {
  local name=$1 size=$2 shape=$3 glyph=$4 baseline=$5 radius=0 transparent=()
  if [ "$shape" = rounded ]; then radius=12; transparent=(--default-background-color=00000000); fi
  cat >"$work/$name.html" <<HTML
<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block}</style></head><body>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="$size" height="$size"><rect width="64" height="64" rx="$radius" fill="#b71c1c"/><text x="32" y="$baseline" font-size="$glyph" text-anchor="middle" fill="#fff" font-family="Noto Sans CJK SC, sans-serif" font-weight="700">学</text></svg></body></html>
HTML
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "${transparent[@]}" \
    --screenshot="$work/$name.png" --window-size="$size,$size" "file://$work/$name.html" 2>/dev/null
}
mkdir -p public/icons
for size in 192 512; do
  draw "icon-$size" "$size" rounded 38 45
  # Maskable: full bleed, the glyph inside the central 80% safe zone.
  draw "maskable-$size" "$size" full 28 42
  cp "$work/icon-$size.png" "$work/maskable-$size.png" public/icons/
done
draw apple-touch-icon 180 full 36 44
cp "$work/apple-touch-icon.png" public/
echo "icons written to public/icons and public/apple-touch-icon.png"
