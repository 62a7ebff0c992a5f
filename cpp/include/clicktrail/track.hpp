// Signed tracking URLs: "<base>/c?...&r=<target>&kid=..&sig=.." for clicks and
// "<base>/pxl.png?..." for opens and ad impressions, and their verification at the edge.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clicktrail/result.hpp"
#include "clicktrail/sha256.hpp"

namespace clicktrail {

struct SigningKey {
  std::string id;      // short, URL-safe; travels in the URL as "kid"
  std::string secret;  // never leaves the process
};

using Tags = std::vector<std::pair<std::string, std::string>>;

// What a tracking URL carries besides its target. Empty strings and negative numbers are left
// out of the URL.
struct TrackingFields {
  // Email
  std::string message_id;
  std::string recipient_id;  // opaque; see recipient_id_for()
  int link_index = -1;
  Tags tags;
  // Ads, as the CloudFront pipeline aggregates them
  std::string order_id;        // oid
  std::string campaign_id;     // cid
  std::string publication_id;  // pid
  std::string channel;         // ch
  std::string creative;        // cr
  std::string size;            // s
  // Seconds since the epoch after which the URL is refused; 0 = never expires.
  std::int64_t expires_at = 0;
};

enum class Endpoint { click, pixel };

enum class TrackError {
  malformed,      // not a tracking URL, a parameter missing, duplicated or undecodable
  unknown_key,    // its key id is not among the active keys
  bad_signature,  // any byte of what was signed differs
  expired,
  bad_target,  // the click target is not a safe absolute http(s) URL (or not allowlisted)
  bad_input,   // building: base URL or key unusable
};
[[nodiscard]] std::string_view to_string(TrackError error);

struct TrackingUrlBuilder {
  // "https://t.example.com" or with a path prefix "https://example.com/t"; lower-cased scheme
  // and host, no trailing '/', no query.
  static Result<TrackingUrlBuilder, TrackError> create(std::string_view base_url, SigningKey key);
  // For previews where no secret may be (a browser): URLs without "kid" and "sig", which the
  // edge refuses as malformed, so a preview link can never redirect.
  static Result<TrackingUrlBuilder, TrackError> create_unsigned(std::string_view base_url);

  // `target` must already be RFC 3986 conformant (see normalize_url) and a safe redirect
  // target; otherwise bad_target.
  [[nodiscard]] Result<std::string, TrackError> click_url(const TrackingFields& fields,
                                                          std::string_view target) const;
  [[nodiscard]] std::string pixel_url(const TrackingFields& fields) const;
  const std::string& base_url() const { return base_; }

 private:
  std::string build(Endpoint endpoint, const TrackingFields& fields, std::string_view target) const;
  std::string base_;
  std::string key_id_;
  std::optional<HmacSha256> hmac_;  // the key schedule, computed once; empty when unsigned
};

// Why a set of keys is unusable, or "" when it is fine: ids of 1-64 characters of
// A-Z a-z 0-9 - _ . , secrets of at least 16 bytes, no id twice (a repeated id during a
// rotation would silently make one key's URLs fail).
[[nodiscard]] std::string key_problem(std::span<const SigningKey> keys);

// Why a redirect allowlist entry is unusable ("" when fine): a host name, optionally with a
// leading '.', never a URL ("https://...") or a path.
[[nodiscard]] std::string allowed_host_problem(std::string_view entry);

// A keyed hash of a recipient address (trimmed, lower-cased): 16 base64url characters that
// identify the recipient across events without putting the address in a URL.
[[nodiscard]] std::string recipient_id_for(std::string_view address, std::string_view secret);

// "k:v;k2:v2" (ses:tags syntax) <-> Tags. Malformed pairs are skipped.
[[nodiscard]] Tags parse_tags(std::string_view text);
[[nodiscard]] std::string format_tags(const Tags& tags);

struct VerifiedUrl {
  Endpoint endpoint = Endpoint::click;
  std::string key_id;
  TrackingFields fields;
  std::string target;  // clicks only: where to redirect
};

struct VerifyOptions {
  std::int64_t now = 0;                        // seconds since the epoch
  std::span<const std::string> allowed_hosts;  // empty: any host
};

// Verifies many URLs with the same keys: the HMAC key schedules are computed once.
class TrackingUrlVerifier {
 public:
  TrackingUrlVerifier(std::span<const SigningKey> keys,
                      std::vector<std::string> allowed_hosts = {});
  [[nodiscard]] Result<VerifiedUrl, TrackError> verify(std::string_view url,
                                                       std::int64_t now) const;

 private:
  struct ActiveKey {
    std::string id;
    HmacSha256 hmac;
  };
  std::vector<ActiveKey> keys_;
  std::vector<std::string> allowed_hosts_;
};

// Checks a tracking URL as received (absolute, including scheme and host). The signature
// covers the scheme, host, path and every clicktrail parameter byte for byte; parameters
// clicktrail does not know are ignored.
[[nodiscard]] Result<VerifiedUrl, TrackError> verify_tracking_url(std::string_view url,
                                                                  std::span<const SigningKey> keys,
                                                                  const VerifyOptions& options);

}  // namespace clicktrail
