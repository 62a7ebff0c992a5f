// Embind bindings of the one-shot commands of the CLI (clicktrail/cli.hpp: wrap, verify, help,
// version) for the npm `clicktrail` bin; events and logs are in the back-office module.
#include <emscripten/bind.h>

#include "cli_values.hpp"

using namespace clicktrail::wasm;

namespace {

val cli_plan(const val& args) {
  return plan_object(clicktrail::plan_one_shot_cli(string_array(args)));
}

// files: {path: Uint8Array}.
val cli_run(const val& args, const val& files, const val& env_secret) {
  return output_object(
      clicktrail::run_one_shot_cli(string_array(args), cli_inputs(files, env_secret)));
}

}  // namespace

EMSCRIPTEN_BINDINGS(clicktrail_cli) {
  emscripten::function("cliPlan", &cli_plan);
  emscripten::function("cliRun", &cli_run);
}
