// Unguessable ids for Engine.IO sessions and Socket.IO sockets: 15 random
// bytes from the kernel's CSPRNG, base64url-encoded to 20 characters, the
// shape of the reference server's base64id.
#pragma once

#include <string>

namespace cafio::transport {

std::string generate_id();

}  // namespace cafio::transport
