// SPDX-License-Identifier: MIT
#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace pginit {

namespace {

constexpr std::chrono::milliseconds DEFAULT_DELAY{1000};  // "takes more than about a second"
constexpr std::chrono::milliseconds TICK{100};            // 10 Hz: smooth, yet no terminal flood

std::string format_duration(std::chrono::milliseconds ms)
{
  const auto s = static_cast<std::uint64_t>((ms.count() + 999) / 1000);
  if (s < 60) return fmt::format("{}s", s);
  return fmt::format("{}m{:02}s", s / 60, s % 60);
}

}  // namespace

bool progress_wanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) != 0; }

std::chrono::milliseconds progress_delay()
{
  const char* env = std::getenv("PGINIT_PROGRESS_AFTER_MS");
  if (env == nullptr || *env == '\0') return DEFAULT_DELAY;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(env, &end, 10);
  if (*end != '\0') return DEFAULT_DELAY;  // a UI knob: a bad value keeps the default
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min<unsigned long long>(v, 86400000)));
}

std::string format_progress(const std::string& what, const std::string& unit, std::uint64_t done,
                            std::uint64_t total, std::chrono::milliseconds elapsed, const ProgressRate& rate)
{
  std::string line = fmt::format("pginit: {}", what);
  if (total == 0) return line + fmt::format(" ({} {}, {})", done, unit, format_duration(elapsed));
  if (done > total) done = total;
  line += fmt::format(" {}/{} {} {:3.0f}%", done, total, unit, 100.0 * static_cast<double>(done) / static_cast<double>(total));
  if (rate.units == 0 || rate.over.count() == 0) return line + ", ETA --";
  const double ms_per_unit = static_cast<double>(rate.over.count()) / static_cast<double>(rate.units);
  const auto left = static_cast<std::int64_t>(ms_per_unit * static_cast<double>(total - done));
  return line + ", ETA " + format_duration(std::chrono::milliseconds(left));
}

Progress::Progress(std::string what, std::string unit, std::uint64_t total, bool enabled,
                   std::chrono::milliseconds delay)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), delay_(delay),
      start_(std::chrono::steady_clock::now())
{
  if (!enabled) return;
  stdout_is_terminal_ = isatty(STDOUT_FILENO) != 0;
  // No delay (PGINIT_PROGRESS_AFTER_MS=0): the first line now, so that even
  // work too short for a tick shows one.
  if (delay_.count() == 0) render(std::chrono::milliseconds(0));
  ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() { finish(); }

void Progress::set_what(std::string what)
{
  const std::lock_guard<std::mutex> lock(mutex_);
  what_ = std::move(what);
}

void Progress::above(const std::function<void()>& write)
{
  // stdout elsewhere (a file, a pipe): nothing to step aside from.
  if (!ticker_.joinable() || !stdout_is_terminal_) {
    write();
    return;
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  if (shown_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }
  write();
  std::fflush(stdout);
}

void Progress::finish()
{
  if (!ticker_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  ticker_.join();
}

void Progress::tick()
{
  std::unique_lock<std::mutex> lock(mutex_);
  // Nothing before the delay: short work stays silent.
  if (!wake_.wait_for(lock, delay_, [this] { return stop_; })) {
    do {
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
      render(elapsed);
    } while (!wake_.wait_for(lock, TICK, [this] { return stop_; }));
  }
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);  // leave the terminal as it was
  std::fflush(stderr);
}

// Under mutex_ (or before the ticker starts). The line is written from
// column 0, the rest of the terminal line erased, and the cursor put back at
// column 0 (output that does not go through above() then at least starts
// where it should).
void Progress::render(std::chrono::milliseconds elapsed)
{
  const std::uint64_t done = done_.load(std::memory_order_relaxed);
  // The rate counts from the first unit seen: setup before it (a run's
  // memmap allocation) must not make the ETA of what follows look long.
  if (done != 0 && !counting_) {
    counting_ = true;
    first_at_ = elapsed;
    first_done_ = done;
  }
  const ProgressRate rate{counting_ ? done - first_done_ : 0, counting_ ? elapsed - first_at_ : elapsed};
  const std::string line = format_progress(what_, unit_, done, total_.load(std::memory_order_relaxed), elapsed, rate);
  std::fputs(fmt::format("\r{}\033[K\r", line).c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace pginit
