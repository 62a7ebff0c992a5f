// One SES record object (event publishing or identity notification) -> one normalised record per
// affected recipient; ISO-8601 parsing; JSON output of records.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "civil_time.hpp"
#include "clicktrail/ses.hpp"
#include "ses_detail.hpp"

namespace clicktrail {

std::string_view to_string(SesEventType type) {
  switch (type) {
    case SesEventType::send:
      return "send";
    case SesEventType::delivery:
      return "delivery";
    case SesEventType::bounce:
      return "bounce";
    case SesEventType::complaint:
      return "complaint";
    case SesEventType::open:
      return "open";
    case SesEventType::click:
      return "click";
    case SesEventType::reject:
      return "reject";
    case SesEventType::rendering_failure:
      return "renderingFailure";
    case SesEventType::delivery_delay:
      return "deliveryDelay";
    case SesEventType::subscription:
      return "subscription";
    case SesEventType::other:
      break;
  }
  return "other";
}

std::string_view to_string(SesEnvelope envelope) {
  switch (envelope) {
    case SesEnvelope::bare:
      return "bare";
    case SesEnvelope::sns_http:
      return "snsHttp";
    case SesEnvelope::sns_lambda:
      return "snsLambda";
    case SesEnvelope::eventbridge:
      break;
  }
  return "eventBridge";
}

std::string_view to_string(SesNoticeKind kind) {
  switch (kind) {
    case SesNoticeKind::sns_subscription_confirmation:
      return "snsSubscriptionConfirmation";
    case SesNoticeKind::sns_unsubscribe_confirmation:
      return "snsUnsubscribeConfirmation";
    case SesNoticeKind::sns_text_message:
      return "snsTextMessage";
    case SesNoticeKind::inbound_received:
      break;
  }
  return "inboundReceived";
}

std::string_view SesRecord::tag(std::string_view key) const {
  for (const auto& [name, values] : tags) {
    if (name == key) return values.empty() ? std::string_view() : std::string_view(values[0]);
  }
  return {};
}

namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  // YYYY-MM-DDThh:mm:ss[.fff...](Z|+hh:mm|-hh:mm|+hhmm)
  int year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, hour) ||
      text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  std::size_t i = 19;
  int millis = 0;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    std::size_t start = i;
    int scale = 100;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      millis += (text[i] - '0') * scale;  // digits past the millisecond are truncated
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(text, i + 1, 2, oh)) return std::nullopt;
    i += 3;
    if (i < text.size() && text[i] == ':') ++i;
    if (!digits(text, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
    i += 2;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;  // SES always names the zone; a bare local time is ambiguous
  }
  if (i != text.size()) return std::nullopt;
  std::int64_t days =
      detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

namespace detail {
namespace {

// A JSON value being read and where it is, for messages: a chain of parts from the record down
// ("bounce" <- ".bouncedRecipients" <- "[0]"), joined only when a message is written.
struct Place {
  JsonValue value;
  const Place* parent = nullptr;
  std::string_view separator;  // between the parent's path and `part`, when both are non-empty
  std::string_view part;

  std::string path() const {
    std::string text = parent ? parent->path() : std::string();
    if (!text.empty()) text += separator;
    text += part;
    return text;
  }
  // The path of the member `key` ("mail" + "messageId" -> "mail.messageId").
  std::string path(std::string_view key) const {
    std::string text = path();
    if (!text.empty()) text += '.';
    text += key;
    return text;
  }
};

// "[i]", in a buffer of its own (a Place's part).
class IndexPart {
 public:
  explicit IndexPart(std::size_t index) {
    buffer_[0] = '[';
    char* end = std::to_chars(buffer_ + 1, buffer_ + sizeof buffer_ - 1, index).ptr;
    *end++ = ']';
    size_ = static_cast<std::size_t>(end - buffer_);
  }
  IndexPart(const IndexPart&) = delete;
  IndexPart& operator=(const IndexPart&) = delete;
  std::string_view view() const { return {buffer_, size_}; }

 private:
  char buffer_[24];
  std::size_t size_;
};

// Typed field access: a field that is present (and not null) with the wrong type sets `error`
// (the first one only), naming the field by its path.
class FieldReader {
 public:
  std::string error;

  bool failed() const { return !error.empty(); }

  // A member that is present and not null.
  static JsonValue member(const Place& in, std::string_view key) {
    JsonValue value = in.value.find(key);
    return value.is_null() ? JsonValue() : value;
  }

  void wrong_type(std::string path, const char* expected) {
    if (error.empty()) error = "wrong type for field " + path + " (expected " + expected + ")";
  }

  // The member `key` as a Place of its own (absent when missing, null or of the wrong type).
  Place object(const Place& in, std::string_view key) { return typed(in, key, JsonType::object); }
  Place array(const Place& in, std::string_view key) { return typed(in, key, JsonType::array); }

  // The member `key` if it is a string (absent otherwise).
  JsonValue text(const Place& in, std::string_view key) {
    JsonValue value = member(in, key);
    if (value.present() && !value.is_string()) {
      wrong_type(in.path(key), "string");
      return {};
    }
    return value;
  }
  // `out` is a view into the document (or the reader's arena).
  void string(const Place& in, std::string_view key, std::string_view& out) {
    if (JsonValue value = text(in, key); value.present()) out = value.string();
  }
  void string(const Place& in, std::string_view key, std::string& out) {
    if (JsonValue value = text(in, key); value.present()) out.assign(value.string());
  }
  void boolean(const Place& in, std::string_view key, bool& out) {
    JsonValue value = member(in, key);
    if (!value.present()) return;
    if (!value.is_boolean()) return wrong_type(in.path(key), "boolean");
    out = value.boolean();
  }
  // An integer within int64, or a number within +-9e18 truncated toward zero (an integer beyond
  // int64 is read as a double of at least 2^63, so it is out of range too).
  void integer(const Place& in, std::string_view key, std::optional<std::int64_t>& out) {
    JsonValue value = member(in, key);
    if (!value.present()) return;
    if (!value.is_number()) return wrong_type(in.path(key), "number");
    if (value.is_integer()) {
      out = value.integer();
      return;
    }
    double d = value.real();
    if (!std::isfinite(d) || std::fabs(d) > 9.0e18) {
      error = "number out of range for field " + in.path(key);
      return;
    }
    out = static_cast<std::int64_t>(d);
  }
  // A timestamp that is present must be ISO-8601.
  void time(const Place& in, std::string_view key, std::string& out) {
    string(in, key, out);
    if (!failed() && !out.empty() && !parse_iso8601_ms(out)) {
      error = "field " + in.path(key) + " is not an ISO-8601 time: \"" + out.substr(0, 64) + "\"";
    }
  }
  // {"key": ["v1", "v2"], ...}; a single string value is taken as a one-element list. Keys come
  // out in byte order, a repeated key's last value winning (as nlohmann's std::map had them).
  void tags(const Place& in, std::string_view key, SesTagList& out,
            std::vector<std::pair<JsonMember, std::size_t>>& members) {
    Place tags = object(in, key);
    members.clear();
    for (JsonMember m : tags.value.members()) members.emplace_back(m, members.size());
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      return a.first.key < b.first.key || (a.first.key == b.first.key && a.second < b.second);
    });
    out.reserve(out.size() + members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      const JsonMember& m = members[i].first;
      if (i + 1 < members.size() && members[i + 1].first.key == m.key) continue;  // a later one
      std::vector<std::string> values;
      if (m.value.is_string()) {
        values.emplace_back(m.value.string());
      } else if (m.value.is_array()) {
        values.reserve(m.value.size());
        for (JsonValue v : m.value.elements()) {
          if (!v.is_string()) return wrong_type(tags.path(m.key), "array of strings");
          values.emplace_back(v.string());
        }
      } else if (!m.value.is_null()) {
        return wrong_type(tags.path(m.key), "array of strings");
      }
      out.emplace_back(std::string(m.key), std::move(values));
    }
  }
  void topics(const Place& in, std::string_view key, SesTopicPreferences& out) {
    Place preferences = object(in, key);
    if (!preferences.value.present()) return;
    out.present = true;
    boolean(preferences, "unsubscribeAll", out.unsubscribe_all);
    Place list = array(preferences, "topicSubscriptionStatus");
    std::size_t i = 0;
    for (JsonValue item : list.value.elements()) {
      IndexPart index(i++);
      Place at{item, &list, {}, index.view()};
      if (!item.is_object()) return wrong_type(at.path(), "object");
      std::pair<std::string, std::string> topic;
      string(at, "topicName", topic.first);
      string(at, "subscriptionStatus", topic.second);
      out.topics.push_back(std::move(topic));
    }
  }

 private:
  Place typed(const Place& in, std::string_view key, JsonType type) {
    JsonValue value = member(in, key);
    if (value.present() && !value.is(type)) {
      wrong_type(in.path(key), json_type_name(type));
      value = JsonValue();
    }
    return {value, &in, ".", key};
  }
};

struct TypeName {
  std::string_view name;
  SesEventType type;
  const char* object_key;  // where the type-specific fields live
};
constexpr std::array<TypeName, 10> kTypes = {{
    {"Send", SesEventType::send, "send"},
    {"Delivery", SesEventType::delivery, "delivery"},
    {"Bounce", SesEventType::bounce, "bounce"},
    {"Complaint", SesEventType::complaint, "complaint"},
    {"Open", SesEventType::open, "open"},
    {"Click", SesEventType::click, "click"},
    {"Reject", SesEventType::reject, "reject"},
    {"Rendering Failure", SesEventType::rendering_failure, "failure"},
    {"DeliveryDelay", SesEventType::delivery_delay, "deliveryDelay"},
    {"Subscription", SesEventType::subscription, "subscription"},
}};

// Appends the address of each string element of `list` (which may be absent) to `out`; the
// first element of another type is an error.
void addresses(FieldReader& f, const Place& list,
               std::vector<std::pair<std::string_view, JsonValue>>& out) {
  std::size_t i = 0;
  for (JsonValue address : list.value.elements()) {
    if (!address.is_string()) {
      IndexPart index(i);
      return f.wrong_type(Place{address, &list, {}, index.view()}.path(), "string");
    }
    out.emplace_back(address.string(), JsonValue());
    ++i;
  }
}

}  // namespace

