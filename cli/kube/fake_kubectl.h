// An in-memory Kubectl for unit tests: canned results for calls by argv prefix, scripted
// port-forwards (a local port, or a classified failure), and a record of every call and of the
// forwarders still open. Safe from several threads, as the verify pool calls it.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "kube/kubectl.h"

namespace hfi::kube::testing {

inline KubectlResult Exited(int exit_code, std::string out, std::string err = "") {
  KubectlResult result;
  result.exit_code = exit_code;
  result.out = std::move(out);
  result.err = std::move(err);
  return result;
}
inline KubectlResult Ok(std::string out) {
  return Exited(0, std::move(out));
}
inline KubectlResult Failed(std::string err, int exit_code = 1) {
  return Exited(exit_code, "", std::move(err));
}
inline KubectlResult Ended(KubectlResult::End end) {
  KubectlResult result;
  result.end = end;
  result.exit_code = -1;
  return result;
}

// What StartPortForward does for one pod.
struct ForwardScript {
  int local_port = 0;      // > 0: the forward succeeds on this port
  KubectlFailure failure;  // otherwise: this failure
  // Runs inside StartPortForward before it answers, outside the fake's lock (to hold a pod back
  // until another has finished, to count forwards in flight, ...).
  std::function<void()> before;
};

inline ForwardScript ForwardTo(int local_port) {
  ForwardScript script;
  script.local_port = local_port;
  return script;
}
inline ForwardScript ForwardFails(KubectlFailure::Kind kind, std::string message,
                                  std::string verb = "", std::string resource = "") {
  ForwardScript script;
  script.failure.kind = kind;
  script.failure.message = std::move(message);
  script.failure.verb = std::move(verb);
  script.failure.resource = std::move(resource);
  return script;
}

class FakeKubectl final : public Kubectl {
 public:
  using Handler = std::function<KubectlResult(const std::vector<std::string>& args)>;

  // Calls whose arguments start with `prefix` get `result`; the longest matching prefix wins.
  // Calls that match nothing fail like kubectl with an unknown command (exit 1).
  void OnRun(std::vector<std::string> prefix, KubectlResult result) {
    OnRun(std::move(prefix), [result](const std::vector<std::string>&) { return result; });
  }
  void OnRun(std::vector<std::string> prefix, Handler handler) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->handlers.emplace_back(std::move(prefix), std::move(handler));
  }

  // `kubectl port-forward pod/NAME -n NS ...` for the pod "NS/NAME".
  void OnForward(const std::string& pod, ForwardScript script) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->forwards[pod] = std::move(script);
  }

  KubectlResult Run(const std::vector<std::string>& args, milliseconds timeout) override {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->calls.push_back(args);
      state_->timeouts.push_back(timeout);
      std::size_t best = 0;
      for (const auto& [prefix, candidate] : state_->handlers) {
        if (prefix.size() > args.size() || (handler && prefix.size() <= best))
          continue;
        if (std::equal(prefix.begin(), prefix.end(), args.begin())) {
          handler = candidate;
          best = prefix.size();
        }
      }
    }
    if (!handler)
      return Failed("error: fake kubectl has no answer for this call");
    return handler(args);
  }

  KubectlResult RunWithInput(const std::vector<std::string>& args, const std::string& stdin_data,
                             milliseconds timeout) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->inputs.push_back(stdin_data);
    }
    return Run(args, timeout);
  }

  std::unique_ptr<PortForward> StartPortForward(const PodRef& pod, int remote_port,
                                                milliseconds timeout,
                                                KubectlFailure* failure) override {
    ForwardScript script;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->calls.push_back({"port-forward", "pod/" + pod.name, "-n", pod.namespace_name,
                               ":" + std::to_string(remote_port)});
      state_->timeouts.push_back(timeout);
      auto it = state_->forwards.find(pod.namespace_name + "/" + pod.name);
      if (it == state_->forwards.end()) {
        script = ForwardFails(KubectlFailure::Kind::kOther,
                              "fake kubectl has no port-forward for " + pod.name);
      } else {
        script = it->second;
      }
    }
    if (script.before)
      script.before();
    if (script.local_port <= 0) {
      *failure = script.failure;
      return nullptr;
    }
    return std::make_unique<Forward>(state_, script.local_port);
  }

  // Every call so far, in order; port-forwards appear as kubectl's arguments for them.
  std::vector<std::vector<std::string>> calls() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->calls;
  }
  // The calls whose first argument is `verb` ("exec", "get", "port-forward").
  std::vector<std::vector<std::string>> calls(const std::string& verb) const {
    std::vector<std::vector<std::string>> out;
    for (auto& call : calls()) {
      if (!call.empty() && call.front() == verb)
        out.push_back(std::move(call));
    }
    return out;
  }
  std::vector<milliseconds> timeouts() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->timeouts;
  }
  std::vector<std::string> inputs() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->inputs;
  }
  // Forwarders handed out and not yet destroyed.
  int open_forwards() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->open;
  }
  // The most forwarders that were open at the same time.
  int max_open_forwards() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->max_open;
  }

 private:
  // Shared with the forwarders, which may outlive a call (never the fake, in a correct caller).
  struct State {
    mutable std::mutex mutex;
    std::vector<std::pair<std::vector<std::string>, Handler>> handlers;
    std::map<std::string, ForwardScript> forwards;
    std::vector<std::vector<std::string>> calls;
    std::vector<milliseconds> timeouts;
    std::vector<std::string> inputs;
    int open = 0, max_open = 0;
  };

  class Forward final : public PortForward {
   public:
    Forward(std::shared_ptr<State> state, int port) : state_(std::move(state)), port_(port) {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->max_open = std::max(state_->max_open, ++state_->open);
    }
    ~Forward() override {
      std::lock_guard<std::mutex> lock(state_->mutex);
      --state_->open;
    }
    int local_port() const override { return port_; }
    bool alive() override { return true; }

   private:
    std::shared_ptr<State> state_;
    int port_;
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace hfi::kube::testing
