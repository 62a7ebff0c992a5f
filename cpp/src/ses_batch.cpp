// SES batches: a scanner that splits NDJSON, JSON arrays and concatenated documents into
// top-level values (checking depth and UTF-8 on the way), envelope unwrapping (SNS HTTP, SNS in
// Lambda Records, EventBridge), and the batch summary as JSON.
#include <string>
#include <string_view>

#include "clicktrail/ses.hpp"
#include "ses_detail.hpp"
#include "utf8.hpp"

namespace clicktrail {

using nlohmann::json;

namespace {

enum class ScanStatus { ok, truncated, too_deep, bad_utf8, line_break_in_string };

struct Scan {
  std::size_t end = 0;  // one past the value (or where scanning stopped)
  ScanStatus status = ScanStatus::ok;
  std::size_t error_at = 0;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Finds the end of the JSON value starting at text[start] (not whitespace) by tracking strings,
// escapes and bracket depth. Does not validate the grammar (nlohmann does that), but does check
// depth and UTF-8 so neither reaches the parser.
// Outside an array, anything that is not an object, array or string runs to the end of its line
// (one bad NDJSON line is one rejection); inside an array it ends at ',' or ']'.
Scan scan_value(std::string_view text, std::size_t start, bool in_array = false) {
  Scan scan;
  const std::size_t size = text.size();
  std::size_t i = start;
  char first = text[i];
  if (first != '{' && first != '[' && first != '"') {
    while (i < size && text[i] != '\n' && text[i] != '\r' &&
           !(in_array && (text[i] == ',' || text[i] == ']'))) {
      ++i;
    }
    if (i == start) ++i;
    while (i > start + 1 && is_space(text[i - 1])) --i;
    scan.end = i;
    return scan;
  }
  int depth = 0;
  bool in_string = false;
  bool bad_utf8 = false;
  while (i < size) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (in_string) {
      if (c == '"') {
        in_string = false;
        if (depth == 0) {
          scan.end = i + 1;
          return scan;
        }
      } else if (c == '\\') {
        ++i;  // the escaped byte cannot end the string
      } else if (c == '\n') {
        scan.end = i;
        scan.status = ScanStatus::line_break_in_string;
        scan.error_at = i;
        return scan;
      } else if (c >= 0x80) {
        std::size_t n = detail::utf8_sequence_length(text, i);
        if (n == 0) {
          if (!bad_utf8) scan.error_at = i;
          bad_utf8 = true;
        } else {
          i += n - 1;
        }
      }
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kSesMaxDepth && scan.status != ScanStatus::too_deep) {
        scan.status = ScanStatus::too_deep;
        scan.error_at = i;
      }
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        scan.end = i + 1;
        if (bad_utf8 && scan.status == ScanStatus::ok) scan.status = ScanStatus::bad_utf8;
        return scan;
      }
    } else if (c >= 0x80 && !bad_utf8) {
      bad_utf8 = true;
      scan.error_at = i;
    }
    ++i;
  }
  scan.end = size;
  if (scan.status == ScanStatus::ok) {
    scan.status = bad_utf8 ? ScanStatus::bad_utf8 : ScanStatus::truncated;
    if (!bad_utf8) scan.error_at = size;
  }
  return scan;
}

// Keeps the DOM parser's behaviour and records the parse error instead of throwing.
class CapturingSax : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit CapturingSax(json& root) : json_sax_dom_parser<json>(root, false) {}
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    message = ex.what();
    if (message.rfind("[json.exception.", 0) == 0) {
      auto close = message.find("] ");
      if (close != std::string::npos) message.erase(0, close + 2);
    }
    return false;
  }
  std::string message;
};

// Parses one scanned value; on failure fills `reason`.
bool parse_json(std::string_view text, json& out, std::string& reason) {
  CapturingSax sax(out);
  bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok || out.is_discarded()) {
    reason = "invalid JSON: " + (sax.message.empty() ? std::string("parse error") : sax.message);
    return false;
  }
  return true;
}

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    case json::value_t::discarded:
      return "discarded";
    default:
      return "number";
  }
}

