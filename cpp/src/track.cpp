#include "clicktrail/track.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "clicktrail/base64url.hpp"
#include "clicktrail/sha256.hpp"
#include "clicktrail/url.hpp"

namespace clicktrail {
namespace {

// Every parameter clicktrail writes, in the one order used both in URLs and in the signed
// message. "sig" is last and not signed.
enum Param {
  kMid,
  kRid,
  kLi,
  kTg,
  kOid,
  kCid,
  kPid,
  kCh,
  kCr,
  kS,
  kR,
  kExp,
  kKid,
  kSig,
  kParamCount
};
constexpr std::array<std::string_view, kParamCount> kParamNames = {
    "mid", "rid", "li", "tg", "oid", "cid", "pid", "ch", "cr", "s", "r", "exp", "kid", "sig"};

constexpr std::string_view kClickPath = "/c";
constexpr std::string_view kPixelPath = "/pxl.png";
// Domain separation: a signature over something else can never pass for a tracking URL.
constexpr std::string_view kSignatureContext = "clicktrail-v1\n";

using RawParams = std::array<std::optional<std::string_view>, kParamCount>;

// A parameter name of at most 3 bytes (all of ours are) packed with its length into one word, so
// finding a name is a few integer compares, not a string compare per known name.
constexpr std::uint32_t packed_name(std::string_view name) {
  std::uint32_t packed = static_cast<std::uint32_t>(name.size());
  for (char c : name) packed = packed << 8 | static_cast<unsigned char>(c);
  return packed;
}

constexpr std::array<std::uint32_t, kParamCount> kPackedNames = [] {
  std::array<std::uint32_t, kParamCount> packed{};
  for (int i = 0; i < kParamCount; ++i) packed[i] = packed_name(kParamNames[i]);
  return packed;
}();

// The Param for a name, or -1 for a name clicktrail does not write.
int param_index(std::string_view name) {
  if (name.empty() || name.size() > 3) return -1;
  const std::uint32_t packed = packed_name(name);
  for (int i = 0; i < kParamCount; ++i) {
    if (kPackedNames[i] == packed) return i;
  }
  return -1;
}

// The length of a signature in a URL: a base64url HMAC-SHA256.
constexpr std::size_t kSignatureLength = base64url_encoded_size(sizeof(Sha256Digest));
using Signature = std::array<char, kSignatureLength>;

// The signature over the signed message: the URL up to '?' and each present parameter's raw
// (still encoded) value, so that any changed byte, including a changed %-escape, changes the
// message. Every piece is length-prefixed, so no byte can move from one piece into another
// without changing it:
//   "clicktrail-v1\n" <len>":"<url up to '?'>"\n" then, per parameter, <name>"="<len>":"<value>"\n"
// The message is fed to the MAC piece by piece rather than assembled first.
Signature sign(const HmacSha256& hmac, std::string_view url_without_query,
               const RawParams& params) {
  Sha256 mac = hmac.begin();
  mac.update(kSignatureContext);
  // The name, '=', the length and ':' before a piece, in one update.
  auto piece = [&](std::string_view name, std::string_view bytes) {
    char head[32];
    char* end = std::copy(name.begin(), name.end(), head);
    if (!name.empty()) *end++ = '=';
    end = std::to_chars(end, head + sizeof head - 1, bytes.size()).ptr;
    *end++ = ':';
    mac.update(head, static_cast<std::size_t>(end - head));
    mac.update(bytes);
    mac.update("\n", 1);
  };
  piece({}, url_without_query);
  for (int i = 0; i < kSig; ++i) {
    if (params[i]) piece(kParamNames[i], *params[i]);
  }
  const Sha256Digest digest = hmac.finish(mac);
  Signature signature;
  base64url_encode_into(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()),
      signature.data());
  return signature;
}

template <typename Int>
std::optional<Int> parse_integer(std::string_view text) {
  Int value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool is_key_id_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

std::string_view to_string(TrackError error) {
  switch (error) {
    case TrackError::malformed:
      return "malformed";
    case TrackError::unknown_key:
      return "unknown_key";
    case TrackError::bad_signature:
      return "bad_signature";
    case TrackError::expired:
      return "expired";
    case TrackError::bad_target:
      return "bad_target";
    case TrackError::bad_input:
      return "bad_input";
  }
  return "unknown";
}

namespace {

// Spaces and tabs around a tag key, tag value or address are not part of it.
std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Tags parse_tags(std::string_view text) {
  Tags tags;
  while (!text.empty()) {
    std::size_t semicolon = text.find(';');
    std::string_view pair = text.substr(0, semicolon);
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    std::size_t colon = pair.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = trim_blanks(pair.substr(0, colon));
    std::string_view value = trim_blanks(pair.substr(colon + 1));
    if (key.empty()) continue;
    tags.emplace_back(std::string(key), std::string(value));
  }
  return tags;
}

std::string format_tags(const Tags& tags) {
  std::string out;
  for (const auto& [key, value] : tags) {
    if (!out.empty()) out += ';';
    out += key;
    out += ':';
    out += value;
  }
  return out;
}

std::string recipient_id_for(std::string_view address, std::string_view secret) {
  std::string message = "clicktrail-recipient\n" + ascii_lower(trim_blanks(address));
  Sha256Digest digest = hmac_sha256(secret, message);
  // 96 bits: collisions are negligible for any mailing list and the id stays short.
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), 12));
}

