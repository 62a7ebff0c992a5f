// The JSON face of the core, shared by the CLI and the WebAssembly bindings so that both answer
// with the same bytes: options in, reports out.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/edge.hpp"
#include "clicktrail/result.hpp"
#include "clicktrail/rewrite.hpp"
#include "clicktrail/track.hpp"

namespace clicktrail {

// Options as the JS API takes them (camelCase):
// {"mode":"wrap"|"ses", "baseUrl", "keyId", "secret", "messageId", "recipient" (an address,
//  hashed), "recipientId" (already opaque), "orderId", "campaignId", "publicationId", "channel",
//  "creative", "size", "tags" ({"k":"v"} or "k:v;k2:v2"), "expiresAt" (epoch seconds),
//  "sign" (false: unsigned preview), "trackClicks", "openPixel", "linkify" (booleans), "maxLinks",
//  "openTrackerPlaceholder", "unsubscribeUrls" ([...])}
// Unknown keys are ignored; a key with the wrong type is an error naming it.
[[nodiscard]] Result<RewriteOptions, RewriteError> rewrite_options_from_json(std::string_view json);

// {"links":[...], "warnings":[...], "trackedLinks":N, "pixel":{"inserted":b,"offset":N}}
// with "html" first when `output` is given. Invalid UTF-8 is written as U+FFFD.
[[nodiscard]] std::string rewrite_report_to_json(const RewriteReport& report,
                                                 const std::string* output = nullptr,
                                                 int indent = -1);

struct VerifyRequest {
  std::vector<SigningKey> keys;
  std::vector<std::string> allowed_hosts;
  std::int64_t now = 0;
};
// {"keys":[{"id","secret"}...], "allowedHosts":[...], "now": epoch seconds}
[[nodiscard]] Result<VerifyRequest, TrackError> verify_request_from_json(std::string_view json);

// {"keys":[{"id","secret"}...], "allowedHosts":[...], "fullIp": false}
[[nodiscard]] Result<EdgeSettings, TrackError> edge_settings_from_json(std::string_view json);

// {"ok":true,"endpoint":"click","keyId",...fields...,"target"} or
// {"ok":false,"error":"bad_signature","message":"..."}
[[nodiscard]] std::string verify_result_to_json(const Result<VerifiedUrl, TrackError>& result,
                                                int indent = -1);

}  // namespace clicktrail
