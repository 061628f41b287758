// SPDX-License-Identifier: MIT
#include "script/memblock_script.h"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

#include "include/linux/memblock.h"
#include "scenario/input_error.h"
#include "scenario/numbers.h"

namespace pginit {

namespace {

class StreamPrintk final : public Printk {
 public:
  explicit StreamPrintk(std::ostream& out) : out_(out) {}
  void printk(LogLevel, std::string_view line) override { out_ << line << '\n'; }

 private:
  std::ostream& out_;
};

struct Line {
  const std::string& file;
  int number;
  std::string op;
  std::vector<std::string> args;

  [[noreturn]] void fail(const std::string& what) const { throw InputError(file, number, op, what); }

  void arity(std::size_t min, std::size_t max, const char* usage) const
  {
    if (args.size() < min || args.size() > max) fail(fmt::format("usage: {}", usage));
  }

  std::uint64_t number_arg(std::size_t i, const char* what) const
  {
    const auto v = parse_u64(args[i]);
    if (!v) fail(fmt::format("{} '{}' is not a number (decimal or 0x hex)", what, args[i]));
    return *v;
  }
};

// Optional key=value arguments after the positional ones.
struct Options {
  std::optional<std::uint64_t> min, max, nid;
};

Options parse_options(const Line& l, std::size_t first, std::initializer_list<std::string_view> allowed)
{
  Options o;
  for (std::size_t i = first; i < l.args.size(); i++) {
    const std::string& a = l.args[i];
    const auto eq = a.find('=');
    const std::string key = a.substr(0, eq);
    if (eq == std::string::npos || std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      l.fail(fmt::format("unexpected argument '{}'", a));
    const auto v = parse_u64(a.substr(eq + 1));
    if (!v) l.fail(fmt::format("{} '{}' is not a number", key, a.substr(eq + 1)));
    std::optional<std::uint64_t>& slot = key == "min" ? o.min : key == "max" ? o.max : o.nid;
    if (slot) l.fail(fmt::format("{}= given twice", key));
    slot = *v;
  }
  return o;
}

int check_nid(const Line& l, std::uint64_t nid, const memblock& mb)
{
  if (nid >= static_cast<std::uint64_t>(mb.max_numnodes))
    l.fail(fmt::format("nid {} is not below MAX_NUMNODES ({})", nid, mb.max_numnodes));
  return static_cast<int>(nid);
}

Line tokenize(const std::string& raw, const std::string& file, int number)
{
  std::string text = raw.substr(0, raw.find('#'));
  std::istringstream words(text);
  Line l{file, number, {}, {}};
  words >> l.op;
  for (std::string w; words >> w;) l.args.push_back(w);
  return l;
}

}  // namespace

int run_memblock_script(const std::string& text, const std::string& file, std::ostream& out,
                        std::ostream& err, bool debug)
{
  StreamPrintk log(out);
  CallStack stack;
  KernelFrame script_frame(stack, "memblock_script");
  memblock mb(1 << NODES_SHIFT_DEFAULT, log, &stack);
  mb.debug = debug;

  std::istringstream lines(text);
  std::string raw;
  int number = 0;
  while (std::getline(lines, raw)) {
    number++;
    const Line l = tokenize(raw, file, number);
    if (l.op.empty()) continue;

    int ret = 0;
    if (l.op == "add") {
      l.arity(2, 3, "add BASE SIZE [nid=N]");
      const auto base = l.number_arg(0, "BASE");
      const auto size = l.number_arg(1, "SIZE");
      const Options o = parse_options(l, 2, {"nid"});
      ret = o.nid ? memblock_add_node(mb, base, size, check_nid(l, *o.nid, mb)) : memblock_add(mb, base, size);
    } else if (l.op == "reserve" || l.op == "remove" || l.op == "free") {
      l.arity(2, 2, fmt::format("{} BASE SIZE", l.op).c_str());
      const auto base = l.number_arg(0, "BASE");
      const auto size = l.number_arg(1, "SIZE");
      ret = l.op == "reserve"  ? memblock_reserve(mb, base, size)
            : l.op == "remove" ? memblock_remove(mb, base, size)
                               : memblock_free(mb, base, size);
    } else if (l.op == "bottom_up") {
      l.arity(1, 1, "bottom_up on|off");
      if (l.args[0] != "on" && l.args[0] != "off") l.fail(fmt::format("'{}' is not on or off", l.args[0]));
      memblock_set_bottom_up(mb, l.args[0] == "on");
    } else if (l.op == "allow_resize") {
      l.arity(0, 0, "allow_resize");
      memblock_allow_resize(mb);
    } else if (l.op == "alloc") {
      l.arity(2, 5, "alloc SIZE ALIGN [min=ADDR] [max=ADDR] [nid=N]");
      const auto size = l.number_arg(0, "SIZE");
      const auto align = l.number_arg(1, "ALIGN");
      if (size == 0) l.fail("SIZE must not be 0");
      if (align != 0 && !is_power_of_2(align)) l.fail(fmt::format("ALIGN {:#x} is not a power of two", align));
      const Options o = parse_options(l, 2, {"min", "max", "nid"});
      const int nid = o.nid ? check_nid(l, *o.nid, mb) : NUMA_NO_NODE;
      const phys_addr_t max_addr = o.max.value_or(MEMBLOCK_ALLOC_ACCESSIBLE);
      const phys_addr_t found =
          memblock_virt_alloc_try_nid_nopanic(mb, size, align, o.min.value_or(0), max_addr, nid);
      if (found != 0)
        out << fmt::format("alloc: {:#018x}\n", found);
      else
        out << "alloc: failed\n";
    } else if (l.op == "dump") {
      l.arity(0, 0, "dump");
      __memblock_dump_all(mb);
    } else {
      l.fail("unknown operation (add, reserve, remove, free, bottom_up, allow_resize, alloc, dump)");
    }

    if (ret != 0) {
      const char* why = mb.can_resize ? "no free memory for a doubled region array"
                                      : "the region array is full and may not grow before allow_resize";
      err << fmt::format("{}:{}: {}: memblock refused the operation ({}): {}\n", file, number, l.op,
                         ret == -ENOMEM ? "-ENOMEM" : std::to_string(ret), why);
      return 1;
    }
  }
  return 0;
}

}  // namespace pginit
