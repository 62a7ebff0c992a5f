// Embind bindings: a handful of functions on plain values. The typed, documented API is the JS
// layer in wasm/src/; this file only moves bytes and JSON across the boundary.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "buffers.hpp"
#include "clicktrail.hpp"

using clicktrail::wasm::bytes_view;
using clicktrail::wasm::input_bytes;
using clicktrail::wasm::output_buffer;
using clicktrail::wasm::release_large_input;
using emscripten::val;

namespace {

val error_object(const std::string& message) {
  val result = val::object();
  result.set("ok", false);
  result.set("error", message);
  return result;
}

// Rewrites the first `length` bytes of the input buffer.
// {ok, output, report: Uint8Array views (copy or decode them), of the HTML and of the report
// as JSON} or {ok:false, error}.
val rewrite(std::size_t length, const std::string& options_json, bool plain_text) {
  std::string_view input = input_bytes(length);
  auto options = clicktrail::rewrite_options_from_json(options_json);
  if (!options) return error_object(options.error().message);
  auto result = plain_text ? clicktrail::rewrite_text(input, options.value())
                           : clicktrail::rewrite_links(input, options.value());
  if (!result) return error_object(result.error().message);
  output_buffer() = std::move(result.value().output);
  release_large_input();
  val out = val::object();
  out.set("ok", true);
  out.set("output", bytes_view(output_buffer()));
  // As bytes for JS to decode at once: returning a std::string made Embind scan it for its end
  // and decode it byte by byte in JS, a fifth of the time of a rewrite with many links.
  static std::string report;
  report = clicktrail::rewrite_report_to_json(result.value().report);
  out.set("report", bytes_view(report));
  return out;
}

val rewrite_html(std::size_t length, const std::string& options_json) {
  return rewrite(length, options_json, false);
}

val rewrite_plain(std::size_t length, const std::string& options_json) {
  return rewrite(length, options_json, true);
}

// A tracking URL for one target or the pixel: {ok, url} or {ok:false, error}.
val build_url(const std::string& options_json, const std::string& target, int link_index,
              bool pixel) {
  auto options = clicktrail::rewrite_options_from_json(options_json);
  if (!options) return error_object(options.error().message);
  clicktrail::RewriteOptions& o = options.value();
  auto builder = clicktrail::TrackingUrlBuilder::create(o.base_url, o.key);
  if (!builder) return error_object(builder.error().message);
  if (!o.recipient_address.empty()) {
    o.fields.recipient_id = clicktrail::recipient_id_for(o.recipient_address, o.key.secret);
  }
  o.fields.link_index = link_index;
  val out = val::object();
  if (pixel) {
    out.set("ok", true);
    out.set("url", builder.value().pixel_url(o.fields));
    return out;
  }
  auto url = builder.value().click_url(o.fields, clicktrail::normalize_url(target));
  if (!url) return error_object(url.error().message);
  out.set("ok", true);
  out.set("url", url.value());
  return out;
}

// Holds the key schedules so that each click costs one HMAC, not a key setup.
class Verifier {
 public:
  explicit Verifier(const std::string& request_json) {
    auto request = clicktrail::verify_request_from_json(request_json);
    if (!request) {
      error_ = request.error().message;
      return;
    }
    verifier_ = std::make_unique<clicktrail::TrackingUrlVerifier>(
        request.value().keys, std::move(request.value().allowed_hosts));
  }
  std::string error() const { return error_; }
  // For the plain exports below, which take the object by address.
  std::uintptr_t address() const { return reinterpret_cast<std::uintptr_t>(this); }
  std::string verify(std::string_view url, double now_seconds) const {
    if (!verifier_) return R"({"ok":false,"error":"bad_input","message":"no keys"})";
    if (!clicktrail::wasm::is_safe_integer(now_seconds)) {
      return R"({"ok":false,"error":"bad_input","message":"now must be a finite number of seconds"})";
    }
    return clicktrail::verify_result_to_json(
        verifier_->verify(url, static_cast<std::int64_t>(now_seconds)));
  }

 private:
  std::unique_ptr<clicktrail::TrackingUrlVerifier> verifier_;
  std::string error_;
};

// The edge decision (clicktrail/edge.hpp) for one request, as JSON.
class Edge {
 public:
  explicit Edge(const std::string& settings_json) {
    auto settings = clicktrail::edge_settings_from_json(settings_json);
    if (!settings) {
      error_ = settings.error().message;
      return;
    }
    edge_ = std::make_unique<clicktrail::TrackingEdge>(settings.value());
  }
  std::string error() const { return error_; }
  std::uintptr_t address() const { return reinterpret_cast<std::uintptr_t>(this); }
  std::string handle(clicktrail::EdgeRequest request, double now_ms) const {
    if (!edge_ || !clicktrail::wasm::is_safe_integer(now_ms)) {
      return R"({"action":"error","status":500,"record":false})";
    }
    request.now_ms = static_cast<std::int64_t>(now_ms);
    return edge_->handle(request);
  }

 private:
  std::unique_ptr<clicktrail::TrackingEdge> edge_;
  std::string error_;
};

std::string recipient_id(const std::string& address, const std::string& secret) {
  return clicktrail::recipient_id_for(address, secret);
}

std::string hmac_sha256_base64url(const std::string& key, const std::string& message) {
  auto digest = clicktrail::hmac_sha256(key, message);
  return clicktrail::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

// The per-request calls as plain exports, without Embind: JS writes the request into the input
// buffer (clicktrail_input, in buffers.cpp, gives its address), calls one export with the
// object's address and the byte lengths, and decodes the JSON answer at clicktrail_output_data.
// Embind's machinery (argument wrappers, a string conversion per argument, a typed-array
// object per result) was a fifth of a verify.
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* clicktrail_output_data() {
  return output_buffer().data();
}

// The URL is the first `length` input bytes; returns the answer's length.
EMSCRIPTEN_KEEPALIVE std::size_t clicktrail_verify(const Verifier* verifier, std::size_t length,
                                                   double now_seconds) {
  output_buffer() = verifier->verify(input_bytes(length), now_seconds);
  return output_buffer().size();
}

// Method, URL, user agent and IP are consecutive in the input; returns the answer's length.
EMSCRIPTEN_KEEPALIVE std::size_t clicktrail_edge_handle(const Edge* edge, std::size_t method,
                                                        std::size_t url, std::size_t user_agent,
                                                        std::size_t ip, double now_ms) {
  std::string_view input = input_bytes(method + url + user_agent + ip);
  clicktrail::EdgeRequest request;
  auto take = [&input](std::size_t length) {
    std::string_view field = input.substr(0, length);
    input.remove_prefix(field.size());
    return field;
  };
  request.method = take(method);
  request.url = take(url);
  request.user_agent = take(user_agent);
  request.ip = take(ip);
  output_buffer() = edge->handle(request, now_ms);
  return output_buffer().size();
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(clicktrail) {
  emscripten::function("rewriteHtml", &rewrite_html);
  emscripten::function("rewriteText", &rewrite_plain);
  emscripten::function("buildUrl", &build_url);
  emscripten::function("recipientId", &recipient_id);
  emscripten::function("hmacSha256Base64url", &hmac_sha256_base64url);
  emscripten::class_<Edge>("Edge")
      .constructor<std::string>()
      .function("error", &Edge::error)
      .function("address", &Edge::address);
  emscripten::class_<Verifier>("Verifier")
      .constructor<std::string>()
      .function("error", &Verifier::error)
      .function("address", &Verifier::address);
}
