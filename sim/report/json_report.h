// SPDX-License-Identifier: MIT
// json_report.h - the machine-readable record of a run (--json FILE).
#pragma once

#include <string>

#include "boot/boot_state.h"
#include "checker/proof.h"

namespace pginit {

// Writes the report; returns false (and sets *why) if the file cannot be written.
bool write_json_report(const BootState& st, const BootProof& proof, const std::string& path, std::string* why);

}  // namespace pginit
