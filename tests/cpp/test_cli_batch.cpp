// The batch commands (events, logs) through the core's CLI logic: the plan, chunked sessions
// giving the same bytes as whole files, counting, exit codes and the progress line.
#include <algorithm>
#include <string>
#include <vector>

#include "clicktrail/cli.hpp"
#include "test_support.hpp"

using clicktrail::CliInputs;
using clicktrail::CliOutput;
using clicktrail::CliSession;
using test_support::data_path;
using test_support::read_file;

namespace {

const std::string kBounce =
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-bounce.json";
const std::string kComplaint =
    "aws-ses-docs/event-publishing/event-publishing-retrieving-sns-complaint.json";

std::string compact(const std::string& json) {
  return nlohmann::json::parse(json).dump();
}

// Runs a batch command feeding each file in chunks of `chunk` bytes (0 = whole).
CliOutput run_chunked(const std::vector<std::string>& args, const CliInputs& inputs,
                      std::size_t chunk) {
  clicktrail::CliPlan plan = clicktrail::plan_cli(args);
  CliSession session(args, inputs);
  for (const auto& path : plan.stream_files) {
    auto file = inputs.files.find(path);
    if (file == inputs.files.end()) {
      session.unreadable_file(path, "missing");
      continue;
    }
    session.begin_file(path);
    std::string_view text = file->second;
    std::size_t step = chunk == 0 ? std::max<std::size_t>(text.size(), 1) : chunk;
    for (std::size_t at = 0; at < text.size(); at += step) session.write(text.substr(at, step));
    session.end_file();
  }
  return session.finish();
}

}  // namespace

TEST_CASE("cli batch: events and logs are planned as streams", "[cli]") {
  auto plan = clicktrail::plan_cli(
      {"events", "a.json", "b.json.gz", "--suppression", "--merge-suppression", "stored.json"});
  CHECK(plan.error.empty());
  CHECK(plan.streaming);
  CHECK(plan.stream_files == std::vector<std::string>{"a.json", "b.json.gz"});
  CHECK(plan.read_files == std::vector<std::string>{"stored.json"});
  CHECK(clicktrail::plan_cli({"logs"}).stream_files == std::vector<std::string>{"-"});
  CHECK_FALSE(clicktrail::plan_cli({"events", "--format", "xml"}).error.empty());
  CHECK_FALSE(clicktrail::plan_cli({"logs", "--bogus"}).error.empty());
  CHECK_FALSE(clicktrail::plan_cli(
                  {"wrap", "x.html", "--base-url", "https://t.example.com", "--key-id", "k"})
                  .streaming);
}

TEST_CASE("cli batch: events in chunks of any size give the same bytes", "[cli]") {
  CliInputs inputs;
  std::string ndjson = compact(read_file(data_path("ses/" + kBounce))) + "\n" + "{\"broken\": \n" +
                       compact(read_file(data_path("ses/" + kComplaint))) + "\n";
  inputs.files["batch.ndjson"] = ndjson;
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {}, {"--format", "json"}, {"--suppression"}, {"--reputation", "--format", "table"}}) {
    std::vector<std::string> args{"events", "batch.ndjson"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliOutput whole = clicktrail::run_cli(args, inputs);
    for (std::size_t chunk : {1, 7, 4096}) {
      CliOutput split = run_chunked(args, inputs, chunk);
      CHECK(split.out == whole.out);
      CHECK(split.err == whole.err);
    }
    CHECK(whole.exit_code == 0);
    CHECK(whole.err.find("batch.ndjson:2: rejected") != std::string::npos);
    CHECK(whole.err.find("3 input records: 2 accepted, 1 rejected") != std::string::npos);
  }
  CHECK(clicktrail::run_cli({"events", "--strict", "batch.ndjson"}, inputs).exit_code == 1);
  CliOutput missing = clicktrail::run_cli({"events", "nope.json", "batch.ndjson"}, inputs);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read 'nope.json'") != std::string::npos);
  CHECK_FALSE(missing.out.empty());
}

TEST_CASE("cli batch: suppression from the documented bounce and complaint", "[cli]") {
  CliInputs inputs;
  inputs.files["b.json"] = read_file(data_path("ses/" + kBounce));
  CliOutput out =
      clicktrail::run_cli({"events", "--suppression", "--format", "csv", "b.json"}, inputs);
  CHECK(out.out ==
        "recipient,reason,detail,messageId,feedbackId,timestamp,epochMs\n"
        "recipient@example.com,permanentBounce,Permanent/General,"
        "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000,"
        "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000,"
        "2017-08-05T00:41:02.669Z,1501893662669\n");
}

TEST_CASE("cli batch: logs in random chunks give the same aggregates", "[cli]") {
  CliInputs inputs;
  std::string log =
      "#Version: 1.0\n"
      "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
      "sc-status cs(Referer) cs(User-Agent) cs-uri-query\n";
  for (int i = 0; i < 300; ++i) {
    log += "2026-11-2" + std::to_string(i % 3) + "\t10:00:0" + std::to_string(i % 10) +
           "\tFRA\t43\t192.0.2." + std::to_string(i % 50) + "\tGET\td.net\t" +
           (i % 3 == 0 ? "/c" : "/pxl.png") + "\t200\t-\tMozilla/5.0\toid=o&cid=c" +
           std::to_string(i % 2) + "&pid=p&ch=email&cr=a&s=1&mid=m" + std::to_string(i) + "&li=0\n";
  }
  log += "not a record";  // no final newline: end() must still see it
  inputs.files["a.log"] = log;
  std::vector<std::string> args{"logs", "--daily", "--format", "csv", "a.log"};
  CliOutput whole = clicktrail::run_cli(args, inputs);
  CHECK(whole.err.find("a.log:303: rejected") != std::string::npos);  // the last, unterminated line
  CHECK(whole.err.find("300 tracking hits") != std::string::npos);
  for (std::size_t chunk : {1, 13, 97, 4096}) {
    CliOutput split = run_chunked(args, inputs, chunk);
    CHECK(split.out == whole.out);
    CHECK(split.err == whole.err);
  }
  CHECK(clicktrail::run_cli({"logs", "--strict", "a.log"}, inputs).exit_code == 1);
  // 6 rows: 3 days x 2 campaigns, plus the header.
  CHECK(std::count(whole.out.begin(), whole.out.end(), '\n') == 7);
}

TEST_CASE("cli batch: progress line", "[cli]") {
  CHECK(clicktrail::cli_progress_line(0, 0) == "0 B read");
  CHECK(clicktrail::cli_progress_line(50'000'000, 100'000'000) ==
        "[###############...............]  50%  50.0 MB of 100.0 MB");
  CHECK(clicktrail::cli_progress_line(200, 100).find("100%") != std::string::npos);
}
