// hush_ladspa.so: the LADSPA entry point and the host-facing callbacks. The plugin links the
// library statically and exports nothing but ladspa_descriptor (hush_ladspa.map), so it
// cannot clash with a libhush.so the host may also have loaded.
//
// Real-time contract: instantiate() allocates the stream; activate() builds a fresh library
// processor with the current control values (it may allocate, as LADSPA allows); run() only
// computes -- no allocation, lock, log or system call -- and forwards controls that changed
// through the library's lock-free setters.
#include <ladspa.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "frame_processor.h"
#include "frame_stream.h"
#include "plugin_ports.h"
#include "stream_plan.h"

namespace hush::ladspa {
namespace {

constexpr std::size_t kMaxControls = 3;
static_assert(std::size(kMicControls) <= kMaxControls && std::size(kSpeakerControls) <= kMaxControls);

struct Instance {
  const PluginSpec* spec;
  FrameStream stream;
  const LADSPA_Data* input = nullptr;
  LADSPA_Data* output = nullptr;
  LADSPA_Data* latency = nullptr;
  std::array<const LADSPA_Data*, kMaxControls> controls{};
  // The last value handed to the library per control; NaN = none yet.
  std::array<float, kMaxControls> applied;

  Instance(const PluginSpec* s, int host_rate_hz, std::unique_ptr<FrameProcessor> processor)
      : spec(s), stream(host_rate_hz, std::move(processor)) {
    applied.fill(std::numeric_limits<float>::quiet_NaN());
  }

  // The value control `i` asks for, range-checked; NaN when it is not connected or not
  // finite (the last value then stays).
  float requested(std::size_t i) const {
    if (!controls[i] || !std::isfinite(*controls[i])) return std::numeric_limits<float>::quiet_NaN();
    const ControlSpec& c = spec->controls[i];
    const float value = std::clamp(*controls[i], c.min, c.max);
    return c.integer ? std::round(value) : value;
  }

  // run(): forwards each control that changed, through the library's lock-free setters.
  void apply_controls() {
    for (std::size_t i = 0; i < spec->controls.size(); ++i) {
      const float value = requested(i);
      if (std::isnan(value) || value == applied[i]) continue;
      applied[i] = value;
      stream.processor().set_control(int(i), value);
    }
  }

  // activate(): a fresh processor configured with the current controls (the first frame
  // already runs at the host's values instead of gliding there from the defaults).
  void restart() {
    std::array<float, kMaxControls> values{};
    for (std::size_t i = 0; i < spec->controls.size(); ++i) {
      float value = requested(i);
      if (std::isnan(value)) value = std::isnan(applied[i]) ? spec->controls[i].library_default : applied[i];
      applied[i] = values[i] = value;
    }
    stream.processor().restart(std::span<const float>(values.data(), spec->controls.size()));
    stream.reset();
  }

  void report_latency() {
    if (latency) *latency = LADSPA_Data(stream.latency_samples());
  }
};

LADSPA_Handle instantiate(const LADSPA_Descriptor* descriptor, unsigned long rate_hz) {
  if (!descriptor || rate_hz < kMinHostRateHz || rate_hz > kMaxHostRateHz) return nullptr;
  const auto* spec = static_cast<const PluginSpec*>(descriptor->ImplementationData);
  // Nothing may escape into the C host: any failure is a NULL handle.
  try {
    const int host_rate = int(rate_hz);
    const int processing_rate = processing_rate_for(host_rate);
    auto processor = spec->kind == PluginKind::kMic ? make_mic_processor(processing_rate)
                                                    : make_speaker_processor(processing_rate);
    return new Instance(spec, host_rate, std::move(processor));
  } catch (...) {
    return nullptr;
  }
}

void connect_port(LADSPA_Handle handle, unsigned long port, LADSPA_Data* data) {
  auto* instance = static_cast<Instance*>(handle);
  if (!instance) return;
  if (port == kInputPort) {
    instance->input = data;
  } else if (port == kOutputPort) {
    instance->output = data;
  } else if (port == latency_port(*instance->spec)) {
    instance->latency = data;
    instance->report_latency();  // known from instantiate on; some hosts read it before run()
  } else if (port >= kFirstControlPort && port < latency_port(*instance->spec)) {
    instance->controls[port - kFirstControlPort] = data;
  }
}

void activate(LADSPA_Handle handle) {
  auto* instance = static_cast<Instance*>(handle);
  if (!instance) return;
  instance->restart();
  instance->report_latency();
}

void run(LADSPA_Handle handle, unsigned long sample_count) {
  auto* instance = static_cast<Instance*>(handle);
  if (!instance) return;
  instance->report_latency();
  if (!instance->output) return;
  if (!instance->input) {  // a host bug; keep the output defined
    std::fill(instance->output, instance->output + sample_count, 0.0f);
    return;
  }
  instance->apply_controls();
  instance->stream.process(instance->input, instance->output, sample_count);
}

void cleanup(LADSPA_Handle handle) { delete static_cast<Instance*>(handle); }

// The descriptors, built once from plugin_ports.h on first use (never in a host's audio thread).
struct DescriptorStorage {
  std::vector<LADSPA_PortDescriptor> ports;
  std::vector<const char*> names;
  std::vector<LADSPA_PortRangeHint> hints;
  LADSPA_Descriptor descriptor{};

