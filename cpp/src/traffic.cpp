#include "clicktrail/traffic.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

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

constexpr char fold_case(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Per byte, the rules whose needle has it (in either case) first, and second: one pass over the
// User-Agent compares only the needles whose first two bytes match at each position, instead of
// one search of a lower-cased copy per rule (27 scans: a third of an edge decision, and a sixth
// of aggregating a CloudFront log, in WebAssembly). Bit i set at byte c: kRules[i]'s needle has
// c at `at`.
constexpr std::array<std::uint32_t, 256> rules_with_byte_at(std::size_t at) {
  std::array<std::uint32_t, 256> table{};
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    const char c = kRules[i].needle[at];
    table[static_cast<unsigned char>(c)] |= std::uint32_t{1} << i;
    if (c >= 'a' && c <= 'z') {
      table[static_cast<unsigned char>(c - 'a' + 'A')] |= std::uint32_t{1} << i;
    }
  }
  return table;
}
static_assert(kRules.size() <= 32, "one bit per rule");
static_assert(std::all_of(kRules.begin(), kRules.end(),
                          [](const TrafficRule& rule) { return rule.needle.size() >= 2; }));
constexpr std::array<std::uint32_t, 256> kRulesByFirstByte = rules_with_byte_at(0);
constexpr std::array<std::uint32_t, 256> kRulesBySecondByte = rules_with_byte_at(1);

// The index of the first rule (in kRules order) whose needle occurs in `text`, ignoring ASCII
// case, or kRules.size().
std::size_t first_matching_rule(std::string_view text) {
  std::size_t best = kRules.size();
  for (std::size_t pos = 0; pos < text.size() && best > 0; ++pos) {
    // Only rules before the best match so far can still change the answer.
    std::uint32_t candidates =
        kRulesByFirstByte[static_cast<unsigned char>(text[pos])] & ((std::uint32_t{1} << best) - 1);
    if (candidates == 0 || pos + 1 == text.size()) continue;  // every needle has two bytes
    candidates &= kRulesBySecondByte[static_cast<unsigned char>(text[pos + 1])];
    for (; candidates != 0; candidates &= candidates - 1) {
      const auto rule = static_cast<std::size_t>(std::countr_zero(candidates));
      const std::string_view needle = kRules[rule].needle;  // lower case
      if (text.size() - pos >= needle.size() &&
          std::equal(needle.begin(), needle.end(), text.begin() + pos,
                     [](char n, char c) { return n == fold_case(c); })) {
        best = rule;
        break;
      }
    }
  }
  return best;
}

// RFC 5952 text form: lower-case hex, no leading zeros, the longest run of two or more zero
// groups (the first of equal runs) written as "::".
std::string format_ipv6(const std::array<std::uint16_t, 8>& groups) {
  int best_start = -1, best_length = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length && j - i >= 2) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    unsigned value = groups[i];
    std::string group;
    do {
      group.insert(group.begin(), kHex[value & 15]);
      value >>= 4;
    } while (value);
    out += group;
  }
  return out;
}

}  // namespace

TrafficVerdict classify_traffic(std::string_view method, std::string_view user_agent) {
  if (iequals_ascii(method, "HEAD")) return {true, "head_request"};
  if (user_agent.empty()) return {true, "automation:no_user_agent"};
  const std::size_t rule = first_matching_rule(user_agent.substr(0, kClassifiedAgentBytes));
  if (rule < kRules.size()) return {true, kRules[rule].reason};
  return {false, "human"};
}

TrafficVerdict TrafficClassifier::classify(std::string_view method, std::string_view user_agent) {
  // A HEAD request is decided by its method, whatever the agent; everything else by the agent.
  if (iequals_ascii(method, "HEAD") || user_agent.empty())
    return classify_traffic(method, user_agent);
  const std::string_view agent = user_agent.substr(0, kClassifiedAgentBytes);
  // Word by word, so that agents differing only in a version number in the middle rarely share
  // a slot; a shared slot only costs a classification, never a wrong verdict.
  constexpr std::uint64_t kMix = 0x9E3779B97F4A7C15ull;
  std::uint64_t hash = agent.size();
  std::size_t at = 0;
  for (; at + 8 <= agent.size(); at += 8) {  // a fixed-size copy is one load, also in WASM
    std::uint64_t word;
    std::memcpy(&word, agent.data() + at, 8);
    hash = (hash ^ word) * kMix;
  }
  if (at < agent.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, agent.data() + at, agent.size() - at);
    hash = (hash ^ word) * kMix;
  }
  Slot& slot = slots_[(hash >> 58) % slots_.size()];
  if (slot.filled && slot.user_agent == agent) return slot.verdict;
  slot.verdict = classify_traffic(method, agent);
  slot.user_agent.assign(agent);
  slot.filled = true;
  return slot.verdict;
}

std::string anonymize_ip(std::string_view ip, bool full) {
  std::array<std::uint8_t, 4> v4{};
  if (parse_ipv4(ip, v4)) {
    if (full) return std::string(ip);
    return std::to_string(v4[0]) + "." + std::to_string(v4[1]) + "." + std::to_string(v4[2]) + ".0";
  }
  std::array<std::uint16_t, 8> v6{};
  if (parse_ipv6(ip, v6)) {
    bool v4_mapped =
        v6[0] == 0 && v6[1] == 0 && v6[2] == 0 && v6[3] == 0 && v6[4] == 0 && v6[5] == 0xffff;
    if (v4_mapped) {  // an IPv4 client seen through an IPv6 socket: truncate it as IPv4
      return "::ffff:" + std::to_string(v6[6] >> 8) + "." + std::to_string(v6[6] & 0xff) + "." +
             std::to_string(v6[7] >> 8) + "." + (full ? std::to_string(v6[7] & 0xff) : "0");
    }
    if (!full) std::fill(v6.begin() + 3, v6.end(), 0);
    return format_ipv6(v6);
  }
  return {};
}

}  // namespace clicktrail
