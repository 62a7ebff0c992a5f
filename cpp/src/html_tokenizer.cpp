#include "clicktrail/html_tokenizer.hpp"

#include <array>
#include <cstring>

#include "byte_search.hpp"

namespace clicktrail::html {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

bool is_alpha(char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Elements whose content is not markup (WHATWG "raw text" and "RCDATA" elements; noscript is
// parsed as markup because mail clients do not run scripts).
constexpr std::array<std::string_view, 8> kRawTextElements = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"};

}  // namespace

Tokenizer::Tokenizer(Sink sink, std::size_t base_offset)
    : sink_(std::move(sink)),
      buffer_start_(base_offset),
      token_start_(base_offset),
      pos_(base_offset),
      scan_(base_offset) {}

bool Tokenizer::name_is(Span span, std::string_view name) const {
  if (span.size() != name.size()) return false;
  std::string_view text = bytes(span);
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (lower(text[i]) != name[i]) return false;
  }
  return true;
}

std::size_t Tokenizer::find_byte(char byte, std::size_t from) const {
  if (from >= limit()) return npos;
  const char* begin = data_ + (from - buffer_start_);
  const char* hit = detail::find_byte(begin, data_ + size_, byte);
  return hit ? from + static_cast<std::size_t>(hit - begin) : npos;
}

void Tokenizer::write(std::string_view chunk) {
  feed(chunk);
  release();
}

void Tokenizer::feed(std::string_view chunk) {
  if (buffer_.empty()) {
    data_ = chunk.data();
    size_ = chunk.size();
  } else {
    buffer_.append(chunk);
    data_ = buffer_.data();
    size_ = buffer_.size();
  }
  run(false);
}

void Tokenizer::release() {
  std::size_t consumed = token_start_ - buffer_start_;
  if (data_ != buffer_.data()) {  // borrowed: keep a copy of the undelivered tail only
    buffer_.assign(data_ + consumed, size_ - consumed);
    buffer_start_ = token_start_;
  } else if (consumed >= 4096 && consumed * 2 >= buffer_.size()) {
    // Erase in large steps only, so feeding one byte at a time stays linear.
    buffer_.erase(0, consumed);
    buffer_start_ = token_start_;
  }
  data_ = buffer_.data();
  size_ = buffer_.size();
}

void Tokenizer::end() {
  run(true);  // on the held bytes, or on the chunk still borrowed from a feed() without release()
}

void Tokenizer::emit(TokenKind kind, std::size_t end) {
  if (kind == TokenKind::start_tag || kind == TokenKind::end_tag) {
    token_.kind = kind;
    token_.range = {token_start_, end};
    sink_(token_, *this);
  } else {
    Token token;
    token.kind = kind;
    token.range = {token_start_, end};
    if (kind == TokenKind::comment || kind == TokenKind::cdata) token.body = token_.body;
    sink_(token, *this);
  }
  token_start_ = end;
  if (pos_ < end) pos_ = end;
  state_ = State::data;
}

void Tokenizer::emit_tag(std::size_t end) {
  bool is_start = !in_end_tag_;
  emit(is_start ? TokenKind::start_tag : TokenKind::end_tag, end);
  bool foreign = name_is(token_.name, "svg") || name_is(token_.name, "math");
  if (foreign) {
    if (is_start && !token_.self_closing) ++foreign_depth_;
    if (!is_start && foreign_depth_ > 0) --foreign_depth_;
  } else if (foreign_depth_ > 0 && ends_foreign_content(is_start)) {
    foreign_depth_ = 0;
  }
  if (!is_start || foreign_depth_ > 0) return;
  if (name_is(token_.name, "plaintext")) {
    state_ = State::plain_text;
    return;
  }
  for (std::string_view raw : kRawTextElements) {
    if (name_is(token_.name, raw)) {
      raw_text_end_ = raw;
      state_ = State::raw_text;
      scan_ = end;
      return;
    }
  }
}

void Tokenizer::reset_tag() {
  // Keeps the attribute vector's capacity: no allocation per tag once warmed up.
  std::vector<Attribute> attributes = std::move(token_.attributes);
  attributes.clear();
  token_ = Token{};
  token_.attributes = std::move(attributes);
}

// WHATWG "in foreign content": these HTML elements (and </br>, </p>) make the parser leave an
// unclosed <svg> or <math>, after which raw text and CDATA rules are HTML's again.
bool Tokenizer::ends_foreign_content(bool is_start) const {
  static constexpr std::array<std::string_view, 44> kBreakout = {
      "b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
      "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
      "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
      "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
      "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var"};
  if (!is_start) return name_is(token_.name, "br") || name_is(token_.name, "p");
  for (std::string_view name : kBreakout) {
    if (name_is(token_.name, name)) return true;
  }
  if (name_is(token_.name, "font")) {
    for (const Attribute& attribute : token_.attributes) {
      if (name_is(attribute.name, "color") || name_is(attribute.name, "face") ||
          name_is(attribute.name, "size")) {
        return true;
      }
    }
  }
  return false;
}

void Tokenizer::begin_attribute(std::size_t at) {
  Attribute attribute;
  attribute.gap = {token_.attributes_end, at};
  attribute.name = {at, at};
  attribute.whole = {at, at};
  token_.attributes.push_back(attribute);
}

void Tokenizer::run(bool at_end) {
  const std::size_t end = limit();
  // Called when the input runs out inside markup: wait for more, or pass the rest through.
  auto out_of_input = [&](TokenKind kind) {
    if (at_end && token_start_ < end) emit(kind, end);
    return !at_end || token_start_ >= end;
  };
  auto skip_spaces = [&] {
    while (pos_ < end && is_whitespace(at(pos_))) ++pos_;
  };

  for (;;) {
    if (at_end && token_start_ >= end) return;
    switch (state_) {
      case State::data: {
        std::size_t lt = find_byte('<', pos_);
        if (lt == npos) {
          pos_ = end;
          if (at_end) {
            emit(TokenKind::text, end);
            return;
          }
          // Remember the last whitespace seen, so each byte is looked at once however the
          // input is split.
          if (space_scan_ < token_start_) space_scan_ = token_start_;
          for (; space_scan_ < end; ++space_scan_) {
            if (is_whitespace(at(space_scan_))) last_space_ = space_scan_;
          }
          if (end - token_start_ > kMaxHeldText && last_space_ >= token_start_ &&
              last_space_ != npos) {
            emit(TokenKind::text, last_space_ + 1);
            pos_ = end;
          }
          return;
        }
        if (lt > token_start_) emit(TokenKind::text, lt);
        pos_ = lt + 1;
        state_ = State::tag_open;
        break;
      }
      case State::tag_open: {
        if (pos_ >= end) {
          if (out_of_input(TokenKind::text)) return;
          break;
        }
        char c = at(pos_);
        if (c == '!') {
          ++pos_;
          state_ = State::markup_declaration;
        } else if (c == '/') {
          ++pos_;
          state_ = State::end_tag_open;
        } else if (is_alpha(c)) {
          reset_tag();
          token_.name = {pos_, pos_};
          in_end_tag_ = false;
          state_ = State::tag_name;
        } else if (c == '?') {
          token_.body = {pos_, pos_};
          state_ = State::bogus_comment;
        } else {
          state_ = State::data;  // a lone '<' is text; the text token starts at it
        }
        break;
      }
      case State::end_tag_open: {
        if (pos_ >= end) {
          if (out_of_input(TokenKind::text)) return;
          break;
        }
        char c = at(pos_);
        if (is_alpha(c)) {
          reset_tag();
          token_.name = {pos_, pos_};
          in_end_tag_ = true;
          state_ = State::tag_name;
        } else if (c == '>') {
          token_.body = {pos_, pos_};
          emit(TokenKind::comment, pos_ + 1);  // "</>" is dropped by browsers; keep its bytes
        } else {
          token_.body = {pos_, pos_};
          state_ = State::bogus_comment;
        }
        break;
      }
      case State::tag_name: {
        while (pos_ < end && !is_whitespace(at(pos_)) && at(pos_) != '/' && at(pos_) != '>') ++pos_;
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        token_.name.end = pos_;
        token_.attributes_end = pos_;
        char c = at(pos_);
        if (c == '/') {
          ++pos_;
          state_ = State::self_closing;
        } else if (c == '>') {
          emit_tag(pos_ + 1);
        } else {
          state_ = State::before_attribute_name;
        }
        break;
      }
      case State::before_attribute_name:
      case State::after_attribute_name: {
        skip_spaces();
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        char c = at(pos_);
        if (c == '/') {
          ++pos_;
          state_ = State::self_closing;
        } else if (c == '>') {
          emit_tag(pos_ + 1);
        } else if (c == '=' && state_ == State::after_attribute_name) {
          ++pos_;
          state_ = State::before_attribute_value;
        } else {
          begin_attribute(pos_);
          if (c == '=') ++pos_;  // "<a =x>": a leading '=' belongs to the attribute name
          state_ = State::attribute_name;
        }
        break;
      }
      case State::attribute_name: {
        while (pos_ < end) {
          char c = at(pos_);
          if (is_whitespace(c) || c == '/' || c == '>' || c == '=') break;
          ++pos_;
        }
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        Attribute& attribute = token_.attributes.back();
        attribute.name.end = attribute.whole.end = token_.attributes_end = pos_;
        if (at(pos_) == '=') {
          ++pos_;
          state_ = State::before_attribute_value;
        } else {
          state_ = State::after_attribute_name;
        }
        break;
      }
      case State::before_attribute_value: {
        skip_spaces();
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        Attribute& attribute = token_.attributes.back();
        attribute.has_value = true;
        char c = at(pos_);
        if (c == '"' || c == '\'') {
          attribute.quote = c;
          ++pos_;
          attribute.value = {pos_, pos_};
          state_ = c == '"' ? State::attribute_value_double : State::attribute_value_single;
        } else if (c == '>') {
          attribute.value = {pos_, pos_};
          attribute.whole.end = token_.attributes_end = pos_;  // "name=" ends here
          emit_tag(pos_ + 1);
        } else {
          attribute.value = {pos_, pos_};
          state_ = State::attribute_value_unquoted;
        }
        break;
      }
      case State::attribute_value_double:
      case State::attribute_value_single: {
        char quote = state_ == State::attribute_value_double ? '"' : '\'';
        std::size_t close = find_byte(quote, pos_);
        if (close == npos) {
          pos_ = end;
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        Attribute& attribute = token_.attributes.back();
        attribute.value.end = close;
        attribute.whole.end = token_.attributes_end = close + 1;
        pos_ = close + 1;
        state_ = State::after_attribute_value_quoted;
        break;
      }
      case State::attribute_value_unquoted: {
        while (pos_ < end && !is_whitespace(at(pos_)) && at(pos_) != '>') ++pos_;
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        Attribute& attribute = token_.attributes.back();
        attribute.value.end = attribute.whole.end = token_.attributes_end = pos_;
        if (at(pos_) == '>') {
          emit_tag(pos_ + 1);
        } else {
          state_ = State::before_attribute_name;
        }
        break;
      }
      case State::after_attribute_value_quoted:
      case State::self_closing: {
        if (pos_ >= end) {
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        char c = at(pos_);
        if (c == '>') {
          if (state_ == State::self_closing) token_.self_closing = true;
          emit_tag(pos_ + 1);
        } else if (c == '/' && state_ == State::after_attribute_value_quoted) {
          ++pos_;
          state_ = State::self_closing;
        } else {
          state_ = State::before_attribute_name;  // reconsume
        }
        break;
      }
      case State::markup_declaration: {
        constexpr std::string_view kDoctype = "doctype";
        constexpr std::string_view kCdata = "[CDATA[";
        std::size_t available = end - pos_;
        auto matches = [&](std::string_view word, bool fold_case) {
          std::size_t n = std::min(available, word.size());
          for (std::size_t i = 0; i < n; ++i) {
            char c = fold_case ? lower(at(pos_ + i)) : at(pos_ + i);
            if (c != word[i]) return false;
          }
          return true;  // true for a prefix when input ran out
        };
        bool dash = matches("--", false), doctype = matches(kDoctype, true),
             cdata = matches(kCdata, false);
        if (dash && available >= 2) {
          pos_ += 2;
          token_.body = {pos_, pos_};
          state_ = State::comment_start;
        } else if (doctype && available >= kDoctype.size()) {
          pos_ += kDoctype.size();
          state_ = State::doctype;
        } else if (cdata && available >= kCdata.size() && foreign_depth_ > 0) {
          pos_ += kCdata.size();
          token_.body = {pos_, pos_};
          scan_ = pos_;
          state_ = State::cdata;
        } else if ((dash || doctype || cdata) && !at_end &&
                   available < std::max(kDoctype.size(), kCdata.size())) {
          return;  // could still become one of them
        } else {
          token_.body = {pos_, pos_};
          state_ = State::bogus_comment;
        }
        break;
      }
      case State::comment_start: {
        // "<!-->" and "<!--->" are complete (empty) comments.
        if (pos_ < end && at(pos_) == '>') {
          emit(TokenKind::comment, pos_ + 1);
          break;
        }
        if (pos_ + 1 < end && at(pos_) == '-' && at(pos_ + 1) == '>') {
          emit(TokenKind::comment, pos_ + 2);
          break;
        }
        if (pos_ >= end || (pos_ + 1 >= end && at(pos_) == '-')) {
          if (!at_end) return;
        }
        scan_ = pos_;
        state_ = State::comment;
        break;
      }
      case State::comment: {
        // Ends at "-->" or "--!>", with any number of extra dashes before the '>'.
        bool done = false;
        while (!done) {
          std::size_t dash = find_byte('-', scan_);
          if (dash == npos) {
            scan_ = end;
            break;
          }
          if (dash + 1 >= end) {
            scan_ = dash;
            break;
          }
          if (at(dash + 1) != '-') {
            scan_ = dash + 1;
            continue;
          }
          std::size_t after = dash + 2;
          while (after < end && at(after) == '-') ++after;
          std::size_t need = after < end && at(after) == '!' ? after + 1 : after;
          if (need >= end) {
            scan_ = dash;
            break;
          }
          if (at(after) == '>' || (at(after) == '!' && at(after + 1) == '>')) {
            token_.body.end = after - 2;
            emit(TokenKind::comment, at(after) == '>' ? after + 1 : after + 2);
            done = true;
          } else {
            scan_ = after;
          }
        }
        if (!done && out_of_input(TokenKind::incomplete)) return;
        break;
      }
      case State::bogus_comment:
      case State::doctype: {
        std::size_t close = find_byte('>', pos_);
        if (close == npos) {
          pos_ = end;
          if (out_of_input(TokenKind::incomplete)) return;
          break;
        }
        if (state_ == State::bogus_comment) {
          token_.body.end = close;
          emit(TokenKind::comment, close + 1);
        } else {
          emit(TokenKind::doctype, close + 1);
        }
        break;
      }
      case State::cdata: {
        bool done = false;
        while (!done) {
          std::size_t bracket = find_byte(']', scan_);
          if (bracket == npos) {
            scan_ = end;
            break;
          }
          if (bracket + 2 >= end) {
            scan_ = bracket;
            break;
          }
          if (at(bracket + 1) == ']' && at(bracket + 2) == '>') {
            token_.body.end = bracket;
            emit(TokenKind::cdata, bracket + 3);
            done = true;
          } else {
            scan_ = bracket + 1;
          }
        }
        if (!done && out_of_input(TokenKind::incomplete)) return;
        break;
      }
      case State::raw_text: {
        // Ends at "</name" followed by whitespace, '/' or '>' (ASCII case-insensitive).
        bool done = false;
        const std::size_t name_size = raw_text_end_.size();
        while (!done) {
          std::size_t lt = find_byte('<', scan_);
          if (lt == npos) {
            scan_ = end;
            break;
          }
          if (lt + 2 + name_size >= end) {
            scan_ = lt;
            break;
          }
          bool closes = at(lt + 1) == '/' && name_is({lt + 2, lt + 2 + name_size}, raw_text_end_);
          char next = at(lt + 2 + name_size);
          if (closes && (is_whitespace(next) || next == '/' || next == '>')) {
            if (lt > token_start_) emit(TokenKind::raw_text, lt);
            reset_tag();
            token_start_ = lt;
            pos_ = lt + 2;
            token_.name = {pos_, pos_};
            in_end_tag_ = true;
            state_ = State::tag_name;
            done = true;
          } else {
            scan_ = lt + 1;
          }
        }
        if (done) break;
        if (at_end) {
          emit(TokenKind::raw_text, end);
          return;
        }
        // Nothing before scan_ can start the end tag: deliver it so memory stays bounded.
        if (scan_ - token_start_ > kMaxHeldText) {
          std::size_t cut = scan_;
          emit(TokenKind::raw_text, cut);
          state_ = State::raw_text;
          scan_ = cut;
        }
        return;
      }
      case State::plain_text: {
        if (end > token_start_) emit(TokenKind::raw_text, end);
        state_ = State::plain_text;
        return;
      }
    }
  }
}

}  // namespace clicktrail::html
