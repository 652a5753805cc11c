// The PipeWire side of `hush live`: filling in the drop-in, finding and checking the plugin,
// and reading the graph with pw-dump (PipeWire's own JSON dump, from pipewire-bin), which
// avoids linking libpipewire into the CLI for one query.
#include "apps/hush/live_pipewire.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "apps/hush/live_subprocess.h"
#include "util/error.h"

namespace hush::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPluginFile = "hush_ladspa.so";
constexpr int kPwDumpTimeoutMs = 5000;

#if defined(__x86_64__)
constexpr const char* kMultiarch = "x86_64-linux-gnu";
#elif defined(__aarch64__)
constexpr const char* kMultiarch = "aarch64-linux-gnu";
#else
constexpr const char* kMultiarch = "";
#endif

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void replace_all(std::string& text, const std::string& key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// A file, or a folder that holds hush_ladspa.so: the plugin's path, or "" if not there.
std::string plugin_at(const fs::path& place) {
  std::error_code ec;
  const fs::path file = fs::is_directory(place, ec) ? place / kPluginFile : place;
  if (!fs::is_regular_file(file, ec)) return {};
  return fs::canonical(file, ec).string();
}

fs::path own_binary_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

// The LADSPA descriptor's first two fields (ladspa.h, version 1.1, a frozen ABI): enough to
// read the labels without depending on the SDK header.
struct LadspaDescriptorHead {
  unsigned long unique_id;
  const char* label;
};
using LadspaDescriptorFunction = const LadspaDescriptorHead* (*)(unsigned long index);

}  // namespace

std::string render_filter_config(const std::string& plugin_path, const FilterSettings& settings) {
  std::string text = kFilterChainTemplate;
  replace_all(text, "@HUSH_LADSPA_PLUGIN@", plugin_path);
  replace_all(text, "@MIC_STRENGTH_DB@", number_text(settings.mic_strength_db));
  replace_all(text, "@BACKGROUND_VOICES_DB@", number_text(settings.background_voices_db));
  replace_all(text, "@VOICE_GATE_MS@", number_text(settings.voice_gate_ms));
  replace_all(text, "@SPEAKER_STRENGTH_DB@", number_text(settings.speaker_strength_db));
  return text;
}

std::string filter_dropin_path() {
  fs::path config = env("XDG_CONFIG_HOME");
  if (config.empty() || !config.is_absolute()) {  // the XDG spec ignores relative values
    const std::string home = env("HOME");
    if (home.empty()) throw Error(HUSH_ERR_IO, "neither XDG_CONFIG_HOME nor HOME is set: cannot find the PipeWire config folder");
    config = fs::path(home) / ".config";
  }
  return (config / "pipewire" / "pipewire.conf.d" / "hush-noise-cancel.conf").string();
}

std::string find_ladspa_plugin(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    std::string found = plugin_at(explicit_path);
    if (found.empty()) throw Error(HUSH_ERR_IO, "--plugin " + explicit_path + ": no " + kPluginFile + " there");
    return found;
  }
  if (const std::string from_env = env("HUSH_LADSPA_PATH"); !from_env.empty()) {
    std::string found = plugin_at(from_env);
    if (found.empty()) throw Error(HUSH_ERR_IO, "HUSH_LADSPA_PATH=" + from_env + ": no " + kPluginFile + " there");
    return found;
  }
  std::vector<fs::path> places;
  if (const fs::path bin = own_binary_dir(); !bin.empty()) {
    places.push_back(bin / ".." / "plugins" / "ladspa");  // build tree: build/<preset>/apps/hush
    places.push_back(bin / ".." / "lib" / "ladspa");      // installed: <prefix>/bin/hush
    if (*kMultiarch != '\0') places.push_back(bin / ".." / "lib" / kMultiarch / "ladspa");
  }
  std::stringstream ladspa_path(env("LADSPA_PATH"));
  for (std::string dir; std::getline(ladspa_path, dir, ':');) {
    if (!dir.empty()) places.emplace_back(dir);
  }
  places.emplace_back("/usr/local/lib/ladspa");
  places.emplace_back("/usr/lib/ladspa");
  if (*kMultiarch != '\0') places.push_back(fs::path("/usr/lib") / kMultiarch / "ladspa");

  std::string looked;
  for (const fs::path& place : places) {
    if (std::string found = plugin_at(place); !found.empty()) return found;
    looked += (looked.empty() ? "" : ", ") + place.lexically_normal().string();
  }
  throw Error(HUSH_ERR_IO, std::string("cannot find the Hush LADSPA plugin ") + kPluginFile + " (looked in " + looked +
                               "); build it (cmake --build build/release --target hush_ladspa), or give --plugin "
                               "PATH or HUSH_LADSPA_PATH");
}

