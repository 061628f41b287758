// SPDX-License-Identifier: MIT
// A scenario booted in process through the one entry point: its log, its
// state and its proof.
#pragma once

#include <string>

#include "kernel/kernel.h"
#include "run/boot.h"

namespace pginit::test {

struct BootedKernel {
  explicit BootedKernel(const std::string& yaml, unsigned threads = 1, Stage until = Stage::end)
      : r(boot_yaml(yaml, threads, until)), st(r.kernel()), log(r.log())
  {
    if (r.proof) proof = *r.proof;
  }
  static RunResult boot_yaml(const std::string& yaml, unsigned threads, Stage until)
  {
    RunConfig cfg = resolve(parse_scenario(yaml, "test.yaml"));
    cfg.threads = threads;
    return boot(cfg, until);
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
  RunResult r;
  const Kernel& st;
  const KernelLog& log;
  BootProof proof;
};

}  // namespace pginit::test
