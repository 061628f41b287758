// SPDX-License-Identifier: MIT
#include "numbers.h"

#include <charconv>

#include <fmt/format.h>

namespace pginit {

namespace {

std::string_view trim(std::string_view s)
{
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::uint64_t> parse_u64(std::string_view text)
{
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> parse_size(std::string_view text)
{
  text = trim(text);
  unsigned shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      case 'T': case 't': shift = 40; break;
      case 'P': case 'p': shift = 50; break;
      case 'E': case 'e': shift = 60; break;
      default: break;
    }
    // 'e' is also a hex digit: "0x1e" is a number, not 1 EiB.
    if (shift != 0 && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
      shift = 0;
    if (shift != 0) text.remove_suffix(1);
  }
  const auto v = parse_u64(text);
  if (!v) return std::nullopt;
  if (shift != 0 && (*v >> (64 - shift)) != 0) return std::nullopt;
  return *v << shift;
}

std::optional<ParsedRange> parse_inclusive_range(std::string_view text, std::string* why)
{
  text = trim(text);
  if (!text.empty() && text.front() == '[' && text.back() == ']') {
    text.remove_prefix(1);
    text.remove_suffix(1);
  }
  text = trim(text);
  if (text.substr(0, 4) == "mem ") text.remove_prefix(4);
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    *why = fmt::format("'{}' is not a range FIRST-LAST (e.g. 0x100000-0x1ffdffff)", text);
    return std::nullopt;
  }
  const auto first = parse_u64(text.substr(0, dash));
  const auto last = parse_u64(text.substr(dash + 1));
  if (!first || !last) {
    *why = fmt::format("'{}' does not parse as two numbers FIRST-LAST", text);
    return std::nullopt;
  }
  if (*last < *first) {
    *why = fmt::format("end {:#x} is below start {:#x}", *last, *first);
    return std::nullopt;
  }
  if (*last == UINT64_MAX) {
    *why = "range reaches the end of the 64-bit address space";
    return std::nullopt;
  }
  return ParsedRange{*first, *last + 1};
}

}  // namespace pginit