class BatchBuilder {
 public:
  explicit BatchBuilder(std::string_view text) : text_(text) {}

  SesBatch run(bool single_document) {
    std::size_t pos = 0;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // byte-order mark
    if (single_document) {
      pos = skip_space(pos);
      if (pos < text_.size()) {
        std::size_t end = value(pos, true);
        if (skip_space(end) < text_.size()) {
          // Everything after the first document is reported, not silently dropped.
          origin_at(skip_space(end));
          reject("trailing content after the JSON document (use parse_ses_events for batches)");
        }
      }
      return std::move(batch_);
    }
    while ((pos = skip_space(pos)) < text_.size()) {
      if (text_[pos] == '[') {
        pos = array(pos);
      } else {
        pos = value(pos, false);
      }
    }
    return std::move(batch_);
  }

 private:
  std::size_t skip_space(std::size_t pos) const {
    while (pos < text_.size() && is_space(text_[pos])) ++pos;
    return pos;
  }

  // Elements of a top-level array are input records of their own.
  std::size_t array(std::size_t pos) {
    ++pos;
    while ((pos = skip_space(pos)) < text_.size()) {
      char c = text_[pos];
      if (c == ']') return pos + 1;
      if (c == ',') {
        ++pos;
        continue;
      }
      pos = value(pos, false, true);
    }
    return pos;
  }

  void origin_at(std::size_t offset) {
    // Lines are counted incrementally: offsets only grow.
    for (; line_pos_ < offset && line_pos_ < text_.size(); ++line_pos_) {
      if (text_[line_pos_] == '\n') ++line_;
    }
    origin_.input_index = batch_.seen++;
    origin_.line = line_;
    origin_.offset = offset;
    origin_.envelope = SesEnvelope::bare;
    origin_.sns_message_id.clear();
  }

  void reject(std::string reason) {
    ++batch_.rejected;
    batch_.rejections.push_back(
        {origin_.input_index, origin_.line, origin_.offset, std::move(reason)});
  }

  // Where to resume after a broken value: the next line starting with '{' or '[' in column 0,
  // when there is one before `end`; otherwise `end`.
  std::size_t resync(std::size_t start, std::size_t end) const {
    for (std::size_t i = start + 1; i + 1 < end; ++i) {
      if (text_[i] == '\n' && (text_[i + 1] == '{' || text_[i + 1] == '[')) return i + 1;
    }
    return end;
  }

  std::size_t value(std::size_t pos, bool single, bool in_array = false) {
    origin_at(pos);
    Scan scan = scan_value(text_, pos, in_array);
    std::string where = " at byte " + std::to_string(scan.error_at);
    switch (scan.status) {
      case ScanStatus::too_deep:
        reject("nesting deeper than " + std::to_string(kSesMaxDepth) + " levels" + where);
        return single ? scan.end : resync(pos, scan.end);
      case ScanStatus::bad_utf8:
        reject("invalid UTF-8" + where);
        return single ? scan.end : resync(pos, scan.end);
      case ScanStatus::truncated:
        reject("truncated JSON: input ends inside a value");
        return single ? scan.end : resync(pos, scan.end);
      case ScanStatus::line_break_in_string:
        reject("invalid JSON: line break inside a string" + where);
        return scan.end;  // the next line is scanned afresh
      case ScanStatus::ok:
        break;
    }
    json doc;
    std::string reason;
    if (!parse_json(text_.substr(pos, scan.end - pos), doc, reason)) {
      reject(std::move(reason));
      return single ? scan.end : resync(pos, scan.end);
    }
    document(doc);
    return scan.end;
  }

