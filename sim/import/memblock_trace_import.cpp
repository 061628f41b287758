// SPDX-License-Identifier: MIT
#include "import/memblock_trace_import.h"

#include <regex>

#include <fmt/format.h>

#include "scenario/input_error.h"
#include "scenario/numbers.h"

namespace pginit {

namespace {

using Match = std::match_results<std::string_view::const_iterator>;

bool match(std::string_view text, const std::regex& re, Match& m)
{
  return std::regex_match(text.begin(), text.end(), m, re);
}

// "[0x...-0x...]" as memblock_dbg() prints a range (%pa: 0x + 16 digits, inclusive).
std::optional<PhysRange> range(const std::string& start, const std::string& end)
{
  std::string why;
  const auto r = parse_inclusive_range(start + "-" + end, &why);
  if (!r) return std::nullopt;
  return PhysRange{r->start, r->end, 0};
}

}  // namespace

void MemblockTraceReader::fail(int lineno, const std::string& what) const
{
  throw InputError(file_, lineno, "memblock=debug", what);
}

void MemblockTraceReader::line(std::string_view text, int lineno)
{
  switch (state_) {
    case State::before_dump:
      // What came before is in the dump already.
      if (text.starts_with("MEMBLOCK configuration:")) state_ = State::in_dump;
      return;
    case State::in_dump: {
      // __memblock_dump_all(): " memory size = ...", " memory.cnt  = ...", " memory[0x0]\t[...]",
      // " reserved.cnt  = ...", " reserved[0x0]\t[0x...-0x...], 0x... bytes ...".
      static const std::regex reserved_re(R"(^ reserved\[0x[0-9a-f]+\]\s+\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\], .*$)");
      Match m;
      if (match(text, reserved_re, m)) {
        const auto r = range(m[1].str(), m[2].str());
        if (!r) fail(lineno, fmt::format("'{}': not a memblock region", text));
        trace_.reserved.push_back(*r);
        return;
      }
      if (text.starts_with(" memory") || text.starts_with(" reserved")) return;
      state_ = State::calls;
      return line(text, lineno);
    }
    case State::calls:
      if (text.starts_with("Memory: ")) return memory(text, lineno);
      if (text.starts_with("memblock_") || text.starts_with("__memblock_")) return call(text, lineno);
      return;
    case State::done: return;
  }
}

void MemblockTraceReader::call(std::string_view text, int lineno)
{
  // memblock_alloc_try_nid / memblock_phys_alloc_range / memblock_alloc_exact_nid_raw /
  // memblock_virt_alloc_try_nid ...: "N bytes align=0x... [nid=N ]from=0x... max_addr=0x... CALLER".
  static const std::regex alloc_re(
      R"(^_{0,2}memblock_\w+: \d+ bytes align=0x[0-9a-f]+ (nid=-?\d+ )?from=0x[0-9a-f]+ max_addr=0x[0-9a-f]+ (\S+)$)");
  // memblock_reserve / memblock_free / memblock_phys_free and friends: "[0x...-0x...] CALLER".
  static const std::regex range_re(R"(^(_{0,2}memblock_\w+): \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\S+)$)");
  Match m;
  if (match(text, alloc_re, m)) {
    // Its memblock_reserve follows unless the allocation failed.
    if (!pending_caller_.empty()) failed_allocs_++;
    pending_caller_ = m[2].str();
    return;
  }
  if (!match(text, range_re, m))
    fail(lineno, fmt::format("'{}': not a memblock=debug line pginit can read", text));
  const std::string fn = m[1].str();
  const auto r = range(m[2].str(), m[3].str());
  if (!r) fail(lineno, fmt::format("'{}': not a memblock range", text));
  MemblockCall c;
  c.range = *r;
  c.log_line = lineno;
  if (fn == "memblock_reserve") {
    c.op = MemblockCall::Op::reserve;
    // An allocation's reserve names memblock_alloc_range_nid(); its caller is the alloc line's.
    c.by = pending_caller_.empty() ? m[4].str() : pending_caller_;
    pending_caller_.clear();
  } else if (fn == "memblock_free" || fn == "memblock_phys_free" || fn == "memblock_free_early" ||
             fn == "__memblock_free_early") {
    c.op = MemblockCall::Op::free;
    c.by = m[4].str();
  } else {
    fail(lineno, fmt::format("{} after the first MEMBLOCK configuration changes memblock.memory, which a trace "
                             "cannot replay (only memblock.reserved is)",
                             fn));
  }
  trace_.calls.push_back(std::move(c));
}

void MemblockTraceReader::memory(std::string_view text, int lineno)
{
  // mem_init_print_info().
  static const std::regex re(
      R"(^Memory: \d+K/\d+K available \((\d+)K kernel code, (\d+)K rwdata, (\d+)K rodata, (\d+)K init, (\d+)K bss, )"
      R"(\d+K reserved, (\d+)K cma-reserved(, \d+K highmem)?\)$)");
  Match m;
  state_ = State::done;
  if (!match(text, re, m)) fail(lineno, fmt::format("'{}': not a 'Memory:' line pginit can read", text));
  const auto n = [&m](std::size_t i) { return std::stoull(m[i].str().substr(0, 12)); };
  sections_ = KernelSections{n(1), n(2), n(3), n(4), n(5)};
  if (n(6) != 0) {
    notes_.push_back("the log's Memory: line has CMA reservations, which pginit does not model: it is left out of "
                     "expect");
    return;
  }
  memory_line_ = std::string(text);
}

void MemblockTraceReader::finish()
{
  if (state_ == State::before_dump) return;
  if (!pending_caller_.empty()) failed_allocs_++;
  if (failed_allocs_ != 0)
    notes_.push_back(fmt::format("memblock trace: {} allocation(s) without a memblock_reserve line (failed)",
                                 failed_allocs_));
  if (state_ != State::done)
    notes_.push_back("memblock trace: the log has no 'Memory:' line; every reserve and free to its end is replayed");
}

std::optional<MemblockTrace> MemblockTraceReader::trace() const
{
  if (state_ == State::before_dump || trace_.reserved.empty()) return std::nullopt;
  return trace_;
}

}  // namespace pginit
