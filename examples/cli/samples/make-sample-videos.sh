#!/usr/bin/env bash
# Regenerates the sample clips in samples/videos/ (committed; run this only to change them).
# Each clip is a few seconds of a coloured card with a caption, tiny on purpose (<= ~60 KB);
# the words that file it into a bucket are in its sidecar transcript (.srt, .vtt or .txt),
# which this script does not touch. Needs ffmpeg with libx264 and aac; libvpx for the .webm
# clip (skipped with a warning without it); drawtext is used when available.
set -euo pipefail

cd "$(dirname "$0")/videos"

if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "ffmpeg is required" >&2
  exit 1
fi
filters="$(ffmpeg -hide_banner -filters 2>/dev/null || true)"
encoders="$(ffmpeg -hide_banner -encoders 2>/dev/null || true)"
has_drawtext=false
if grep -q ' drawtext ' <<<"$filters"; then has_drawtext=true; fi

# card <output> <colour> <caption> <title> <comment> <with-audio: yes|no>
card() {
  local output="$1" colour="$2" caption="$3" title="$4" comment="$5" audio="$6"
  local video_filter="format=yuv420p"
  if [ "$has_drawtext" = true ]; then
    video_filter="drawtext=text='${caption}':fontcolor=white:fontsize=14:x=(w-text_w)/2:y=(h-text_h)/2:box=1:boxcolor=black@0.4:boxborderw=4,format=yuv420p"
  fi
  local inputs=(-f lavfi -i "color=c=${colour}:s=240x136:r=12:d=3")
  local codecs
  case "$output" in
    *.webm) codecs=(-c:v libvpx -b:v 60k -deadline realtime -cpu-used 8) ;;
    *) codecs=(-c:v libx264 -preset ultrafast -crf 40 -tune stillimage) ;;
  esac
  if [ "$audio" = yes ]; then
    inputs+=(-f lavfi -i "sine=frequency=330:sample_rate=22050:duration=3")
    case "$output" in
      *.webm) codecs+=(-c:a libopus -b:a 16k -ac 1) ;;
      *) codecs+=(-c:a aac -b:a 32k -ac 1) ;;
    esac
  fi
  ffmpeg -hide_banner -loglevel error -y "${inputs[@]}" -vf "$video_filter" "${codecs[@]}" \
    -shortest -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
    -metadata title="$title" -metadata comment="$comment" "$output"
  echo "$(wc -c <"$output" | tr -d ' ') bytes  $output"
}

card bloated-after-lunch.mp4 0x6b8e23 'bloated after lunch?' \
  'Bloated after lunch again' 'UGC: gut reset story' yes
card gut-reset-day-3.mov 0x2e8b57 'gut reset - day 3' \
  'Gut reset, day 3' 'UGC: digestion check-in' no
card 3pm-crash-coffee.mov 0xcd853f 'the 3pm crash' \
  'The 3pm crash' 'UGC: desk-job energy' yes
if grep -q ' libvpx ' <<<"$encoders"; then
  card lying-awake-at-3am.webm 0x191970 'awake at 3am again' \
    'Awake at 3am again' 'UGC: night routine' yes
else
  echo "warning: ffmpeg has no libvpx; lying-awake-at-3am.webm was not regenerated" >&2
fi
card kids-brought-home-a-cold.mp4 0xb22222 'cold season' \
  'The kids brought home a cold' 'UGC: family winter' no
card sneaker-unboxing.mp4 0x708090 'unboxing!' \
  'Sneaker unboxing' 'UGC: fashion haul' yes
