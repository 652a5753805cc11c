#!/usr/bin/env bash
# cli_live.sh HUSH_BINARY SCRATCH_DIR
#
# `hush live`, headless:
#  1. the drop-in: `--print-config` is plugins/pipewire/hush-noise-cancel.conf.in filled in (the
#     compiled-in copy and the shipped file are identical); the settings land in it; the plugin
#     is found (next to the build tree, HUSH_LADSPA_PATH, --plugin) or refused with a clear
#     error, and a file that is not the Hush plugin is refused before anything is written.
#  2. --install / --check / --remove against a temporary HOME and XDG_CONFIG_HOME.
#  3. a private PipeWire daemon (own XDG_RUNTIME_DIR and config, null sinks, no session
#     manager; pipewire_links.py does the session manager's linking) that loads the installed
#     drop-in with the real plugin: --check sees both devices, pw-dump shows them with the
#     right classes, audio played into "Hush cleaned speaker" comes out non-silent with its
#     noise floor lowered, likewise the microphone filter (with node.passive overridden, see
#     below), and --install/--remove restart PipeWire through `systemctl --user` (a stand-in
#     on PATH that restarts the private daemon) and wait for the devices to come or go.
#  4. the plain processor (`--input DEV --output DEV`) through the same daemon's PulseAudio
#     server (pipewire-pulse's protocol module; a private `pulseaudio` daemon when PipeWire is
#     not installed): noise gets quieter, speech comes through, the meter prints ~10 lines a
#     second with --meter (none without it when stdout is not a terminal), Ctrl-C stops it
#     cleanly, and a missing device or sound server is a clear error with exit 3.
#
# Not tested here: a real desktop with WirePlumber and hardware devices; restarting a real
# systemd user service. The microphone filter's capture side is passive (node.passive = true,
# as in PipeWire's source-rnnoise.conf, so the microphone is only opened while an app records
# from the Hush source); without a session manager, PipeWire 0.3.65 does not schedule a filter
# joined by a passive link, so section 3 checks the microphone's audio with node.passive set
# to false in a copy of the drop-in (the nodes themselves are checked with the drop-in as is).
#
# Parts whose tools are missing print "skip - ..." (exit 77 only if none can run).
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools python3 sox
TEMPLATE=$HUSH_SOURCE_DIR/plugins/pipewire/hush-noise-cancel.conf.in
LINKER=$HUSH_SOURCE_DIR/tests/integration/pipewire_links.py
PLUGIN=$(cd "$(dirname "$HUSH")/.." && pwd)/plugins/ladspa/hush_ladspa.so
SKIPPED=0

# Never the user's own config, sound server or systemd: everything points into the scratch dir.
export HOME=$SCRATCH/home
export XDG_CONFIG_HOME=$SCRATCH/config
RUNTIME=$(mktemp -d /tmp/hush-live-test.XXXXXX)  # short: unix socket paths are limited to 108 bytes
export XDG_RUNTIME_DIR=$RUNTIME
export PULSE_SERVER=unix:$SCRATCH/no-sound-server
unset PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR PULSE_RUNTIME_PATH HUSH_LADSPA_PATH LADSPA_PATH
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$SCRATCH/bin"
DROPIN=$XDG_CONFIG_HOME/pipewire/pipewire.conf.d/hush-noise-cancel.conf

SERVER_PID=''
LINKER_PID=''
cleanup() {
  [ -n "$LINKER_PID" ] && kill "$LINKER_PID" 2>/dev/null
  [ -f "$SCRATCH/server.pid" ] && kill "$(cat "$SCRATCH/server.pid")" 2>/dev/null
  rm -rf "$RUNTIME"
}
trap cleanup EXIT

