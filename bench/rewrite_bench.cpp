// Native throughput of rewrite_links on a set of real emails (default: tests/data/emails), as
// the corpus, and as synthetic 1 MB and 10 MB emails made by concatenating it. Prints a table,
// and JSON with --json. Medians of repeated runs; a memchr('<') pass over the same bytes is the
// ceiling for any byte scanner.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "clicktrail/rewrite.hpp"
#include "timing.hpp"

namespace {

using bench::median_seconds;
using bench::sink;

std::vector<std::string> read_emails(const std::string& root) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".html") paths.push_back(entry);
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> emails;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    emails.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return emails;
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = "tests/data/emails";
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0)
      json = true;
    else
      root = argv[i];
  }
  std::vector<std::string> emails = read_emails(root);
  if (emails.empty()) {
    std::fprintf(stderr, "no .html files under %s\n", root.c_str());
    return 1;
  }
  std::size_t corpus_bytes = 0;
  for (const auto& email : emails) corpus_bytes += email.size();
  auto synthetic = [&](std::size_t size) {
    std::string big;
    while (big.size() < size) {
      for (const auto& email : emails) big += email;
    }
    big.resize(size);
    return big;
  };
  std::string one_mb = synthetic(1 << 20), ten_mb = synthetic(10 << 20);

  clicktrail::RewriteOptions options;
  options.base_url = "https://t.example.com";
  options.key = {"k1", "benchmark-secret-0123456789"};
  options.fields.message_id = "m1";
  options.max_links = 1u << 30;  // measure the work on every link, not a capped prefix

  struct Row {
    const char* input;
    std::size_t bytes;
    double rewrite_seconds;
    double memchr_seconds;
  };
  std::vector<Row> rows;
  auto measure = [&](const char* name, const std::vector<const std::string*>& inputs, int runs) {
    std::size_t bytes = 0;
    for (const auto* input : inputs) bytes += input->size();
    double rewrite = median_seconds(runs, [&] {
      for (const auto* input : inputs)
        sink += clicktrail::rewrite_links(*input, options)->output.size();
    });
    double scan = median_seconds(runs, [&] {
      for (const auto* input : inputs) {
        const char* p = input->data();
        const char* end = p + input->size();
        while ((p = static_cast<const char*>(std::memchr(p, '<', end - p)))) {
          ++sink;
          ++p;
        }
      }
    });
    rows.push_back({name, bytes, rewrite, scan});
  };
  std::vector<const std::string*> corpus;
  for (const auto& email : emails) corpus.push_back(&email);
  measure("corpus", corpus, 21);
  measure("1MB", {&one_mb}, 21);
  measure("10MB", {&ten_mb}, 7);

  if (json) {
    std::printf("[");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::printf("%s{\"input\":\"%s\",\"bytes\":%zu,\"rewriteMBps\":%.1f,\"memchrMBps\":%.1f}",
                  i ? "," : "", rows[i].input, rows[i].bytes,
                  rows[i].bytes / rows[i].rewrite_seconds / 1e6,
                  rows[i].bytes / rows[i].memchr_seconds / 1e6);
    }
    std::printf("]\n");
  } else {
    std::printf("%zu emails, %zu bytes (from %s)\n", emails.size(), corpus_bytes, root.c_str());
    std::printf("%-8s %12s %16s %16s\n", "input", "bytes", "rewrite MB/s", "memchr('<') MB/s");
    for (const Row& row : rows) {
      std::printf("%-8s %12zu %16.1f %16.1f\n", row.input, row.bytes,
                  row.bytes / row.rewrite_seconds / 1e6, row.bytes / row.memchr_seconds / 1e6);
    }
  }
  return sink == 0;
}
