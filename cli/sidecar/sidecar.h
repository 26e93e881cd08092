// The embedded Envoy-like sidecar (DESIGN §3.2): a plugin in the embedded proxy-wasm host, an
// admin listener (/stats, /stats/prometheus, /server_info, /config_dump, /ready) and a traffic
// listener that runs each HTTP request through the plugin to a built-in upstream. `sidecar` runs
// one in the foreground; `verify --local` and the tests run one in-process on loopback.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "envoystats/stats_matcher.h"
#include "wasmhost/host_options.h"
#include "wasmhost/log_sink.h"
#include "wasmhost/plugin_host.h"

namespace hfi::sidecar {

struct SidecarConfig {
  std::string plugin_path;  // where the module came from, for messages and /config_dump
  std::string plugin_wasm;  // the module's bytes
  std::string policy_path;  // "" when the policy is built in or absent
  std::string policy;       // the plugin configuration (JSON); "" for none
  // What the plugin is told; its plugin_configuration is replaced by `policy`.
  wasmhost::HostOptions host;
  envoystats::StatsMatcher stats_matcher = envoystats::StatsMatcher::IstioDefault();
  // Envoy's stats_flush_interval: histograms reach /stats/prometheus only at a flush.
  std::chrono::milliseconds flush_interval{5'000};
  // HOST:PORT; port 0 binds any free port (read the bound one back from the Sidecar).
  std::string admin_address = "127.0.0.1:15000";
  std::string listen_address = "127.0.0.1:15006";
};

// The plugin as the sidecar last saw it.
struct PluginStatus {
  wasmhost::FailState fail_state = wasmhost::FailState::kNone;
  std::string failure;  // why, when fail_state != kNone
};

class Sidecar {
 public:
  // Loads the plugin (InputError, exit 3, when the host refuses the module), starts it as Envoy
  // does (a plugin that fails to start or configure is not an error here: the sidecar serves and
  // plugin_status() says why, as Envoy keeps serving with fail_open / fail closed), binds both
  // listeners (EnvironmentError, exit 2, naming the address that cannot be bound) and starts the
  // timer thread that runs the plugin's ticks and the stats flushes. `log` receives the host's and
  // the plugin's records, from several threads but never concurrently; it must outlive the sidecar.
  Sidecar(SidecarConfig config, wasmhost::LogSink& log);
  // Stop().
  ~Sidecar();
  Sidecar(const Sidecar&) = delete;
  Sidecar& operator=(const Sidecar&) = delete;

  // Stops accepting, answers streams still held by the plugin with a 503, joins every thread.
  // Idempotent.
  void Stop();

  // The addresses as bound, e.g. "127.0.0.1:40123".
  std::string admin_address() const;
  std::string listen_address() const;

  // Blocks until a stats flush that began after this call has finished; false on timeout. Lets a
  // caller that just sent traffic see its histogram samples without guessing at sleeps.
  bool WaitForFlush(std::chrono::milliseconds timeout);

  PluginStatus plugin_status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfi::sidecar
