// The command-line tool's logic, host-independent: the native binary and the npm `clicktrail`
// command (WebAssembly) both ask plan_cli() which files to read, read them their own way, and
// hand the contents to run_cli(). So both print the same bytes for the same inputs.
//
// Batch commands (events, logs) read inputs that may be larger than memory. Their plan lists
// `stream_files`: the host reads the small `read_files` whole, then opens a CliSession and feeds
// each stream file in chunks of any size (gzip already decompressed), in order:
//
//   CliPlan plan = plan_cli(args);            // plan.streaming
//   CliSession session(args, inputs);         // inputs: read_files contents, env secret
//   for each path: session.begin_file(path); session.write(chunk)...; session.end_file();
//                  (or session.unreadable_file(path, why) when it cannot be opened)
//   CliOutput output = session.finish();
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail {

struct CliPlan {
  std::string error;                      // non-empty: a usage error (exit code 2)
  std::vector<std::string> read_files;    // paths to read whole; "-" is standard input
  std::vector<std::string> stream_files;  // paths to stream into a CliSession; "-" is stdin
  bool streaming = false;                 // run through CliSession rather than run_cli
  bool wants_env_secret = false;          // read CLICKTRAIL_SECRET from the environment
};

struct CliInputs {
  std::map<std::string, std::string> files;  // path -> contents; a missing path was unreadable
  std::optional<std::string> env_secret;
};

struct CliOutput {
  std::string out;    // standard output
  std::string err;    // standard error
  int exit_code = 0;  // 0 ok; 1 refused (verify) or rejected input (--strict); 2 usage/input
};

[[nodiscard]] CliPlan plan_cli(const std::vector<std::string>& args);
[[nodiscard]] CliOutput run_cli(const std::vector<std::string>& args, const CliInputs& inputs);

// The same, for hosts that link one kind of command only (the two WebAssembly modules): the
// one-shot commands (wrap, verify, help, version; anything else is a usage error) and the
// batch commands (events, logs), which run through a CliSession.
[[nodiscard]] bool is_batch_cli_command(const std::vector<std::string>& args);
[[nodiscard]] CliPlan plan_one_shot_cli(const std::vector<std::string>& args);
[[nodiscard]] CliOutput run_one_shot_cli(const std::vector<std::string>& args,
                                         const CliInputs& inputs);
[[nodiscard]] CliPlan plan_batch_cli(const std::vector<std::string>& args);

namespace detail {
class StreamCommand;
}

class CliSession {
 public:
  CliSession(const std::vector<std::string>& args, const CliInputs& inputs);
  ~CliSession();
  CliSession(const CliSession&) = delete;
  CliSession& operator=(const CliSession&) = delete;

  // `expected_bytes`: the file's size when the host knows it (0 when not), so that a command
  // that needs the whole file (events) can reserve it at once instead of growing by copies.
  void begin_file(std::string_view path, std::size_t expected_bytes = 0);
  void write(std::string_view bytes);
  void end_file();
  // A stream file the host could not open or read (`reason` as the host words it).
  void unreadable_file(std::string_view path, std::string_view reason);
  // The command's output; call once, after the last file.
  [[nodiscard]] CliOutput finish();

 private:
  std::unique_ptr<detail::StreamCommand> command_;
  std::string usage_error_;
};

// Hosts show progress on a terminal for inputs over kCliProgressMinBytes; this formats the
// line ("[#########...........]  45%  120.0 MB of 268.0 MB"; total 0 = unknown size).
inline constexpr std::uint64_t kCliProgressMinBytes = 4'000'000;
[[nodiscard]] std::string cli_progress_line(std::uint64_t done, std::uint64_t total);

}  // namespace clicktrail
