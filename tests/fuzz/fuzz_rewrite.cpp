// Fuzzes the HTML rewriter: it must never crash, and its output must not depend on how the
// input is split into chunks. The first input byte chooses the split and the options.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clicktrail/rewrite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  std::string_view html(reinterpret_cast<const char*>(data + 1), size - 1);

  clicktrail::RewriteOptions options;
  options.base_url = "https://t.example.com";
  options.key = {"k1", "fuzzing-secret-0123456789"};
  options.fields.message_id = "m";
  options.mode = (control & 1) ? clicktrail::RewriteMode::ses : clicktrail::RewriteMode::wrap;
  options.linkify = (control & 2) != 0;
  options.max_links = (control & 4) ? 2 : 250;

  auto whole = clicktrail::rewrite_links(html, options);
  if (!whole) std::abort();

  auto rewriter = clicktrail::LinkRewriter::create(options);
  std::string chunked;
  std::size_t step = 1 + (control >> 3);
  for (std::size_t i = 0; i < html.size(); i += step) {
    rewriter.value().write(html.substr(i, step), chunked);
  }
  auto report = rewriter.value().end(chunked);
  if (chunked != whole.value().output) std::abort();
  if (report.links.size() != whole.value().report.links.size()) std::abort();
  return 0;
}
