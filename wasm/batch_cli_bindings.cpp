// Embind bindings of the CLI's batch commands (events, logs): the plan and the chunked session,
// for the npm `clicktrail` bin. Part of the back-office module.
#include <emscripten/bind.h>

#include <limits>
#include <string>

#include "cli_values.hpp"

using namespace clicktrail::wasm;

namespace {

val cli_plan(const val& args) {
  return plan_object(clicktrail::plan_batch_cli(string_array(args)));
}

// The chunked session; chunks arrive through the input buffer.
class CliSession {
 public:
  CliSession(const val& args, const val& files, const val& env_secret)
      : session_(string_array(args), cli_inputs(files, env_secret)) {}
  void begin_file(const std::string& path, double expected_bytes) {
    // A size the module's 32-bit size_t cannot hold (or no number at all) is no hint.
    const bool usable =
        expected_bytes >= 0 &&
        expected_bytes <= static_cast<double>(std::numeric_limits<std::size_t>::max());
    session_.begin_file(path, usable ? static_cast<std::size_t>(expected_bytes) : 0);
  }
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

EMSCRIPTEN_BINDINGS(clicktrail_batch_cli) {
  emscripten::function("cliPlan", &cli_plan);
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
