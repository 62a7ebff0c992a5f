// `clicktrail events`: SES events from files or stdin -> normalised records, or a suppression
// list, reputation rates or engagement. Each file is parsed as one batch once it is complete
// (SES exports are small next to access logs); counts, notices and rejections name the file.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "cli_detail.hpp"
#include "clicktrail/ses.hpp"
#include "clicktrail/ses_analysis.hpp"
#include "json_writer.hpp"
#include "text_table.hpp"

namespace clicktrail::detail {
namespace {

struct EventsArgs {
  std::vector<std::string> files;
  CliFormat format = CliFormat::ndjson;
  bool format_given = false;
  bool suppression = false, reputation = false, engagement = false;
  bool strict = false;
  SuppressionOptions suppression_options;
  ReputationOptions reputation_options;
  std::vector<std::string> merge_suppression;  // stored lists to merge with the batch's
};

std::string parse_events_args(const std::vector<std::string>& args, EventsArgs& out) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string text;
    auto value = [&]() {
      if (i + 1 >= args.size()) return false;
      text = args[++i];
      return true;
    };
    auto count = [&](int& target) {
      std::int64_t n = 0;
      if (!value() || !parse_cli_int(text, n) || n < 0 || n > 1'000'000) return false;
      target = static_cast<int>(n);
      return true;
    };
    auto time = [&](std::int64_t& target) {
      if (!value()) return false;
      auto ms = parse_iso8601_ms(text);
      if (!ms) return false;
      target = *ms;
      return true;
    };
    if (arg == "--format") {
      if (!value() || !parse_cli_format(text, out.format))
        return "--format must be ndjson, json, table or csv";
      out.format_given = true;
    } else if (arg == "--suppression") {
      out.suppression = true;
    } else if (arg == "--reputation") {
      out.reputation = true;
    } else if (arg == "--engagement") {
      out.engagement = true;
    } else if (arg == "--strict") {
      out.strict = true;
    } else if (arg == "--soft-bounces") {
      if (!count(out.suppression_options.soft_bounce_limit))
        return "--soft-bounces needs a count (0 to 1000000)";
    } else if (arg == "--within-sends") {
      if (!count(out.suppression_options.soft_bounce_window_sends))
        return "--within-sends needs a count (0 to 1000000)";
    } else if (arg == "--merge-suppression") {
      if (!value()) return "--merge-suppression needs a FILE";
      out.merge_suppression.push_back(text);
    } else if (arg == "--since") {
      if (!time(out.reputation_options.from_ms))
        return "--since needs an ISO-8601 time such as 2026-11-01T00:00:00Z";
    } else if (arg == "--until") {
      if (!time(out.reputation_options.to_ms))
        return "--until needs an ISO-8601 time such as 2026-11-22T00:00:00Z";
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option " + arg + " for events";
    } else {
      out.files.push_back(arg);
    }
  }
  if (out.files.empty()) out.files.push_back("-");
  int reports = out.suppression + out.reputation + out.engagement;
  if (!out.format_given && reports > 0) out.format = CliFormat::json;
  if (reports > 1 && (out.format == CliFormat::csv || out.format == CliFormat::ndjson))
    return "--format csv and ndjson print one report at a time (or use json or table)";
  if (!out.suppression &&
      (out.suppression_options.soft_bounce_limit > 0 || !out.merge_suppression.empty()))
    return "--soft-bounces and --merge-suppression go with --suppression";
  return {};
}

// "2.500%" from parts per million.
std::string percent(std::int64_t ppm) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld%%", static_cast<long long>(ppm / 10'000),
                static_cast<long long>(ppm % 10'000 / 10));
  return text;
}

