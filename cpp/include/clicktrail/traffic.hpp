// Who is behind a hit: a person or a machine (crawler, link scanner, image proxy, prefetcher).
// Machine traffic is labelled, never dropped; the rules are a table in traffic.cpp.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace clicktrail {

struct TrafficVerdict {
  bool machine = false;
  std::string_view reason;  // "head_request", "scanner:mimecast", "proxy:google_image_proxy", ...
};

// Classifies one request by its method and User-Agent header. Only the first
// kClassifiedAgentBytes of the agent are read.
[[nodiscard]] TrafficVerdict classify_traffic(std::string_view method, std::string_view user_agent);
inline constexpr std::size_t kClassifiedAgentBytes = 512;

// classify_traffic with a memory of recent User-Agents, for a stream of requests such as an access
// log. Classifying an agent is a pass over it, and logs repeat a few agents (mail providers' image
// proxies, the common browsers) again and again: a remembered agent costs a hash of its 8-byte
// words and one comparison. The verdicts are classify_traffic's, always.
class TrafficClassifier {
 public:
  [[nodiscard]] TrafficVerdict classify(std::string_view method, std::string_view user_agent);

 private:
  struct Slot {
    std::string user_agent;  // at most kClassifiedAgentBytes
    TrafficVerdict verdict;
    bool filled = false;
  };
  // Direct-mapped: an agent has one slot, and a new agent there replaces the old one.
  std::array<Slot, 64> slots_;
};

// Privacy by default: an IPv4 address is cut to its /24 ("203.0.113.0"), an IPv6 address to its
// /48 ("2001:db8:1::"). Anything that is not an IP address becomes "". `full` keeps it whole.
[[nodiscard]] std::string anonymize_ip(std::string_view ip, bool full = false);

}  // namespace clicktrail
