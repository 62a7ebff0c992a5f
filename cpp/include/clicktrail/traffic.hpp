// Who is behind a hit: a person or a machine (crawler, link scanner, image proxy, prefetcher).
// Machine traffic is labelled, never dropped; the rules are a table in traffic.cpp.
#pragma once
#include <string>
#include <string_view>

namespace clicktrail {

struct TrafficVerdict {
  bool machine = false;
  std::string_view reason;  // "head_request", "scanner:mimecast", "proxy:google_image_proxy", ...
};

// Classifies one request by its method and User-Agent header.
[[nodiscard]] TrafficVerdict classify_traffic(std::string_view method, std::string_view user_agent);

// Privacy by default: an IPv4 address is cut to its /24 ("203.0.113.0"), an IPv6 address to its
// /48 ("2001:db8:1::"). Anything that is not an IP address becomes "". `full` keeps it whole.
[[nodiscard]] std::string anonymize_ip(std::string_view ip, bool full = false);

}  // namespace clicktrail
