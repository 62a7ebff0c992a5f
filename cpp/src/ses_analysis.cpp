// Suppression decisions and lists, reputation (bounce/complaint rates against SES's levels) and
// engagement per message and recipient, from normalised SES records. See ses_analysis.hpp.
#include "clicktrail/ses_analysis.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "json_writer.hpp"

namespace clicktrail {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::int64_t time_or_max(const std::optional<std::int64_t>& t) {
  return t ? *t : std::numeric_limits<std::int64_t>::max();
}

// Earlier (smaller) wins a merge.
auto entry_order(const SuppressionEntry& e) {
  return std::make_tuple(time_or_max(e.epoch_ms), static_cast<int>(e.reason),
                         std::string_view(e.message_id));
}

SuppressionEntry entry_for(const SesRecord& r, SuppressionReason reason, std::string detail) {
  SuppressionEntry e;
  e.recipient = lower(r.recipient);
  e.reason = reason;
  e.detail = std::move(detail);
  e.message_id = r.message_id;
  e.feedback_id = r.feedback_id;
  e.timestamp = r.timestamp;
  e.epoch_ms = r.epoch_ms;
  return e;
}

void keep_earliest(std::map<std::string, SuppressionEntry>& by_recipient, SuppressionEntry e) {
  auto it = by_recipient.find(e.recipient);
  if (it == by_recipient.end()) {
    std::string key = e.recipient;
    by_recipient.emplace(std::move(key), std::move(e));
  } else if (entry_order(e) < entry_order(it->second)) {
    it->second = std::move(e);
  }
}

SuppressionList to_list(std::map<std::string, SuppressionEntry>& by_recipient) {
  SuppressionList list;
  list.entries.reserve(by_recipient.size());
  for (auto& [key, entry] : by_recipient) list.entries.push_back(std::move(entry));
  return list;
}

}  // namespace

std::string_view to_string(SuppressionReason reason) {
  switch (reason) {
    case SuppressionReason::complaint:
      return "complaint";
    case SuppressionReason::permanent_bounce:
      return "permanentBounce";
    case SuppressionReason::soft_bounce_limit:
      break;
  }
  return "softBounceLimit";
}

std::string_view to_string(RateStatus status) {
  switch (status) {
    case RateStatus::ok:
      return "ok";
    case RateStatus::warning:
      return "warning";
    case RateStatus::under_review:
      return "under_review";
    case RateStatus::at_risk_of_pause:
      return "at_risk_of_pause";
    case RateStatus::no_sends:
      break;
  }
  return "no_sends";
}

std::optional<SuppressionEntry> suppression_decision(const SesRecord& r) {
  if (r.recipient.empty()) return std::nullopt;
  if (r.type == SesEventType::complaint) {
    std::string detail = r.complaint_feedback_type;
    if (!r.complaint_subtype.empty()) detail += (detail.empty() ? "" : "/") + r.complaint_subtype;
    return entry_for(r, SuppressionReason::complaint, std::move(detail));
  }
  if (r.type == SesEventType::bounce && r.bounce_type == "Permanent") {
    return entry_for(r, SuppressionReason::permanent_bounce,
                     r.bounce_type + "/" + r.bounce_subtype);
  }
  return std::nullopt;
}

