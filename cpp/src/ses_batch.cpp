// SES batches: records are split off NDJSON, JSON arrays and concatenated documents and parsed
// one by one with the strict reader (json_reader.hpp); envelope unwrapping (SNS HTTP, SNS in
// Lambda Records, EventBridge); the batch summary as JSON.
//
// A record that starts with '{', '[' or '"' is parsed straight from the batch: the reader finds
// where it ends. Only when that fails does a scanner look at the same bytes, to tell a
// truncated, too deep, non-UTF-8 or line-broken record (reported as such, and where to resume)
// from a merely invalid one.
#include <algorithm>
#include <string>
#include <string_view>

#include "byte_search.hpp"
#include "clicktrail/ses.hpp"
#include "ses_detail.hpp"
#include "utf8.hpp"

namespace clicktrail {

using detail::JsonReader;
using detail::JsonValue;

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
// escapes and bracket depth. Does not validate the grammar (the reader does that), but does
// check depth and UTF-8, and tells why a value the reader rejected is broken.
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

class BatchBuilder {
 public:
  // `reuse`: a batch whose contents are dropped and whose vectors' capacity is kept.
  explicit BatchBuilder(std::string_view text, SesBatch reuse = {})
      : text_(text), batch_(std::move(reuse)) {
    batch_.records.clear();
    batch_.notices.clear();
    batch_.rejections.clear();
    batch_.seen = batch_.accepted = batch_.rejected = 0;
    if (text.size() >= kReserveAfterBytes * 16) reserve_at_ = text.size() / 16;
  }

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
    const char* end = text_.data() + std::min(offset, text_.size());
    for (const char* p = text_.data() + line_pos_; p < end; ++line_) {
      p = detail::find_byte(p, end, '\n');
      if (!p) break;
      ++p;
    }
    line_pos_ = std::max(line_pos_, static_cast<std::size_t>(end - text_.data()));
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

  // Once a sixteenth of a large batch has been read, room for the records of the whole batch is
  // reserved at the rate seen so far (plus an eighth), so that the records (about a kilobyte
  // each) are not copied again and again as the vector grows.
  void reserve_records(std::size_t pos) {
    reserve_at_ = static_cast<std::size_t>(-1);
    const double per_byte = static_cast<double>(batch_.records.size()) / static_cast<double>(pos);
    const auto expected =
        static_cast<std::size_t>(per_byte * 1.125 * static_cast<double>(text_.size()));
    if (expected > batch_.records.capacity()) batch_.records.reserve(expected);
  }

  std::size_t value(std::size_t pos, bool single, bool in_array = false) {
    if (pos >= reserve_at_) reserve_records(pos);
    origin_at(pos);
    const char first = text_[pos];
    if (first == '{' || first == '[' || first == '"') {
      if (reader_.parse_value(text_, pos)) {  // the common case: one scan of the bytes
        document(reader_.root());
        return reader_.end();
      }
      Scan scan = scan_value(text_, pos, in_array);
      if (scan.status != ScanStatus::ok) return broken(pos, scan, single);
      reject(reader_.message());
      return single ? scan.end : resync(pos, scan.end);
    }
    // Anything else runs to the end of its line (or to ',' / ']' in an array) and must be one
    // value. A byte-order mark there is skipped, as at the start of the input.
    Scan scan = scan_value(text_, pos, in_array);
    std::size_t start = pos;
    if (text_.compare(pos, 3, "\xEF\xBB\xBF") == 0) start += 3;
    if (!reader_.parse_document(text_.substr(0, scan.end), start)) {
      reject(reader_.message());
      return single ? scan.end : resync(pos, scan.end);
    }
    document(reader_.root());
    return scan.end;
  }

  // A value the scanner found broken: the reason, and where to go on.
  std::size_t broken(std::size_t pos, const Scan& scan, bool single) {
    std::string where = " at byte " + std::to_string(scan.error_at);
    switch (scan.status) {
      case ScanStatus::too_deep:
        reject("nesting deeper than " + std::to_string(kSesMaxDepth) + " levels" + where);
        break;
      case ScanStatus::bad_utf8:
        reject("invalid UTF-8" + where);
        break;
      case ScanStatus::truncated:
        reject("truncated JSON: input ends inside a value");
        break;
      case ScanStatus::line_break_in_string:
        reject("invalid JSON: line break inside a string" + where);
        return scan.end;  // the next line is scanned afresh
      case ScanStatus::ok:
        break;
    }
    return single ? scan.end : resync(pos, scan.end);
  }

  // `sns` may be absent (inbound mail).
  void accept_notice(SesNoticeKind kind, JsonValue sns, std::string message) {
    SesNotice notice{kind,          {}, std::move(message), {}, origin_.input_index, origin_.line,
                     origin_.offset};
    if (JsonValue arn = sns.find("TopicArn"); arn.is_string()) {
      notice.topic_arn = std::string(arn.string());
    }
    if (JsonValue url = sns.find("SubscribeURL"); url.is_string()) {
      notice.subscribe_url = std::string(url.string());
    }
    batch_.notices.push_back(std::move(notice));
    ++batch_.accepted;
  }

  // A record object with eventType / notificationType.
  void event(JsonValue record, const char* context) {
    if (!record.contains("eventType") && !record.contains("notificationType")) {
      reject(std::string("unknown shape: ") + context +
             " has neither eventType nor notificationType");
      return;
    }
    reason_.clear();
    inbound_id_.clear();
    switch (detail::extract_ses_records(record, origin_, batch_.records, reason_, inbound_id_,
                                        scratch_)) {
      case detail::SesExtract::records:
        ++batch_.accepted;
        break;
      case detail::SesExtract::inbound:
        accept_notice(SesNoticeKind::inbound_received, JsonValue(), std::move(inbound_id_));
        break;
      case detail::SesExtract::rejected:
        reject(std::move(reason_));
        break;
    }
  }

