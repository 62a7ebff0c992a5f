#include <algorithm>
#include <array>
#include <cstring>

#include "byte_search.hpp"
#include "civil_time.hpp"
#include "clicktrail/cloudfront.hpp"
#include "clicktrail/url.hpp"
#include "json_writer.hpp"

namespace clicktrail {
namespace {

using Field = CloudFrontField;

struct FieldName {
  std::string_view name;
  Field field;
};

// Header names, standard logs first, then real-time and RTMP spellings of the same field.
constexpr std::array<FieldName, 44> kFieldNames = {{
    {"date", Field::date},
    {"time", Field::time},
    {"x-edge-location", Field::edge_location},
    {"sc-bytes", Field::sc_bytes},
    {"c-ip", Field::client_ip},
    {"cs-method", Field::method},
    {"cs(Host)", Field::host},
    {"cs-uri-stem", Field::uri_stem},
    {"sc-status", Field::status},
    {"cs(Referer)", Field::referer},
    {"cs(User-Agent)", Field::user_agent},
    {"cs-uri-query", Field::uri_query},
    {"cs(Cookie)", Field::cookie},
    {"x-edge-result-type", Field::edge_result_type},
    {"x-edge-request-id", Field::request_id},
    {"x-host-header", Field::host_header},
    {"cs-protocol", Field::protocol},
    {"cs-bytes", Field::cs_bytes},
    {"time-taken", Field::time_taken},
    {"x-forwarded-for", Field::forwarded_for},
    {"ssl-protocol", Field::ssl_protocol},
    {"ssl-cipher", Field::ssl_cipher},
    {"x-edge-response-result-type", Field::edge_response_result_type},
    {"cs-protocol-version", Field::protocol_version},
    {"fle-status", Field::fle_status},
    {"fle-encrypted-fields", Field::fle_encrypted_fields},
    {"c-port", Field::client_port},
    {"time-to-first-byte", Field::time_to_first_byte},
    {"x-edge-detailed-result-type", Field::edge_detailed_result_type},
    {"sc-content-type", Field::content_type},
    {"sc-content-len", Field::content_length},
    {"sc-range-start", Field::range_start},
    {"sc-range-end", Field::range_end},
    // Real-time logs and RTMP distributions.
    {"timestamp", Field::timestamp},
    {"cs-host", Field::host},
    {"cs-user-agent", Field::user_agent},
    {"c-user-agent", Field::user_agent},
    {"cs-referer", Field::referer},
    {"c-referrer", Field::referer},
    {"cs-cookie", Field::cookie},
    {"x-event", Field::event},
    {"sc-status-code", Field::status},
    {"c-ip-address", Field::client_ip},
    {"x-edge-request-id-header", Field::request_id},
}};

// The documented layout of today's 33 fields; 23- and 24-field files are its prefixes.
constexpr std::size_t kStandardFieldCount = 33;

Field field_for_name(std::string_view name) {
  for (const FieldName& entry : kFieldNames) {
    if (iequals_ascii(entry.name, name)) return entry.field;
  }
  return Field::count_;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX in place; a '%' without two hex digits stays as it is. Returns the new length
// and whether a "%25" (an encoded '%') was decoded.
std::size_t decode_once(char* text, std::size_t length, bool& saw_percent) {
  char* percent = const_cast<char*>(detail::find_byte(text, text + length, '%'));
  if (!percent) return length;
  std::size_t in = static_cast<std::size_t>(percent - text), out = in;
  while (in < length) {
    char c = text[in];
    if (c == '%' && in + 2 < length) {
      int high = hex_digit(text[in + 1]), low = hex_digit(text[in + 2]);
      if (high >= 0 && low >= 0) {
        char decoded = static_cast<char>(high * 16 + low);
        if (decoded == '%') saw_percent = true;
        text[out++] = decoded;
        in += 3;
        continue;
      }
    }
    text[out++] = c;
    ++in;
  }
  return out;
}

// CloudFront percent-encodes some bytes of the values it logs; a value the client had already
// encoded comes out encoded twice ("%2520"). Decode once, and once more if that produced '%'.
std::size_t decode_logged(char* text, std::size_t length) {
  bool saw_percent = false;
  length = decode_once(text, length, saw_percent);
  if (saw_percent) {
    bool again = false;
    length = decode_once(text, length, again);
  }
  return length;
}

bool parse_digits(std::string_view text, int& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool days_in_month_ok(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap);
}

// "YYYY-MM-DD" -> days since the epoch.
bool parse_date(std::string_view text, std::int64_t& days) {
  int year, month, day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
      !parse_digits(text.substr(8, 2), day) || !days_in_month_ok(year, month, day)) {
    return false;
  }
  days = detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

// "HH:MM:SS" -> seconds of the day.
bool parse_time(std::string_view text, int& seconds) {
  int hour, minute, second;
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return false;
  if (!parse_digits(text.substr(0, 2), hour) || !parse_digits(text.substr(3, 2), minute) ||
      !parse_digits(text.substr(6, 2), second) || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  seconds = hour * 3600 + minute * 60 + second;
  return true;
}

// "1607374321.541" -> milliseconds since the epoch.
bool parse_epoch_seconds(std::string_view text, std::int64_t& ms) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.size() > 12) return false;
  std::int64_t seconds = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    seconds = seconds * 10 + (c - '0');
  }
  int millis = 0;
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty()) return false;
    int scale = 100;
    for (char c : fraction) {
      if (c < '0' || c > '9') return false;
      millis += (c - '0') * scale;
      scale /= 10;
    }
  }
  ms = seconds * 1000 + millis;
  return true;
}

