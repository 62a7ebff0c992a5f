#include "clicktrail/rewrite.hpp"

#include <algorithm>
#include <optional>

#include "byte_search.hpp"
#include "clicktrail/entities.hpp"
#include "clicktrail/html_tokenizer.hpp"
#include "clicktrail/linkify.hpp"
#include "clicktrail/url.hpp"
#include "link_policy.hpp"

namespace clicktrail {

using html::Span;
using html::Token;
using html::Tokenizer;
using html::TokenKind;

std::string_view to_string(LinkReason reason) {
  switch (reason) {
    case LinkReason::tracked:
      return "tracked";
    case LinkReason::empty:
      return "empty";
    case LinkReason::fragment:
      return "fragment";
    case LinkReason::mailto:
      return "mailto";
    case LinkReason::tel:
      return "tel";
    case LinkReason::sms:
      return "sms";
    case LinkReason::unsafe_scheme:
      return "unsafe_scheme";
    case LinkReason::other_scheme:
      return "other_scheme";
    case LinkReason::relative:
      return "relative";
    case LinkReason::template_tag:
      return "template_tag";
    case LinkReason::opted_out:
      return "opted_out";
    case LinkReason::unsubscribe:
      return "unsubscribe";
    case LinkReason::invalid_url:
      return "invalid_url";
    case LinkReason::over_limit:
      return "over_limit";
    case LinkReason::clicks_off:
      return "clicks_off";
  }
  return "unknown";
}

std::string_view to_string(LinkContent content) {
  switch (content) {
    case LinkContent::none:
      return "";
    case LinkContent::text:
      return "text";
    case LinkContent::image:
      return "image";
    case LinkContent::image_without_alt:
      return "image_without_alt";
    case LinkContent::empty:
      return "empty";
  }
  return "";
}

namespace {

struct Edit {
  std::size_t begin;
  std::size_t end;
  std::string replacement;
};

// Writes the bytes of `range` with `edits` (absolute, non-overlapping) applied.
void splice(const Tokenizer& tokenizer, Span range, std::vector<Edit>& edits, std::string& out) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::size_t copied = range.begin;
  for (const Edit& edit : edits) {
    if (edit.begin < copied) continue;  // overlapping edits are a bug; never duplicate bytes
    out += tokenizer.bytes({copied, edit.begin});
    out += edit.replacement;
    copied = edit.end;
  }
  out += tokenizer.bytes({copied, range.end});
}

// A tag or attribute name lower-cased on the stack (names that matter here are short; longer
// ones compare as empty and match nothing).
class LowerName {
 public:
  explicit LowerName(std::string_view name) {
    if (name.size() > sizeof(bytes_)) return;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      bytes_[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    size_ = name.size();
  }
  std::string_view view() const { return {bytes_, size_}; }

 private:
  char bytes_[24];
  std::size_t size_ = 0;
};

std::vector<std::string> comparable_urls(const std::vector<std::string>& urls) {
  std::vector<std::string> out;
  for (const std::string& url : urls) out.push_back(comparable_url(url));
  return out;
}

// True when the URL match shares a byte with an occurrence of the open-tracking placeholder.
bool overlaps_placeholder(std::string_view text, const UrlMatch& match,
                          std::string_view placeholder) {
  if (placeholder.empty()) return false;
  std::size_t from = match.begin >= placeholder.size() ? match.begin - placeholder.size() + 1 : 0;
  std::size_t at = text.find(placeholder, from);
  return at != std::string_view::npos && at < match.end;
}

bool is_link_element(std::string_view lower_name) {
  return lower_name == "a" || lower_name == "area" || lower_name == "v:roundrect" ||
         lower_name == "v:rect" || lower_name == "v:oval";
}

bool is_vml(std::string_view lower_name) {
  return lower_name.starts_with("v:");
}

// "[if mso]> ... <![endif]" inside "<!--" "-->": Outlook's copy of the content, which must be
// rewritten like the rest so the Outlook button and the HTML button report one link.
std::optional<Span> conditional_comment_content(const Tokenizer& tokenizer, const Token& token) {
  std::string_view body = tokenizer.bytes(token.body);
  if (!istarts_with_ascii(body, "[if ")) return std::nullopt;
  std::size_t open_end = body.find("]>");
  if (open_end == std::string_view::npos) return std::nullopt;
  std::size_t close = body.rfind("<![endif]");
  if (close == std::string_view::npos || close < open_end + 2) return std::nullopt;
  return Span{token.body.begin + open_end + 2, token.body.begin + close};
}

}  // namespace

class LinkRewriter::Impl {
 public:
  Impl(const RewriteOptions& options, std::optional<TrackingUrlBuilder> builder)
      : options_(options),
        builder_(std::move(builder)),
        unsubscribe_urls_(comparable_urls(options.unsubscribe_urls)),
        tokenizer_([this](const Token& token, const Tokenizer& tokenizer) {
          on_token(token, tokenizer, main_);
        }) {}

