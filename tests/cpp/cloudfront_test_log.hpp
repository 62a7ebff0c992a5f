// Shared by the aggregation tests: a small CloudFront log layout and rows in it.
#pragma once
#include <string>

namespace test_support {

inline const char* kLogHeader =
    "#Version: 1.0\n"
    "#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent) cs-uri-query\n";
inline const std::string kHumanAgent = "Mozilla/5.0%20(X11;%20Linux%20x86_64)%20Firefox/126.0";
// Two campaigns of one order, for the query string of tracking hits.
inline const std::string kCampaign1 = "oid=o1&cid=c1&pid=p1&ch=email&cr=hero&s=600x200";
inline const std::string kCampaign2 = "oid=o1&cid=c2&pid=p1&ch=email&cr=hero&s=600x200";

// One line of that layout.
inline std::string log_row(const std::string& date, const std::string& time, const std::string& ip,
                           const std::string& method, const std::string& path, int status,
                           const std::string& agent, const std::string& query) {
  return date + "\t" + time + "\t" + ip + "\t" + method + "\t" + path + "\t" +
         std::to_string(status) + "\t" + agent + "\t" + query + "\n";
}

}  // namespace test_support
