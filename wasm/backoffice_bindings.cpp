// Embind bindings of the back-office modules: SES events (clicktrail/ses.hpp,
// ses_analysis.hpp) and CloudFront logs (cloudfront.hpp, aggregate.hpp). One call per batch or
// chunk: input arrives through the input buffer, results leave as JSON or bytes.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "buffers.hpp"
#include "clicktrail/aggregate.hpp"
#include "clicktrail/cloudfront.hpp"
#include "clicktrail/ses.hpp"
#include "clicktrail/ses_analysis.hpp"
#include "clicktrail/traffic.hpp"

using clicktrail::wasm::input_bytes;
using clicktrail::wasm::output_view;
using emscripten::val;

namespace {

// A JS number to a time or level: NaN (or anything not finite) keeps `fallback`.
std::int64_t integer_or(double value, std::int64_t fallback) {
  if (!clicktrail::wasm::is_safe_integer(value)) return fallback;
  return static_cast<std::int64_t>(value);
}

// One parse of a batch (or of one event), then any of the reports on its records.
class SesBatch {
 public:
  SesBatch(std::size_t length, bool single)
      : batch_(single ? clicktrail::parse_ses_event(input_bytes(length))
                      : clicktrail::parse_ses_events(input_bytes(length))) {}

  val json(bool include_records) const {
    return output_view(clicktrail::ses_batch_to_json(batch_, include_records));
  }
  std::string suppression(int soft_bounce_limit, int soft_bounce_window_sends) const {
    clicktrail::SuppressionOptions options;
    options.soft_bounce_limit = soft_bounce_limit < 0 ? 0 : soft_bounce_limit;
    options.soft_bounce_window_sends = soft_bounce_window_sends < 0 ? 0 : soft_bounce_window_sends;
    return clicktrail::suppression_list_to_json(
        clicktrail::build_suppression_list(batch_.records, options));
  }
  // Times in epoch ms (NaN: unbounded); levels in parts per million (NaN: SES's defaults).
  std::string reputation(double from_ms, double to_ms, const val& levels) const {
    clicktrail::ReputationOptions o;
    o.from_ms = integer_or(from_ms, o.from_ms);
    o.to_ms = integer_or(to_ms, o.to_ms);
    o.bounce_warning_ppm = integer_or(levels[0].as<double>(), o.bounce_warning_ppm);
    o.bounce_review_ppm = integer_or(levels[1].as<double>(), o.bounce_review_ppm);
    o.bounce_pause_ppm = integer_or(levels[2].as<double>(), o.bounce_pause_ppm);
    o.complaint_warning_ppm = integer_or(levels[3].as<double>(), o.complaint_warning_ppm);
    o.complaint_review_ppm = integer_or(levels[4].as<double>(), o.complaint_review_ppm);
    o.complaint_pause_ppm = integer_or(levels[5].as<double>(), o.complaint_pause_ppm);
    return clicktrail::reputation_to_json(clicktrail::reputation(batch_.records, o));
  }
  std::string engagement() const {
    return clicktrail::engagement_to_json(clicktrail::engagement(batch_.records));
  }

