#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

namespace cafio::bench {

namespace {

std::string format_number(double v) {
  char buf[64];
  double a = std::fabs(v);
  if (a >= 1e5 || (a > 0 && a == std::floor(a)))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 100)
    std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (a >= 1)
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string format_value(const json& v) {
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_null()) return "-";
  return v.dump();
}

void flatten(const json& j, const std::string& prefix,
             std::vector<std::pair<std::string, json>>& out) {
  for (auto& [key, value] : j.items()) {
    if (key == "series") {
      out.emplace_back(prefix + key, std::to_string(value.size()) + " samples (see JSON)");
    } else if (value.is_object()) {
      flatten(value, prefix + key + ".", out);
    } else {
      out.emplace_back(prefix + key, value);
    }
  }
}

const json* find(const json& j, const std::string& dotted) {
  const json* at = &j;
  std::size_t first = 0;
  while (first <= dotted.size()) {
    auto dot = dotted.find('.', first);
    auto key = dotted.substr(first, dot == std::string::npos ? std::string::npos : dot - first);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) break;
    first = dot + 1;
  }
  return at;
}

/// A figure compared across servers, and what the issue asks of it.
struct figure {
  const char* scenario;
  const char* metric;  // dotted path under "metrics"
  const char* name;
  bool higher_is_better;
  // "ratio >= x", "ratio <= x" or "value <= x" (absolute); empty: none.
  const char* target_kind;
  double target;
};

const figure figures[] = {
    {"connect", "conn_per_s", "connections/s", true, "ratio >=", 2.5},
    {"connect", "connect_p50_us", "connect p50 (µs)", false, "", 0},
    {"connect", "connect_p99_us", "connect p99 (µs)", false, "", 0},
    {"connect", "server_rss_per_conn_kb", "server RSS per connection (KB)", false, "value <=", 7},
    {"connect", "connect_cpu.server_cpu_us_per_conn", "server CPU per connect (µs)", false, "", 0},
    {"connect", "connect_cpu.other_cores_busy", "other processes (cores)", false, "", 0},
    {"fanout", "deliveries_per_s", "deliveries/s", true, "ratio >=", 1.9},
    {"fanout", "latency_p50_us", "latency p50 (µs)", false, "", 0},
    {"fanout", "latency_p99_us", "latency p99 (µs)", false, "", 0},
    {"fanout", "cpu.server_cpu_us_per_delivery", "server CPU per delivery (µs)", false,
     "ratio <=", 0.65},
    {"fanout", "cpu.client_busy", "load generator busy (0-1)", false, "", 0},
    {"fanout", "cpu.other_cores_busy", "other processes (cores)", false, "", 0},
    {"echo", "acks_per_s", "acks/s", true, "ratio >=", 1.4},
    {"echo", "rtt_p50_us", "round trip p50 (µs)", false, "", 0},
    {"echo", "rtt_p99_us", "round trip p99 (µs)", false, "", 0},
    {"echo", "cpu.server_cpu_us_per_ack", "server CPU per ack (µs)", false, "", 0},
    {"echo", "cpu.client_busy", "load generator busy (0-1)", false, "", 0},
    {"echo", "cpu.other_cores_busy", "other processes (cores)", false, "", 0},
    {"rooms", "deliveries_per_s", "deliveries/s", true, "ratio >=", 2.0},
    {"rooms", "latency_p50_us", "latency p50 (µs)", false, "", 0},
    {"rooms", "latency_p99_us", "latency p99 (µs)", false, "", 0},
    {"rooms", "cpu.server_cpu_us_per_delivery", "server CPU per delivery (µs)", false, "", 0},
    {"rooms", "cpu.client_busy", "load generator busy (0-1)", false, "", 0},
    {"rooms", "cpu.other_cores_busy", "other processes (cores)", false, "", 0},
    {"slowconsumer", "deliveries_per_s", "others' deliveries/s", true, "", 0},
    {"slowconsumer", "latency_p99_us", "others' latency p99 (µs)", false, "", 0},
    {"slowconsumer", "cpu.other_cores_busy", "other processes (cores)", false, "", 0},
    {"slowconsumer", "server_rss_peak_kb", "server RSS peak (KB)", false, "", 0},
    {"slowconsumer", "server_rss_end_kb", "server RSS at the end (KB)", false, "", 0},
    {"slowconsumer", "slow_consumer.server_closed_a_connection_at_s",
     "server dropped the slow consumer at (s)", false, "", 0},
    {"slowconsumer", "server_alive_at_end", "server still running at the end", false, "", 0},
    {"slowconsumer", "slow_consumer.closed_after_wake", "slow consumer: stream ended when woken",
     false, "", 0},
    {"slowconsumer", "slow_consumer.received_after_wake", "slow consumer: messages read when woken",
     false, "", 0},
    {"hold", "connected", "connections held", true, "", 0},
    {"hold", "conn_per_s", "connections/s", true, "", 0},
    {"hold", "server_rss_per_conn_kb", "server RSS per connection (KB)", false, "value <=", 7},
};

std::string pad(const std::string& s, std::size_t width) {
  // Width in code points, so that "µs" aligns.
  std::size_t points = 0;
  for (unsigned char c : s) points += (c & 0xC0) != 0x80;
  return points >= width ? s : s + std::string(width - points, ' ');
}

}  // namespace

