#!/bin/sh
# make-pictures.sh — draws the demo projects' pictures: one flat illustration per project,
# 480x320, no text (language neutral), with a colour and a motif per category. Needs
# ImageMagick; the PNGs are committed, so this runs only when the demo projects change.
set -eu
cd "$(dirname "$0")"
mkdir -p pictures

draw() { # id category variant
  id=$1 cat=$2 v=$3
  case $cat in
    mobility)     sky="#cfe8ff" ground="#6b7b8c" accent="#e4572e" ;;
    green)        sky="#d8f3dc" ground="#52b788" accent="#1b4332" ;;
    culture)      sky="#fde2e4" ground="#b5838d" accent="#6d597a" ;;
    sport)        sky="#fff1c1" ground="#f4a261" accent="#264653" ;;
    social)       sky="#e2ece9" ground="#84a59d" accent="#f28482" ;;
    public-space) sky="#edf2fb" ground="#adb5bd" accent="#3a86ff" ;;
  esac
  x=$((60 + v * 37 % 200))
  case $cat in
    mobility) motif="stroke $accent stroke-width 10 fill none circle $((x)),230 $((x+45)),230 circle $((x+150)),230 $((x+195)),230 line $((x)),230 $((x+70)),160 line $((x+70)),160 $((x+150)),230 line $((x+70)),160 $((x+120)),160 line $((x+120)),160 $((x+150)),230" ;;
    green) motif="fill $accent rectangle $((x+20)),170 $((x+40)),260 fill #2d6a4f circle $((x+30)),140 $((x+90)),140 fill #40916c circle $((x+140)),170 $((x+180)),170 fill $accent rectangle $((x+135)),190 $((x+147)),260" ;;
    culture) motif="fill $accent polygon $((x)),250 $((x+90)),90 $((x+180)),250 fill #ffffff circle $((x+90)),180 $((x+110)),180 fill #e5989b rectangle $((x+200)),150 $((x+260)),250" ;;
    sport) motif="fill #ffffff circle $((x+80)),190 $((x+140)),190 stroke $accent stroke-width 6 fill none circle $((x+80)),190 $((x+140)),190 line $((x+20)),190 $((x+140)),190 line $((x+80)),130 $((x+80)),250" ;;
    social) motif="fill $accent circle $((x+60)),170 $((x+60)),120 circle $((x+140)),170 $((x+140)),120 polygon $((x+100)),250 $((x+20)),185 $((x+180)),185" ;;
    public-space) motif="fill $accent rectangle $((x)),200 $((x+200)),215 rectangle $((x+20)),215 $((x+32)),250 rectangle $((x+168)),215 $((x+180)),250 fill #ffbe0b circle 400,70 425,70" ;;
  esac
  convert -size 480x320 "gradient:$sky-#ffffff" \
    -fill "$ground" -draw "rectangle 0,250 480,320" \
    -draw "$motif" +dither -colors 32 -strip "png8:pictures/$id.png"
}

i=0
tail -n +2 projects.csv | while IFS= read -r line; do
  case $line in
    [RNCS][0-9][0-9]\;*)
      id=$(printf '%s' "$line" | cut -d';' -f1 | tr 'A-Z' 'a-z')
      cat=$(printf '%s' "$line" | cut -d';' -f3)
      i=$((i + 1))
      draw "$id" "$cat" "$i"
      ;;
  esac
done