 private:
  clicktrail::SesBatch batch_;
};

// The merged list as JSON, or "" when either is not a suppression list.
std::string merge_suppression_lists(const std::string& a, const std::string& b) {
  auto first = clicktrail::suppression_list_from_json(a);
  auto second = clicktrail::suppression_list_from_json(b);
  if (!first || !second) return {};
  return clicktrail::suppression_list_to_json(
      clicktrail::merge_suppression_lists(first.value(), second.value()));
}

enum class AggregateOutput { json, ndjson, csv, partial };

class LogAggregator {
 public:
  LogAggregator(bool exact, bool forwarded_for, bool detect_bursts, double burst_window_ms,
                int burst_links, const std::string& click_suffix, const std::string& pixel_suffix,
                const std::string& source) {
    clicktrail::AggregateOptions o;
    o.exact = exact;
    o.use_forwarded_for = forwarded_for;
    o.detect_bursts = detect_bursts;
    o.burst_window_ms = integer_or(burst_window_ms, o.burst_window_ms);
    if (burst_links > 0) o.burst_links = static_cast<std::size_t>(burst_links);
    if (!click_suffix.empty()) o.click_suffix = click_suffix;
    if (!pixel_suffix.empty()) o.pixel_suffix = pixel_suffix;
    if (!source.empty()) o.source = source;
    aggregator_ = std::make_unique<clicktrail::CloudFrontLogAggregator>(o);
  }
  void write(std::size_t length) { aggregator_->write(input_bytes(length)); }
  void end() { aggregator_->end(); }
  val output(int format, bool daily) const {
    const clicktrail::ClickAggregator& a = aggregator_->aggregator();
    switch (static_cast<AggregateOutput>(format)) {
      case AggregateOutput::ndjson:
        return output_view(a.to_ndjson(daily));
      case AggregateOutput::csv:
        return output_view(a.to_csv(daily));
      case AggregateOutput::partial:
        return output_view(a.serialize());
      case AggregateOutput::json:
        break;
    }
    return output_view(a.to_json(daily));
  }
  std::string report() const { return aggregator_->report_json(); }
  // "" when merged; otherwise why the text is not a partial aggregate.
  std::string merge_serialized(std::size_t length) {
    std::string error;
    if (aggregator_->aggregator().merge_serialized(input_bytes(length), &error)) return {};
    return error.empty() ? std::string("not a clicktrail partial aggregate") : error;
  }

 private:
  std::unique_ptr<clicktrail::CloudFrontLogAggregator> aggregator_;
};

// The log parser on its own: each chunk's complete lines come back as a JSON array of hits.
class LogParser {
 public:
  LogParser()
      : parser_(std::make_unique<clicktrail::CloudFrontLogParser>(
            [this](const clicktrail::CloudFrontHit& hit) {
              hits_ += hits_.size() > 1 ? "," : "";
              hits_ += clicktrail::cloudfront_hit_to_json(hit);
            })) {}
  val write(std::size_t length) {
    hits_ = "[";
    parser_->write(input_bytes(length));
    return take();
  }
  val end() {
    hits_ = "[";
    parser_->end();
    return take();
  }
  std::string report() const { return parser_->report_json(); }

 private:
  val take() {
    hits_ += ']';
    return output_view(std::move(hits_));
  }
  std::string hits_;
  std::unique_ptr<clicktrail::CloudFrontLogParser> parser_;
};

// The edge's person-or-machine rule, for hits recorded elsewhere (SES opens and clicks): the
// reason ("human" for a person), so that reports label every source the same way.
std::string classify_traffic_reason(const std::string& method, const std::string& user_agent) {
  clicktrail::TrafficVerdict verdict = clicktrail::classify_traffic(method, user_agent);
  return verdict.machine ? std::string(verdict.reason) : "human";
}

}  // namespace

EMSCRIPTEN_BINDINGS(clicktrail_backoffice) {
  emscripten::function("classifyTraffic", &classify_traffic_reason);
  emscripten::class_<SesBatch>("SesBatch")
      .constructor<std::size_t, bool>()
      .function("json", &SesBatch::json)
      .function("suppression", &SesBatch::suppression)
      .function("reputation", &SesBatch::reputation)
      .function("engagement", &SesBatch::engagement);
  emscripten::function("mergeSuppressionLists", &merge_suppression_lists);
  emscripten::class_<LogAggregator>("LogAggregator")
      .constructor<bool, bool, bool, double, int, std::string, std::string, std::string>()
      .function("write", &LogAggregator::write)
      .function("end", &LogAggregator::end)
      .function("output", &LogAggregator::output)
      .function("report", &LogAggregator::report)
      .function("mergeSerialized", &LogAggregator::merge_serialized);
  emscripten::class_<LogParser>("LogParser")
      .constructor<>()
      .function("write", &LogParser::write)
      .function("end", &LogParser::end)
      .function("report", &LogParser::report);
}
