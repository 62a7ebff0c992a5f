// What to do with a batch of SES records: suppression, sender reputation, engagement.
//
// Suppression: a Permanent bounce suppresses that bounced recipient; a complaint suppresses every
// complained recipient; Transient and Undetermined bounces do not, unless the optional soft-bounce
// rule (off by default) sees `soft_bounce_limit` Transient bounces to one recipient within the
// last `soft_bounce_window_sends` Send events to that recipient (all of them when the batch holds
// no Send events for it). Recipients are matched case-insensitively (stored lower-cased).
// Merging keeps, per recipient, the EARLIEST reason (smallest epochMs; entries without a time sort
// last; ties broken by reason, then message id), so merge(a, b) == merge(b, a).
//
// Reputation over the window [from_ms, to_ms): bounce rate = Permanent bounces / sends, complaint
// rate = complaints / sends, where "sends" are Send events (one per recipient) when the scope has
// any, otherwise Delivery + Bounce events (every bounce type) as the number of attempts: identity
// notifications carry no Send events. Computed per configuration set ("" = none) and overall.
// Rates are integers in parts per million; a level is reached when count * 1e6 >= level * sends.
// Status: at_risk_of_pause >= pause level, under_review >= review level, warning >= warning
// level, else ok; "no_sends" when the denominator is 0. Records without a time count only when
// the window is unbounded.
//
// Engagement: per (message id, recipient): opens (count, first, last) and clicks per link
// (count, first, last, link tags of the first click).
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/result.hpp"
#include "clicktrail/ses.hpp"

namespace clicktrail {

struct SuppressionOptions {
  int soft_bounce_limit = 0;         // N; 0 = rule off
  int soft_bounce_window_sends = 0;  // M; 0 = no send window (all transient bounces count)
};

enum class SuppressionReason { complaint, permanent_bounce, soft_bounce_limit };
// "complaint", "permanentBounce", "softBounceLimit"
[[nodiscard]] std::string_view to_string(SuppressionReason reason);

struct SuppressionEntry {
  std::string recipient;  // lower-cased
  SuppressionReason reason = SuppressionReason::permanent_bounce;
  std::string detail;      // bounce type/subtype or complaint feedback type
  std::string message_id;  // the event that decided it
  std::string feedback_id;
  std::string timestamp;
  std::optional<std::int64_t> epoch_ms;
};

// Decision for one record on its own (the soft-bounce rule needs a batch: see below).
[[nodiscard]] std::optional<SuppressionEntry> suppression_decision(const SesRecord& record);

struct SuppressionList {
  std::vector<SuppressionEntry> entries;  // sorted by recipient, one per recipient
};

[[nodiscard]] SuppressionList build_suppression_list(std::span<const SesRecord> records,
                                                     const SuppressionOptions& options = {});
[[nodiscard]] SuppressionList merge_suppression_lists(const SuppressionList& a,
                                                      const SuppressionList& b);

// {"count":N,"entries":[{"recipient","reason","detail","messageId","feedbackId","timestamp",
//  "epochMs"}]}
[[nodiscard]] std::string suppression_list_to_json(const SuppressionList& list);
enum class SuppressionListError { invalid_json, wrong_shape };
// Reads back what suppression_list_to_json wrote (to merge a stored list with a new batch).
[[nodiscard]] Result<SuppressionList, SuppressionListError> suppression_list_from_json(
    std::string_view json_text);

struct ReputationOptions {
  std::int64_t from_ms = std::numeric_limits<std::int64_t>::min();
  std::int64_t to_ms = std::numeric_limits<std::int64_t>::max();
  std::int64_t bounce_warning_ppm = 30'000;   // 3 %
  std::int64_t bounce_review_ppm = 50'000;    // 5 %   (SES: account under review)
  std::int64_t bounce_pause_ppm = 100'000;    // 10 %  (SES: sending may pause)
  std::int64_t complaint_warning_ppm = 500;   // 0.05 %
  std::int64_t complaint_review_ppm = 1'000;  // 0.1 %
  std::int64_t complaint_pause_ppm = 5'000;   // 0.5 %
};

enum class RateStatus { ok, warning, under_review, at_risk_of_pause, no_sends };
// "ok", "warning", "under_review", "at_risk_of_pause", "no_sends"
[[nodiscard]] std::string_view to_string(RateStatus status);

struct RateReport {
  std::uint64_t count = 0;  // permanent bounces / complaints
  std::uint64_t sends = 0;
  std::int64_t rate_ppm = 0;  // floor(count * 1e6 / sends)
  RateStatus status = RateStatus::no_sends;
};

struct ReputationScope {
  std::string configuration_set;  // "" for overall / none
  std::string send_basis;         // "send" or "deliveryPlusBounce"
  std::uint64_t sends = 0, deliveries = 0, bounces = 0, permanent_bounces = 0,
                transient_bounces = 0, complaints = 0;
  RateReport bounce, complaint;
};

struct Reputation {
  ReputationScope overall;
  std::vector<ReputationScope> configuration_sets;  // sorted by name
};

[[nodiscard]] Reputation reputation(std::span<const SesRecord> records,
                                    const ReputationOptions& options = {});
[[nodiscard]] std::string reputation_to_json(const Reputation& report);

struct EngagementTimes {
  std::uint64_t count = 0;
  std::string first, last;  // ISO-8601 as given
  std::optional<std::int64_t> first_ms, last_ms;
};

struct LinkEngagement {
  std::string link;
  EngagementTimes clicks;
  SesTagList link_tags;
};

struct RecipientEngagement {
  std::string message_id;
  std::string recipient;
  EngagementTimes opens;
  std::vector<LinkEngagement> links;  // sorted by link
};

struct Engagement {
  std::vector<RecipientEngagement> items;  // sorted by message id, then recipient
};

[[nodiscard]] Engagement engagement(std::span<const SesRecord> records);
[[nodiscard]] std::string engagement_to_json(const Engagement& report);

// One element of the documents above as a compact JSON object (the CLI prints them one per line
// for --format ndjson). A scope carries "configurationSet" unless it is the overall one.
[[nodiscard]] std::string suppression_entry_to_json(const SuppressionEntry& entry);
[[nodiscard]] std::string reputation_scope_to_json(const ReputationScope& scope, bool overall);
[[nodiscard]] std::string recipient_engagement_to_json(const RecipientEngagement& item);

// Plain strings in, JSON out: one call per batch, for the CLI and the WASM bindings.
[[nodiscard]] std::string ses_events_json(std::string_view input, bool include_records = true);
[[nodiscard]] std::string ses_suppression_json(std::string_view input,
                                               const SuppressionOptions& options = {});
[[nodiscard]] std::string ses_reputation_json(std::string_view input,
                                              const ReputationOptions& options = {});
[[nodiscard]] std::string ses_engagement_json(std::string_view input);

}  // namespace clicktrail
