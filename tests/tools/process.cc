#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <thread>

namespace hallvote::tools_test {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
            const std::filesystem::path& input) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // No controlling terminal and no terminal on stdin: a program that would ask someone fails instead of
    // waiting.
    ::setsid();
    const int in = ::open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY);
    if (in >= 0) {
      ::dup2(in, 0);
      ::close(in);
    }
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int decode_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

Finished run(const std::vector<std::string>& argv, const std::filesystem::path& log,
             std::chrono::seconds deadline, const std::filesystem::path& input) {
  Background process(argv, log, input);
  Finished finished;
  finished.exit_code = process.wait_exit(deadline).value_or(-1);
  finished.output = process.output();
  return finished;
}

Background::Background(const std::vector<std::string>& argv, std::filesystem::path log,
                       const std::filesystem::path& input)
    : pid_(spawn(argv, log, input)), log_(std::move(log)) {}

Background::~Background() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string Background::output() const { return read_all(log_); }

std::optional<std::string> Background::wait_for(const std::string& text, std::chrono::seconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    const std::string out = output();
    if (const auto at = out.find(text); at != std::string::npos) {
      const auto line_end = out.find('\n', at);
      if (line_end != std::string::npos) return out.substr(at + text.size(), line_end - at - text.size());
    }
    if (reaped_ || wait_exit(std::chrono::seconds(0))) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

std::optional<int> Background::wait_exit(std::chrono::seconds deadline) {
  if (reaped_) return exit_code_;
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      exit_code_ = decode_status(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= end) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Background::kill_now(int signal) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

}  // namespace hallvote::tools_test
