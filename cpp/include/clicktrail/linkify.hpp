// Finds plain-text URLs (http://, https://, www.) the way GitHub's autolink extension and
// linkify-it do: trailing punctuation, unbalanced brackets and quotes stay outside the link.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace clicktrail {

struct UrlMatch {
  std::size_t begin = 0;      // byte offset of the first byte of the URL in the scanned text
  std::size_t end = 0;        // one past the last byte
  bool needs_scheme = false;  // true for "www." matches: the href is "http://" + the text
};

// `text` is either plain text or the raw bytes of an HTML text node (character references not
// decoded: "&amp;" inside a URL stays part of it, a trailing "&gt;" does not). Matches are in
// order and never overlap.
[[nodiscard]] std::vector<UrlMatch> find_urls(std::string_view text);

}  // namespace clicktrail
