// SPDX-License-Identifier: MIT
// numbers.h - reading the numbers users write: addresses, sizes and ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pginit {

// A decimal or 0x-hex unsigned 64-bit number, nothing else. nullopt on
// anything malformed or out of range (no silent wrap-around).
std::optional<std::uint64_t> parse_u64(std::string_view text);

// The kernel's memparse(): a number with an optional K, M, G, T, P or E
// (binary) suffix, e.g. "64M", "0x1000", "4G". nullopt on overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// "0x1000-0x9efff": an inclusive range as the kernel prints "[mem A-B]"
// (brackets and a leading "mem " are accepted). Returns [start, end + 1).
struct ParsedRange {
  std::uint64_t start = 0;
  std::uint64_t end = 0;  // exclusive
};
// On error, returns nullopt and sets *why.
std::optional<ParsedRange> parse_inclusive_range(std::string_view text, std::string* why);

}  // namespace pginit
