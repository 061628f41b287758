// SPDX-License-Identifier: MIT
// input_file.h - reading a user's input file whole, with one clear error.
#pragma once

#include <string>

namespace pginit {

// The file's bytes; throws InputError(path, 0, "", "cannot read the WHAT file: REASON").
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace pginit