SesExtract extract_ses_records(JsonValue json, const SesOrigin& origin, std::vector<SesRecord>& out,
                               std::string& reason, std::string& inbound_message_id,
                               SesScratch& scratch) {
  FieldReader f;
  // The first record is built in place; it is removed again unless records are returned.
  const std::size_t first = out.size();
  struct Rollback {
    std::vector<SesRecord>& out;
    std::size_t first;
    bool keep = false;
    ~Rollback() {
      while (!keep && out.size() > first) out.pop_back();
    }
  } rollback{out, first};
  SesRecord& base = out.emplace_back();
  base.envelope = origin.envelope;
  base.sns_message_id = origin.sns_message_id;
  base.input_index = origin.input_index;
  base.line = origin.line;
  base.offset = origin.offset;

  const Place record{json, nullptr, {}, {}};
  std::string_view kind;
  f.string(record, "eventType", kind);
  if (kind.empty() && !f.failed()) {
    f.string(record, "notificationType", kind);
    base.notification = true;
  }
  if (f.failed() || kind.empty()) {
    reason = f.failed() ? f.error : "unknown shape: empty eventType/notificationType";
    return SesExtract::rejected;
  }
  base.event_type = kind;
  const char* object_key = nullptr;
  for (const auto& t : kTypes) {
    if (t.name == kind) {
      base.type = t.type;
      object_key = t.object_key;
    }
  }
  if (base.type == SesEventType::other && (kind == "Received" || kind == "received")) {
    f.string(f.object(record, "mail"), "messageId", inbound_message_id);
    f.error.clear();  // inbound mail is reported as such whatever its details
    return SesExtract::inbound;
  }

  const Place mail = f.object(record, "mail");
  if (f.failed() || !mail.value.present()) {
    reason = f.failed() ? f.error : "missing mail object";
    return SesExtract::rejected;
  }
  f.string(mail, "messageId", base.message_id);
  if (!f.failed() && base.message_id.empty()) {
    reason = "missing mail.messageId";
    return SesExtract::rejected;
  }
  f.time(mail, "timestamp", base.mail_timestamp);
  f.string(mail, "source", base.source);
  const Place headers = f.object(mail, "commonHeaders");
  if (JsonValue subject = FieldReader::member(headers, "subject"); subject.present()) {
    if (subject.is_string()) {
      base.subject = std::string(subject.string());
    } else {
      f.wrong_type(headers.path("subject"), "string");
    }
  }
  f.tags(mail, "tags", base.tags, scratch.members);
  base.configuration_set = std::string(base.tag("ses:configuration-set"));
  if (base.configuration_set.empty()) f.string(record, "configurationSet", base.configuration_set);
  if (base.configuration_set.empty()) {
    for (JsonValue h : f.array(mail, "headers").value.elements()) {
      JsonValue name = h.find("name");
      JsonValue value = h.find("value");
      if (name.is_string() && value.is_string() &&
          (name.string() == "X-SES-CONFIGURATION-SET" ||
           name.string() == "x-ses-configuration-set")) {
        base.configuration_set.assign(value.string());
      }
    }
  }
  auto& destination = scratch.destination;
  destination.clear();
  addresses(f, f.array(mail, "destination"), destination);
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }

  // The type-specific object. A missing one is tolerated (Send carries "send": {}); one with
  // the wrong type is not. Absent, it reads as an empty object.
  const std::string_view key = object_key ? object_key : "";
  const Place detail = object_key ? f.object(record, key) : Place{JsonValue(), nullptr, {}, key};
  std::string event_time;
  f.time(detail, "timestamp", event_time);
  f.string(detail, "feedbackId", base.feedback_id);
  f.string(detail, "reportingMTA", base.reporting_mta);
  f.string(detail, "remoteMtaIp", base.remote_mta_ip);
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }
  base.timestamp = event_time.empty() ? base.mail_timestamp : event_time;
  if (!base.timestamp.empty()) base.epoch_ms = parse_iso8601_ms(base.timestamp);

  // Per-recipient entries: (address, entry object or absent).
  auto& recipients = scratch.recipients;
  recipients.clear();
  auto recipient_objects = [&](std::string_view list_key) {
    const Place list = f.array(detail, list_key);
    std::size_t i = 0;
    for (JsonValue item : list.value.elements()) {
      if (f.failed()) break;
      IndexPart index(i++);
      const Place at{item, &list, {}, index.view()};
      if (!item.is_object()) return f.wrong_type(at.path(), "object");
      std::string_view address;
      f.string(at, "emailAddress", address);
      recipients.emplace_back(address, item);
    }
  };

  switch (base.type) {
    case SesEventType::bounce:
      f.string(detail, "bounceType", base.bounce_type);
      f.string(detail, "bounceSubType", base.bounce_subtype);
      recipient_objects("bouncedRecipients");
      break;
    case SesEventType::complaint:
      f.string(detail, "complaintFeedbackType", base.complaint_feedback_type);
      f.string(detail, "complaintSubType", base.complaint_subtype);
      f.string(detail, "userAgent", base.user_agent);
      f.time(detail, "arrivalDate", base.arrival_date);
      recipient_objects("complainedRecipients");
      break;
    case SesEventType::delivery_delay:
      f.string(detail, "delayType", base.delay_type);
      f.time(detail, "expirationTime", base.expiration_time);
      recipient_objects("delayedRecipients");
      break;
    case SesEventType::delivery: {
      f.string(detail, "smtpResponse", base.smtp_response);
      f.integer(detail, "processingTimeMillis", base.processing_time_ms);
      const Place list = f.array(detail, "recipients");
      if (list.value.present()) {
        addresses(f, list, recipients);
      } else if (!f.failed()) {
        recipients.assign(destination.begin(), destination.end());
      }
      break;
    }
    case SesEventType::open:
    case SesEventType::click:
      f.string(detail, "ipAddress", base.ip_address);
      f.string(detail, "userAgent", base.user_agent);
      f.string(detail, "link", base.link);
      f.tags(detail, "linkTags", base.link_tags, scratch.members);
      break;
    case SesEventType::reject:
      f.string(detail, "reason", base.reject_reason);
      break;
    case SesEventType::rendering_failure:
      f.string(detail, "errorMessage", base.error_message);
      f.string(detail, "templateName", base.template_name);
      break;
    case SesEventType::subscription:
      f.string(detail, "contactList", base.contact_list);
      f.string(detail, "source", base.subscription_source);
      f.topics(detail, "newTopicPreferences", base.new_topic_preferences);
      f.topics(detail, "oldTopicPreferences", base.old_topic_preferences);
      break;
    case SesEventType::send:
    case SesEventType::other:
      break;
  }
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }
  bool per_entry = base.type == SesEventType::bounce || base.type == SesEventType::complaint ||
                   base.type == SesEventType::delivery_delay || base.type == SesEventType::delivery;
  if (!per_entry) recipients.assign(destination.begin(), destination.end());
  if (recipients.empty()) {
    reason = "no recipients (" +
             (per_entry && !key.empty() ? std::string(key) + " recipient list"
                                        : std::string("mail.destination")) +
             " missing or empty)";
    return SesExtract::rejected;
  }

  // `base` is the first recipient's record; the others are copies of it.
  if (recipients.size() > 1) {
    SesRecord copy = base;
    for (std::size_t i = 1; i + 1 < recipients.size(); ++i) out.push_back(copy);
    out.push_back(std::move(copy));
  }
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    auto [address, entry] = recipients[i];
    SesRecord& r = out[first + i];
    r.recipient.assign(address);
    if (entry.present()) {
      const Place at{entry, &detail, " recipient ", r.recipient};
      f.string(at, "action", r.action);
      f.string(at, "status", r.status);
      f.string(at, "diagnosticCode", r.diagnostic_code);
    }
  }
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }
  rollback.keep = true;
  return SesExtract::records;
}

}  // namespace detail

}  // namespace clicktrail
