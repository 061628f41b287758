// SPDX-License-Identifier: MIT
// narrator.h - --trace, --explain and --step: tell the user about each boot
// step as it starts, by watching the boot (a BootObserver), never by
// changing it.
#pragma once

#include "kernel/boot_observer.h"
#include "log/kernel_log.h"

namespace pginit {

class Narrator final : public BootObserver {
 public:
  // depth: how many calls deep to narrate; trace/explain: what to say;
  // pause: wait for Enter before each step of start_kernel; wrap: around
  // each line's write, as for the kernel log (a progress line steps aside).
  Narrator(unsigned depth, bool trace, bool explain, bool pause, EchoWrap wrap = {})
      : depth_(depth), trace_(trace), explain_(explain), pause_(pause), wrap_(std::move(wrap))
  {
  }
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override;

 private:
  unsigned depth_;
  bool trace_;
  bool explain_;
  bool pause_;
  EchoWrap wrap_;
};

}  // namespace pginit
