// Progress for work over a second, on standard error, only for a person watching a terminal:
// "sending 30 requests... 12/30" or "verifying pods... 12/40" on one line, redrawn.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace hfi {

class Progress {
 public:
  explicit Progress(bool show) : show_(show) {}
  ~Progress() { Done(); }
  void Update(const std::string& what, std::size_t finished, std::size_t total) {
    if (!show_)
      return;
    std::fprintf(stderr, "\r%s... %zu/%zu", what.c_str(), finished, total);
    std::fflush(stderr);
    drawn_ = true;
  }
  void Line(const std::string& text) {
    if (!show_)
      return;
    Done();
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void Done() {
    if (drawn_)
      std::fputc('\n', stderr);
    drawn_ = false;
  }

 private:
  bool show_;
  bool drawn_ = false;
};

}  // namespace hfi
