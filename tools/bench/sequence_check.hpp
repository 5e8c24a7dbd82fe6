// The consistency check of one ordered stream (a sender's messages as one
// receiver sees them, or a client's acks): which sequence numbers arrived,
// how many twice, how many after a later one. Loss is what the sender sent
// minus what arrived, counted once the stream has drained.
#pragma once

#include <any>
#include <cstdint>
#include <vector>

#include "bench_options.hpp"

namespace cafio::bench {

class sequence_check {
 public:
  /// Records `s`; false when it is a duplicate (or nonsense).
  bool arrive(std::int64_t s) {
    if (s < 0 || s > (std::int64_t{1} << 40)) {
      ++invalid_;
      return false;
    }
    auto i = static_cast<std::size_t>(s);
    if (i / 64 >= seen_.size()) seen_.resize(i / 64 + 1 + seen_.size() / 2);
    auto bit = std::uint64_t{1} << (i % 64);
    if (seen_[i / 64] & bit) {
      ++duplicates_;
      return false;
    }
    seen_[i / 64] |= bit;
    ++unique_;
    if (s < max_seen_) ++out_of_order_;
    if (s > max_seen_) max_seen_ = s;
    return true;
  }

  std::uint64_t unique() const { return unique_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t out_of_order() const { return out_of_order_; }
  std::uint64_t invalid() const { return invalid_; }
  /// Of `sent` numbers 0..sent-1, how many never arrived.
  std::uint64_t lost(std::uint64_t sent) const { return sent > unique_ ? sent - unique_ : 0; }

 private:
  std::vector<std::uint64_t> seen_;
  std::int64_t max_seen_ = -1;
  std::uint64_t unique_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::uint64_t invalid_ = 0;
};

/// Applies --fault to what one receiver gets: drops, doubles or delays its
/// 50th item (delayed until the next item of the same stream has passed).
class fault_injector {
 public:
  explicit fault_injector(fault kind) : kind_(kind) {}
  /// Calls deliver(item) zero, one or two times, or later.
  template <class T, class F>
  void pass(std::int64_t stream, const T& item, F&& deliver) {
    ++count_;
    if (kind_ == fault::none || count_ < 50 || done_) return deliver(item);
    if (kind_ == fault::drop) {
      done_ = true;
      return;
    }
    if (kind_ == fault::duplicate) {
      done_ = true;
      deliver(item);
      return deliver(item);
    }
    if (!held_) {  // reorder: hold this one back
      held_ = true;
      held_stream_ = stream;
      delayed_ = item;
      return;
    }
    deliver(item);
    if (stream != held_stream_) return;
    done_ = true;
    deliver(std::any_cast<const T&>(delayed_));
  }

 private:
  fault kind_;
  std::uint64_t count_ = 0;
  bool done_ = false;
  bool held_ = false;
  std::int64_t held_stream_ = 0;
  std::any delayed_;
};

}  // namespace cafio::bench
