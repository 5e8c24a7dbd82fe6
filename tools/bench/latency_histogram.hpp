// A log-linear histogram of durations in nanoseconds (the idea of
// HdrHistogram with 6 bits of sub-bucket precision: every value is kept
// within 1/64 ≈ 1.6 %), cheap enough to record every delivery.
#pragma once

#include <array>
#include <cstdint>

namespace cafio::bench {

class latency_histogram {
 public:
  void record(std::int64_t ns);
  void merge(const latency_histogram& other);

  std::uint64_t count() const { return count_; }
  /// The value at quantile q (0..1), in ns; 0 when empty.
  std::int64_t quantile(double q) const;
  std::int64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

 private:
  static constexpr int sub_bits = 6;
  static constexpr int buckets = 64 << sub_bits;  // up to 2^63 ns
  static int index_of(std::uint64_t v);
  static std::uint64_t value_of(int index);

  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  // Sums of ns overflow after ~290 years of accumulated latency: enough.
  std::uint64_t sum_ = 0;
};

}  // namespace cafio::bench
