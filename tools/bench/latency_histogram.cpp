#include "latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace cafio::bench {

// Values below 2^(sub_bits+1) get a bucket each; above, a value keeps its
// top sub_bits+1 bits: index = shift * 2^sub_bits + (v >> shift).
int latency_histogram::index_of(std::uint64_t v) {
  constexpr std::uint64_t linear = std::uint64_t{1} << (sub_bits + 1);
  if (v < linear) return static_cast<int>(v);
  int msb = 63 - __builtin_clzll(v);
  int shift = msb - sub_bits;
  return shift * (1 << sub_bits) + static_cast<int>(v >> shift);
}

std::uint64_t latency_histogram::value_of(int index) {
  constexpr int linear = 1 << (sub_bits + 1);
  if (index < linear) return static_cast<std::uint64_t>(index);
  int shift = index / (1 << sub_bits) - 1;
  auto mantissa = static_cast<std::uint64_t>(index % (1 << sub_bits) + (1 << sub_bits));
  // The middle of the bucket.
  return (mantissa << shift) + ((std::uint64_t{1} << shift) >> 1);
}

void latency_histogram::record(std::int64_t ns) {
  auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0));
  ++counts_[static_cast<std::size_t>(std::min(index_of(v), buckets - 1))];
  ++count_;
  sum_ += v;
  max_ = std::max(max_, static_cast<std::int64_t>(v));
}

void latency_histogram::merge(const latency_histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

std::int64_t latency_histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * count_));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (int i = 0; i < buckets; ++i) {
    seen += counts_[static_cast<std::size_t>(i)];
    if (seen >= rank) return std::min(static_cast<std::int64_t>(value_of(i)), max_);
  }
  return max_;
}

}  // namespace cafio::bench
