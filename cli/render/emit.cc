// YAML and JSON forms of rendered objects. The objects are JSON values (typed: a label "true" is a
// string, a percentage 100 a number); the YAML emitter keeps those types visible to readers that
// guess types from plain scalars.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "render/manifests.h"

namespace hfi::render {
namespace {

using Json = nlohmann::ordered_json;

// Whether a plain scalar with this text would be read as something other than a string. Covers
// YAML 1.2's core schema and YAML 1.1's extras (yes/no/on/off, 0x.., 1_000, 12:30), which the
// go-yaml v2 reader behind kubectl still applies. Over-quoting is harmless; under-quoting turns a
// label value "on" into a boolean.
bool ReadsAsNonString(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::string_view kWords[] = {"true", "false", "yes", "no",   "y",
                                                "n",    "on",    "off", "null", "~"};
  if (std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords))
    return true;
  std::string_view unsigned_text = lower;
  if (!unsigned_text.empty() && (unsigned_text.front() == '+' || unsigned_text.front() == '-'))
    unsigned_text.remove_prefix(1);
  if (unsigned_text.empty())
    return false;
  if (std::isdigit(static_cast<unsigned char>(unsigned_text.front())))
    return true;
  return unsigned_text == ".inf" || unsigned_text == ".nan" ||
         (unsigned_text.size() > 1 && unsigned_text[0] == '.' &&
          std::isdigit(static_cast<unsigned char>(unsigned_text[1])));
}

// A literal block (`|`) keeps text such as an embedded YAML document readable. yaml-cpp writes the
// block with "clip" chomping, which adds one final line break on reading, so only text ending in
// exactly one line break qualifies, and that break is left for the reader to restore.
bool FitsLiteralBlock(std::string_view text) {
  if (text.size() < 2 || text.back() != '\n' || text[text.size() - 2] == '\n' ||
      text.front() == ' ' || text.front() == '\n')
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '\n' || (byte >= 0x20 && byte != 0x7f);
  });
}

// JSON text in a string (the sidecar volume annotations) reads best single-quoted, as people
// write it: no escaped double quotes.
bool IsJsonInString(std::string_view text) {
  if (text.empty() || (text.front() != '{' && text.front() != '['))
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c != '\'' && byte >= 0x20 && byte != 0x7f;
  });
}

void EmitString(YAML::Emitter& out, const std::string& text) {
  if (FitsLiteralBlock(text))
    out << YAML::Literal << text.substr(0, text.size() - 1);
  else if (IsJsonInString(text))
    out << YAML::SingleQuoted << text;
  else if (ReadsAsNonString(text) || text.find('\n') != std::string::npos)
    out << YAML::DoubleQuoted << text;
  else
    out << text;  // yaml-cpp quotes what its own grammar needs (": ", "#", leading '*', ...)
}

void Emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty())
        out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        EmitString(out, key);
        out << YAML::Value;
        Emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      if (value.empty())
        out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const Json& item : value)
        Emit(out, item);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string:
      EmitString(out, value.get_ref<const std::string&>());
      break;
    case Json::value_t::boolean:
      out << value.get<bool>();
      break;
    case Json::value_t::number_integer:
      out << value.get<long long>();
      break;
    case Json::value_t::number_unsigned:
      out << value.get<unsigned long long>();
      break;
    case Json::value_t::number_float: {
      // JSON's shortest round-trip text, with a '.' before any exponent: YAML 1.1 readers
      // (PyYAML) take "1e+300" for a string.
      std::string text = value.dump();
      const std::size_t exponent = text.find_first_of("eE");
      if (exponent != std::string::npos && text.find('.') == std::string::npos)
        text.insert(exponent, ".0");
      out << text;
      break;
    }
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string ToYaml(const std::vector<Json>& objects) {
  std::string text;
  for (const Json& object : objects) {
    YAML::Emitter out;
    Emit(out, object);
    if (!text.empty())
      text += "---\n";
    text += out.c_str();
    text += '\n';
  }
  return text;
}

std::string ToJsonList(const std::vector<Json>& objects) {
  Json list = Json::object();
  list["apiVersion"] = "v1";
  list["kind"] = "List";
  list["items"] = Json::array();
  for (const Json& object : objects)
    list["items"].push_back(object);
  return list.dump(4, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace hfi::render
