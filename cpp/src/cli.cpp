#include "clicktrail/cli.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "cli_detail.hpp"
#include "clicktrail/json_api.hpp"
#include "clicktrail/rewrite.hpp"
#include "clicktrail/track.hpp"

namespace clicktrail {
namespace {

constexpr const char* kVersion = "clicktrail 0.1.0\n";

// The parsed command line; the same parse serves plan_cli and run_cli.
struct Command {
  std::string name;  // wrap, verify, help, version
  std::string error;
  std::string input = "-";  // wrap: FILE or "-"
  std::string url;          // verify
  std::string secret_file;
  std::vector<std::pair<std::string, std::string>> extra_keys;  // --key ID=FILE
  std::vector<std::string> allowed_hosts;
  std::int64_t now = -1;
  bool json = false;
  bool text = false;
  RewriteOptions options;
};

Command parse(const std::vector<std::string>& args) {
  Command command;
  if (args.empty()) {
    command.error = "missing command (wrap, verify, events or logs)";
    return command;
  }
  command.name = args[0];
  if (command.name == "--help" || command.name == "-h" || command.name == "help") {
    command.name = "help";
    return command;
  }
  if (command.name == "--version") {
    command.name = "version";
    return command;
  }
  if (command.name != "wrap" && command.name != "verify") {
    command.error =
        "unknown command '" + command.name + "' (expected wrap, verify, events or logs)";
    return command;
  }
  bool have_positional = false;
  RewriteOptions& options = command.options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        command.error = "option " + arg + " needs a value";
        return false;
      }
      out = args[++i];
      return true;
    };
    auto number = [&](std::int64_t& out) {
      std::string text;
      if (!value(text)) return false;
      if (!detail::parse_cli_int(text, out) || out < 0) {
        command.error = "option " + arg + " needs a non-negative integer, got '" + text + "'";
        return false;
      }
      return true;
    };
    std::string text;
    std::int64_t integer = 0;
    bool ok = true;
    if (arg == "--base-url")
      ok = value(options.base_url);
    else if (arg == "--key-id")
      ok = value(options.key.id);
    else if (arg == "--secret-file")
      ok = value(command.secret_file);
    else if (arg == "--message-id")
      ok = value(options.fields.message_id);
    else if (arg == "--recipient")
      ok = value(options.recipient_address);
    else if (arg == "--recipient-id")
      ok = value(options.fields.recipient_id);
    else if (arg == "--order-id")
      ok = value(options.fields.order_id);
    else if (arg == "--campaign-id")
      ok = value(options.fields.campaign_id);
    else if (arg == "--publication-id")
      ok = value(options.fields.publication_id);
    else if (arg == "--channel")
      ok = value(options.fields.channel);
    else if (arg == "--creative")
      ok = value(options.fields.creative);
    else if (arg == "--size")
      ok = value(options.fields.size);
    else if (arg == "--expires-at")
      ok = number(options.fields.expires_at);
    else if (arg == "--now")
      ok = number(command.now);
    else if (arg == "--max-links") {
      ok = number(integer);
      options.max_links = static_cast<std::size_t>(integer);
    } else if (arg == "--tag") {
      ok = value(text);
      for (auto& tag : parse_tags(text)) options.fields.tags.push_back(std::move(tag));
    } else if (arg == "--unsubscribe-url") {
      ok = value(text);
      options.unsubscribe_urls.push_back(text);
    } else if (arg == "--allowed-host") {
      ok = value(text);
      command.allowed_hosts.push_back(text);
    } else if (arg == "--key") {
      ok = value(text);
      std::size_t equals = text.find('=');
      if (ok && (equals == std::string::npos || equals == 0 || equals + 1 == text.size())) {
        command.error = "--key needs ID=SECRET_FILE";
        ok = false;
      } else if (ok) {
        command.extra_keys.emplace_back(text.substr(0, equals), text.substr(equals + 1));
      }
    } else if (arg == "--mode") {
      ok = value(text);
      if (ok && text == "ses")
        options.mode = RewriteMode::ses;
      else if (ok && text != "wrap") {
        command.error = "--mode must be wrap or ses";
        ok = false;
      }
    } else if (arg == "--no-pixel")
      options.open_pixel = false;
    else if (arg == "--no-linkify")
      options.linkify = false;
    else if (arg == "--no-clicks")
      options.track_clicks = false;
    else if (arg == "--json")
      command.json = true;
    else if (arg == "--text")
      command.text = true;
    else if (arg.size() > 1 && arg[0] == '-') {
      command.error = "unknown option " + arg;
      ok = false;
    } else if (!have_positional) {
      (command.name == "wrap" ? command.input : command.url) = arg;
      have_positional = true;
    } else {
      command.error = "unexpected argument '" + arg + "'";
      ok = false;
    }
    if (!ok) return command;
  }
  bool needs_key = command.name == "verify" || options.mode == RewriteMode::wrap;
  if (command.name == "verify" && !have_positional)
    command.error = "verify needs a URL";
  else if (needs_key && options.key.id.empty() && command.extra_keys.empty()) {
    command.error = "--key-id is required";
  } else if (command.name == "wrap" && options.mode == RewriteMode::wrap &&
             options.base_url.empty()) {
    command.error = "--base-url is required";
  }
  return command;
}

