// SPDX-License-Identifier: MIT
// explanations.h - what each modelled kernel function does and why, in a
// sentence or two, for `pginit run --explain`. All of the text lives in
// explanations.cpp, one entry per function, so that it can be read and
// corrected in one place.
#pragma once

#include <string_view>

namespace pginit {

struct Explanation {
  std::string_view function;  // as the call stack names it
  std::string_view file;      // where it lives in the v4.17 tree
  std::string_view text;
};

// nullptr when the function has no explanation yet.
const Explanation* find_explanation(std::string_view function);

}  // namespace pginit