# ---- analysis -------------------------------------------------------------------------------
# levels FILE [s16|wav] [CHANNELS]: "<rms dBFS> <noise floor dBFS> <seconds>" over 20 ms frames
# (all channels together); the floor is the 10th percentile of frame levels. Frames of digital
# silence (before the links exist, after the player stopped) are left out.
levels() {
  python3 - "$@" <<'PY'
import math, struct, sys, wave
path, kind = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "wav"
if kind == "wav":
    w = wave.open(path)
    ch, data = w.getnchannels(), w.readframes(w.getnframes())
else:
    ch, data = int(sys.argv[3]), open(path, "rb").read()
x = struct.unpack("<%dh" % (len(data) // 2), data[: len(data) // 2 * 2])
n = 960 * ch
frames = [x[i:i + n] for i in range(0, len(x) - n + 1, n)]
energies = [sum((v / 32768.0) ** 2 for v in f) / n for f in frames]
live = [e for e in energies if e > 1e-10]
if not live:
    print("-200 -200 0")
    sys.exit(0)
rms = 10 * math.log10(sum(live) / len(live))
floor = 10 * math.log10(max(sorted(live)[len(live) // 10], 1e-20))
print("%.1f %.1f %.2f" % (rms, floor, len(live) * 0.02))
PY
}
field() { echo "$1" | cut -d' ' -f"$2"; }
# at_least A B: A >= B (floats)
at_least() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"; }

# ---- fixtures ---------------------------------------------------------------------------------
D=$SCRATCH/in
mkdir -p "$D"
noisy_speech_fixture "$D/noisy.wav" 6
fixture sox -R -n -r 48000 -b 16 -c 1 "$D/noise_only.wav" synth 6 whitenoise gain -n -26
IN_NOISY=$(levels "$D/noisy.wav")
IN_NOISE=$(levels "$D/noise_only.wav")
echo "# input levels (rms, floor, s): noisy $IN_NOISY; noise only $IN_NOISE"

# ---------------------------------------------------------------------------------------------
echo "# 1. the drop-in template, plugin lookup, bad arguments"
printf 'not a plugin\n' > "$SCRATCH/fake_ladspa.so"
expect_success "--print-config --plugin FILE" live --print-config --plugin "$SCRATCH/fake_ladspa.so"
sed -e "s|@HUSH_LADSPA_PLUGIN@|$SCRATCH/fake_ladspa.so|g" -e 's|@MIC_STRENGTH_DB@|25|' -e 's|@BACKGROUND_VOICES_DB@|0|' \
    -e 's|@VOICE_GATE_MS@|0|' -e 's|@SPEAKER_STRENGTH_DB@|25|' "$TEMPLATE" > "$SCRATCH/expected.conf"
check "--print-config is the shipped template filled in (compiled-in copy == plugins/pipewire/*.conf.in)" \
  "$(diff "$SCRATCH/expected.conf" "$OUT" | head -20)" cmp -s "$SCRATCH/expected.conf" "$OUT"
check "the template leaves no @placeholder@ unfilled" "$(grep -n '@' "$OUT")" not grep -q '@[A-Z_]*@' "$OUT"
expect_success "--print-config with settings" live --print-config --plugin "$SCRATCH/fake_ladspa.so" \
  --strength-db 12.5 --background-voices 6 --voice-gate 300 --speaker-strength-db 18
check "settings land in the controls" "$(grep -E 'dB|ms\)' "$OUT")" eval \
  'grep -qF "\"Strength (dB)\"          = 12.5" "$OUT" && grep -qF "\"Background voices (dB)\" = 6" "$OUT" &&
   grep -qF "\"Voice gate grace (ms)\"  = 300" "$OUT" && grep -qF "\"Strength (dB)\" = 18" "$OUT"'
expect_error "--plugin of a missing file" 3 "^hush: error: --plugin $SCRATCH/nothing.so: no hush_ladspa.so there" \
  live --print-config --plugin "$SCRATCH/nothing.so"
HUSH_LADSPA_PATH=$SCRATCH/nothing expect_error "HUSH_LADSPA_PATH of a missing file" 3 "HUSH_LADSPA_PATH=.*nothing" \
  live --install --no-restart
expect_error "--install with a file that is not a LADSPA plugin" 4 "cannot load it as a LADSPA plugin" \
  live --install --no-restart --plugin "$SCRATCH/fake_ladspa.so"
check "nothing was installed" "$(ls -R "$XDG_CONFIG_HOME")" test ! -e "$DROPIN"
if [ ! -f "$PLUGIN" ]; then
  expect_error "no plugin anywhere: says where it looked and how to build it" 3 \
    "cannot find the Hush LADSPA plugin hush_ladspa.so \(looked in .*plugins/ladspa.*--target hush_ladspa" live --print-config
fi
expect_error "two actions" 2 "one of --install" live --install --check
expect_error "--check with --input" 2 "do not go with" live --check --input x
expect_error "--duration without --input/--output" 2 "need --input" live --duration 2
expect_error "--strength-db 99" 2 "strength-db" live --print-config --strength-db 99
expect_success "hush live (status)" live
check "status says how to turn it on both ways" "$(cat "$OUT")" eval \
  'grep -q "hush live --install" "$OUT" && grep -q "hush live --input MIC --output SINK" "$OUT"'

# ---------------------------------------------------------------------------------------------
echo "# 2. --install / --check / --remove in a temporary HOME"
if [ ! -f "$PLUGIN" ]; then
  echo "skip - install/remove and PipeWire (no plugin at $PLUGIN: build target hush_ladspa)"
  SKIPPED=$((SKIPPED + 1))
else
  # A sanitizer build's plugin needs the sanitizer runtime in an uninstrumented PipeWire.
  ASAN_RUNTIME=$(ldd "$PLUGIN" | awk '/libasan/ {print $3; exit}')
  expect_success "--print-config finds the plugin in the build tree" live --print-config
  check "...and writes its absolute path" "$(grep plugin "$OUT")" grep -qF "plugin = \"$PLUGIN\"" "$OUT"
  HUSH_LADSPA_PATH=$(dirname "$PLUGIN") expect_success "HUSH_LADSPA_PATH=<folder>" live --print-config
  check "HUSH_LADSPA_PATH=<folder> finds it" "$(grep plugin "$OUT")" grep -qF "plugin = \"$PLUGIN\"" "$OUT"

  run_hush live --check
  check "--check without PipeWire: exit 1" "exit $(exit_text); $(cat "$OUT")" equal "$RC" 1
  check "--check without PipeWire: says why and that it is not installed" "$(cat "$OUT")" eval \
    'grep -q "^Hush live is not active: PipeWire is not running" "$OUT" && grep -q "run .hush live --install." "$OUT"'

  expect_success "--install --no-restart" live --install --no-restart
  check "the drop-in is in \$XDG_CONFIG_HOME/pipewire/pipewire.conf.d/" "$(ls -R "$XDG_CONFIG_HOME")" test -f "$DROPIN"
  check "the drop-in names the plugin by absolute path" "$(grep plugin "$DROPIN")" grep -qF "plugin = \"$PLUGIN\"" "$DROPIN"
  check "--install prints the restart command" "$(cat "$OUT")" grep -qF "systemctl --user restart pipewire.service" "$OUT"
  run_hush live --check
  check "--check, installed but PipeWire not running: exit 1" "exit $(exit_text); $(cat "$OUT")" equal "$RC" 1
  expect_success "--remove --no-restart" live --remove --no-restart
  check "--remove deletes the drop-in" "$(ls -R "$XDG_CONFIG_HOME")" test ! -e "$DROPIN"
  expect_success "--remove again" live --remove --no-restart
  check "--remove again: nothing to remove" "$(cat "$OUT")" grep -q "^Nothing to remove" "$OUT"
  XDG_CONFIG_HOME='' expect_success "--install with only HOME set" live --install --no-restart
  check "...goes to ~/.config/pipewire/pipewire.conf.d/" "$(cat "$OUT")" test -f "$HOME/.config/pipewire/pipewire.conf.d/hush-noise-cancel.conf"
  XDG_CONFIG_HOME='' expect_success "--remove with only HOME set" live --remove --no-restart
  check "...removes it there" "$(ls -R "$HOME")" test ! -e "$HOME/.config/pipewire/pipewire.conf.d/hush-noise-cancel.conf"
fi

# ---- a private sound server -------------------------------------------------------------------
# PipeWire: the daemon reads $XDG_CONFIG_HOME/pipewire/pipewire.conf (this headless one: no
# devices, a dummy driver, null sinks, the PulseAudio protocol) and pipewire.conf.d/, where
# `hush live --install` puts the drop-in: the same path a desktop PipeWire reads.
HAVE_PIPEWIRE=0
for tool in pipewire pw-dump pw-cli pw-link paplay parec pactl; do command -v "$tool" >/dev/null || HAVE_PIPEWIRE=-1; done
[ "$HAVE_PIPEWIRE" = 0 ] && HAVE_PIPEWIRE=1 || HAVE_PIPEWIRE=0
PW=$SCRATCH/pw
mkdir -p "$PW" "$XDG_CONFIG_HOME/pipewire"
cat > "$XDG_CONFIG_HOME/pipewire/pipewire.conf" <<'EOF'
# Headless test daemon for cli_live.sh: no hardware, no D-Bus, no session manager.
context.properties = {
    core.daemon = true
    core.name   = pipewire-0
    support.dbus = false
    link.max-buffers = 16
    log.level = 2
}
context.spa-libs = {
    audio.convert.* = audioconvert/libspa-audioconvert
    support.*       = support/libspa-support
}
context.modules = [
    { name = libpipewire-module-protocol-native }
    { name = libpipewire-module-metadata }
    { name = libpipewire-module-access args = { } }
    { name = libpipewire-module-spa-node-factory }
    { name = libpipewire-module-client-node }
    { name = libpipewire-module-adapter }
    { name = libpipewire-module-link-factory }
    { name = libpipewire-module-protocol-pulse args = { server.address = [ "unix:native" ] } }
]
context.objects = [
    { factory = metadata args = { metadata.name = default } }
    { factory = spa-node-factory
      args = { factory.name = support.node.driver node.name = Dummy-Driver node.group = pipewire.dummy
               priority.driver = 20000 } }
    { factory = adapter
      args = { factory.name = support.null-audio-sink node.name = sink_in media.class = Audio/Sink
               audio.rate = 48000 audio.position = [ MONO ] object.linger = true
               adapter.auto-port-config = { mode = dsp monitor = true position = preserve } } }
    { factory = adapter
      args = { factory.name = support.null-audio-sink node.name = sink_out media.class = Audio/Sink
               audio.rate = 48000 audio.position = [ FL FR ] object.linger = true
               adapter.auto-port-config = { mode = dsp monitor = true position = preserve } } }
]
EOF
# Starts (or restarts) the daemon; also what the stand-in systemctl runs.
cat > "$SCRATCH/bin/start-sound-server" <<EOF
#!/usr/bin/env bash
[ -f "$SCRATCH/server.pid" ] && kill "\$(cat "$SCRATCH/server.pid")" 2>/dev/null && sleep 0.3
rm -rf "$RUNTIME"/pipewire-0* "$RUNTIME/pulse"
LD_PRELOAD=\${ASAN_RUNTIME:-} ASAN_OPTIONS=detect_leaks=0 setsid pipewire </dev/null >>"$PW/daemon.log" 2>&1 &
echo \$! > "$SCRATCH/server.pid"
for _ in \$(seq 100); do
  [ -S "$RUNTIME/pipewire-0" ] && [ -S "$RUNTIME/pulse/native" ] && timeout 5 pw-dump >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "start-sound-server: PipeWire did not start; log:" >&2
tail -20 "$PW/daemon.log" >&2
exit 1
EOF
# The stand-in for `systemctl --user` that hush live --install/--remove call: pipewire.service
# is "active" while the private daemon runs, and "restart" restarts it.
cat > "$SCRATCH/bin/systemctl" <<EOF
#!/usr/bin/env bash
echo "\$*" >> "$SCRATCH/systemctl.log"
case "\$*" in
  "--user is-active --quiet pipewire.service") kill -0 "\$(cat "$SCRATCH/server.pid" 2>/dev/null)" 2>/dev/null ;;
  "--user restart pipewire.service") exec "$SCRATCH/bin/start-sound-server" ;;
  *) exit 1 ;;
esac
EOF
chmod +x "$SCRATCH/bin/start-sound-server" "$SCRATCH/bin/systemctl"
export ASAN_RUNTIME=${ASAN_RUNTIME:-}

# node_props NODE_NAME KEY...: the values of KEYs of that node in pw-dump, space-separated.
node_props() {
  timeout 10 pw-dump 2>/dev/null | python3 -c '
import json, sys
name, keys = sys.argv[1], sys.argv[2:]
for o in json.load(sys.stdin):
    p = o.get("info", {}).get("props", {}) if o.get("type") == "PipeWire:Interface:Node" else {}
    if p.get("node.name") == name:
        print(" ".join(json.dumps(p.get(k)).strip(chr(34)) for k in keys))
        break' "$@"
}
# through_pipewire LABEL WAV PLAY_TO RECORD_FROM CHANNELS [RULE...]: plays WAV into PLAY_TO,
# records RECORD_FROM (a source or monitor) for ~4 s while pipewire_links.py links the player,
# the recorder and the RULEs, and sets GOT to the recording's levels.
through_pipewire() {
  local label=$1 wav=$2 play_to=$3 record_from=$4 channels=$5
  shift 5
  setsid paplay -d "$play_to" "$wav" </dev/null >"$PW/paplay.log" 2>&1 &
  local player=$!
  setsid parec -d "$record_from" --rate=48000 --channels="$channels" --format=s16le --latency-msec=20 \
    </dev/null >"$PW/rec.raw" 2>"$PW/parec.log" &
  local recorder=$!
  python3 "$LINKER" --timeout 10 "paplay=>$play_to" "${record_from%.monitor}=>parec" "$@" 2>"$PW/links.log"
  local linked=$?
  check "$label: linked" "$(cat "$PW/links.log")" equal "$linked" 0
  sleep 4
  kill "$recorder" "$player" 2>/dev/null
  wait "$recorder" "$player" 2>/dev/null
  GOT=$(levels "$PW/rec.raw" s16 "$channels")
}
# reduction_db BEFORE AFTER FIELD: how many dB field FIELD (1 rms, 2 floor) dropped.
reduction_db() { python3 -c "print(round($(field "$1" "$3") - $(field "$2" "$3"), 1))"; }

# ---------------------------------------------------------------------------------------------
echo "# 3. the drop-in in a private PipeWire daemon (real plugin, no session manager)"
if [ ! -f "$PLUGIN" ]; then
  echo "skip - PipeWire filter-chain (no plugin)"
elif [ "$HAVE_PIPEWIRE" = 0 ]; then
  echo "skip - PipeWire filter-chain (needs pipewire, pw-dump, pw-cli, pw-link, paplay, parec, pactl)"
  SKIPPED=$((SKIPPED + 1))
else
  export PULSE_SERVER=unix:$RUNTIME/pulse/native
  expect_success "--install --no-restart" live --install --no-restart
  fixture "$SCRATCH/bin/start-sound-server"
  run_hush live --check
  check "--check with the drop-in loaded: exit 0" "exit $(exit_text); $(cat "$OUT"); daemon: $(tail -5 "$PW/daemon.log")" equal "$RC" 0
  check "--check names both devices" "$(cat "$OUT")" grep -qF 'Hush live is active: PipeWire has "Hush noise-cancelled microphone" (hush_mic_source) and "Hush cleaned speaker" (hush_speaker_sink).' "$OUT"
  check "pw-dump: hush_mic_source is an Audio/Source, mono, 'Hush noise-cancelled microphone'" "$(node_props hush_mic_source media.class audio.channels node.description)" \
    equal "$(node_props hush_mic_source media.class audio.channels node.description)" "Audio/Source 1 Hush noise-cancelled microphone"
  check "pw-dump: hush_speaker_sink is an Audio/Sink, stereo, 'Hush cleaned speaker'" "$(node_props hush_speaker_sink media.class audio.channels node.description)" \
    equal "$(node_props hush_speaker_sink media.class audio.channels node.description)" "Audio/Sink 2 Hush cleaned speaker"
  check "pw-dump: the microphone filter's capture side is passive" "$(node_props capture.hush_mic node.passive)" \
    equal "$(node_props capture.hush_mic node.passive)" "true"
  check "pactl lists the Hush source and sink" "$(pactl list short sources; pactl list short sinks)" eval \
    'pactl list short sources | grep -qw hush_mic_source && pactl list short sinks | grep -qw hush_speaker_sink'

  # References: the same files straight into sink_out (stereo) and sink_in (mono), recorded
  # from their monitors, so the comparisons below see the same channel mixing as the filters.
  through_pipewire "reference, noisy speech -> sink_out" "$D/noisy.wav" sink_out sink_out.monitor 2
  REF2_NOISY=$GOT
  through_pipewire "reference, noise only -> sink_out" "$D/noise_only.wav" sink_out sink_out.monitor 2
  REF2_NOISE=$GOT
  through_pipewire "reference, noisy speech -> sink_in" "$D/noisy.wav" sink_in sink_in.monitor 1
  REF1_NOISY=$GOT
  echo "# references (rms, floor, s): noisy -> sink_out $REF2_NOISY; noise -> sink_out $REF2_NOISE; noisy -> sink_in $REF1_NOISY"

  # What you hear: noisy speech into "Hush cleaned speaker", out of its playback side into sink_out.
  through_pipewire "speaker filter" "$D/noisy.wav" hush_speaker_sink sink_out.monitor 2 "playback.hush_speaker=>sink_out"
  echo "# speaker filter, noisy speech: $REF2_NOISY -> $GOT"
  check "speaker filter: output is not silent (rms $(field "$GOT" 1) dBFS)" "$GOT" at_least "$(field "$GOT" 1)" -45
  check "speaker filter: at least 2 s came through" "$GOT" at_least "$(field "$GOT" 3)" 2
  check "speaker filter: noise floor lowered by >= 6 dB (by $(reduction_db "$REF2_NOISY" "$GOT" 2) dB)" "$GOT" \
    at_least "$(reduction_db "$REF2_NOISY" "$GOT" 2)" 6
  through_pipewire "speaker filter, noise only" "$D/noise_only.wav" hush_speaker_sink sink_out.monitor 2 "playback.hush_speaker=>sink_out"
  echo "# speaker filter, noise only: $REF2_NOISE -> $GOT"
  check "speaker filter: noise alone 10+ dB quieter (by $(reduction_db "$REF2_NOISE" "$GOT" 1) dB)" "$GOT" \
    at_least "$(reduction_db "$REF2_NOISE" "$GOT" 1)" 10

  # The microphone filter, fed from sink_in's monitor (the "microphone"), recorded from
  # hush_mic_source; node.passive is overridden in a copy (see the header).
  sed 's/node.passive   = true/node.passive   = false/' "$DROPIN" > "$PW/active.conf"
  cp "$DROPIN" "$PW/installed.conf"
  cp "$PW/active.conf" "$DROPIN"
  fixture "$SCRATCH/bin/start-sound-server"
  through_pipewire "microphone filter" "$D/noisy.wav" sink_in hush_mic_source 1 "sink_in=>capture.hush_mic"
  echo "# microphone filter, noisy speech: $REF1_NOISY -> $GOT"
  check "microphone filter: output is not silent (rms $(field "$GOT" 1) dBFS)" "$GOT" at_least "$(field "$GOT" 1)" -45
  check "microphone filter: noise floor lowered by >= 6 dB (by $(reduction_db "$REF1_NOISY" "$GOT" 2) dB)" "$GOT" \
    at_least "$(reduction_db "$REF1_NOISY" "$GOT" 2)" 6
  cp "$PW/installed.conf" "$DROPIN"

  # --remove and --install restart PipeWire through systemctl (the stand-in on PATH).
  PATH=$SCRATCH/bin:$PATH expect_success "--remove (restarts PipeWire)" live --remove
  check "--remove ran systemctl --user restart pipewire.service" "$(cat "$SCRATCH/systemctl.log" 2>&1)" \
    grep -qx -- "--user restart pipewire.service" "$SCRATCH/systemctl.log"
  check "--remove waited until the devices were gone" "$(cat "$OUT")" grep -q "^The Hush devices are gone" "$OUT"
  run_hush live --check
  check "--check after --remove: exit 1, not installed" "exit $(exit_text); $(cat "$OUT")" eval \
    '[ "$RC" = 1 ] && grep -q "^Hush live is not active: PipeWire runs, but without the Hush devices" "$OUT" && grep -q "^Not installed" "$OUT"'
  PATH=$SCRATCH/bin:$PATH expect_success "--install (restarts PipeWire)" live --install
  check "--install waited for the devices and says which to choose" "$(cat "$OUT")" eval \
    'grep -q "^Active: PipeWire has" "$OUT" && grep -q "^Choose \"Hush noise-cancelled microphone\"" "$OUT"'
  run_hush live --check
  check "--check after --install: exit 0" "exit $(exit_text); $(cat "$OUT")" equal "$RC" 0
  expect_success "--remove --no-restart (PipeWire keeps the devices until it restarts)" live --remove --no-restart
fi

# ---------------------------------------------------------------------------------------------
echo "# 4. the processor: hush live --input DEV --output DEV"
SERVER=''
if [ "$HAVE_PIPEWIRE" = 1 ]; then
  SERVER=pipewire
  export PULSE_SERVER=unix:$RUNTIME/pulse/native
  fixture "$SCRATCH/bin/start-sound-server"  # (the drop-in is removed: plain sinks only)
  python3 "$LINKER" --keep-running 2>"$PW/links-bg.log" &  # links every stream to its target
  LINKER_PID=$!
elif command -v pulseaudio >/dev/null && command -v paplay >/dev/null && command -v parec >/dev/null; then
  SERVER=pulseaudio
  PA=$SCRATCH/pa
  mkdir -p "$PA/run" "$PA/home"
  XDG_RUNTIME_DIR=$PA/run HOME=$PA/home setsid pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
    --disable-shm=yes -L "module-native-protocol-unix socket=$RUNTIME/pa-native auth-anonymous=1" \
    -L "module-null-sink sink_name=sink_in rate=48000 channels=1" -L "module-null-sink sink_name=sink_out rate=48000 channels=2" \
    --log-target=stderr </dev/null >"$PA/daemon.log" 2>&1 &
  echo $! > "$SCRATCH/server.pid"
  export PULSE_SERVER=unix:$RUNTIME/pa-native
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
if [ -z "$SERVER" ]; then
  echo "skip - the processor (needs PipeWire or PulseAudio, paplay and parec)"
  SKIPPED=$((SKIPPED + 1))
else
  echo "# sound server: $SERVER"
  expect_error "missing input device" 3 "^hush: error: cannot open microphone \(nosuch\): no such source \(the sources are: .*sink_in.monitor" \
    live --input nosuch --output sink_out --duration 1
  expect_error "missing output device" 3 "^hush: error: cannot open cleaned microphone \(nosuch\): no such sink \(the sinks are: .*sink_out" \
    live --input sink_in.monitor --output nosuch --duration 1
  PULSE_SERVER=unix:$SCRATCH/no-sound-server expect_error "no sound server" 3 "cannot connect to the sound server" \
    live --input sink_in.monitor --output sink_out --duration 1
  expect_error "--duration -1" 2 "duration" live --input sink_in.monitor --output sink_out --duration -1

  # play_record WAV PLAY_TO: plays WAV into PLAY_TO while recording sink_out's monitor (2
  # channels) for 4 s; GOT = the recording's levels. The reference for what hush live outputs.
  play_record() {
    setsid paplay -d "$2" "$1" </dev/null >"$SCRATCH/paplay.log" 2>&1 &
    local player=$!
    setsid parec -d sink_out.monitor --rate=48000 --channels=2 --format=s16le --latency-msec=20 \
      </dev/null >"$SCRATCH/out.raw" 2>"$SCRATCH/parec.log" &
    local recorder=$!
    sleep 4
    kill "$recorder" "$player" 2>/dev/null
    wait "$recorder" "$player" 2>/dev/null
    GOT=$(levels "$SCRATCH/out.raw" s16 2)
  }
  play_record "$D/noisy.wav" sink_out
  REF_NOISY=$GOT
  play_record "$D/noise_only.wav" sink_out
  REF_NOISE=$GOT
  echo "# references, straight into sink_out (rms, floor, s): noisy $REF_NOISY; noise only $REF_NOISE"

  # live_run LABEL WAV ARGS...: plays WAV into sink_in and records sink_out's monitor while
  # `hush live --input sink_in.monitor --output sink_out ARGS` runs; GOT = the recording's levels.
  live_run() {
    local label=$1 wav=$2
    shift 2
    setsid paplay -d sink_in "$wav" </dev/null >"$SCRATCH/paplay.log" 2>&1 &
    local player=$!
    setsid parec -d sink_out.monitor --rate=48000 --channels=2 --format=s16le --latency-msec=20 \
      </dev/null >"$SCRATCH/out.raw" 2>"$SCRATCH/parec.log" &
    local recorder=$!
    sleep 0.3
    expect_success "$label" live --input sink_in.monitor --output sink_out "$@"
    sleep 0.3
    kill "$recorder" "$player" 2>/dev/null
    wait "$recorder" "$player" 2>/dev/null
    GOT=$(levels "$SCRATCH/out.raw" s16 2)
  }
  live_run "noisy speech, 3 s, --meter" "$D/noisy.wav" --duration 3 --meter
  echo "# processor, noisy speech: $REF_NOISY -> $GOT"
  check "stderr: start line names both devices" "$(stderr_text)" \
    grep -q "^hush live: microphone (sink_in.monitor) -> cleaned microphone (sink_out)" "$ERR"
  check "stderr: processed 3.00 s" "$(stderr_text)" grep -q "^hush live: processed 3.00 s; level in .* dBFS, out .* dBFS" "$ERR"
  meter_lines=$(grep -c '^in  \[[#-]*\] *-\?[0-9.]* dBFS   out \[[#-]*\] *-\?[0-9.]* dBFS$' "$OUT")
  check "--meter: ~10 meter lines a second ($meter_lines in 3 s)" "$(head -3 "$OUT")" test "$meter_lines" -ge 28 -a "$meter_lines" -le 30
  check "output is not silent (rms $(field "$GOT" 1) dBFS)" "$GOT" at_least "$(field "$GOT" 1)" -45
  check "output lasted ~3 s ($(field "$GOT" 3) s)" "$GOT" at_least "$(field "$GOT" 3)" 2.5
  check "noise floor lowered by >= 6 dB (by $(reduction_db "$REF_NOISY" "$GOT" 2) dB)" "$GOT" \
    at_least "$(reduction_db "$REF_NOISY" "$GOT" 2)" 6

  live_run "noise only, 3 s, no meter" "$D/noise_only.wav" --duration 3
  echo "# processor, noise only: $REF_NOISE -> $GOT"
  check "no meter when stdout is not a terminal" "$(head -3 "$OUT")" test ! -s "$OUT"
  check "noise alone 10+ dB quieter (by $(reduction_db "$REF_NOISE" "$GOT" 1) dB)" "$GOT" \
    at_least "$(reduction_db "$REF_NOISE" "$GOT" 1)" 10
  summary=$(grep '^hush live: processed' "$ERR")
  check "hush's own levels agree: out 10+ dB under in ($summary)" "$summary" python3 -c '
import re, sys
m = re.search(r"level in (-?[0-9.]+) dBFS, out (-?[0-9.]+) dBFS", sys.argv[1])
sys.exit(0 if m and float(m.group(1)) - float(m.group(2)) >= 10 else 1)' "$summary"

  live_run "--speaker (the render path), noise only, 2 s" "$D/noise_only.wav" --speaker --duration 2
  echo "# processor --speaker, noise only: $REF_NOISE -> $GOT"
  check "--speaker: stderr names the incoming-audio streams" "$(stderr_text)" \
    grep -q "^hush live: incoming audio (sink_in.monitor) -> cleaned incoming audio (sink_out)" "$ERR"
  check "--speaker: noise alone 10+ dB quieter (by $(reduction_db "$REF_NOISE" "$GOT" 1) dB)" "$GOT" \
    at_least "$(reduction_db "$REF_NOISE" "$GOT" 1)" 10

  echo "# Ctrl-C stops it cleanly"
  setsid paplay -d sink_in "$D/noisy.wav" </dev/null >/dev/null 2>&1 &
  player=$!
  "$HUSH" live --input sink_in.monitor --output sink_out </dev/null >"$SCRATCH/int.out" 2>"$SCRATCH/int.err" &
  pid=$!
  sleep 2
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  kill "$player" 2>/dev/null
  wait "$player" 2>/dev/null
  check "SIGINT: exit 0" "exit $rc; $(head -c 800 "$SCRATCH/int.err")" equal "$rc" 0
  check "SIGINT: summary printed" "$(head -c 800 "$SCRATCH/int.err")" grep -q "^hush live: processed [0-9.]* s" "$SCRATCH/int.err"
  check "SIGINT: no sanitizer report" "$(head -c 800 "$SCRATCH/int.err")" no_sanitizer_report "$SCRATCH/int.err"
fi

if [ "$SKIPPED" -ge 3 ]; then
  echo "SKIP: no part beyond the template checks could run"
  exit 77
fi
finish_tests
