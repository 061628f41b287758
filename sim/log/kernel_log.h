// SPDX-License-Identifier: MIT
// kernel_log.h - the simulated kernel log (the dmesg ring buffer).
//
// Model code prints through the Printk interface; KernelLog stamps each line
// with the *simulated* boot time, keeps it (for --json, tests and expect:
// checks) and echoes it to stdout through spdlog in the kernel's own format:
//   [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
// Stamps never come from the host clock, so two runs print the same log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "include/linux/printk.h"

namespace spdlog {
class logger;
}

namespace pginit {

struct LogLine {
  std::uint64_t time_ns = 0;
  LogLevel level = LogLevel::info;
  std::string text;
};

// printk.c print_time(): "[%5lu.%06lu]" of seconds and microseconds.
std::string format_timestamp(std::uint64_t time_ns);

// Wraps the write of each echoed line: a progress line on the same terminal
// steps aside while it happens (cli/progress.h). It must call write once.
using EchoWrap = std::function<void(const std::function<void()>& write)>;

class KernelLog final : public Printk {
 public:
  // echo: also print each line to stdout as it is logged, through wrap if given.
  explicit KernelLog(bool echo, EchoWrap wrap = {});
  ~KernelLog() override;
  KernelLog(const KernelLog&) = delete;
  KernelLog& operator=(const KernelLog&) = delete;

  void printk(LogLevel level, std::string_view line) override;

  void set_time_ns(std::uint64_t ns) { now_ns_ = ns; }
  std::uint64_t time_ns() const { return now_ns_; }
  const std::vector<LogLine>& lines() const { return lines_; }

 private:
  std::uint64_t now_ns_ = 0;
  std::vector<LogLine> lines_;
  std::shared_ptr<spdlog::logger> echo_;
  EchoWrap wrap_;
};

}  // namespace pginit
