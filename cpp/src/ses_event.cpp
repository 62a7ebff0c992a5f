// One SES record object (event publishing or identity notification) -> one normalised record per
// affected recipient; ISO-8601 parsing; JSON output of records.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "civil_time.hpp"
#include "clicktrail/ses.hpp"
#include "ses_detail.hpp"

namespace clicktrail {

using nlohmann::json;

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

// Typed field access: a field that is present (and not null) with the wrong type sets `error`.
class FieldReader {
 public:
  std::string error;

  bool failed() const { return !error.empty(); }

  const json* member(const json& object, const char* key) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void wrong_type(const std::string& path, const char* expected) {
    if (error.empty()) error = "wrong type for field " + path + " (expected " + expected + ")";
  }

  const json* object(const json& parent, const char* key, const std::string& path) {
    const json* value = member(parent, key);
    if (value && !value->is_object()) {
      wrong_type(path, "object");
      return nullptr;
    }
    return value;
  }
  const json* array(const json& parent, const char* key, const std::string& path) {
    const json* value = member(parent, key);
    if (value && !value->is_array()) {
      wrong_type(path, "array");
      return nullptr;
    }
    return value;
  }
  void string(const json& parent, const char* key, const std::string& path, std::string& out) {
    const json* value = member(parent, key);
    if (!value) return;
    if (!value->is_string()) return wrong_type(path, "string");
    out = value->get_ref<const std::string&>();
  }
  void boolean(const json& parent, const char* key, const std::string& path, bool& out) {
    const json* value = member(parent, key);
    if (!value) return;
    if (!value->is_boolean()) return wrong_type(path, "boolean");
    out = value->get<bool>();
  }
  void integer(const json& parent, const char* key, const std::string& path,
               std::optional<std::int64_t>& out) {
    const json* value = member(parent, key);
    if (!value) return;
    if (value->is_number_integer()) {
      if (value->is_number_unsigned() &&
          value->get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        error = "number out of range for field " + path;
        return;
      }
      out = value->get<std::int64_t>();
    } else if (value->is_number_float()) {
      double d = value->get<double>();
      if (!std::isfinite(d) || std::fabs(d) > 9.0e18) {
        error = "number out of range for field " + path;
        return;
      }
      out = static_cast<std::int64_t>(d);
    } else {
      wrong_type(path, "number");
    }
  }
  // A timestamp that is present must be ISO-8601.
  void time(const json& parent, const char* key, const std::string& path, std::string& out) {
    string(parent, key, path, out);
    if (!failed() && !out.empty() && !parse_iso8601_ms(out)) {
      error = "field " + path + " is not an ISO-8601 time: \"" + out.substr(0, 64) + "\"";
    }
  }
  // {"key": ["v1", "v2"], ...}; a single string value is taken as a one-element list.
  void tags(const json& parent, const char* key, const std::string& path, SesTagList& out) {
    const json* value = object(parent, key, path);
    if (!value) return;
    for (auto it = value->begin(); it != value->end(); ++it) {
      std::vector<std::string> values;
      if (it->is_string()) {
        values.push_back(it->get<std::string>());
      } else if (it->is_array()) {
        for (const auto& v : *it) {
          if (!v.is_string()) return wrong_type(path + "." + it.key(), "array of strings");
          values.push_back(v.get<std::string>());
        }
      } else if (!it->is_null()) {
        return wrong_type(path + "." + it.key(), "array of strings");
      }
      out.emplace_back(it.key(), std::move(values));
    }
  }
  void topics(const json& parent, const char* key, const std::string& path,
              SesTopicPreferences& out) {
    const json* value = object(parent, key, path);
    if (!value) return;
    out.present = true;
    boolean(*value, "unsubscribeAll", path + ".unsubscribeAll", out.unsubscribe_all);
    const json* list = array(*value, "topicSubscriptionStatus", path + ".topicSubscriptionStatus");
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      std::string item_path = path + ".topicSubscriptionStatus[" + std::to_string(i) + "]";
      if (!item.is_object()) return wrong_type(item_path, "object");
      std::pair<std::string, std::string> topic;
      string(item, "topicName", item_path + ".topicName", topic.first);
      string(item, "subscriptionStatus", item_path + ".subscriptionStatus", topic.second);
      out.topics.push_back(std::move(topic));
    }
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

}  // namespace

SesExtract extract_ses_records(const json& record, const SesOrigin& origin,
                               std::vector<SesRecord>& out, std::string& reason,
                               std::string& inbound_message_id) {
  FieldReader f;
  SesRecord base;
  base.envelope = origin.envelope;
  base.sns_message_id = origin.sns_message_id;
  base.input_index = origin.input_index;
  base.line = origin.line;
  base.offset = origin.offset;

  std::string kind;
  f.string(record, "eventType", "eventType", kind);
  if (kind.empty() && !f.failed()) {
    f.string(record, "notificationType", "notificationType", kind);
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
    if (const json* mail = f.object(record, "mail", "mail")) {
      f.string(*mail, "messageId", "mail.messageId", inbound_message_id);
    }
    f.error.clear();  // inbound mail is reported as such whatever its details
    return SesExtract::inbound;
  }

  const json* mail = f.object(record, "mail", "mail");
  if (f.failed() || !mail) {
    reason = f.failed() ? f.error : "missing mail object";
    return SesExtract::rejected;
  }
  f.string(*mail, "messageId", "mail.messageId", base.message_id);
  if (!f.failed() && base.message_id.empty()) {
    reason = "missing mail.messageId";
    return SesExtract::rejected;
  }
  f.time(*mail, "timestamp", "mail.timestamp", base.mail_timestamp);
  f.string(*mail, "source", "mail.source", base.source);
  if (const json* headers = f.object(*mail, "commonHeaders", "mail.commonHeaders")) {
    if (const json* subject = f.member(*headers, "subject")) {
      if (subject->is_string()) {
        base.subject = subject->get<std::string>();
      } else {
        f.wrong_type("mail.commonHeaders.subject", "string");
      }
    }
  }
  f.tags(*mail, "tags", "mail.tags", base.tags);
  base.configuration_set = std::string(base.tag("ses:configuration-set"));
  if (base.configuration_set.empty()) {
    f.string(record, "configurationSet", "configurationSet", base.configuration_set);
  }
  if (base.configuration_set.empty()) {
    if (const json* headers = f.array(*mail, "headers", "mail.headers")) {
      for (const auto& h : *headers) {
        if (!h.is_object()) continue;
        auto name = h.find("name");
        auto value = h.find("value");
        if (name != h.end() && name->is_string() && value != h.end() && value->is_string()) {
          const std::string& n = name->get_ref<const std::string&>();
          if (n.size() == 23 && (n == "X-SES-CONFIGURATION-SET" || n == "x-ses-configuration-set"))
            base.configuration_set = value->get<std::string>();
        }
      }
    }
  }
  std::vector<std::string> destination;
  if (const json* list = f.array(*mail, "destination", "mail.destination")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) {
        f.wrong_type("mail.destination[" + std::to_string(i) + "]", "string");
        break;
      }
      destination.push_back((*list)[i].get<std::string>());
    }
  }
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }

  // The type-specific object. A missing one is tolerated (Send carries "send": {}); one with
  // the wrong type is not.
  static const json kEmpty = json::object();
  const json* detail = &kEmpty;
  if (object_key) {
    if (const json* found = f.object(record, object_key, object_key)) detail = found;
  }
  const std::string key = object_key ? object_key : "";
  std::string event_time;
  f.time(*detail, "timestamp", key + ".timestamp", event_time);
  f.string(*detail, "feedbackId", key + ".feedbackId", base.feedback_id);
  f.string(*detail, "reportingMTA", key + ".reportingMTA", base.reporting_mta);
  f.string(*detail, "remoteMtaIp", key + ".remoteMtaIp", base.remote_mta_ip);
  if (f.failed()) {
    reason = f.error;
    return SesExtract::rejected;
  }
  base.timestamp = event_time.empty() ? base.mail_timestamp : event_time;
  if (!base.timestamp.empty()) base.epoch_ms = parse_iso8601_ms(base.timestamp);

  // Per-recipient entries: (address, entry object or null).
  std::vector<std::pair<std::string, const json*>> recipients;
  auto recipient_objects = [&](const char* list_key) {
    std::string path = key + "." + list_key;
    const json* list = f.array(*detail, list_key, path);
    if (!list) return;
    for (std::size_t i = 0; i < list->size() && !f.failed(); ++i) {
      const json& item = (*list)[i];
      std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!item.is_object()) return f.wrong_type(item_path, "object");
      std::string address;
      f.string(item, "emailAddress", item_path + ".emailAddress", address);
      recipients.emplace_back(std::move(address), &item);
    }
  };

  switch (base.type) {
    case SesEventType::bounce:
      f.string(*detail, "bounceType", "bounce.bounceType", base.bounce_type);
      f.string(*detail, "bounceSubType", "bounce.bounceSubType", base.bounce_subtype);
      recipient_objects("bouncedRecipients");
      break;
    case SesEventType::complaint:
      f.string(*detail, "complaintFeedbackType", "complaint.complaintFeedbackType",
               base.complaint_feedback_type);
      f.string(*detail, "complaintSubType", "complaint.complaintSubType", base.complaint_subtype);
      f.string(*detail, "userAgent", "complaint.userAgent", base.user_agent);
      f.time(*detail, "arrivalDate", "complaint.arrivalDate", base.arrival_date);
      recipient_objects("complainedRecipients");
      break;
    case SesEventType::delivery_delay:
      f.string(*detail, "delayType", "deliveryDelay.delayType", base.delay_type);
      f.time(*detail, "expirationTime", "deliveryDelay.expirationTime", base.expiration_time);
      recipient_objects("delayedRecipients");
      break;
    case SesEventType::delivery: {
      f.string(*detail, "smtpResponse", "delivery.smtpResponse", base.smtp_response);
      f.integer(*detail, "processingTimeMillis", "delivery.processingTimeMillis",
                base.processing_time_ms);
      if (const json* list = f.array(*detail, "recipients", "delivery.recipients")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          if (!(*list)[i].is_string()) {
            f.wrong_type("delivery.recipients[" + std::to_string(i) + "]", "string");
            break;
          }
          recipients.emplace_back((*list)[i].get<std::string>(), nullptr);
        }
      } else if (!f.failed()) {
        for (const auto& address : destination) recipients.emplace_back(address, nullptr);
      }
      break;
    }
    case SesEventType::open:
    case SesEventType::click:
      f.string(*detail, "ipAddress", key + ".ipAddress", base.ip_address);
      f.string(*detail, "userAgent", key + ".userAgent", base.user_agent);
      f.string(*detail, "link", key + ".link", base.link);
      f.tags(*detail, "linkTags", key + ".linkTags", base.link_tags);
      break;
    case SesEventType::reject:
      f.string(*detail, "reason", "reject.reason", base.reject_reason);
      break;
    case SesEventType::rendering_failure:
      f.string(*detail, "errorMessage", "failure.errorMessage", base.error_message);
      f.string(*detail, "templateName", "failure.templateName", base.template_name);
      break;
    case SesEventType::subscription:
      f.string(*detail, "contactList", "subscription.contactList", base.contact_list);
      f.string(*detail, "source", "subscription.source", base.subscription_source);
      f.topics(*detail, "newTopicPreferences", "subscription.newTopicPreferences",
               base.new_topic_preferences);
      f.topics(*detail, "oldTopicPreferences", "subscription.oldTopicPreferences",
               base.old_topic_preferences);
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
  if (!per_entry) {
    for (const auto& address : destination) recipients.emplace_back(address, nullptr);
  }
  if (recipients.empty()) {
    reason =
        "no recipients (" +
        (per_entry && !key.empty() ? key + " recipient list" : std::string("mail.destination")) +
        " missing or empty)";
    return SesExtract::rejected;
  }

  std::size_t first = out.size();
  for (auto& [address, entry] : recipients) {
    SesRecord r = base;
    r.recipient = std::move(address);
    if (entry) {
      std::string path = key + " recipient " + r.recipient;
      f.string(*entry, "action", path + ".action", r.action);
      f.string(*entry, "status", path + ".status", r.status);
      f.string(*entry, "diagnosticCode", path + ".diagnosticCode", r.diagnostic_code);
    }
    out.push_back(std::move(r));
  }
  if (f.failed()) {
    out.resize(first);
    reason = f.error;
    return SesExtract::rejected;
  }
  return SesExtract::records;
}

}  // namespace detail

}  // namespace clicktrail
