// SPDX-License-Identifier: MIT
// A scenario booted in process through the one entry point: its log, its
// state and its proof.
#pragma once

#include <string>
#include <string_view>

#include "kernel/kernel.h"
#include "run/boot.h"

namespace pginit::test {

// A small guest's firmware map (QEMU's low memory: 639 KiB, the EBDA, the
// BIOS ROM), then RAM from 1 MiB to 1 GiB: a scenario's machine.e820 lines.
// `more` adds entries above 1 GiB.
inline std::string small_guest_e820(const std::string& more = "")
{
  return "  e820:\n"
         "    - { mem: 0x0-0x9fbff, type: usable }\n"
         "    - { mem: 0x9fc00-0x9ffff, type: reserved }\n"
         "    - { mem: 0xf0000-0xfffff, type: reserved }\n"
         "    - { mem: 0x100000-0x3fffffff, type: usable }\n" +
         more;
}

// The scenario every rule test boots: `name`, `kernel`, the config symbols
// (a flow map's inside), 2 CPUs and small_guest_e820(more).
inline std::string small_guest(const std::string& name, const std::string& kernel, const std::string& config,
                               const std::string& more_e820 = "")
{
  return "name: " + name + "\nkernel: " + kernel + "\nconfig: { " + config + " }\nmachine:\n  cpus: 2\n" +
         small_guest_e820(more_e820);
}

// The small guest grown to 3 GiB with holes: one inside a section
// (0x40000000-0x40ffffff) and a whole section missing (0x80000000-0x87ffffff).
inline std::string three_gib_with_holes(const std::string& kernel)
{
  return small_guest("three-gib-holes", kernel, "NUMA: n, SPARSEMEM_VMEMMAP: y, DEFERRED_STRUCT_PAGE_INIT: y",
                     "    - { mem: 0x41000000-0x7fffffff, type: usable }\n"
                     "    - { mem: 0x88000000-0xbfffffff, type: usable }\n");
}

// QEMU's pc machine with 4 GiB in two nodes, as Debian's 6.1 saw it
// (tests/data/oracle/pc-2node-4g.log), under `kernel`; `nodes` is its SRAT
// (the lines after "  nodes:"), the image and brk as that build had them.
inline std::string qemu_pc_4g(const std::string& kernel, const std::string& nodes)
{
  return "name: pc-2node-4g\nkernel: " + kernel +
         "\nconfig: { NUMA: y, SMP: y }\nmachine:\n  cpus: 2\n  e820:\n"
         "    - { mem: 0x0-0x9fbff, type: usable }\n"
         "    - { mem: 0x9fc00-0x9ffff, type: reserved }\n"
         "    - { mem: 0xf0000-0xfffff, type: reserved }\n"
         "    - { mem: 0x100000-0xbffdffff, type: usable }\n"
         "    - { mem: 0xbffe0000-0xbfffffff, type: reserved }\n"
         "    - { mem: 0xfffc0000-0xffffffff, type: reserved }\n"
         "    - { mem: 0x100000000-0x13fffffff, type: usable }\n"
         "  nodes:\n" +
         nodes + "boot:\n  kernel_image: { start: 0x1000000, size: 0x2811000 }\n";
}

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
  bool logged_prefix(std::string_view prefix) const
  {
    for (const LogLine& l : log.lines())
      if (l.text.starts_with(prefix)) return true;
    return false;
  }
  RunResult r;
  const Kernel& st;
  const KernelLog& log;
  BootProof proof;
};

}  // namespace pginit::test
