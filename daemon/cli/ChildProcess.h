// One agent process started by `rollcall demo` (Demo.cpp): fork + exec with a given environment,
// stdout/stderr appended to a log file, an empty signal mask, and SIGTERM on the demo's death
// (PR_SET_PDEATHSIG) so no agent outlives it. Signals and reaping go by this pid only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "daemon/http/Result.h"

namespace rollcall::daemon::cli {

class ChildProcess {
 public:
  // argv[0] is the program path; `env` is the complete environment ("NAME=value"). The error says
  // what failed (fork, log file); an exec failure shows as exit status 127 with a line in the log.
  static http::Result<ChildProcess, std::string> spawn(const std::vector<std::string>& argv,
                                                       const std::vector<std::string>& env,
                                                       const std::string& log_path);

  pid_t pid() const { return pid_; }
  bool running() const { return !exited_; }
  // Reaps without blocking; true once the process has exited (now or earlier).
  bool poll();
  // Sends `sig` if still running.
  void signal(int sig) const;
  // "exited with status 0" / "killed by signal 9"; "running" before exit.
  std::string describe_exit() const;

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace rollcall::daemon::cli
