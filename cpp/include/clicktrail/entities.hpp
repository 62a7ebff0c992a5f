// HTML character references (WHATWG "character reference state"), decoded the way a browser does.
#pragma once
#include <string>
#include <string_view>

namespace clicktrail {

// Where the reference stands changes the rules: in an attribute value a legacy reference
// without ';' followed by an alphanumeric or '=' is left as written ("?a=1&copy=2").
enum class EntityContext { text, attribute };

// Decodes every character reference in `raw` to UTF-8; bytes that are not part of a valid
// reference are copied unchanged. Never fails.
[[nodiscard]] std::string decode_entities(std::string_view raw, EntityContext context);

// Escapes &, <, >, " and ' so `text` can stand inside a quoted attribute value or text.
[[nodiscard]] std::string escape_html(std::string_view text);

}  // namespace clicktrail
