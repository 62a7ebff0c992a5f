// Native throughput of parse_ses_events on a generated NDJSON batch of SES events. The events are
// the documented AWS examples and the real SNS captures in tests/data/ses (bare event publishing
// and identity notifications, SNS HTTP envelopes whose Message is an escaped JSON string), each
// made compact and repeated round-robin with a fresh mail.messageId and fresh recipient addresses.
// For where the time goes: the strict JSON reader alone over the same lines (each line, and the
// JSON inside an SNS Message, parsed; no SES records built). Peer: nlohmann_json's DOM parse of
// every line (parse only, no SES extraction). Ceiling: a memchr('\n') pass. Medians of 5 runs.
//   bench-ses [--events N] [--data DIR] [--json] [--write FILE]
// --write saves the generated NDJSON to FILE (for profiling or the CLI) instead of measuring.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/ses.hpp"
#include "json_reader.hpp"
#include "timing.hpp"

namespace {

using bench::median_seconds;
using bench::sink;

// Relative to the data directory; a mix of event types and of envelopes.
constexpr const char* kExamples[] = {
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-send.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-delivery.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-open.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-click.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-bounce.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-complaint.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-delayed-delivery.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-reject.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-failure.json",
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-subscription.json",
    "aws-ses-docs/notification-examples/notification-examples-bounce-no-dsn.json",
    "aws-ses-docs/notification-examples/notification-examples-complaint-with-feedback.json",
    "aws-ses-docs/notification-examples/notification-examples-delivery.json",
    "laravel-ses/SesBounce.json",
    "laravel-ses/SesComplaint.json",
    "laravel-ses/SesDelivery.json",
    "fx-private-relay/hard_bounce_sns_body.json",
    "fx-private-relay/soft_bounce_sns_body.json",
};

// A compact one-line template and the strings to vary in it.
struct Template {
  std::string line;
  std::string message_id;
  std::vector<std::string> recipients;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool load_templates(const std::string& root, std::vector<Template>& out) {
  for (const char* name : kExamples) {
    std::string path = root + "/" + name;
    nlohmann::json doc = nlohmann::json::parse(read_file(path), nullptr, false);
    if (doc.is_discarded()) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return false;
    }
    Template t;
    t.line = doc.dump();
    clicktrail::SesBatch batch = clicktrail::parse_ses_event(t.line);
    if (batch.records.empty()) {
      std::fprintf(stderr, "%s: no SES record\n", path.c_str());
      return false;
    }
    t.message_id = batch.records[0].message_id;
    for (const auto& r : batch.records) {
      if (r.recipient.find('@') != std::string::npos &&
          std::find(t.recipients.begin(), t.recipients.end(), r.recipient) == t.recipients.end())
        t.recipients.push_back(r.recipient);
    }
    out.push_back(std::move(t));
  }
  return true;
}

// Event i: template i % templates, with its message id and recipients made unique.
std::string generate(const std::vector<Template>& templates, std::size_t events) {
  std::string ndjson;
  char id[64], address[64];
  for (std::size_t i = 0; i < events; ++i) {
    const Template& t = templates[i % templates.size()];
    std::string line = t.line;
    std::snprintf(id, sizeof id, "0100018%09zx-bench-%08zu-000000", i * 2654435761u % 0xfffffffff,
                  i);
    replace_all(line, t.message_id, id);
    for (std::size_t k = 0; k < t.recipients.size(); ++k) {
      std::string_view recipient = t.recipients[k];
      std::snprintf(address, sizeof address, "user%zu.%zu@", (i * 7919 + k) % 100000, k);
      std::string replacement = address;
      replacement += recipient.substr(recipient.find('@') + 1);
      replace_all(line, recipient, replacement);
    }
    ndjson += line;
    ndjson += '\n';
  }
  return ndjson;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 200000;
  std::string root = "tests/data/ses";
  bool json = false;
  const char* write_to = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
      events = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
      root = argv[++i];
    } else if (std::strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      write_to = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench-ses [--events N] [--data DIR] [--json] [--write FILE]\n");
      return 2;
    }
  }
  std::vector<Template> templates;
  if (!load_templates(root, templates) || events == 0) return 1;
  const std::string input = generate(templates, events);
  if (write_to) {
    std::ofstream out(write_to, std::ios::binary);
    out.write(input.data(), static_cast<std::streamsize>(input.size()));
    return out ? 0 : 1;
  }

  clicktrail::SesBatch check = clicktrail::parse_ses_events(input);
  if (check.seen != events || check.accepted != events) {
    std::fprintf(stderr, "generated batch: %zu seen, %zu accepted, %zu rejected (expected %zu)\n",
                 check.seen, check.accepted, check.rejected, events);
    if (!check.rejections.empty())
      std::fprintf(stderr, "first rejection: %s\n", check.rejections[0].reason.c_str());
    return 1;
  }
  const std::size_t records = check.records.size();

  constexpr int kRuns = 5;
  double ses = median_seconds(kRuns, [&] {
    clicktrail::SesBatch batch = clicktrail::parse_ses_events(input);
    sink += batch.records.size();
  });
  // A service parsing batch after batch into the same SesBatch: the records land in memory the
  // previous batch used, instead of pages the allocator maps (and the kernel faults in) afresh.
  clicktrail::SesBatch reused;
  double ses_reused = median_seconds(kRuns, [&] {
    clicktrail::parse_ses_events(input, reused);
    sink += reused.records.size();
  });
  double reader_only = median_seconds(kRuns, [&] {
    clicktrail::detail::JsonReader reader(clicktrail::kSesMaxDepth);
    clicktrail::detail::JsonReader inner(clicktrail::kSesMaxDepth);
    for (std::size_t start = 0; start < input.size();) {
      if (!reader.parse_value(input, start)) break;
      start = reader.end() + 1;
      clicktrail::detail::JsonValue message = reader.root().find("Message");
      if (message.is_string() && inner.parse_value(message.string())) sink += inner.root().size();
      sink += reader.root().size();
    }
  });
  double dom = median_seconds(kRuns, [&] {
    std::size_t start = 0;
    while (start < input.size()) {
      std::size_t end = input.find('\n', start);
      if (end == std::string::npos) end = input.size();
      nlohmann::json doc =
          nlohmann::json::parse(input.begin() + static_cast<std::ptrdiff_t>(start),
                                input.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
      sink += doc.size();
      start = end + 1;
    }
  });
  double scan = median_seconds(kRuns, [&] {
    const char* p = input.data();
    const char* end = p + input.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p)))) {
      ++sink;
      ++p;
    }
  });

  const double mb = input.size() / 1e6;
  if (json) {
    std::printf(
        "{\"events\":%zu,\"records\":%zu,\"bytes\":%zu,\"sesMBps\":%.1f,\"sesEventsPerSecond\":%."
        "0f,\"sesReusedMBps\":%.1f,\"sesReusedEventsPerSecond\":%.0f,"
        "\"readerOnlyMBps\":%.1f,\"nlohmannDomMBps\":%.1f,\"memchrMBps\":%.1f}\n",
        events, records, input.size(), mb / ses, events / ses, mb / ses_reused, events / ses_reused,
        mb / reader_only, mb / dom, mb / scan);
  } else {
    std::printf("%zu events (%zu records) from %zu examples, %.1f MB of NDJSON, median of %d\n",
                events, records, templates.size(), mb, kRuns);
    std::printf("%-34s %10s %14s %8s\n", "", "MB/s", "events/s", "time");
    std::printf("%-34s %10.1f %14.0f %8.2f\n", "parse_ses_events", mb / ses, events / ses, 1.0);
    std::printf("%-34s %10.1f %14.0f %8.2f\n", "parse_ses_events, reused batch", mb / ses_reused,
                events / ses_reused, ses_reused / ses);
    std::printf("%-34s %10.1f %14.0f %8.2f\n", "strict reader only, no records", mb / reader_only,
                events / reader_only, reader_only / ses);
    std::printf("%-34s %10.1f %14.0f %8.2f\n", "nlohmann DOM parse only (peer)", mb / dom,
                events / dom, dom / ses);
    std::printf("%-34s %10.1f %14s %8.2f\n", "memchr('\\n') (ceiling)", mb / scan, "-", scan / ses);
  }
  return sink == 0;
}
