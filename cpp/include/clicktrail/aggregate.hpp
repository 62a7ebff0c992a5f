// Click and impression aggregation over CloudFront access logs of clicktrail's tracking URLs
// ("/c" = click, "/pxl.png" = impression), per day x oid x cid x pid x ch x cr x s, as the
// seed pipeline's Athena query does: clicks, unique clicks, impressions, reach (unique IPs),
// CTR. Human and machine traffic are counted separately, never dropped.
//
// Counting rules (all from the log alone):
// - Only hits whose URI stem ends with "/c" or "/pxl.png" count, and only with status 0
//   (absent), 2xx or 3xx: a refused tracking URL (400) is not a click.
// - Machine: classify_traffic(method, user agent) says so (HEAD requests, missing user agent,
//   crawlers, link scanners, image proxies; the table is in traffic.cpp), or the click is part
//   of a scanner burst: one IP clicking `burst_links` (default 3) or more distinct links ("li")
//   of the same message ("mid") within `burst_window_ms` (default 10 s). Every click of such a
//   burst is machine ("scanner_burst"). Bursts are found within one aggregator's input (not
//   across partial aggregates merged later); clicks are held back for the window to decide.
// - Reach = distinct client IPs over impressions and clicks; unique clicks = distinct client
//   IPs over clicks. CTR = clicks / impressions (0 without impressions), human traffic only.
// Unique counts use HyperLogLog (precision 14: ~0.8 % standard error; exact below 1024
// distinct values) or, with `exact`, sets. Partial aggregates serialise to text and merge
// exactly as if computed at once.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "clicktrail/cloudfront.hpp"
#include "clicktrail/hyperloglog.hpp"
#include "clicktrail/traffic.hpp"

namespace clicktrail {

struct AggregateOptions {
  bool exact = false;  // sets instead of HyperLogLog sketches
  int precision = HyperLogLog::kDefaultPrecision;
  bool use_forwarded_for = false;  // count the first x-forwarded-for address instead of c-ip
  bool detect_bursts = true;
  std::int64_t burst_window_ms = 10000;
  std::size_t burst_links = 3;
  std::string click_suffix = "/c";
  std::string pixel_suffix = "/pxl.png";
  std::string source = "cloudfront";  // the "source" of every output record
};

struct AggregateKey {
  std::string day;  // "YYYY-MM-DD"
  std::string order_id, campaign_id, publication_id, channel, creative, size;
  // Spelled out: Emscripten 3.1.6's libc++ has no operator<=> for std::string.
  auto tied() const {
    return std::tie(day, order_id, campaign_id, publication_id, channel, creative, size);
  }
  friend bool operator==(const AggregateKey& a, const AggregateKey& b) {
    return a.tied() == b.tied();
  }
  friend bool operator<(const AggregateKey& a, const AggregateKey& b) {
    return a.tied() < b.tied();
  }
};

struct TrafficCounts {
  std::uint64_t clicks = 0;
  std::uint64_t impressions = 0;
  HyperLogLog reach;          // distinct IPs, clicks and impressions
  HyperLogLog unique_clicks;  // distinct IPs, clicks only
  explicit TrafficCounts(const AggregateOptions& options)
      : reach(options.precision, options.exact), unique_clicks(options.precision, options.exact) {}
  void merge(const TrafficCounts& other);
};

// One output row: a day (or, not daily, a range of days) of one key.
struct AggregateRow {
  AggregateKey key;
  std::string date_start, date_end;
  TrafficCounts human, machine;
  double ctr() const {
    return human.impressions ? static_cast<double>(human.clicks) / human.impressions : 0.0;
  }
};

struct AggregateStats {
  std::uint64_t hits = 0;            // records given to add()
  std::uint64_t counted = 0;         // tracking hits counted (human + machine)
  std::uint64_t other_paths = 0;     // not a tracking endpoint
  std::uint64_t refused_status = 0;  // tracking endpoint answered 4xx/5xx
  std::map<std::string, std::uint64_t, std::less<>> machine_reasons;  // reason -> hits
};

class ClickAggregator {
 public:
  explicit ClickAggregator(AggregateOptions options = {});
  // Copies point their held clicks at their own groups and burst states.
  ClickAggregator(const ClickAggregator& other);
  ClickAggregator& operator=(const ClickAggregator& other);
  ClickAggregator(ClickAggregator&&) = default;
  ClickAggregator& operator=(ClickAggregator&&) = default;
  ~ClickAggregator() = default;

  void add(const CloudFrontHit& hit);
  // Decides the clicks still held for burst detection. Call once the input is complete,
  // before rows(), the outputs or serialize().
  void finish();

  // Merges another aggregator's (finished) counts.
  void merge(const ClickAggregator& other);
  // Partial aggregate as text (NDJSON: a header line, then one line per day and key, with
  // sketches). merge_serialized() adds one into this aggregator; false (with `error`) when
  // the text is not a clicktrail partial aggregate; nothing is merged then.
  [[nodiscard]] std::string serialize() const;
  [[nodiscard]] bool merge_serialized(std::string_view text, std::string* error = nullptr);

