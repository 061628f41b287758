// SPDX-License-Identifier: MIT
// call_stack.h - the simulated kernel call stack.
//
// Each modelled kernel function that matters for a report pushes a frame for
// as long as it runs. The stack answers two questions the kernel answers with
// _RET_IP_ and a backtrace: "who called memblock_reserve?" (the %pF in
// memblock=debug lines) and "how did we get to this struct page read?"
// (the checker's report).
#pragma once

#include <string>
#include <cstddef>
#include <functional>
#include <vector>

namespace pginit {

class CallStack {
 public:
  void push(const char* fn)
  {
    frames_.push_back(fn);
    if (on_push) on_push(frames_.size(), fn);
  }
  void pop() { frames_.pop_back(); }

  // The innermost function, or "" when nothing runs.
  const char* current() const { return frames_.empty() ? "" : frames_.back(); }
  // The function that called the innermost one: the kernel's _RET_IP_ symbol
  // as seen from inside a callee that pushed its own frame.
  const char* caller() const { return frames_.size() < 2 ? current() : frames_[frames_.size() - 2]; }
  const std::vector<const char*>& frames() const { return frames_; }

  // --trace: told of every call as it starts, with its depth (1: the outermost).
  std::function<void(std::size_t depth, const char* fn)> on_push;

 private:
  std::vector<const char*> frames_;
};

// RAII frame: KernelFrame f(stack, "setup_arch"). A null stack (a model
// object used on its own, e.g. in a unit test) records nothing.
class KernelFrame {
 public:
  KernelFrame(CallStack& stack, const char* fn) : KernelFrame(&stack, fn) {}
  KernelFrame(CallStack* stack, const char* fn) : stack_(stack)
  {
    if (stack_ != nullptr) stack_->push(fn);
  }
  ~KernelFrame()
  {
    if (stack_ != nullptr) stack_->pop();
  }
  KernelFrame(const KernelFrame&) = delete;
  KernelFrame& operator=(const KernelFrame&) = delete;

 private:
  CallStack* stack_;
};

}  // namespace pginit