std::string key_problem(std::span<const SigningKey> keys) {
  if (keys.empty()) return "no keys";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const SigningKey& key = keys[i];
    if (key.id.empty() || key.id.size() > 64 ||
        !std::all_of(key.id.begin(), key.id.end(), [](char c) { return is_key_id_char(c); })) {
      return "key id must be 1-64 characters of A-Z a-z 0-9 - _ .";
    }
    if (key.secret.size() < 16) return "the secret of key '" + key.id + "' is under 16 bytes";
    for (std::size_t k = 0; k < i; ++k) {
      if (keys[k].id == key.id) return "key id '" + key.id + "' is listed twice";
    }
  }
  return {};
}

std::string allowed_host_problem(std::string_view entry) {
  std::string_view host = entry.starts_with('.') ? entry.substr(1) : entry;
  if (host.empty() || host.find_first_of(":/?#@ ") != std::string_view::npos) {
    return "allowed host '" + std::string(entry) +
           "' must be a host name such as shop.example.com or .example.com, not a URL";
  }
  return {};
}

Result<TrackingUrlBuilder, TrackError> TrackingUrlBuilder::create(std::string_view base_url,
                                                                  SigningKey key) {
  if (std::string problem = key_problem(std::span(&key, 1)); !problem.empty()) {
    return Error<TrackError>{TrackError::bad_input, problem};
  }
  auto builder = create_unsigned(base_url);
  if (builder) {
    builder.value().key_id_ = std::move(key.id);
    builder.value().hmac_.emplace(key.secret);
  }
  return builder;
}

Result<TrackingUrlBuilder, TrackError> TrackingUrlBuilder::create_unsigned(
    std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  if (check_redirect_target(base_url) != TargetProblem::none) {
    return Error<TrackError>{TrackError::bad_input,
                             "base URL must be an absolute http(s) URL such as "
                             "https://t.example.com"};
  }
  auto parts = split_absolute_url(base_url);
  if (parts->has_query || parts->has_fragment) {
    return Error<TrackError>{TrackError::bad_input, "base URL must not have a query or fragment"};
  }
  // The edge verifies the URL the client sends, which browsers normalise: the base must already
  // be in that form or no click would ever verify.
  std::string_view path = parts->path;
  bool dot_segments = path.find("/./") != std::string_view::npos ||
                      path.find("/../") != std::string_view::npos || path.ends_with("/.") ||
                      path.ends_with("/..") || path.find("//") != std::string_view::npos;
  if (dot_segments || (parts->port.size() > 1 && parts->port.front() == '0')) {
    return Error<TrackError>{TrackError::bad_input,
                             "base URL must be in normal form (no dot segments, no empty path "
                             "segments, no leading zeros in the port)"};
  }
  TrackingUrlBuilder builder;
  std::string scheme = ascii_lower(parts->scheme);
  builder.base_ = scheme + "://" + ascii_lower(parts->host);
  bool default_port =
      (scheme == "https" && parts->port == "443") || (scheme == "http" && parts->port == "80");
  if (!parts->port.empty() && !default_port) builder.base_ += ":" + std::string(parts->port);
  builder.base_ += parts->path;
  return builder;
}

