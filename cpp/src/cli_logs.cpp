// `clicktrail logs`: CloudFront access logs streamed through the parser into one click
// aggregator. Memory stays bounded by the longest line and the number of distinct keys, not by
// the input size. Each file gets its own parser (line numbers per file; a file without a final
// newline cannot run into the next one); all share the aggregator.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_detail.hpp"
#include "clicktrail/aggregate.hpp"
#include "clicktrail/cloudfront.hpp"
#include "text_table.hpp"

namespace clicktrail::detail {
namespace {

struct LogsArgs {
  std::vector<std::string> files;
  CliFormat format = CliFormat::json;
  bool daily = false;
  bool partial = false;
  bool strict = false;
  AggregateOptions options;
  std::vector<std::string> merge_partial;
};

std::string parse_logs_args(const std::vector<std::string>& args, LogsArgs& out) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--format") {
      if (i + 1 >= args.size() || !parse_cli_format(args[++i], out.format))
        return "--format must be json, ndjson, csv or table";
    } else if (arg == "--daily") {
      out.daily = true;
    } else if (arg == "--exact") {
      out.options.exact = true;
    } else if (arg == "--forwarded-for") {
      out.options.use_forwarded_for = true;
    } else if (arg == "--no-bursts") {
      out.options.detect_bursts = false;
    } else if (arg == "--partial") {
      out.partial = true;
    } else if (arg == "--strict") {
      out.strict = true;
    } else if (arg == "--merge-partial") {
      if (i + 1 >= args.size()) return "--merge-partial needs a FILE";
      out.merge_partial.push_back(args[++i]);
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option " + arg + " for logs";
    } else {
      out.files.push_back(arg);
    }
  }
  if (out.files.empty() && out.merge_partial.empty()) out.files.push_back("-");
  return {};
}

std::string ctr_text(double ctr) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", ctr * 100);
  return text;
}

class LogsCommand final : public StreamCommand {
 public:
  explicit LogsCommand(LogsArgs args) : args_(std::move(args)), aggregator_(args_.options) {}

  bool merge_partial(std::string_view text, std::string* error) {
    return aggregator_.merge_serialized(text, error);
  }

  void begin_file(std::string_view path, std::size_t /*expected_bytes*/) override {
    path_ = path;
    parser_.emplace([this](const CloudFrontHit& hit) { aggregator_.add(hit); });
  }
  void write(std::string_view bytes) override { parser_->write(bytes); }
  void end_file() override {
    parser_->end();
    const CloudFrontStats& s = parser_->stats();
    totals_.lines += s.lines;
    totals_.accepted += s.accepted;
    totals_.rejected += s.rejected;
    totals_.skipped += s.skipped;
    totals_.bytes += s.bytes;
    ++files_;
    for (const auto& error : parser_->errors()) {
      if (line_errors_.size() >= kMaxReportedProblems) break;
      line_errors_.push_back(path_ + ":" + std::to_string(error.line) +
                             ": rejected: " + std::string(error.reason) + ": " + error.excerpt);
    }
    parser_.reset();
  }

  CliOutput finish() override {
    aggregator_.finish();
    CliOutput output;
    output.out = rows_output();
    output.err = problems();
    output.exit_code = exit_code(args_.strict, totals_.rejected);
    return output;
  }

 private:
  std::string rows_output() const {
    if (args_.partial) return aggregator_.serialize();
    switch (args_.format) {
      case CliFormat::json:
        return aggregator_.to_json(args_.daily) + "\n";
      case CliFormat::ndjson:
        return aggregator_.to_ndjson(args_.daily);
      case CliFormat::csv:
        return aggregator_.to_csv(args_.daily);
      case CliFormat::table:
        break;
    }
    TextTable table({"DAY", "ORDER", "CAMPAIGN", "PUBLICATION", "CHANNEL", "CREATIVE", "SIZE",
                     "IMPRESSIONS", "CLICKS", "UNIQUE CLICKS", "REACH", "CTR", "MACHINE HITS"});
    for (std::size_t column = 7; column <= 12; ++column) table.set_numeric(column);
    for (const AggregateRow& row : aggregator_.rows(args_.daily)) {
      std::string days =
          row.date_start == row.date_end ? row.date_start : row.date_start + ".." + row.date_end;
      table.add_row({days, row.key.order_id, row.key.campaign_id, row.key.publication_id,
                     row.key.channel, row.key.creative, row.key.size,
                     std::to_string(row.human.impressions), std::to_string(row.human.clicks),
                     std::to_string(row.human.unique_clicks.count()),
                     std::to_string(row.human.reach.count()), ctr_text(row.ctr()),
                     std::to_string(row.machine.clicks + row.machine.impressions)});
    }
    return table.render();
  }

  std::string problems() const {
    std::string err = setup_error_lines();
    for (const auto& line : line_errors_) err += "clicktrail: " + line + "\n";
    if (totals_.rejected > line_errors_.size()) {
      err += "clicktrail: ... " + group_thousands(totals_.rejected - line_errors_.size()) +
             " more rejected lines not listed\n";
    }
    const AggregateStats& stats = aggregator_.stats();
    std::uint64_t machine = 0;
    for (const auto& [reason, hits] : stats.machine_reasons) machine += hits;
    err += "clicktrail logs: " + group_thousands(files_) + (files_ == 1 ? " file, " : " files, ") +
           format_bytes(totals_.bytes) + ", " + group_thousands(totals_.lines) +
           " lines: " + group_thousands(totals_.accepted) + " accepted, " +
           group_thousands(totals_.rejected) + " rejected, " + group_thousands(totals_.skipped) +
           " headers/blank; " + group_thousands(stats.counted) + " tracking hits (" +
           group_thousands(stats.counted - machine) + " human, " + group_thousands(machine) +
           " machine), " + group_thousands(stats.other_paths) + " other paths, " +
           group_thousands(stats.refused_status) + " refused by the edge\n";
    return err;
  }

  LogsArgs args_;
  ClickAggregator aggregator_;
  std::optional<CloudFrontLogParser> parser_;
  std::string path_;
  std::size_t files_ = 0;
  CloudFrontStats totals_;
  std::vector<std::string> line_errors_;
};

}  // namespace

StreamCommandSetup setup_logs_command(const std::vector<std::string>& args,
                                      const CliInputs* inputs) {
  StreamCommandSetup setup;
  LogsArgs parsed;
  setup.error = parse_logs_args(args, parsed);
  if (!setup.error.empty()) return setup;
  setup.stream_files = parsed.files;
  setup.read_files = parsed.merge_partial;
  if (!inputs) return setup;
  auto command = std::make_unique<LogsCommand>(parsed);
  for (const auto& path : parsed.merge_partial) {
    auto file = inputs->files.find(path);
    std::string error;
    if (file == inputs->files.end()) {
      command->add_setup_error("cannot read partial aggregate '" + path + "'");
    } else if (!command->merge_partial(file->second, &error)) {
      command->add_setup_error("'" + path + "': " + error);
    }
  }
  setup.command = std::move(command);
  return setup;
}

}  // namespace clicktrail::detail
