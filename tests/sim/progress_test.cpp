// SPDX-License-Identifier: MIT
// The progress line's text: counts, share and ETA from the rate given.
#include <gtest/gtest.h>

#include "cli/progress.h"

namespace pginit {
namespace {

using std::chrono::milliseconds;

TEST(Progress, UnknownTotalShowsCountAndElapsedTime)
{
  EXPECT_EQ(format_progress("run: setup_arch()", "struct pages", 0, 0, milliseconds(2500), {}),
            "pginit: run: setup_arch() (0 struct pages, 3s)");
}

TEST(Progress, NoRateYetMeansNoEta)
{
  EXPECT_EQ(format_progress("sweep", "machines booted", 0, 48, milliseconds(100), {}),
            "pginit: sweep 0/48 machines booted   0%, ETA --");
}

TEST(Progress, EtaIsTheRateAppliedToWhatIsLeft)
{
  // 10 units in 2 s: 5 units a second, 90 left: 18 s.
  EXPECT_EQ(format_progress("predict", "points", 10, 100, milliseconds(5000), {10, milliseconds(2000)}),
            "pginit: predict 10/100 points  10%, ETA 18s");
  // Minutes past the first.
  EXPECT_EQ(format_progress("sweep", "machines booted", 1, 100, milliseconds(1000), {1, milliseconds(1000)}),
            "pginit: sweep 1/100 machines booted   1%, ETA 1m39s");
}

TEST(Progress, MoreThanTheTotalIsShownAsDone)
{
  // A run's phases may count a page the nodes' present pages do not (holes).
  EXPECT_EQ(format_progress("run", "struct pages", 120, 100, milliseconds(1000), {120, milliseconds(1000)}),
            "pginit: run 100/100 struct pages 100%, ETA 0s");
}

TEST(Progress, DisabledReporterIsSilentAndStartsNoThread)
{
  Progress p("run", "struct pages", 10, false, milliseconds(0));
  p.add(5);
  p.set_what("run: mm_init()");
  p.finish();
  p.finish();  // twice is fine
  SUCCEED();
}

}  // namespace
}  // namespace pginit
