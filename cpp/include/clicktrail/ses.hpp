// Amazon SES sending events: every shape they arrive in, normalised to one record per recipient.
//
// Accepted shapes (each bare or wrapped):
//   - event publishing: {"eventType": "Send"|"Delivery"|"Bounce"|"Complaint"|"Open"|"Click"|
//     "Reject"|"Rendering Failure"|"DeliveryDelay"|"Subscription", "mail": {...}, ...}
//   - identity notifications: {"notificationType": "Bounce"|"Complaint"|"Delivery", ...}
//   - SNS HTTP envelope {"Type": "Notification", "Message": "<JSON string>", "SigningCertURL"...}
//     (a Message that is already an object, as LocalStack snapshots store it, is accepted too)
//   - Lambda form {"Records": [{"Sns": {"Message": "...", "SigningCertUrl": ...}}, ...]}
//   - EventBridge {"source": "aws.ses", "detail-type": "Email Bounced", "detail": {...}}
// Recognised and reported as notices (status, not error): SNS SubscriptionConfirmation and
// UnsubscribeConfirmation, SNS messages whose Message is plain text ("Successfully validated SNS
// topic ..."), inbound mail (`notificationType: Received`, Lambda `Records[].ses`).
//
// Batches: NDJSON, a JSON array of records, or concatenated JSON documents with or without
// newlines between them (Firehose/S3 exports). A small scanner splits top-level values, so each
// record is parsed on its own. When a record is broken, the scanner resynchronises at the next
// line that starts with '{' or '[' in column 0, so one bad NDJSON line never takes others down.
//
// Decisions (documented, tested):
//   - Invalid UTF-8 anywhere in a record rejects that record (reason names the byte offset);
//     nothing is replaced.
//   - Nesting deeper than kSesMaxDepth (64) rejects the record before it is parsed.
//   - JSON is read strictly (RFC 8259). A key repeated in an object: the last one counts.
//   - A field clicktrail reads must have the documented type; otherwise the record is rejected
//     with "wrong type for field X (expected Y)". JSON null counts as absent. Fields clicktrail
//     does not know are ignored, unknown bounce/complaint subtypes and unknown eventType values
//     are kept as strings (type "other" for an unknown eventType).
//   - Timestamps must be ISO-8601 (SES form "2017-08-05T00:41:02.669Z"; any number of fraction
//     digits, "Z" or "+hh:mm"); a present but unparsable timestamp rejects the record. This is
//     why LocalStack's transformed snapshot values ("timestamp": "timestamp",
//     "processingTimeMillis": "processing-time") are rejected with that reason.
//   - mail.messageId is required for every sending event.
//   - Counting: every input record (a top-level value, an element of a top-level array, an entry
//     of a Lambda Records array) is either accepted (it produced records or a notice) or
//     rejected; accepted + rejected == seen.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clicktrail {

inline constexpr int kSesMaxDepth = 64;

enum class SesEventType {
  send,
  delivery,
  bounce,
  complaint,
  open,
  click,
  reject,
  rendering_failure,
  delivery_delay,
  subscription,
  other,  // an eventType SES may add later; the raw name is kept in SesRecord::event_type
};
// "send", "delivery", "bounce", "complaint", "open", "click", "reject", "renderingFailure",
// "deliveryDelay", "subscription", "other".
[[nodiscard]] std::string_view to_string(SesEventType type);

enum class SesEnvelope { bare, sns_http, sns_lambda, eventbridge };
[[nodiscard]] std::string_view to_string(SesEnvelope envelope);  // "bare", "snsHttp", ...

// Key -> all values (mail.tags, click.linkTags), keys in byte order.
using SesTagList = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct SesTopicPreferences {
  bool present = false;
  bool unsubscribe_all = false;
  // topicSubscriptionStatus: (topicName, subscriptionStatus)
  std::vector<std::pair<std::string, std::string>> topics;
};

// One affected recipient of one event. Empty strings are fields the event did not carry.
struct SesRecord {
  SesEventType type = SesEventType::other;
  std::string event_type;     // as given: "Bounce", "Rendering Failure", ...
  bool notification = false;  // notificationType (identity notification) vs eventType
  SesEnvelope envelope = SesEnvelope::bare;
  std::string sns_message_id;  // the SNS envelope's MessageId, when wrapped

