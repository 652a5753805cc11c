// The sound server's device names (PulseAudio API: PulseAudio, or PipeWire's pipewire-pulse),
// so that a mistyped device gets a clear error listing the real ones. A stream opened on a
// name that does not exist is not refused by every server: pipewire-pulse leaves it waiting
// for the session manager, which may quietly route it to the default device instead.
#pragma once

#include <string>
#include <vector>

namespace hush::audio {

enum class PulseDeviceKind { source, sink };

// Names of all sources (monitors of sinks included) or sinks. Throws HUSH_ERR_IO when there
// is no sound server, or it does not answer within `timeout_ms`.
std::vector<std::string> list_pulse_devices(PulseDeviceKind kind, int timeout_ms = 5000);

}  // namespace hush::audio
