#include "daemon/cli/ChildProcess.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace rollcall::daemon::cli {

http::Result<ChildProcess, std::string> ChildProcess::spawn(const std::vector<std::string>& argv,
                                                            const std::vector<std::string>& env,
                                                            const std::string& log_path) {
  if (argv.empty()) return std::string("no program to start");
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) return "cannot open " + log_path + ": " + std::strerror(errno);
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    ::close(log);
    if (devnull >= 0) ::close(devnull);
    return std::string("fork: ") + std::strerror(e);
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) _exit(1);  // the demo died before prctl took effect
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execve(args[0], args.data(), envp.data());
    static const char msg[] = "rollcall demo: exec of the agent binary failed\n";
    ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(127);
  }
  ::close(log);
  if (devnull >= 0) ::close(devnull);
  return ChildProcess(pid);
}

bool ChildProcess::poll() {
  if (exited_) return true;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    status_ = status;
  } else if (r < 0 && errno == ECHILD) {
    exited_ = true;  // reaped elsewhere; nothing left to signal
  }
  return exited_;
}

void ChildProcess::signal(int sig) const {
  if (!exited_ && pid_ > 0) ::kill(pid_, sig);
}

std::string ChildProcess::describe_exit() const {
  if (!exited_) return "running";
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) return "killed by signal " + std::to_string(WTERMSIG(status_));
  return "ended";
}

}  // namespace rollcall::daemon::cli
