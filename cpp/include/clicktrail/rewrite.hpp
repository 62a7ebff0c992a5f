// Link wrapping for HTML and plain-text emails: every trackable link becomes a signed click
// URL, plain URLs become links, and the open pixel goes in; or, in SES mode, links are prepared
// for Amazon SES's own tracking. Output is the input with those edits spliced in.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/result.hpp"
#include "clicktrail/track.hpp"

namespace clicktrail {

enum class RewriteMode {
  wrap,  // clicktrail's own tracking URLs and pixel
  ses,   // SES engagement tracking: conformant hrefs, ses:tags, ses:no-track, {{ses:openTracker}}
};

struct RewriteOptions {
  RewriteMode mode = RewriteMode::wrap;
  std::string base_url;  // wrap mode: "https://t.example.com"
  SigningKey key;        // wrap mode, when signing
  // false: an unsigned preview (no key or secret needed, as in a browser). Its URLs carry no
  // "kid" and no "sig", so the edge refuses them; a recipient address cannot be hashed without
  // the secret, so only fields.recipient_id is allowed.
  bool sign = true;
  TrackingFields fields;  // message id, campaign fields, expiry; link index and tags are per link
  // A recipient address: hashed into fields.recipient_id with the key (the address itself never
  // appears in a URL). Leave empty to use fields.recipient_id as given.
  std::string recipient_address;
  bool track_clicks = true;
  bool open_pixel = true;
  bool linkify = true;
  std::size_t max_links = 250;  // SES tracks at most 250 links per message
  std::string open_tracker_placeholder = "{{ses:openTracker}}";
  // URLs from the List-Unsubscribe header (and any other unsubscribe URL): never wrapped.
  std::vector<std::string> unsubscribe_urls;
};

// Why a link is or is not tracked. Names are stable: reports and the CLI print them.
enum class LinkReason {
  tracked,
  empty,
  fragment,  // "#top"
  mailto,
  tel,
  sms,
  unsafe_scheme,  // javascript:, data:, vbscript: (also a warning)
  other_scheme,   // ftp:, custom schemes
  relative,       // "/path", "//host/path": no absolute target to redirect to
  template_tag,   // {{...}}, *|...|*, %%...%%
  opted_out,      // ses:no-track, data-no-track, clicktrail:no-track
  unsubscribe,    // List-Unsubscribe URL or marked as unsubscribe
  invalid_url,    // http(s) but no usable host, or refused as a redirect target
  over_limit,     // past max_links
  clicks_off,     // click tracking disabled in the options
};
[[nodiscard]] std::string_view to_string(LinkReason reason);

// What an <a> shows the reader, for the image-only check ("" for every other kind of link).
enum class LinkContent { none, text, image, image_without_alt, empty };
[[nodiscard]] std::string_view to_string(LinkContent content);

struct LinkReport {
  int index = 0;         // shared by the Outlook (VML) and the HTML copy of one button
  std::string url;       // the href as the browser sees it (character references decoded)
  std::string element;   // "a", "area", "v:roundrect", ... ("a" for linkified text)
  bool tracked = false;  // wrap mode: wrapped; SES mode: left to SES to track
  LinkReason reason = LinkReason::tracked;
  Tags tags;
  std::string tracked_url;              // wrap mode, tracked links: the signed click URL
  bool linkified = false;               // was plain text
  bool in_conditional_comment = false;  // inside <!--[if mso]> ... <![endif]-->
  // <a> only: text, image (images only, each with alt text), image_without_alt (images only, one
  // without alt: nothing to read or click with images off), empty.
  LinkContent content = LinkContent::none;
  std::size_t offset = 0;  // byte offset of the tag (or of the URL text) in the input
  std::size_t line = 1;
};

struct RewriteWarning {
  std::string code;  // "unsafe_scheme", "invalid_url", "link_limit", "placeholder_repeated", ...
  std::string message;
  std::size_t offset = 0;
  std::size_t line = 1;
};

struct RewriteReport {
  std::vector<LinkReport> links;
  std::vector<RewriteWarning> warnings;
  std::size_t tracked_links = 0;  // distinct link indexes tracked
  bool pixel_inserted = false;
  std::size_t pixel_offset = 0;  // input offset where the pixel (or openTracker) went
};

struct RewriteResult {
  std::string output;
  RewriteReport report;
};

enum class RewriteError { bad_options };

// Streaming rewriter: write() chunks as they arrive, then end() once. Output is appended to the
// caller's string as soon as it is final, so memory stays bounded by the largest tag/comment.
class LinkRewriter {
 public:
  static Result<LinkRewriter, RewriteError> create(const RewriteOptions& options);
  LinkRewriter(LinkRewriter&&) noexcept;
  LinkRewriter& operator=(LinkRewriter&&) noexcept;
  ~LinkRewriter();

  void write(std::string_view chunk, std::string& output);
  [[nodiscard]] RewriteReport end(std::string& output);

 private:
  class Impl;
  friend Result<RewriteResult, RewriteError> rewrite_text(std::string_view text,
                                                          const RewriteOptions& options);
  explicit LinkRewriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

[[nodiscard]] Result<RewriteResult, RewriteError> rewrite_links(std::string_view html,
                                                                const RewriteOptions& options);

// A plain-text body: bare URLs are replaced by tracked URLs (wrap mode) or made RFC 3986
// conformant (SES mode). No pixel.
[[nodiscard]] Result<RewriteResult, RewriteError> rewrite_text(std::string_view text,
                                                               const RewriteOptions& options);

}  // namespace clicktrail
