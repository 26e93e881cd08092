// A RequestView over plain strings, for tests, the benchmark and the fuzzer: the same matching code
// the plugin runs over the host's headers, without a host.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugin/matcher.h"

namespace hfi::plugin {

class MapRequestView final : public RequestView {
 public:
  // Header names may be in any case: HTTP header names are case-insensitive, and the host hands
  // them over lower-cased.
  MapRequestView(std::string path, std::string method,
                 std::vector<std::pair<std::string, std::string>> headers = {})
      : path_(std::move(path)), method_(std::move(method)), headers_(std::move(headers)) {
    for (auto& header : headers_) {
      for (char& c : header.first) {
        if (c >= 'A' && c <= 'Z')
          c = static_cast<char>(c - 'A' + 'a');
      }
    }
  }

  std::string_view Path() const override { return path_; }
  std::string_view Method() const override { return method_; }
  std::optional<std::string_view> Header(std::string_view lower_name) const override {
    for (const auto& header : headers_) {
      if (header.first == lower_name)
        return std::string_view(header.second);
    }
    return std::nullopt;
  }

 private:
  std::string path_, method_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace hfi::plugin
