#!/usr/bin/env bash
# Regenerates the demo class's short lecture clips (server/demo/lectures/):
# 20 s each, a coloured card with the lecture's number and a running clock,
# and a tone — small enough to keep in the repository. Needs ffmpeg and the
# Noto CJK fonts (scripts/install-toolchain.sh test installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
font=$(fc-list | grep -m1 -E "NotoSansCJK-Regular|NotoSerifCJK-Regular" | cut -d: -f1)
colors=(8b1a1a 1a4f8b 2e6b34 6b2e6b 8b5a1a 1a6b6b 4f4f8b 8b1a5a 3a3a3a 5a8b1a 1a3a8b 8b3a1a)
for n in $(seq 2 12); do
  out=$(printf "server/demo/lectures/lecture-%02d.mp4" "$n")
  ffmpeg -y -loglevel error \
    -f lavfi -i "color=c=0x${colors[$((n - 1))]}:size=320x180:rate=10:duration=20" \
    -f lavfi -i "sine=frequency=$((300 + n * 40)):duration=20" \
    -vf "drawtext=fontfile=$font:fontsize=28:fontcolor=white:x=(w-text_w)/2:y=50:text='第${n}讲',drawtext=fontfile=$font:fontsize=20:fontcolor=white:x=(w-text_w)/2:y=110:text='%{pts\:hms}'" \
    -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 30 -preset veryslow \
    -c:a aac -b:a 16k -ac 1 -map_metadata -1 -fflags +bitexact -movflags +faststart "$out"
done
