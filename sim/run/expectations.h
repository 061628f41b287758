// SPDX-License-Identifier: MIT
// expectations.h - a run against its scenario's expect: block: the log lines
// in order, the violations each phrase must match, and the pinned memmap
// hash and free-list shape (docs/scenarios.md).
#pragma once

namespace pginit {

class RunResult;

// Fills r.expectation_failures and r.unexpected_violations. Only a boot that
// reached its end is judged.
void check_expectations(RunResult& r);

}  // namespace pginit
