// SPDX-License-Identifier: MIT
// text_file.h - writing a report file: one place that turns a failed open or
// write into the sentence the caller's one-line error ends with.
#pragma once

#include <string>

namespace pginit {

// Writes `text` to `path` (replacing it); on failure returns false and sets
// *why to "cannot write PATH".
bool write_text_file(const std::string& path, const std::string& text, std::string* why);

}  // namespace pginit
