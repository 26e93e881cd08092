#include <csignal>

#include "app.h"

int main(int argc, char** argv) {
  // Writing to a closed pipe (`hfi-metrics ... | head`) must end in EPIPE, handled where the write
  // happens, not in a silent SIGPIPE death with a misleading status.
  std::signal(SIGPIPE, SIG_IGN);
  return hfi::RunApp(argc, argv);
}