  std::string message_id;  // mail.messageId
  std::string timestamp;   // the event's own timestamp as given (mail.timestamp when it has none)
  std::optional<std::int64_t> epoch_ms;
  std::string mail_timestamp;
  std::string recipient;
  std::string source;
  std::optional<std::string> subject;  // mail.commonHeaders.subject
  std::string configuration_set;
  SesTagList tags;  // mail.tags

  std::string feedback_id;
  std::string reporting_mta;
  std::string remote_mta_ip;
  // Bounce (bounce + this recipient's bouncedRecipients entry)
  std::string bounce_type;  // "Permanent", "Transient", "Undetermined", or whatever SES sends
  std::string bounce_subtype;
  std::string action;
  std::string status;  // also DeliveryDelay per-recipient status
  std::string diagnostic_code;
  // Complaint
  std::string complaint_feedback_type;
  std::string complaint_subtype;
  std::string user_agent;  // complaint, open, click
  std::string arrival_date;
  // DeliveryDelay
  std::string delay_type;
  std::string expiration_time;
  // Open / Click
  std::string ip_address;
  std::string link;
  SesTagList link_tags;
  // Delivery
  std::string smtp_response;
  std::optional<std::int64_t> processing_time_ms;
  // Reject
  std::string reject_reason;
  // Rendering Failure
  std::string error_message;
  std::string template_name;
  // Subscription
  std::string contact_list;
  std::string subscription_source;
  SesTopicPreferences new_topic_preferences;
  SesTopicPreferences old_topic_preferences;

  // Where it came from in the batch.
  std::size_t input_index = 0;  // 0-based input record
  std::size_t line = 1;         // 1-based line of the input record's first byte
  std::size_t offset = 0;       // byte offset of the input record's first byte

  // First value of a mail tag, or "" when absent.
  [[nodiscard]] std::string_view tag(std::string_view key) const;
};

enum class SesNoticeKind {
  sns_subscription_confirmation,
  sns_unsubscribe_confirmation,
  sns_text_message,  // SNS Notification whose Message is not JSON
  inbound_received,  // receiving (inbound) mail, not a sending event
};
// "snsSubscriptionConfirmation", "snsUnsubscribeConfirmation", "snsTextMessage",
// "inboundReceived".
[[nodiscard]] std::string_view to_string(SesNoticeKind kind);

struct SesNotice {
  SesNoticeKind kind;
  std::string topic_arn;
  std::string message;  // SNS Message text (or the inbound mail's messageId)
  std::string subscribe_url;
  std::size_t input_index = 0;
  std::size_t line = 1;
  std::size_t offset = 0;
};

struct SesRejection {
  std::size_t input_index = 0;
  std::size_t line = 1;
  std::size_t offset = 0;
  std::string reason;
};

struct SesBatch {
  std::vector<SesRecord> records;
  std::vector<SesNotice> notices;
  std::vector<SesRejection> rejections;
  std::size_t seen = 0;      // input records
  std::size_t accepted = 0;  // produced records or a notice
  std::size_t rejected = 0;
};

// ISO-8601 date-time as SES writes it ("2017-08-05T00:41:02.669Z"; fraction of any length,
// "Z", "+hh:mm", "-hh:mm" or "+hhmm") to milliseconds since the epoch; nullopt if malformed.
[[nodiscard]] std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// One JSON document (any accepted shape; a Lambda Records array may hold several events).
// Same result type as a batch of one document.
[[nodiscard]] SesBatch parse_ses_event(std::string_view json_text);

// NDJSON, a JSON array, or concatenated documents. Never fails as a whole.
[[nodiscard]] SesBatch parse_ses_events(std::string_view text);
// The same into `batch`, replacing everything it held but keeping its memory. A service that
// parses batch after batch this way writes each batch's records into memory already in use;
// a fresh large batch (about a kilobyte per record) is memory the allocator maps anew, and the
// kernel's first-touch page faults on it cost a native parse up to half its time.
void parse_ses_events(std::string_view text, SesBatch& batch);

// Output (camelCase keys, see ses_event.cpp for the list). A record as one compact JSON object.
[[nodiscard]] std::string ses_record_to_json(const SesRecord& record);
// Every record as one line of NDJSON.
[[nodiscard]] std::string ses_records_to_ndjson(const std::vector<SesRecord>& records);
// {"seen":..,"accepted":..,"rejected":..,"records":[..] (when include_records),
//  "notices":[..],"rejections":[{"input":..,"line":..,"offset":..,"reason":".."}]}
[[nodiscard]] std::string ses_batch_to_json(const SesBatch& batch, bool include_records = true);

}  // namespace clicktrail
