// Reads a file or standard input in chunks for the batch commands, inflating gzip on the way
// (detected by its magic bytes, not the file name; concatenated gzip members are read through).
#pragma once
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail::cli {

class InputStream {
 public:
  InputStream();
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Opens `path` ("-" = standard input). false, with `error`, when it cannot be opened.
  bool open(const std::string& path, std::string& error);
  // The next chunk of (decompressed) bytes; empty at the end or on an error (then `error` is
  // set). The view is valid until the next call.
  std::string_view next(std::string& error);
  // Bytes read from the file so far (compressed bytes for gzip): the progress measure.
  std::uint64_t raw_bytes_read() const { return raw_read_; }
  // Size of the open file when it is a regular one, 0 otherwise (stdin, pipes).
  std::uint64_t file_size() const { return file_size_; }

  // Size of a regular file, 0 when unknown (stdin, pipes, errors).
  static std::uint64_t file_size(const std::string& path);

 private:
  bool fill(std::string& error);
  void close();

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool gzip_ = false;
  bool eof_ = false;
  bool inflating_ = false;  // inside a gzip member
  z_stream zlib_{};
  std::vector<unsigned char> raw_;  // bytes read from the file
  std::size_t raw_begin_ = 0, raw_end_ = 0;
  std::vector<char> out_;  // inflated bytes
  std::uint64_t raw_read_ = 0;
  std::uint64_t file_size_ = 0;
};

}  // namespace clicktrail::cli