  void write(std::string_view chunk, std::string& out) {
    out_ = &out;
    tokenizer_.feed(chunk);
    // The chunk's bytes go away with release(): copy out and count lines up to there first.
    flush_deferred(tokenizer_, tokenizer_.consumed());
    line_at(tokenizer_, main_, tokenizer_.consumed());
    tokenizer_.release();
    total_input_ += chunk.size();
  }

  RewriteReport end(std::string& out) {
    out_ = &out;
    tokenizer_.end();
    flush_deferred(tokenizer_, tokenizer_.consumed());
    if (holding_after_body_) {
      release_held(true);  // no placeholder came after </body>: the pixel goes before it
    } else if (options_.open_pixel && !pixel_placed_) {
      out += pixel_markup();
      place_pixel(total_input_);
    }
    finish_anchor();  // an <a> the document never closed
    if (over_limit_ > 0) {
      add_warning("link_limit",
                  std::to_string(over_limit_) + " link(s) past the limit of " +
                      std::to_string(options_.max_links) + " are not tracked",
                  first_over_limit_offset_, first_over_limit_line_);
    }
    return std::move(report_);
  }

  // Plain-text body: URLs replaced in place, nothing else.
  void rewrite_plain_text(std::string_view text, std::string& out) {
    std::size_t copied = 0;
    std::size_t line = 1, line_offset = 0;
    for (const UrlMatch& match : find_urls(text)) {
      line += std::count(text.begin() + line_offset, text.begin() + match.begin, '\n');
      line_offset = match.begin;
      std::string url(text.substr(match.begin, match.end - match.begin));
      if (match.needs_scheme) url.insert(0, "http://");
      if (detail::classify_url(url).reason == LinkReason::invalid_url) continue;
      LinkState state = decide(url, "text", {}, false, false, match.begin, line, false);
      report_link(state, url, "text", {}, true, match.begin, line, false);
      std::string replacement =
          state.tracked_url.empty()
              ? (options_.mode == RewriteMode::ses ? state.decision.target : std::string())
              : state.tracked_url;
      if (replacement.empty()) continue;
      out += text.substr(copied, match.begin - copied);
      out += replacement;
      copied = match.end;
    }
    out += text.substr(copied);
    report_.pixel_inserted = false;
  }

  RewriteReport take_report() { return std::move(report_); }

 private:
  // Per tokenizer: the document, or the inside of one conditional comment.
  struct Context {
    bool conditional = false;
    bool in_anchor = false;
    std::size_t line_offset = 0;  // `line` is the line number at this offset
    std::size_t line = 1;
  };

  // What the open <a> has shown so far; decided into its report entry at </a>.
  struct AnchorContent {
    std::optional<std::size_t> link;  // the <a>'s entry in report_.links
    bool text = false;
    bool image = false;
    bool image_without_alt = false;
  };

  struct LinkState {
    int index = 0;
    detail::LinkDecision decision;
    std::string tracked_url;
  };

  // The line of `offset`, which must lie in the current token or after the last one asked for.
  std::size_t line_at(const Tokenizer& tokenizer, Context& context, std::size_t offset) {
    auto newlines = [&](Span span) {
      std::string_view bytes = tokenizer.bytes(span);
      return detail::count_byte(bytes.data(), bytes.data() + bytes.size(), '\n');
    };
    if (offset >= context.line_offset) {
      context.line += newlines({context.line_offset, offset});
    } else {
      context.line -= newlines({offset, context.line_offset});
    }
    context.line_offset = offset;
    return context.line;
  }

  // Where finished output goes: the caller's string, or the hold after </body>.
  std::string& output() { return holding_after_body_ ? held_ : *out_; }

