// SPDX-License-Identifier: MIT
// page_command.cpp - `pginit page SCENARIO PFN...`: boot the scenario and
// show the struct page of each pfn as it stood before memmap_init, at each
// of the boot's milestones and at every per_cpu_ptr_to_phys() that read it,
// printed as the version's dump_page() would, then decoded.
#include <fmt/format.h>

#include "cli/commands.h"
#include "kernel/kernel.h"
#include "report/dump_page.h"
#include "run/boot.h"
#include "run/page_copy.h"
#include "scenario/input_error.h"
#include "scenario/numbers.h"

namespace pginit {

namespace {

// Copies the watched struct pages at the points worth a look. An observer
// only reads: the boot is the same with or without it.
class PageInspector final : public BootObserver {
 public:
  explicit PageInspector(std::vector<pfn_t> pfns) : pfns_(std::move(pfns)), snaps_(pfns_.size()) {}

  void on_call(const Kernel& k, std::size_t, const char* fn) override
  {
    if (!before_init_taken_ && starts_memmap_init(fn)) {
      before_init_taken_ = true;
      take(k, std::string(BEFORE_MEMMAP_INIT), nullptr);
    }
  }
  void on_milestone(const Kernel& k, std::string_view label) override { take(k, std::string(label), nullptr); }
  void on_translation(const Kernel& k, const TranslationEvent& t) override
  {
    take(k, read_moment(t.what), &t.expected_pfn);
  }
  const std::vector<std::vector<PageCopy>>& snapshots() const { return snaps_; }

 private:
  void take(const Kernel& k, const std::string& when, const pfn_t* only)
  {
    for (std::size_t i = 0; i < pfns_.size(); i++) {
      const pfn_t pfn = pfns_[i];
      if (only != nullptr && *only != pfn) continue;
      snaps_[i].push_back(copy_page(k, pfn, when));
    }
  }

  std::vector<pfn_t> pfns_;
  std::vector<std::vector<PageCopy>> snaps_;
  bool before_init_taken_ = false;
};

std::vector<pfn_t> parse_pfns(const std::vector<std::string>& args)
{
  std::vector<pfn_t> pfns;
  for (const std::string& a : args) {
    const std::optional<std::uint64_t> v = parse_u64(a);
    if (!v || *v >= (std::uint64_t{1} << (52 - PAGE_SHIFT)))
      throw InputError("pginit page", 0, "PFN", fmt::format("'{}' is not a pfn (decimal or 0x hex, below 2^40)", a));
    pfns.push_back(*v);
  }
  return pfns;
}

}  // namespace

int page_command(const PageOptions& opt)
{
  const std::vector<pfn_t> pfns = parse_pfns(opt.pfns);
  Overrides o;
  o.kernel = opt.kernel;
  o.sets = opt.sets;
  RunConfig cfg = resolve(load_scenario(opt.scenario), o);
  cfg.echo_log = false;
  PageInspector inspector(pfns);
  const RunResult r = boot(cfg, Stage::end, &inspector);
  const Kernel& k = r.kernel();
  const KernelVersion& v = *r.scenario().kernel;
  for (std::size_t i = 0; i < pfns.size(); i++) {
    fmt::print("pfn {:#x} ({}, {}):\n", pfns[i], r.scenario().name, v.name);
    for (const PageCopy& s : inspector.snapshots()[i]) {
      fmt::print("  {}:\n", s.when);
      if (!s.valid) {
        fmt::print("    no struct page: the pfn's section has no memmap (pfn_valid() is false)\n");
        continue;
      }
      for (const std::string& l : dump_page_lines(s.p, s.kva, pfns[i], v, k.mm.flags_layout(), "pginit page"))
        fmt::print("    {}\n", l);
      for (const std::string& l : decode_page(s.p, s.shadow, k.mm.flags_layout(), k.zones))
        fmt::print("    pginit: {}\n", l);
    }
  }
  if (r.panic) fmt::print("pginit: the boot panicked: {}\n", *r.panic);
  return r.panic ? r.exit_status() : 0;
}

}  // namespace pginit
