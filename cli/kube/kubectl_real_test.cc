// The real runner against small shell scripts standing in for kubectl.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "kube/kubectl.h"
#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi::kube {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RealKubectlTest : public ::testing::Test {
 protected:
  // Orphans become ours (not PID 1's, which may never reap them), so a killed grandchild can be
  // reaped here and its id seen gone.
  static void SetUpTestSuite() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

  void SetUp() override {
    ClearInterrupt();
    dir_ = fs::temp_directory_path() /
           ("hfi_kubectl_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ClearInterrupt();
    fs::remove_all(dir_);
  }

  // A kubectl stand-in; $DIR in the body is the test's directory.
  std::string Script(const std::string& body, const std::string& name = "kubectl") {
    fs::path path = dir_ / name;
    std::string text = "#!/bin/sh\nDIR='" + dir_.string() + "'\n" + body + "\n";
    {
      std::ofstream out(path);
      out << text;
    }
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    return path.string();
  }

  std::unique_ptr<Kubectl> Make(const std::string& body, KubectlConfig config = {}) {
    config.path = Script(body);
    return MakeRealKubectl(config);
  }

  // A pid the stand-in wrote before the call returned (the write may still be landing).
  pid_t PidFrom(const std::string& file) {
    fs::path path = dir_ / file;
    std::string text;
    for (int i = 0; i < 1000; ++i) {
      text = ReadFile(path);
      if (!text.empty() && text.back() == '\n')
        break;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return static_cast<pid_t>(std::stol(text));
  }

  // Nothing the stand-in started is still running: as subreaper we inherit its orphans, so once
  // every child of ours is reaped, none is left anywhere. (How each ended does not matter: a
  // command the stand-in ran may finish normally just as its parent is killed.)
  static bool NoChildLeft() {
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      pid_t r = ::waitpid(-1, &status, WNOHANG);
      if (r < 0 && errno == ECHILD)
        return true;
      if (r == 0)
        std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  // The stand-in itself is reaped by the runner: its id is free at once.
  static bool Reaped(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

  // A grandchild is killed with the group; we reap it (as subreaper) and then its id is free.
  static bool KilledAndGone(pid_t pid) {
    int status = 0;
    pid_t r = 0;
    for (int i = 0; i < 1000 && r == 0; ++i) {
      r = ::waitpid(pid, &status, WNOHANG);
      if (r == 0)
        std::this_thread::sleep_for(milliseconds(10));
    }
    return r == pid && WIFSIGNALED(status) && Reaped(pid);
  }

  fs::path dir_;
};

TEST_F(RealKubectlTest, GlobalFlagsFirstThenTheArgumentsUntouched) {
  KubectlConfig config;
  config.kubeconfig = "/home/alice/.kube/dev config";
  config.context = "kind-hfi";
  auto kubectl = Make("printf '%s\\n' \"$@\"", config);
  KubectlResult result =
      kubectl->Run({"get", "pods", "-o", "json", "-l", "app in (a,b)", "--", "$HOME"}, seconds(20));
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.out,
            "--kubeconfig\n/home/alice/.kube/dev config\n--context\nkind-hfi\nget\npods\n-o\njson\n"
            "-l\napp in (a,b)\n--\n$HOME\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(RealKubectlTest, NoGlobalFlagsWhenUnset) {
  auto kubectl = Make("printf '%s\\n' \"$@\"");
  EXPECT_EQ(kubectl->Run({"version", "--client"}, seconds(20)).out, "version\n--client\n");
}

TEST_F(RealKubectlTest, StdoutAndStderrApart) {
  auto kubectl = Make(
      "echo '{\"kind\": \"List\", \"items\": []}'\n"
      "echo 'Error from server (NotFound): pods \"x\" not found' >&2\n"
      "exit 1");
  KubectlResult result = kubectl->Run({"get", "pods", "x", "-o", "json"}, seconds(20));
  EXPECT_EQ(result.end, KubectlResult::End::kExited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.out, "{\"kind\": \"List\", \"items\": []}\n");
  EXPECT_EQ(result.err, "Error from server (NotFound): pods \"x\" not found\n");
  EXPECT_EQ(ClassifyFailure(result).kind, KubectlFailure::Kind::kNotFound);
}

TEST_F(RealKubectlTest, StdinToApply) {
  auto kubectl = Make(
      "if [ \"$1 $2 $3\" = 'apply -f -' ]; then cat > \"$DIR/applied\"; "
      "echo 'wasmplugin.extensions.istio.io/hfi created'; else exit 9; fi");
  const std::string manifest =
      "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: hfi\n";
  KubectlResult result = kubectl->RunWithInput({"apply", "-f", "-"}, manifest, seconds(20));
  EXPECT_TRUE(result.ok()) << result.exit_code;
  EXPECT_EQ(result.out, "wasmplugin.extensions.istio.io/hfi created\n");
  EXPECT_EQ(ReadFile(dir_ / "applied"), manifest);
}

TEST_F(RealKubectlTest, StdinIsEmptyWithoutInput) {
  auto kubectl = Make("wc -c");
  EXPECT_EQ(std::stoi(kubectl->Run({}, seconds(20)).out), 0);
}

TEST_F(RealKubectlTest, Timeout) {
  auto kubectl = Make("sleep 30 & sleep 30");
  KubectlResult result = kubectl->Run({"get", "pods"}, milliseconds(300));
  EXPECT_EQ(result.end, KubectlResult::End::kTimedOut);
  EXPECT_EQ(ClassifyFailure(result).kind, KubectlFailure::Kind::kTimeout);
  EXPECT_TRUE(NoChildLeft());
}

TEST_F(RealKubectlTest, Crash) {
  auto kubectl = Make("kill -SEGV $$");
  KubectlResult result = kubectl->Run({"get", "pods"}, seconds(20));
  EXPECT_EQ(result.end, KubectlResult::End::kCrashed);
  EXPECT_EQ(ClassifyFailure(result).kind, KubectlFailure::Kind::kCrashed);
}

TEST_F(RealKubectlTest, LogsEachCommandAsTyped) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* log = ::open_memstream(&buffer, &size);
  ASSERT_NE(log, nullptr);
  KubectlConfig config;
  config.context = "kind-hfi";
  config.log = log;
  auto kubectl = Make("true", config);
  kubectl->Run({"get", "pods", "-o", "json", "-n", "demo", "-l", "app=x"}, seconds(20));
  kubectl->Run({"get", "pods", "-o", "json", "-l", "app in (a,b)", "-l", "it's", "-l", ""},
               seconds(20));
  std::fclose(log);
  std::string text(buffer, size);
  std::free(buffer);
  EXPECT_EQ(text,
            "kubectl --context kind-hfi get pods -o json -n demo -l app=x\n"
            "kubectl --context kind-hfi get pods -o json -l 'app in (a,b)' -l 'it'\\''s' -l ''\n");
}

TEST_F(RealKubectlTest, PortForwardReadsTheLocalPortAndStopsEverythingWhenDestroyed) {
  auto kubectl = Make(
      "printf '%s\\n' \"$@\" > \"$DIR/args\"\n"
      "echo $$ > \"$DIR/pid\"\n"
      "echo 'Forwarding from 127.0.0.1:43127 -> 15000'\n"
      "echo 'Forwarding from [::1]:43127 -> 15000'\n"
      "sleep 300 &\n"
      "echo $! > \"$DIR/grandchild\"\n"
      "wait");
  KubectlFailure failure;
  failure.kind = KubectlFailure::Kind::kOther;
  auto forward =
      kubectl->StartPortForward({"demo", "frontend-7d9c8b7f5-x2x8k"}, 15000, seconds(20), &failure);
  ASSERT_NE(forward, nullptr) << failure.message;
  EXPECT_EQ(forward->local_port(), 43127);
  EXPECT_TRUE(forward->alive());
  EXPECT_EQ(ReadFile(dir_ / "args"),
            "port-forward\npod/frontend-7d9c8b7f5-x2x8k\n-n\ndemo\n:15000\n");
  pid_t script = PidFrom("pid");
  pid_t grandchild = PidFrom("grandchild");
  ASSERT_EQ(::kill(grandchild, 0), 0);
  forward.reset();
  EXPECT_TRUE(Reaped(script)) << script;
  EXPECT_TRUE(KilledAndGone(grandchild)) << grandchild;
  EXPECT_TRUE(NoChildLeft());
}

TEST_F(RealKubectlTest, PortForwardOnIpv6Only) {
  auto kubectl = Make("echo 'Forwarding from [::1]:40001 -> 15090'; sleep 300");
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "p"}, 15090, seconds(20), &failure);
  ASSERT_NE(forward, nullptr);
  EXPECT_EQ(forward->local_port(), 40001);
}

