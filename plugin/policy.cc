#include "plugin/policy.h"

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <utility>

#include "plugin/json.h"

namespace hfi::plugin {

std::size_t Policy::RuleCount() const {
  std::size_t count = 0;
  for (const PolicyEntry& entry : entries)
    count += entry.rules.size();
  return count;
}

namespace {

using json::Type;
using json::Value;

// Echoes a piece of the input in an error: quoted, control bytes escaped and long text cut, so the
// error stays one readable line whatever the configuration holds.
std::string Quote(std::string_view text) {
  constexpr std::size_t kMaxEcho = 64;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxEcho; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxEcho)
    out += "...";
  return out + "\"";
}

// A key as it appears in a JSON path: plain when it is a simple identifier, else quoted.
std::string PathKey(std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      plain = false;
    }
  }
  return plain ? std::string(key) : Quote(key);
}

std::string FormatNumber(double number) {
  char text[32];
  if (std::floor(number) == number && std::fabs(number) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", number);
  } else {
    std::snprintf(text, sizeof text, "%.15g", number);
  }
  return text;
}

const char* WithArticle(Type type) {
  switch (type) {
    case Type::kObject:
      return "an object";
    case Type::kArray:
      return "an array";
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number";
    case Type::kBool:
      return "a boolean";
    case Type::kNull:
      break;
  }
  return "null";
}

// Walks the JSON tree, building each error with the JSON path of the value at fault.
class PolicyParser {
 public:
  explicit PolicyParser(std::string* error) : error_(error) {}

  bool ParseDocument(const Value& root, Policy* policy) {
    if (!ExpectType(root, Type::kObject, ""))
      return false;
    if (!CheckFields(root, "", {"policies"}))
      return false;
    const Value* policies = root.Find("policies");
    // `{}` says nothing, as empty text does: no policies.
    if (policies == nullptr)
      return true;
    if (!ExpectType(*policies, Type::kArray, "policies"))
      return false;
    for (std::size_t i = 0; i < policies->items.size(); ++i) {
      PolicyEntry entry;
      const std::string path = Index("policies", i);
      if (!ParseEntry(policies->items[i], path, &entry))
        return false;
      for (std::size_t j = 0; j < policy->entries.size(); ++j) {
        // Expiry is kept per policy name, so two policies with one name would share a clock.
        if (policy->entries[j].name == entry.name) {
          return Fail(path + ".metadata.name", "duplicate policy name " + Quote(entry.name) +
                                                   " (also " + Index("policies", j) + ")");
        }
      }
      policy->entries.push_back(std::move(entry));
    }
    return true;
  }

 private:
  static std::string Index(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
  }
  static std::string Member(const std::string& path, std::string_view key) {
    return path.empty() ? PathKey(key) : path + "." + PathKey(key);
  }

  bool Fail(const std::string& path, const std::string& why) {
    *error_ = (path.empty() ? std::string("configuration") : path) + ": " + why;
    return false;
  }

  bool ExpectType(const Value& value, Type type, const std::string& path) {
    if (value.type == type)
      return true;
    return Fail(
        path, std::string("must be ") + WithArticle(type) + ", got " + json::TypeName(value.type));
  }

  // Every member must be one of `allowed`: a misspelt field would otherwise be ignored and the rule
  // would silently do something else than meant. (json::Parse already refuses duplicate keys.)
  bool CheckFields(const Value& object, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
    for (const auto& member : object.members) {
      const std::string& key = member.first;
      bool known = false;
      for (std::string_view name : allowed)
        known = known || key == name;
      if (!known) {
        std::string expected;
        for (std::string_view name : allowed) {
          expected += expected.empty() ? "" : ", ";
          expected += name;
        }
        return Fail(Member(path, key), "unknown field (expected " +
                                           std::string(allowed.size() == 1 ? "" : "one of: ") +
                                           expected + ")");
      }
    }
    return true;
  }

  bool GetString(const Value& object, std::string_view key, const std::string& path,
                 std::string* out) {
    const Value* value = object.Find(key);
    if (value == nullptr)
      return true;
    if (!ExpectType(*value, Type::kString, Member(path, key)))
      return false;
    *out = value->string;
    return true;
  }

  // A whole-number member in [min, max]; absent leaves *out as it is.
  bool GetInteger(const Value& object, std::string_view key, const std::string& path,
                  std::uint32_t min, std::uint32_t max, const char* unit, std::uint32_t* out) {
    const Value* value = object.Find(key);
    if (value == nullptr)
      return true;
    const std::string where = Member(path, key);
    if (!ExpectType(*value, Type::kNumber, where))
      return false;
    const double number = value->number;
    if (std::floor(number) != number) {
      return Fail(where, "must be a whole number, got " + FormatNumber(number));
    }
    if (number < min || number > max) {
      return Fail(where, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                             unit + ", got " + FormatNumber(number));
    }
    *out = static_cast<std::uint32_t>(number);
    return true;
  }

