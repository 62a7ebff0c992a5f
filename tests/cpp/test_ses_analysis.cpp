// Suppression, reputation and engagement on hand-made batches (expected values computed by hand).
#include <string>

#include "clicktrail/ses_analysis.hpp"
#include "test_support.hpp"

using namespace clicktrail;

namespace {

// One event-publishing line: type, recipient, time (seconds after 2024-01-01T00:00:00Z).
std::string ev(const std::string& type, const std::string& to, int second,
               const std::string& extra = "", const std::string& set = "cs1",
               const std::string& id = "m1") {
  std::string t = "2024-01-01T00:" + std::string(second / 60 < 10 ? "0" : "") +
                  std::to_string(second / 60) + ":" + (second % 60 < 10 ? "0" : "") +
                  std::to_string(second % 60) + ".000Z";
  std::string line = R"({"eventType":")" + type + R"(","mail":{"messageId":")" + id +
                     R"(","timestamp":")" + t + R"(","destination":[")" + to +
                     R"("],"tags":{"ses:configuration-set":[")" + set + R"("]}})";
  if (type == "Bounce") {
    line += R"(,"bounce":{"timestamp":")" + t + "\"," + extra +
            R"(,"bouncedRecipients":[{"emailAddress":")" + to + R"("}]})";
  } else if (type == "Complaint") {
    line += R"(,"complaint":{"timestamp":")" + t +
            R"(","complaintFeedbackType":"abuse","complainedRecipients":[{"emailAddress":")" + to +
            R"("}]})";
  } else if (type == "Open" || type == "Click") {
    std::string key = type == "Open" ? "open" : "click";
    line +=
        ",\"" + key + R"(":{"timestamp":")" + t + "\"" + (extra.empty() ? "" : "," + extra) + "}";
  }
  return line + "}\n";
}

const std::string kPermanent = R"("bounceType":"Permanent","bounceSubType":"General")";
const std::string kTransient = R"("bounceType":"Transient","bounceSubType":"MailboxFull")";
const std::string kUndetermined = R"("bounceType":"Undetermined","bounceSubType":"Undetermined")";

std::vector<SesRecord> records(const std::string& ndjson) {
  SesBatch b = parse_ses_events(ndjson);
  INFO(ses_batch_to_json(b, false));
  REQUIRE(b.rejected == 0);
  return b.records;
}

}  // namespace

TEST_CASE("suppression: permanent in, transient and undetermined out, complaint in",
          "[ses][suppression]") {
  auto recs = records(ev("Bounce", "Hard@Example.com", 10, kPermanent) +
                      ev("Bounce", "soft@example.com", 11, kTransient) +
                      ev("Bounce", "undet@example.com", 12, kUndetermined) +
                      ev("Complaint", "angry@example.com", 13));
  CHECK(suppression_decision(recs[0]));
  CHECK_FALSE(suppression_decision(recs[1]));
  CHECK_FALSE(suppression_decision(recs[2]));
  CHECK(suppression_decision(recs[3]));
  auto list = build_suppression_list(recs);
  REQUIRE(list.entries.size() == 2);
  CHECK(list.entries[0].recipient == "angry@example.com");
  CHECK(list.entries[0].reason == SuppressionReason::complaint);
  CHECK(list.entries[0].detail == "abuse");
  CHECK(list.entries[1].recipient == "hard@example.com");  // lower-cased
  CHECK(list.entries[1].reason == SuppressionReason::permanent_bounce);
  CHECK(list.entries[1].message_id == "m1");
  CHECK(list.entries[1].timestamp == "2024-01-01T00:00:10.000Z");
  auto json = nlohmann::json::parse(suppression_list_to_json(list), nullptr, false);
  CHECK(json["count"] == 2);
  CHECK(json["entries"][1]["reason"] == "permanentBounce");
  CHECK(json["entries"][1]["epochMs"] == 1704067210000);
}

TEST_CASE("suppression: documented examples and corpus captures", "[ses][suppression]") {
  using test_support::data_path;
  using test_support::read_file;
  std::string input;
  for (const char* f :
       {"aws-ses-docs/notification-examples/notification-examples-bounce-no-dsn.json",
        "aws-ses-docs/notification-examples/notification-examples-complaint-with-feedback.json",
        "fx-private-relay/soft_bounce_sns_body.json", "laravel-ses/SesDelivery.json"}) {
    input += read_file(data_path(std::string("ses/") + f));
  }
  auto list = build_suppression_list(parse_ses_events(input).records);
  std::vector<std::string> who;
  for (const auto& e : list.entries) who.push_back(e.recipient);
  // jane and richard bounced permanently, richard also complained (same time: the complaint
  // reason ranks first on a tie); relayuser's transient bounce does not suppress.
  CHECK(who == std::vector<std::string>{"jane@example.com", "richard@example.com"});
  CHECK(list.entries[1].reason == SuppressionReason::complaint);
}

