// SPDX-License-Identifier: MIT
// A scenario booted in process: its log, its state and its proof.
#pragma once

#include <string>

#include "boot/start_kernel.h"
#include "checker/proof.h"
#include "scenario/scenario.h"

namespace pginit::test {

struct BootedKernel {
  explicit BootedKernel(const std::string& yaml) : s(parse_scenario(yaml, "test.yaml")), st(s, log)
  {
    start_kernel(st);
    proof = prove_boot(st);
  }
  std::uint64_t phase(int nid, InitPhase p) const
  {
    for (const NodePhaseCounts& c : proof.by_node)
      if (c.nid == nid) return c.pages[static_cast<std::size_t>(p)];
    return ~std::uint64_t{0};
  }
  bool logged(const std::string& line) const
  {
    for (const LogLine& l : log.lines())
      if (l.text == line) return true;
    return false;
  }
  Scenario s;
  KernelLog log{false};
  BootState st;
  BootProof proof;
};

}  // namespace pginit::test
