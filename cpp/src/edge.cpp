#include "clicktrail/edge.hpp"

#include <cstdio>

#include "civil_time.hpp"
#include "clicktrail/traffic.hpp"
#include "clicktrail/url.hpp"
#include "json_writer.hpp"
#include "tracking_json.hpp"

namespace clicktrail {
namespace {

// The path of an absolute URL ("https://host:port/path?query" -> "/path").
std::string_view path_of(std::string_view url) {
  std::string_view before_query = url.substr(0, url.find_first_of("?#"));
  std::size_t scheme_end = before_query.find("://");
  if (scheme_end == std::string_view::npos) return before_query;
  std::size_t path_start = before_query.find('/', scheme_end + 3);
  return path_start == std::string_view::npos ? std::string_view("/")
                                              : before_query.substr(path_start);
}

}  // namespace

std::string iso8601_utc(std::int64_t epoch_ms) {
  std::int64_t seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int millis = static_cast<int>(epoch_ms - seconds * 1000);
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int second_of_day = static_cast<int>(seconds - days * 86400);
  int year;
  unsigned month, day;
  detail::civil_from_days(days, year, month, day);
  if (year < 0 || year > 9999) {  // outside ISO 8601's four-digit years: the general form
    char text[48];
    std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, month, day,
                  second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60, millis);
    return text;
  }
  // Digit by digit: snprintf's format parsing was a visible part of an edge decision.
  std::string text = "0000-00-00T00:00:00.000Z";
  auto put = [&text](std::size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, static_cast<int>(month), 2);
  put(8, static_cast<int>(day), 2);
  put(11, second_of_day / 3600, 2);
  put(14, second_of_day / 60 % 60, 2);
  put(17, second_of_day % 60, 2);
  put(20, millis, 3);
  return text;
}

TrackingEdge::TrackingEdge(const EdgeSettings& settings)
    : verifier_(settings.keys, settings.allowed_hosts),
      full_ip_(settings.full_ip),
      click_path_(settings.base_path + "/c"),
      pixel_path_(settings.base_path + "/pxl.png") {}

std::string TrackingEdge::handle(const EdgeRequest& request) const {
  detail::JsonWriter decision;
  decision.begin_object();
  std::string_view path = path_of(request.url);
  std::string_view endpoint = path == click_path_   ? "click"
                              : path == pixel_path_ ? "pixel"
                                                    : std::string_view();
  if (endpoint.empty()) {
    decision.member("action", "pass").member("status", 0).member("record", false).end_object();
    return decision.take();
  }
  bool head = iequals_ascii(request.method, "HEAD");
  if (!head && !iequals_ascii(request.method, "GET")) {
    decision.member("action", "method_not_allowed").member("status", 405);
    decision.member("record", false).end_object();
    return decision.take();
  }
  auto verified = verifier_.verify(request.url, request.now_ms / 1000);
  bool click = endpoint == "click";
  bool record = verified.ok() || click;  // failed clicks are recorded; failed pixels are not
  if (click && verified.ok()) {
    decision.member("action", "redirect").member("status", 302);
    decision.member("location", verified->target);
  } else if (click) {
    decision.member("action", "reject").member("status", 400);
  } else {
    decision.member("action", "pixel").member("status", 200);
  }
  decision.member("record", record);
  if (!record) {
    decision.end_object();
    return decision.take();
  }
  std::string_view type = !verified.ok()                        ? "rejected"
                          : click                               ? "click"
                          : verified->fields.message_id.empty() ? "impression"
                                                                : "open";
  TrafficVerdict verdict = classify_traffic(request.method, request.user_agent);
  decision.key("event").begin_object();
  decision.member("type", type);
  decision.member("time", iso8601_utc(request.now_ms));
  decision.member("epochMs", request.now_ms);
  decision.member("method", head ? "HEAD" : "GET");
  decision.member("machine", verdict.machine);
  decision.member("machineReason", verdict.reason);
  decision.member("ip", anonymize_ip(request.ip, full_ip_));
  decision.member("userAgent", request.user_agent.substr(0, 512));
  if (verified.ok()) {
    detail::write_verified_fields(decision, verified.value(), false);
  } else {
    decision.member("endpoint", endpoint);
    decision.member("error", to_string(verified.error().code));
  }
  decision.end_object().end_object();
  return decision.take();
}

}  // namespace clicktrail
