// A small JSON reader for the plugin's policy: no exceptions, no dependencies, C++17.
// It exists because the plugin is built with -fno-exceptions for Wasm, where a throwing parser
// would abort the VM on bad configuration instead of keeping the last good policy.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfi::json {

enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

struct Value {
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;                                  // kString
  std::vector<Value> items;                            // kArray
  std::vector<std::pair<std::string, Value>> members;  // kObject, in input order

  // The member named `key` of an object, or nullptr (also for non-objects).
  const Value* Find(std::string_view key) const;
};

// Parses a whole document (RFC 8259; nesting limited to 64 levels). Rejects what RFC 8259 leaves
// open or forbids: duplicate keys, invalid UTF-8, unpaired \u surrogates, numbers out of double
// range; a leading UTF-8 byte order mark is skipped. Numbers never depend on the C locale. On
// failure returns false, leaves *out untouched and sets *error (if not null) to one line,
// "line L, column C: what was expected" (C counts bytes from 1).
bool Parse(std::string_view text, Value* out, std::string* error);

const char* TypeName(Type type);

}  // namespace hfi::json