  // Rows sorted by key; `daily` false merges each key's days into one row spanning them.
  // Every row holds copies of its sketches (about as much memory as the aggregator); the
  // outputs below and serialize() read the groups in place, one merged key at a time.
  [[nodiscard]] std::vector<AggregateRow> rows(bool daily = true) const;
  // performance_entries records: a JSON array, the same records one per line, or CSV with a
  // header row (columns listed in examples/cloudfront/athena.sql).
  [[nodiscard]] std::string to_json(bool daily = true) const;
  [[nodiscard]] std::string to_ndjson(bool daily = true) const;
  [[nodiscard]] std::string to_csv(bool daily = true) const;

  const AggregateStats& stats() const { return stats_; }
  [[nodiscard]] std::string stats_json() const;
  const AggregateOptions& options() const { return options_; }

 private:
  // Memory per group and per held click matters: a month of logs has tens of thousands of
  // (day, key) groups, and input that is not in time order holds every click behind the newest
  // timestamp until finish(). So keys are stored once and held clicks point at their group.

  // A group is found by its id, the key's seven fields each followed by '\x1f'. Its key is
  // the first key that gave that id; `lengths` finds its fields within the id.
  using KeyLengths = std::array<std::uint32_t, 7>;
  struct Group {
    KeyLengths lengths;
    TrafficCounts human, machine;
  };
  using Groups = std::unordered_map<std::string, Group>;
  struct RowRef;  // a group or a merged run of groups, as the outputs see it

  // Burst detection. A state per (IP, message), "ip\x1fmid", lives while clicks of it are
  // held. Links are interned (ids in link_slots_) so a held click's link takes 4 bytes.
  struct RecentClick {
    std::int64_t time_ms;
    std::uint32_t link;
  };
  struct BurstMore {  // recent clicks after the oldest one, the bursts found, rare counts
    std::vector<RecentClick> recent;
    std::vector<std::pair<std::int64_t, std::int64_t>> bursts;  // time ranges
    std::uint64_t pending_beyond = 0;  // held clicks past BurstState::pending's 2^32 - 1
    bool empty() const { return recent.empty() && bursts.empty() && pending_beyond == 0; }
  };
  struct BurstState {
    // The recent clicks (in the window, in arrival order) are the oldest, then more->recent:
    // most states only ever see one click and allocate nothing beyond the map node.
    std::int64_t oldest_time = 0;
    std::uint32_t oldest_link = 0;
    std::uint32_t pending = 0;  // held clicks (more in more->pending_beyond)
    std::unique_ptr<BurstMore> more;
  };
  using Bursts = std::unordered_map<std::string, BurstState>;
  struct PendingClick {
    std::int64_t time_ms;
    std::uint64_t ip_hash;
    Group* group;
    Bursts::value_type* burst;
    bool has_ip;
  };
  struct LinkSlot {
    const std::string* text;  // key in link_ids_
    std::uint32_t references;
  };

  Group& group_for(const std::string& id, const KeyLengths& lengths);
  void count(Group& group, bool machine, std::string_view reason, bool has_ip,
             std::uint64_t ip_hash, bool click);
  void flush_before(std::int64_t limit);
  void erase_burst(Bursts::value_type& entry);
  std::uint32_t intern_link(std::string_view link);
  void release_link(std::uint32_t id);
  std::vector<const Groups::value_type*> sorted_groups() const;
  template <typename Visit>
  void visit_rows(bool daily, Visit&& visit) const;

  AggregateOptions options_;
  AggregateStats stats_;
  Groups groups_;
  std::deque<PendingClick> pending_;
  Bursts bursts_;
  std::unordered_map<std::string, std::uint32_t> link_ids_;
  std::vector<LinkSlot> link_slots_;
  std::vector<std::uint32_t> free_link_ids_;
  std::int64_t watermark_ = 0;
  // Scratch reused for every hit.
  std::string id_;
  std::string burst_key_;
  std::string link_;
  std::vector<std::uint32_t> links_seen_;
  std::string scratch_[8];
  TrafficClassifier classifier_;  // a copy starts with an empty memory of agents
};

// Parser and aggregator in one, for the CLI and the WASM binding: bytes in, outputs out.
class CloudFrontLogAggregator {
 public:
  explicit CloudFrontLogAggregator(AggregateOptions options = {},
                                   CloudFrontParseOptions parse_options = {});
  // The parser's sink points at this object: it stays where it was built.
  CloudFrontLogAggregator(const CloudFrontLogAggregator&) = delete;
  CloudFrontLogAggregator& operator=(const CloudFrontLogAggregator&) = delete;
  void write(std::string_view chunk) { parser_.write(chunk); }
  void end() {
    parser_.end();
    aggregator_.finish();
  }
  ClickAggregator& aggregator() { return aggregator_; }
  const ClickAggregator& aggregator() const { return aggregator_; }
  const CloudFrontLogParser& parser() const { return parser_; }
  // {"parse":{...parser report...},"aggregate":{...stats...}}
  [[nodiscard]] std::string report_json() const;

 private:
  ClickAggregator aggregator_;
  CloudFrontLogParser parser_;
};

}  // namespace clicktrail
