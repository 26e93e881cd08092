#include "net/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi::net {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// curl_global_init is not safe to race with itself or with other threads' handles, so it runs
// once, before the first handle of the process.
void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw EnvironmentError("libcurl", "global initialisation failed");
  });
}

struct Transfer {
  HttpResponse* response;
  std::size_t max_body_bytes;
  bool body_too_large = false;
};

int OnProgress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return hfi::Interrupted() ? 1 : 0;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string& body = transfer->response->body;
  if (n > transfer->max_body_bytes - std::min(body.size(), transfer->max_body_bytes)) {
    transfer->body_too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  body.append(data, n);
  return n;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  // A status line starts a new response head: an interim 100 Continue's headers must not mix
  // with the final response's.
  if (line.starts_with("HTTP/")) {
    transfer->response->headers.clear();
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return n;  // the blank line ending the head, or an obsolete folded line
  std::string name(Trim(line.substr(0, colon)));
  for (char& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  transfer->response->headers.emplace_back(std::move(name),
                                           std::string(Trim(line.substr(colon + 1))));
  return n;
}

// libcurl treats 0 as "no limit": a caller asking for 0 ms gets the shortest real one instead.
long Millis(std::chrono::milliseconds ms) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(ms.count(), 1));
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string Describe(CURLcode code, const Transfer& transfer, const HttpRequest& request,
                     const char* detail) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "no complete response within " + std::to_string(request.timeout.count()) + " ms";
    case CURLE_COULDNT_CONNECT:
      return std::string("connection failed: ") +
             (*detail != '\0' ? detail : curl_easy_strerror(code));
    case CURLE_PEER_FAILED_VERIFICATION:
      return std::string("TLS: the server's certificate is not trusted: ") +
             (*detail != '\0' ? detail : curl_easy_strerror(code));
    case CURLE_SSL_CACERT_BADFILE:
      return "TLS: cannot use the CA file '" + request.ca_file + "'";
    case CURLE_WRITE_ERROR:
      if (transfer.body_too_large) {
        return "response body larger than the limit of " + std::to_string(transfer.max_body_bytes) +
               " bytes";
      }
      break;
    default:
      break;
  }
  return *detail != '\0' ? std::string(detail) : std::string(curl_easy_strerror(code));
}

}  // namespace

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name))
      return value;
  }
  return {};
}

HttpResponse CurlHttpClient::Fetch(const HttpRequest& request) {
  GlobalInit();
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy)
    throw EnvironmentError(request.url, "libcurl could not create a handle");
  CURL* h = easy.get();

  HttpResponse response;
  Transfer transfer{&response, request.max_body_bytes};
  char error[CURL_ERROR_SIZE] = {};

  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto append = [&headers](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr)
      throw std::bad_alloc();
    (void)headers.release();
    headers.reset(grown);
  };
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  // libcurl adds "Expect: 100-continue" to larger bodies, which costs a round trip and confuses
  // simple servers.
  if (!request.body.empty())
    append("Expect:");

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  // Timers through signals are unsafe with several threads; with NOSIGNAL libcurl polls instead.
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(request.timeout));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, Millis(request.connect_timeout));
  // An http_proxy from the environment must not catch the loopback listeners of port-forwards
  // and the local sidecar.
  curl_easy_setopt(h, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!request.ca_file.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());
  if (request.insecure_skip_tls_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  // Ctrl-C must not wait for a hanging endpoint's timeout: libcurl asks about progress at least
  // once a second, and a non-zero answer ends the transfer.
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);

  const auto start = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_ABORTED_BY_CALLBACK && Interrupted())
    throw InterruptedError(request.url);
  response.elapsed = std::chrono::steady_clock::now() - start;
  if (code != CURLE_OK)
    throw EnvironmentError(request.url, Describe(code, transfer, request, error));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace hfi::net
