// Internal to the CLI bindings: JS values <-> the CLI's plain structs.
#pragma once
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "buffers.hpp"
#include "clicktrail/cli.hpp"

namespace clicktrail::wasm {

using emscripten::val;

inline std::vector<std::string> string_array(const val& array) {
  std::vector<std::string> out;
  unsigned length = array["length"].as<unsigned>();
  for (unsigned i = 0; i < length; ++i) out.push_back(array[i].as<std::string>());
  return out;
}

inline val string_list(const std::vector<std::string>& items) {
  val out = val::array();
  for (const std::string& item : items) out.call<void>("push", item);
  return out;
}

inline clicktrail::CliInputs cli_inputs(const val& files, const val& env_secret) {
  clicktrail::CliInputs inputs;
  val keys = val::global("Object").call<val>("keys", files);
  for (const std::string& path : string_array(keys)) {
    inputs.files.emplace(path, files[path].as<std::string>());
  }
  if (!env_secret.isUndefined() && !env_secret.isNull()) {
    inputs.env_secret = env_secret.as<std::string>();
  }
  return inputs;
}

// {out: Uint8Array view (copy it), err, exitCode}
inline val output_object(clicktrail::CliOutput output) {
  val out = val::object();
  out.set("out", clicktrail::wasm::output_view(std::move(output.out)));
  out.set("err", output.err);
  out.set("exitCode", output.exit_code);
  return out;
}

// {error, readFiles, streamFiles, streaming, wantsEnvSecret}
inline val plan_object(const clicktrail::CliPlan& plan) {
  val out = val::object();
  out.set("error", plan.error);
  out.set("readFiles", string_list(plan.read_files));
  out.set("streamFiles", string_list(plan.stream_files));
  out.set("streaming", plan.streaming);
  out.set("wantsEnvSecret", plan.wants_env_secret);
  return out;
}

}  // namespace clicktrail::wasm
