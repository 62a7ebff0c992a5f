// Fuzzes the SES batch parser: any bytes must come back as counted records (accepted + rejected
// == seen) without crashing, and every output function must run on the result.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clicktrail/ses.hpp"
#include "clicktrail/ses_analysis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  clicktrail::SesBatch batch = clicktrail::parse_ses_events(input);
  if (batch.accepted + batch.rejected != batch.seen) std::abort();
  if (batch.rejections.size() != batch.rejected) std::abort();
  for (const auto& r : batch.rejections) {
    if (r.offset > size || r.reason.empty()) std::abort();
  }
  (void)clicktrail::ses_batch_to_json(batch);
  (void)clicktrail::suppression_list_to_json(
      clicktrail::build_suppression_list(batch.records, {2, 3}));
  (void)clicktrail::reputation_to_json(clicktrail::reputation(batch.records));
  (void)clicktrail::engagement_to_json(clicktrail::engagement(batch.records));
  clicktrail::SesBatch single = clicktrail::parse_ses_event(input);
  if (single.accepted + single.rejected != single.seen) std::abort();
  return 0;
}
