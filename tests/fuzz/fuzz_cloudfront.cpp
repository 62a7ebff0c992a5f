// Fuzzes the CloudFront log parser and the aggregator: the input's first bytes choose chunk
// sizes, the rest is the log. Every line must be counted exactly once (accepted + rejected +
// skipped == lines), and the whole input and the chunked input must give the same result.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clicktrail/aggregate.hpp"
#include "clicktrail/cloudfront.hpp"

namespace {

struct Outcome {
  std::string hits;
  std::string report;
  std::string aggregate;
  std::string serialized;  // the partial aggregate on its own
};

Outcome run(std::string_view log, std::string_view sizes) {
  Outcome outcome;
  clicktrail::CloudFrontParseOptions parse_options;
  parse_options.max_line_length = 4096;
  clicktrail::ClickAggregator aggregator;
  clicktrail::CloudFrontLogParser parser(
      [&](const clicktrail::CloudFrontHit& hit) {
        outcome.hits += std::to_string(hit.line) + ' ' + std::to_string(hit.epoch_ms) + ' ';
        for (auto field : hit.fields) {
          outcome.hits += field;
          outcome.hits += '\t';
        }
        outcome.hits += '\n';
        aggregator.add(hit);
      },
      parse_options);
  if (sizes.empty()) {
    parser.write(log);
  } else {
    std::size_t pos = 0, k = 0;
    while (pos < log.size()) {
      std::size_t n = 1 + static_cast<unsigned char>(sizes[k++ % sizes.size()]) % 64;
      n = std::min(n, log.size() - pos);
      parser.write(log.substr(pos, n));
      pos += n;
    }
  }
  parser.end();
  aggregator.finish();
  const auto& stats = parser.stats();
  if (stats.lines != stats.accepted + stats.rejected + stats.skipped) std::abort();
  if (stats.bytes != log.size()) std::abort();
  outcome.report = parser.report_json();
  outcome.serialized = aggregator.serialize();
  outcome.aggregate = outcome.serialized + aggregator.to_csv() + aggregator.to_json();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t split = size == 0 ? 0 : static_cast<unsigned char>(input[0]) % 8;
  std::string_view sizes = input.substr(size == 0 ? 0 : 1, std::min(split, size ? size - 1 : 0));
  std::string_view log = input.substr(std::min(size, 1 + sizes.size()));
  Outcome whole = run(log, {});
  Outcome chunked = run(log, sizes.empty() ? std::string_view("\x01", 1) : sizes);
  if (whole.hits != chunked.hits || whole.report != chunked.report ||
      whole.aggregate != chunked.aggregate) {
    std::abort();
  }
  // A serialised partial aggregate loads back; invalid UTF-8 in keys becomes U+FFFD on the
  // first trip, so from then on the text is stable.
  // (Kept apart: a field value may itself contain any text, such as the CSV header.)
  clicktrail::ClickAggregator once, twice;
  if (!once.merge_serialized(whole.serialized)) std::abort();
  const std::string again = once.serialize();
  if (!twice.merge_serialized(again) || twice.serialize() != again) std::abort();
  return 0;
}
