// SPDX-License-Identifier: MIT
// boot.h - the one way to boot a scenario. boot() builds the kernel and the
// components it runs on (log, clock, executor), attaches the page-read
// checker and the report recorder, replays start_kernel() up to a stage,
// and collects everything a caller reports from into a RunResult: the
// kernel's final state, the log, the panic if there was one, the
// end-of-run proof, the violations, and which expectations failed. `pginit
// run` and `sweep`, the fuzz target, the tests and the benchmarks all boot
// through here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boot/start_kernel.h"
#include "checker/page_read_checker.h"
#include "checker/proof.h"
#include "run/report_recorder.h"
#include "run/run_config.h"

namespace pginit {

class RunResult {
 public:
  struct Session;
  explicit RunResult(std::unique_ptr<Session> s);
  RunResult(RunResult&&) noexcept;
  RunResult& operator=(RunResult&&) noexcept;
  ~RunResult();

  const RunConfig& config() const;
  const Scenario& scenario() const { return config().scenario; }
  const InitPolicy& policy() const { return *config().policy; }
  Kernel& kernel();
  const Kernel& kernel() const;
  const KernelLog& log() const;
  const std::vector<PageReadViolation>& violations() const;
  const std::vector<std::string>& notes() const;
  const ReportRecorder& record() const;
  std::uint64_t end_ns() const;  // the simulated time the boot stopped at

  Stage reached = Stage::setup_arch;
  std::optional<std::string> panic;  // what the simulated kernel panicked with
  std::optional<BootProof> proof;    // run at Stage::end when the kernel did not panic
  // Unmet expectations, one line each ("FILE: expect.log[2]: not in the log: ...").
  std::vector<std::string> expectation_failures;
  std::size_t unexpected_violations = 0;  // violations no expect.violations phrase matches

  // The exit status, by the same rules for every command (run/exit_status.h).
  int exit_status() const;

 private:
  std::unique_ptr<Session> session_;
};

// Boots cfg up to `until`. A simulated kernel panic ends the boot early
// (RunResult::panic); bad input never reaches here (resolve() refuses it).
// `watch`, if given, observes the boot too (--trace, --explain, --step).
RunResult boot(const RunConfig& cfg, Stage until = Stage::end, BootObserver* watch = nullptr);

}  // namespace pginit