SuppressionList build_suppression_list(std::span<const SesRecord> records,
                                       const SuppressionOptions& options) {
  std::map<std::string, SuppressionEntry> by_recipient;
  struct History {
    std::vector<std::int64_t> sends;
    std::vector<const SesRecord*> transient;
  };
  std::map<std::string, History> histories;
  const bool soft_rule = options.soft_bounce_limit > 0;
  for (const auto& r : records) {
    if (auto decision = suppression_decision(r)) keep_earliest(by_recipient, std::move(*decision));
    if (!soft_rule || r.recipient.empty()) continue;
    if (r.type == SesEventType::send) {
      histories[lower(r.recipient)].sends.push_back(r.epoch_ms.value_or(0));
    } else if (r.type == SesEventType::bounce && r.bounce_type == "Transient") {
      histories[lower(r.recipient)].transient.push_back(&r);
    }
  }
  for (auto& [recipient, h] : histories) {
    std::sort(h.sends.begin(), h.sends.end());
    std::stable_sort(h.transient.begin(), h.transient.end(), [](const auto* a, const auto* b) {
      return a->epoch_ms.value_or(0) < b->epoch_ms.value_or(0);
    });
    for (std::size_t i = 0; i < h.transient.size(); ++i) {
      std::int64_t at = h.transient[i]->epoch_ms.value_or(0);
      std::int64_t window_start = std::numeric_limits<std::int64_t>::min();
      if (options.soft_bounce_window_sends > 0) {
        // Sends up to this bounce; the window opens at the M-th most recent of them.
        auto sent = static_cast<std::size_t>(std::upper_bound(h.sends.begin(), h.sends.end(), at) -
                                             h.sends.begin());
        auto m = static_cast<std::size_t>(options.soft_bounce_window_sends);
        if (sent >= m) window_start = h.sends[sent - m];
      }
      std::size_t in_window = 0;
      for (std::size_t k = 0; k <= i; ++k) {
        if (h.transient[k]->epoch_ms.value_or(0) >= window_start) ++in_window;
      }
      if (in_window >= static_cast<std::size_t>(options.soft_bounce_limit)) {
        const SesRecord& r = *h.transient[i];
        keep_earliest(by_recipient,
                      entry_for(r, SuppressionReason::soft_bounce_limit,
                                std::to_string(in_window) + " transient bounces, last " +
                                    r.bounce_type + "/" + r.bounce_subtype));
        break;
      }
    }
  }
  return to_list(by_recipient);
}

SuppressionList merge_suppression_lists(const SuppressionList& a, const SuppressionList& b) {
  std::map<std::string, SuppressionEntry> by_recipient;
  for (const auto* list : {&a, &b}) {
    for (const auto& e : list->entries) {
      SuppressionEntry copy = e;
      copy.recipient = lower(copy.recipient);
      keep_earliest(by_recipient, std::move(copy));
    }
  }
  return to_list(by_recipient);
}

namespace {

void write_entry(detail::JsonWriter& w, const SuppressionEntry& e) {
  w.begin_object().member("recipient", e.recipient).member("reason", to_string(e.reason));
  w.member("detail", e.detail).member("messageId", e.message_id);
  w.member("feedbackId", e.feedback_id).member("timestamp", e.timestamp);
  if (e.epoch_ms) w.member("epochMs", *e.epoch_ms);
  w.end_object();
}

}  // namespace

std::string suppression_entry_to_json(const SuppressionEntry& entry) {
  detail::JsonWriter w;
  write_entry(w, entry);
  return w.take();
}

std::string suppression_list_to_json(const SuppressionList& list) {
  detail::JsonWriter w;
  w.begin_object().member("count", list.entries.size()).key("entries").begin_array();
  for (const auto& e : list.entries) write_entry(w, e);
  w.end_array().end_object();
  return w.take();
}

Result<SuppressionList, SuppressionListError> suppression_list_from_json(
    std::string_view json_text) {
  using nlohmann::json;
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded())
    return Error<SuppressionListError>{SuppressionListError::invalid_json,
                                       "suppression list is not valid JSON"};
  auto shape = [](std::string message) {
    return Error<SuppressionListError>{SuppressionListError::wrong_shape, std::move(message)};
  };
  if (!doc.is_object() || !doc.contains("entries") || !doc["entries"].is_array()) {
    return shape("expected {\"entries\": [...]}");
  }
  SuppressionList list;
  for (const auto& item : doc["entries"]) {
    if (!item.is_object()) return shape("entry is not an object");
    SuppressionEntry e;
    auto text = [&](const char* key, std::string& out) {
      auto it = item.find(key);
      if (it == item.end() || it->is_null()) return true;
      if (!it->is_string()) return false;
      out = it->get<std::string>();
      return true;
    };
    std::string reason;
    if (!text("recipient", e.recipient) || !text("reason", reason) || !text("detail", e.detail) ||
        !text("messageId", e.message_id) || !text("feedbackId", e.feedback_id) ||
        !text("timestamp", e.timestamp)) {
      return shape("entry field with the wrong type");
    }
    if (e.recipient.empty()) return shape("entry without recipient");
    if (reason == "complaint") {
      e.reason = SuppressionReason::complaint;
    } else if (reason == "permanentBounce") {
      e.reason = SuppressionReason::permanent_bounce;
    } else if (reason == "softBounceLimit") {
      e.reason = SuppressionReason::soft_bounce_limit;
    } else {
      return shape("unknown reason \"" + reason + "\"");
    }
    if (auto it = item.find("epochMs"); it != item.end() && it->is_number_integer()) {
      e.epoch_ms = it->get<std::int64_t>();
    } else if (!e.timestamp.empty()) {
      e.epoch_ms = parse_iso8601_ms(e.timestamp);
    }
    list.entries.push_back(std::move(e));
  }
  return merge_suppression_lists(list, {});  // normalise: sorted, one entry per recipient
}

