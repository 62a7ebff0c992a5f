#include "input_stream.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace clicktrail::cli {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

InputStream::InputStream() : raw_(kChunk), out_(kChunk) {}

InputStream::~InputStream() {
  close();
}

void InputStream::close() {
  if (inflating_ || gzip_) inflateEnd(&zlib_);
  if (file_ && owns_file_) std::fclose(file_);
  file_ = nullptr;
}

std::uint64_t InputStream::file_size(const std::string& path) {
  struct stat info {};
  if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return 0;
  return static_cast<std::uint64_t>(info.st_size);
}

bool InputStream::open(const std::string& path, std::string& error) {
  if (path == "-") {
    file_ = stdin;
  } else {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
      error = "is a directory";
      return false;
    }
    if (S_ISREG(info.st_mode)) file_size_ = static_cast<std::uint64_t>(info.st_size);
    file_ = std::fopen(path.c_str(), "rb");
    owns_file_ = true;
    if (!file_) {
      error = std::strerror(errno);
      return false;
    }
  }
  if (!fill(error)) return false;
  std::size_t available = raw_end_ - raw_begin_;
  gzip_ = available >= 2 && raw_[raw_begin_] == 0x1f && raw_[raw_begin_ + 1] == 0x8b;
  if (gzip_) {
    // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
    if (inflateInit2(&zlib_, 16 + MAX_WBITS) != Z_OK) {
      error = "zlib could not start";
      return false;
    }
    inflating_ = true;
  }
  return true;
}

// Reads more raw bytes when all are used up; false only on a read error.
bool InputStream::fill(std::string& error) {
  if (raw_begin_ < raw_end_ || eof_) return true;
  std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_);
  raw_begin_ = 0;
  raw_end_ = n;
  raw_read_ += n;
  if (n < raw_.size()) {
    if (std::ferror(file_)) {
      error = std::strerror(errno);
      return false;
    }
    eof_ = true;
  }
  return true;
}

std::string_view InputStream::next(std::string& error) {
  if (!gzip_) {
    if (!fill(error)) return {};
    std::string_view chunk(reinterpret_cast<const char*>(raw_.data()) + raw_begin_,
                           raw_end_ - raw_begin_);
    raw_begin_ = raw_end_;
    return chunk;
  }
  while (true) {
    if (!fill(error)) return {};
    if (raw_begin_ == raw_end_) {
      if (inflating_) error = "gzip data ends early (truncated file?)";
      return {};
    }
    if (!inflating_) {
      // Another gzip member follows the previous one (concatenated .gz files).
      inflateReset(&zlib_);
      inflating_ = true;
    }
    zlib_.next_in = raw_.data() + raw_begin_;
    zlib_.avail_in = static_cast<uInt>(raw_end_ - raw_begin_);
    zlib_.next_out = reinterpret_cast<Bytef*>(out_.data());
    zlib_.avail_out = static_cast<uInt>(out_.size());
    int status = inflate(&zlib_, Z_NO_FLUSH);
    raw_begin_ = raw_end_ - zlib_.avail_in;
    if (status == Z_STREAM_END) {
      inflating_ = false;
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      error = std::string("invalid gzip data") + (zlib_.msg ? std::string(": ") + zlib_.msg : "");
      return {};
    }
    std::size_t produced = out_.size() - zlib_.avail_out;
    if (produced > 0) return std::string_view(out_.data(), produced);
  }
}

}  // namespace clicktrail::cli