// The one field a person scanning a table wants for each type of event.
std::string record_detail(const SesRecord& r) {
  switch (r.type) {
    case SesEventType::bounce: {
      std::string detail = r.bounce_type;
      if (!r.bounce_subtype.empty()) detail += "/" + r.bounce_subtype;
      const std::string& why = r.diagnostic_code.empty() ? r.status : r.diagnostic_code;
      if (!why.empty()) detail += ": " + why;
      return detail;
    }
    case SesEventType::complaint:
      return r.complaint_feedback_type.empty() ? r.complaint_subtype : r.complaint_feedback_type;
    case SesEventType::delivery:
      return r.smtp_response;
    case SesEventType::open:
      return r.ip_address;
    case SesEventType::click:
      return r.link;
    case SesEventType::delivery_delay:
      return r.delay_type;
    case SesEventType::reject:
      return r.reject_reason;
    case SesEventType::rendering_failure:
      return r.error_message;
    case SesEventType::subscription:
      return r.contact_list;
    default:
      return {};
  }
}

std::string epoch_text(const std::optional<std::int64_t>& ms) {
  return ms ? std::to_string(*ms) : std::string();
}

class EventsCommand final : public StreamCommand {
 public:
  explicit EventsCommand(EventsArgs args) : args_(std::move(args)) {}

  void add_stored_list(SuppressionList list) { stored_ = merge_suppression_lists(stored_, list); }

  void begin_file(std::string_view path, std::size_t expected_bytes) override {
    path_ = path;
    text_.clear();
    // The whole file is parsed at once: room for it up front saves copying it as it grows (and
    // touching fresh memory for each copy), which took as long as parsing it.
    text_.reserve(expected_bytes);
  }
  void write(std::string_view bytes) override { text_.append(bytes); }
  void end_file() override {
    SesBatch batch = parse_ses_events(text_);
    std::string().swap(text_);
    std::size_t file = paths_.size();
    paths_.push_back(path_);
    JsonWriter name;
    name.value(path_);
    file_members_.push_back(",\"file\":" + name.take() + "}");
    seen_ += batch.seen;
    accepted_ += batch.accepted;
    rejected_ += batch.rejected;
    record_files_.resize(record_files_.size() + batch.records.size(), file);
    if (records_.empty()) {
      records_ = std::move(batch.records);  // the usual single file: no record moved at all
    } else {
      records_.reserve(records_.size() + batch.records.size());
      for (auto& record : batch.records) records_.push_back(std::move(record));
    }
    for (auto& notice : batch.notices) notices_.emplace_back(file, std::move(notice));
    for (auto& rejection : batch.rejections) rejections_.emplace_back(file, std::move(rejection));
  }

  CliOutput finish() override {
    CliOutput output;
    int reports = args_.suppression + args_.reputation + args_.engagement;
    if (reports == 0) {
      output.out = records_output();
    } else {
      output.out = reports_output(reports > 1);
    }
    output.err = problems();
    output.exit_code = exit_code(args_.strict, rejected_);
    return output;
  }

 private:
  std::string records_output() const {
    std::string out;
    switch (args_.format) {
      case CliFormat::ndjson:
        for (std::size_t i = 0; i < records_.size(); ++i) {
          out += with_file(ses_record_to_json(records_[i]), record_files_[i]);
          out += '\n';
        }
        return out;
      case CliFormat::json:
        return batch_json();
      case CliFormat::csv: {
        append_csv_row(out, {"file",
                             "line",
                             "type",
                             "eventType",
                             "messageId",
                             "timestamp",
                             "epochMs",
                             "recipient",
                             "source",
                             "subject",
                             "configurationSet",
                             "bounceType",
                             "bounceSubType",
                             "action",
                             "status",
                             "diagnosticCode",
                             "complaintFeedbackType",
                             "complaintSubType",
                             "delayType",
                             "link",
                             "ipAddress",
                             "userAgent",
                             "smtpResponse",
                             "rejectReason",
                             "errorMessage"});
        for (std::size_t i = 0; i < records_.size(); ++i) {
          const SesRecord& r = records_[i];
          append_csv_row(out, {paths_[record_files_[i]],
                               std::to_string(r.line),
                               std::string(to_string(r.type)),
                               r.event_type,
                               r.message_id,
                               r.timestamp,
                               epoch_text(r.epoch_ms),
                               r.recipient,
                               r.source,
                               r.subject.value_or(""),
                               r.configuration_set,
                               r.bounce_type,
                               r.bounce_subtype,
                               r.action,
                               r.status,
                               r.diagnostic_code,
                               r.complaint_feedback_type,
                               r.complaint_subtype,
                               r.delay_type,
                               r.link,
                               r.ip_address,
                               r.user_agent,
                               r.smtp_response,
                               r.reject_reason,
                               r.error_message});
        }
        return out;
      }
      case CliFormat::table: {
        TextTable table({"TIME", "TYPE", "RECIPIENT", "MESSAGE ID", "DETAIL"});
        for (const SesRecord& r : records_) {
          table.add_row({r.timestamp, std::string(to_string(r.type)), r.recipient, r.message_id,
                         record_detail(r)});
        }
        return table.render();
      }
    }
    return out;
  }

