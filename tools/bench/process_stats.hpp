// What /proc says about a process: resident memory (VmRSS of
// /proc/<pid>/status), CPU time (utime + stime of /proc/<pid>/stat, every
// thread, in clock ticks), open descriptors (/proc/<pid>/fd); and the
// machine's busy share from /proc/stat.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cafio::bench {

struct process_sample {
  std::int64_t rss_kb = 0;
  double cpu_seconds = 0;  // user + system
  std::int64_t fds = 0;
};

/// Reads /proc/<pid> (pid 0: this process); nullopt if it is gone.
std::optional<process_sample> sample_process(int pid, bool count_fds = false);

/// Jiffies of /proc/stat's "cpu" line: busy and total.
struct machine_sample {
  std::uint64_t busy = 0;
  std::uint64_t total = 0;
};
machine_sample sample_machine();
/// Busy share of the machine between two samples, 0..1.
double busy_share(const machine_sample& before, const machine_sample& after);

/// "Intel(R) Xeon(R) ..." from /proc/cpuinfo, and the core count.
std::string cpu_model();
unsigned cpu_count();

}  // namespace cafio::bench