bool is_ip(std::string_view text, bool& v6) {
  std::array<std::uint8_t, 4> v4{};
  std::array<std::uint16_t, 8> groups{};
  v6 = false;
  if (parse_ipv4(text, v4)) return true;
  v6 = parse_ipv6(text, groups);
  return v6;
}

}  // namespace

std::vector<std::string_view> split_forwarded_for(std::string_view value) {
  std::vector<std::string_view> out;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    bool v6 = false;
    if (is_ip(item, v6)) out.push_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

std::string_view query_parameter(std::string_view query, std::string_view name,
                                 std::string& scratch) {
  std::string_view value;
  query_parameters(query, std::span(&name, 1), std::span(&value, 1), std::span(&scratch, 1));
  return value;
}

void query_parameters(std::string_view query, std::span<const std::string_view> names,
                      std::span<std::string_view> values, std::span<std::string> scratch) {
  std::fill(values.begin(), values.end(), std::string_view{});
  std::size_t missing = names.size();
  std::uint64_t found = 0;  // bit i: names[i] seen (its first occurrence counts)
  const char* pos = query.data();
  const char* const end = pos + query.size();
  // One pass over the pairs, however many names are asked for: asking for each name in turn
  // rescanned the query once per name, a sixth of aggregating a log in WebAssembly.
  while (pos < end && missing > 0) {
    const char* amp = std::find(pos, end, '&');
    const char* eq = std::find(pos, amp, '=');
    const std::string_view name(pos, static_cast<std::size_t>(eq - pos));
    for (std::size_t i = 0; i < names.size() && i < 64; ++i) {
      if ((found >> i & 1) != 0 || names[i] != name) continue;
      found |= std::uint64_t{1} << i;
      --missing;
      std::string_view value =
          eq == amp ? std::string_view{}
                    : std::string_view(eq + 1, static_cast<std::size_t>(amp - eq - 1));
      if (value.find('%') != std::string_view::npos) {
        scratch[i].assign(value);
        scratch[i].resize(decode_logged(scratch[i].data(), scratch[i].size()));
        value = scratch[i];
      }
      values[i] = value;
      break;
    }
    pos = amp == end ? end : amp + 1;
  }
}

CloudFrontLogParser::CloudFrontLogParser(Sink sink, CloudFrontParseOptions options)
    : sink_(std::move(sink)), options_(options) {
  for (std::size_t i = 0; i < kStandardFieldCount; ++i) layout_.push_back(kFieldNames[i].field);
}

void CloudFrontLogParser::write(std::string_view chunk) {
  stats_.bytes += chunk.size();
  std::size_t pos = 0;
  while (pos < chunk.size()) {
    const char* found = detail::find_byte(chunk.data() + pos, chunk.data() + chunk.size(), '\n');
    const std::size_t end = found ? static_cast<std::size_t>(found - chunk.data()) : chunk.size();
    const std::size_t piece = end - pos;
    if (overlong_) {
      // The rest of a line already rejected as too long: drop it unread.
    } else if (pending_.size() + piece > options_.max_line_length) {
      pending_.append(chunk.data() + pos, std::min(piece, std::size_t{80}));
      ++stats_.lines;
      reject("line_too_long", pending_);
      pending_.clear();
      overlong_ = true;
    } else if (found && pending_.empty()) {
      parse_line(std::string_view(chunk.data() + pos, piece));
    } else {
      pending_.append(chunk.data() + pos, piece);
      if (found) {
        line_.swap(pending_);
        pending_.clear();
        parse_line(line_);
      }
    }
    if (!found) break;
    overlong_ = false;
    pos = end + 1;
  }
}

void CloudFrontLogParser::end() {
  if (!overlong_ && !pending_.empty()) {
    line_.swap(pending_);
    pending_.clear();
    parse_line(line_);
  }
  overlong_ = false;
  pending_.clear();
  pending_.shrink_to_fit();
}

void CloudFrontLogParser::reject(std::string_view reason, std::string_view line) {
  ++stats_.rejected;
  if (errors_.size() < options_.max_reported_errors) {
    errors_.push_back({stats_.lines, reason, std::string(line.substr(0, 80))});
  }
}

void CloudFrontLogParser::parse_header(std::string_view line) {
  constexpr std::string_view kFields = "#Fields:";
  if (!istarts_with_ascii(line, kFields)) return;  // #Version: and other comments
  line.remove_prefix(kFields.size());
  layout_.clear();
  while (!line.empty()) {
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    std::size_t stop = line.find_first_of(" \t");
    layout_.push_back(field_for_name(line.substr(0, stop)));
    if (stop == std::string_view::npos) break;
    line.remove_prefix(stop);
  }
}

void CloudFrontLogParser::parse_line(std::string_view line) {
  ++stats_.lines;
  if (line.ends_with('\r')) line.remove_suffix(1);
  const char* const begin = line.data();
  const std::size_t length = line.size();
  if (line.find_first_not_of(" \t") == std::string_view::npos) {
    ++stats_.skipped;
    return;
  }
  if (line.front() == '#') {
    ++stats_.skipped;
    parse_header(line);
    return;
  }
  if (stats_.lines == 1 && line.size() >= 2 && static_cast<unsigned char>(line[0]) == 0x1f &&
      static_cast<unsigned char>(line[1]) == 0x8b) {
    reject("gzip_input", "(gzip-compressed data: decompress before parsing)");
    return;
  }

  hit_.fields.fill({});
  std::size_t column = 0, start = 0;
  const std::size_t columns = layout_.size();
  while (start <= length && column < columns) {
    const char* tab = detail::find_byte(begin + start, begin + length, '\t');
    const std::size_t stop = tab ? static_cast<std::size_t>(tab - begin) : length;
    const Field slot = layout_[column];
    if (slot != Field::count_) {
      std::string_view value(begin + start, stop - start);
      if (value != "-") hit_.fields[static_cast<std::size_t>(slot)] = value;
    }
    ++column;
    start = stop + 1;
    if (!tab) break;
  }

  hit_.line = stats_.lines;
  std::string_view timestamp = hit_.get(Field::timestamp);
  if (!timestamp.empty()) {
    if (!parse_epoch_seconds(timestamp, hit_.epoch_ms)) return reject("bad_timestamp", line);
    hit_.day = hit_.epoch_ms / 86400000;
  } else {
    std::string_view date = hit_.get(Field::date), time = hit_.get(Field::time);
    if (date.empty()) return reject(column < 2 ? "too_few_fields" : "missing_date", line);
    if (!parse_date(date, hit_.day)) return reject("bad_date", line);
    int seconds = 0;
    if (!parse_time(time, seconds)) return reject(time.empty() ? "missing_time" : "bad_time", line);
    hit_.epoch_ms = (hit_.day * 86400 + seconds) * 1000;
  }
  int year;
  unsigned month, day;
  detail::civil_from_days(hit_.day, year, month, day);
  if (year < 0 || year > 9999) return reject("bad_date", line);
  const unsigned digits[] = {static_cast<unsigned>(year) / 1000,
                             static_cast<unsigned>(year) / 100 % 10,
                             static_cast<unsigned>(year) / 10 % 10,
                             static_cast<unsigned>(year) % 10,
                             month / 10,
                             month % 10,
                             day / 10,
                             day % 10};
  static constexpr int kSlots[] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) date_text_[kSlots[i]] = static_cast<char>('0' + digits[i]);
  date_text_[4] = date_text_[7] = '-';
  hit_.date = std::string_view(date_text_, 10);

  std::string_view status = hit_.get(Field::status);
  hit_.status = 0;
  if (!status.empty() && (status.size() > 3 || !parse_digits(status, hit_.status))) {
    return reject("bad_status", line);
  }
  std::string_view ip = hit_.get(Field::client_ip);
  hit_.client_ipv6 = false;
  if (!ip.empty() && !is_ip(ip, hit_.client_ipv6)) return reject("bad_client_ip", line);

  constexpr Field kEncoded[] = {Field::user_agent, Field::referer, Field::uri_stem, Field::cookie};
  static_assert(std::size(kEncoded) == std::tuple_size_v<decltype(decoded_)>);
  for (std::size_t i = 0; i < std::size(kEncoded); ++i) {
    std::string_view& value = hit_.fields[static_cast<std::size_t>(kEncoded[i])];
    if (!detail::find_byte(value.data(), value.data() + value.size(), '%')) continue;
    std::string& copy = decoded_[i];
    copy.assign(value);
    copy.resize(decode_logged(copy.data(), copy.size()));
    value = copy;
  }
  ++stats_.accepted;
  if (sink_) sink_(hit_);
}

