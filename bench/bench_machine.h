// SPDX-License-Identifier: MIT
// bench_machine.h - a simulated machine booted up to the deferred phase, for
// the benchmarks: N GiB over `nodes` nodes, v4.17, VMEMMAP, deferred init,
// booted up to mm_init (Stage::mm_init), so the deferred pages wait.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "kernel/kernel.h"
#include "run/boot.h"

namespace pginit::bench {

inline std::string machine_yaml(std::uint64_t gib, int nodes, const char* memory_model = "SPARSEMEM_VMEMMAP")
{
  const std::uint64_t end = 0x100000000 + (gib - 3) * SZ_1G;  // 3 GiB below 4 GiB, the rest above
  std::string yaml = fmt::format(R"(name: bench
kernel: v4.17
config: {{ NUMA: {}, DEFERRED_STRUCT_PAGE_INIT: y, SPARSEMEM_VMEMMAP: {} }}
machine:
  cpus: {}
  e820:
    - {{ mem: 0x0-0x9fbff, type: usable }}
    - {{ mem: 0x100000-0xbfffffff, type: usable }}
    - {{ mem: 0x100000000-{:#x}, type: usable }}
)",
                                 nodes > 1 ? "y" : "n", memory_model == std::string("SPARSEMEM_VMEMMAP") ? "y" : "n",
                                 2 * nodes, end - 1);
  if (nodes > 1) {
    const std::uint64_t split = 0x100000000 + (end - 0x100000000) / 2;
    yaml += fmt::format("  nodes:\n    - {{ nid: 0, mem: 0x0-{:#x} }}\n    - {{ nid: 1, mem: {:#x}-{:#x} }}\n", split - 1,
                        split, end - 1);
  }
  return yaml;
}

// The machine booted through the one entry point, stopped after mm_init.
struct Machine {
  explicit Machine(const std::string& yaml) : r(boot(resolve(parse_scenario(yaml, "bench.yaml")), Stage::mm_init)) {}
  Kernel& k() { return r.kernel(); }
  RunResult r;
};

}  // namespace pginit::bench
