// SPDX-License-Identifier: MIT
// narrator.h - --trace, --explain and --step: tell the user about each boot
// step as it starts, by watching the boot (a BootObserver), never by
// changing it.
#pragma once

#include "kernel/boot_observer.h"

namespace pginit {

class Narrator final : public BootObserver {
 public:
  // depth: how many calls deep to narrate; trace/explain: what to say;
  // pause: wait for Enter before each step of start_kernel.
  Narrator(unsigned depth, bool trace, bool explain, bool pause)
      : depth_(depth), trace_(trace), explain_(explain), pause_(pause)
  {
  }
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override;

 private:
  unsigned depth_;
  bool trace_;
  bool explain_;
  bool pause_;
};

}  // namespace pginit
