#include "clicktrail/traffic.hpp"

#include <array>
#include <cstdint>

#include "clicktrail/url.hpp"

namespace clicktrail {
namespace {

struct TrafficRule {
  std::string_view needle;  // lower-case substring of the User-Agent
  std::string_view reason;
};

// Substrings of User-Agent headers sent by machines that open or click on a person's behalf.
// Order matters: the first match names the reason. Sources: the vendors' published agents and
// what email deliverability tools commonly list.
constexpr std::array<TrafficRule, 27> kRules = {{
    {"googleimageproxy", "proxy:google_image_proxy"},
    {"ggpht.com", "proxy:google_image_proxy"},
    {"yahoomailproxy", "proxy:yahoo_mail_proxy"},
    {"bingpreview", "scanner:microsoft_bing_preview"},
    {"safelinks", "scanner:microsoft_safe_links"},
    {"ms-office", "scanner:microsoft_office"},
    {"microsoft office", "scanner:microsoft_office"},
    {"mimecast", "scanner:mimecast"},
    {"proofpoint", "scanner:proofpoint"},
    {"barracuda", "scanner:barracuda"},
    {"cisco ironport", "scanner:cisco_ironport"},
    {"trendmicro", "scanner:trend_micro"},
    {"symantec", "scanner:symantec"},
    {"forcepoint", "scanner:forcepoint"},
    {"headlesschrome", "automation:headless_chrome"},
    {"phantomjs", "automation:phantomjs"},
    {"python-requests", "automation:python_requests"},
    {"python-urllib", "automation:python_urllib"},
    {"go-http-client", "automation:go_http_client"},
    {"curl/", "automation:curl"},
    {"wget/", "automation:wget"},
    {"okhttp", "automation:okhttp"},
    {"facebookexternalhit", "crawler:facebook"},
    {"slackbot", "crawler:slack"},
    {"bot", "crawler:bot"},
    {"crawler", "crawler:generic"},
    {"spider", "crawler:generic"},
}};

bool contains_lower(std::string_view lower_haystack, std::string_view needle) {
  return lower_haystack.find(needle) != std::string_view::npos;
}

}  // namespace

TrafficVerdict classify_traffic(std::string_view method, std::string_view user_agent) {
  if (iequals_ascii(method, "HEAD")) return {true, "head_request"};
  if (user_agent.empty()) return {true, "automation:no_user_agent"};
  std::string lower = ascii_lower(user_agent.substr(0, 512));
  for (const TrafficRule& rule : kRules) {
    if (contains_lower(lower, rule.needle)) return {true, rule.reason};
  }
  return {false, "human"};
}

std::string anonymize_ip(std::string_view ip, bool full) {
  std::array<std::uint8_t, 4> v4{};
  if (parse_ipv4(ip, v4)) {
    if (full) return std::string(ip);
    return std::to_string(v4[0]) + "." + std::to_string(v4[1]) + "." + std::to_string(v4[2]) + ".0";
  }
  std::array<std::uint16_t, 8> v6{};
  if (parse_ipv6(ip, v6)) {
    if (full) return ascii_lower(ip);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int k = 0; k < 3; ++k) {
      unsigned value = v6[k];
      std::string group;
      do {
        group.insert(group.begin(), kHex[value & 15]);
        value >>= 4;
      } while (value);
      out += group;
      out += ':';
    }
    return out + ":";
  }
  return {};
}

}  // namespace clicktrail