void print_result(std::ostream& out, const json& r) {
  out << "cafio-bench " << r.value("scenario", "?") << " — " << r.value("label", "server");
  if (r.contains("server"))
    out << " (pid " << format_value(r["server"].value("pid", json())) << ")";
  out << ", " << r.value("date", "") << "\n";
  if (r.contains("params")) {
    out << "  params:";
    for (auto& [k, v] : r["params"].items()) out << " " << k << "=" << format_value(v);
    out << "\n";
  }
  if (r.contains("error")) out << "  ERROR: " << r["error"].get<std::string>() << "\n";
  std::vector<std::pair<std::string, json>> rows;
  if (r.contains("metrics")) flatten(r["metrics"], "", rows);
  for (auto& [k, v] : rows) out << "  " << pad(k, 44) << " " << format_value(v) << "\n";
  if (r.contains("checks")) {
    auto& c = r["checks"];
    out << "  checks: " << (c.value("ok", false) ? "OK" : "FAILED");
    for (auto& [k, v] : c.items())
      if (k != "ok") out << "  " << k << "=" << format_value(v);
    out << "\n";
  }
  if (auto busy = find(r, "metrics.cpu.client_busy"); busy && busy->get<double>() > 0.9)
    out << "  note: the load generator was saturated (client_busy > 0.9): the figures may be "
           "its limit, not the server's\n";
}

void print_comparison(std::ostream& out, const std::vector<json>& results,
                      const std::string& baseline, bool markdown) {
  // scenario -> label -> result (the last one wins).
  std::map<std::string, std::map<std::string, const json*>> by;
  std::vector<std::string> labels;
  for (auto& r : results) {
    auto label = r.value("label", "?");
    by[r.value("scenario", "?")][label] = &r;
    if (label != baseline && std::find(labels.begin(), labels.end(), label) == labels.end())
      labels.push_back(label);
  }
  auto cell = [](const json* r, const char* metric) -> std::optional<double> {
    if (!r) return std::nullopt;
    auto v = find(*r, std::string("metrics.") + metric);
    if (!v || !v->is_number()) return std::nullopt;
    return v->get<double>();
  };
  // Non-numeric figures (yes/no) are shown, never divided.
  auto text = [](const json* r, const char* metric) -> std::string {
    if (!r) return "-";
    auto v = find(*r, std::string("metrics.") + metric);
    return v ? format_value(*v) : "-";
  };
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {"scenario", "figure", baseline};
  for (auto& l : labels) {
    head.push_back(l);
    head.push_back(l + "/" + baseline);
  }
  head.push_back("target");
  head.push_back("met");
  table.push_back(head);
  for (auto& f : figures) {
    auto s = by.find(f.scenario);
    if (s == by.end()) continue;
    auto base_it = s->second.find(baseline);
    const json* base = base_it == s->second.end() ? nullptr : base_it->second;
    auto b = cell(base, f.metric);
    std::vector<std::string> row = {f.scenario, f.name,
                                    b ? format_number(*b) : text(base, f.metric)};
    std::string met;
    for (auto& l : labels) {
      auto it = s->second.find(l);
      const json* candidate = it == s->second.end() ? nullptr : it->second;
      auto c = cell(candidate, f.metric);
      row.push_back(c ? format_number(*c) : text(candidate, f.metric));
      std::optional<double> ratio;
      if (b && c && *b != 0) ratio = *c / *b;
      row.push_back(ratio ? format_number(*ratio) + "×" : "-");
      std::string kind = f.target_kind;
      if (kind == "ratio >=" && ratio) met += *ratio >= f.target ? "yes " : "no ";
      if (kind == "ratio <=" && ratio) met += *ratio <= f.target ? "yes " : "no ";
      if (kind == "value <=" && c) met += *c <= f.target ? "yes " : "no ";
    }
    std::string kind = f.target_kind;
    std::string target;
    if (kind == "ratio >=") target = "≥ " + format_number(f.target) + "×";
    if (kind == "ratio <=") target = "≤ " + format_number(f.target) + "×";
    if (kind == "value <=") target = "≤ " + format_number(f.target);
    row.push_back(target.empty() ? "" : target);
    if (!met.empty()) met.pop_back();
    row.push_back(met);
    table.push_back(row);
  }
  // Consistency checks, per server.
  for (auto& [scenario, per_label] : by) {
    std::vector<std::string> row = {scenario, "consistency checks"};
    auto ok = [&](const std::string& l) -> std::string {
      auto it = per_label.find(l);
      if (it == per_label.end()) return "-";
      return it->second->value("/checks/ok"_json_pointer, false) ? "ok" : "FAILED";
    };
    row.push_back(ok(baseline));
    for (auto& l : labels) {
      row.push_back(ok(l));
      row.push_back("");
    }
    row.push_back("");
    row.push_back("");
    table.push_back(row);
  }

  if (markdown) {
    for (std::size_t i = 0; i < table.size(); ++i) {
      out << "|";
      for (auto& c : table[i]) out << " " << c << " |";
      out << "\n";
      if (i == 0) {
        out << "|";
        for (std::size_t k = 0; k < table[i].size(); ++k) out << (k < 2 ? "---|" : "---:|");
        out << "\n";
      }
    }
    return;
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (auto& row : table)
    for (std::size_t k = 0; k < row.size(); ++k) {
      std::size_t points = 0;
      for (unsigned char ch : row[k]) points += (ch & 0xC0) != 0x80;
      width[k] = std::max(width[k], points);
    }
  for (auto& row : table) {
    for (std::size_t k = 0; k < row.size(); ++k) out << pad(row[k], width[k] + 2);
    out << "\n";
  }
}

}  // namespace cafio::bench