  // A record's JSON with the file it came from added as a last member.
  std::string with_file(std::string json, std::size_t file) const {
    json.pop_back();  // the closing brace
    json += file_members_[file];
    return json;
  }

  std::string batch_json() const {
    std::string out = "{\"seen\":" + std::to_string(seen_) +
                      ",\"accepted\":" + std::to_string(accepted_) +
                      ",\"rejected\":" + std::to_string(rejected_) + ",\"records\":[";
    for (std::size_t i = 0; i < records_.size(); ++i) {
      if (i > 0) out += ',';
      out += with_file(ses_record_to_json(records_[i]), record_files_[i]);
    }
    JsonWriter w;
    w.begin_array();
    for (const auto& [file, n] : notices_) {
      w.begin_object().member("kind", to_string(n.kind)).member("file", paths_[file]);
      w.member("input", n.input_index).member("line", n.line).member("offset", n.offset);
      w.member("topicArn", n.topic_arn).member("message", n.message);
      if (!n.subscribe_url.empty()) w.member("subscribeUrl", n.subscribe_url);
      w.end_object();
    }
    w.end_array();
    out += "],\"notices\":" + w.take();
    JsonWriter r;
    r.begin_array();
    for (const auto& [file, rejection] : rejections_) {
      r.begin_object().member("file", paths_[file]).member("input", rejection.input_index);
      r.member("line", rejection.line).member("offset", rejection.offset);
      r.member("reason", rejection.reason).end_object();
    }
    r.end_array();
    out += ",\"rejections\":" + r.take() + "}\n";
    return out;
  }

  std::string reports_output(bool several) const {
    std::string out;
    if (args_.format == CliFormat::json && several) out += '{';
    bool first = true;
    auto section = [&](const char* name, const std::string& body) {
      if (args_.format == CliFormat::json && several) {
        if (!first) out += ',';
        out += "\"" + std::string(name) + "\":" + body;
      } else if (args_.format == CliFormat::table && several) {
        if (!first) out += '\n';
        out += "== " + std::string(name) + "\n" + body;
      } else {
        out += body;
        if (args_.format == CliFormat::json) out += '\n';
      }
      first = false;
    };
    if (args_.suppression) section("suppression", suppression_output());
    if (args_.reputation) section("reputation", reputation_output());
    if (args_.engagement) section("engagement", engagement_output());
    if (args_.format == CliFormat::json && several) out += "}\n";
    return out;
  }

