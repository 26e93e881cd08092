// The engine's entry point: one source (name + kind + bytes, wherever they came from) and an
// optional baseline in, one SourceReport out. Parses with the scrape-mode parser, then checks.
#pragma once

#include <string>

#include "verify/checks.h"
#include "verify/report.h"

namespace hfi::verify {

struct Source {
  std::string name;  // how findings name it: a path, "<stdin>"
  SourceKind kind = SourceKind::kFile;
  std::string body;  // the bytes of a /stats/prometheus response
};

SourceReport VerifySource(const Source& source, const Source* baseline,
                          const CheckOptions& options);

}  // namespace hfi::verify