std::string TrackingUrlBuilder::build(Endpoint endpoint, const TrackingFields& fields,
                                      std::string_view target) const {
  std::array<std::string, kParamCount> encoded;
  encoded[kMid] = encode_query_value(fields.message_id);
  encoded[kRid] = encode_query_value(fields.recipient_id);
  if (fields.link_index >= 0) encoded[kLi] = std::to_string(fields.link_index);
  encoded[kTg] = encode_query_value(format_tags(fields.tags));
  encoded[kOid] = encode_query_value(fields.order_id);
  encoded[kCid] = encode_query_value(fields.campaign_id);
  encoded[kPid] = encode_query_value(fields.publication_id);
  encoded[kCh] = encode_query_value(fields.channel);
  encoded[kCr] = encode_query_value(fields.creative);
  encoded[kS] = encode_query_value(fields.size);
  if (endpoint == Endpoint::click) encoded[kR] = encode_query_value(target);
  if (fields.expires_at > 0) encoded[kExp] = std::to_string(fields.expires_at);
  encoded[kKid] = key_id_;

  RawParams params;
  for (int i = 0; i < kSig; ++i) {
    bool required = (i == kKid && hmac_) || (i == kR && endpoint == Endpoint::click);
    if (required || !encoded[i].empty()) params[i] = encoded[i];
  }
  std::string prefix = base_;
  prefix += endpoint == Endpoint::click ? kClickPath : kPixelPath;
  std::optional<Signature> signature;
  if (hmac_) signature = sign(*hmac_, prefix, params);

  std::string url = std::move(prefix);
  char separator = '?';
  for (int i = 0; i < kSig; ++i) {
    if (!params[i]) continue;
    url += separator;
    url += kParamNames[i];
    url += '=';
    url += *params[i];
    separator = '&';
  }
  if (signature) {
    url += "&sig=";
    url.append(signature->data(), signature->size());
  }
  return url;
}

Result<std::string, TrackError> TrackingUrlBuilder::click_url(const TrackingFields& fields,
                                                              std::string_view target) const {
  TargetProblem problem = check_redirect_target(target);
  if (problem != TargetProblem::none) {
    return Error<TrackError>{TrackError::bad_target,
                             "target is not a safe redirect: " + std::string(to_string(problem))};
  }
  std::string url = build(Endpoint::click, fields, target);
  if (url.size() > kMaxTrackingUrlLength) {
    return Error<TrackError>{TrackError::bad_target, "the tracking URL would be too long"};
  }
  return url;
}

std::string TrackingUrlBuilder::pixel_url(const TrackingFields& fields) const {
  return build(Endpoint::pixel, fields, {});
}

// --- verification ---------------------------------------------------------------------------

TrackingUrlVerifier::TrackingUrlVerifier(std::span<const SigningKey> keys,
                                         std::vector<std::string> allowed_hosts)
    : allowed_hosts_(std::move(allowed_hosts)) {
  for (const SigningKey& key : keys) keys_.push_back({key.id, HmacSha256(key.secret)});
}

