// A value or an error code with a message: how every fallible clicktrail call answers.
// Nothing throws across the API (WebAssembly builds run without exceptions).
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace clicktrail {

template <typename Code>
struct Error {
  Code code;
  std::string message;
};

template <typename T, typename Code>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Error<Code> error) : data_(std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const T* operator->() const { return &std::get<0>(data_); }
  const Error<Code>& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error<Code>> data_;
};

}  // namespace clicktrail
