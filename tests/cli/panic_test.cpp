// SPDX-License-Identifier: MIT
// A machine whose boot panics, through every command that boots it: 1024
// CPUs on 128 MiB cannot hold the embed per-cpu first chunk (1024 x 256 KiB)
// so setup_per_cpu_areas() panics. `run` and `sweep` both say so and exit 4,
// never 70 (an internal error), because both boot through run/boot.h.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

std::string many_cpus_little_ram()
{
  return fmt::format("'{}/tests/data/panics/many-cpus-128m.yaml'", PGINIT_SOURCE_DIR);
}

TEST(Panic, RunSaysSoAndExitsFour)
{
  const Ran r = run_pginit("run " + many_cpus_little_ram());
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_NE(r.out.find("Kernel panic - not syncing: Failed to initialize percpu areas."), std::string::npos) << r.out;
}

TEST(Panic, SweepReportsTheRowAndExitsFour)
{
  const Ran r = run_pginit("sweep --kernel v4.17 " + many_cpus_little_ram());
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_NE(r.out.find("panic: Failed to initialize percpu areas."), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  // The UP rows (no SMP) boot: their per-cpu area is one 32 KiB unit.
  EXPECT_NE(r.out.find("v4.17     SPARSEMEM          n    km      n                0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pginit::test