std::string trim_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// Finds the secret: --secret-file, else CLICKTRAIL_SECRET. Sets `error` when neither works.
std::optional<std::string> find_secret(const Command& command, const CliInputs& inputs,
                                       std::string& error) {
  if (!command.secret_file.empty()) {
    auto it = inputs.files.find(command.secret_file);
    if (it == inputs.files.end()) {
      error = "cannot read secret file '" + command.secret_file + "'";
      return std::nullopt;
    }
    return trim_newline(it->second);
  }
  if (inputs.env_secret && !inputs.env_secret->empty()) return *inputs.env_secret;
  error = "no secret: pass --secret-file FILE or set CLICKTRAIL_SECRET";
  return std::nullopt;
}

CliOutput usage_error(const std::string& message) {
  return detail::cli_usage_error(message);
}

CliOutput run_wrap(Command& command, const CliInputs& inputs) {
  RewriteOptions& options = command.options;
  if (options.mode == RewriteMode::wrap) {
    std::string error;
    auto secret = find_secret(command, inputs, error);
    if (!secret) return usage_error(error);
    options.key.secret = *secret;
  }
  auto input = inputs.files.find(command.input);
  if (input == inputs.files.end()) {
    return {"", "clicktrail: cannot read '" + command.input + "'\n", 2};
  }
  auto result =
      command.text ? rewrite_text(input->second, options) : rewrite_links(input->second, options);
  if (!result) return usage_error(result.error().message);
  CliOutput output;
  const RewriteResult& rewritten = result.value();
  if (command.json) {
    output.out = rewrite_report_to_json(rewritten.report, &rewritten.output, 2) + "\n";
  } else {
    output.out = rewritten.output;
    for (const RewriteWarning& warning : rewritten.report.warnings) {
      output.err += "clicktrail: warning: line " + std::to_string(warning.line) + ": " +
                    warning.message + "\n";
    }
  }
  return output;
}

CliOutput run_verify(const Command& command, const CliInputs& inputs) {
  std::vector<SigningKey> keys;
  if (!command.options.key.id.empty()) {
    std::string error;
    auto secret = find_secret(command, inputs, error);
    if (!secret) return usage_error(error);
    keys.push_back({command.options.key.id, *secret});
  }
  for (const auto& [id, file] : command.extra_keys) {
    auto it = inputs.files.find(file);
    if (it == inputs.files.end())
      return {"", "clicktrail: cannot read secret file '" + file + "'\n", 2};
    keys.push_back({id, trim_newline(it->second)});
  }
  VerifyOptions options;
  // The machine's clock unless --now pins it (tests, replaying old URLs).
  options.now = command.now >= 0 ? command.now : static_cast<std::int64_t>(std::time(nullptr));
  options.allowed_hosts = command.allowed_hosts;
  auto result = verify_tracking_url(command.url, keys, options);
  CliOutput output;
  output.out = verify_result_to_json(result, 2) + "\n";
  if (!result) {
    output.err = "clicktrail: refused: " + std::string(to_string(result.error().code)) + ": " +
                 result.error().message + "\n";
    output.exit_code = 1;
  }
  return output;
}

}  // namespace

CliPlan plan_one_shot_cli(const std::vector<std::string>& args) {
  CliPlan plan;
  Command command = parse(args);
  if (!command.error.empty()) {
    plan.error = command.error;
    return plan;
  }
  if (command.name == "wrap") plan.read_files.push_back(command.input);
  if (!command.secret_file.empty()) plan.read_files.push_back(command.secret_file);
  for (const auto& key : command.extra_keys) plan.read_files.push_back(key.second);
  plan.wants_env_secret = command.secret_file.empty();
  return plan;
}

CliOutput run_one_shot_cli(const std::vector<std::string>& args, const CliInputs& inputs) {
  Command command = parse(args);
  if (!command.error.empty()) return usage_error(command.error);
  if (command.name == "help") return {detail::cli_usage(), "", 0};
  if (command.name == "version") return {kVersion, "", 0};
  if (command.name == "verify") return run_verify(command, inputs);
  return run_wrap(command, inputs);
}

}  // namespace clicktrail
