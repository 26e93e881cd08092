#include "prom/parser.h"

#include "prom/scanner.h"

namespace hfi::prom {

std::string Diagnostic::Format(std::string_view source) const {
  std::string out(source);
  out += ':';
  out += std::to_string(line);
  out += ':';
  out += std::to_string(column);
  out += ": ";
  out += message;
  return out;
}

bool ParseResult::ok() const {
  for (const Diagnostic& d : diagnostics) {
    if (d.error)
      return false;
  }
  return true;
}

const Family* ParseResult::Find(std::string_view family_name) const {
  for (const Family& f : families) {
    if (f.name == family_name)
      return &f;
  }
  return nullptr;
}

ParseResult Parse(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  Scanner scanner(text, options, &result);
  scanner.Run();
  return result;
}

}  // namespace hfi::prom
