// SPDX-License-Identifier: MIT
// memblock_trace_import.h - the memblock=debug part of `import dmesg`: the
// reserved regions of the first "MEMBLOCK configuration:" dump, then every
// reserve and free the log shows up to its "Memory:" line (when
// memblock_free_all() has run), each with the caller the log names; and the
// image's section sizes from that "Memory:" line. A memblock line it cannot
// account for is a FILE:LINE error, never a silent skip.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace pginit {

class MemblockTraceReader {
 public:
  MemblockTraceReader(std::string file) : file_(std::move(file)) {}

  // One log line (the text after the stamp) and its number.
  void line(std::string_view text, int lineno);

  // The first dump's reserved regions, once it has been read (the importer's
  // kernel-image guess reads them too).
  const std::vector<PhysRange>& first_dump_reserved() const { return trace_.reserved; }
  // The trace, when the log has memblock=debug output.
  std::optional<MemblockTrace> trace() const;
  std::optional<KernelSections> sections() const { return sections_; }
  // The log's "Memory:" line, when there was one and a trace to replay it with.
  const std::string& memory_line() const { return memory_line_; }
  const std::vector<std::string>& notes() const { return notes_; }
  // After the last line: notes on what the trace could not see.
  void finish();

 private:
  enum class State { before_dump, in_dump, calls, done };
  [[noreturn]] void fail(int lineno, const std::string& what) const;
  void call(std::string_view text, int lineno);
  void memory(std::string_view text, int lineno);

  std::string file_;
  State state_ = State::before_dump;
  MemblockTrace trace_;
  std::string pending_caller_;  // of the memblock_alloc* line whose reserve comes next
  std::optional<KernelSections> sections_;
  std::string memory_line_;
  std::vector<std::string> notes_;
  unsigned failed_allocs_ = 0;
};

}  // namespace pginit
