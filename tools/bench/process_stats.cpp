#include "process_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace cafio::bench {

namespace {

std::string proc_dir(int pid) {
  return pid == 0 ? std::string("/proc/self") : "/proc/" + std::to_string(pid);
}

std::int64_t count_entries(const std::string& dir) {
  auto d = opendir(dir.c_str());
  if (!d) return -1;
  std::int64_t n = 0;
  while (auto e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

}  // namespace

std::optional<process_sample> sample_process(int pid, bool count_fds) {
  process_sample s;
  auto dir = proc_dir(pid);
  {
    std::ifstream status(dir + "/status");
    if (!status) return std::nullopt;
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) {
        s.rss_kb = std::stoll(line.substr(6));
        break;
      }
    }
  }
  {
    std::ifstream stat_file(dir + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    // The command name (field 2) may hold spaces: fields count from the last ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // Fields 3.. : state is field 3, utime field 14, stime field 15.
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    static const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    s.cpu_seconds = static_cast<double>(utime + stime) / tick;
  }
  if (count_fds) s.fds = count_entries(dir + "/fd");
  return s;
}

machine_sample sample_machine() {
  std::ifstream stat_file("/proc/stat");
  std::string cpu;
  stat_file >> cpu;  // "cpu"
  machine_sample s;
  // user nice system idle iowait irq softirq steal
  std::uint64_t v[8] = {};
  for (auto& x : v) stat_file >> x;
  s.total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
  s.busy = s.total - v[3] - v[4];
  return s;
}

double busy_share(const machine_sample& before, const machine_sample& after) {
  auto total = after.total - before.total;
  return total == 0 ? 0.0 : static_cast<double>(after.busy - before.busy) / total;
}

std::string cpu_model() {
  std::ifstream info("/proc/cpuinfo");
  std::string line;
  while (std::getline(info, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

unsigned cpu_count() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace cafio::bench
