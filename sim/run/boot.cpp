// SPDX-License-Identifier: MIT
#include "run/boot.h"

#include <algorithm>

#include <fmt/format.h>

#include "include/linux/panic.h"
#include "run/exit_status.h"
#include "run/expectations.h"

namespace pginit {

// Everything one boot owns, in construction order: the kernel refers to the
// components above it, the checker to the kernel's call stack.
struct RunResult::Session {
  explicit Session(const RunConfig& c)
      : cfg(c),
        log(c.echo_log),
        clock(CostModel{cfg.scenario.machine.perf}),
        executor(make_executor(c.threads)),
        recorder(c.record_report),
        params{cfg.scenario, *cfg.scenario.kernel, *cfg.policy,
               cfg.memblock_debug || cfg.scenario.boot.cmdline.memblock_debug, cfg.mode == MemmapMode::scale},
        kernel(params, log, clock, *executor, observers),
        checker(kernel.stack, clock)
  {
    kernel.mm.observer = &checker;
    observers.add(&checker);
    observers.add(&recorder);
  }
  RunConfig cfg;
  KernelLog log;
  SimClock clock;
  std::unique_ptr<Executor> executor;
  BootObservers observers;
  ReportRecorder recorder;
  KernelParams params;
  Kernel kernel;
  PageReadChecker checker;
};

RunResult::RunResult(std::unique_ptr<Session> s) : session_(std::move(s)) {}
RunResult::RunResult(RunResult&&) noexcept = default;
RunResult& RunResult::operator=(RunResult&&) noexcept = default;
RunResult::~RunResult() = default;

const RunConfig& RunResult::config() const { return session_->cfg; }
Kernel& RunResult::kernel() { return session_->kernel; }
const Kernel& RunResult::kernel() const { return session_->kernel; }
const KernelLog& RunResult::log() const { return session_->log; }
const std::vector<PageReadViolation>& RunResult::violations() const { return session_->checker.violations(); }
const std::vector<std::string>& RunResult::notes() const { return session_->checker.notes(); }
const ReportRecorder& RunResult::record() const { return session_->recorder; }
std::uint64_t RunResult::end_ns() const { return session_->clock.now_ns(); }

int RunResult::exit_status() const
{
  if (panic) return EXIT_KERNEL_PANIC;
  if (proof && !proof->failures.empty()) return EXIT_INTERNAL_ERROR;
  if (!expectation_failures.empty()) return EXIT_EXPECT_FAILED;
  if (unexpected_violations != 0) return EXIT_VIOLATIONS;
  return EXIT_OK;
}

namespace {

// The checker's findings go into the log, stamped when they happened, with
// the phase that initialized each page in the end; then pginit's notes.
void log_violations(RunResult& r, KernelLog& log)
{
  const std::uint64_t now = log.time_ns();
  for (const PageReadViolation& v : r.violations()) {
    log.set_time_ns(v.time_ns);
    for (const std::string& l : v.report(initialized_by(r.kernel().mm, v.pfn))) log.printk(LogLevel::err, l);
  }
  log.set_time_ns(now);
  for (const std::string& n : r.notes()) log.printk(LogLevel::notice, "pginit: " + n);
}

}  // namespace

RunResult boot(const RunConfig& cfg, Stage until, BootObserver* watch)
{
  auto session = std::make_unique<RunResult::Session>(cfg);
  if (watch != nullptr) session->observers.add(watch);
  KernelLog& log = session->log;
  RunResult r(std::move(session));
  try {
    start_kernel(r.kernel(), until);
  } catch (const KernelPanic& p) {
    log.printk(LogLevel::emerg, fmt::format("Kernel panic - not syncing: {}", p.what()));
    r.panic = p.what();
    return r;
  }
  r.reached = until;
  log_violations(r, log);
  if (until == Stage::end) r.proof = prove_boot(r.kernel(), r.kernel().executor);
  check_expectations(r);
  return r;
}

}  // namespace pginit
