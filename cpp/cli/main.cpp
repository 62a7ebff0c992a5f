// Native host for the clicktrail command: reads the files the command asks for, runs it, and
// writes its output. All behaviour lives in the core (clicktrail/cli.hpp).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "clicktrail/cli.hpp"

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
  clicktrail::CliOutput output = clicktrail::run_cli(args, inputs);
  std::fwrite(output.out.data(), 1, output.out.size(), stdout);
  std::fwrite(output.err.data(), 1, output.err.size(), stderr);
  return output.exit_code;
}
