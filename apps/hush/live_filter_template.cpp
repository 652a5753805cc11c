// The PipeWire filter-chain drop-in that `hush live --install` writes: a verbatim copy of
// plugins/pipewire/hush-noise-cancel.conf.in (the file shipped for reading and copying by
// hand), compiled in so the installed CLI needs no data files. tests/integration/cli_live.sh
// checks that the two stay identical (`hush live --print-config` against the .in file).
#include "apps/hush/live_pipewire.h"

namespace hush::cli {

const char* const kFilterChainTemplate = R"HUSHCONF(# Hush noise cancellation for every app: a PipeWire drop-in that runs the Hush LADSPA plugin
# (hush_ladspa.so) inside PipeWire's filter-chain module and adds two virtual devices:
#
#   "Hush noise-cancelled microphone"  (node.name hush_mic_source, an Audio/Source)
#       the default microphone with noise, and optionally other voices, removed. Choose it as
#       the microphone in a call app (or make it the default input).
#   "Hush cleaned speaker"             (node.name hush_speaker_sink, an Audio/Sink)
#       plays to the default output after removing the noise in what the far end sends.
#       Choose it as the speaker in a call app.
#
# `hush live --install` fills in the @...@ values (the plugin's absolute path and the settings)
# and writes the result to ~/.config/pipewire/pipewire.conf.d/hush-noise-cancel.conf, which the
# PipeWire daemon reads when it starts; `hush live --remove` deletes it, `hush live --check`
# says whether the two devices are there, `hush live --print-config` prints the filled-in file.
#
# The structure follows PipeWire's own filter-chain examples (source-rnnoise.conf for the
# microphone, sink-eq6.conf for the speaker). Both sides run at 48 kHz, the rate the plugin
# works at; PipeWire converts other rates and channel layouts at the edges. The microphone
# path is mono (a stereo microphone is downmixed); the speaker path is stereo, and
# filter-chain runs one copy of the mono plugin per channel. The plugin reports its delay on
# its "latency" output port, which PipeWire adds to the node latency.
#
# `flags = [ nofail ]`: if the plugin cannot be loaded (moved, deleted, a broken build),
# PipeWire logs the error and starts without these two devices instead of not starting.

context.modules = [
    {   name = libpipewire-module-filter-chain
        flags = [ nofail ]
        args = {
            node.description = "Hush noise-cancelled microphone"
            media.name       = "Hush noise-cancelled microphone"
            filter.graph = {
                nodes = [
                    {
                        type   = ladspa
                        name   = hush
                        plugin = "@HUSH_LADSPA_PLUGIN@"
                        label  = hush_mic
                        control = {
                            "Strength (dB)"          = @MIC_STRENGTH_DB@
                            "Background voices (dB)" = @BACKGROUND_VOICES_DB@
                            "Voice gate grace (ms)"  = @VOICE_GATE_MS@
                        }
                    }
                ]
            }
            capture.props = {
                node.name      = "capture.hush_mic"
                node.passive   = true
                audio.rate     = 48000
                audio.channels = 1
                audio.position = [ MONO ]
            }
            playback.props = {
                node.name      = "hush_mic_source"
                media.class    = Audio/Source
                audio.rate     = 48000
                audio.channels = 1
                audio.position = [ MONO ]
            }
        }
    }
    {   name = libpipewire-module-filter-chain
        flags = [ nofail ]
        args = {
            node.description = "Hush cleaned speaker"
            media.name       = "Hush cleaned speaker"
            filter.graph = {
                nodes = [
                    {
                        type   = ladspa
                        name   = hush
                        plugin = "@HUSH_LADSPA_PLUGIN@"
                        label  = hush_speaker
                        control = {
                            "Strength (dB)" = @SPEAKER_STRENGTH_DB@
                        }
                    }
                ]
            }
            capture.props = {
                node.name      = "hush_speaker_sink"
                media.class    = Audio/Sink
                audio.rate     = 48000
                audio.channels = 2
                audio.position = [ FL FR ]
            }
            playback.props = {
                node.name      = "playback.hush_speaker"
                node.passive   = true
                audio.rate     = 48000
                audio.channels = 2
                audio.position = [ FL FR ]
            }
        }
    }
]
)HUSHCONF";

}  // namespace hush::cli