Result<VerifiedUrl, TrackError> TrackingUrlVerifier::verify(std::string_view url,
                                                            std::int64_t now) const {
  auto fail = [](TrackError code, std::string message) {
    return Error<TrackError>{code, std::move(message)};
  };
  if (url.size() > kMaxTrackingUrlLength) return fail(TrackError::malformed, "URL is too long");
  // Only bytes a URI may hold: no controls, spaces or raw non-ASCII can hide inside a value.
  if (!is_rfc3986_conformant(url)) {
    return fail(TrackError::malformed, "the URL holds characters a URL may not contain");
  }
  std::size_t question = url.find('?');
  if (question == std::string_view::npos) return fail(TrackError::malformed, "no query string");
  std::string_view prefix = url.substr(0, question);
  std::string_view query = url.substr(question + 1);
  if (query.find('#') != std::string_view::npos) {
    return fail(TrackError::malformed, "a tracking URL has no fragment");
  }
  VerifiedUrl verified;
  if (prefix.ends_with(kClickPath)) {
    verified.endpoint = Endpoint::click;
  } else if (prefix.ends_with(kPixelPath)) {
    verified.endpoint = Endpoint::pixel;
  } else {
    return fail(TrackError::malformed, "path is neither /c nor /pxl.png");
  }

  RawParams params;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::size_t equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    const int i = param_index(name);
    if (i < 0) continue;  // not ours: ignored, and not signed
    // A repeated parameter could make the edge and a report disagree about which one counts.
    if (params[i]) return fail(TrackError::malformed, "parameter repeated: " + std::string(name));
    params[i] = equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
  }
  if (!params[kKid] || !params[kSig]) {
    return fail(TrackError::malformed, "kid or sig parameter missing");
  }
  const HmacSha256* hmac = nullptr;
  for (const auto& key : keys_) {
    if (key.id == *params[kKid]) hmac = &key.hmac;
  }
  if (!hmac) return fail(TrackError::unknown_key, "no active key has this kid");
  const Signature expected = sign(*hmac, prefix, params);
  if (!constant_time_equal(std::string_view(expected.data(), expected.size()), *params[kSig])) {
    return fail(TrackError::bad_signature, "signature does not match");
  }
  verified.key_id = std::string(*params[kKid]);

  auto decoded = [&](Param param, std::string& out) {
    return !params[param] || percent_decode_into(*params[param], out);
  };
  TrackingFields& f = verified.fields;
  std::string tags, link_index, expiry;
  bool decodable = decoded(kMid, f.message_id) && decoded(kRid, f.recipient_id) &&
                   decoded(kTg, tags) && decoded(kOid, f.order_id) &&
                   decoded(kCid, f.campaign_id) && decoded(kPid, f.publication_id) &&
                   decoded(kCh, f.channel) && decoded(kCr, f.creative) && decoded(kS, f.size) &&
                   decoded(kR, verified.target) && decoded(kLi, link_index) &&
                   decoded(kExp, expiry);
  if (!decodable) return fail(TrackError::malformed, "a parameter has a broken %-escape");
  f.tags = parse_tags(tags);
  if (!link_index.empty()) {
    auto index = parse_integer<int>(link_index);
    if (!index || *index < 0) return fail(TrackError::malformed, "li is not a link index");
    f.link_index = *index;
  }
  if (!expiry.empty()) {
    auto expires_at = parse_integer<std::int64_t>(expiry);
    if (!expires_at) return fail(TrackError::malformed, "exp is not a timestamp");
    f.expires_at = *expires_at;
    if (now > f.expires_at) return fail(TrackError::expired, "the URL has expired");
  }
  if (verified.endpoint == Endpoint::click) {
    if (!params[kR]) return fail(TrackError::malformed, "click URL without r parameter");
    TargetProblem problem = check_redirect_target(verified.target, allowed_hosts_);
    if (problem != TargetProblem::none) {
      return fail(TrackError::bad_target, "target refused: " + std::string(to_string(problem)));
    }
  }
  return verified;
}

Result<VerifiedUrl, TrackError> verify_tracking_url(std::string_view url,
                                                    std::span<const SigningKey> keys,
                                                    const VerifyOptions& options) {
  std::vector<std::string> hosts(options.allowed_hosts.begin(), options.allowed_hosts.end());
  return TrackingUrlVerifier(keys, std::move(hosts)).verify(url, options.now);
}

}  // namespace clicktrail
