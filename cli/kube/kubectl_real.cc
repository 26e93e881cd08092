// The one place that runs kubectl: commands to completion through RunProcess, port-forwards as
// long-running ChildProcesses.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "kube/kubectl.h"
#include "util/child_process.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "util/subprocess.h"

namespace hfi::kube {
namespace {

using Clock = std::chrono::steady_clock;

// `kubectl get pods -o json -A` on a large cluster is tens of MB; a cut-off JSON document would
// only turn into a confusing parse error.
constexpr std::size_t kMaxOutput = std::size_t{512} << 20;

std::string ShellQuote(const std::string& arg) {
  auto plain = [](unsigned char c) {
    return std::isalnum(c) != 0 ||
           std::string_view("@%+=:,./-_").find(static_cast<char>(c)) != std::string_view::npos;
  };
  if (!arg.empty() && std::all_of(arg.begin(), arg.end(), plain))
    return arg;
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

KubectlResult::End EndOf(ProcessResult::End end) {
  switch (end) {
    case ProcessResult::End::kExited:
      return KubectlResult::End::kExited;
    case ProcessResult::End::kSignaled:
      return KubectlResult::End::kCrashed;
    case ProcessResult::End::kTimedOut:
      return KubectlResult::End::kTimedOut;
    case ProcessResult::End::kInterrupted:
      break;
  }
  return KubectlResult::End::kInterrupted;
}

// kubectl prints "Handling connection for N" for every connection it accepts; reading that in
// alive() keeps it from ever blocking on a full pipe. The destructor stops and reaps it.
class RealPortForward : public PortForward {
 public:
  RealPortForward(std::unique_ptr<ChildProcess> child, int local_port)
      : child_(std::move(child)), local_port_(local_port) {}
  int local_port() const override { return local_port_; }
  bool alive() override {
    child_->Drain();
    return !child_->Exited();
  }

 private:
  std::unique_ptr<ChildProcess> child_;
  int local_port_;
};

class RealKubectl : public Kubectl {
 public:
  RealKubectl(std::string program, KubectlConfig config)
      : program_(std::move(program)), config_(std::move(config)) {}

  KubectlResult Run(const std::vector<std::string>& args, milliseconds timeout) override {
    return RunWithInput(args, std::string(), timeout);
  }

  KubectlResult RunWithInput(const std::vector<std::string>& args, const std::string& stdin_data,
                             milliseconds timeout) override {
    ProcessSpec spec;
    spec.argv = Argv(args);
    spec.timeout = timeout;
    spec.separate_stderr = true;
    spec.stdin_data = stdin_data;
    spec.max_output = kMaxOutput;
    Log(spec.argv);
    ProcessResult process = RunProcess(spec);
    KubectlResult result;
    result.end = EndOf(process.end);
    result.exit_code = process.exit_code;
    result.out = std::move(process.output);
    result.err = std::move(process.error_output);
    result.elapsed = process.elapsed;
    return result;
  }

  std::unique_ptr<PortForward> StartPortForward(const PodRef& pod, int remote_port,
                                                milliseconds timeout,
                                                KubectlFailure* failure) override {
    KubectlFailure ignored;
    if (failure == nullptr)
      failure = &ignored;
    std::vector<std::string> args = {"port-forward", "pod/" + pod.name};
    if (!pod.namespace_name.empty()) {
      args.push_back("-n");
      args.push_back(pod.namespace_name);
    }
    // Real kubectl listens on 127.0.0.1 and [::1] with the same port; either line will do.
    args.push_back(":" + std::to_string(remote_port));
    ProcessSpec spec;
    spec.argv = Argv(args);
    if (Interrupted()) {
      failure->kind = KubectlFailure::Kind::kInterrupted;
      failure->message = "interrupted";
      return nullptr;
    }
    Log(spec.argv);
    const auto deadline = Clock::now() + timeout;
    std::unique_ptr<ChildProcess> child = ChildProcess::Start(spec);

    std::string line;
    for (;;) {
      switch (child->ReadLine(&line, deadline)) {
        case ChildProcess::Read::kLine:
          if (int port = ParseForwardingLine(line); port > 0)
            return std::make_unique<RealPortForward>(std::move(child), port);
          continue;
        case ChildProcess::Read::kEof: {
          ProcessResult process = child->Stop();
          KubectlResult result;
          result.end = EndOf(process.end);
          result.exit_code = process.exit_code;
          result.err = std::move(process.output);
          result.elapsed = process.elapsed;
          *failure = ClassifyFailure(result);
          if (failure->kind == KubectlFailure::Kind::kOther && result.ok())
            failure->message = "kubectl port-forward ended without forwarding";
          return nullptr;
        }
        case ChildProcess::Read::kTimeout: {
          ProcessResult process = child->Stop();
          // Something it said before hanging may tell more than the timeout.
          KubectlResult said;
          said.exit_code = 1;
          said.err = std::move(process.output);
          *failure = ClassifyFailure(said);
          if (failure->kind == KubectlFailure::Kind::kOther) {
            failure->kind = KubectlFailure::Kind::kTimeout;
            failure->message =
                "kubectl port-forward printed no Forwarding line within " + DurationText(timeout);
          }
          return nullptr;
        }
        case ChildProcess::Read::kInterrupted:
          child->Stop();
          *failure = KubectlFailure{};
          failure->kind = KubectlFailure::Kind::kInterrupted;
          failure->message = "interrupted";
          return nullptr;
      }
    }
  }

 private:
  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {program_};
    if (!config_.kubeconfig.empty()) {
      argv.push_back("--kubeconfig");
      argv.push_back(config_.kubeconfig);
    }
    if (!config_.context.empty()) {
      argv.push_back("--context");
      argv.push_back(config_.context);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // One line per command, as the user would type it.
  void Log(const std::vector<std::string>& argv) const {
    if (config_.log == nullptr)
      return;
    std::string line = "kubectl";
    for (std::size_t i = 1; i < argv.size(); ++i)
      line += " " + ShellQuote(argv[i]);
    line += "\n";
    std::fputs(line.c_str(), config_.log);
    std::fflush(config_.log);
  }

  std::string program_;
  KubectlConfig config_;
};

// `origin` shows where the value came from: "--kubectl /opt/kubectl", "HFI_KUBECTL=kubectl-1.30".
std::string Resolve(const std::string& value, const std::string& origin, const std::string& hint) {
  std::string found = FindExecutable(value);
  if (!found.empty())
    return found;
  std::string why;
  struct stat st {};
  if (value.find('/') == std::string::npos)
    why = "not found on PATH";
  else if (::stat(value.c_str(), &st) != 0)
    why = "no such file";
  else if (S_ISDIR(st.st_mode))
    why = "a directory, not a program";
  else
    why = "not executable";
  throw EnvironmentError("kubectl", origin + ": " + why, hint);
}

}  // namespace

std::unique_ptr<Kubectl> MakeRealKubectl(const KubectlConfig& config) {
  std::string program;
  if (!config.path.empty()) {
    program = Resolve(config.path, "--kubectl " + config.path,
                      "pass --kubectl the path of an executable kubectl");
  } else if (const char* env = std::getenv("HFI_KUBECTL"); env != nullptr && *env != '\0') {
    program = Resolve(env, std::string("HFI_KUBECTL=") + env,
                      "fix or unset HFI_KUBECTL, or pass --kubectl PATH");
  } else {
    program = FindExecutable("kubectl");
    if (program.empty())
      throw EnvironmentError("kubectl", "not found on PATH",
                             "install kubectl or pass --kubectl PATH");
  }
  return std::make_unique<RealKubectl>(std::move(program), config);
}

}  // namespace hfi::kube
