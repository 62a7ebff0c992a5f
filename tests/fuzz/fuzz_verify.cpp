// Fuzzes the tracking-URL verifier. Arbitrary bytes (seeded with valid URLs) must never crash it,
// and whatever verifies must be exactly what the signer would have produced for the decoded
// fields, with a safe target; a signed URL with one byte changed must never verify.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clicktrail/track.hpp"
#include "clicktrail/url.hpp"

namespace {

const clicktrail::SigningKey kKeys[] = {{"k1", "fuzzing-secret-0123456789"}};
constexpr std::int64_t kNow = 1700000000;

std::string_view signature_of(std::string_view url) {
  std::size_t at = url.rfind("sig=");
  return at == std::string_view::npos ? std::string_view() : url.substr(at + 4, 43);
}

// A URL that verifies must carry the signature the signer gives its decoded fields.
void check_verified(std::string_view input, const clicktrail::VerifiedUrl& verified) {
  std::string_view endpoint = verified.endpoint == clicktrail::Endpoint::click ? "/c?" : "/pxl.png?";
  std::size_t base_end = input.find(endpoint);
  if (base_end == std::string_view::npos) std::abort();
  auto builder = clicktrail::TrackingUrlBuilder::create(input.substr(0, base_end), kKeys[0]);
  if (!builder) std::abort();
  std::string rebuilt;
  if (verified.endpoint == clicktrail::Endpoint::click) {
    if (clicktrail::check_redirect_target(verified.target) != clicktrail::TargetProblem::none) {
      std::abort();
    }
    auto url = builder.value().click_url(verified.fields, verified.target);
    if (!url) std::abort();
    rebuilt = url.value();
  } else {
    rebuilt = builder.value().pixel_url(verified.fields);
  }
  if (signature_of(rebuilt) != signature_of(input)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const clicktrail::TrackingUrlVerifier verifier(kKeys);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto result = verifier.verify(input, kNow);
  if (result) check_verified(input, result.value());

  // Sign the input as a target and flip the byte chosen by the input's length.
  auto builder = clicktrail::TrackingUrlBuilder::create("https://t.example.com", kKeys[0]);
  clicktrail::TrackingFields fields;
  fields.message_id = std::string(input.substr(0, 16));
  auto url = builder.value().click_url(fields, input);
  if (!url) return 0;
  std::string signed_url = url.value();
  if (!verifier.verify(signed_url, kNow)) std::abort();
  std::size_t at = size % signed_url.size();
  signed_url[at] = static_cast<char>(signed_url[at] ^ 0x01);
  if (verifier.verify(signed_url, kNow)) std::abort();
  return 0;
}
