// What the host's callers exchange with it about one HTTP stream: the request or response as it
// leaves the plugin, the local reply the plugin sent, and whether the stream waits for the plugin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "wasmhost/pairs.h"

namespace hfi::wasmhost {

using StreamId = std::uint32_t;  // the plugin's context id for the stream

struct HttpMessage {
  HeaderList headers;  // pseudo-headers included (":method", ":path", ":status" ...)
  std::string body;
};

struct LocalReply {
  std::uint32_t status = 0;
  HeaderList headers;  // the headers the plugin passed
  std::string body;
  std::string details;                       // response code details, white space made '_'
  std::optional<std::uint32_t> grpc_status;  // none unless 0..16
};

enum class StreamState {
  kContinue,    // go on: forward `message` upstream (request phase) or to the client (response)
  kPaused,      // the plugin holds the stream until it continues it or replies (see ticks)
  kLocalReply,  // answer the client with `message` (the local reply, as the client sees it)
  kReset,       // the plugin closed the stream: reset it
};

enum class StreamPhase { kRequest, kResponse };

struct StreamStatus {
  StreamId id = 0;
  StreamPhase phase = StreamPhase::kRequest;
  StreamState state = StreamState::kContinue;
  HttpMessage message;                    // kContinue and kLocalReply
  std::optional<LocalReply> local_reply;  // kLocalReply: what the plugin asked for
};

}  // namespace hfi::wasmhost
