#include "util/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi {

void ForEachIndex(std::size_t count, std::size_t concurrency,
                  const std::function<void(std::size_t)>& work, const std::string& what) {
  if (count == 0)
    return;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // guards first_error
  std::exception_ptr first_error;
  auto worker = [&] {
    for (;;) {
      const std::size_t index = next++;
      if (index >= count || Interrupted())
        return;
      try {
        work(index);
      } catch (const InterruptedError&) {
        return;  // thrown again after the join, from Interrupted()
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!first_error)
          first_error = std::current_exception();
        next = count;  // hand out nothing more
        return;
      }
    }
  };

  const std::size_t threads = std::clamp<std::size_t>(concurrency, 1, count);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  std::string start_error;
  for (std::size_t i = 0; i < threads; ++i) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error& e) {
      start_error = e.what();
      break;
    }
  }
  for (std::thread& thread : pool)
    thread.join();
  if (pool.empty())
    throw EnvironmentError(what, "cannot start a thread: " + start_error);
  if (first_error)
    std::rethrow_exception(first_error);
  if (Interrupted())
    throw InterruptedError(what);
}

}  // namespace hfi
