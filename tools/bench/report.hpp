// How results are shown: one result as a readable table, several results as
// a comparison against a baseline server (ratios, the targets).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cafio::bench {

using json = nlohmann::json;

/// The readable table of one scenario's result.
void print_result(std::ostream& out, const json& result);

/// Each figure of the candidates next to the baseline's, with the ratio
/// candidate / baseline and the target it is held to. `markdown` selects a
/// Markdown table instead of aligned text.
void print_comparison(std::ostream& out, const std::vector<json>& results,
                      const std::string& baseline, bool markdown);

}  // namespace cafio::bench
