// The command-line tool's logic, host-independent: the native binary and the npm `clicktrail`
// command (WebAssembly) both ask plan_cli() which files to read, read them their own way, and
// hand the contents to run_cli(). So both print the same bytes for the same inputs.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clicktrail {

struct CliPlan {
  std::string error;                    // non-empty: a usage error (exit code 2)
  std::vector<std::string> read_files;  // paths to read; "-" is standard input
  bool wants_env_secret = false;        // read CLICKTRAIL_SECRET from the environment
};

struct CliInputs {
  std::map<std::string, std::string> files;  // path -> contents; a missing path was unreadable
  std::optional<std::string> env_secret;
};

struct CliOutput {
  std::string out;    // standard output
  std::string err;    // standard error
  int exit_code = 0;  // 0 ok; 1 verify refused the URL; 2 usage or input error
};

[[nodiscard]] CliPlan plan_cli(const std::vector<std::string>& args);
[[nodiscard]] CliOutput run_cli(const std::vector<std::string>& args, const CliInputs& inputs);

}  // namespace clicktrail
