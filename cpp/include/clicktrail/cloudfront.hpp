// Amazon CloudFront standard (legacy) access logs, streamed: feed decompressed bytes in chunks
// of any size with write(), call end() once, and receive one CloudFrontHit per record.
//
// Fields are located by the "#Fields:" header (names separated by spaces or tabs; a new header
// in the middle of the stream, as in concatenated files, replaces the layout). Without a
// header the documented 33-field layout is assumed; older 23- and 24-field files are its
// prefixes, so rows with fewer fields simply leave the later ones empty, and a trailing tab
// (an empty extra field) is accepted. "-" means empty. The user agent, referer, URI stem and
// cookie are percent-decoded in place, twice when CloudFront's own encoding was applied to an
// already-encoded value ("%2520" -> "%20" -> " "). Lines that cannot be read are counted and
// reported with their line number and a reason; parsing goes on. Memory is bounded by the
// longest line (and lines longer than `max_line_length` are rejected, not held).
//
// gzip: the parser takes decompressed bytes. Feed .gz files through zlib (native),
// zlib.createGunzip() (Node) or DecompressionStream("gzip") (browsers, Workers); a stream that
// starts with the gzip magic bytes is rejected with reason "gzip_input".
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail {

// The fields clicktrail reads, by their names in the "#Fields:" header. Real-time log names
// (cs-user-agent, cs-referer, cs-host, cs-cookie, timestamp) and RTMP names (c-user-agent,
// c-referrer, x-event) map to the same slots.
enum class CloudFrontField : std::uint8_t {
  date,
  time,
  timestamp,  // real-time logs: seconds since the epoch with a fraction
  edge_location,
  sc_bytes,
  client_ip,
  method,
  host,
  uri_stem,
  status,
  referer,
  user_agent,
  uri_query,
  cookie,
  edge_result_type,
  request_id,
  host_header,
  protocol,
  cs_bytes,
  time_taken,
  forwarded_for,
  ssl_protocol,
  ssl_cipher,
  edge_response_result_type,
  protocol_version,
  fle_status,
  fle_encrypted_fields,
  client_port,
  time_to_first_byte,
  edge_detailed_result_type,
  content_type,
  content_length,
  range_start,
  range_end,
  event,  // RTMP: connect, play, stop, ...
  count_
};
inline constexpr std::size_t kCloudFrontFieldCount =
    static_cast<std::size_t>(CloudFrontField::count_);

// One record. Views point into the parser's line buffer and are valid during the callback only.
struct CloudFrontHit {
  std::size_t line = 0;       // 1-based line number in the stream
  std::int64_t epoch_ms = 0;  // date + time (or timestamp), UTC
  std::int64_t day = 0;       // days since 1970-01-01
  std::string_view date;      // "YYYY-MM-DD"
  int status = 0;             // 0 when absent
  bool client_ipv6 = false;
  // Every known field ("" for absent or "-"); decoded as described above.
  std::array<std::string_view, kCloudFrontFieldCount> fields{};

  std::string_view get(CloudFrontField field) const {
    return fields[static_cast<std::size_t>(field)];
  }
  std::string_view client_ip() const { return get(CloudFrontField::client_ip); }
  std::string_view method() const { return get(CloudFrontField::method); }
  std::string_view uri_stem() const { return get(CloudFrontField::uri_stem); }
  std::string_view uri_query() const { return get(CloudFrontField::uri_query); }  // raw
  std::string_view user_agent() const { return get(CloudFrontField::user_agent); }
  std::string_view forwarded_for() const { return get(CloudFrontField::forwarded_for); }
};

// The addresses in an x-forwarded-for value ("192.0.2.1, 2001:db8::1"), in order, trimmed;
// entries that are not IP addresses are left out.
[[nodiscard]] std::vector<std::string_view> split_forwarded_for(std::string_view value);

// The value of query parameter `name` in a raw query string, percent-decoded (twice when
// double-encoded); "" when absent. `scratch` holds the decoded bytes.
[[nodiscard]] std::string_view query_parameter(std::string_view query, std::string_view name,
                                               std::string& scratch);
// The same for several names in one pass: values[i] for names[i] (at most 64 names), with
// scratch[i] holding its decoded bytes. All three spans have the same length.
void query_parameters(std::string_view query, std::span<const std::string_view> names,
                      std::span<std::string_view> values, std::span<std::string> scratch);

struct CloudFrontLineError {
  std::size_t line = 0;
  std::string_view reason;  // "bad_date", "bad_time", "bad_status", "bad_client_ip", ...
  std::string excerpt;      // the first bytes of the line, for the report
};

struct CloudFrontStats {
  std::size_t lines = 0;     // every line seen, including headers and blank lines
  std::size_t accepted = 0;  // records delivered
  std::size_t rejected = 0;  // records refused (see errors)
  std::size_t skipped = 0;   // headers, comments and blank lines
  std::uint64_t bytes = 0;   // bytes written
  // lines == accepted + rejected + skipped, always.
};

struct CloudFrontParseOptions {
  std::size_t max_line_length = 1 << 20;  // longer lines are rejected ("line_too_long")
  std::size_t max_reported_errors = 100;  // all are counted; only this many are kept
};

class CloudFrontLogParser {
 public:
  using Sink = std::function<void(const CloudFrontHit&)>;

  explicit CloudFrontLogParser(Sink sink, CloudFrontParseOptions options = {});

  // Feeds more bytes; every complete line is parsed and delivered before it returns.
  void write(std::string_view chunk);
  // Parses a last line without a newline. Further writes start a new stream's line count.
  void end();

  const CloudFrontStats& stats() const { return stats_; }
  const std::vector<CloudFrontLineError>& errors() const { return errors_; }
  // The layout in use: one slot per column (count_ for columns clicktrail does not read).
  const std::vector<CloudFrontField>& layout() const { return layout_; }
  // {"lines":..,"accepted":..,"rejected":..,"skipped":..,"bytes":..,"errors":[{"line":..,
  //  "reason":"..","excerpt":".."}]}
  [[nodiscard]] std::string report_json() const;

 private:
  void parse_line(std::string_view line);
  void parse_header(std::string_view line);
  void reject(std::string_view reason, std::string_view line);

  Sink sink_;
  CloudFrontParseOptions options_;
  CloudFrontStats stats_;
  std::vector<CloudFrontLineError> errors_;
  std::vector<CloudFrontField> layout_;
  std::string pending_;  // an unfinished line carried between writes
  std::string line_;     // a line assembled from pieces of two or more writes
  // Copies of the values that needed percent-decoding (user agent, referer, URI stem, cookie):
  // the line itself is parsed where it lies, not copied.
  std::array<std::string, 4> decoded_;
  bool overlong_ = false;  // discarding the rest of an over-long line
  CloudFrontHit hit_;
  char date_text_[11] = {};
};

// One hit as a compact JSON object: line, epochMs, date, status (when present), then every
// non-empty field under its standard log name ("c-ip", "cs-uri-stem", "cs(User-Agent)", ...;
// real-time logs' "timestamp" and RTMP's "x-event" under those names), decoded as above.
[[nodiscard]] std::string cloudfront_hit_to_json(const CloudFrontHit& hit);

}  // namespace clicktrail