TEST_CASE("suppression: soft-bounce rule off by default, escalates when on", "[ses][suppression]") {
  std::string input = ev("Send", "s@x.com", 0) + ev("Bounce", "s@x.com", 1, kTransient) +
                      ev("Send", "s@x.com", 2) + ev("Bounce", "s@x.com", 3, kTransient) +
                      ev("Send", "s@x.com", 4) + ev("Bounce", "s@x.com", 5, kTransient);
  auto recs = records(input);
  CHECK(build_suppression_list(recs).entries.empty());
  SuppressionOptions three_in_three{3, 3};
  auto list = build_suppression_list(recs, three_in_three);
  REQUIRE(list.entries.size() == 1);
  CHECK(list.entries[0].reason == SuppressionReason::soft_bounce_limit);
  CHECK(list.entries[0].timestamp == "2024-01-01T00:00:05.000Z");
  // Only the last 2 sends count: the window opens at the send at 2 s, 2 bounces inside it.
  CHECK(build_suppression_list(recs, {3, 2}).entries.empty());
  CHECK(build_suppression_list(recs, {2, 2}).entries.size() == 1);
  CHECK(build_suppression_list(recs, {4, 0}).entries.empty());
}

TEST_CASE("suppression: merge keeps the earliest reason, deterministic", "[ses][suppression]") {
  auto a = build_suppression_list(records(ev("Bounce", "x@y.com", 30, kPermanent, "cs1", "late")));
  auto b = build_suppression_list(
      records(ev("Complaint", "X@y.com", 20, "", "cs1", "early") + ev("Complaint", "z@y.com", 40)));
  auto ab = merge_suppression_lists(a, b);
  auto ba = merge_suppression_lists(b, a);
  CHECK(suppression_list_to_json(ab) == suppression_list_to_json(ba));
  REQUIRE(ab.entries.size() == 2);
  CHECK(ab.entries[0].message_id == "early");
  CHECK(ab.entries[0].reason == SuppressionReason::complaint);
  auto back = suppression_list_from_json(suppression_list_to_json(ab));
  REQUIRE(back.ok());
  CHECK(suppression_list_to_json(back.value()) == suppression_list_to_json(ab));
  CHECK_FALSE(suppression_list_from_json("{").ok());
  CHECK_FALSE(suppression_list_from_json(R"({"entries":[{"recipient":"a","reason":"x"}]})").ok());
}

TEST_CASE("reputation: threshold boundaries, hand-computed", "[ses][reputation]") {
  auto run = [](int sends, int permanent, int complaints, int transient = 0) {
    std::string input;
    for (int i = 0; i < sends; ++i) input += ev("Send", "r" + std::to_string(i) + "@x.com", 1);
    for (int i = 0; i < permanent; ++i) input += ev("Bounce", "b@x.com", 2, kPermanent);
    for (int i = 0; i < transient; ++i) input += ev("Bounce", "t@x.com", 2, kTransient);
    for (int i = 0; i < complaints; ++i) input += ev("Complaint", "c@x.com", 3);
    return reputation(parse_ses_events(input).records).overall;
  };
  // Bounce: 2/100 ok, 3/100 warning (3 %), 5/100 under review, 10/100 at risk; just below each.
  CHECK(run(100, 2, 0).bounce.status == RateStatus::ok);
  CHECK(run(100, 3, 0).bounce.status == RateStatus::warning);
  CHECK(run(100, 5, 0).bounce.status == RateStatus::under_review);
  CHECK(run(100, 10, 0).bounce.status == RateStatus::at_risk_of_pause);
  CHECK(run(101, 5, 0).bounce.status == RateStatus::warning);        // 4.95 %
  CHECK(run(101, 10, 0).bounce.status == RateStatus::under_review);  // 9.90 %
  CHECK(run(100, 5, 0).bounce.rate_ppm == 50000);
  CHECK(run(100, 2, 0, 5).bounce.status == RateStatus::ok);  // transient bounces do not count
  // Complaint over 2000 sends: 1 = 0.05 % warning, 2 = 0.1 % review, 10 = 0.5 % pause.
  CHECK(run(2000, 0, 0).complaint.status == RateStatus::ok);
  CHECK(run(2001, 0, 1).complaint.status == RateStatus::ok);  // 0.04998 %
  CHECK(run(2000, 0, 1).complaint.status == RateStatus::warning);
  CHECK(run(2000, 0, 2).complaint.status == RateStatus::under_review);
  CHECK(run(2000, 0, 10).complaint.status == RateStatus::at_risk_of_pause);
  CHECK(run(2000, 0, 9).complaint.status == RateStatus::under_review);
  CHECK(run(2000, 0, 10).complaint.rate_ppm == 5000);
  CHECK(run(0, 0, 0).bounce.status == RateStatus::no_sends);
}

