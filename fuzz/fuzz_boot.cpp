// SPDX-License-Identifier: MIT
// Fuzz target: boot any machine. The bytes choose a small machine (up to
// six e820 ranges under 2 GiB, one or two nodes), a kernel version, a
// policy, the config symbols that matter, where the kernel is loaded,
// allocations and the command line's mem=/memmap=; the boot must end with its proof holding (or a clean
// KernelPanic, or the loader's InputError for a machine it refuses).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "run/boot.h"
#include "scenario/input_error.h"

namespace {

struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint64_t take(unsigned bytes)
  {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) v = v << 8 | (n != 0 ? (n--, *p++) : 0);
    return v;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  using namespace pginit;
  Bytes b{data, size};
  static const char* kernels[] = {"v4.15", "v4.16", "v4.17-rc", "v4.17", "v4.18", "v4.19", "v5.2", "v5.8"};
  static const char* policies[] = {"v4.16", "v4.17", "v5.2", "padata", "lazy"};
  const std::uint64_t flags = b.take(2);
  std::string yaml = fmt::format("name: fuzz\nkernel: {}\n", kernels[b.take(1) % 8]);
  if (flags & 1) yaml += fmt::format("policy: {}\n", policies[b.take(1) % 5]);
  yaml += fmt::format("config: {{ SMP: {}, NUMA: {}, SPARSEMEM_VMEMMAP: {}, DEFERRED_STRUCT_PAGE_INIT: {}, HUGETLB_PAGE: {} }}\n",
                      flags & 2 ? "y" : "n", flags & 4 ? "y" : "n", flags & 8 ? "y" : "n", flags & 16 ? "y" : "n",
                      flags & 32 ? "y" : "n");
  yaml += fmt::format("machine:\n  cpus: {}\n  e820:\n", 1 + b.take(1) % 8);
  const unsigned ranges = 2 + static_cast<unsigned>(b.take(1) % 5);
  for (unsigned i = 0; i < ranges; i++) {
    const std::uint64_t start = (b.take(2) % 0x8000) << 16;  // under 2 GiB, 64 KiB steps
    const std::uint64_t len = ((b.take(2) % 0x4000) + 1) << 14;
    const char* type = b.take(1) % 4 == 0 ? "reserved" : "usable";
    yaml += fmt::format("    - {{ mem: {:#x}-{:#x}, type: {} }}\n", start, start + len - 1, type);
  }
  if (flags & 64) {
    const std::uint64_t split = (b.take(2) % 0x8000) << 16;
    yaml += fmt::format("  nodes:\n    - {{ nid: 0, mem: 0x0-{:#x} }}\n    - {{ nid: 1, mem: {:#x}-0x7fffffff }}\n",
                        split + 0xffff, split + 0x10000);
  }
  yaml += fmt::format("boot:\n  kernel_image: {{ start: {:#x}, size: 4M }}\n", 0x1000000 + (b.take(1) % 64) * 0x200000);
  if (flags & 128) yaml += fmt::format("  allocations: [ {{ at: mm_init, order: {}, count: {} }} ]\n", b.take(1) % 11, 1 + b.take(1) % 64);
  if (flags & 256) yaml += "  percpu_alloc: page\n";
  if (flags & 512) {  // the command line's memory parameters
    std::string cmdline = fmt::format("mem={}M", 16 + b.take(2) % 2048);
    if (flags & 1024) cmdline += fmt::format(" memmap={}K${}M", 4 * (1 + b.take(1)), b.take(2) % 2048);
    if (flags & 2048) cmdline += fmt::format(" memmap=exactmap memmap=639K@0 memmap={}M@1M", 16 + b.take(2) % 2000);
    yaml += fmt::format("  cmdline: \"{}\"\n", cmdline);
  }
  RunConfig cfg;
  try {
    cfg = resolve(parse_scenario(yaml, "fuzz.yaml"));
  } catch (const InputError&) {
    return 0;
  }
  cfg.threads = 1;
  const RunResult r = boot(cfg);
  if (r.proof && !r.proof->failures.empty()) {
    fmt::print(stderr, "proof failed: {}\n--- scenario ---\n{}", r.proof->failures.front(), yaml);
    std::abort();
  }
  return 0;
}
