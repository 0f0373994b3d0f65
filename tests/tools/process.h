// Child processes for the end-to-end tests: run a program to completion with a deadline, or keep one running
// in the background; output goes to a file, stdin comes from a file (default /dev/null), and the child has no
// controlling terminal (its own session), so nothing can stop to ask on a terminal. A Background process is
// killed (SIGKILL) and reaped when it goes out of scope, so a failing test leaves nothing running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hallvote::tools_test {

struct Finished {
  int exit_code = -1;  // -1: killed at the deadline or by a signal
  std::string output;  // stdout and stderr together
};

// Runs `argv` (argv[0] is the program path) to completion; output captured through `log`; stdin from `input`
// (empty: /dev/null).
Finished run(const std::vector<std::string>& argv, const std::filesystem::path& log,
             std::chrono::seconds deadline = std::chrono::seconds(60), const std::filesystem::path& input = {});

class Background {
 public:
  Background(const std::vector<std::string>& argv, std::filesystem::path log,
             const std::filesystem::path& input = {});
  ~Background();  // SIGKILL and reap if still running
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  [[nodiscard]] std::string output() const;
  // Waits until the output contains `text` (or the process ended, or the deadline); returns the line after
  // `text` on success.
  [[nodiscard]] std::optional<std::string> wait_for(const std::string& text, std::chrono::seconds deadline);
  // Waits for the process to exit; its exit code, or nullopt at the deadline (still running).
  [[nodiscard]] std::optional<int> wait_exit(std::chrono::seconds deadline);
  void kill_now(int signal);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::filesystem::path log_;
};

}  // namespace hallvote::tools_test
