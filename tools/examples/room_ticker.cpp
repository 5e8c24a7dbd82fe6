// Embedding example: a plain CAF actor (not a socket) that lives in the same
// actor system as cafio. It broadcasts "tick" to the room "ticks" on a timer
// and reacts to a client event: sockets forward "vote" to it by message, and
// it answers the voter through the socket's actor handle.
//
//   room-ticker [--host 127.0.0.1] [--port 3000] [--interval-ms 1000]
//
// A client joins by emitting "join-ticks" (acked), receives
// "tick" {n, votes}, and may emit "vote" <string>; the voter gets
// "voted" {choice, total}.
#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/cafio.hpp"

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using vote_atom = caf::atom_constant<caf::atom("vote")>;

/// The ticker's typed interface: its timer, and votes forwarded by sockets.
using ticker_actor = caf::typed_actor<caf::reacts_to<tick_atom>,
                                      caf::reacts_to<vote_atom, std::string, cafio::socket_actor>>;

struct ticker_state {
  static inline const char* name = "room-ticker";
  std::uint64_t ticks = 0;
  std::map<std::string, std::uint64_t> votes;
};

ticker_actor::behavior_type ticker(ticker_actor::stateful_pointer<ticker_state> self,
                                   cafio::namespace_handle nsp,
                                   std::chrono::milliseconds interval) {
  self->delayed_send(self, interval, tick_atom::value);
  return {
      [=](tick_atom) {
        auto& st = self->state;
        // A broadcast from outside any socket: encoded once, handed to the
        // namespace actor, fanned out by the room's actor.
        nsp.to("ticks").emit("tick", cafio::json{{"n", ++st.ticks}, {"votes", st.votes}});
        self->delayed_send(self, interval, tick_atom::value);
      },
      [=](vote_atom, const std::string& choice, const cafio::socket_actor& voter) {
        auto total = ++self->state.votes[choice];
        // Talk back to that one socket through its actor.
        self->send(voter, cafio::emit_atom::value, std::string("voted"),
                   cafio::make_args(cafio::json{{"choice", choice}, {"total", total}}));
      },
  };
}

bool parse_flag(int argc, char** argv, int& i, const char* name, std::string& out) {
  if (std::strcmp(argv[i], name) != 0 || i + 1 >= argc) return false;
  out = argv[++i];
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::string port_text = "3000";
  std::string interval_text = "1000";
  for (int i = 1; i < argc; ++i) {
    if (!parse_flag(argc, argv, i, "--host", host) &&
        !parse_flag(argc, argv, i, "--port", port_text) &&
        !parse_flag(argc, argv, i, "--interval-ms", interval_text)) {
      std::cerr << "usage: room-ticker [--host ADDR] [--port N] [--interval-ms MS]\n";
      return 2;
    }
  }
  unsigned port = 0;
  unsigned interval = 0;
  auto bad = [](const std::string& s, unsigned& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec != std::errc{} || p != s.data() + s.size();
  };
  if (bad(port_text, port) || port > 65535 || bad(interval_text, interval) || interval == 0) {
    std::cerr << "room-ticker: --port needs 0-65535 and --interval-ms a positive number\n";
    return 2;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  int status = 0;
  {
    cafio::server io{sys};
    auto main_nsp = io.of("/");
    auto clock = sys.spawn(ticker, main_nsp, std::chrono::milliseconds(interval));
    main_nsp.on_connection([clock](cafio::socket& s) {
      s.on("join-ticks", [&s](cafio::args&, cafio::ack ack) { s.join("ticks", [ack] { ack(); }); });
      s.on("vote", [&s, clock](cafio::args& a) {
        if (!a.empty() && a[0].is_string())
          caf::anon_send(clock, vote_atom::value, a[0].get<std::string>(), s.handle());
      });
    });
    std::string error;
    auto bound = io.listen(host, static_cast<std::uint16_t>(port), error);
    if (bound == 0) {
      std::cerr << "room-ticker: " << error << "\n";
      status = 1;
    } else {
      std::cout << "room-ticker on http://" << host << ":" << bound << "/socket.io/" << std::endl;
      int sig = 0;
      sigwait(&signals, &sig);
    }
    io.close();
    caf::anon_send_exit(clock, caf::exit_reason::user_shutdown);
  }
  return status;
}
