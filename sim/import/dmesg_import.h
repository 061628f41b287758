// SPDX-License-Identifier: MIT
// dmesg_import.h - `pginit import dmesg`: a real machine's boot log turned
// into a scenario that boots the same machine (docs/import.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/x86/kernel/e820.h"
#include "kconfig/kconfig.h"
#include "policy/kernel_version.h"
#include "scenario/scenario.h"

namespace pginit {

struct ImportedScenario {
  std::string source;         // the log's file name
  std::string linux_version;  // the "Linux version ..." line
  const KernelVersion* kernel = nullptr;
  KconfigValues config;             // only the symbols the log gives away
  unsigned cpus = 1;
  std::vector<e820_entry> e820;     // the firmware's table, as printed
  std::vector<NodeSpec> nodes;      // from the SRAT lines (or the node ranges)
  std::vector<PhysRange> mtrr_trim; // late e820 updates the run must repeat
  std::string cmdline;              // the "Command line:" parameters pginit models (cmdline.h)
  // [_text, end of the reserved brk): what a memblock=debug log's first
  // "MEMBLOCK configuration:" dump reserves for the kernel (boot.kernel_image).
  std::optional<PhysRange> kernel_image;
  // memblock=debug logs: the kernel's memblock.reserved, for trace-driven
  // runs, and the image's section sizes from the "Memory:" line.
  std::optional<MemblockTrace> memblock_trace;
  std::optional<KernelSections> kernel_sections;
  std::vector<std::string> expect;  // the log's zone/node accounting lines
  std::vector<std::string> notes;   // what was inferred, ignored or left out, and why
};

// Reads a kernel log, with or without "[    0.000000] " stamps (also
// "<6>" levels and syslog "kernel: " prefixes). Throws InputError naming the
// file and line on unreadable input, and when the log has no e820 table.
ImportedScenario import_dmesg(std::string_view text, const std::string& file);

// The text after the prefixes above: what pginit's own log lines hold.
std::string_view dmesg_text(std::string_view line);

}  // namespace pginit
