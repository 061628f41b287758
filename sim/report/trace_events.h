// SPDX-License-Identifier: MIT
// trace_events.h - the simulated boot as Chrome/Perfetto trace events
// (--trace-out FILE.json, the JSON object format ui.perfetto.dev and
// chrome://tracing open): start_kernel's steps as slices on the boot CPU,
// each node's deferred init as a slice on a track of its own (its threads,
// chunks and pages as arguments) and each of its workers as a track of the
// chunks it ran, every flagged struct page read as an
// instant event on the boot CPU with its pfn and call path. Times are the
// simulated clock's.
#pragma once

#include <string>

#include "run/boot.h"

namespace pginit {

// Writes the trace; returns false (and sets *why) if the file cannot be written.
bool write_trace_events(const RunResult& r, const std::string& path, std::string* why);

}  // namespace pginit
