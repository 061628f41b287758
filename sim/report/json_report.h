// SPDX-License-Identifier: MIT
// json_report.h - the machine-readable record of a run (--json FILE).
#pragma once

#include <string>

#include "run/boot.h"

namespace pginit {

// Writes the report; returns false (and sets *why) if the file cannot be written.
bool write_json_report(const RunResult& r, const std::string& path, std::string* why);

}  // namespace pginit
