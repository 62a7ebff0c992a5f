// Shared by the Catch2 tests: locating and reading test data.
#pragma once
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace test_support {

inline std::string data_path(const std::string& relative) {
  return std::string(CLICKTRAIL_TEST_DATA) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read test data " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every real email in tests/data/emails (copied from the shared corpus), sorted.
inline std::vector<std::string> corpus_emails() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_path("emails"))) {
    if (entry.is_regular_file() && entry.path().extension() == ".html") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw std::runtime_error("no emails under tests/data/emails");
  return paths;
}

// A published-vector file in tests/data/vectors: {"cases": [...], ...}.
inline nlohmann::json load_vectors(const std::string& file_name) {
  const std::string path = data_path("vectors/" + file_name);
  std::ifstream in(path);
  INFO("vector file: " << path);
  REQUIRE(in.good());
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc.contains("cases"));
  REQUIRE(!doc["cases"].empty());
  return doc;
}

}  // namespace test_support