// kubectl prints a line per connection: alive() reads them, so it never blocks on a full pipe.
TEST_F(RealKubectlTest, PortForwardKeepsAChattyKubectlGoing) {
  auto kubectl = Make(
      "echo 'Forwarding from 127.0.0.1:43127 -> 15000'\n"
      "i=0; while [ $i -lt 20000 ]; do echo 'Handling connection for 43127'; i=$((i+1)); done\n"
      "touch \"$DIR/done\"; sleep 300");
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "p"}, 15000, seconds(20), &failure);
  ASSERT_NE(forward, nullptr);
  bool done = false;
  for (int i = 0; i < 2000 && !done; ++i) {
    EXPECT_TRUE(forward->alive());
    done = fs::exists(dir_ / "done");
    if (!done)
      std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(done);
}

TEST_F(RealKubectlTest, PortForwardThatEndsIsNotAlive) {
  auto kubectl = Make(
      "echo 'Forwarding from 127.0.0.1:43127 -> 15000'\n"
      "while [ ! -e \"$DIR/stop\" ]; do sleep 0.05; done\n"
      "echo 'error: lost connection to pod' >&2; exit 1");
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "p"}, 15000, seconds(20), &failure);
  ASSERT_NE(forward, nullptr);
  EXPECT_TRUE(forward->alive());
  std::ofstream(dir_ / "stop").put('\n');
  bool alive = true;
  for (int i = 0; i < 1000 && alive; ++i) {
    alive = forward->alive();
    if (alive)
      std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_FALSE(alive);
}

