// SPDX-License-Identifier: MIT
#include "cli/narrator.h"

#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "explain/explanations.h"
#include "kernel/kernel.h"

namespace pginit {

void Narrator::on_call(const Kernel& k, std::size_t d, const char* fn)
{
  if (d > depth_) return;
  if (pause_ && d == 2) {
    fmt::print("pginit: step: next is {}(); press Enter", fn);
    std::fflush(stdout);
    std::string ignored;
    std::getline(std::cin, ignored);
  }
  const double t = static_cast<double>(k.clock.now_ns()) / 1e9;
  std::string text;
  if (trace_) text += fmt::format("pginit: trace: {:>9.6f} {:>{}}{}()\n", t, "", 2 * (d - 1), fn);
  if (explain_) {
    const Explanation* e = find_explanation(fn);
    text += fmt::format("pginit: explain: {:>{}}{}() [{}]: {}\n", "", 2 * (d - 1), fn, e != nullptr ? e->file : "?",
                        e != nullptr ? e->text : "(no explanation yet)");
  }
  if (text.empty()) return;
  const auto write = [&text] { fmt::print("{}", text); };
  if (wrap_) wrap_(write);
  else write();
}

}  // namespace pginit
