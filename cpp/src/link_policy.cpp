#include "link_policy.hpp"

#include <algorithm>
#include <array>

#include "clicktrail/url.hpp"

namespace clicktrail::detail {
namespace {

bool is_alpha(char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

bool contains_pair(std::string_view text, std::string_view open, std::string_view close) {
  std::size_t start = text.find(open);
  return start != std::string_view::npos &&
         text.find(close, start + open.size()) != std::string_view::npos;
}

}  // namespace

bool has_template_placeholder(std::string_view url) {
  return contains_pair(url, "{{", "}}") || contains_pair(url, "{%", "%}") ||
         contains_pair(url, "*|", "|*") || contains_pair(url, "%%", "%%") ||
         contains_pair(url, "<%", "%>");
}

bool is_no_track_marker(std::string_view name) {
  return name == kSesNoTrackAttribute || name == "data-no-track" || name == "clicktrail:no-track";
}

bool is_unsubscribe_marker(std::string_view name) {
  return name == "data-unsubscribe" || name == "clicktrail:unsubscribe";
}

std::string ses_tag_value(std::string_view text, std::size_t max_size) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max_size) break;
    bool allowed = is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
    out.push_back(allowed ? c : '_');
  }
  return out;
}

LinkDecision classify_url(std::string_view url) {
  // Browsers drop ASCII tab and newline anywhere in a URL and trim spaces, so "java\tscript:"
  // is javascript: and must be judged as such.
  auto dropped = [](char c) { return c == '\t' || c == '\n' || c == '\r'; };
  std::string cleaned;
  std::string_view view = url;
  if (std::any_of(url.begin(), url.end(), dropped)) {
    cleaned.assign(url);
    cleaned.erase(std::remove_if(cleaned.begin(), cleaned.end(), dropped), cleaned.end());
    view = cleaned;
  }
  while (!view.empty() && static_cast<unsigned char>(view.front()) <= ' ') view.remove_prefix(1);
  while (!view.empty() && static_cast<unsigned char>(view.back()) <= ' ') view.remove_suffix(1);

  LinkDecision decision;
  if (view.empty()) return {LinkReason::empty, {}};
  if (has_template_placeholder(view)) return {LinkReason::template_tag, {}};
  if (view.front() == '#') return {LinkReason::fragment, {}};

  std::size_t colon = view.find(':');
  bool has_scheme = colon != std::string_view::npos && colon > 0 && is_alpha(view[0]);
  for (std::size_t i = 0; has_scheme && i < colon; ++i) {
    char c = view[i];
    has_scheme = is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  }
  if (!has_scheme) return {LinkReason::relative, {}};
  std::string scheme = ascii_lower(view.substr(0, colon));
  if (scheme == "mailto") return {LinkReason::mailto, {}};
  if (scheme == "tel") return {LinkReason::tel, {}};
  if (scheme == "sms") return {LinkReason::sms, {}};
  if (scheme == "javascript" || scheme == "data" || scheme == "vbscript") {
    return {LinkReason::unsafe_scheme, {}};
  }
  if (scheme != "http" && scheme != "https") return {LinkReason::other_scheme, {}};

  decision.target = normalize_url(view);
  if (check_redirect_target(decision.target) != TargetProblem::none) {
    decision.reason = LinkReason::invalid_url;
  }
  return decision;
}

}  // namespace clicktrail::detail