TEST_F(RealKubectlTest, PortForwardDenied) {
  auto kubectl = Make(
      "echo $$ > \"$DIR/pid\"\n"
      "echo 'error: error upgrading connection: pods \"frontend-x\" is forbidden: User \"alice\" "
      "cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"demo\"' "
      ">&2\n"
      "exit 1");
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "frontend-x"}, 15000, seconds(20), &failure);
  EXPECT_EQ(forward, nullptr);
  EXPECT_EQ(failure.kind, KubectlFailure::Kind::kForbidden);
  EXPECT_EQ(failure.verb, "create");
  EXPECT_EQ(failure.resource, "pods/portforward");
  EXPECT_TRUE(Reaped(PidFrom("pid")));
  EXPECT_TRUE(NoChildLeft());
}

TEST_F(RealKubectlTest, PortForwardToAPendingPod) {
  auto kubectl = Make(
      "echo 'error: unable to forward port because pod is not running. Current status=Pending' "
      ">&2; exit 1");
  KubectlFailure failure;
  EXPECT_EQ(kubectl->StartPortForward({"demo", "p"}, 15000, seconds(20), &failure), nullptr);
  EXPECT_EQ(failure.kind, KubectlFailure::Kind::kNotRunning);
  EXPECT_EQ(failure.message,
            "error: unable to forward port because pod is not running. Current status=Pending");
}

TEST_F(RealKubectlTest, PortForwardThatSaysNothing) {
  auto kubectl = Make("sleep 300 & wait");
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "p"}, 15000, milliseconds(300), &failure);
  EXPECT_EQ(forward, nullptr);
  EXPECT_EQ(failure.kind, KubectlFailure::Kind::kTimeout);
  EXPECT_EQ(failure.message, "kubectl port-forward printed no Forwarding line within 300ms");
  EXPECT_TRUE(NoChildLeft());
}

