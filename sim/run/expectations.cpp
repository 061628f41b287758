// SPDX-License-Identifier: MIT
#include "run/expectations.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "run/boot.h"

namespace pginit {

namespace {

// Each line must appear, in the given order (a line expected twice must be
// logged twice).
void check_log(const Scenario& s, const KernelLog& log, std::vector<std::string>& failures)
{
  const std::vector<LogLine>& lines = log.lines();
  auto next = lines.begin();
  for (std::size_t i = 0; i < s.expect.log.size(); i++) {
    const std::string& want = s.expect.log[i];
    auto is_want = [&](const LogLine& l) { return l.text == want; };
    auto found = std::find_if(next, lines.end(), is_want);
    if (found != lines.end()) {
      next = found + 1;
      continue;
    }
    const bool earlier = std::any_of(lines.begin(), next, is_want);
    failures.push_back(fmt::format("{}: expect.log[{}]: {}: {}", s.file, i,
                                   earlier ? "logged, but before the lines expected ahead of it" : "not in the log",
                                   want));
  }
}

// Each violation must match some phrase, each phrase some violation.
std::size_t check_violations(const RunResult& r, std::vector<std::string>& failures)
{
  const Scenario& s = r.scenario();
  const auto& expected = s.expect.violations;
  std::vector<bool> met(expected.size(), false);
  std::size_t unexpected = 0;
  for (const PageReadViolation& v : r.violations()) {
    std::string text;
    for (const std::string& l : v.report(initialized_by(r.kernel().mm, v.pfn))) text += l + "\n";
    bool matched = false;
    for (std::size_t i = 0; i < expected.size(); i++)
      if (text.find(expected[i]) != std::string::npos) matched = met[i] = true;
    if (!matched) unexpected++;
  }
  for (std::size_t i = 0; i < expected.size(); i++)
    if (!met[i]) failures.push_back(fmt::format("{}: expect.violations[{}]: no violation matches: {}", s.file, i, expected[i]));
  return unexpected;
}

void check_memmap(const Scenario& s, const BootProof& proof, std::vector<std::string>& failures)
{
  // Scale mode has no struct page bytes to hash (proof.memmap_hash 0): the
  // pinned hash is fidelity mode's to check.
  if (s.expect.memmap_hash && proof.memmap_hash != 0 && *s.expect.memmap_hash != proof.memmap_hash)
    failures.push_back(fmt::format("{}: expect.memmap_hash: the memmap hashes to {:016x}, not {:016x}", s.file,
                                   proof.memmap_hash, *s.expect.memmap_hash));
  for (const auto& pinned : s.expect.free_lists) {
    const std::string& zone_key = pinned.first;  // named: clang 14 cannot capture a structured binding
    const std::vector<std::uint64_t>& want = pinned.second;
    auto it = std::find_if(proof.free_lists.begin(), proof.free_lists.end(),
                           [&](const ZoneFreeLists& z) { return z.key() == zone_key; });
    if (it == proof.free_lists.end()) {
      failures.push_back(fmt::format("{}: expect.free_lists: no zone '{}' in this run", s.file, zone_key));
    } else if (it->nr_free != want) {
      failures.push_back(fmt::format("{}: expect.free_lists: {}: blocks per order are [{}], not [{}]", s.file,
                                     zone_key, fmt::join(it->nr_free, ", "), fmt::join(want, ", ")));
    }
  }
}

}  // namespace

void check_expectations(RunResult& r)
{
  if (r.reached != Stage::end || r.panic) return;
  check_log(r.scenario(), r.log(), r.expectation_failures);
  r.unexpected_violations = check_violations(r, r.expectation_failures);
  if (r.proof) check_memmap(r.scenario(), *r.proof, r.expectation_failures);
}

}  // namespace pginit
