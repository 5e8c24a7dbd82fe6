// Builds against the installed package, serves on a free port, and checks
// that an Engine.IO handshake comes back through a plain TCP client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cafio.hpp"

int main() {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  int status = 1;
  {
    cafio::server io{sys};
    io.on_connection([](cafio::socket& s) { s.emit("hello", "consumer"); });
    std::string error;
    auto port = io.listen("127.0.0.1", 0, error);
    if (port == 0) {
      std::cerr << "listen failed: " << error << "\n";
      return 1;
    }
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
      std::string request =
          "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          "Connection: close\r\n\r\n";
      ::send(fd, request.data(), request.size(), 0);
      std::string response;
      char buf[4096];
      for (int i = 0; i < 100; ++i) {
        auto n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        response.append(buf, static_cast<std::size_t>(n));
      }
      if (response.find("200 OK") != std::string::npos &&
          response.find("0{\"sid\":") != std::string::npos) {
        std::cout << "consumer: handshake ok\n";
        status = 0;
      } else {
        std::cerr << "consumer: unexpected response:\n" << response << "\n";
      }
    } else {
      std::cerr << "consumer: cannot connect\n";
    }
    ::close(fd);
    io.close();
  }
  return status;
}
