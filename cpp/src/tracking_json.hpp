// Internal: the JSON members of a verified tracking URL, shared by verify results and edge events.
#pragma once
#include "clicktrail/track.hpp"
#include "json_writer.hpp"

namespace clicktrail::detail {

// keyId, then each field that is set (messageId ... size), expiresAt when `with_expiry`, target.
void write_verified_fields(JsonWriter& json, const VerifiedUrl& url, bool with_expiry);

// Tags as a JSON object member "tags"; a repeated key keeps its last value, as JSON.parse would.
void write_tags(JsonWriter& json, const Tags& tags);

}  // namespace clicktrail::detail
