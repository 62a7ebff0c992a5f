// Internal pieces every CLI command shares: the usage text, usage errors, numbers and formats.
#include <charconv>
#include <utility>

#include "cli_detail.hpp"

namespace clicktrail::detail {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  clicktrail wrap [FILE|-] --base-url URL --key-id ID (--secret-file F | env "
    "CLICKTRAIL_SECRET)\n"
    "                  [--message-id M] [--recipient ADDRESS | --recipient-id ID]\n"
    "                  [--order-id X] [--campaign-id X] [--publication-id X] [--channel X]\n"
    "                  [--creative X] [--size X] [--tag K:V]... [--expires-at EPOCH_SECONDS]\n"
    "                  [--unsubscribe-url URL]... [--max-links N] [--mode wrap|ses] [--text]\n"
    "                  [--no-pixel] [--no-linkify] [--no-clicks] [--json]\n"
    "  clicktrail verify URL --key-id ID (--secret-file F | env CLICKTRAIL_SECRET)\n"
    "                  [--key ID=SECRET_FILE]... [--allowed-host HOST]... [--now EPOCH_SECONDS]\n"
    "  clicktrail events [FILE...|-] [--format ndjson|json|table|csv]\n"
    "                  [--suppression [--soft-bounces N --within-sends M] [--merge-suppression "
    "F]]\n"
    "                  [--reputation [--since ISO8601] [--until ISO8601]] [--engagement] "
    "[--strict]\n"
    "  clicktrail logs [FILE...|-] [--daily] [--format json|ndjson|csv|table] [--exact]\n"
    "                  [--forwarded-for] [--no-bursts] [--partial] [--merge-partial F]... "
    "[--strict]\n"
    "\n"
    "wrap prints the rewritten HTML (or text), or with --json {html, links, warnings, ...}.\n"
    "verify prints the decoded fields as JSON; exit 0 when valid, 1 when refused.\n"
    "events reads Amazon SES events (raw, SNS or EventBridge; NDJSON, arrays or concatenated\n"
    "  JSON) and prints one record per recipient, or the suppression list, bounce and complaint\n"
    "  rates against SES's levels, or opens and clicks per message and recipient.\n"
    "logs aggregates CloudFront access logs of /c and /pxl.png into clicks, impressions, unique\n"
    "  clicks, reach and CTR per day, order, campaign, publication, channel, creative and size.\n"
    "gzip files are decompressed. A summary goes to stderr; with --strict any rejected\n"
    "record or line makes the exit code 1.\n";

}  // namespace

const char* cli_usage() {
  return kUsage;
}

bool parse_cli_int(const std::string& text, std::int64_t& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

CliOutput cli_usage_error(const std::string& message) {
  return {"", "clicktrail: " + message + "\n\n" + kUsage, 2};
}

bool parse_cli_format(std::string_view text, CliFormat& out) {
  static constexpr std::pair<std::string_view, CliFormat> kFormats[] = {
      {"json", CliFormat::json},
      {"ndjson", CliFormat::ndjson},
      {"csv", CliFormat::csv},
      {"table", CliFormat::table}};
  for (const auto& [name, format] : kFormats) {
    if (text == name) {
      out = format;
      return true;
    }
  }
  return false;
}

std::string StreamCommand::setup_error_lines() const {
  std::string lines;
  for (const auto& message : setup_errors_) lines += "clicktrail: " + message + "\n";
  return lines;
}

int StreamCommand::exit_code(bool strict, std::uint64_t rejected) const {
  if (!setup_errors_.empty()) return 2;
  return strict && rejected > 0 ? 1 : 0;
}

}  // namespace clicktrail::detail
