// Internal: shared by ses_event.cpp (one SES record object -> normalised records) and
// ses_batch.cpp (scanner, envelopes, batches).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clicktrail/ses.hpp"
#include "json_reader.hpp"
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

// Buffers extract_ses_records reuses from one record to the next (one set per batch).
struct SesScratch {
  std::vector<std::pair<std::string_view, JsonValue>> destination;  // (address, absent)
  std::vector<std::pair<std::string_view, JsonValue>> recipients;   // address, entry (or absent)
  std::vector<std::pair<JsonMember, std::size_t>> members;          // tags, sorted by key
};

// `record` is an object with eventType or notificationType. Appends one SesRecord per affected
// recipient to `out` (nothing on rejection) or reports inbound mail. `reason` is set on rejection;
// `inbound_message_id` on inbound.
SesExtract extract_ses_records(JsonValue record, const SesOrigin& origin,
                               std::vector<SesRecord>& out, std::string& reason,
                               std::string& inbound_message_id, SesScratch& scratch);

void write_ses_record(JsonWriter& out, const SesRecord& record);

}  // namespace clicktrail::detail
