// Native host for the clicktrail command: reads the files the command asks for, runs it, and
// writes its output. All behaviour lives in the core (clicktrail/cli.hpp); this file only does
// I/O: whole files for wrap/verify, chunked (and gunzipped) streams for events/logs, and a
// progress line on a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "clicktrail/cli.hpp"
#include "input_stream.hpp"

namespace {

bool read_all(const std::string& path, std::string& out) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    out = buffer.str();
    return !std::cin.bad();
  }
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return false;  // reading one would throw
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  try {
    out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    return false;  // an I/O error while reading: reported by the core as unreadable
  }
  return !file.bad();
}

// Progress on stderr, only when it is a terminal and the input is large; redrawn at most
// ten times a second.
class Progress {
 public:
  explicit Progress(std::uint64_t total)
      : total_(total),
        enabled_(isatty(STDERR_FILENO) && total > clicktrail::kCliProgressMinBytes) {}
  void update(std::uint64_t done) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::string line = "\r" + clicktrail::cli_progress_line(done, total_) + "\033[K";
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void clear() {
    if (enabled_) std::fputs("\r\033[K", stderr);
  }

 private:
  std::uint64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

void stream_files(const clicktrail::CliPlan& plan, clicktrail::CliSession& session) {
  std::uint64_t total = 0;
  for (const auto& path : plan.stream_files) total += clicktrail::cli::InputStream::file_size(path);
  Progress progress(total);
  std::uint64_t done_before = 0;
  for (const auto& path : plan.stream_files) {
    clicktrail::cli::InputStream input;
    std::string error;
    if (!input.open(path, error)) {
      session.unreadable_file(path, error);
      continue;
    }
    session.begin_file(path, input.file_size());
    for (std::string_view chunk = input.next(error); !chunk.empty(); chunk = input.next(error)) {
      session.write(chunk);
      progress.update(done_before + input.raw_bytes_read());
    }
    session.end_file();
    // A read or gzip error mid-file: what came before it is kept and the file is reported.
    if (!error.empty()) session.unreadable_file(path, error);
    done_before += input.raw_bytes_read();
  }
  progress.clear();
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  clicktrail::CliPlan plan = clicktrail::plan_cli(args);
  clicktrail::CliInputs inputs;
  for (const std::string& path : plan.read_files) {
    std::string contents;
    if (read_all(path, contents)) inputs.files.emplace(path, std::move(contents));
  }
  if (plan.wants_env_secret) {
    if (const char* secret = std::getenv("CLICKTRAIL_SECRET")) inputs.env_secret = secret;
  }
  clicktrail::CliOutput output;
  if (plan.streaming) {
    clicktrail::CliSession session(args, inputs);
    stream_files(plan, session);
    output = session.finish();
  } else {
    output = clicktrail::run_cli(args, inputs);
  }
  std::fwrite(output.out.data(), 1, output.out.size(), stdout);
  std::fwrite(output.err.data(), 1, output.err.size(), stderr);
  return output.exit_code;
}
