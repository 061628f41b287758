// SPDX-License-Identifier: MIT
// The interactive report's data: the memmap as runs of alike struct pages at
// each milestone (page_runs), what is marked, and the dump_page() decodes
// embedded for the marked pfns. The seed bug booted in process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "include/linux/page-flags.h"
#include "kernel/kernel.h"
#include "report/dump_page.h"
#include "report/page_explorer.h"
#include "run/boot.h"

namespace pginit::test {
namespace {

RunResult boot_seed_bug()
{
  RunConfig cfg = resolve(load_scenario(std::string(PGINIT_SOURCE_DIR) + "/scenarios/percpu-km-deferred-v4.17-rc.yaml"));
  cfg.echo_log = false;
  cfg.record_report = true;
  return boot(cfg);
}

// Every pfn of every memmap section is in exactly one run, and at the end of
// the boot each run says what the struct page and its shadow say, pfn by pfn.
TEST(PageExplorer, RunsAreTheMemmapPfnByPfn)
{
  const RunResult r = boot_seed_bug();
  const Kernel& k = r.kernel();
  ASSERT_EQ(r.record().snapshots().size(), 4u);  // before memmap_init, then the three milestones
  EXPECT_EQ(r.record().snapshots().front().label, BEFORE_MEMMAP_INIT);
  const std::vector<PageRun>& runs = r.record().snapshots().back().runs;
  std::uint64_t covered = 0;
  for (std::size_t i = 0; i < runs.size(); i++) {
    if (i > 0) {
      EXPECT_LE(runs[i - 1].start + runs[i - 1].count, runs[i].start);
    }
    EXPECT_EQ(pfn_to_section_nr(runs[i].start), pfn_to_section_nr(runs[i].start + runs[i].count - 1))
        << "a run crosses a section";
    covered += runs[i].count;
    for (pfn_t pfn = runs[i].start; pfn < runs[i].start + runs[i].count; pfn++) {
      ASSERT_EQ(runs[i].flags, k.mm.pfn_host_page(pfn)->flags) << pfn;
      const PageShadow& sh = *k.mm.shadow(pfn);
      if (sh.initialized()) {
        ASSERT_EQ(runs[i].state, static_cast<std::uint8_t>(sh.phase)) << pfn;
      }
    }
  }
  EXPECT_EQ(covered, k.mm.memmap_sections().size() * PAGES_PER_SECTION);
  // The section summary is the same runs, summed.
  for (const SectionState& s : r.record().snapshots().back().sections) {
    std::uint64_t n = s.zeroed + s.holes;
    for (std::uint32_t c : s.by_phase) n += c;
    EXPECT_EQ(n, PAGES_PER_SECTION) << s.section;
  }
}

// The marks and embedded pages: the flagged reads (trap_init), node 0's
// first_deferred_pfn as free_area_init_nodes() set it, the per-cpu chunk, and
// for a read pfn its struct page as dump_page() printed it at the read.
TEST(PageExplorer, MarksAndDecodesOfTheSeedBug)
{
  const RunResult r = boot_seed_bug();
  ASSERT_FALSE(r.violations().empty());
  const nlohmann::json j = nlohmann::json::parse(page_explorer_data(r));
  std::size_t flagged = 0;
  for (const auto& read : j["marks"]["reads"]) {
    EXPECT_EQ(read["step"], "trap_init");
    if (read["flagged"].get<bool>()) flagged++;
  }
  EXPECT_EQ(flagged, r.violations().size());
  ASSERT_EQ(j["marks"]["first_deferred_pfn"].size(), 1u);
  const pfn_t first_deferred = j["marks"]["first_deferred_pfn"][0][1];
  // Where the early phase stopped: the first pfn it left uninitialized on node 0.
  const auto& early = j["milestones"][1]["runs"];  // after the early phase
  bool found = false;
  for (const auto& run : early)
    if (run[0].get<pfn_t>() <= first_deferred && first_deferred < run[0].get<pfn_t>() + run[1].get<pfn_t>())
      found = run[2] == 0;  // never initialized
  EXPECT_TRUE(found) << "first_deferred_pfn " << first_deferred << " is not uninitialized after the early phase";
  EXPECT_FALSE(j["marks"]["percpu_chunk"].empty());

  const pfn_t pfn = r.violations().front().pfn;
  const auto& saved = j["pages"][std::to_string(pfn)];
  ASSERT_FALSE(saved.empty());
  const auto& at_read = saved.front();
  EXPECT_NE(at_read["when"].get<std::string>().find("per_cpu_ptr_to_phys"), std::string::npos);
  EXPECT_EQ(at_read["dump"][1], "raw: ffffffffffffffff ffffffffffffffff ffffffffffffffff ffffffffffffffff");
  // At the end, the embedded dump is dump_page_lines() of the final struct page.
  const Kernel& k = r.kernel();
  const auto lines = dump_page_lines(*k.mm.pfn_host_page(pfn), k.mm.pfn_to_page(pfn).value, pfn, *r.scenario().kernel,
                                     k.mm.flags_layout(), "pginit report");
  EXPECT_EQ(saved.back()["dump"], nlohmann::json(lines));
}

// The report's script is fed from inside <script>: no "</" may end it early.
TEST(PageExplorer, EmbeddedDataCannotCloseTheScript)
{
  const RunResult r = boot_seed_bug();
  const std::string html = page_explorer_html(r);
  const std::size_t open = html.find("id=\"pginit-data\">");
  ASSERT_NE(open, std::string::npos);
  const std::size_t close = html.find("</script>", open);
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(html.substr(open, close - open).find("</"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(page_explorer_data(r)));
}

}  // namespace
}  // namespace pginit::test
