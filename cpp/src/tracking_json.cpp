#include "tracking_json.hpp"

#include "clicktrail/json_api.hpp"

namespace clicktrail::detail {

void write_tags(JsonWriter& json, const Tags& tags) {
  json.key("tags").begin_object();
  for (std::size_t i = 0; i < tags.size(); ++i) {
    bool repeated_later = false;
    for (std::size_t k = i + 1; k < tags.size(); ++k) {
      repeated_later |= tags[k].first == tags[i].first;
    }
    if (!repeated_later) json.member(tags[i].first, tags[i].second);
  }
  json.end_object();
}

void write_verified_fields(JsonWriter& json, const VerifiedUrl& url, bool with_expiry) {
  const TrackingFields& f = url.fields;
  auto put = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) json.member(key, value);
  };
  json.member("keyId", url.key_id);
  put("messageId", f.message_id);
  put("recipientId", f.recipient_id);
  if (f.link_index >= 0) json.member("linkIndex", f.link_index);
  if (!f.tags.empty()) write_tags(json, f.tags);
  put("orderId", f.order_id);
  put("campaignId", f.campaign_id);
  put("publicationId", f.publication_id);
  put("channel", f.channel);
  put("creative", f.creative);
  put("size", f.size);
  if (with_expiry && f.expires_at > 0) json.member("expiresAt", f.expires_at);
  put("target", url.target);
}

}  // namespace clicktrail::detail

namespace clicktrail {

// Here rather than in json_api.cpp: it is on the per-click path, built for speed (see
// wasm/CMakeLists.txt), where json_api.cpp's request parsing is built for size.
std::string verify_result_to_json(const Result<VerifiedUrl, TrackError>& result, int indent) {
  detail::JsonWriter json(indent);
  json.begin_object();
  if (!result) {
    json.member("ok", false).member("error", to_string(result.error().code));
    json.member("message", result.error().message).end_object();
    return json.take();
  }
  const VerifiedUrl& url = result.value();
  json.member("ok", true);
  json.member("endpoint", url.endpoint == Endpoint::click ? "click" : "pixel");
  detail::write_verified_fields(json, url, true);
  json.end_object();
  return json.take();
}

}  // namespace clicktrail