  // In the main document outside the hold after </body>, a token without edits is not copied
  // on its own: unchanged bytes are copied in one piece when an edit comes or the chunk ends
  // (one copy per edit instead of one per token, the rewriter's largest cost on large emails).
  bool defers_copy(const Context& context) const {
    return &context == &main_ && !holding_after_body_;
  }

  // Writes the unchanged main-document bytes before `offset` to the caller's output.
  void flush_deferred(const Tokenizer& tokenizer, std::size_t offset) {
    if (offset <= written_) return;
    *out_ += tokenizer.bytes({written_, offset});
    written_ = offset;
  }

  // Ends the hold after </body>: the pixel goes at </body> when `with_pixel`.
  void release_held(bool with_pixel) {
    holding_after_body_ = false;
    if (with_pixel) {
      *out_ += pixel_markup();
      place_pixel(body_end_offset_);
    }
    *out_ += held_;
    held_.clear();
  }

  void on_token(const Token& token, const Tokenizer& tokenizer, Context& context) {
    // A placeholder after </body> is rare and the tail is usually tiny; past this size the pixel
    // goes before </body> so that memory stays bounded.
    if (holding_after_body_ && held_.size() > kMaxHeldTail) release_held(true);
    const bool main = &context == &main_;
    std::vector<Edit> edits;
    switch (token.kind) {
      case TokenKind::text:
        // Text in an Outlook-only comment is not what other clients show.
        if (anchor_.link && !context.conditional && !anchor_.text &&
            !shows_nothing(decode_entities(tokenizer.bytes(token.range), EntityContext::text))) {
          anchor_.text = true;
        }
        rewrite_text_token(token, tokenizer, context, edits);
        break;
      case TokenKind::start_tag:
      case TokenKind::end_tag: {
        LowerName lower(tokenizer.bytes(token.name));
        std::string_view name = lower.view();
        if (name == "a") {
          context.in_anchor = token.kind == TokenKind::start_tag;
          finish_anchor();
        }
        if (token.kind == TokenKind::start_tag && is_link_element(name)) {
          std::size_t reported = report_.links.size();
          std::size_t line = line_at(tokenizer, context, token.range.begin);
          rewrite_link_tag(token, tokenizer, context, name, line, edits);
          if (name == "a" && report_.links.size() > reported) anchor_ = {reported};
        } else if (token.kind == TokenKind::start_tag && name == "img" && anchor_.link) {
          anchor_.image = true;
          if (!has_alt_text(token, tokenizer)) anchor_.image_without_alt = true;
        } else if (token.kind == TokenKind::end_tag && name == "body" && !context.conditional &&
                   options_.open_pixel && !pixel_placed_ && !holding_after_body_) {
          // The pixel goes here unless a placeholder follows: hold the rest until we know.
          flush_deferred(tokenizer, token.range.begin);
          body_end_offset_ = token.range.begin;
          holding_after_body_ = true;
        } else if (token.kind == TokenKind::start_tag && name == "plaintext" &&
                   !context.conditional && options_.open_pixel && !pixel_placed_) {
          // After <plaintext> everything is shown as text: the pixel must come before it.
          if (holding_after_body_) {
            release_held(true);
          } else {
            edits.push_back({token.range.begin, token.range.begin, pixel_markup()});
            place_pixel(token.range.begin);
          }
        }
        break;
      }
      case TokenKind::comment:
        if (auto content = conditional_comment_content(tokenizer, token)) {
          if (main) flush_deferred(tokenizer, token.range.begin);
          output() += tokenizer.bytes({token.range.begin, content->begin});
          rewrite_fragment(tokenizer, *content, line_at(tokenizer, context, content->begin),
                           context.in_anchor);
          output() += tokenizer.bytes({content->end, token.range.end});
          if (main) written_ = token.range.end;
          return;
        }
        break;
      default:
        break;
    }
    if (edits.empty() && defers_copy(context)) return;
    if (main) flush_deferred(tokenizer, token.range.begin);
    splice(tokenizer, token.range, edits, output());
    if (main) written_ = token.range.end;
  }

  void rewrite_fragment(const Tokenizer& outer, Span content, std::size_t line, bool in_anchor) {
    Context inner;
    inner.conditional = true;
    inner.in_anchor = in_anchor;  // text inside a link stays text, even in Outlook's copy
    inner.line_offset = content.begin;
    inner.line = line;
    Tokenizer tokenizer(
        [this, &inner](const Token& token, const Tokenizer& t) { on_token(token, t, inner); },
        content.begin);
    tokenizer.feed(outer.bytes(content));  // the outer bytes outlive this tokenizer: no copy
    tokenizer.end();
  }