  bool ParseEntry(const Value& value, const std::string& path, PolicyEntry* entry) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path, {"metadata", "spec"}))
      return false;

    const Value* metadata = value.Find("metadata");
    if (metadata == nullptr)
      return Fail(path + ".metadata", "is required");
    // Other metadata fields (the control plane adds "version") describe the policy and change
    // nothing, so they are allowed.
    if (!ExpectType(*metadata, Type::kObject, path + ".metadata"))
      return false;
    const Value* name = metadata->Find("name");
    if (name == nullptr)
      return Fail(path + ".metadata.name", "is required");
    if (!ExpectType(*name, Type::kString, path + ".metadata.name"))
      return false;
    if (name->string.empty())
      return Fail(path + ".metadata.name", "must not be empty");
    entry->name = name->string;

    const Value* spec = value.Find("spec");
    const std::string spec_path = path + ".spec";
    if (spec == nullptr)
      return Fail(spec_path, "is required");
    if (!ExpectType(*spec, Type::kObject, spec_path))
      return false;
    if (!CheckFields(*spec, spec_path, {"selector", "rules"}))
      return false;

    if (const Value* selector = spec->Find("selector")) {
      const std::string where = spec_path + ".selector";
      if (!ExpectType(*selector, Type::kObject, where))
        return false;
      if (!CheckFields(*selector, where, {"service", "namespace"}))
        return false;
      if (!GetString(*selector, "service", where, &entry->selector.service))
        return false;
      if (!GetString(*selector, "namespace", where, &entry->selector.namespace_name))
        return false;
      if (entry->selector.service == "*")
        entry->selector.service.clear();
      if (entry->selector.namespace_name == "*")
        entry->selector.namespace_name.clear();
    }

    const Value* rules = spec->Find("rules");
    const std::string rules_path = spec_path + ".rules";
    if (rules == nullptr)
      return Fail(rules_path, "is required");
    if (!ExpectType(*rules, Type::kArray, rules_path))
      return false;
    if (rules->items.empty())
      return Fail(rules_path, "must have at least one rule");
    for (std::size_t i = 0; i < rules->items.size(); ++i) {
      Rule rule;
      if (!ParseRule(rules->items[i], Index(rules_path, i), &rule))
        return false;
      entry->rules.push_back(std::move(rule));
    }
    return true;
  }

  bool ParseRule(const Value& value, const std::string& path, Rule* rule) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path, {"match", "fault"}))
      return false;
    if (const Value* match = value.Find("match")) {
      if (!ParseMatch(*match, path + ".match", &rule->match))
        return false;
    }
    const Value* fault = value.Find("fault");
    if (fault == nullptr)
      return Fail(path + ".fault", "is required");
    return ParseFault(*fault, path + ".fault", &rule->fault);
  }

  bool ParseMatch(const Value& value, const std::string& path, Match* match) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path, {"path", "method", "headers"}))
      return false;
    if (const Value* p = value.Find("path")) {
      if (!ParseStringMatch(*p, path + ".path", {"exact", "prefix", "regex"}, &match->path)) {
        return false;
      }
    }
    if (const Value* m = value.Find("method")) {
      if (!ParseStringMatch(*m, path + ".method", {"exact", "prefix", "regex"}, &match->method)) {
        return false;
      }
    }
    if (const Value* headers = value.Find("headers")) {
      const std::string where = path + ".headers";
      if (!ExpectType(*headers, Type::kArray, where))
        return false;
      for (std::size_t i = 0; i < headers->items.size(); ++i) {
        const Value& item = headers->items[i];
        const std::string item_path = Index(where, i);
        HeaderMatch header;
        if (!ParseStringMatch(item, item_path, {"name", "exact", "prefix", "regex"},
                              &header.value)) {
          return false;
        }
        const Value* name = item.Find("name");
        if (name == nullptr)
          return Fail(item_path + ".name", "is required");
        if (!ExpectType(*name, Type::kString, item_path + ".name"))
          return false;
        if (name->string.empty())
          return Fail(item_path + ".name", "must not be empty");
        header.name = name->string;
        for (char& c : header.name) {
          if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        }
        match->headers.push_back(std::move(header));
      }
    }
    return true;
  }

  // {exact?, prefix?, regex?}: when several are set the first of exact, prefix, regex decides, as
  // in the original; every one that is set must still be valid.
  bool ParseStringMatch(const Value& value, const std::string& path,
                        std::initializer_list<std::string_view> allowed, StringMatch* out) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path, allowed))
      return false;
    std::string exact, prefix, regex;
    if (!GetString(value, "exact", path, &exact))
      return false;
    if (!GetString(value, "prefix", path, &prefix))
      return false;
    if (!GetString(value, "regex", path, &regex))
      return false;
    re::Regex compiled;
    if (value.Find("regex") != nullptr) {
      std::string why;
      if (!re::Regex::Compile(regex, &compiled, &why)) {
        return Fail(path + ".regex", "does not compile: " + why);
      }
    }
    if (value.Find("exact") != nullptr) {
      out->kind = StringMatch::Kind::kExact;
      out->text = std::move(exact);
    } else if (value.Find("prefix") != nullptr) {
      out->kind = StringMatch::Kind::kPrefix;
      out->text = std::move(prefix);
    } else if (value.Find("regex") != nullptr) {
      out->kind = StringMatch::Kind::kRegex;
      out->text = std::move(regex);
      out->regex = std::move(compiled);
    }
    return true;
  }

  bool ParseFault(const Value& value, const std::string& path, Fault* fault) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path,
                     {"percentage", "abort", "delay", "start_delay_ms", "duration_seconds"})) {
      return false;
    }
    const Value* percentage = value.Find("percentage");
    if (percentage == nullptr)
      return Fail(path + ".percentage", "is required");
    if (!ExpectType(*percentage, Type::kNumber, path + ".percentage"))
      return false;
    if (!(percentage->number >= 0 && percentage->number <= 100)) {
      return Fail(path + ".percentage",
                  "must be between 0 and 100, got " + FormatNumber(percentage->number));
    }
    fault->percentage = percentage->number;

    if (const Value* abort = value.Find("abort")) {
      const std::string where = path + ".abort";
      if (!ExpectType(*abort, Type::kObject, where))
        return false;
      if (!CheckFields(*abort, where, {"httpStatus", "body"}))
        return false;
      Abort parsed;
      if (abort->Find("httpStatus") == nullptr)
        return Fail(where + ".httpStatus", "is required");
      if (!GetInteger(*abort, "httpStatus", where, 200, 599, "", &parsed.http_status))
        return false;
      if (!GetString(*abort, "body", where, &parsed.body))
        return false;
      fault->abort = std::move(parsed);
    }
    if (const Value* delay = value.Find("delay")) {
      std::uint32_t delay_ms = 0;
      if (!ParseDelay(*delay, path + ".delay", &delay_ms))
        return false;
      fault->delay_ms = delay_ms;
    }
    if (!fault->abort && !fault->delay_ms)
      return Fail(path, "must have an abort or a delay");
    if (!GetInteger(value, "start_delay_ms", path, 0, kMaxDelayMs, " ms (one hour)",
                    &fault->start_delay_ms)) {
      return false;
    }
    return GetInteger(value, "duration_seconds", path, 0, kMaxDurationSeconds, " s (one year)",
                      &fault->duration_seconds);
  }

  // {fixed_delay_ms: N} (current form) or {fixed_delay: "500ms" | "1s" | "1m" | "250"} (the form
  // before the original's feature 010; a bare number is milliseconds).
  bool ParseDelay(const Value& value, const std::string& path, std::uint32_t* delay_ms) {
    if (!ExpectType(value, Type::kObject, path))
      return false;
    if (!CheckFields(value, path, {"fixed_delay_ms", "fixed_delay"}))
      return false;
    const Value* ms = value.Find("fixed_delay_ms");
    const Value* text = value.Find("fixed_delay");
    if (ms != nullptr && text != nullptr) {
      return Fail(path, "set only one of fixed_delay_ms and fixed_delay");
    }
    if (ms != nullptr) {
      return GetInteger(value, "fixed_delay_ms", path, 0, kMaxDelayMs, " ms (one hour)", delay_ms);
    }
    if (text == nullptr)
      return Fail(path, "must set fixed_delay_ms (or fixed_delay)");
    const std::string where = path + ".fixed_delay";
    if (!ExpectType(*text, Type::kString, where))
      return false;
    return ParseDurationText(text->string, where, delay_ms);
  }

  bool ParseDurationText(const std::string& text, const std::string& where,
                         std::uint32_t* delay_ms) {
    std::size_t digits = 0;
    std::uint64_t number = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
      // Saturate: anything past 10^12 is far beyond the limit anyway.
      if (number < 1'000'000'000'000) {
        number = number * 10 + static_cast<std::uint64_t>(text[digits] - '0');
      }
      ++digits;
    }
    const std::string_view unit = std::string_view(text).substr(digits);
    std::uint64_t scale = 0;
    if (unit.empty() || unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60'000;
    }
    if (digits == 0 || scale == 0) {
      return Fail(where, "must be a duration like \"500ms\", \"1s\", \"1m\" or \"250\" (ms), got " +
                             Quote(text));
    }
    const std::uint64_t total = number * scale;  // < 10^13 * 60000: no overflow
    if (total > kMaxDelayMs) {
      return Fail(where, "must be at most " + std::to_string(kMaxDelayMs) + " ms (one hour), got " +
                             Quote(text));
    }
    *delay_ms = static_cast<std::uint32_t>(total);
    return true;
  }

  std::string* error_;
};

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return false;
  }
  return true;
}

}  // namespace

bool ParsePolicy(std::string_view text, Policy* out, std::string* error) {
  Policy policy;
  if (!IsBlank(text)) {
    Value root;
    std::string why;
    if (!json::Parse(text, &root, &why)) {
      *error = "configuration is not valid JSON: " + why;
      return false;
    }
    if (!PolicyParser(error).ParseDocument(root, &policy))
      return false;
  }
  *out = std::move(policy);
  return true;
}

}  // namespace hfi::plugin
