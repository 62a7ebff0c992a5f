// JSON output of normalised SES records (compact objects and NDJSON) through JsonWriter.
#include <string>

#include "clicktrail/ses.hpp"
#include "ses_detail.hpp"

namespace clicktrail {
namespace detail {

namespace {

void write_tags(JsonWriter& w, const char* name, const SesTagList& tags, bool all_values) {
  w.key(name).begin_object();
  for (const auto& [key, values] : tags) {
    w.key(key);
    if (all_values) {
      w.begin_array();
      for (const auto& v : values) w.value(v);
      w.end_array();
    } else {
      w.value(values.empty() ? std::string_view() : std::string_view(values[0]));
    }
  }
  w.end_object();
}

void write_topics(JsonWriter& w, const char* name, const SesTopicPreferences& p) {
  if (!p.present) return;
  w.key(name).begin_object().member("unsubscribeAll", p.unsubscribe_all);
  w.key("topicSubscriptionStatus").begin_array();
  for (const auto& [topic, status] : p.topics) {
    w.begin_object().member("topicName", topic).member("subscriptionStatus", status).end_object();
  }
  w.end_array().end_object();
}

void optional_member(JsonWriter& w, const char* name, const std::string& value) {
  if (!value.empty()) w.member(name, value);
}

}  // namespace

// Keys (always): type, eventType, origin ("eventPublishing"|"notification"), envelope,
// messageId, timestamp, recipient, source, configurationSet, tags (key -> first value),
// tagValues (key -> all values), input, line, offset. When known: epochMs, mailTimestamp,
// subject, snsMessageId and the type-specific fields (bounceType, bounceSubType, action, status,
// diagnosticCode, feedbackId, reportingMta, remoteMtaIp, complaintFeedbackType,
// complaintSubType, userAgent, arrivalDate, delayType, expirationTime, ipAddress, link, linkTags,
// smtpResponse, processingTimeMillis, rejectReason, errorMessage, templateName, contactList,
// subscriptionSource, newTopicPreferences, oldTopicPreferences).
void write_ses_record(JsonWriter& w, const SesRecord& r) {
  w.begin_object();
  w.member("type", to_string(r.type));
  w.member("eventType", r.event_type);
  w.member("origin", r.notification ? "notification" : "eventPublishing");
  w.member("envelope", to_string(r.envelope));
  optional_member(w, "snsMessageId", r.sns_message_id);
  w.member("messageId", r.message_id);
  w.member("timestamp", r.timestamp);
  if (r.epoch_ms) w.member("epochMs", *r.epoch_ms);
  optional_member(w, "mailTimestamp", r.mail_timestamp);
  w.member("recipient", r.recipient);
  w.member("source", r.source);
  if (r.subject) w.member("subject", *r.subject);
  w.member("configurationSet", r.configuration_set);
  write_tags(w, "tags", r.tags, false);
  write_tags(w, "tagValues", r.tags, true);
  optional_member(w, "bounceType", r.bounce_type);
  optional_member(w, "bounceSubType", r.bounce_subtype);
  optional_member(w, "action", r.action);
  optional_member(w, "status", r.status);
  optional_member(w, "diagnosticCode", r.diagnostic_code);
  optional_member(w, "feedbackId", r.feedback_id);
  optional_member(w, "reportingMta", r.reporting_mta);
  optional_member(w, "remoteMtaIp", r.remote_mta_ip);
  optional_member(w, "complaintFeedbackType", r.complaint_feedback_type);
  optional_member(w, "complaintSubType", r.complaint_subtype);
  optional_member(w, "userAgent", r.user_agent);
  optional_member(w, "arrivalDate", r.arrival_date);
  optional_member(w, "delayType", r.delay_type);
  optional_member(w, "expirationTime", r.expiration_time);
  optional_member(w, "ipAddress", r.ip_address);
  optional_member(w, "link", r.link);
  if (!r.link_tags.empty()) write_tags(w, "linkTags", r.link_tags, true);
  optional_member(w, "smtpResponse", r.smtp_response);
  if (r.processing_time_ms) w.member("processingTimeMillis", *r.processing_time_ms);
  optional_member(w, "rejectReason", r.reject_reason);
  optional_member(w, "errorMessage", r.error_message);
  optional_member(w, "templateName", r.template_name);
  optional_member(w, "contactList", r.contact_list);
  optional_member(w, "subscriptionSource", r.subscription_source);
  write_topics(w, "newTopicPreferences", r.new_topic_preferences);
  write_topics(w, "oldTopicPreferences", r.old_topic_preferences);
  w.member("input", r.input_index).member("line", r.line).member("offset", r.offset);
  w.end_object();
}

}  // namespace detail

std::string ses_record_to_json(const SesRecord& record) {
  detail::JsonWriter w;
  detail::write_ses_record(w, record);
  return w.take();
}

std::string ses_records_to_ndjson(const std::vector<SesRecord>& records) {
  std::string out;
  for (const auto& r : records) {
    detail::JsonWriter w;
    detail::write_ses_record(w, r);
    out += w.take();
    out += '\n';
  }
  return out;
}

}  // namespace clicktrail
