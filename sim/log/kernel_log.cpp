// SPDX-License-Identifier: MIT
#include "kernel_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace pginit {

std::string format_timestamp(std::uint64_t time_ns)
{
  return fmt::format("[{:5}.{:06}]", time_ns / 1'000'000'000, time_ns % 1'000'000'000 / 1000);
}

namespace {

// spdlog flag %* : the simulated timestamp of the line being written. The
// logger is private to one KernelLog, which sets the time before each line.
class SimTimeFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit SimTimeFlag(const std::uint64_t* now_ns) : now_ns_(now_ns) {}
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override
  {
    const std::string s = format_timestamp(*now_ns_);
    dest.append(s.data(), s.data() + s.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override
  {
    return std::make_unique<SimTimeFlag>(now_ns_);
  }

 private:
  const std::uint64_t* now_ns_;
};

spdlog::level::level_enum to_spdlog(LogLevel level)
{
  switch (level) {
    case LogLevel::emerg:
    case LogLevel::alert:
    case LogLevel::crit: return spdlog::level::critical;
    case LogLevel::err: return spdlog::level::err;
    case LogLevel::warning: return spdlog::level::warn;
    case LogLevel::notice:
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::debug: return spdlog::level::debug;
  }
  return spdlog::level::info;
}

}  // namespace

KernelLog::KernelLog(bool echo, EchoWrap wrap) : wrap_(std::move(wrap))
{
  if (!echo) return;
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_st>();
  echo_ = std::make_shared<spdlog::logger>("dmesg", std::move(sink));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SimTimeFlag>('*', &now_ns_).set_pattern("%* %v");
  echo_->set_formatter(std::move(formatter));
  // dmesg shows every level, KERN_DEBUG included.
  echo_->set_level(spdlog::level::trace);
  echo_->flush_on(spdlog::level::trace);
}

KernelLog::~KernelLog() = default;

void KernelLog::printk(LogLevel level, std::string_view line)
{
  lines_.push_back(LogLine{now_ns_, level, std::string(line)});
  if (!echo_) return;
  if (wrap_) wrap_([&] { echo_->log(to_spdlog(level), line); });
  else echo_->log(to_spdlog(level), line);
}

}  // namespace pginit
