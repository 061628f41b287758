// SPDX-License-Identifier: MIT
#include "scenario/host_memory.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "boot/boot_state.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

// Left to the rest of pginit and the host: 512 MiB or a tenth, whichever is more.
std::uint64_t host_margin(std::uint64_t available) { return std::max<std::uint64_t>(512 * SZ_1M, available / 10); }

std::uint64_t mib(std::uint64_t bytes) { return (bytes + SZ_1M - 1) / SZ_1M; }

}  // namespace

std::optional<std::uint64_t> host_available_bytes()
{
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * SZ_1K;
  }
  return std::nullopt;
}

void check_memmap_fits_host(const Scenario& s)
{
  const std::uint64_t need = memmap_host_bytes(s);
  const std::optional<std::uint64_t> available = host_available_bytes();
  if (!available) return;  // no /proc/meminfo: nothing to check against
  const std::uint64_t usable = *available > host_margin(*available) ? *available - host_margin(*available) : 0;
  if (need <= usable) return;
  throw InputError(s.file, s.machine.line, "machine",
                   fmt::format("its memmap needs {} MiB of host memory (64-byte struct pages are 1/64 of the "
                               "simulated RAM, plus shadow records), but this host has {} MiB available and "
                               "pginit keeps {} MiB in reserve; simulate less RAM or free host memory",
                               mib(need), mib(*available), mib(host_margin(*available))));
}

}  // namespace pginit
