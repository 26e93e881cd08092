#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/errors.h"

namespace hfi {
namespace {

std::string Display(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

std::string TooLarge(std::size_t max_bytes) {
  return "larger than the " + std::to_string(max_bytes >> 20) + " MiB limit";
}

}  // namespace

std::string ReadFileOrStdin(const std::string& path, std::size_t max_bytes) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw InputError(Display(path), std::strerror(err),
                     err == ENOENT ? "check the path" : "check the file's permissions");
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (fd != STDIN_FILENO)
      ::close(fd);
    throw InputError(Display(path), "is a directory", "name a file");
  }
  std::string data;
  if (S_ISREG(st.st_mode)) {
    if (static_cast<std::size_t>(st.st_size) > max_bytes) {
      if (fd != STDIN_FILENO)
        ::close(fd);
      throw InputError(Display(path), TooLarge(max_bytes),
                       "split the input or pass a smaller file");
    }
    data.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0)
      break;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      if (fd != STDIN_FILENO)
        ::close(fd);
      throw InputError(Display(path), std::string("read failed: ") + std::strerror(err));
    }
    if (data.size() + static_cast<std::size_t>(n) > max_bytes) {
      if (fd != STDIN_FILENO)
        ::close(fd);
      throw InputError(Display(path), TooLarge(max_bytes),
                       "split the input or pass a smaller file");
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (fd != STDIN_FILENO)
    ::close(fd);
  return data;
}

void WriteFileAtomically(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw EnvironmentError(path, std::string("cannot write: ") + std::strerror(errno),
                           "check that the directory exists and is writable");
  }
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw EnvironmentError(path, std::string("write failed: ") + std::strerror(err));
    }
    off += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw EnvironmentError(path, std::string("write failed: ") + std::strerror(err));
  }
}

}  // namespace hfi
