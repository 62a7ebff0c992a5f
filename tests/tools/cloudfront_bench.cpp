// Generates a CloudFront access log of tracking hits, or aggregates one streamed in 64 KB
// chunks (as the CLI does), printing throughput. Not a test: run it by hand.
//   cloudfront_bench generate FILE|- MEGABYTES
//   cloudfront_bench aggregate FILE [--exact]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "clicktrail/aggregate.hpp"

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "generate") == 0) {
    const bool to_stdout = std::strcmp(argv[2], "-") == 0;  // pipe a stream of any size
    std::FILE* out = to_stdout ? stdout : std::fopen(argv[2], "wb");
    if (!out) return 1;
    const double target = std::atof(argv[3]) * 1024 * 1024;
    std::fputs(
        "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) "
        "cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) "
        "x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes "
        "time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
        "cs-protocol-version\n",
        out);
    std::mt19937_64 rng(42);
    double written = 0;
    char line[1024];
    for (std::uint64_t i = 0; written < target; ++i) {
      const std::uint64_t r = rng();
      const std::uint32_t ip = static_cast<std::uint32_t>(r % 2000000) * 2654435761u;
      const bool click = (r >> 32) % 5 == 0;
      const bool bot = (r >> 36) % 50 == 0;
      int n = std::snprintf(
          line, sizeof line,
          "2024-06-%02d\t%02d:%02d:%02d\tFRA56-P1\t%d\t%u.%u.%u.%u\tGET\td111111abcdef8.cloudfront."
          "net\t%s\t%d\t-\t%s\t"
          "oid=o%d&cid=c%d&pid=p%d&ch=email&cr=hero%d&s=600x200&mid=m%llu&li=%d\t-\tHit\t"
          "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\tt.example.com\thttps\t"
          "420\t0.001\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/2.0\n",
          static_cast<int>(1 + i * 30 / 5000000 % 30), static_cast<int>(i / 150000 % 24),
          static_cast<int>(i / 2500 % 60), static_cast<int>(i / 40 % 60), click ? 590 : 43,
          ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, click ? "/c" : "/pxl.png",
          click ? 302 : 200,
          bot ? "Mozilla/5.0%20(Windows%20NT%205.1;%20rv:11.0)%20Gecko%20Firefox/"
                "11.0%20(via%20ggpht.com%20GoogleImageProxy)"
              : "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/"
                "537.36%20(KHTML,%20like%20Gecko)%20Chrome/126.0.0.0%20Safari/537.36",
          static_cast<int>(r >> 40) % 3, static_cast<int>(r >> 44) % 20,
          static_cast<int>(r >> 50) % 4, static_cast<int>(r >> 54) % 3,
          static_cast<unsigned long long>(r % 500000), static_cast<int>(r >> 58) % 6);
      std::fwrite(line, 1, static_cast<std::size_t>(n), out);
      written += n;
    }
    if (!to_stdout) std::fclose(out);
    return 0;
  }
  if (argc >= 3 && std::strcmp(argv[1], "aggregate") == 0) {
    std::FILE* in = std::fopen(argv[2], "rb");
    if (!in) return 1;
    clicktrail::AggregateOptions options;
    options.exact = argc >= 4 && std::strcmp(argv[3], "--exact") == 0;
    clicktrail::CloudFrontLogAggregator run(options);
    static char buffer[65536];
    std::size_t total = 0, n;
    auto start = std::chrono::steady_clock::now();
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
      run.write(std::string_view(buffer, n));
      total += n;
    }
    run.end();
    std::string csv = run.aggregator().to_csv();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fclose(in);
    std::fprintf(stderr, "%zu bytes in %.2f s: %.1f MB/s; %zu rows\n%s\n", total, seconds,
                 total / seconds / 1e6, run.aggregator().rows().size(), run.report_json().c_str());
    return 0;
  }
  std::fprintf(stderr, "usage: cloudfront_bench generate FILE MB | aggregate FILE [--exact]\n");
  return 2;
}
