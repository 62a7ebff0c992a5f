// Internal: shared by ses_event.cpp (one SES record object -> normalised records) and
// ses_batch.cpp (scanner, envelopes, batches).
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clicktrail/ses.hpp"
#include "json_writer.hpp"

namespace clicktrail::detail {

struct SesOrigin {
  SesEnvelope envelope = SesEnvelope::bare;
  std::string sns_message_id;
  std::size_t input_index = 0;
  std::size_t line = 1;
  std::size_t offset = 0;
};

enum class SesExtract { records, inbound, rejected };

// `record` is an object with eventType or notificationType. Appends one SesRecord per affected
// recipient to `out` (nothing on rejection) or reports inbound mail. `reason` is set on rejection;
// `inbound_message_id` on inbound.
SesExtract extract_ses_records(const nlohmann::json& record, const SesOrigin& origin,
                               std::vector<SesRecord>& out, std::string& reason,
                               std::string& inbound_message_id);

void write_ses_record(JsonWriter& out, const SesRecord& record);

}  // namespace clicktrail::detail
