// Internal: which links clicktrail wraps and how they are named in reports.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/rewrite.hpp"

namespace clicktrail::detail {

struct LinkDecision {
  LinkReason reason = LinkReason::tracked;
  std::string target;  // http(s) links: the URL made RFC 3986 conformant
};

// Classifies a link by its URL alone (markers and limits are the caller's business).
// `url` is the href with character references already decoded.
[[nodiscard]] LinkDecision classify_url(std::string_view url);

// True when the URL holds a merge tag of a template language ({{x}}, {%x%}, *|X|*, %%X%%, <%x%>):
// wrapping would freeze it inside an encoded parameter where the sender's system cannot fill it.
[[nodiscard]] bool has_template_placeholder(std::string_view url);

// Attribute names (lower case) that carry instructions for clicktrail or SES.
inline constexpr std::string_view kSesTagsAttribute = "ses:tags";
inline constexpr std::string_view kSesNoTrackAttribute = "ses:no-track";
[[nodiscard]] bool is_no_track_marker(std::string_view lower_name);
[[nodiscard]] bool is_unsubscribe_marker(std::string_view lower_name);

// An SES tag name or value: only ASCII letters, digits, '_' and '-' are allowed.
[[nodiscard]] std::string ses_tag_value(std::string_view text, std::size_t max_size = 64);

}  // namespace clicktrail::detail
