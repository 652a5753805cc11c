// One short-lived libpulse context on its own non-threaded main loop: connect, ask for the
// source or sink list, collect the names, disconnect. The loop is driven by hand with a
// deadline so a server that never answers cannot hang the caller.
#include "audio/pulse_devices.h"

#include <pulse/context.h>
#include <pulse/error.h>
#include <pulse/introspect.h>
#include <pulse/mainloop.h>

#include <chrono>
#include <memory>

#include "util/error.h"

namespace hush::audio {
namespace {

struct MainloopDeleter {
  void operator()(pa_mainloop* m) const noexcept { pa_mainloop_free(m); }
};
struct ContextDeleter {
  void operator()(pa_context* c) const noexcept {
    pa_context_disconnect(c);
    pa_context_unref(c);
  }
};
struct OperationDeleter {
  void operator()(pa_operation* o) const noexcept { pa_operation_unref(o); }
};

struct Listing {
  std::vector<std::string> names;
  bool done = false;
};

void on_source(pa_context*, const pa_source_info* info, int eol, void* user) {
  auto* listing = static_cast<Listing*>(user);
  if (eol != 0) listing->done = true;
  else if (info != nullptr && info->name != nullptr) listing->names.emplace_back(info->name);
}

void on_sink(pa_context*, const pa_sink_info* info, int eol, void* user) {
  auto* listing = static_cast<Listing*>(user);
  if (eol != 0) listing->done = true;
  else if (info != nullptr && info->name != nullptr) listing->names.emplace_back(info->name);
}

}  // namespace

std::vector<std::string> list_pulse_devices(PulseDeviceKind kind, int timeout_ms) {
  const std::unique_ptr<pa_mainloop, MainloopDeleter> loop(pa_mainloop_new());
  if (!loop) throw Error(HUSH_ERR_OUT_OF_MEMORY, "cannot create a PulseAudio main loop");
  const std::unique_ptr<pa_context, ContextDeleter> context(pa_context_new(pa_mainloop_get_api(loop.get()), "Hush"));
  if (!context) throw Error(HUSH_ERR_OUT_OF_MEMORY, "cannot create a PulseAudio context");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto step = [&] {
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error(HUSH_ERR_IO, "the sound server did not answer within " + std::to_string(timeout_ms / 1000) + " s");
    }
    if (pa_mainloop_prepare(loop.get(), 100 * 1000) < 0 || pa_mainloop_poll(loop.get()) < 0 ||
        pa_mainloop_dispatch(loop.get()) < 0) {
      throw Error(HUSH_ERR_IO, "the PulseAudio main loop failed");
    }
  };
  auto no_server = [&] {
    return Error(HUSH_ERR_IO, std::string("cannot connect to the sound server: ") +
                                  pa_strerror(pa_context_errno(context.get())) + " (is PulseAudio or PipeWire running?)");
  };
  if (pa_context_connect(context.get(), nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) throw no_server();
  for (;;) {
    const pa_context_state_t state = pa_context_get_state(context.get());
    if (state == PA_CONTEXT_READY) break;
    if (!PA_CONTEXT_IS_GOOD(state)) throw no_server();
    step();
  }
  Listing listing;
  const std::unique_ptr<pa_operation, OperationDeleter> operation(
      kind == PulseDeviceKind::source ? pa_context_get_source_info_list(context.get(), on_source, &listing)
                                      : pa_context_get_sink_info_list(context.get(), on_sink, &listing));
  if (!operation) throw no_server();
  while (!listing.done) step();
  return listing.names;
}

}  // namespace hush::audio