namespace {

RateReport rate(std::uint64_t count, std::uint64_t sends, std::int64_t warning, std::int64_t review,
                std::int64_t pause) {
  RateReport r;
  r.count = count;
  r.sends = sends;
  if (sends == 0) return r;
  // long double holds these products exactly for any count below 2^40.
  auto reached = [&](std::int64_t level) {
    return static_cast<long double>(count) * 1'000'000.0L >=
           static_cast<long double>(level) * static_cast<long double>(sends);
  };
  r.rate_ppm = static_cast<std::int64_t>(static_cast<long double>(count) * 1'000'000.0L /
                                         static_cast<long double>(sends));
  r.status = reached(pause)     ? RateStatus::at_risk_of_pause
             : reached(review)  ? RateStatus::under_review
             : reached(warning) ? RateStatus::warning
                                : RateStatus::ok;
  return r;
}

void finish(ReputationScope& s, const ReputationOptions& o) {
  std::uint64_t attempts;
  if (s.sends > 0) {
    s.send_basis = "send";
    attempts = s.sends;
  } else {
    s.send_basis = "deliveryPlusBounce";
    attempts = s.deliveries + s.bounces;
  }
  s.bounce = rate(s.permanent_bounces, attempts, o.bounce_warning_ppm, o.bounce_review_ppm,
                  o.bounce_pause_ppm);
  s.complaint = rate(s.complaints, attempts, o.complaint_warning_ppm, o.complaint_review_ppm,
                     o.complaint_pause_ppm);
}

}  // namespace

Reputation reputation(std::span<const SesRecord> records, const ReputationOptions& options) {
  const bool bounded = options.from_ms != std::numeric_limits<std::int64_t>::min() ||
                       options.to_ms != std::numeric_limits<std::int64_t>::max();
  std::map<std::string, ReputationScope> sets;
  Reputation report;
  for (const auto& r : records) {
    if (r.epoch_ms ? (*r.epoch_ms < options.from_ms || *r.epoch_ms >= options.to_ms) : bounded) {
      continue;
    }
    ReputationScope& set = sets[r.configuration_set];
    for (ReputationScope* s : {&report.overall, &set}) {
      switch (r.type) {
        case SesEventType::send:
          ++s->sends;
          break;
        case SesEventType::delivery:
          ++s->deliveries;
          break;
        case SesEventType::bounce:
          ++s->bounces;
          if (r.bounce_type == "Permanent") ++s->permanent_bounces;
          if (r.bounce_type == "Transient") ++s->transient_bounces;
          break;
        case SesEventType::complaint:
          ++s->complaints;
          break;
        default:
          break;
      }
    }
  }
  finish(report.overall, options);
  for (auto& [name, scope] : sets) {
    scope.configuration_set = name;
    finish(scope, options);
    report.configuration_sets.push_back(std::move(scope));
  }
  return report;
}

namespace {

void write_scope(detail::JsonWriter& w, const ReputationScope& s, bool named) {
  w.begin_object();
  if (named) w.member("configurationSet", s.configuration_set);
  w.member("sendBasis", s.send_basis).member("sends", static_cast<std::size_t>(s.sends));
  w.member("deliveries", static_cast<std::size_t>(s.deliveries));
  w.member("bounces", static_cast<std::size_t>(s.bounces));
  w.member("permanentBounces", static_cast<std::size_t>(s.permanent_bounces));
  w.member("transientBounces", static_cast<std::size_t>(s.transient_bounces));
  w.member("complaints", static_cast<std::size_t>(s.complaints));
  for (auto [name, r] : {std::pair{"bounceRate", &s.bounce}, {"complaintRate", &s.complaint}}) {
    w.key(name).begin_object();
    w.member("count", static_cast<std::size_t>(r->count));
    w.member("sends", static_cast<std::size_t>(r->sends));
    w.member("ratePpm", r->rate_ppm).member("status", to_string(r->status)).end_object();
  }
  w.end_object();
}

}  // namespace

std::string reputation_scope_to_json(const ReputationScope& scope, bool overall) {
  detail::JsonWriter w;
  write_scope(w, scope, !overall);
  return w.take();
}

