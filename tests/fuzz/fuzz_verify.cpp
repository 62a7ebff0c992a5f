// Fuzzes the tracking-URL verifier: arbitrary bytes must be refused without crashing, and a
// signed URL with one byte changed must never verify.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clicktrail/track.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const clicktrail::SigningKey keys[] = {{"k1", "fuzzing-secret-0123456789"}};
  static const clicktrail::TrackingUrlVerifier verifier(keys);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto result = verifier.verify(input, 1700000000);

  // Sign the input as a target and flip the byte chosen by the input's length.
  auto builder = clicktrail::TrackingUrlBuilder::create("https://t.example.com", keys[0]);
  clicktrail::TrackingFields fields;
  fields.message_id = std::string(input.substr(0, 16));
  auto url = builder.value().click_url(fields, input);
  if (!url) return 0;
  std::string signed_url = url.value();
  if (!verifier.verify(signed_url, 1700000000)) std::abort();
  std::size_t at = size % signed_url.size();
  signed_url[at] = static_cast<char>(signed_url[at] ^ 0x01);
  if (verifier.verify(signed_url, 1700000000)) std::abort();
  (void)result;
  return 0;
}