  void sns(JsonValue envelope) {
    JsonValue type = envelope.find("Type");
    if (!type.is_string()) {
      reject("wrong type for field Type (expected string)");
      return;
    }
    if (JsonValue id = envelope.find("MessageId"); id.is_string()) {
      origin_.sns_message_id.assign(id.string());
    }
    const std::string_view kind = type.string();
    JsonValue message = envelope.find("Message");
    const std::string_view text = message.string();  // "" unless a string
    if (kind == "SubscriptionConfirmation") {
      accept_notice(SesNoticeKind::sns_subscription_confirmation, envelope, std::string(text));
      return;
    }
    if (kind == "UnsubscribeConfirmation") {
      accept_notice(SesNoticeKind::sns_unsubscribe_confirmation, envelope, std::string(text));
      return;
    }
    if (kind != "Notification") {
      reject("unknown SNS Type \"" + std::string(kind.substr(0, 64)) + "\"");
      return;
    }
    if (!message.present() || message.is_null()) {
      reject("SNS Notification without Message");
      return;
    }
    if (message.is_object()) {  // LocalStack snapshots store the Message already parsed
      event(message, "SNS Message");
      return;
    }
    if (!message.is_string()) {
      reject("wrong type for field Message (expected string)");
      return;
    }
    std::size_t start = 0;
    while (start < text.size() && is_space(text[start])) ++start;
    if (start == text.size() || text[start] != '{') {
      accept_notice(SesNoticeKind::sns_text_message, envelope, std::string(text));
      return;
    }
    // The Message is JSON in a JSON string: parsed on its own, with a second reader (the
    // envelope's tape stays valid).
    const bool parsed = inner_.parse_value(text, start);
    std::size_t end = parsed ? inner_.end() : 0;
    if (!parsed) {
      Scan scan = scan_value(text, start);
      if (scan.status == ScanStatus::too_deep) {
        reject("SNS Message: nesting deeper than " + std::to_string(kSesMaxDepth) + " levels");
        return;
      }
      if (scan.status != ScanStatus::ok) {
        reject("SNS Message: truncated or malformed JSON");
        return;
      }
      end = scan.end;
    }
    for (std::size_t i = end; i < text.size(); ++i) {
      if (!is_space(text[i])) {
        reject("SNS Message: trailing content after the JSON object");
        return;
      }
    }
    if (!parsed) {
      reject("SNS Message: " + inner_.message());
      return;
    }
    event(inner_.root(), "SNS Message");
  }

  void document(JsonValue doc) {
    if (!doc.is_object()) {
      reject(std::string("not an object (got ") + detail::json_type_name(doc.type()) + ")");
      return;
    }
    if (JsonValue records = doc.find("Records"); records.present()) {
      lambda_records(records);
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
    JsonValue detail = doc.find("detail");
    JsonValue source = doc.find("source");
    if (detail.present() && (doc.contains("detail-type") || source.present())) {
      if (source.present() && (!source.is_string() || source.string() != "aws.ses")) {
        reject("EventBridge event from a source other than aws.ses");
        return;
      }
      if (!detail.is_object()) {
        reject("wrong type for field detail (expected object)");
        return;
      }
      origin_.envelope = SesEnvelope::eventbridge;
      event(detail, "EventBridge detail");
      return;
    }
    reject(
        "unknown shape: no eventType, notificationType, SNS Type, Records or EventBridge detail");
  }

  void lambda_records(JsonValue records) {
    if (!records.is_array()) {
      reject("wrong type for field Records (expected array)");
      return;
    }
    if (records.empty()) {
      reject("empty Records array");
      return;
    }
    SesOriginCopy first{origin_.line, origin_.offset};
    std::size_t i = 0;
    for (JsonValue entry : records.elements()) {
      if (i > 0) {  // each entry is an input record of its own, at the same place
        origin_.input_index = batch_.seen++;
        origin_.line = first.line;
        origin_.offset = first.offset;
        origin_.sns_message_id.clear();
      }
      std::string at = "Records[" + std::to_string(i++) + "]";
      if (!entry.is_object()) {
        reject(at + " is not an object");
        continue;
      }
      if (JsonValue sns_entry = entry.find("Sns"); sns_entry.present()) {
        if (!sns_entry.is_object()) {
          reject("wrong type for field " + at + ".Sns (expected object)");
          continue;
        }
        origin_.envelope = SesEnvelope::sns_lambda;
        sns(sns_entry);
      } else if (JsonValue ses = entry.find("ses"); ses.is_object()) {
        std::string id;
        if (JsonValue mail = ses.find("mail"); mail.is_object()) {
          if (JsonValue m = mail.find("messageId"); m.is_string()) id = std::string(m.string());
        }
        accept_notice(SesNoticeKind::inbound_received, JsonValue(), std::move(id));
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
  JsonReader reader_{kSesMaxDepth};  // the record
  JsonReader inner_{kSesMaxDepth};   // an SNS Message inside it
  detail::SesScratch scratch_;
  std::string reason_, inbound_id_;
  std::size_t line_ = 1;
  std::size_t line_pos_ = 0;
  static constexpr std::size_t kReserveAfterBytes = 1 << 16;
  std::size_t reserve_at_ = static_cast<std::size_t>(-1);
};

}  // namespace

SesBatch parse_ses_event(std::string_view json_text) {
  return BatchBuilder(json_text).run(true);
}

SesBatch parse_ses_events(std::string_view text) {
  return BatchBuilder(text).run(false);
}

void parse_ses_events(std::string_view text, SesBatch& batch) {
  batch = BatchBuilder(text, std::move(batch)).run(false);
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
