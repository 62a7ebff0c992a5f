// What the edge answers to a hit on a tracking URL, host-independent: the Cloudflare Worker and
// the Lambda@Edge handler only turn this decision into their platform's response and storage.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/track.hpp"

namespace clicktrail {

struct EdgeRequest {
  std::string_view method;  // GET, HEAD, ...
  std::string_view url;     // absolute, as the client requested it
  std::string_view user_agent;
  std::string_view ip;
  std::int64_t now_ms = 0;  // milliseconds since the epoch
};

struct EdgeSettings {
  std::vector<SigningKey> keys;            // every active key (rotation)
  std::vector<std::string> allowed_hosts;  // optional redirect allowlist
  bool full_ip = false;                    // record whole addresses (default: /24 and /48)
  // The path of the tracking base URL ("" for https://t.example.com, "/t" for
  // https://example.com/t): only <base_path>/c and <base_path>/pxl.png are tracking endpoints,
  // every other path (even one ending in /c) is passed on.
  std::string base_path;
};

class TrackingEdge {
 public:
  explicit TrackingEdge(const EdgeSettings& settings);

  // The decision as JSON:
  // {"action":"redirect"|"pixel"|"reject"|"method_not_allowed"|"pass", "status":302|200|400|405|0,
  //  "location":"..." (redirect only), "record":true|false, "event":{...} (when record)}
  // A click redirects only when its URL verifies; a pixel is always served and recorded only
  // when it verifies; "pass" means the path is not a tracking endpoint.
  [[nodiscard]] std::string handle(const EdgeRequest& request) const;

 private:
  TrackingUrlVerifier verifier_;
  bool full_ip_;
  std::string click_path_;
  std::string pixel_path_;
};

// "2026-11-22T15:53:06.123Z" for a time in milliseconds since the epoch.
[[nodiscard]] std::string iso8601_utc(std::int64_t epoch_ms);

}  // namespace clicktrail
