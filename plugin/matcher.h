// Does a request satisfy a rule's match conditions? Works on a RequestView, so the same code runs
// over the host's headers in the plugin and over plain maps in tests and benchmarks.
#pragma once

#include <optional>
#include <string_view>

#include "plugin/policy.h"

namespace hfi::plugin {

// The parts of a request a rule can look at. Lookups are lazy: a rule that never asks for a header
// costs nothing.
class RequestView {
 public:
  virtual ~RequestView() = default;
  virtual std::string_view Path() const = 0;
  virtual std::string_view Method() const = 0;
  // The value of the header named `lower_name` (any header, pseudo-headers included), or nullopt
  // when the request has none. The view stays valid until the next call to Header().
  virtual std::optional<std::string_view> Header(std::string_view lower_name) const = 0;
};

bool MatchesString(const StringMatch& match, std::string_view value);

// True when every condition of `match` holds for `request`. A header condition needs the header to
// be present (a missing header never matches); with no value condition, presence is enough.
bool Matches(const Match& match, const RequestView& request);

}  // namespace hfi::plugin
