#include "kube/kubectl.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace hfi::kube {
namespace {

constexpr std::size_t kMaxMessage = 300;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

template <std::size_t N>
bool ContainsAny(std::string_view text, const std::array<std::string_view, N>& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return Contains(text, p); });
}

// client-go's klog lines: "E0102 15:04:05.123456   12345 file.go:42] message".
bool IsKlogLine(std::string_view line) {
  return line.size() > 6 &&
         (line[0] == 'I' || line[0] == 'W' || line[0] == 'E' || line[0] == 'F') &&
         std::all_of(line.begin() + 1, line.begin() + 5,
                     [](unsigned char c) { return std::isdigit(c) != 0; }) &&
         line[5] == ' ';
}

// The line that says what went wrong: not a warning, not client-go's retry log, unless there is
// nothing else.
std::string FirstMeaningfulLine(std::string_view text) {
  std::string_view fallback;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty())
      continue;
    // kubectl exec's note on which container it chose comes before any error.
    if (line.rfind("Warning:", 0) == 0 || line.rfind("Defaulted container ", 0) == 0 ||
        IsKlogLine(line)) {
      if (fallback.empty())
        fallback = line;
      continue;
    }
    fallback = line;
    break;
  }
  std::string message(fallback.substr(0, kMaxMessage));
  // Never end inside a UTF-8 sequence.
  if (fallback.size() > kMaxMessage) {
    while (!message.empty() && (static_cast<unsigned char>(message.back()) & 0xC0) == 0x80)
      message.pop_back();
    if (!message.empty() && (static_cast<unsigned char>(message.back()) & 0xC0) == 0xC0)
      message.pop_back();
  }
  return message;
}

// The quoted text right after `marker`, e.g. cannot create resource "pods/portforward".
std::optional<std::string> QuotedAfter(std::string_view text, std::string_view marker) {
  std::size_t at = text.find(marker);
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view rest = text.substr(at + marker.size());
  if (rest.empty() || rest.front() != '"')
    return std::nullopt;
  std::size_t close = rest.find('"', 1);
  if (close == std::string_view::npos)
    return std::nullopt;
  return std::string(rest.substr(1, close - 1));
}

// RBAC denials: `User "alice" cannot VERB resource "RES" in API group "G" ...`. The resource is
// given the way `kubectl auth can-i` takes it: deployments.apps, pods/portforward,
// deployments.apps/scale.
void ReadRbacDenial(std::string_view text, KubectlFailure* failure) {
  std::size_t at = text.find("cannot ");
  while (at != std::string_view::npos) {
    std::string_view rest = text.substr(at + 7);
    std::size_t space = rest.find(' ');
    if (space != std::string_view::npos && space > 0) {
      std::string_view verb = rest.substr(0, space);
      std::optional<std::string> resource = QuotedAfter(rest.substr(space), " resource ");
      if (resource && rest.substr(space).rfind(" resource ", 0) == 0) {
        std::optional<std::string> group = QuotedAfter(rest, " in API group ");
        std::string name = *resource;
        if (group && !group->empty()) {
          std::size_t slash = name.find('/');
          if (slash == std::string::npos)
            name += "." + *group;
          else
            name.insert(slash, "." + *group);
        }
        failure->verb = std::string(verb);
        failure->resource = std::move(name);
        return;
      }
    }
    at = text.find("cannot ", at + 7);
  }
}

bool ParsePort(std::string_view digits, int* port) {
  if (digits.empty() || digits.size() > 5 ||
      !std::all_of(digits.begin(), digits.end(),
                   [](unsigned char c) { return std::isdigit(c) != 0; }))
    return false;
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (value < 1 || value > 65535)
    return false;
  *port = value;
  return true;
}

bool IsIpv4(std::string_view host) {
  int parts = 0;
  while (true) {
    std::size_t dot = host.find('.');
    std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; }))
      return false;
    int value = 0;
    std::from_chars(part.data(), part.data() + part.size(), value);
    if (value > 255)
      return false;
    ++parts;
    if (dot == std::string_view::npos)
      break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool IsIpv6(std::string_view host) {
  return !host.empty() && Contains(host, ":") &&
         std::all_of(host.begin(), host.end(),
                     [](unsigned char c) { return std::isxdigit(c) != 0 || c == ':' || c == '.'; });
}

}  // namespace

std::string DurationText(milliseconds duration) {
  const long long ms = duration.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + "s";
  if (ms < 1000)
    return std::to_string(ms) + "ms";
  const std::string tenths = std::to_string((ms + 50) / 100);
  return tenths.substr(0, tenths.size() - 1) + "." + tenths.back() + "s";
}

