#include "clicktrail/aggregate.hpp"

#include <algorithm>
#include <array>
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

// A key's fields in AggregateKey order: day, order, campaign, publication, channel, creative,
// size. Compared field by field as AggregateKey's operator< does.
using KeyFields = std::array<std::string_view, 7>;
enum KeyField { kDay, kOrder, kCampaign, kPublication, kChannel, kCreative, kSize };

KeyFields fields_of(const AggregateKey& key) {
  return {key.day,     key.order_id, key.campaign_id, key.publication_id,
          key.channel, key.creative, key.size};
}

// Lexicographic over fields [from, 7).
bool fields_less(const KeyFields& a, const KeyFields& b, int from = 0) {
  for (int i = from; i < 7; ++i) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}

std::string item_path(const KeyFields& key) {
  if (key[kCreative].empty()) return std::string(key[kSize]);
  if (key[kSize].empty()) return std::string(key[kCreative]);
  std::string path(key[kCreative]);
  path += '/';
  path += key[kSize];
  return path;
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

}  // namespace

// A row as the outputs see it: views into a group, or into the counts of a run of groups
// merged for the moment (not daily).
struct ClickAggregator::RowRef {
  KeyFields key;  // the day field is not part of a row's key; use date_start/date_end
  std::string_view date_start, date_end;
  const TrafficCounts& human;
  const TrafficCounts& machine;
  double ctr() const {
    return human.impressions ? static_cast<double>(human.clicks) / human.impressions : 0.0;
  }
};

