// SPDX-License-Identifier: MIT
#include "host_buffer.h"

#include <sys/mman.h>

#include <new>
#include <utility>

namespace pginit {

HostBuffer::HostBuffer(std::size_t size) : size_(size)
{
  if (size == 0) return;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<std::byte*>(p);
}

HostBuffer::~HostBuffer()
{
  if (data_ != nullptr) munmap(data_, size_);
}

HostBuffer::HostBuffer(HostBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0))
{
}

HostBuffer& HostBuffer::operator=(HostBuffer&& o) noexcept
{
  if (this != &o) {
    if (data_ != nullptr) munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

}  // namespace pginit