KubectlFailure ClassifyFailure(const KubectlResult& result) {
  using Kind = KubectlFailure::Kind;
  KubectlFailure failure;
  const std::string_view err = result.err;
  failure.message = FirstMeaningfulLine(err);

  switch (result.end) {
    case KubectlResult::End::kInterrupted:
      failure.kind = Kind::kInterrupted;
      if (failure.message.empty())
        failure.message = "interrupted";
      return failure;
    case KubectlResult::End::kTimedOut:
      failure.kind = Kind::kTimeout;
      if (failure.message.empty())
        failure.message = "no answer within " + DurationText(result.elapsed);
      return failure;
    case KubectlResult::End::kCrashed:
      failure.kind = Kind::kCrashed;
      if (failure.message.empty())
        failure.message = "kubectl died of a signal";
      return failure;
    case KubectlResult::End::kExited:
      break;
  }

  // Most specific first: an RBAC denial of port-forward names a pod and mentions "upgrading
  // connection"; "container not found" is a state of the pod, not a missing object.
  if (Contains(err, "is forbidden:") || Contains(err, "(Forbidden)")) {
    failure.kind = Kind::kForbidden;
    ReadRbacDenial(err, &failure);
  } else if (ContainsAny(err,
                         std::array<std::string_view, 3>{"is not valid for pod", "not found in pod",
                                                         "a container name must be specified"})) {
    failure.kind = Kind::kNoContainer;
  } else if (ContainsAny(
                 err, std::array<std::string_view, 6>{
                          "pod is not running", "container not found (", "ContainerCreating",
                          "is waiting to start", "cannot exec into a container in a completed pod",
                          "does not have a host assigned"})) {
    failure.kind = Kind::kNotRunning;
  } else if (ContainsAny(err, std::array<std::string_view, 11>{
                                  "Unable to connect to the server", "(Unauthorized)",
                                  "You must be logged in", "was refused - did you specify",
                                  "connection refused", "no such host",
                                  "x509:", "certificate signed by unknown authority",
                                  "no route to host", "network is unreachable", "TLS handshake"})) {
    // A dial that timed out is a cluster out of reach, not a slow answer.
    failure.kind = Kind::kUnreachable;
  } else if (ContainsAny(err, std::array<std::string_view, 6>{
                                  "(Timeout)", "i/o timeout", "timed out",
                                  "context deadline exceeded", "Client.Timeout exceeded",
                                  "unable to return a response in the time allotted"})) {
    failure.kind = Kind::kTimeout;
  } else if (ContainsAny(err, std::array<std::string_view, 4>{
                                  "(NotFound)", "\" not found", "pod does not exist",
                                  "could not find the requested resource"})) {
    failure.kind = Kind::kNotFound;
  }
  if (failure.message.empty())
    failure.message = "kubectl exited with code " + std::to_string(result.exit_code);
  return failure;
}

std::string_view FailureKindName(KubectlFailure::Kind kind) {
  switch (kind) {
    case KubectlFailure::Kind::kNotFound:
      return "not-found";
    case KubectlFailure::Kind::kForbidden:
      return "forbidden";
    case KubectlFailure::Kind::kUnreachable:
      return "unreachable";
    case KubectlFailure::Kind::kTimeout:
      return "timeout";
    case KubectlFailure::Kind::kNoContainer:
      return "no-container";
    case KubectlFailure::Kind::kNotRunning:
      return "not-running";
    case KubectlFailure::Kind::kInterrupted:
      return "interrupted";
    case KubectlFailure::Kind::kCrashed:
      return "crashed";
    case KubectlFailure::Kind::kOther:
      break;
  }
  return "other";
}

int ParseForwardingLine(std::string_view line) {
  constexpr std::string_view kPrefix = "Forwarding from ";
  line = Trim(line);
  if (line.rfind(kPrefix, 0) != 0)
    return 0;
  line.remove_prefix(kPrefix.size());
  std::size_t arrow = line.find(" -> ");
  if (arrow == std::string_view::npos)
    return 0;
  std::string_view address = line.substr(0, arrow);
  int remote = 0;
  if (!ParsePort(line.substr(arrow + 4), &remote))
    return 0;
  std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos)
    return 0;
  std::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    if (!IsIpv6(host.substr(1, host.size() - 2)))
      return 0;
  } else if (!IsIpv4(host)) {
    return 0;
  }
  int local = 0;
  return ParsePort(address.substr(colon + 1), &local) ? local : 0;
}

}  // namespace hfi::kube