  std::string suppression_output() const {
    SuppressionList list = build_suppression_list(records_, args_.suppression_options);
    if (!stored_.entries.empty()) list = merge_suppression_lists(stored_, list);
    std::string out;
    switch (args_.format) {
      case CliFormat::json:
        return suppression_list_to_json(list);
      case CliFormat::ndjson:
        for (const auto& e : list.entries) out += suppression_entry_to_json(e) + "\n";
        return out;
      case CliFormat::csv:
        append_csv_row(out, {"recipient", "reason", "detail", "messageId", "feedbackId",
                             "timestamp", "epochMs"});
        for (const auto& e : list.entries) {
          append_csv_row(out, {e.recipient, std::string(to_string(e.reason)), e.detail,
                               e.message_id, e.feedback_id, e.timestamp, epoch_text(e.epoch_ms)});
        }
        return out;
      case CliFormat::table: {
        TextTable table({"RECIPIENT", "REASON", "DETAIL", "TIME", "MESSAGE ID"});
        for (const auto& e : list.entries) {
          table.add_row(
              {e.recipient, std::string(to_string(e.reason)), e.detail, e.timestamp, e.message_id});
        }
        return table.render();
      }
    }
    return out;
  }

  std::string reputation_output() const {
    Reputation report = reputation(records_, args_.reputation_options);
    std::vector<const ReputationScope*> scopes{&report.overall};
    for (const auto& scope : report.configuration_sets) scopes.push_back(&scope);
    auto name = [&](const ReputationScope* s) {
      return s == &report.overall ? std::string("(all)") : s->configuration_set;
    };
    std::string out;
    switch (args_.format) {
      case CliFormat::json:
        return reputation_to_json(report);
      case CliFormat::ndjson:
        for (const auto* s : scopes)
          out += reputation_scope_to_json(*s, s == &report.overall) + "\n";
        return out;
      case CliFormat::csv:
        append_csv_row(out, {"configurationSet", "sendBasis", "sends", "deliveries", "bounces",
                             "permanentBounces", "transientBounces", "complaints", "bounceRatePpm",
                             "bounceStatus", "complaintRatePpm", "complaintStatus"});
        for (const auto* s : scopes) {
          append_csv_row(
              out,
              {name(s), s->send_basis, std::to_string(s->sends), std::to_string(s->deliveries),
               std::to_string(s->bounces), std::to_string(s->permanent_bounces),
               std::to_string(s->transient_bounces), std::to_string(s->complaints),
               std::to_string(s->bounce.rate_ppm), std::string(to_string(s->bounce.status)),
               std::to_string(s->complaint.rate_ppm), std::string(to_string(s->complaint.status))});
        }
        return out;
      case CliFormat::table: {
        TextTable table({"CONFIGURATION SET", "SENDS", "BOUNCES", "COMPLAINTS", "BOUNCE RATE",
                         "STATUS", "COMPLAINT RATE", "STATUS"});
        for (std::size_t column : {1, 2, 3, 4, 6}) table.set_numeric(column);
        for (const auto* s : scopes) {
          table.add_row({name(s), std::to_string(s->sends), std::to_string(s->permanent_bounces),
                         std::to_string(s->complaints), percent(s->bounce.rate_ppm),
                         std::string(to_string(s->bounce.status)), percent(s->complaint.rate_ppm),
                         std::string(to_string(s->complaint.status))});
        }
        return table.render() + "levels: bounce warning/review/pause " +
               percent(args_.reputation_options.bounce_warning_ppm) + "/" +
               percent(args_.reputation_options.bounce_review_ppm) + "/" +
               percent(args_.reputation_options.bounce_pause_ppm) + "; complaint " +
               percent(args_.reputation_options.complaint_warning_ppm) + "/" +
               percent(args_.reputation_options.complaint_review_ppm) + "/" +
               percent(args_.reputation_options.complaint_pause_ppm) + "\n";
      }
    }
    return out;
  }

