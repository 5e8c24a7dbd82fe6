// Everything an embedding program needs: #include "actors/cafio.hpp".
#pragma once

#include "actors/broadcast_operator.hpp"
#include "actors/disconnect_reason.hpp"
#include "actors/event.hpp"
#include "actors/handshake.hpp"
#include "actors/interfaces.hpp"
#include "actors/namespace_handle.hpp"
#include "actors/server.hpp"
#include "actors/socket.hpp"
