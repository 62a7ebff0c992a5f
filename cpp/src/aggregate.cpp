#include "clicktrail/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "clicktrail/traffic.hpp"
#include "json_writer.hpp"

namespace clicktrail {
namespace {

constexpr std::string_view kFormat = "clicktrail-cloudfront-aggregate";
constexpr int kFormatVersion = 1;

// The query parameters of a tracking URL that aggregation reads (see track.cpp).
enum Param { kOid, kCid, kPid, kCh, kCr, kS, kMid, kLi, kParamCount };
constexpr std::string_view kParamNames[kParamCount] = {"oid", "cid", "pid", "ch",
                                                       "cr",  "s",   "mid", "li"};

std::string item_path(const AggregateKey& key) {
  if (key.creative.empty()) return key.size;
  if (key.size.empty()) return key.creative;
  return key.creative + "/" + key.size;
}

// CTR as a short decimal: at most 6 places, trailing zeros dropped.
std::string format_ratio(double value) {
  if (!std::isfinite(value)) value = 0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string out(buffer);
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string json_string(std::string_view text) {
  detail::JsonWriter json;
  json.value(text);
  return json.take();
}

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// One performance_entries record. JsonWriter escapes the strings; numbers are written here
// because CTR is fractional.
void append_record(std::string& out, const AggregateRow& row, std::string_view source) {
  const AggregateKey& k = row.key;
  auto str = [&](std::string_view name, std::string_view value) {
    out += '"';
    out += name;
    out += "\":";
    out += json_string(value);
    out += ',';
  };
  auto num = [&](std::string_view name, std::uint64_t value, bool comma = true) {
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(value);
    if (comma) out += ',';
  };
  out += '{';
  str("orderId", k.order_id);
  str("campaignId", k.campaign_id);
  str("publicationId", k.publication_id);
  str("channel", k.channel);
  str("itemPath", item_path(k));
  str("creative", k.creative);
  str("size", k.size);
  str("dateStart", row.date_start);
  str("dateEnd", row.date_end);
  out += "\"metrics\":{";
  num("impressions", row.human.impressions);
  num("clicks", row.human.clicks);
  out += "\"ctr\":" + format_ratio(row.ctr()) + ",";
  num("reach", row.human.reach.count());
  num("uniqueClicks", row.human.unique_clicks.count(), false);
  out += "},\"machine\":{";
  num("impressions", row.machine.impressions);
  num("clicks", row.machine.clicks);
  num("reach", row.machine.reach.count());
  num("uniqueClicks", row.machine.unique_clicks.count(), false);
  out += "},\"source\":";
  out += json_string(source);
  out += '}';
}

void write_counts(detail::JsonWriter& json, const TrafficCounts& counts) {
  json.begin_object()
      .member("clicks", static_cast<std::size_t>(counts.clicks))
      .member("impressions", static_cast<std::size_t>(counts.impressions))
      .member("reach", counts.reach.serialize())
      .member("uniqueClicks", counts.unique_clicks.serialize())
      .end_object();
}

bool read_counts(const nlohmann::json& doc, TrafficCounts& counts) {
  if (!doc.is_object()) return false;
  auto clicks = doc.find("clicks"), impressions = doc.find("impressions");
  auto reach = doc.find("reach"), unique = doc.find("uniqueClicks");
  if (clicks == doc.end() || impressions == doc.end() || reach == doc.end() ||
      unique == doc.end() || !clicks->is_number_unsigned() || !impressions->is_number_unsigned() ||
      !reach->is_string() || !unique->is_string()) {
    return false;
  }
  auto reach_sketch = HyperLogLog::deserialize(reach->get_ref<const std::string&>());
  auto unique_sketch = HyperLogLog::deserialize(unique->get_ref<const std::string&>());
  if (!reach_sketch || !unique_sketch) return false;
  counts.clicks = clicks->get<std::uint64_t>();
  counts.impressions = impressions->get<std::uint64_t>();
  counts.reach = std::move(*reach_sketch);
  counts.unique_clicks = std::move(*unique_sketch);
  return true;
}

std::string group_id(const AggregateKey& key) {
  std::string id;
  for (const std::string* part : {&key.day, &key.order_id, &key.campaign_id, &key.publication_id,
                                  &key.channel, &key.creative, &key.size}) {
    id += *part;
    id += '\x1f';
  }
  return id;
}

}  // namespace

void TrafficCounts::merge(const TrafficCounts& other) {
  clicks += other.clicks;
  impressions += other.impressions;
  reach.merge(other.reach);
  unique_clicks.merge(other.unique_clicks);
}

ClickAggregator::ClickAggregator(AggregateOptions options) : options_(std::move(options)) {
  if (options_.burst_links < 2) options_.burst_links = 2;
  if (options_.burst_window_ms < 0) options_.burst_window_ms = 0;
}

ClickAggregator::Group& ClickAggregator::group_for(const std::string& id, const AggregateKey& key) {
  auto found = groups_.find(id);
  if (found != groups_.end()) return found->second;
  Group group{key, TrafficCounts(options_), TrafficCounts(options_)};
  return groups_.emplace(id, std::move(group)).first->second;
}

void ClickAggregator::count(Group& group, bool machine, std::string_view reason,
                            std::string_view ip, bool click) {
  TrafficCounts& counts = machine ? group.machine : group.human;
  if (machine) {
    auto found = stats_.machine_reasons.find(reason);
    if (found == stats_.machine_reasons.end()) {
      stats_.machine_reasons.emplace(std::string(reason), 1);
    } else {
      ++found->second;
    }
  }
  ++stats_.counted;
  if (click) {
    ++counts.clicks;
  } else {
    ++counts.impressions;
  }
  if (ip.empty()) return;
  const std::uint64_t hash = hash64(ip);
  counts.reach.add_hash(hash);
  if (click) counts.unique_clicks.add_hash(hash);
}

void ClickAggregator::add(const CloudFrontHit& hit) {
  ++stats_.hits;
  const std::string_view stem = hit.uri_stem();
  const bool click = stem.ends_with(options_.click_suffix);
  const bool pixel = !click && stem.ends_with(options_.pixel_suffix);
  if (hit.epoch_ms > watermark_) {
    watermark_ = hit.epoch_ms;
    if (!pending_.empty()) flush_before(watermark_ - options_.burst_window_ms);
  }
  if (!click && !pixel) {
    ++stats_.other_paths;
    return;
  }
  if (hit.status >= 400 || (hit.status > 0 && hit.status < 200)) {
    ++stats_.refused_status;
    return;
  }

  std::string_view params[kParamCount];
  for (int i = 0; i < kParamCount; ++i) {
    params[i] = query_parameter(hit.uri_query(), kParamNames[i], scratch_[i]);
  }
  key_.day.assign(hit.date);
  key_.order_id.assign(params[kOid]);
  key_.campaign_id.assign(params[kCid]);
  key_.publication_id.assign(params[kPid]);
  key_.channel.assign(params[kCh]);
  key_.creative.assign(params[kCr]);
  key_.size.assign(params[kS]);
  id_ = group_id(key_);

  std::string_view ip = hit.client_ip();
  if (options_.use_forwarded_for && !hit.forwarded_for().empty()) {
    auto forwarded = split_forwarded_for(hit.forwarded_for());
    if (!forwarded.empty()) ip = forwarded.front();
  }

  TrafficVerdict verdict = classify_traffic(hit.method(), hit.user_agent());
  if (verdict.machine || !click || !options_.detect_bursts || params[kMid].empty()) {
    count(group_for(id_, key_), verdict.machine, verdict.reason, ip, click);
    return;
  }

  // A human-looking click on a message link: hold it for the burst window.
  std::string burst_id(ip);
  burst_id += '\x1f';
  burst_id += params[kMid];
  BurstState& state = bursts_[burst_id];
  const std::int64_t t = hit.epoch_ms;
  state.recent.emplace_back(t, std::string(params[kLi]));
  while (!state.recent.empty() && state.recent.front().first < t - options_.burst_window_ms) {
    state.recent.pop_front();
  }
  std::vector<std::string_view> links;
  std::int64_t first = t;
  for (const auto& [time, link] : state.recent) {
    if (std::abs(time - t) > options_.burst_window_ms) continue;
    first = std::min(first, time);
    if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(link);
  }
  if (links.size() >= options_.burst_links) state.bursts.emplace_back(first, t);
  ++state.pending;
  group_for(id_, key_);  // the group exists even if every click in it turns out machine
  pending_.push_back({id_, std::string(ip), std::move(burst_id), t});
}

void ClickAggregator::flush_before(std::int64_t limit) {
  while (!pending_.empty() && pending_.front().time_ms < limit) {
    PendingClick click = std::move(pending_.front());
    pending_.pop_front();
    auto state = bursts_.find(click.burst);
    bool burst = false;
    if (state != bursts_.end()) {
      for (const auto& [from, to] : state->second.bursts) {
        if (click.time_ms >= from && click.time_ms <= to) burst = true;
      }
      if (--state->second.pending == 0) bursts_.erase(state);
    }
    Group& group = groups_.find(click.group)->second;
    count(group, burst, burst ? "scanner_burst" : "human", click.ip, true);
  }
}

void ClickAggregator::finish() {
  flush_before(INT64_MAX);
  bursts_.clear();
}

void ClickAggregator::merge(const ClickAggregator& other) {
  for (const auto& [id, group] : other.groups_) {
    Group& mine = group_for(id, group.key);
    mine.human.merge(group.human);
    mine.machine.merge(group.machine);
  }
  stats_.hits += other.stats_.hits;
  stats_.counted += other.stats_.counted;
  stats_.other_paths += other.stats_.other_paths;
  stats_.refused_status += other.stats_.refused_status;
  for (const auto& [reason, n] : other.stats_.machine_reasons) {
    stats_.machine_reasons[reason] += n;
  }
}

std::string ClickAggregator::serialize() const {
  std::vector<const Group*> sorted;
  for (const auto& entry : groups_) sorted.push_back(&entry.second);
  std::sort(sorted.begin(), sorted.end(),
            [](const Group* a, const Group* b) { return a->key < b->key; });
  std::string out;
  {
    detail::JsonWriter json;
    json.begin_object()
        .member("format", kFormat)
        .member("version", kFormatVersion)
        .member("precision", options_.precision)
        .member("exact", options_.exact)
        .end_object();
    out += json.take();
    out += '\n';
  }
  for (const Group* group : sorted) {
    detail::JsonWriter json;
    const AggregateKey& k = group->key;
    json.begin_object()
        .member("day", k.day)
        .member("oid", k.order_id)
        .member("cid", k.campaign_id)
        .member("pid", k.publication_id)
        .member("ch", k.channel)
        .member("cr", k.creative)
        .member("s", k.size);
    json.key("human");
    write_counts(json, group->human);
    json.key("machine");
    write_counts(json, group->machine);
    json.end_object();
    out += json.take();
    out += '\n';
  }
  return out;
}

bool ClickAggregator::merge_serialized(std::string_view text, std::string* error) {
  auto fail = [&](std::size_t line, std::string_view why) {
    if (error) *error = "line " + std::to_string(line) + ": " + std::string(why);
    return false;
  };
  std::vector<Group> parsed;
  std::size_t line_number = 0;
  bool header = false;
  while (!text.empty()) {
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    nlohmann::json doc = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(line_number, "not a JSON object");
    if (!header) {
      auto format = doc.find("format");
      auto version = doc.find("version");
      if (format == doc.end() || *format != kFormat || version == doc.end() ||
          *version != kFormatVersion) {
        return fail(line_number, "not a clicktrail partial aggregate (version 1)");
      }
      header = true;
      continue;
    }
    Group group{{}, TrafficCounts(options_), TrafficCounts(options_)};
    std::string* parts[] = {
        &group.key.day,     &group.key.order_id, &group.key.campaign_id, &group.key.publication_id,
        &group.key.channel, &group.key.creative, &group.key.size};
    const char* names[] = {"day", "oid", "cid", "pid", "ch", "cr", "s"};
    for (int i = 0; i < 7; ++i) {
      auto value = doc.find(names[i]);
      if (value == doc.end() || !value->is_string()) return fail(line_number, "missing key field");
      *parts[i] = value->get<std::string>();
    }
    auto human = doc.find("human"), machine = doc.find("machine");
    if (human == doc.end() || machine == doc.end() || !read_counts(*human, group.human) ||
        !read_counts(*machine, group.machine)) {
      return fail(line_number, "bad counts or sketch");
    }
    parsed.push_back(std::move(group));
  }
  if (!header) return fail(line_number, "empty input");
  for (const Group& group : parsed) {
    Group& mine = group_for(group_id(group.key), group.key);
    mine.human.merge(group.human);
    mine.machine.merge(group.machine);
  }
  return true;
}

std::vector<AggregateRow> ClickAggregator::rows(bool daily) const {
  std::vector<AggregateRow> out;
  if (daily) {
    for (const auto& [id, group] : groups_) {
      out.push_back({group.key, group.key.day, group.key.day, group.human, group.machine});
    }
  } else {
    std::map<AggregateKey, std::size_t> index;
    for (const auto& [id, group] : groups_) {
      AggregateKey key = group.key;
      key.day.clear();
      auto [at, fresh] = index.emplace(key, out.size());
      if (fresh) {
        out.push_back({key, group.key.day, group.key.day, group.human, group.machine});
        continue;
      }
      AggregateRow& row = out[at->second];
      row.date_start = std::min(row.date_start, group.key.day);
      row.date_end = std::max(row.date_end, group.key.day);
      row.human.merge(group.human);
      row.machine.merge(group.machine);
    }
  }
  std::sort(out.begin(), out.end(), [](const AggregateRow& a, const AggregateRow& b) {
    return std::tie(a.date_start, a.key) < std::tie(b.date_start, b.key);
  });
  return out;
}

std::string ClickAggregator::to_json(bool daily) const {
  std::string out = "[";
  bool first = true;
  for (const AggregateRow& row : rows(daily)) {
    if (!first) out += ',';
    first = false;
    out += '\n';
    append_record(out, row, options_.source);
  }
  out += first ? "]" : "\n]";
  return out;
}

std::string ClickAggregator::to_ndjson(bool daily) const {
  std::string out;
  for (const AggregateRow& row : rows(daily)) {
    append_record(out, row, options_.source);
    out += '\n';
  }
  return out;
}

std::string ClickAggregator::to_csv(bool daily) const {
  std::string out =
      "date_start,date_end,order_id,campaign_id,publication_id,channel,creative,size,item_path,"
      "impressions,clicks,unique_clicks,reach,ctr,machine_impressions,machine_clicks,"
      "machine_unique_clicks,machine_reach,source\n";
  for (const AggregateRow& row : rows(daily)) {
    const AggregateKey& k = row.key;
    for (std::string_view text : {std::string_view(row.date_start), std::string_view(row.date_end),
                                  std::string_view(k.order_id), std::string_view(k.campaign_id),
                                  std::string_view(k.publication_id), std::string_view(k.channel),
                                  std::string_view(k.creative), std::string_view(k.size)}) {
      append_csv_field(out, text);
      out += ',';
    }
    append_csv_field(out, item_path(k));
    for (std::uint64_t n : {row.human.impressions, row.human.clicks,
                            row.human.unique_clicks.count(), row.human.reach.count()}) {
      out += ',';
      out += std::to_string(n);
    }
    out += ',';
    out += format_ratio(row.ctr());
    for (std::uint64_t n : {row.machine.impressions, row.machine.clicks,
                            row.machine.unique_clicks.count(), row.machine.reach.count()}) {
      out += ',';
      out += std::to_string(n);
    }
    out += ',';
    append_csv_field(out, options_.source);
    out += '\n';
  }
  return out;
}

std::string ClickAggregator::stats_json() const {
  detail::JsonWriter json;
  json.begin_object()
      .member("hits", static_cast<std::size_t>(stats_.hits))
      .member("counted", static_cast<std::size_t>(stats_.counted))
      .member("otherPaths", static_cast<std::size_t>(stats_.other_paths))
      .member("refusedStatus", static_cast<std::size_t>(stats_.refused_status))
      .member("groups", groups_.size());
  json.key("machineReasons").begin_object();
  for (const auto& [reason, n] : stats_.machine_reasons) {
    json.member(reason, static_cast<std::size_t>(n));
  }
  json.end_object().end_object();
  return json.take();
}

CloudFrontLogAggregator::CloudFrontLogAggregator(AggregateOptions options,
                                                 CloudFrontParseOptions parse_options)
    : aggregator_(std::move(options)),
      parser_([this](const CloudFrontHit& hit) { aggregator_.add(hit); }, parse_options) {}

std::string CloudFrontLogAggregator::report_json() const {
  return "{\"parse\":" + parser_.report_json() + ",\"aggregate\":" + aggregator_.stats_json() + "}";
}

}  // namespace clicktrail