void check_ladspa_plugin(const std::string& plugin_path) {
  // RTLD_NODELETE: the plugin stays mapped after dlclose, so whatever it keeps in globals is
  // still reachable (no false leak reports) and its destructors cannot run twice.
  void* handle = ::dlopen(plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw Error(HUSH_ERR_FORMAT, plugin_path + ": cannot load it as a LADSPA plugin: " + (why ? why : "unknown reason"));
  }
  const auto descriptor = reinterpret_cast<LadspaDescriptorFunction>(::dlsym(handle, "ladspa_descriptor"));
  std::set<std::string> labels;
  for (unsigned long i = 0; descriptor != nullptr && i < 64; ++i) {
    const LadspaDescriptorHead* d = descriptor(i);
    if (d == nullptr) break;
    if (d->label != nullptr) labels.insert(d->label);
  }
  ::dlclose(handle);
  if (descriptor == nullptr) throw Error(HUSH_ERR_FORMAT, plugin_path + ": not a LADSPA plugin (no ladspa_descriptor)");
  for (const char* needed : {"hush_mic", "hush_speaker"}) {
    if (labels.count(needed) == 0) {
      throw Error(HUSH_ERR_FORMAT, plugin_path + ": not the Hush plugin (it has no '" + needed + "' label)");
    }
  }
}

FilterStatus query_filter_status() {
  FilterStatus status;
  const ProcessResult dump = run_process({"pw-dump"}, kPwDumpTimeoutMs);
  if (!dump.started) {
    status.problem = "pw-dump is not installed (Debian/Ubuntu: apt install pipewire-bin)";
    return status;
  }
  if (dump.timed_out) {
    status.problem = "PipeWire did not answer pw-dump within 5 s";
    return status;
  }
  if (dump.exit_code != 0) {
    const std::string why = first_line(dump.err);
    status.problem = "PipeWire is not running or not reachable (pw-dump: " + (why.empty() ? "exit " + std::to_string(dump.exit_code) : why) + ")";
    return status;
  }
  const nlohmann::json graph = nlohmann::json::parse(dump.out, nullptr, /*allow_exceptions=*/false);
  if (!graph.is_array()) {
    status.problem = "pw-dump printed something that is not PipeWire's JSON dump";
    return status;
  }
  status.pipewire_reachable = true;
  for (const nlohmann::json& object : graph) {
    if (!object.is_object() || object.value("type", "") != "PipeWire:Interface:Node") continue;
    const nlohmann::json* props = nullptr;
    if (const auto info = object.find("info"); info != object.end() && info->is_object()) {
      if (const auto p = info->find("props"); p != info->end() && p->is_object()) props = &*p;
    }
    if (props == nullptr) continue;
    const auto name = props->find("node.name");
    if (name == props->end() || !name->is_string()) continue;
    if (*name == kMicSourceNode) status.mic_source = true;
    if (*name == kSpeakerSinkNode) status.speaker_sink = true;
  }
  return status;
}

}  // namespace hush::cli
