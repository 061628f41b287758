// SPDX-License-Identifier: MIT
// printk.h - where model code sends the kernel's messages.
//
// The model prints exactly the lines the kernel prints (same text, same
// format), but it does not know about timestamps, terminals or JSON: that is
// the simulator's job (sim/log). Keeping this interface free of spdlog keeps
// the model headers light and testable with a plain recording sink.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "include/linux/pfn.h"

namespace pginit {

// include/linux/kern_levels.h
enum class LogLevel { emerg = 0, alert, crit, err, warning, notice, info, debug };

class Printk {
 public:
  virtual ~Printk() = default;
  // One complete log line, without the trailing newline and without a timestamp.
  virtual void printk(LogLevel level, std::string_view line) = 0;
};

// Discards everything; the default for model objects nobody listens to.
class NullPrintk final : public Printk {
 public:
  void printk(LogLevel, std::string_view) override {}
};

// Keeps every line; used by tests and by the script runner.
class RecordingPrintk final : public Printk {
 public:
  void printk(LogLevel, std::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

NullPrintk& null_printk();

// Kernel vsprintf's "%pa": a phys_addr_t as 0x and 16 zero-padded hex digits.
inline std::string fmt_pa(phys_addr_t a) { return fmt::format("{:#018x}", a); }

// "%#010Lx": the 10-digit form used by e820 update/remove lines and NUMA lines.
inline std::string fmt_x10(u64 a) { return fmt::format("{:#010x}", a); }

}  // namespace pginit
