#!/usr/bin/env bash
# Screenshots of the real binary in --demo, for the README:
#   screenshots/account.png, users-filter.png, user-detail.png, group-members.png
# Runs zoomscope in a tmux pane, captures it with colours (capture-pane -e)
# and renders each capture to PNG (scripts/ansi2png.py: pyte + Pillow,
# installed into a virtualenv under target/). Rerun any time:
#   scripts/screenshots.sh            (ZS_BIN=path to use another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/screenshots"
COLS=120
ROWS=34
SESSION="zoomscope-shots-$$"

command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] && [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] \
  || { apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fonts-wqy-zenhei; }
VENV="$ROOT/target/screenshots-venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pyte, PIL" 2>/dev/null || "$VENV/bin/pip" install --quiet pyte pillow

if [ -z "${ZS_BIN:-}" ]; then
  cargo build --release --quiet
  ZS_BIN="$ROOT/target/release/zoomscope"
fi
DATA=$(mktemp -d)
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$DATA"' EXIT
mkdir -p "$OUT"

tmux new-session -d -s "$SESSION" -x "$COLS" -y "$ROWS" \
  "env -u NO_COLOR TERM=xterm-256color ZOOMSCOPE_CONFIG=$DATA/config.toml $ZS_BIN --demo --data-dir $DATA; sleep 5"

capture() { tmux capture-pane -p -e -t "$SESSION"; }
wait_for() { # text, seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if tmux capture-pane -p -t "$SESSION" | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  tmux capture-pane -p -t "$SESSION" >&2
  exit 1
}
shot() { # name
  sleep 0.4
  capture >"$DATA/$1.ansi"
  "$VENV/bin/python" "$ROOT/scripts/ansi2png.py" "$DATA/$1.ansi" "$OUT/$1.png" "$COLS" "$ROWS"
  echo "wrote screenshots/$1.png"
}
keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.15; }
type_text() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do tmux send-keys -t "$SESSION" -l "${s:i:1}"; sleep 0.03; done; }

wait_for "synced" 120
shot account

keys 2
keys /
type_text "dept:eng !status:active"
wait_for "</dept:eng !status:active>" 10
keys Tab
shot users-filter

keys Escape
keys /
type_text "mei.k"
wait_for "</mei.k>" 10
keys Enter
wait_for "Settings (" 20
shot user-detail

keys Escape
keys Escape
keys 3
keys /
type_text "engineering"
keys Enter
wait_for "Members [" 10
shot group-members

keys q
keys q
keys q
