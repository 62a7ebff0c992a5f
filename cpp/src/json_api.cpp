#include "clicktrail/json_api.hpp"

#include <nlohmann/json.hpp>

#include "json_writer.hpp"
#include "tracking_json.hpp"

namespace clicktrail {
namespace {

using Json = nlohmann::json;

// Reads optional typed members without throwing (the WebAssembly build has no exceptions).
class Reader {
 public:
  explicit Reader(const Json& object) : object_(object) {}

  bool string(const char* key, std::string& out) { return read(key, out, &Json::is_string); }
  bool boolean(const char* key, bool& out) { return read(key, out, &Json::is_boolean); }
  bool integer(const char* key, std::int64_t& out) {
    return read(key, out, &Json::is_number_integer);
  }
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

 private:
  template <typename T>
  bool read(const char* key, T& out, bool (Json::*is_type)() const noexcept) {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return false;
    if (!((*it).*is_type)()) {
      if (error_.empty()) error_ = std::string("option \"") + key + "\" has the wrong type";
      return false;
    }
    out = it->get<T>();
    return true;
  }
  const Json& object_;
  std::string error_;
};

// Returns false when `value` is neither {"k": "v"} nor "k:v;k2:v2".
bool tags_from_json(const Json& value, Tags& tags) {
  if (value.is_string()) {
    tags = parse_tags(value.get<std::string>());
    return true;
  }
  if (!value.is_object()) return false;
  for (const auto& [key, tag] : value.items()) {
    if (!tag.is_string()) return false;
    tags.emplace_back(key, tag.get<std::string>());
  }
  return true;
}

}  // namespace

Result<RewriteOptions, RewriteError> rewrite_options_from_json(std::string_view text) {
  auto fail = [](std::string message) {
    return Error<RewriteError>{RewriteError::bad_options, std::move(message)};
  };
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail("options must be a JSON object");
  RewriteOptions options;
  Reader read(json);
  std::string mode = "wrap";
  read.string("mode", mode);
  if (mode == "ses") {
    options.mode = RewriteMode::ses;
  } else if (mode != "wrap") {
    return fail("option \"mode\" must be \"wrap\" or \"ses\"");
  }
  read.string("baseUrl", options.base_url);
  read.string("keyId", options.key.id);
  read.string("secret", options.key.secret);
  TrackingFields& f = options.fields;
  read.string("messageId", f.message_id);
  read.string("recipientId", f.recipient_id);
  read.string("recipient", options.recipient_address);
  read.string("orderId", f.order_id);
  read.string("campaignId", f.campaign_id);
  read.string("publicationId", f.publication_id);
  read.string("channel", f.channel);
  read.string("creative", f.creative);
  read.string("size", f.size);
  read.integer("expiresAt", f.expires_at);
  read.boolean("sign", options.sign);
  read.boolean("trackClicks", options.track_clicks);
  read.boolean("openPixel", options.open_pixel);
  read.boolean("linkify", options.linkify);
  read.string("openTrackerPlaceholder", options.open_tracker_placeholder);
  std::int64_t max_links = static_cast<std::int64_t>(options.max_links);
  if (read.integer("maxLinks", max_links)) {
    if (max_links < 0) return fail("option \"maxLinks\" must not be negative");
    options.max_links = static_cast<std::size_t>(max_links);
  }
  if (read.failed()) return fail(read.error());
  if (auto it = json.find("tags"); it != json.end() && !it->is_null()) {
    if (!tags_from_json(*it, f.tags)) {
      return fail("option \"tags\" must be {\"k\": \"v\"} or \"k:v;k2:v2\"");
    }
  }
  if (auto it = json.find("unsubscribeUrls"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return fail("option \"unsubscribeUrls\" must be an array of strings");
    for (const Json& url : *it) {
      if (!url.is_string()) return fail("option \"unsubscribeUrls\" must be an array of strings");
      options.unsubscribe_urls.push_back(url.get<std::string>());
    }
  }
  return options;
}

std::string rewrite_report_to_json(const RewriteReport& report, const std::string* output,
                                   int indent) {
  detail::JsonWriter json(indent);
  json.begin_object();
  if (output) json.member("html", *output);
  json.key("links").begin_array();
  for (const LinkReport& link : report.links) {
    json.begin_object();
    json.member("index", link.index).member("url", link.url).member("element", link.element);
    json.member("tracked", link.tracked).member("reason", to_string(link.reason));
    detail::write_tags(json, link.tags);
    if (!link.tracked_url.empty()) json.member("trackedUrl", link.tracked_url);
    json.member("linkified", link.linkified);
    json.member("conditionalComment", link.in_conditional_comment);
    if (link.content != LinkContent::none) json.member("content", to_string(link.content));
    json.member("offset", link.offset).member("line", link.line);
    json.end_object();
  }
  json.end_array();
  json.key("warnings").begin_array();
  for (const RewriteWarning& warning : report.warnings) {
    json.begin_object().member("code", warning.code).member("message", warning.message);
    json.member("offset", warning.offset).member("line", warning.line).end_object();
  }
  json.end_array();
  json.member("trackedLinks", report.tracked_links);
  json.key("pixel").begin_object().member("inserted", report.pixel_inserted);
  json.member("offset", report.pixel_offset).end_object();
  json.end_object();
  return json.take();
}

Result<VerifyRequest, TrackError> verify_request_from_json(std::string_view text) {
  auto fail = [](std::string message) {
    return Error<TrackError>{TrackError::bad_input, std::move(message)};
  };
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail("request must be a JSON object");
  VerifyRequest request;
  auto keys = json.find("keys");
  if (keys == json.end() || !keys->is_array() || keys->empty()) {
    return fail("\"keys\" must be a non-empty array of {id, secret}");
  }
  for (const Json& key : *keys) {
    auto id = key.find("id");
    auto secret = key.find("secret");
    if (!key.is_object() || id == key.end() || secret == key.end() || !id->is_string() ||
        !secret->is_string()) {
      return fail("each key must be {\"id\": string, \"secret\": string}");
    }
    request.keys.push_back({id->get<std::string>(), secret->get<std::string>()});
  }
  if (auto hosts = json.find("allowedHosts"); hosts != json.end() && !hosts->is_null()) {
    if (!hosts->is_array()) return fail("\"allowedHosts\" must be an array of strings");
    for (const Json& host : *hosts) {
      if (!host.is_string()) return fail("\"allowedHosts\" must be an array of strings");
      request.allowed_hosts.push_back(host.get<std::string>());
    }
  }
  Reader read(json);
  read.integer("now", request.now);
  if (read.failed()) return fail(read.error());
  if (std::string problem = key_problem(request.keys); !problem.empty()) return fail(problem);
  for (const std::string& host : request.allowed_hosts) {
    if (std::string problem = allowed_host_problem(host); !problem.empty()) return fail(problem);
  }
  return request;
}

Result<EdgeSettings, TrackError> edge_settings_from_json(std::string_view text) {
  auto request = verify_request_from_json(text);
  if (!request) return request.error();
  EdgeSettings settings;
  settings.keys = std::move(request.value().keys);
  settings.allowed_hosts = std::move(request.value().allowed_hosts);
  Json json = Json::parse(text, nullptr, false);
  Reader read(json);
  read.boolean("fullIp", settings.full_ip);
  read.string("basePath", settings.base_path);
  while (!settings.base_path.empty() && settings.base_path.back() == '/') {
    settings.base_path.pop_back();
  }
  if (!settings.base_path.empty() && settings.base_path.front() != '/') {
    return Error<TrackError>{TrackError::bad_input, "basePath must start with '/'"};
  }
  if (read.failed()) return Error<TrackError>{TrackError::bad_input, read.error()};
  return settings;
}

}  // namespace clicktrail