std::string CloudFrontLogParser::report_json() const {
  detail::JsonWriter json;
  json.begin_object()
      .member("lines", stats_.lines)
      .member("accepted", stats_.accepted)
      .member("rejected", stats_.rejected)
      .member("skipped", stats_.skipped)
      .member("bytes", static_cast<std::size_t>(stats_.bytes));
  json.key("errors").begin_array();
  for (const CloudFrontLineError& error : errors_) {
    json.begin_object()
        .member("line", error.line)
        .member("reason", error.reason)
        .member("excerpt", error.excerpt)
        .end_object();
  }
  json.end_array().end_object();
  return json.take();
}

std::string cloudfront_hit_to_json(const CloudFrontHit& hit) {
  detail::JsonWriter json;
  json.begin_object().member("line", hit.line).member("epochMs", hit.epoch_ms);
  json.member("date", hit.date);
  if (hit.status != 0) json.member("status", hit.status);
  // Each field once, under its first (standard log) name.
  std::array<bool, kCloudFrontFieldCount> written{};
  for (const FieldName& entry : kFieldNames) {
    auto slot = static_cast<std::size_t>(entry.field);
    if (written[slot] || entry.field == Field::status || hit.fields[slot].empty()) continue;
    written[slot] = true;
    json.member(entry.name, hit.fields[slot]);
  }
  json.end_object();
  return json.take();
}

}  // namespace clicktrail