  void rewrite_text_token(const Token& token, const Tokenizer& tokenizer, Context& context,
                          std::vector<Edit>& edits) {
    std::string_view text = tokenizer.bytes(token.range);
    const std::string& placeholder = options_.open_tracker_placeholder;
    if (options_.open_pixel && !placeholder.empty()) {
      std::size_t at = text.find(placeholder);
      while (at != std::string_view::npos) {
        std::size_t offset = token.range.begin + at;
        if (!pixel_placed_) {
          if (options_.mode == RewriteMode::wrap) {
            edits.push_back({offset, offset + placeholder.size(), pixel_markup()});
          }
          if (holding_after_body_) release_held(false);
          place_pixel(offset);
        } else {
          add_warning("placeholder_repeated",
                      "the open-tracking placeholder appears more than once; only the first is "
                      "used",
                      offset, line_at(tokenizer, context, offset));
        }
        at = text.find(placeholder, at + placeholder.size());
      }
    }
    if (!options_.linkify || context.in_anchor) return;
    for (const UrlMatch& match : find_urls(text)) {
      std::string_view raw = text.substr(match.begin, match.end - match.begin);
      std::size_t offset = token.range.begin + match.begin;
      if (overlaps_placeholder(text, match, placeholder)) continue;  // never part of a link
      std::string url = decode_entities(raw, EntityContext::text);
      if (match.needs_scheme) url.insert(0, "http://");
      // A candidate that is no usable URL stays text: no index, no warning.
      if (detail::classify_url(url).reason == LinkReason::invalid_url) continue;
      std::size_t url_line = line_at(tokenizer, context, offset);
      LinkState state = decide(url, "a", {}, false, false, offset, url_line, context.conditional);
      report_link(state, url, "a", {}, true, offset, url_line, context.conditional);
      const std::string& href =
          state.tracked_url.empty() ? state.decision.target : state.tracked_url;
      std::string anchor = "<a href=\"" + escape_html(href) + "\"";
      anchor += ses_attributes(state, {}, false);
      anchor += ">";
      anchor += raw;
      anchor += "</a>";
      edits.push_back({offset, offset + raw.size(), std::move(anchor)});
    }
  }

  void rewrite_link_tag(const Token& token, const Tokenizer& tokenizer, Context& context,
                        std::string_view element, std::size_t line, std::vector<Edit>& edits) {
    const html::Attribute* href = nullptr;
    const html::Attribute* ses_tags = nullptr;  // the first one: the one parsers read
    std::vector<const html::Attribute*> all_ses_tags;
    bool no_track = false, unsubscribe = false, has_ses_no_track = false;
    std::vector<const html::Attribute*> markers;
    for (const html::Attribute& attribute : token.attributes) {
      LowerName lower(tokenizer.bytes(attribute.name));
      std::string_view name = lower.view();
      if (name == "href") {
        if (!href) href = &attribute;  // the first of duplicated attributes is the one used
      } else if (name == detail::kSesTagsAttribute) {
        if (!ses_tags) ses_tags = &attribute;
        all_ses_tags.push_back(&attribute);
        if (options_.mode == RewriteMode::wrap) markers.push_back(&attribute);
      } else if (detail::is_no_track_marker(name)) {
        no_track = true;
        if (name == detail::kSesNoTrackAttribute) has_ses_no_track = true;
        bool keep = options_.mode == RewriteMode::ses && name == detail::kSesNoTrackAttribute;
        if (!keep) markers.push_back(&attribute);
      } else if (detail::is_unsubscribe_marker(name)) {
        unsubscribe = true;
        markers.push_back(&attribute);
      }
    }
    for (const html::Attribute* marker : markers) {
      edits.push_back({marker->gap.begin, marker->whole.end, {}});
    }
    if (!href) return;

    Tags tags;
    if (ses_tags) {
      tags =
          parse_tags(decode_entities(tokenizer.bytes(ses_tags->value), EntityContext::attribute));
    }
    std::string url = decode_entities(tokenizer.bytes(href->value), EntityContext::attribute);
    LinkState state = decide(url, element, tags, no_track, unsubscribe, token.range.begin, line,
                             context.conditional);
    report_link(state, url, element, tags, false, token.range.begin, line, context.conditional);

    const std::string* new_href = nullptr;
    if (!state.tracked_url.empty()) {
      new_href = &state.tracked_url;
    } else if (options_.mode == RewriteMode::ses && !state.decision.target.empty() &&
               state.decision.target != url) {
      new_href = &state.decision.target;  // SES skips links that are not RFC 3986 conformant
    }
    if (new_href) {
      char quote = href->quote ? href->quote : '"';
      std::string value(1, quote);
      value += escape_html(*new_href);
      value += quote;
      std::size_t begin = href->quote ? href->value.begin - 1 : href->value.begin;
      std::size_t end = href->quote ? href->value.end + 1 : href->value.end;
      if (!href->has_value) begin = end = href->name.end, value.insert(0, "=");
      edits.push_back({begin, end, std::move(value)});
    }
    if (options_.mode == RewriteMode::ses) {
      std::string extra = ses_attributes(state, tags, has_ses_no_track);
      if (!extra.empty() && state.decision.reason == LinkReason::tracked) {
        for (const html::Attribute* old : all_ses_tags) {
          edits.push_back({old->gap.begin, old->whole.end, {}});  // replaced by the merged one
        }
      }
      if (!extra.empty()) edits.push_back({token.attributes_end, token.attributes_end, extra});
    }
  }