  void accept_notice(SesNoticeKind kind, const json& sns, std::string message) {
    SesNotice notice{kind,          {}, std::move(message), {}, origin_.input_index, origin_.line,
                     origin_.offset};
    if (auto it = sns.find("TopicArn"); it != sns.end() && it->is_string()) {
      notice.topic_arn = it->get<std::string>();
    }
    if (auto it = sns.find("SubscribeURL"); it != sns.end() && it->is_string()) {
      notice.subscribe_url = it->get<std::string>();
    }
    batch_.notices.push_back(std::move(notice));
    ++batch_.accepted;
  }

  // A record object with eventType / notificationType.
  void event(const json& record, const char* context) {
    if (!record.contains("eventType") && !record.contains("notificationType")) {
      reject(std::string("unknown shape: ") + context +
             " has neither eventType nor notificationType");
      return;
    }
    std::string reason, inbound_id;
    switch (detail::extract_ses_records(record, origin_, batch_.records, reason, inbound_id)) {
      case detail::SesExtract::records:
        ++batch_.accepted;
        break;
      case detail::SesExtract::inbound:
        accept_notice(SesNoticeKind::inbound_received, json::object(), std::move(inbound_id));
        break;
      case detail::SesExtract::rejected:
        reject(std::move(reason));
        break;
    }
  }

  void sns(const json& envelope) {
    auto type = envelope.find("Type");
    if (type == envelope.end() || !type->is_string()) {
      reject("wrong type for field Type (expected string)");
      return;
    }
    if (auto id = envelope.find("MessageId"); id != envelope.end() && id->is_string()) {
      origin_.sns_message_id = id->get<std::string>();
    }
    const std::string& kind = type->get_ref<const std::string&>();
    auto message = envelope.find("Message");
    std::string text;
    if (message != envelope.end() && message->is_string()) text = message->get<std::string>();
    if (kind == "SubscriptionConfirmation") {
      accept_notice(SesNoticeKind::sns_subscription_confirmation, envelope, std::move(text));
      return;
    }
    if (kind == "UnsubscribeConfirmation") {
      accept_notice(SesNoticeKind::sns_unsubscribe_confirmation, envelope, std::move(text));
      return;
    }
    if (kind != "Notification") {
      reject("unknown SNS Type \"" + kind.substr(0, 64) + "\"");
      return;
    }
    if (message == envelope.end() || message->is_null()) {
      reject("SNS Notification without Message");
      return;
    }
    if (message->is_object()) {  // LocalStack snapshots store the Message already parsed
      event(*message, "SNS Message");
      return;
    }
    if (!message->is_string()) {
      reject("wrong type for field Message (expected string)");
      return;
    }
    std::size_t start = 0;
    while (start < text.size() && is_space(text[start])) ++start;
    if (start == text.size() || text[start] != '{') {
      accept_notice(SesNoticeKind::sns_text_message, envelope, std::move(text));
      return;
    }
    std::string_view inner(text);
    Scan scan = scan_value(inner, start);
    if (scan.status == ScanStatus::too_deep) {
      reject("SNS Message: nesting deeper than " + std::to_string(kSesMaxDepth) + " levels");
      return;
    }
    if (scan.status != ScanStatus::ok) {
      reject("SNS Message: truncated or malformed JSON");
      return;
    }
    for (std::size_t i = scan.end; i < inner.size(); ++i) {
      if (!is_space(inner[i])) {
        reject("SNS Message: trailing content after the JSON object");
        return;
      }
    }
    json record;
    std::string reason;
    if (!parse_json(inner.substr(start, scan.end - start), record, reason)) {
      reject("SNS Message: " + reason);
      return;
    }
    event(record, "SNS Message");
  }

