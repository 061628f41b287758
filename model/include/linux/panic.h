// SPDX-License-Identifier: MIT
// panic.h - the simulated kernel called panic().
//
// A panic is an outcome of the simulated boot, not a bug in pginit: the
// model throws KernelPanic with panic()'s message, and the run reports
// "Kernel panic - not syncing: <message>" and stops, as the kernel would.
#pragma once

#include <stdexcept>
#include <string>

namespace pginit {

class KernelPanic : public std::runtime_error {
 public:
  explicit KernelPanic(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace pginit