TEST_F(RealKubectlTest, PortForwardInterrupted) {
  auto kubectl = Make("sleep 300");
  std::thread signaller([] {
    std::this_thread::sleep_for(milliseconds(300));
    ::kill(::getpid(), SIGTERM);
  });
  KubectlFailure failure;
  auto forward = kubectl->StartPortForward({"demo", "p"}, 15000, seconds(60), &failure);
  signaller.join();
  EXPECT_EQ(forward, nullptr);
  EXPECT_EQ(failure.kind, KubectlFailure::Kind::kInterrupted);
  EXPECT_EQ(InterruptSignal(), SIGTERM);
  EXPECT_TRUE(NoChildLeft());
}

TEST_F(RealKubectlTest, PortForwardThatExitsWithoutAWord) {
  auto kubectl = Make("exit 0");
  KubectlFailure failure;
  EXPECT_EQ(kubectl->StartPortForward({"demo", "p"}, 15000, seconds(20), &failure), nullptr);
  EXPECT_EQ(failure.kind, KubectlFailure::Kind::kOther);
  EXPECT_EQ(failure.message, "kubectl port-forward ended without forwarding");
}

// --kubectl, then HFI_KUBECTL, then PATH.
class ResolveKubectlTest : public RealKubectlTest {
 protected:
  void SetUp() override {
    RealKubectlTest::SetUp();
    if (const char* env = std::getenv("HFI_KUBECTL"))
      saved_env_ = env;
    saved_path_ = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    ::unsetenv("HFI_KUBECTL");
  }
  void TearDown() override {
    if (saved_env_)
      ::setenv("HFI_KUBECTL", saved_env_->c_str(), 1);
    else
      ::unsetenv("HFI_KUBECTL");
    ::setenv("PATH", saved_path_.c_str(), 1);
    RealKubectlTest::TearDown();
  }

  static std::string Which(Kubectl& kubectl) { return kubectl.Run({}, seconds(20)).out; }

  static void ExpectError(const KubectlConfig& config, const std::string& reason,
                          const std::string& hint) {
    try {
      MakeRealKubectl(config);
      ADD_FAILURE() << "no error";
    } catch (const EnvironmentError& e) {
      EXPECT_EQ(e.subject(), "kubectl");
      EXPECT_EQ(e.reason(), reason);
      EXPECT_EQ(e.hint(), hint);
    }
  }

  std::optional<std::string> saved_env_;
  std::string saved_path_;
};

TEST_F(ResolveKubectlTest, FlagThenEnvironmentThenPath) {
  std::string flag = Script("echo flag", "kubectl-flag");
  std::string env = Script("echo env", "kubectl-env");
  fs::create_directories(dir_ / "bin");
  Script("echo path", "bin/kubectl");
  ::setenv("PATH", (dir_ / "bin").c_str(), 1);

  EXPECT_EQ(Which(*MakeRealKubectl({})), "path\n");
  ::setenv("HFI_KUBECTL", env.c_str(), 1);
  EXPECT_EQ(Which(*MakeRealKubectl({})), "env\n");
  KubectlConfig config;
  config.path = flag;
  EXPECT_EQ(Which(*MakeRealKubectl(config)), "flag\n");
  // A bare name is looked up on PATH.
  config.path = "kubectl";
  EXPECT_EQ(Which(*MakeRealKubectl(config)), "path\n");
}

TEST_F(ResolveKubectlTest, Missing) {
  ::setenv("PATH", dir_.c_str(), 1);
  ExpectError({}, "not found on PATH", "install kubectl or pass --kubectl PATH");

  KubectlConfig config;
  config.path = (dir_ / "nope").string();
  ExpectError(config, "--kubectl " + config.path + ": no such file",
              "pass --kubectl the path of an executable kubectl");
  config.path = dir_.string();
  ExpectError(config, "--kubectl " + config.path + ": a directory, not a program",
              "pass --kubectl the path of an executable kubectl");
  std::ofstream(dir_ / "plain") << "not a program\n";
  config.path = (dir_ / "plain").string();
  ExpectError(config, "--kubectl " + config.path + ": not executable",
              "pass --kubectl the path of an executable kubectl");

  ::setenv("HFI_KUBECTL", "kubectl-1.30", 1);
  ExpectError({}, "HFI_KUBECTL=kubectl-1.30: not found on PATH",
              "fix or unset HFI_KUBECTL, or pass --kubectl PATH");
}

}  // namespace
}  // namespace hfi::kube
