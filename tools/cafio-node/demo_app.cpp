// The demo: a chat on "/" — nicknames, rooms with member lists, messages,
// typing indicators, images as binary, and system messages on join, leave
// and disconnect (with socket.io's reason). The page is demo/index.html.
//
// Client → server (every one but "typing" acked with {ok: true, ...} or
// {error}):
//   "nickname" name          → {nickname, maxImageBytes}; once per socket
//   "join" room              → {room}; leaves the previous room
//   "leave"                  → {}
//   "chat" text              → {}
//   "typing" bool            (relayed to the room, the sender excluded)
//   "image" {name, data}     → {}; data binary, at most maxImageBytes
// Server → client: "rooms" [{name, members}], "members" {room, members:
// [{id, nickname}]}, "chat" {room, id, from, text, at}, "image" {room, id,
// from, name, type, size, data, at}, "typing" {id, nickname, typing},
// "system" {room, kind, text, reason?, at}.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <caf/send.hpp>

#include "actors/cafio.hpp"
#include "apps.hpp"
#include "demo_roster.hpp"

namespace cafio::node {

namespace {

constexpr std::size_t max_nickname_chars = 20;
constexpr std::size_t max_room_chars = 24;
constexpr std::size_t max_chat_chars = 1000;
const std::vector<std::string> default_rooms = {"general", "random", "actors"};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

/// Characters, not bytes: json strings are valid UTF-8, so counting the
/// bytes that do not continue a sequence counts code points.
std::size_t utf8_length(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A nickname: 1 to 20 characters, letters (any script), digits, spaces,
/// '-', '_' and '.'; no control characters. Returns the trimmed name or
/// sets `error`.
std::optional<std::string> valid_nickname(const args& a, std::string& error) {
  if (a.empty() || !a[0].is_string()) {
    error = "a nickname is required";
    return std::nullopt;
  }
  auto name = trim(a[0].get_ref<const std::string&>());
  auto length = utf8_length(name);
  if (length == 0 || length > max_nickname_chars) {
    error = "a nickname has 1 to " + std::to_string(max_nickname_chars) + " characters";
    return std::nullopt;
  }
  for (unsigned char c : name) {
    bool ok = c >= 0x80 || std::isalnum(c) || c == ' ' || c == '-' || c == '_' || c == '.';
    if (!ok) {
      error = "a nickname has letters, digits, spaces, '-', '_' and '.' only";
      return std::nullopt;
    }
  }
  return name;
}

/// A room name: lower-case ASCII letters, digits and '-', 1 to 24 of them
/// (a leading '#' and surrounding spaces are dropped, upper case lowered).
std::optional<std::string> valid_room(const args& a, std::string& error) {
  if (a.empty() || !a[0].is_string()) {
    error = "a room name is required";
    return std::nullopt;
  }
  auto name = lower_ascii(trim(a[0].get_ref<const std::string&>()));
  if (!name.empty() && name.front() == '#') name.erase(0, 1);
  bool ok = !name.empty() && name.size() <= max_room_chars &&
            std::all_of(name.begin(), name.end(), [](unsigned char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            });
  if (!ok) {
    error = "a room name has 1 to " + std::to_string(max_room_chars) +
            " lower-case letters, digits or '-'";
    return std::nullopt;
  }
  return name;
}

/// The image type from the first bytes (the client's word is not taken):
/// PNG, JPEG, GIF or WebP, else nullopt.
std::optional<std::string> sniff_image(std::string_view b) {
  auto starts = [&b](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (b.size() >= 12 && starts("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

json failure(std::string message) {
  return json{{"error", std::move(message)}};
}

std::string nickname_of(socket& s) {
  return s.data().value("nickname", std::string());
}
std::string room_of(socket& s) {
  return s.data().value("room", std::string());
}

json system_message(const std::string& room, const std::string& kind, std::string text) {
  return json{{"room", room}, {"kind", kind}, {"text", std::move(text)}, {"at", now_ms()}};
}

/// Leaves the current room, telling the others; the roster lists the rest
/// once the namespace has the change.
void leave_room(socket& s, const roster_actor& roster) {
  auto room = room_of(s);
  if (room.empty()) return;
  s.to(room_key(room))
      .emit("system", system_message(room, "leave", nickname_of(s) + " left #" + room));
  s.data()["room"] = "";
  s.leave(room_key(room), [roster, room] { caf::anon_send(roster, refresh_atom::value, room); });
}

void on_nickname(socket& s, args& a, const ack& k, std::size_t max_image_bytes,
                 const roster_actor& roster) {
  if (!nickname_of(s).empty()) return k(failure("the nickname is already set"));
  std::string error;
  auto name = valid_nickname(a, error);
  if (!name) return k(failure(error));
  // Unique, case-insensitive, among the sockets of the namespace. Two
  // sockets asking for one name at the same instant may both get it: a demo.
  s.nsp().fetch_sockets([&s, k, name = *name, max_image_bytes,
                         roster](std::vector<socket_info> infos) {
    auto wanted = lower_ascii(name);
    for (auto& info : infos)
      if (info.id != s.id() && lower_ascii(info.data.value("nickname", std::string())) == wanted)
        return k(failure("the nickname '" + name + "' is taken"));
    s.data()["nickname"] = name;
    k(json{{"ok", true}, {"nickname", name}, {"maxImageBytes", max_image_bytes}});
    caf::anon_send(roster, refresh_atom::value, std::string());  // the room list, to the newcomer
  });
}

void on_join(socket& s, args& a, const ack& k, const roster_actor& roster) {
  if (nickname_of(s).empty()) return k(failure("choose a nickname first"));
  std::string error;
  auto room = valid_room(a, error);
  if (!room) return k(failure(error));
  if (room_of(s) == *room) return k(json{{"ok", true}, {"room", *room}});
  leave_room(s, roster);
  s.data()["room"] = *room;
  s.join(room_key(*room), [&s, k, roster, room = *room] {
    // A join overtaken by another join has already been left.
    if (room_of(s) != room) return k(failure("left #" + room + " for #" + room_of(s)));
    // Everyone in the room, the newcomer included, hears of it.
    s.nsp()
        .to(room_key(room))
        .emit("system", system_message(room, "join", nickname_of(s) + " joined #" + room));
    k(json{{"ok", true}, {"room", room}});
    caf::anon_send(roster, refresh_atom::value, room);
  });
}

void on_chat(socket& s, args& a, const ack& k) {
  auto room = room_of(s);
  if (room.empty()) return k(failure("join a room first"));
  if (a.empty() || !a[0].is_string()) return k(failure("a message is text"));
  auto text = trim(a[0].get_ref<const std::string&>());
  if (text.empty()) return k(failure("the message is empty"));
  if (utf8_length(text) > max_chat_chars)
    return k(failure("a message has at most " + std::to_string(max_chat_chars) + " characters"));
  s.nsp()
      .to(room_key(room))
      .emit("chat", json{{"room", room},
                         {"id", s.id()},
                         {"from", nickname_of(s)},
                         {"text", std::move(text)},
                         {"at", now_ms()}});
  k(json{{"ok", true}});
}

void on_image(socket& s, args& a, const ack& k, std::size_t max_image_bytes) {
  auto room = room_of(s);
  if (room.empty()) return k(failure("join a room first"));
  if (a.empty() || !a[0].is_object() || !a[0].contains("data"))
    return k(failure("an image is {name, data}"));
  auto bytes = bytes_of(a[0]["data"]);
  if (!bytes) return k(failure("the image data must be binary"));
  if (bytes->size() > max_image_bytes)
    return k(failure("the image has " + std::to_string(bytes->size()) + " bytes; at most " +
                     std::to_string(max_image_bytes) + " are allowed"));
  auto type = sniff_image(*bytes);
  if (!type) return k(failure("only PNG, JPEG, GIF and WebP images are shared"));
  auto name = a[0].value("name", std::string("image"));
  if (utf8_length(name) > 100) name = "image";
  auto size = bytes->size();
  // Relayed as binary: one attachment, not base64 in JSON.
  s.nsp()
      .to(room_key(room))
      .emit("image", json{{"room", room},
                          {"id", s.id()},
                          {"from", nickname_of(s)},
                          {"name", name},
                          {"type", *type},
                          {"size", size},
                          {"data", binary(*bytes)},
                          {"at", now_ms()}});
  k(json{{"ok", true}});
}

}  // namespace

void install_demo_app(server& io) {
  auto roster = spawn_roster(io.system(), io.of("/"), default_rooms);
  // Images travel as one binary attachment; keep them well below maxPayload,
  // which also bounds a polling payload that carries them base64-encoded.
  auto max_payload = io.options().engine.max_payload;
  std::size_t max_image_bytes = std::min<std::size_t>(512 * 1024, max_payload / 2);
  io.on_connection([roster, max_image_bytes](socket& s) {
    s.data() = json{{"nickname", ""}, {"room", ""}};
    s.on("nickname", [&s, roster, max_image_bytes](args& a, ack k) {
      on_nickname(s, a, k, max_image_bytes, roster);
    });
    s.on("join", [&s, roster](args& a, ack k) { on_join(s, a, k, roster); });
    s.on("leave", [&s, roster](args&, ack k) {
      leave_room(s, roster);
      k(json{{"ok", true}});
    });
    s.on("chat", [&s](args& a, ack k) { on_chat(s, a, k); });
    s.on("image", [&s, max_image_bytes](args& a, ack k) { on_image(s, a, k, max_image_bytes); });
    s.on("typing", [&s](args& a) {
      auto room = room_of(s);
      if (room.empty()) return;
      bool typing = !a.empty() && a[0] == true;
      s.to(room_key(room))
          .volatile_()
          .emit("typing", json{{"id", s.id()}, {"nickname", nickname_of(s)}, {"typing", typing}});
    });
    // "disconnecting": still in the room, so the others hear why.
    s.on("disconnecting", [&s](args& a) {
      auto room = room_of(s);
      if (room.empty()) return;
      auto reason = !a.empty() && a[0].is_string() ? a[0].get<std::string>() : std::string();
      auto message =
          system_message(room, "disconnect", nickname_of(s) + " disconnected (" + reason + ")");
      message["reason"] = reason;
      s.to(room_key(room)).emit("system", std::move(message));
      s.to(room_key(room))
          .emit("typing", json{{"id", s.id()}, {"nickname", nickname_of(s)}, {"typing", false}});
    });
    // "disconnect": out of every room; the roster lists the rest.
    s.on("disconnect", [&s, roster](args&) {
      auto room = room_of(s);
      if (!room.empty()) caf::anon_send(roster, refresh_atom::value, room);
    });
  });
}

}  // namespace cafio::node
