// Internal: what the CLI's commands share. The batch commands (events, logs) are
// StreamCommands: CliSession forwards the host's file chunks to one of them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clicktrail/cli.hpp"

namespace clicktrail::detail {

class StreamCommand {
 public:
  virtual ~StreamCommand() = default;
  virtual void begin_file(std::string_view path, std::size_t expected_bytes) = 0;
  virtual void write(std::string_view bytes) = 0;
  virtual void end_file() = 0;
  virtual CliOutput finish() = 0;

  // A file (input, stored list, partial aggregate) that could not be used: reported on stderr
  // and exit code 2, after the rest has been processed.
  void add_setup_error(std::string message) { setup_errors_.push_back(std::move(message)); }
  void unreadable_file(std::string_view path, std::string_view reason) {
    add_setup_error("cannot read '" + std::string(path) + "': " + std::string(reason));
  }

 protected:
  // "clicktrail: MESSAGE\n" for each setup error.
  std::string setup_error_lines() const;
  // 2 after a setup error; else 1 when --strict and something was rejected; else 0.
  int exit_code(bool strict, std::uint64_t rejected) const;

 private:
  std::vector<std::string> setup_errors_;
};

// Output formats of the batch commands.
enum class CliFormat { json, ndjson, csv, table };
[[nodiscard]] bool parse_cli_format(std::string_view text, CliFormat& out);

// A parsed batch command line: `error` is a usage error; otherwise the files to read and the
// command object (built only when `inputs` is given, i.e. in the session, not in the plan).
struct StreamCommandSetup {
  std::string error;
  std::vector<std::string> stream_files;
  std::vector<std::string> read_files;
  std::unique_ptr<StreamCommand> command;
};
[[nodiscard]] StreamCommandSetup setup_events_command(const std::vector<std::string>& args,
                                                      const CliInputs* inputs);
[[nodiscard]] StreamCommandSetup setup_logs_command(const std::vector<std::string>& args,
                                                    const CliInputs* inputs);

[[nodiscard]] bool parse_cli_int(const std::string& text, std::int64_t& out);
// The usage text (`clicktrail --help`).
[[nodiscard]] const char* cli_usage();
// "clicktrail: MESSAGE\n\nusage..." with exit code 2.
[[nodiscard]] CliOutput cli_usage_error(const std::string& message);

// The lines batch commands print on stderr after their output: at most kMaxReportedProblems
// problem lines, then how many more there were.
inline constexpr std::size_t kMaxReportedProblems = 100;

}  // namespace clicktrail::detail