  // SES mode: ` ses:tags="..."` for links SES should track, ` ses:no-track` for the others.
  std::string ses_attributes(const LinkState& state, Tags tags, bool has_ses_no_track) {
    if (options_.mode != RewriteMode::ses) return {};
    LinkReason reason = state.decision.reason;
    if (reason == LinkReason::opted_out || reason == LinkReason::unsubscribe) {
      return has_ses_no_track ? std::string() : std::string(" ses:no-track");
    }
    if (reason != LinkReason::tracked) return {};
    auto has_key = [&](std::string_view key) {
      return std::any_of(tags.begin(), tags.end(),
                         [&](const auto& tag) { return tag.first == key; });
    };
    Tags merged;
    for (const auto& [key, value] : tags) {
      merged.emplace_back(detail::ses_tag_value(key), detail::ses_tag_value(value, 256));
    }
    if (!has_key("link")) merged.emplace_back("link", std::to_string(state.index));
    return " ses:tags=\"" + escape_html(format_tags(merged)) + "\"";
  }

  LinkState decide(const std::string& url, std::string_view element, const Tags& tags,
                   bool no_track, bool unsubscribe, std::size_t offset, std::size_t line,
                   bool conditional) {
    LinkState state;
    state.decision = detail::classify_url(url);
    LinkReason& reason = state.decision.reason;
    bool http = reason == LinkReason::tracked || reason == LinkReason::invalid_url;
    if (http && unsubscribe) reason = LinkReason::unsubscribe;
    if (reason == LinkReason::tracked && is_unsubscribe_url(state.decision.target)) {
      reason = LinkReason::unsubscribe;
    }
    if (http && no_track) reason = LinkReason::opted_out;
    if (reason == LinkReason::unsafe_scheme) {
      add_warning("unsafe_scheme",
                  "a " + url.substr(0, url.find(':') + 1) +
                      " link is never tracked and many mail clients block it",
                  offset, line);
    }
    if (reason == LinkReason::invalid_url && http) {
      add_warning("invalid_url", "not a usable http(s) URL, left as it is: " + url, offset, line);
    }
    if (reason == LinkReason::tracked && options_.mode == RewriteMode::wrap &&
        !options_.track_clicks) {
      reason = LinkReason::clicks_off;
    }

    // The Outlook (VML) and HTML copies of one button stand next to each other: one index.
    bool vml = is_vml(element);
    bool pairs = last_link_ && !last_link_->paired && last_link_->vml != vml &&
                 last_link_->url == url && last_link_->conditional != conditional;
    bool index_already_tracked = false;
    if (pairs) {
      state.index = last_link_->index;
      last_link_->paired = true;
      index_already_tracked = last_link_->tracked;
    } else {
      state.index = next_index_++;
      last_link_ = LastLink{state.index, url, vml, conditional, false, false};
    }
    // The limit counts link indexes, so both copies of a button count once.
    if (reason == LinkReason::tracked && !index_already_tracked) {
      if (tracked_indexes_ >= options_.max_links) {
        reason = LinkReason::over_limit;
        if (over_limit_++ == 0) {
          first_over_limit_offset_ = offset;
          first_over_limit_line_ = line;
        }
      } else {
        ++tracked_indexes_;
      }
    }
    if (reason == LinkReason::tracked) {
      last_link_->tracked = true;
      if (options_.mode == RewriteMode::wrap) {
        TrackingFields fields = options_.fields;
        fields.link_index = state.index;
        fields.tags.insert(fields.tags.end(), tags.begin(), tags.end());
        auto tracked = builder_->click_url(fields, state.decision.target);
        if (tracked) {
          state.tracked_url = std::move(tracked.value());
        } else {
          reason = LinkReason::invalid_url;
        }
      }
    }
    return state;
  }