namespace {

// One performance_entries record. JsonWriter escapes the strings; numbers are written here
// because CTR is fractional.
template <typename Row>
void append_record(std::string& out, const Row& row, std::string_view source) {
  const KeyFields& k = row.key;
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
  str("orderId", k[kOrder]);
  str("campaignId", k[kCampaign]);
  str("publicationId", k[kPublication]);
  str("channel", k[kChannel]);
  str("itemPath", item_path(k));
  str("creative", k[kCreative]);
  str("size", k[kSize]);
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

// The id of a key (its fields, each followed by '\x1f') into `id`, and where its fields are.
template <typename Fields>
void build_group_id(const Fields& fields, std::string& id, std::array<std::uint32_t, 7>& lengths) {
  id.clear();
  for (std::size_t i = 0; i < 7; ++i) {
    id += fields[i];
    id += '\x1f';
    lengths[i] = static_cast<std::uint32_t>(fields[i].size());
  }
}

KeyFields fields_in_id(std::string_view id, const std::array<std::uint32_t, 7>& lengths) {
  KeyFields fields;
  std::size_t at = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    fields[i] = id.substr(at, lengths[i]);
    at += lengths[i] + 1;
  }
  return fields;
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

ClickAggregator::ClickAggregator(const ClickAggregator& other)
    : options_(other.options_),
      stats_(other.stats_),
      groups_(other.groups_),
      pending_(other.pending_),
      link_ids_(other.link_ids_),
      link_slots_(other.link_slots_),
      free_link_ids_(other.free_link_ids_),
      watermark_(other.watermark_) {
  for (const auto& [key, state] : other.bursts_) {
    BurstState& copy = bursts_[key];
    copy.oldest_time = state.oldest_time;
    copy.oldest_link = state.oldest_link;
    copy.pending = state.pending;
    if (state.more) copy.more = std::make_unique<BurstMore>(*state.more);
  }
  for (auto& [text, id] : link_ids_) link_slots_[id].text = &text;
  if (pending_.empty()) return;
  std::unordered_map<const Group*, Group*> copied_groups;
  for (const auto& [id, group] : other.groups_) {
    copied_groups.emplace(&group, &groups_.find(id)->second);
  }
  for (PendingClick& click : pending_) {
    click.group = copied_groups.find(click.group)->second;
    click.burst = &*bursts_.find(click.burst->first);
  }
}

ClickAggregator& ClickAggregator::operator=(const ClickAggregator& other) {
  if (this != &other) *this = ClickAggregator(other);
  return *this;
}

ClickAggregator::Group& ClickAggregator::group_for(const std::string& id,
                                                   const KeyLengths& lengths) {
  auto found = groups_.find(id);
  if (found != groups_.end()) return found->second;
  return groups_.emplace(id, Group{lengths, TrafficCounts(options_), TrafficCounts(options_)})
      .first->second;
}

void ClickAggregator::count(Group& group, bool machine, std::string_view reason, bool has_ip,
                            std::uint64_t ip_hash, bool click) {
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
  if (!has_ip) return;
  counts.reach.add_hash(ip_hash);
  if (click) counts.unique_clicks.add_hash(ip_hash);
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
  query_parameters(hit.uri_query(), kParamNames, params, scratch_);
  const KeyFields key = {hit.date,    params[kOid], params[kCid], params[kPid],
                         params[kCh], params[kCr],  params[kS]};
  KeyLengths lengths;
  build_group_id(key, id_, lengths);

  std::string_view ip = hit.client_ip();
  if (options_.use_forwarded_for && !hit.forwarded_for().empty()) {
    auto forwarded = split_forwarded_for(hit.forwarded_for());
    if (!forwarded.empty()) ip = forwarded.front();
  }
  const bool has_ip = !ip.empty();
  const std::uint64_t ip_hash = has_ip ? hash64(ip) : 0;

  TrafficVerdict verdict = classifier_.classify(hit.method(), hit.user_agent());
  if (verdict.machine || !click || !options_.detect_bursts || params[kMid].empty()) {
    count(group_for(id_, lengths), verdict.machine, verdict.reason, has_ip, ip_hash, click);
    return;
  }

  // A human-looking click on a message link: hold it for the burst window.
  burst_key_.assign(ip);
  burst_key_ += '\x1f';
  burst_key_ += params[kMid];
  auto [entry, fresh] = bursts_.try_emplace(burst_key_);
  BurstState& state = entry->second;
  const std::int64_t t = hit.epoch_ms;
  const std::uint32_t link = intern_link(params[kLi]);
  if (fresh) {
    state.oldest_time = t;
    state.oldest_link = link;
  } else {
    if (!state.more) state.more = std::make_unique<BurstMore>();
    state.more->recent.push_back({t, link});
    // Drop recent clicks from the front that are older than the window before this one (the
    // click just added always stays).
    std::vector<RecentClick>& recent = state.more->recent;
    std::size_t dropped = 0;
    while (dropped < recent.size() && state.oldest_time < t - options_.burst_window_ms) {
      release_link(state.oldest_link);
      state.oldest_time = recent[dropped].time_ms;
      state.oldest_link = recent[dropped].link;
      ++dropped;
    }
    recent.erase(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(dropped));
  }
  // Distinct links among the recent clicks within the window of this one.
  links_seen_.clear();
  std::int64_t first = t;
  auto consider = [&](std::int64_t time, std::uint32_t id) {
    if (std::abs(time - t) > options_.burst_window_ms) return;
    first = std::min(first, time);
    if (std::find(links_seen_.begin(), links_seen_.end(), id) == links_seen_.end()) {
      links_seen_.push_back(id);
    }
  };
  consider(state.oldest_time, state.oldest_link);
  if (state.more) {
    for (const RecentClick& recent : state.more->recent) consider(recent.time_ms, recent.link);
  }
  if (links_seen_.size() >= options_.burst_links) {
    if (!state.more) state.more = std::make_unique<BurstMore>();
    state.more->bursts.emplace_back(first, t);
  }
  if (state.pending < UINT32_MAX) {
    ++state.pending;
  } else {
    if (!state.more) state.more = std::make_unique<BurstMore>();
    ++state.more->pending_beyond;
  }
  if (state.more && state.more->empty()) state.more.reset();
  // The group exists even if every click in it turns out machine.
  Group& group = group_for(id_, lengths);
  pending_.push_back({t, ip_hash, &group, &*entry, has_ip});
}

std::uint32_t ClickAggregator::intern_link(std::string_view link) {
  link_.assign(link);
  auto [entry, fresh] = link_ids_.try_emplace(link_, 0);
  if (!fresh) {
    ++link_slots_[entry->second].references;
    return entry->second;
  }
  std::uint32_t id;
  if (free_link_ids_.empty()) {
    id = static_cast<std::uint32_t>(link_slots_.size());
    link_slots_.push_back({});
  } else {
    id = free_link_ids_.back();
    free_link_ids_.pop_back();
  }
  entry->second = id;
  link_slots_[id] = {&entry->first, 1};
  return id;
}

void ClickAggregator::release_link(std::uint32_t id) {
  LinkSlot& slot = link_slots_[id];
  if (--slot.references > 0) return;
  link_ids_.erase(link_ids_.find(*slot.text));
  slot.text = nullptr;
  free_link_ids_.push_back(id);
}

void ClickAggregator::erase_burst(Bursts::value_type& entry) {
  BurstState& state = entry.second;
  release_link(state.oldest_link);
  if (state.more) {
    for (const RecentClick& recent : state.more->recent) release_link(recent.link);
  }
  bursts_.erase(bursts_.find(entry.first));
}

void ClickAggregator::flush_before(std::int64_t limit) {
  while (!pending_.empty() && pending_.front().time_ms < limit) {
    const PendingClick click = pending_.front();
    pending_.pop_front();
    BurstState& state = click.burst->second;
    bool burst = false;
    if (state.more) {
      for (const auto& [from, to] : state.more->bursts) {
        if (click.time_ms >= from && click.time_ms <= to) burst = true;
      }
    }
    if (state.more && state.more->pending_beyond > 0) {
      --state.more->pending_beyond;
    } else if (--state.pending == 0) {
      erase_burst(*click.burst);
    }
    count(*click.group, burst, burst ? "scanner_burst" : "human", click.has_ip, click.ip_hash,
          true);
  }
}

void ClickAggregator::finish() {
  // Every state goes with its last held click; what could remain (clicks stamped INT64_MAX)
  // is never counted, so the states stay consistent with pending_.
  flush_before(INT64_MAX);
  if (pending_.empty()) {
    pending_.shrink_to_fit();
    bursts_.clear();
    bursts_.rehash(0);
  }
}

void ClickAggregator::merge(const ClickAggregator& other) {
  for (const auto& [id, group] : other.groups_) {
    Group& mine = group_for(id, group.lengths);
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

// Groups in key order (day first).
std::vector<const ClickAggregator::Groups::value_type*> ClickAggregator::sorted_groups() const {
  std::vector<std::pair<KeyFields, const Groups::value_type*>> keyed;
  keyed.reserve(groups_.size());
  for (const auto& entry : groups_) {
    keyed.emplace_back(fields_in_id(entry.first, entry.second.lengths), &entry);
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return fields_less(a.first, b.first); });
  std::vector<const Groups::value_type*> sorted;
  sorted.reserve(keyed.size());
  for (const auto& [fields, entry] : keyed) sorted.push_back(entry);
  return sorted;
}

// Calls visit(const RowRef&) for every output row, in output order: by (date_start, key).
// Daily rows are the groups themselves; otherwise each key's days are merged into one row,
// one key at a time, so at most one merged row exists at once.
template <typename Visit>
void ClickAggregator::visit_rows(bool daily, Visit&& visit) const {
  if (daily) {
    for (const Groups::value_type* entry : sorted_groups()) {
      const KeyFields key = fields_in_id(entry->first, entry->second.lengths);
      visit(RowRef{key, key[kDay], key[kDay], entry->second.human, entry->second.machine});
    }
    return;
  }
  // By key without the day, then day: each key's days are adjacent, earliest first.
  std::vector<std::pair<KeyFields, const Group*>> days;
  days.reserve(groups_.size());
  for (const auto& [id, group] : groups_)
    days.emplace_back(fields_in_id(id, group.lengths), &group);
  std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) {
    if (fields_less(a.first, b.first, kOrder)) return true;
    if (fields_less(b.first, a.first, kOrder)) return false;
    return a.first[kDay] < b.first[kDay];
  });
  struct Run {
    std::size_t begin, end;  // in `days`
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < days.size();) {
    std::size_t j = i + 1;
    while (j < days.size() && !fields_less(days[i].first, days[j].first, kOrder)) ++j;
    runs.push_back({i, j});
    i = j;
  }
  // Output order: first day, then key.
  std::sort(runs.begin(), runs.end(), [&](const Run& a, const Run& b) {
    const KeyFields& ka = days[a.begin].first;
    const KeyFields& kb = days[b.begin].first;
    if (ka[kDay] != kb[kDay]) return ka[kDay] < kb[kDay];
    return fields_less(ka, kb, kOrder);
  });
  for (const Run& run : runs) {
    const KeyFields& key = days[run.begin].first;
    const std::string_view date_end = days[run.end - 1].first[kDay];
    const Group& first = *days[run.begin].second;
    if (run.end - run.begin == 1) {
      visit(RowRef{key, key[kDay], date_end, first.human, first.machine});
      continue;
    }
    TrafficCounts human = first.human, machine = first.machine;
    for (std::size_t i = run.begin + 1; i < run.end; ++i) {
      human.merge(days[i].second->human);
      machine.merge(days[i].second->machine);
    }
    visit(RowRef{key, key[kDay], date_end, human, machine});
  }
}

std::string ClickAggregator::serialize() const {
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
  for (const Groups::value_type* entry : sorted_groups()) {
    detail::JsonWriter json;
    const KeyFields k = fields_in_id(entry->first, entry->second.lengths);
    json.begin_object()
        .member("day", k[kDay])
        .member("oid", k[kOrder])
        .member("cid", k[kCampaign])
        .member("pid", k[kPublication])
        .member("ch", k[kChannel])
        .member("cr", k[kCreative])
        .member("s", k[kSize]);
    json.key("human");
    write_counts(json, entry->second.human);
    json.key("machine");
    write_counts(json, entry->second.machine);
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
  struct Parsed {
    AggregateKey key;
    TrafficCounts human, machine;
  };
  std::vector<Parsed> parsed;
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
    Parsed group{{}, TrafficCounts(options_), TrafficCounts(options_)};
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
  std::string id;
  KeyLengths lengths;
  for (const Parsed& group : parsed) {
    build_group_id(fields_of(group.key), id, lengths);
    Group& mine = group_for(id, lengths);
    mine.human.merge(group.human);
    mine.machine.merge(group.machine);
  }
  return true;
}

std::vector<AggregateRow> ClickAggregator::rows(bool daily) const {
  std::vector<AggregateRow> out;
  out.reserve(groups_.size());
  visit_rows(daily, [&](const RowRef& row) {
    const KeyFields& k = row.key;
    out.push_back(
        {AggregateKey{daily ? std::string(k[kDay]) : std::string(), std::string(k[kOrder]),
                      std::string(k[kCampaign]), std::string(k[kPublication]),
                      std::string(k[kChannel]), std::string(k[kCreative]), std::string(k[kSize])},
         std::string(row.date_start), std::string(row.date_end), row.human, row.machine});
  });
  return out;
}

std::string ClickAggregator::to_json(bool daily) const {
  std::string out = "[";
  bool first = true;
  visit_rows(daily, [&](const RowRef& row) {
    if (!first) out += ',';
    first = false;
    out += '\n';
    append_record(out, row, options_.source);
  });
  out += first ? "]" : "\n]";
  return out;
}

std::string ClickAggregator::to_ndjson(bool daily) const {
  std::string out;
  visit_rows(daily, [&](const RowRef& row) {
    append_record(out, row, options_.source);
    out += '\n';
  });
  return out;
}

std::string ClickAggregator::to_csv(bool daily) const {
  std::string out =
      "date_start,date_end,order_id,campaign_id,publication_id,channel,creative,size,item_path,"
      "impressions,clicks,unique_clicks,reach,ctr,machine_impressions,machine_clicks,"
      "machine_unique_clicks,machine_reach,source\n";
  visit_rows(daily, [&](const RowRef& row) {
    const KeyFields& k = row.key;
    for (std::string_view text : {row.date_start, row.date_end, k[kOrder], k[kCampaign],
                                  k[kPublication], k[kChannel], k[kCreative], k[kSize]}) {
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
  });
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
