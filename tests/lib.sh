# lib.sh — sourced by the shell tests: a scratch folder $W (removed at exit unless KEEP is
# set), fail MESSAGE, the headless display, and a throw-away election from an authority folder.
W=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export SDL_VIDEODRIVER=dummy # a software framebuffer; offscreen would load Mesa

#   make_election BIN FOLDER DIR   makes demo keys (passphrase file DIR/pp) and DIR/election.pkg
#     DIR/auth.{key,pub}  authority     DIR/tally.{key,pub}  tally
#     DIR/kiosk.{key,pub} the kiosk     DIR/kiosks/          the authorised kiosk keys
make_election() {
  _bin=$1 _folder=$2 _dir=$3
  mkdir -p "$_dir/kiosks"
  echo isoloir-demo > "$_dir/pp"
  for _k in authority:auth tally:tally kiosk:kiosk; do
    "$_bin/isoloir-keys" new "${_k%%:*}" "$_dir/${_k#*:}" --demo --passphrase-file "$_dir/pp" \
      > /dev/null
  done
  cp "$_dir/kiosk.pub" "$_dir/kiosks/"
  "$_bin/isoloir-package" build "$_folder" --authority-key "$_dir/auth.key" \
    --passphrase-file "$_dir/pp" --tally-key "$_dir/tally.pub" --kiosk-keys "$_dir/kiosks" \
    -o "$_dir/election.pkg" > /dev/null
}

# Script lines with which an official opens the menu (the test elections' PIN is 246810),
# and with which they open the polls.
ENTER_PIN='key F12
tap pin-2
tap pin-4
tap pin-6
tap pin-8
tap pin-1
tap pin-0
tap pin-ok'
OPEN_POLLS="$ENTER_PIN
tap polls-open
tap official-exit"

# At an attended kiosk (the test elections), an official enables each voter with F9; the
# voter then chooses the district (enable-any) or the official did (enable-DISTRICT).
ENABLE_ANY='key F9
tap enable-any'