TEST_CASE("reputation: Delivery+Bounce basis without Send events, per configuration set, window",
          "[ses][reputation]") {
  std::string input;
  for (int i = 0; i < 18; ++i) input += ev("Delivery", "d@x.com", 10, "", "a");
  input +=
      ev("Bounce", "b@x.com", 10, kPermanent, "a") + ev("Bounce", "b@x.com", 10, kPermanent, "a");
  for (int i = 0; i < 10; ++i) input += ev("Send", "s@x.com", 10, "", "b");
  input += ev("Complaint", "c@x.com", 100, "", "b");
  auto report = reputation(parse_ses_events(input).records);
  REQUIRE(report.configuration_sets.size() == 2);
  const auto& a = report.configuration_sets[0];
  CHECK(a.configuration_set == "a");
  CHECK(a.send_basis == "deliveryPlusBounce");
  CHECK(a.bounce.sends == 20);
  CHECK(a.bounce.rate_ppm == 100000);  // 2 / 20
  CHECK(a.bounce.status == RateStatus::at_risk_of_pause);
  const auto& b = report.configuration_sets[1];
  CHECK(b.send_basis == "send");
  CHECK(b.complaint.status == RateStatus::at_risk_of_pause);  // 1 / 10
  CHECK(report.overall.send_basis == "send");                 // overall has Send events: 10
  CHECK(report.overall.bounce.rate_ppm == 200000);
  // Window [0 s, 60 s) leaves the complaint at 100 s out.
  ReputationOptions window;
  window.from_ms = *parse_iso8601_ms("2024-01-01T00:00:00Z");
  window.to_ms = *parse_iso8601_ms("2024-01-01T00:01:00Z");
  auto windowed = reputation(parse_ses_events(input).records, window);
  CHECK(windowed.overall.complaints == 0);
  CHECK(windowed.overall.complaint.status == RateStatus::ok);
  auto json = nlohmann::json::parse(reputation_to_json(report), nullptr, false);
  CHECK(json["configurationSets"][0]["bounceRate"]["status"] == "at_risk_of_pause");
  CHECK(json["overall"]["complaintRate"]["count"] == 1);
}

TEST_CASE("engagement per message and recipient", "[ses][engagement]") {
  const std::string link_a = R"("link":"https://a.example/","linkTags":{"pos":["top"]})";
  const std::string link_b = R"("link":"https://b.example/")";
  std::string input = ev("Open", "u@x.com", 30) + ev("Open", "U@x.com", 10) +
                      ev("Open", "u@x.com", 20) + ev("Click", "u@x.com", 40, link_a) +
                      ev("Click", "u@x.com", 45, link_a) + ev("Click", "u@x.com", 50, link_b) +
                      ev("Open", "v@x.com", 15, "", "cs1", "m2") + ev("Send", "u@x.com", 1);
  auto report = engagement(parse_ses_events(input).records);
  REQUIRE(report.items.size() == 2);
  const auto& u = report.items[0];
  CHECK(u.message_id == "m1");
  CHECK(u.recipient == "u@x.com");
  CHECK(u.opens.count == 3);
  CHECK(u.opens.first == "2024-01-01T00:00:10.000Z");
  CHECK(u.opens.last == "2024-01-01T00:00:30.000Z");
  REQUIRE(u.links.size() == 2);
  CHECK(u.links[0].link == "https://a.example/");
  CHECK(u.links[0].clicks.count == 2);
  CHECK(u.links[0].clicks.first == "2024-01-01T00:00:40.000Z");
  CHECK(u.links[0].clicks.last == "2024-01-01T00:00:45.000Z");
  CHECK(u.links[0].link_tags.at(0).second == std::vector<std::string>{"top"});
  CHECK(u.links[1].clicks.count == 1);
  CHECK(report.items[1].message_id == "m2");
  CHECK(report.items[1].opens.count == 1);
  auto json = nlohmann::json::parse(engagement_to_json(report), nullptr, false);
  CHECK(json["items"][0]["clicks"] == 3);
  CHECK(json["items"][0]["links"][0]["linkTags"]["pos"][0] == "top");
  CHECK(nlohmann::json::parse(ses_engagement_json(input), nullptr, false) == json);
}
