// SPDX-License-Identifier: MIT
#include "pginit/host_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

namespace pginit {

namespace {

// Large buffers are 2 MiB-aligned and asked to be backed by transparent huge
// pages: a 4 GiB memmap then costs 2048 page faults instead of a million,
// which is most of the time a big run spends before its first struct page.
constexpr std::size_t HUGE_PAGE = std::size_t{2} << 20;

}  // namespace

HostBuffer::HostBuffer(std::size_t size) : size_(size)
{
  if (size == 0) return;
  if (size < HUGE_PAGE) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<std::byte*>(p);
    return;
  }
  void* p = mmap(nullptr, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto raw = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned = (raw + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  if (aligned != raw) munmap(p, aligned - raw);
  const std::uintptr_t end = raw + size + HUGE_PAGE;
  if (end != aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  data_ = reinterpret_cast<std::byte*>(aligned);
  madvise(data_, size, MADV_HUGEPAGE);  // advice: without THP the buffer just uses small pages
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
