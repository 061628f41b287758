// SPDX-License-Identifier: MIT
// predict.h - the deferred-init time of a machine without booting it: each
// node's deferred pages are counted from the scenario's memory map, cut into
// chunks by the policy's own late_init rule, and timed by the cost model the
// runs use (engine/cost_model.h). So a prediction needs no host memory, and
// works for machines far larger than the host. What it leaves out (and why
// it can differ a little from `pginit run`'s "in Tms") is in
// docs/time-model.md, "Prediction without booting".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run/run_config.h"

namespace pginit {

struct NodePrediction {
  int nid = 0;
  std::uint64_t pages = 0;   // deferred pages initialized and freed
  unsigned threads = 1;      // the node's workers under the policy
  std::size_t chunks = 0;    // pieces of work they share
  std::uint64_t ns = 0;      // when the node's last chunk ends
};

struct Prediction {
  std::string kernel;  // the version's name
  std::string policy;  // its init policy
  // Why nothing is deferred, if so ("DEFERRED_STRUCT_PAGE_INIT is off").
  std::string nothing_deferred;
  std::vector<NodePrediction> nodes;
  // The boot waits for every node, and nodes run at the same time: the slowest.
  std::uint64_t slowest_ns() const;
};

// `threads` is what padata may use per node (deferred_page_init_max_threads);
// one-thread-per-node policies ignore it.
Prediction predict_deferred(const RunConfig& cfg, unsigned threads);

}  // namespace pginit
