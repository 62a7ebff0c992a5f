// Embind bindings of the command-line logic (clicktrail/cli.hpp) for the npm `clicktrail` bin:
// the plan, the one-shot run (wrap, verify) and the chunked session (events, logs).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "buffers.hpp"
#include "clicktrail/cli.hpp"

using emscripten::val;

namespace {

std::vector<std::string> string_array(const val& array) {
  std::vector<std::string> out;
  unsigned length = array["length"].as<unsigned>();
  for (unsigned i = 0; i < length; ++i) out.push_back(array[i].as<std::string>());
  return out;
}

val string_list(const std::vector<std::string>& items) {
  val out = val::array();
  for (const std::string& item : items) out.call<void>("push", item);
  return out;
}

// {error, readFiles, streamFiles, streaming, wantsEnvSecret}
val cli_plan(const val& args) {
  clicktrail::CliPlan plan = clicktrail::plan_cli(string_array(args));
  val out = val::object();
  out.set("error", plan.error);
  out.set("readFiles", string_list(plan.read_files));
  out.set("streamFiles", string_list(plan.stream_files));
  out.set("streaming", plan.streaming);
  out.set("wantsEnvSecret", plan.wants_env_secret);
  return out;
}

clicktrail::CliInputs cli_inputs(const val& files, const val& env_secret) {
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
val output_object(clicktrail::CliOutput output) {
  val out = val::object();
  out.set("out", clicktrail::wasm::output_view(std::move(output.out)));
  out.set("err", output.err);
  out.set("exitCode", output.exit_code);
  return out;
}

// files: {path: Uint8Array}.
val cli_run(const val& args, const val& files, const val& env_secret) {
  return output_object(clicktrail::run_cli(string_array(args), cli_inputs(files, env_secret)));
}

// The chunked session; chunks arrive through the input buffer.
class CliSession {
 public:
  CliSession(const val& args, const val& files, const val& env_secret)
      : session_(string_array(args), cli_inputs(files, env_secret)) {}
  void begin_file(const std::string& path) { session_.begin_file(path); }
  void write(std::size_t length) { session_.write(clicktrail::wasm::input_bytes(length)); }
  void end_file() { session_.end_file(); }
  void unreadable_file(const std::string& path, const std::string& reason) {
    session_.unreadable_file(path, reason);
  }
  val finish() { return output_object(session_.finish()); }

 private:
  clicktrail::CliSession session_;
};

std::string progress_line(double done, double total) {
  return clicktrail::cli_progress_line(static_cast<std::uint64_t>(done),
                                       static_cast<std::uint64_t>(total));
}

}  // namespace

EMSCRIPTEN_BINDINGS(clicktrail_cli) {
  emscripten::function("cliPlan", &cli_plan);
  emscripten::function("cliRun", &cli_run);
  emscripten::function("cliProgressLine", &progress_line);
  emscripten::constant("cliProgressMinBytes",
                       static_cast<double>(clicktrail::kCliProgressMinBytes));
  emscripten::class_<CliSession>("CliSession")
      .constructor<val, val, val>()
      .function("beginFile", &CliSession::begin_file)
      .function("write", &CliSession::write)
      .function("endFile", &CliSession::end_file)
      .function("unreadableFile", &CliSession::unreadable_file)
      .function("finish", &CliSession::finish);
}