std::string reputation_to_json(const Reputation& report) {
  // Statuses already reflect the levels the report was computed with.
  detail::JsonWriter w;
  w.begin_object().key("overall");
  write_scope(w, report.overall, false);
  w.key("configurationSets").begin_array();
  for (const auto& s : report.configuration_sets) write_scope(w, s, true);
  w.end_array().end_object();
  return w.take();
}

namespace {

void touch(EngagementTimes& t, const SesRecord& r) {
  ++t.count;
  if (t.count == 1) {
    t.first = t.last = r.timestamp;
    t.first_ms = t.last_ms = r.epoch_ms;
    return;
  }
  if (r.epoch_ms && (!t.first_ms || *r.epoch_ms < *t.first_ms)) {
    t.first_ms = r.epoch_ms;
    t.first = r.timestamp;
  }
  if (r.epoch_ms && (!t.last_ms || *r.epoch_ms > *t.last_ms)) {
    t.last_ms = r.epoch_ms;
    t.last = r.timestamp;
  }
}

void write_times(detail::JsonWriter& w, const char* name, const EngagementTimes& t) {
  w.key(name).begin_object().member("count", static_cast<std::size_t>(t.count));
  if (t.count > 0) {
    w.member("first", t.first).member("last", t.last);
    if (t.first_ms) w.member("firstEpochMs", *t.first_ms);
    if (t.last_ms) w.member("lastEpochMs", *t.last_ms);
  }
  w.end_object();
}

}  // namespace

Engagement engagement(std::span<const SesRecord> records) {
  struct Item {
    EngagementTimes opens;
    std::map<std::string, LinkEngagement> links;
  };
  std::map<std::pair<std::string, std::string>, Item> items;
  for (const auto& r : records) {
    if (r.type != SesEventType::open && r.type != SesEventType::click) continue;
    Item& item = items[{r.message_id, lower(r.recipient)}];
    if (r.type == SesEventType::open) {
      touch(item.opens, r);
    } else {
      LinkEngagement& link = item.links[r.link];
      if (link.clicks.count == 0) {
        link.link = r.link;
        link.link_tags = r.link_tags;
      }
      touch(link.clicks, r);
    }
  }
  Engagement report;
  for (auto& [key, item] : items) {
    RecipientEngagement e;
    e.message_id = key.first;
    e.recipient = key.second;
    e.opens = item.opens;
    for (auto& [url, link] : item.links) e.links.push_back(std::move(link));
    report.items.push_back(std::move(e));
  }
  return report;
}

namespace {

void write_item(detail::JsonWriter& w, const RecipientEngagement& e) {
  w.begin_object().member("messageId", e.message_id).member("recipient", e.recipient);
  write_times(w, "opens", e.opens);
  std::uint64_t clicks = 0;
  for (const auto& l : e.links) clicks += l.clicks.count;
  w.member("clicks", static_cast<std::size_t>(clicks)).key("links").begin_array();
  for (const auto& l : e.links) {
    w.begin_object().member("link", l.link);
    write_times(w, "clicks", l.clicks);
    w.key("linkTags").begin_object();
    for (const auto& [k, values] : l.link_tags) {
      w.key(k).begin_array();
      for (const auto& v : values) w.value(v);
      w.end_array();
    }
    w.end_object().end_object();
  }
  w.end_array().end_object();
}

}  // namespace

std::string recipient_engagement_to_json(const RecipientEngagement& item) {
  detail::JsonWriter w;
  write_item(w, item);
  return w.take();
}

std::string engagement_to_json(const Engagement& report) {
  detail::JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& e : report.items) write_item(w, e);
  w.end_array().end_object();
  return w.take();
}

std::string ses_events_json(std::string_view input, bool include_records) {
  return ses_batch_to_json(parse_ses_events(input), include_records);
}

std::string ses_suppression_json(std::string_view input, const SuppressionOptions& options) {
  SesBatch batch = parse_ses_events(input);
  return suppression_list_to_json(build_suppression_list(batch.records, options));
}

std::string ses_reputation_json(std::string_view input, const ReputationOptions& options) {
  SesBatch batch = parse_ses_events(input);
  return reputation_to_json(reputation(batch.records, options));
}

std::string ses_engagement_json(std::string_view input) {
  SesBatch batch = parse_ses_events(input);
  return engagement_to_json(engagement(batch.records));
}

}  // namespace clicktrail
