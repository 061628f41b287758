// SPDX-License-Identifier: MIT
// exit_status.h - what every pginit command exits with:
//   0  success
//   1  the run did not show what the scenario's expect: block asks for, or
//      memblock refused a script operation
//   2  bad input: scenario, script or command line (one FILE:LINE: FIELD: line on stderr)
//   3  the run read uninitialized struct pages the scenario does not expect
//   4  the simulated kernel panicked (the log ends with "Kernel panic - not syncing")
//  70  internal error: pginit broke its own invariants (the end-of-run proof failed)
#pragma once

namespace pginit {

inline constexpr int EXIT_OK = 0;
inline constexpr int EXIT_EXPECT_FAILED = 1;
inline constexpr int EXIT_BAD_INPUT = 2;
inline constexpr int EXIT_VIOLATIONS = 3;
inline constexpr int EXIT_KERNEL_PANIC = 4;
inline constexpr int EXIT_INTERNAL_ERROR = 70;  // EX_SOFTWARE: a bug in pginit (e.g. a failed end-of-run proof)

}  // namespace pginit