  // Whitespace and the invisible characters emails pad with (&nbsp;, zero-width spaces and
  // joiners, word joiner, BOM, combining grapheme joiner): nothing a reader could click on.
  static bool shows_nothing(std::string_view text) {
    static constexpr std::string_view kInvisible[] = {
        "\xC2\xA0",     "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
        "\xE2\x81\xA0", "\xEF\xBB\xBF", "\xCD\x8F"};
    while (!text.empty()) {
      if (html::is_whitespace(text.front())) {
        text.remove_prefix(1);
        continue;
      }
      auto invisible = std::find_if(std::begin(kInvisible), std::end(kInvisible),
                                    [&](std::string_view c) { return text.starts_with(c); });
      if (invisible == std::end(kInvisible)) return false;
      text.remove_prefix(invisible->size());
    }
    return true;
  }

  static bool has_alt_text(const Token& token, const Tokenizer& tokenizer) {
    for (const html::Attribute& attribute : token.attributes) {
      if (LowerName(tokenizer.bytes(attribute.name)).view() == "alt") {
        return !shows_nothing(
            decode_entities(tokenizer.bytes(attribute.value), EntityContext::attribute));
      }
    }
    return false;
  }

  // Decides the content of the <a> that just ended; an image-only link without alt text is
  // reported, since with images off (or in a screen reader) it has nothing to click.
  void finish_anchor() {
    if (!anchor_.link) return;
    LinkReport& link = report_.links[*anchor_.link];
    link.content = anchor_.text                ? LinkContent::text
                   : anchor_.image_without_alt ? LinkContent::image_without_alt
                   : anchor_.image             ? LinkContent::image
                                               : LinkContent::empty;
    if (link.content == LinkContent::image_without_alt) {
      add_warning("image_without_alt",
                  "an image-only link has no alt text: with images off nothing shows where it goes",
                  link.offset, link.line);
    }
    anchor_ = {};
  }

  void report_link(const LinkState& state, const std::string& url, std::string_view element,
                   const Tags& tags, bool linkified, std::size_t offset, std::size_t line,
                   bool conditional) {
    LinkReport link;
    link.index = state.index;
    link.url = url;
    link.element = std::string(element);
    link.reason = state.decision.reason;
    link.tracked = link.reason == LinkReason::tracked;
    link.tags = tags;
    link.tracked_url = state.tracked_url;
    link.linkified = linkified;
    link.in_conditional_comment = conditional;
    link.offset = offset;
    link.line = line;
    report_.links.push_back(std::move(link));
    report_.tracked_links = tracked_indexes_;
  }

  bool is_unsubscribe_url(const std::string& target) const {
    std::string comparable = comparable_url(target);
    return std::any_of(unsubscribe_urls_.begin(), unsubscribe_urls_.end(),
                       [&](const std::string& url) { return url == comparable; });
  }

  std::string pixel_markup() {
    if (options_.mode == RewriteMode::ses) return "{{ses:openTracker}}";
    if (pixel_.empty()) {
      TrackingFields fields = options_.fields;
      fields.link_index = -1;
      pixel_ = "<img src=\"" + escape_html(builder_->pixel_url(fields)) +
               "\" width=\"1\" height=\"1\" alt=\"\" "
               "style=\"display:block;width:1px;height:1px;border:0;\" />";
    }
    return pixel_;
  }

  void place_pixel(std::size_t offset) {
    pixel_placed_ = true;
    report_.pixel_inserted = true;
    report_.pixel_offset = offset;
  }

  void add_warning(std::string code, std::string message, std::size_t offset, std::size_t line) {
    report_.warnings.push_back({std::move(code), std::move(message), offset, line});
  }

