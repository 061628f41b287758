// SPDX-License-Identifier: MIT
// host_buffer.h - host memory standing in for simulated physical memory.
//
// In fidelity mode every byte of the simulated memmap is a byte of host
// memory. Buffers come straight from mmap so that a 4 GiB memmap is one
// page-aligned mapping, returned to the host when the run ends.
#pragma once

#include <cstddef>

namespace pginit {

class HostBuffer {
 public:
  HostBuffer() = default;
  // Maps `size` bytes, all zero (anonymous memory); throws std::bad_alloc
  // when the host refuses.
  explicit HostBuffer(std::size_t size);
  ~HostBuffer();
  HostBuffer(HostBuffer&& o) noexcept;
  HostBuffer& operator=(HostBuffer&& o) noexcept;
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;

  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace pginit
