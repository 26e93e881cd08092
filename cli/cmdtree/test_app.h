// A small CLI11 app shaped like hfi-metrics' tree (global flags with fallthrough, a command with
// files, namespaces and pods, fixed choices, a hidden command and option), for the unit tests.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hfi::cmdtree::testing {

struct TestApp {
  CLI::App app{"A tool for tests.", "tool"};
  std::string output, kubeconfig, context, secret;
  bool quiet = false;
  std::vector<std::string> files, pods;
  bool local = false;
  std::string namespace_name, matcher, delivery, source, shell, words;

  TestApp() {
    app.fallthrough();
    app.footer("Exit codes:\n  0   fine\n  64  usage error\n");
    app.add_option("-o,--output", output, "Output format")
        ->check(CLI::IsMember({"text", "json", "junit"}))
        ->option_text("FORMAT");
    app.add_flag("-q,--quiet", quiet, "Print less");
    app.add_option("--kubeconfig", kubeconfig, "Passed to kubectl")->option_text("FILE");
    app.add_option("--context", context, "The kubeconfig context")->option_text("NAME");
    app.add_option("--secret", secret, "Not shown")->group("");

    CLI::App* verify = app.add_subcommand("verify", "Verify the metrics\nsecond line");
    verify->add_option("--file", files, "A saved scrape [repeatable]: see `man`")
        ->option_text("FILE");
    verify->add_flag("--local", local, "Use the local sidecar");
    verify->add_option("-n,--namespace", namespace_name, "Namespace of the pods")
        ->option_text("NS");
    verify->add_option("--stats-matcher", matcher, "The matcher")
        ->check(CLI::IsMember({"istio", "all", "none"}))
        ->option_text("istio|all|none");
    verify->add_option("pods", pods, "Pods to verify")->option_text("POD");
    verify->footer("Examples:\n  tool verify --local\n  tool verify -n prod web-1\n");

    CLI::App* render = app.add_subcommand("render", "Render manifests");
    render->add_option("--delivery", delivery, "oci, http or configmap")
        ->option_text("oci|http|configmap");
    render->add_option("--source", source, "Sources")->option_text("DIR");

    CLI::App* completion = app.add_subcommand("completion", "Print a completion script");
    completion->add_option("shell", shell, "The shell")
        ->check(CLI::IsMember({"bash", "zsh", "fish"}))
        ->required();

    app.add_subcommand("__complete", "Hidden helper")->group("");
  }
};

}  // namespace hfi::cmdtree::testing
