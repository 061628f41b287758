// SPDX-License-Identifier: MIT
// memblock_trace.h - trace-driven runs: memblock.reserved replayed from a
// memblock=debug log (scenario boot.memblock_trace, written by `import
// dmesg`). The model still makes its own allocations; just before
// memblock_free_all() the reserved set becomes the kernel's own, so the
// struct page phases from mm_init on run over exactly what the kernel had
// reserved, and a "pginit:" line says how far the model's set was from it.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// Replaces k.memblock.reserved with the trace's; nothing without a trace.
void replay_memblock_trace(Kernel& k);

}  // namespace pginit
