// SPDX-License-Identifier: MIT
// predict_report.h - `pginit predict`'s outputs: the table, the JSON points
// and the SVG plot, all from the same predictions (run/predict.h).
#pragma once

#include <string>
#include <vector>

#include "run/predict.h"

namespace pginit {

// One prediction per (kernel, thread count), in the order asked.
struct PredictedRun {
  unsigned threads = 1;
  Prediction prediction;
};

// Milliseconds as printed and written: one decimal, so output is the same on every host.
double predicted_ms(std::uint64_t ns);

std::vector<std::string> predict_table(const std::vector<PredictedRun>& runs);
// {"points": [{"kernel", "policy", "threads", "node", "pages", "ms"}...],
//  "slowest": [{"kernel", "threads", "ms"}...]}
std::string predict_json(const std::vector<PredictedRun>& runs);
// The slowest node's time against threads (log2 axis), one line per kernel.
std::string predict_svg(const std::vector<PredictedRun>& runs, const std::string& title);

}  // namespace pginit
