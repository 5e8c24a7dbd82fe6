// The payload every measured message carries: a flat JSON object
//   {"t":<ns since the load generator started>,"s":<sequence>,
//    "f":<sender>,"r":<room>,"w":<window slot>,"p":"xxx..."}
// padded with "p" to a chosen size. The server re-encodes it (cafio sorts
// the keys), so the reader scans any key order and whitespace; it checks that
// "p" comes back byte-identical in length and content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cafio::bench {

struct stamp {
  std::int64_t t = -1;  // send time, ns on the load generator's steady clock
  std::int64_t s = -1;  // sequence number of the sender
  std::int64_t f = -1;  // sender index (rooms), -1 when absent
  std::int64_t r = -1;  // room index (rooms), -1 when absent
  std::int64_t w = -1;  // the sender's window slot (broadcasts), -1 when absent
  std::size_t pad = 0;  // length of "p"
  bool pad_intact = true;
};

/// The object of `st` (f, r and w only when >= 0), "p" sized so that the
/// whole object is `bytes` long when that is possible.
std::string make_payload(const stamp& st, std::size_t bytes);

/// The length of "p" that make_payload(st, bytes) wrote: what an intact
/// echo of it must carry.
std::size_t expected_pad(const stamp& st, std::size_t bytes);

/// True when `st` came back as make_payload(st, bytes) made it.
inline bool intact(const stamp& st, std::size_t bytes) {
  return st.pad_intact && st.pad == expected_pad(st, bytes);
}

/// Reads `["<event>",{...}]` (an EVENT's array) into `out`; false when it is
/// not that event or not a flat object of integers and strings.
bool read_event(std::string_view array, std::string_view event, stamp& out);

/// Reads `[{...}]` (an ACK's array) into `out`.
bool read_ack(std::string_view array, stamp& out);

}  // namespace cafio::bench
