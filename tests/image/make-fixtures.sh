#!/bin/sh
# make-fixtures.sh — regenerates the small PNG and JPEG files test_image decodes, and the raw
# RGB each should decode to, with ImageMagick (convert). Run from anywhere:
#   tests/image/make-fixtures.sh
# Every fixture <name>.png or <name>.jpg has <name>.rgb beside it: 8-bit RGB, transparency
# composited on white, as ImageMagick decodes it. Files named refuse-* must be refused.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)/fixtures
mkdir -p "$dir"
cd "$dir"
rm -f ./*.png ./*.jpg ./*.rgb
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Sources: odd sizes so that rows end mid-byte, Adam7 passes are uneven and JPEG blocks are
# partial at the edges.
convert -size 37x23 gradient:red-blue \( -size 37x23 gradient:yellow-black -rotate 90 -resize 37x23! \) \
    -compose blend -define compose:args=50 -composite \
    -fill green -draw "circle 18,11 18,4" -fill white -draw "rectangle 2,2 8,6" "$tmp/src.png"
convert "$tmp/src.png" \( -size 37x23 gradient:white-black -rotate 90 -resize 37x23! \) \
    -alpha off -compose copy_opacity -composite "$tmp/src-alpha.png"
convert -seed 7 -size 61x45 plasma:red-blue -fill yellow -draw "rectangle 10,10 30,20" \
    -fill black -draw "line 0,44 60,0" "$tmp/photo.png"

png() { # name color-type bit-depth source [extra convert options]
    name=$1 ct=$2 bd=$3 src=$4
    shift 4
    # ImageMagick picks the palette depth itself from the number of colours.
    depth="-define png:bit-depth=$bd"
    [ "$bd" = "-" ] && depth=""
    # shellcheck disable=SC2086
    convert "$src" "$@" -define png:color-type="$ct" $depth \
        -define png:exclude-chunks=date,time "PNG:$name.png"
}
png gray1 0 1 "$tmp/src.png" -colorspace Gray -threshold 50%
png gray2 0 2 "$tmp/src.png" -colorspace Gray -depth 2
png gray4 0 4 "$tmp/src.png" -colorspace Gray -depth 4
png gray8 0 8 "$tmp/src.png" -colorspace Gray
png gray16 0 16 "$tmp/src.png" -colorspace Gray -depth 16
png rgb8 2 8 "$tmp/src.png"
png rgb16 2 16 "$tmp/src.png" -depth 16
png pal2 3 - "$tmp/src.png" -colors 2
png pal4 3 - "$tmp/src.png" -colors 16
png pal8 3 - "$tmp/src.png" -colors 200
png pal8-trns 3 - "$tmp/src-alpha.png" -colors 60
png graya8 4 8 "$tmp/src-alpha.png" -colorspace Gray
png graya16 4 16 "$tmp/src-alpha.png" -colorspace Gray -depth 16
png rgba8 6 8 "$tmp/src-alpha.png"
png rgba16 6 16 "$tmp/src-alpha.png" -depth 16
png rgb8-adam7 2 8 "$tmp/src.png" -interlace PNG
png gray1-adam7 0 1 "$tmp/src.png" -colorspace Gray -threshold 50% -interlace PNG
png gray2-adam7 0 2 "$tmp/src.png" -colorspace Gray -depth 2 -interlace PNG
png pal4-adam7 3 - "$tmp/src.png" -colors 16 -interlace PNG
png rgba16-adam7 6 16 "$tmp/src-alpha.png" -depth 16 -interlace PNG
png graya8-adam7 4 8 "$tmp/src-alpha.png" -colorspace Gray -interlace PNG
png tiny-adam7 2 8 "$tmp/src.png" -crop 3x2+5+5 +repage -interlace PNG
png rgb8-nocompress 2 8 "$tmp/src.png" -quality 0
for f in *.png; do
    convert "$f" -background white -alpha remove -alpha off -depth 8 "rgb:${f%.png}.rgb"
done

jpg() { # name source [extra convert options]
    name=$1 src=$2
    shift 2
    convert "$src" -quality 90 "$@" "JPEG:$name.jpg"
}
jpg jpeg-444 "$tmp/photo.png" -sampling-factor 1x1
jpg jpeg-420 "$tmp/photo.png" -sampling-factor 2x2
jpg jpeg-422 "$tmp/photo.png" -sampling-factor 2x1
jpg jpeg-440 "$tmp/photo.png" -sampling-factor 1x2
jpg jpeg-gray "$tmp/photo.png" -colorspace Gray -type Grayscale
jpg jpeg-420-rst "$tmp/photo.png" -sampling-factor 2x2 -define jpeg:restart-interval=1
jpg jpeg-444-rst "$tmp/photo.png" -sampling-factor 1x1 -define jpeg:restart-interval=3
jpg jpeg-420-q30 "$tmp/photo.png" -sampling-factor 2x2 -quality 30
jpg jpeg-tiny "$tmp/photo.png" -crop 5x3+20+9 +repage -sampling-factor 2x2
jpg jpeg-progressive "$tmp/photo.png" -interlace JPEG
for f in jpeg-*.jpg; do
    convert "$f" -depth 8 "rgb:${f%.jpg}.rgb"
done
# No arithmetic-coding encoder at hand: a baseline file whose frame marker says SOF9
# (arithmetic, sequential) must be refused on the marker alone.
perl -0777 -pe 's/\xff\xc0/\xff\xc9/' jpeg-444.jpg >refuse-sof9.jpg
ls -l "$dir" | awk '{ s += $5 } END { print s " bytes of fixtures" }'
