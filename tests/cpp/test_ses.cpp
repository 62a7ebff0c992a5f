// SES event parsing: the documented AWS examples, real SNS captures, envelopes, batches and
// malformed input. Expected values are copied from the example files themselves
// (tests/data/ses, see SOURCE.md), not from clicktrail's output.
#include <string>

#include "clicktrail/ses.hpp"
#include "test_support.hpp"

using namespace clicktrail;
using test_support::data_path;
using test_support::read_file;

namespace {

std::string doc(const std::string& name) {
  return read_file(data_path("ses/" + name));
}

SesBatch one(const std::string& name) {
  SesBatch b = parse_ses_event(doc(name));
  INFO(name << ": " << ses_batch_to_json(b, false));
  REQUIRE(b.seen == 1);
  REQUIRE(b.rejected == 0);
  REQUIRE(b.accepted == 1);
  return b;
}

const char* kExampleId = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";

// One line of compact JSON for a documented example (for batches).
std::string compact(const std::string& name) {
  return nlohmann::json::parse(doc(name), nullptr, false).dump();
}

}  // namespace

TEST_CASE("ISO-8601 times as SES writes them", "[ses]") {
  CHECK(parse_iso8601_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601_ms("2017-08-05T00:41:02.669Z") == 1501893662669);
  CHECK(parse_iso8601_ms("2017-08-05T00:41:02Z") == 1501893662000);
  CHECK(parse_iso8601_ms("2017-08-05T00:41:02.6Z") == 1501893662600);
  CHECK(parse_iso8601_ms("2017-08-05T00:41:02.669123Z") == 1501893662669);
  CHECK(parse_iso8601_ms("2017-08-05T02:41:02.669+02:00") == 1501893662669);
  CHECK(parse_iso8601_ms("2017-08-04T19:41:02.669-0500") == 1501893662669);
  CHECK(parse_iso8601_ms("2024-02-29T00:00:00Z") == 1709164800000);
  CHECK_FALSE(parse_iso8601_ms("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_iso8601_ms("timestamp"));
  CHECK_FALSE(parse_iso8601_ms("2017-08-05T00:41:02"));  // no zone
  CHECK_FALSE(parse_iso8601_ms("2017-08-05T00:41:02.Z"));
  CHECK_FALSE(parse_iso8601_ms("2017-13-05T00:41:02Z"));
  CHECK_FALSE(parse_iso8601_ms(""));
  // Round trip through the formatter in edge.hpp is checked by the lead's edge tests; here the
  // epoch of the documented Bounce example is computed by hand: 17383 days + 41 min 2.669 s.
  CHECK(parse_iso8601_ms("2017-08-05T00:00:00Z") == 17383LL * 86400 * 1000);
}

TEST_CASE("event publishing: the 10 documented examples", "[ses][aws-docs]") {
  const std::string dir = "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-";

  SECTION("Bounce") {
    auto b = one(dir.substr(0) + "bounce.json");
    REQUIRE(b.records.size() == 1);
    const auto& r = b.records[0];
    CHECK(r.type == SesEventType::bounce);
    CHECK_FALSE(r.notification);
    CHECK(r.message_id == kExampleId);
    CHECK(r.recipient == "recipient@example.com");
    CHECK(r.timestamp == "2017-08-05T00:41:02.669Z");
    CHECK(r.epoch_ms == parse_iso8601_ms("2017-08-05T00:41:02.669Z"));
    CHECK(r.mail_timestamp == "2017-08-05T00:40:02.012Z");
    CHECK(r.source == "Sender Name <sender@example.com>");
    CHECK(r.subject == std::optional<std::string>("Message sent from Amazon SES"));
    CHECK(r.configuration_set == "ConfigSet");
    CHECK(r.tag("ses:source-ip") == "192.0.2.0");
    CHECK(r.bounce_type == "Permanent");
    CHECK(r.bounce_subtype == "General");
    CHECK(r.action == "failed");
    CHECK(r.status == "5.1.1");
    CHECK(r.diagnostic_code == "smtp; 550 5.1.1 user unknown");
    CHECK(r.reporting_mta == "dsn; mta.example.com");
    CHECK(r.feedback_id == "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000");
  }
  SECTION("Complaint") {
    auto b = one(dir + "complaint.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::complaint);
    CHECK(r.recipient == "recipient@example.com");
    CHECK(r.complaint_feedback_type == "abuse");
    CHECK(r.arrival_date == "2017-08-05T00:41:02.669Z");
    CHECK(r.user_agent.find("Chrome/60.0.3112.90") != std::string::npos);
    CHECK(r.timestamp == "2017-08-05T00:41:02.669Z");
  }
  SECTION("Delivery") {
    auto b = one(dir + "delivery.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::delivery);
    CHECK(r.timestamp == "2016-10-19T23:21:04.133Z");
    CHECK(r.processing_time_ms == 11893);
    CHECK(r.smtp_response == "250 2.6.0 Message received");
    CHECK(r.reporting_mta == "mta.example.com");
    CHECK(r.tag("myCustomTag1") == "myCustomTagValue1");
  }
  SECTION("Send") {
    auto b = one(dir + "send.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::send);
    CHECK(r.timestamp == "2016-10-14T05:02:16.645Z");  // mail.timestamp: Send has no other
    CHECK(r.recipient == "recipient@example.com");
  }
  SECTION("Reject") {
    auto b = one(dir + "reject.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::reject);
    CHECK(r.reject_reason == "Bad content");
    CHECK(r.recipient == "sender@example.com");  // the documented mail.destination
  }
  SECTION("Open") {
    auto b = one(dir + "open.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::open);
    CHECK(r.ip_address == "192.0.2.1");
    CHECK(r.timestamp == "2017-08-09T22:00:19.652Z");
    CHECK(r.user_agent.rfind("Mozilla/5.0 (iPhone;", 0) == 0);
    CHECK(r.configuration_set == "ConfigSet");
  }
  SECTION("Click") {
    auto b = one(dir + "click.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::click);
    CHECK(r.link == "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html");
    REQUIRE(r.link_tags.size() == 2);
    CHECK(r.link_tags[0].first == "samplekey0");
    CHECK(r.link_tags[0].second == std::vector<std::string>{"samplevalue0"});
    CHECK(r.timestamp == "2017-08-09T23:51:25.570Z");
  }
  SECTION("Rendering Failure") {
    auto b = one(dir + "failure.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::rendering_failure);
    CHECK(r.event_type == "Rendering Failure");
    CHECK(r.error_message == "Attribute 'attributeName' is not present in the rendering data.");
    CHECK(r.template_name == "MyTemplate");
    CHECK(r.timestamp == "2018-01-22T18:43:06.197Z");
  }
  SECTION("DeliveryDelay") {
    auto b = one(dir + "delayed-delivery.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::delivery_delay);
    CHECK(r.delay_type == "TransientCommunicationFailure");
    CHECK(r.expiration_time == "2020-06-16T00:25:40.914Z");
    CHECK(r.timestamp == "2020-06-16T00:25:40.095Z");
    CHECK(r.status == "4.4.1");
    CHECK(r.diagnostic_code == "smtp; 421 4.4.1 Unable to connect to remote host");
  }
  SECTION("Subscription") {
    auto b = one(dir + "subscription.json");
    const auto& r = b.records.at(0);
    CHECK(r.type == SesEventType::subscription);
    CHECK(r.message_id == "EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000");
    CHECK(r.contact_list == "ContactListName");
    CHECK(r.subscription_source == "UnsubscribeHeader");
    CHECK(r.timestamp == "2022-01-12T01:00:17.910Z");
    CHECK(r.new_topic_preferences.unsubscribe_all);
    CHECK_FALSE(r.old_topic_preferences.unsubscribe_all);
    REQUIRE(r.new_topic_preferences.topics.size() == 1);
    CHECK(r.new_topic_preferences.topics[0].first == "ExampleTopicName");
    CHECK(r.new_topic_preferences.topics[0].second == "OptOut");
  }
}

TEST_CASE("identity notifications: the 5 documented examples", "[ses][aws-docs]") {
  const std::string dir = "aws-ses-docs/notification-examples/notification-examples-";
  SECTION("bounce without DSN: one record per bounced recipient, not per destination") {
    auto b = one(dir + "bounce-no-dsn.json");
    REQUIRE(b.records.size() == 2);
    CHECK(b.records[0].recipient == "jane@example.com");
    CHECK(b.records[1].recipient == "richard@example.com");
    CHECK(b.records[0].notification);
    CHECK(b.records[0].message_id ==
          "00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000");
    CHECK(b.records[0].remote_mta_ip == "127.0.2.0");
    CHECK(b.records[0].subject == std::optional<std::string>("Hello"));
  }
  SECTION("bounce with DSN") {
    auto b = one(dir + "bounce-with-dsn.json");
    REQUIRE(b.records.size() == 1);
    CHECK(b.records[0].recipient == "jane@example.com");
    CHECK(b.records[0].status == "5.1.1");
    CHECK(b.records[0].diagnostic_code == "smtp; 550 5.1.1 <jane@example.com>... User");
    CHECK(b.records[0].reporting_mta == "dns; email.example.com");
  }
  SECTION("complaint without feedback report") {
    auto b = one(dir + "complaint-no-feedback.json");
    REQUIRE(b.records.size() == 1);
    CHECK(b.records[0].recipient == "richard@example.com");
    CHECK(b.records[0].complaint_feedback_type.empty());
  }
  SECTION("complaint with feedback report") {
    auto b = one(dir + "complaint-with-feedback.json");
    REQUIRE(b.records.size() == 1);
    CHECK(b.records[0].complaint_feedback_type == "abuse");
    CHECK(b.records[0].user_agent == "AnyCompany Feedback Loop (V0.01)");
  }
  SECTION("delivery") {
    auto b = one(dir + "delivery.json");
    REQUIRE(b.records.size() == 1);
    CHECK(b.records[0].recipient == "jane@example.com");
    CHECK(b.records[0].processing_time_ms == 546);
    CHECK(b.records[0].smtp_response == "250 ok:  Message 64111812 accepted");
    CHECK(b.records[0].reporting_mta == "a8-70.smtp-out.amazonses.com");
  }
}

TEST_CASE("inbound Received notification is reported, not rejected", "[ses]") {
  auto b = one("aws-ses-docs/receiving/receiving-email-notifications-examples-sns-action.json");
  CHECK(b.records.empty());
  REQUIRE(b.notices.size() == 1);
  CHECK(b.notices[0].kind == SesNoticeKind::inbound_received);
  auto relay = one("fx-private-relay/s3_stored_email_sns_body.json");
  REQUIRE(relay.notices.size() == 1);
  CHECK(relay.notices[0].kind == SesNoticeKind::inbound_received);
  CHECK(relay.notices[0].message == "objectkey123");
  auto anymail = one("django-anymail/test_incorrect_received_event.raw_sns_message.json");
  CHECK(anymail.notices.at(0).kind == SesNoticeKind::inbound_received);
}

TEST_CASE("SNS HTTP envelopes captured from real SES (laravel-ses)", "[ses][sns]") {
  auto bounce = one("laravel-ses/SesBounce.json");
  REQUIRE(bounce.records.size() == 1);
  CHECK(bounce.records[0].envelope == SesEnvelope::sns_http);
  CHECK(bounce.records[0].sns_message_id == "9b307bf2-65c7-5e1e-a305-2cf235d89524");
  CHECK(bounce.records[0].recipient == "bounce@simulator.amazonses.com");
  CHECK(bounce.records[0].bounce_type == "Permanent");
  CHECK(bounce.records[0].timestamp == "2020-04-02T20:41:03.030Z");
  auto complaint = one("laravel-ses/SesComplaint.json");  // complaintSubType: null
  REQUIRE(complaint.records.size() == 1);
  CHECK(complaint.records[0].recipient == "complaint@simulator.amazonses.com");
  CHECK(complaint.records[0].complaint_subtype.empty());
  auto delivery = one("laravel-ses/SesDelivery.json");
  REQUIRE(delivery.records.size() == 1);
  CHECK(delivery.records[0].message_id ==
        "010101713c57681e-2f1bd797-f111-42b1-839c-a9119dcc7144-000000");
  CHECK(delivery.records[0].processing_time_ms == 789);
}

TEST_CASE("fx-private-relay: fictional transient subtypes are kept as given", "[ses][sns]") {
  auto soft = one("fx-private-relay/soft_bounce_sns_body.json");
  CHECK(soft.records.at(0).bounce_type == "Transient");
  CHECK(soft.records.at(0).bounce_subtype == "SRETeamEatenByDinosaurs");
  auto spam = one("fx-private-relay/spam_bounce_sns_body.json");
  CHECK(spam.records.at(0).bounce_subtype == "StopRelayingSpamForThisUser");
  auto hard = one("fx-private-relay/hard_bounce_sns_body.json");
  CHECK(hard.records.at(0).bounce_subtype == "OnAccountSuppressionList");
  CHECK(hard.records.at(0).recipient == "relayuser@test.com");
}

TEST_CASE("SNS subscription confirmation and plain-text messages are notices", "[ses][sns]") {
  auto b = one("fx-private-relay/subscription_confirmation_invalid_sns_body.json");
  REQUIRE(b.notices.size() == 1);
  CHECK(b.notices[0].kind == SesNoticeKind::sns_subscription_confirmation);
  CHECK(b.notices[0].topic_arn == "arn:aws:sns:us-east-1:032756942992:dev-relay-2022-04");
  CHECK(b.notices[0].subscribe_url.rfind("https://sns.us-east-1.amazonaws.com/", 0) == 0);

  auto text = parse_ses_event(
      R"({"Type":"Notification","MessageId":"m","TopicArn":"arn:t","Message":"Successfully validated SNS topic for Amazon SES event publishing.","SigningCertURL":"https://x"})");
  REQUIRE(text.notices.size() == 1);
  CHECK(text.accepted == 1);
  CHECK(text.notices[0].kind == SesNoticeKind::sns_text_message);
  CHECK(text.notices[0].message.rfind("Successfully validated", 0) == 0);

  auto unsub = parse_ses_event(R"({"Type":"UnsubscribeConfirmation","Message":"bye"})");
  CHECK(unsub.notices.at(0).kind == SesNoticeKind::sns_unsubscribe_confirmation);
}

TEST_CASE("localstack snapshot: object Message accepted, transformed values rejected", "[ses]") {
  // The snapshot is one JSON object of test results; each recorded SNS message is fed on its own.
  auto snapshot = nlohmann::json::parse(doc("localstack/test_ses.snapshot.json"), nullptr, false);
  REQUIRE(snapshot.is_object());
  std::size_t text_notices = 0, rejected_time = 0, other = 0;
  for (auto& [name, test] : snapshot.items()) {
    auto messages = test["recorded-content"].find("messages");
    if (messages == test["recorded-content"].end()) continue;
    for (const auto& message : *messages) {
      auto b = parse_ses_event(message.dump());
      REQUIRE(b.seen == 1);
      REQUIRE(b.accepted + b.rejected == 1);
      if (!b.notices.empty() && b.notices[0].kind == SesNoticeKind::sns_text_message) {
        ++text_notices;
      } else if (b.rejected == 1 &&
                 b.rejections[0].reason.find("is not an ISO-8601 time") != std::string::npos) {
        ++rejected_time;
      } else {
        ++other;
      }
    }
  }
  CHECK(text_notices >= 3);
  CHECK(rejected_time >= 6);  // "timestamp": "timestamp" in every Send/Delivery
  CHECK(other == 0);

  // The same record with a real time but "processingTimeMillis": "processing-time".
  auto b = parse_ses_event(
      R"({"eventType":"Delivery","mail":{"messageId":"m","destination":["a@b"],"timestamp":"2023-08-25T21:53:37.000Z"},"delivery":{"processingTimeMillis":"processing-time","recipients":["a@b"]}})");
  REQUIRE(b.rejected == 1);
  CHECK(b.rejections[0].reason ==
        "wrong type for field delivery.processingTimeMillis (expected number)");
}

TEST_CASE("django-anymail records (trimmed AWS examples)", "[ses]") {
  auto multi = one("django-anymail/test_multiple_bounce_event.raw_ses_event.json");
  CHECK(multi.records.size() == 2);
  for (const char* name : {"test_bounce_event", "test_click_event", "test_complaint_event",
                           "test_delivery_event", "test_open_event", "test_reject_event",
                           "test_rendering_failure_event", "test_send_event"}) {
    INFO(name);
    auto b = parse_ses_event(doc(std::string("django-anymail/") + name + ".raw_ses_event.json"));
    CHECK(b.accepted == 1);
    CHECK(b.records.size() >= 1);
  }
}

TEST_CASE("Lambda Records[].Sns form, several per document", "[ses][sns]") {
  nlohmann::json bounce = nlohmann::json::parse(
      doc("aws-ses-docs/event-publishing/event-publishing-retrieving-sns-bounce.json"), nullptr,
      false);
  nlohmann::json open = nlohmann::json::parse(
      doc("aws-ses-docs/event-publishing/event-publishing-retrieving-sns-open.json"), nullptr,
      false);
  nlohmann::json lambda = {
      {"Records",
       {{{"EventSource", "aws:sns"},
         {"Sns",
          {{"Type", "Notification"},
           {"MessageId", "sns-1"},
           {"Message", bounce.dump()},
           {"SigningCertUrl", "https://sns.example/cert.pem"}}}},
        {{"EventSource", "aws:sns"},
         {"Sns", {{"Type", "Notification"}, {"MessageId", "sns-2"}, {"Message", open.dump()}}}}}}};
  auto b = parse_ses_events(lambda.dump());
  CHECK(b.seen == 2);
  CHECK(b.accepted == 2);
  REQUIRE(b.records.size() == 2);
  CHECK(b.records[0].envelope == SesEnvelope::sns_lambda);
  CHECK(b.records[0].sns_message_id == "sns-1");
  CHECK(b.records[0].type == SesEventType::bounce);
  CHECK(b.records[1].type == SesEventType::open);
  CHECK(b.records[1].input_index == 1);
}

TEST_CASE("EventBridge envelope (built here: the corpus has none)", "[ses]") {
  nlohmann::json bounce = nlohmann::json::parse(
      doc("aws-ses-docs/event-publishing/event-publishing-retrieving-sns-bounce.json"), nullptr,
      false);
  nlohmann::json event = {{"version", "0"},
                          {"id", "e1"},
                          {"detail-type", "Email Bounced"},
                          {"source", "aws.ses"},
                          {"account", "123456789012"},
                          {"time", "2017-08-05T00:41:02Z"},
                          {"region", "us-east-1"},
                          {"resources", nlohmann::json::array()},
                          {"detail", bounce}};
  auto b = parse_ses_event(event.dump(2));
  REQUIRE(b.records.size() == 1);
  CHECK(b.records[0].envelope == SesEnvelope::eventbridge);
  CHECK(b.records[0].bounce_subtype == "General");
  CHECK(b.records[0].message_id == kExampleId);
  event["source"] = "aws.s3";
  CHECK(parse_ses_event(event.dump()).rejected == 1);
}

TEST_CASE("batches: NDJSON, array, concatenated with and without newlines", "[ses][batch]") {
  const std::string dir = "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-";
  std::string send = compact(dir + "send.json"), click = compact(dir + "click.json"),
              bounce = compact(dir + "bounce.json");
  SECTION("NDJSON") {
    auto b = parse_ses_events(send + "\n" + click + "\r\n" + bounce + "\n");
    CHECK(b.seen == 3);
    CHECK(b.accepted == 3);
    CHECK(b.records.size() == 3);
    CHECK(b.records[2].line == 3);
  }
  SECTION("array") {
    auto b = parse_ses_events("[" + send + ",\n" + click + ", " + bounce + "]");
    CHECK(b.seen == 3);
    CHECK(b.accepted == 3);
  }
  SECTION("concatenated without newlines, pretty-printed with newlines") {
    CHECK(parse_ses_events(send + click + bounce).accepted == 3);
    auto pretty = doc(dir + "send.json") + doc(dir + "click.json") + doc(dir + "bounce.json");
    auto b = parse_ses_events(pretty);
    CHECK(b.seen == 3);
    CHECK(b.accepted == 3);
  }
  SECTION("a broken record in the middle: exact line and offset, the rest accepted") {
    std::string broken = send.substr(0, send.size() / 2);  // truncated line
    std::string input = send + "\n" + broken + "\n" + click + "\n" + bounce + "\n";
    auto b = parse_ses_events(input);
    CHECK(b.seen == 4);
    CHECK(b.accepted == 3);
    REQUIRE(b.rejected == 1);
    CHECK(b.rejections[0].line == 2);
    CHECK(b.rejections[0].offset == send.size() + 1);
    CHECK(b.rejections[0].input_index == 1);
    CHECK(b.records.size() == 3);
    CHECK(b.records[1].type == SesEventType::click);
    CHECK(b.records[1].line == 3);
  }
  SECTION("a balanced but invalid record in the middle") {
    auto b = parse_ses_events(send + "\n{\"eventType\": \"Send\",,}\n" + click);
    CHECK(b.accepted == 2);
    REQUIRE(b.rejected == 1);
    CHECK(b.rejections[0].reason.rfind("invalid JSON", 0) == 0);
    CHECK(b.rejections[0].line == 2);
  }
}

TEST_CASE("parsing into a reused batch replaces its contents", "[ses][batch]") {
  const std::string dir = "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-";
  std::string send = compact(dir + "send.json"), click = compact(dir + "click.json"),
              bounce = compact(dir + "bounce.json");
  const std::string first = send + "\n" + click + "\n" + send.substr(0, send.size() / 2) + "\n" +
                            bounce + "\n";  // the third record is cut short: a rejection
  const std::string second = bounce + "\n" + send + "\n";
  SesBatch batch;
  parse_ses_events(first, batch);
  CHECK(ses_batch_to_json(batch) == ses_batch_to_json(parse_ses_events(first)));
  CHECK(batch.rejected == 1);
  const std::size_t capacity = batch.records.capacity();
  parse_ses_events(second, batch);
  // Nothing of the first batch is left: records, counts and rejections are the second's alone.
  CHECK(ses_batch_to_json(batch) == ses_batch_to_json(parse_ses_events(second)));
  CHECK(batch.seen == 2);
  CHECK(batch.rejected == 0);
  CHECK(batch.rejections.empty());
  REQUIRE(batch.records.size() == 2);
  CHECK(batch.records[0].type == SesEventType::bounce);
  CHECK(batch.records[0].input_index == 0);
  CHECK(batch.records.capacity() >= capacity);  // the memory stays with the batch
}

TEST_CASE("malformed input: clear rejection, no crash, batch continues", "[ses][batch]") {
  const std::string good =
      compact("aws-ses-docs/event-publishing/event-publishing-retrieving-sns-delivery.json");
  auto reason_of = [](const std::string& input) {
    auto b = parse_ses_events(input);
    REQUIRE(b.rejected >= 1);
    REQUIRE(b.accepted + b.rejected == b.seen);
    return b.rejections[0].reason;
  };
  CHECK(parse_ses_events("").seen == 0);
  CHECK(parse_ses_events(" \n\t\r\n ").seen == 0);
  CHECK(reason_of("{\"eventType\": \"Send\"").rfind("truncated JSON", 0) == 0);
  CHECK(reason_of("42") == "not an object (got number)");
  CHECK(reason_of("\"x\"") == "not an object (got string)");
  CHECK(reason_of("{\"foo\": 1}").rfind("unknown shape", 0) == 0);
  CHECK(reason_of(R"({"eventType":"Send","mail":{"destination":["a@b"]}})") ==
        "missing mail.messageId");
  CHECK(reason_of(R"({"eventType":"Send","mail":{"messageId":7,"destination":["a@b"]}})") ==
        "wrong type for field mail.messageId (expected string)");
  CHECK(reason_of(R"({"eventType":"Bounce","mail":{"messageId":"m"},"bounce":"x"})") ==
        "wrong type for field bounce (expected object)");
  CHECK(
      reason_of(R"({"eventType":"Send","mail":{"messageId":"m","destination":["a@b"]},"x":1e400})")
          .find("number overflow") != std::string::npos);
  CHECK(reason_of(std::string(10000, '[') + std::string(10000, ']')).rfind("nesting deeper", 0) ==
        0);
  CHECK(reason_of("{\"a\":" + std::string(10000, '{')).rfind("nesting deeper", 0) == 0);
  CHECK(reason_of("{\"eventType\":\"Send\",\"x\":\"\xC3\x28\"}").rfind("invalid UTF-8", 0) == 0);
  CHECK(reason_of("{\"eventType\":\"Send\",\"x\":\"\xED\xA0\x80\"}").rfind("invalid UTF-8", 0) ==
        0);

  // Each of those in the middle of a batch: the good records around it are still accepted.
  for (const std::string& bad :
       {std::string("{\"eventType\": \"Send\""), std::string("\"x\""),
        std::string(10000, '[') + std::string(10000, ']'), std::string("{\"x\":\"\xFF\"}"),
        std::string("{\"eventType\":\"Send\",\"x\":\"a\nb\"}")}) {
    auto b = parse_ses_events(good + "\n" + bad + "\n" + good + "\n");
    INFO(ses_batch_to_json(b, false));
    CHECK(b.records.size() == 2);
    CHECK(b.accepted == 2);
    CHECK(b.rejected >= 1);
    CHECK(b.accepted + b.rejected == b.seen);
  }
}

TEST_CASE("unknown eventType and new fields are kept, never fatal", "[ses]") {
  auto b = parse_ses_event(
      R"({"eventType":"Snooze","mail":{"messageId":"m","destination":["a@b"],"timestamp":"2024-01-01T00:00:00Z","newField":{"x":[1,2]}},"snooze":{}})");
  REQUIRE(b.records.size() == 1);
  CHECK(b.records[0].type == SesEventType::other);
  CHECK(b.records[0].event_type == "Snooze");
  auto json = nlohmann::json::parse(ses_record_to_json(b.records[0]), nullptr, false);
  CHECK(json["type"] == "other");
  CHECK(json["epochMs"] == 1704067200000);
}

TEST_CASE("JSON output: records, NDJSON, batch summary", "[ses][json]") {
  auto b = parse_ses_events(
      doc("aws-ses-docs/notification-examples/notification-examples-bounce-no-dsn.json") +
      "\nnot json\n");
  auto summary = nlohmann::json::parse(ses_batch_to_json(b), nullptr, false);
  REQUIRE(summary.is_object());
  CHECK(summary["seen"] == 2);
  CHECK(summary["accepted"] == 1);
  CHECK(summary["rejected"] == 1);
  CHECK(summary["records"].size() == 2);
  CHECK(summary["records"][0]["bounceType"] == "Permanent");
  CHECK(summary["records"][0]["origin"] == "notification");
  CHECK(summary["rejections"][0]["line"] == b.rejections[0].line);
  std::string ndjson = ses_records_to_ndjson(b.records);
  CHECK(std::count(ndjson.begin(), ndjson.end(), '\n') == 2);
  auto again = parse_ses_events(ndjson);  // our output is not an SES shape...
  CHECK(again.rejected == 2);             // ...and is rejected as such, not crashed on
}