  explicit DescriptorStorage(const PluginSpec& spec) {
    add(LADSPA_PORT_INPUT | LADSPA_PORT_AUDIO, "Input", {0, 0.0f, 0.0f});
    add(LADSPA_PORT_OUTPUT | LADSPA_PORT_AUDIO, "Output", {0, 0.0f, 0.0f});
    for (const ControlSpec& c : spec.controls) {
      LADSPA_PortRangeHintDescriptor hint =
          LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | c.default_hint;
      if (c.integer) hint |= LADSPA_HINT_INTEGER;
      add(LADSPA_PORT_INPUT | LADSPA_PORT_CONTROL, c.name, {hint, c.min, c.max});
    }
    // A default keeps hosts that give every control port a value (sox without -l) happy.
    add(LADSPA_PORT_OUTPUT | LADSPA_PORT_CONTROL, kLatencyPortName,
        {LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_0, 0.0f, 0.0f});

    descriptor.UniqueID = spec.unique_id;
    descriptor.Label = spec.label;
    descriptor.Properties = LADSPA_PROPERTY_HARD_RT_CAPABLE;
    descriptor.Name = spec.name;
    descriptor.Maker = "Hush project";
    descriptor.Copyright = "Hush contributors";
    descriptor.PortCount = ports.size();
    descriptor.PortDescriptors = ports.data();
    descriptor.PortNames = names.data();
    descriptor.PortRangeHints = hints.data();
    descriptor.ImplementationData = const_cast<PluginSpec*>(&spec);
    descriptor.instantiate = instantiate;
    descriptor.connect_port = connect_port;
    descriptor.activate = activate;
    descriptor.run = run;
    descriptor.run_adding = nullptr;
    descriptor.set_run_adding_gain = nullptr;
    descriptor.deactivate = nullptr;
    descriptor.cleanup = cleanup;
  }

  // The descriptor points into the vectors: never copied or moved.
  DescriptorStorage(const DescriptorStorage&) = delete;
  DescriptorStorage& operator=(const DescriptorStorage&) = delete;

  void add(LADSPA_PortDescriptor port, const char* name, LADSPA_PortRangeHint hint) {
    ports.push_back(port);
    names.push_back(name);
    hints.push_back(hint);
  }
};

const LADSPA_Descriptor* descriptor_at(unsigned long index) {
  try {
    // Destroyed when the host unloads the plugin, so a dlclose leaves nothing behind.
    static const std::array<DescriptorStorage, std::size(kPlugins)> storage{
        DescriptorStorage(kPlugins[0]), DescriptorStorage(kPlugins[1])};
    return index < storage.size() ? &storage[index].descriptor : nullptr;
  } catch (...) {  // out of memory while building them: report no plugins, try again later
    return nullptr;
  }
}

}  // namespace
}  // namespace hush::ladspa

extern "C" __attribute__((visibility("default"))) const LADSPA_Descriptor* ladspa_descriptor(
    unsigned long index) {
  return hush::ladspa::descriptor_at(index);
}
