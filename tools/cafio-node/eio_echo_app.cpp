// conformance-app.md §5: a plain Engine.IO server echoing every message.
#include "apps.hpp"
#include "transport/session_upper.hpp"

namespace cafio::node {

namespace {

/// Sends every message packet back on its session, as it came.
class echo final : public transport::session_upper {
 public:
  explicit echo(transport::session_host& host) : host_(host) {}

  void on_message(engineio::packet& p) override {
    std::vector<engineio::packet> one;
    one.push_back(std::move(p));
    host_.send(
        transport::outgoing{std::make_shared<const std::vector<engineio::packet>>(std::move(one))});
  }
  void on_upgraded(transport::transport_kind) override {}
  void on_closed(transport::close_reason) override {}
  void on_signal(caf::message&) override {}

 private:
  transport::session_host& host_;
};

}  // namespace

transport::upper_factory eio_echo_factory() {
  return [](transport::session_host& host,
            const transport::session_info&) -> std::unique_ptr<transport::session_upper> {
    return std::make_unique<echo>(host);
  };
}

}  // namespace cafio::node