  void document(const json& doc) {
    if (!doc.is_object()) {
      reject(std::string("not an object (got ") + type_name(doc) + ")");
      return;
    }
    if (auto records = doc.find("Records"); records != doc.end()) {
      lambda_records(*records);
      return;
    }
    if (doc.contains("eventType") || doc.contains("notificationType")) {
      event(doc, "record");
      return;
    }
    if (doc.contains("Type")) {
      origin_.envelope = SesEnvelope::sns_http;
      sns(doc);
      return;
    }
    auto detail = doc.find("detail");
    auto source = doc.find("source");
    if (detail != doc.end() && (doc.contains("detail-type") || source != doc.end())) {
      if (source != doc.end() && (!source->is_string() || *source != "aws.ses")) {
        reject("EventBridge event from a source other than aws.ses");
        return;
      }
      if (!detail->is_object()) {
        reject("wrong type for field detail (expected object)");
        return;
      }
      origin_.envelope = SesEnvelope::eventbridge;
      event(*detail, "EventBridge detail");
      return;
    }
    reject(
        "unknown shape: no eventType, notificationType, SNS Type, Records or EventBridge detail");
  }

  void lambda_records(const json& records) {
    if (!records.is_array()) {
      reject("wrong type for field Records (expected array)");
      return;
    }
    if (records.empty()) {
      reject("empty Records array");
      return;
    }
    SesOriginCopy first{origin_.line, origin_.offset};
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i > 0) {  // each entry is an input record of its own, at the same place
        origin_.input_index = batch_.seen++;
        origin_.line = first.line;
        origin_.offset = first.offset;
        origin_.sns_message_id.clear();
      }
      const json& entry = records[i];
      std::string at = "Records[" + std::to_string(i) + "]";
      if (!entry.is_object()) {
        reject(at + " is not an object");
        continue;
      }
      if (auto sns_entry = entry.find("Sns"); sns_entry != entry.end()) {
        if (!sns_entry->is_object()) {
          reject("wrong type for field " + at + ".Sns (expected object)");
          continue;
        }
        origin_.envelope = SesEnvelope::sns_lambda;
        sns(*sns_entry);
      } else if (auto ses = entry.find("ses"); ses != entry.end() && ses->is_object()) {
        std::string id;
        if (auto mail = ses->find("mail"); mail != ses->end() && mail->is_object()) {
          if (auto m = mail->find("messageId"); m != mail->end() && m->is_string()) id = *m;
        }
        accept_notice(SesNoticeKind::inbound_received, json::object(), std::move(id));
      } else {
        reject("unknown shape: " + at + " has neither Sns nor ses");
      }
    }
  }

  struct SesOriginCopy {
    std::size_t line;
    std::size_t offset;
  };

  std::string_view text_;
  SesBatch batch_;
  detail::SesOrigin origin_;
  std::size_t line_ = 1;
  std::size_t line_pos_ = 0;
};

}  // namespace

SesBatch parse_ses_event(std::string_view json_text) {
  return BatchBuilder(json_text).run(true);
}

SesBatch parse_ses_events(std::string_view text) {
  return BatchBuilder(text).run(false);
}

std::string ses_batch_to_json(const SesBatch& batch, bool include_records) {
  detail::JsonWriter w;
  w.begin_object();
  w.member("seen", batch.seen)
      .member("accepted", batch.accepted)
      .member("rejected", batch.rejected);
  w.member("recordCount", batch.records.size());
  if (include_records) {
    w.key("records").begin_array();
    for (const auto& r : batch.records) detail::write_ses_record(w, r);
    w.end_array();
  }
  w.key("notices").begin_array();
  for (const auto& n : batch.notices) {
    w.begin_object().member("kind", to_string(n.kind));
    w.member("input", n.input_index).member("line", n.line).member("offset", n.offset);
    if (!n.topic_arn.empty()) w.member("topicArn", n.topic_arn);
    w.member("message", n.message);
    if (!n.subscribe_url.empty()) w.member("subscribeUrl", n.subscribe_url);
    w.end_object();
  }
  w.end_array();
  w.key("rejections").begin_array();
  for (const auto& r : batch.rejections) {
    w.begin_object().member("input", r.input_index).member("line", r.line);
    w.member("offset", r.offset).member("reason", r.reason).end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace clicktrail