  struct LastLink {
    int index;
    std::string url;
    bool vml;
    bool conditional;
    bool paired;
    bool tracked;
  };

  static constexpr std::size_t kMaxHeldTail = 64 * 1024;

  RewriteOptions options_;
  std::optional<TrackingUrlBuilder> builder_;
  std::vector<std::string> unsubscribe_urls_;  // in comparable_url() form
  bool holding_after_body_ = false;
  std::string held_;
  std::size_t body_end_offset_ = 0;
  Context main_;
  Tokenizer tokenizer_;
  std::string* out_ = nullptr;
  std::size_t written_ = 0;  // main document bytes before this are in the output
  RewriteReport report_;
  std::string pixel_;
  bool pixel_placed_ = false;
  int next_index_ = 0;
  std::size_t tracked_indexes_ = 0;
  std::size_t over_limit_ = 0;
  std::size_t first_over_limit_offset_ = 0;
  std::size_t first_over_limit_line_ = 0;
  std::size_t total_input_ = 0;
  std::optional<LastLink> last_link_;
  AnchorContent anchor_;
};

namespace {

// Options that would make output depend on chunking or make signed tags ambiguous.
std::string options_problem(const RewriteOptions& options) {
  for (char c : options.open_tracker_placeholder) {
    if (html::is_whitespace(c)) {
      return "the open-tracking placeholder must not contain whitespace";
    }
  }
  for (const auto& [key, value] : options.fields.tags) {
    if (key.empty() || key.find_first_of(":;") != std::string::npos ||
        value.find(';') != std::string::npos) {
      return "tags need a non-empty key without ':' or ';' and a value without ';'";
    }
  }
  return {};
}

Result<std::optional<TrackingUrlBuilder>, RewriteError> make_builder(RewriteOptions& options) {
  if (std::string problem = options_problem(options); !problem.empty()) {
    return Error<RewriteError>{RewriteError::bad_options, problem};
  }
  if (options.mode == RewriteMode::ses) return std::optional<TrackingUrlBuilder>{};
  if (!options.recipient_address.empty()) {
    if (!options.sign) {
      return Error<RewriteError>{RewriteError::bad_options,
                                 "an unsigned preview cannot hash a recipient address (that needs "
                                 "the secret): pass recipientId instead"};
    }
    options.fields.recipient_id = recipient_id_for(options.recipient_address, options.key.secret);
  }
  auto builder = options.sign ? TrackingUrlBuilder::create(options.base_url, options.key)
                              : TrackingUrlBuilder::create_unsigned(options.base_url);
  if (!builder) return Error<RewriteError>{RewriteError::bad_options, builder.error().message};
  return std::optional<TrackingUrlBuilder>(std::move(builder.value()));
}

}  // namespace

LinkRewriter::LinkRewriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LinkRewriter::LinkRewriter(LinkRewriter&&) noexcept = default;
LinkRewriter& LinkRewriter::operator=(LinkRewriter&&) noexcept = default;
LinkRewriter::~LinkRewriter() = default;

Result<LinkRewriter, RewriteError> LinkRewriter::create(const RewriteOptions& options) {
  RewriteOptions copy = options;
  auto builder = make_builder(copy);
  if (!builder) return builder.error();
  return LinkRewriter(std::make_unique<Impl>(copy, std::move(builder.value())));
}

void LinkRewriter::write(std::string_view chunk, std::string& output) {
  impl_->write(chunk, output);
}

RewriteReport LinkRewriter::end(std::string& output) {
  return impl_->end(output);
}

Result<RewriteResult, RewriteError> rewrite_links(std::string_view html,
                                                  const RewriteOptions& options) {
  auto rewriter = LinkRewriter::create(options);
  if (!rewriter) return rewriter.error();
  RewriteResult result;
  result.output.reserve(html.size() + html.size() / 8 + 1024);
  rewriter.value().write(html, result.output);
  result.report = rewriter.value().end(result.output);
  return result;
}

Result<RewriteResult, RewriteError> rewrite_text(std::string_view text,
                                                 const RewriteOptions& options) {
  RewriteOptions copy = options;
  copy.open_pixel = false;
  auto builder = make_builder(copy);
  if (!builder) return builder.error();
  LinkRewriter::Impl impl(copy, std::move(builder.value()));
  RewriteResult result;
  impl.rewrite_plain_text(text, result.output);
  result.report = impl.take_report();
  return result;
}

}  // namespace clicktrail
