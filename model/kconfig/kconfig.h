// SPDX-License-Identifier: MIT
// kconfig.h - the Kconfig symbols pginit understands.
//
// Only symbols that change how struct pages are initialized (or how the
// simulator must read a .config) are known; anything else in a scenario is an
// error, because silently ignoring a symbol would simulate a different kernel
// than the one the user described. Dependency rules per kernel version come
// with the Kconfig model (issue 5); this file is the vocabulary.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pginit {

enum class KconfigType { boolean, integer };

struct KconfigSymbol {
  std::string_view name;  // without the CONFIG_ prefix
  KconfigType type;
  std::string_view x86_64_default;  // value when a scenario does not say
  long min = 0;  // integer symbols only
  long max = 0;
  std::string_view help;
};

const std::vector<KconfigSymbol>& known_kconfig_symbols();
const KconfigSymbol* find_kconfig_symbol(std::string_view name);

// A set of symbol values: "y"/"n" for booleans, decimal text for integers.
using KconfigValues = std::map<std::string, std::string, std::less<>>;

// Checks one value against its symbol; returns an error text or nullopt.
std::optional<std::string> check_kconfig_value(const KconfigSymbol& sym, std::string_view value);

// The defaults of every known symbol: a typical x86_64 distribution config.
KconfigValues default_kconfig_values();

bool kconfig_enabled(const KconfigValues& values, std::string_view name);
long kconfig_int(const KconfigValues& values, std::string_view name, long fallback);

}  // namespace pginit
