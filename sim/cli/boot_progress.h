// SPDX-License-Identifier: MIT
// boot_progress.h - `pginit run`'s progress: a BootObserver that feeds a
// Progress line with the boot's own units: the step of start_kernel now
// running, and struct pages initialized out of the nodes' present pages
// (each phase reports what it initialized; the deferred chunks do so from
// their workers). It only watches; the log is the same with or without it.
#pragma once

#include "cli/progress.h"
#include "kernel/boot_observer.h"

namespace pginit {

class BootProgress final : public BootObserver {
 public:
  explicit BootProgress(Progress& p) : progress_(p) {}
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override;
  void on_pages_initialized(const Kernel&, std::uint64_t pages) override { progress_.add(pages); }
  // The last milestone: what remains is the end-of-run proof over every page.
  void on_milestone(const Kernel&, std::string_view label) override;

 private:
  Progress& progress_;
};

}  // namespace pginit
