#include "transport/metrics.hpp"

#include <sstream>

namespace cafio {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

std::shared_ptr<metrics::namespace_gauges> metrics::add_namespace(std::string name) {
  auto gauges = std::make_shared<namespace_gauges>(std::move(name));
  std::lock_guard<std::mutex> guard{namespaces_mutex_};
  namespaces_.push_back(gauges);
  return gauges;
}

std::string metrics::render(const std::vector<std::string>& reason_names) const {
  std::ostringstream out;
  auto load = [](auto& x) { return x.load(std::memory_order_relaxed); };
  header(out, "cafio_connected_clients", "gauge", "Engine.IO connections open now.");
  static const char* transports[] = {"polling", "websocket"};
  static const char* protocols[] = {"3", "4"};
  for (std::size_t t = 0; t < 2; ++t)
    for (std::size_t p = 0; p < 2; ++p)
      out << "cafio_connected_clients{transport=\"" << transports[t] << "\",protocol=\""
          << protocols[p] << "\"} " << load(clients[t][p]) << '\n';
  std::vector<std::shared_ptr<namespace_gauges>> live;
  {
    std::lock_guard<std::mutex> guard{namespaces_mutex_};
    for (auto& weak : namespaces_)
      if (auto g = weak.lock()) live.push_back(std::move(g));
  }
  header(out, "cafio_namespace_sockets", "gauge", "Connected sockets per namespace.");
  for (auto& g : live)
    out << "cafio_namespace_sockets{namespace=\"" << escape_label(g->name) << "\"} "
        << load(g->sockets) << '\n';
  header(out, "cafio_rooms", "gauge", "Rooms with members per namespace.");
  for (auto& g : live)
    out << "cafio_rooms{namespace=\"" << escape_label(g->name) << "\"} " << load(g->rooms) << '\n';
  header(out, "cafio_packets_received_total", "counter", "Engine.IO message packets received.");
  out << "cafio_packets_received_total " << load(packets_in) << '\n';
  header(out, "cafio_packets_sent_total", "counter", "Engine.IO message packets sent.");
  out << "cafio_packets_sent_total " << load(packets_out) << '\n';
  header(out, "cafio_bytes_received_total", "counter", "Bytes of message packets received.");
  out << "cafio_bytes_received_total " << load(bytes_in) << '\n';
  header(out, "cafio_bytes_sent_total", "counter", "Bytes of message packets sent.");
  out << "cafio_bytes_sent_total " << load(bytes_out) << '\n';
  header(out, "cafio_broadcasts_total", "counter", "Broadcasts emitted.");
  out << "cafio_broadcasts_total " << load(broadcasts) << '\n';
  header(out, "cafio_broadcast_deliveries_total", "counter",
         "Broadcast packets handed to a connection.");
  out << "cafio_broadcast_deliveries_total " << load(deliveries) << '\n';
  header(out, "cafio_volatile_dropped_total", "counter",
         "Volatile packets dropped because the transport could not take them.");
  out << "cafio_volatile_dropped_total " << load(volatile_dropped) << '\n';
  header(out, "cafio_disconnects_total", "counter", "Socket disconnects by reason.");
  for (std::size_t i = 0; i < reason_names.size() && i < disconnects.size(); ++i)
    out << "cafio_disconnects_total{reason=\"" << escape_label(reason_names[i]) << "\"} "
        << load(disconnects[i]) << '\n';
  header(out, "cafio_handshake_errors_total", "counter", "Refused handshakes by engine.io code.");
  for (std::size_t i = 0; i < handshake_errors.size(); ++i)
    out << "cafio_handshake_errors_total{code=\"" << i << "\"} " << load(handshake_errors[i])
        << '\n';
  return out.str();
}

}  // namespace cafio