  std::string engagement_output() const {
    Engagement report = engagement(records_);
    std::string out;
    switch (args_.format) {
      case CliFormat::json:
        return engagement_to_json(report);
      case CliFormat::ndjson:
        for (const auto& item : report.items) out += recipient_engagement_to_json(item) + "\n";
        return out;
      case CliFormat::csv:
        // One row for the opens of each message and recipient, one per link clicked.
        append_csv_row(out, {"messageId", "recipient", "link", "count", "first", "last"});
        for (const auto& item : report.items) {
          append_csv_row(out,
                         {item.message_id, item.recipient, "", std::to_string(item.opens.count),
                          item.opens.first, item.opens.last});
          for (const auto& link : item.links) {
            append_csv_row(
                out, {item.message_id, item.recipient, link.link, std::to_string(link.clicks.count),
                      link.clicks.first, link.clicks.last});
          }
        }
        return out;
      case CliFormat::table: {
        TextTable table({"MESSAGE ID", "RECIPIENT", "OPENS", "FIRST OPEN", "CLICKS", "LINK"});
        table.set_numeric(2);
        table.set_numeric(4);
        for (const auto& item : report.items) {
          table.add_row({item.message_id, item.recipient, std::to_string(item.opens.count),
                         item.opens.first, "", ""});
          for (const auto& link : item.links) {
            table.add_row({"", "", "", "", std::to_string(link.clicks.count), link.link});
          }
        }
        return table.render();
      }
    }
    return out;
  }

  // Notices, rejections and the summary, for stderr.
  std::string problems() const {
    std::string err = setup_error_lines();
    for (const auto& [file, n] : notices_) {
      err += "clicktrail: " + paths_[file] + ":" + std::to_string(n.line) +
             ": notice: " + std::string(to_string(n.kind));
      if (!n.topic_arn.empty()) err += " (topic " + n.topic_arn + ")";
      if (n.kind == SesNoticeKind::sns_text_message) err += ": " + n.message;
      err += "\n";
    }
    std::size_t shown = 0;
    for (const auto& [file, r] : rejections_) {
      if (shown++ == kMaxReportedProblems) {
        err += "clicktrail: ... and " + group_thousands(rejections_.size() - kMaxReportedProblems) +
               " more rejections (--format json lists them all)\n";
        break;
      }
      err += "clicktrail: " + paths_[file] + ":" + std::to_string(r.line) +
             ": rejected (input record " + std::to_string(r.input_index + 1) + ", byte " +
             std::to_string(r.offset) + "): " + r.reason + "\n";
    }
    err += "clicktrail events: " + group_thousands(seen_) +
           " input records: " + group_thousands(accepted_) + " accepted, " +
           group_thousands(rejected_) + " rejected; " + group_thousands(records_.size()) +
           " recipient records, " + group_thousands(notices_.size()) + " notices\n";
    return err;
  }

  EventsArgs args_;
  SuppressionList stored_;
  std::string path_, text_;
  std::vector<std::string> paths_;
  std::vector<std::string> file_members_;  // per file: ,"file":"<path>"} to end a record's JSON
  std::size_t seen_ = 0, accepted_ = 0, rejected_ = 0;
  std::vector<SesRecord> records_;
  std::vector<std::size_t> record_files_;
  std::vector<std::pair<std::size_t, SesNotice>> notices_;
  std::vector<std::pair<std::size_t, SesRejection>> rejections_;
};

}  // namespace

StreamCommandSetup setup_events_command(const std::vector<std::string>& args,
                                        const CliInputs* inputs) {
  StreamCommandSetup setup;
  EventsArgs parsed;
  setup.error = parse_events_args(args, parsed);
  if (!setup.error.empty()) return setup;
  setup.stream_files = parsed.files;
  setup.read_files = parsed.merge_suppression;
  if (!inputs) return setup;
  auto command = std::make_unique<EventsCommand>(parsed);
  for (const auto& path : parsed.merge_suppression) {
    auto file = inputs->files.find(path);
    if (file == inputs->files.end()) {
      command->add_setup_error("cannot read suppression list '" + path + "'");
      continue;
    }
    auto list = suppression_list_from_json(file->second);
    if (!list) {
      command->add_setup_error("'" + path +
                               "' is not a suppression list (expected the JSON that "
                               "`clicktrail events --suppression` prints)");
      continue;
    }
    command->add_stored_list(std::move(list.value()));
  }
  setup.command = std::move(command);
  return setup;
}

}  // namespace clicktrail::detail
