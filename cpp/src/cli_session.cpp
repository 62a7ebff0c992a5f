// The CLI's entry points over both kinds of command, and the chunked session of the batch
// commands (events, logs). Kept apart from the one-shot commands (cli.cpp) so a host can link
// either kind alone (the two WebAssembly modules do).
#include <algorithm>
#include <cstdio>

#include "cli_detail.hpp"
#include "text_table.hpp"

namespace clicktrail {
namespace {

detail::StreamCommandSetup setup_stream_command(const std::vector<std::string>& args,
                                                const CliInputs* inputs) {
  return args[0] == "events" ? detail::setup_events_command(args, inputs)
                             : detail::setup_logs_command(args, inputs);
}

}  // namespace

bool is_batch_cli_command(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "events" || args[0] == "logs");
}

CliPlan plan_batch_cli(const std::vector<std::string>& args) {
  CliPlan plan;
  if (!is_batch_cli_command(args)) {
    plan.error = "not a batch command (events or logs)";
    return plan;
  }
  detail::StreamCommandSetup setup = setup_stream_command(args, nullptr);
  plan.error = setup.error;
  plan.streaming = setup.error.empty();
  plan.stream_files = std::move(setup.stream_files);
  plan.read_files = std::move(setup.read_files);
  return plan;
}

CliPlan plan_cli(const std::vector<std::string>& args) {
  return is_batch_cli_command(args) ? plan_batch_cli(args) : plan_one_shot_cli(args);
}

CliOutput run_cli(const std::vector<std::string>& args, const CliInputs& inputs) {
  if (!is_batch_cli_command(args)) return run_one_shot_cli(args, inputs);
  // A host that reads everything up front: stream each whole file through a session.
  CliSession session(args, inputs);
  for (const std::string& path : plan_batch_cli(args).stream_files) {
    auto file = inputs.files.find(path);
    if (file == inputs.files.end()) {
      session.unreadable_file(path, "not readable");
      continue;
    }
    session.begin_file(path, file->second.size());
    session.write(file->second);
    session.end_file();
  }
  return session.finish();
}

CliSession::CliSession(const std::vector<std::string>& args, const CliInputs& inputs) {
  if (!is_batch_cli_command(args)) {
    usage_error_ = "only events and logs read their input in chunks";
    return;
  }
  detail::StreamCommandSetup setup = setup_stream_command(args, &inputs);
  usage_error_ = std::move(setup.error);
  command_ = std::move(setup.command);
}

CliSession::~CliSession() = default;

// After a usage error there is no command; the calls do nothing and finish() reports it.
void CliSession::begin_file(std::string_view path, std::size_t expected_bytes) {
  if (command_) command_->begin_file(path, expected_bytes);
}
void CliSession::write(std::string_view bytes) {
  if (command_) command_->write(bytes);
}
void CliSession::end_file() {
  if (command_) command_->end_file();
}
void CliSession::unreadable_file(std::string_view path, std::string_view reason) {
  if (command_) command_->unreadable_file(path, reason);
}
CliOutput CliSession::finish() {
  if (!command_) return detail::cli_usage_error(usage_error_);
  return command_->finish();
}

std::string cli_progress_line(std::uint64_t done, std::uint64_t total) {
  constexpr std::size_t kWidth = 30;
  std::string line;
  if (total == 0) {
    line = detail::format_bytes(done);
    line.append(" read");
    return line;
  }
  std::uint64_t shown = std::min(done, total);
  auto filled = static_cast<std::size_t>(shown * kWidth / total);
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3u%%", static_cast<unsigned>(shown * 100 / total));
  line.append("[").append(filled, '#').append(kWidth - filled, '.').append("] ");
  line.append(percent).append("  ").append(detail::format_bytes(done));
  line.append(" of ").append(detail::format_bytes(total));
  return line;
}

}  // namespace clicktrail
