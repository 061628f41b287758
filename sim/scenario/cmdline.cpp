// SPDX-License-Identifier: MIT
#include "scenario/cmdline.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace pginit {

namespace {

// memparse(): a number (decimal, 0x hex, or 0 octal as simple_strtoull base 0
// reads it) and an optional K/M/G/T/P/E suffix. Consumes what it reads from
// *s; nullopt when there is no number or it overflows.
std::optional<std::uint64_t> memparse(std::string_view* s)
{
  std::string_view t = *s;
  unsigned base = 10;
  if (t.size() > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  } else if (t.size() > 1 && t[0] == '0') {
    base = 8;
  }
  std::uint64_t v = 0;
  std::size_t n = 0;
  for (; n < t.size(); n++) {
    const char c = t[n];
    unsigned d = 0;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c))) d = static_cast<unsigned>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    else break;
    if (d >= base) break;
    if (v > (UINT64_MAX - d) / base) return std::nullopt;
    v = v * base + d;
  }
  if (n == 0) return std::nullopt;
  t.remove_prefix(n);
  if (!t.empty()) {
    static constexpr std::string_view SUFFIXES = "KMGTPE";
    const std::size_t i = SUFFIXES.find(static_cast<char>(std::toupper(static_cast<unsigned char>(t[0]))));
    if (i != std::string_view::npos) {
      const unsigned shift = 10 * static_cast<unsigned>(i + 1);
      if (v > (UINT64_MAX >> shift)) return std::nullopt;
      v <<= shift;
      t.remove_prefix(1);
    }
  }
  *s = t;
  return v;
}

// Early parameters that change memory setup and that pginit does not model yet.
constexpr std::array<std::string_view, 10> UNMODELLED{
    "crashkernel", "hugepages", "hugepagesz", "default_hugepagesz",
    "efi_fake_mem", "movable_node", "memhp_default_state", "cma", "numa_balancing", "mem_encrypt"};

bool parse_memmap_one(std::string_view p, std::vector<MemmapParam>& out, std::string* why)
{
  if (p.starts_with("exactmap")) {
    out.push_back({MemmapParam::Kind::exactmap, 0, 0});
    return true;
  }
  std::string_view rest = p;
  const std::optional<std::uint64_t> size = memparse(&rest);
  if (!size) {
    *why = fmt::format("memmap={}: expected a size (e.g. 64M$512M)", p);
    return false;
  }
  if (rest.empty()) {
    out.push_back({MemmapParam::Kind::limit, *size, 0});
    return true;
  }
  MemmapParam m{MemmapParam::Kind::ram, *size, 0};
  switch (rest.front()) {
    case '@': m.kind = MemmapParam::Kind::ram; break;
    case '#': m.kind = MemmapParam::Kind::acpi; break;
    case '$': m.kind = MemmapParam::Kind::reserved; break;
    case '!': m.kind = MemmapParam::Kind::pram; break;
    case '%':
      *why = fmt::format("memmap={}: the %-form (retyping a range) is not modelled yet", p);
      return false;
    default:
      *why = fmt::format("memmap={}: '{}' is not one of @ # $ !", p, rest.front());
      return false;
  }
  rest.remove_prefix(1);
  const std::optional<std::uint64_t> start = memparse(&rest);
  if (!start || !rest.empty()) {
    *why = fmt::format("memmap={}: expected a start address after '{}'", p, p[p.size() - rest.size() - 1]);
    return false;
  }
  m.start = *start;
  out.push_back(m);
  return true;
}

// cmdline_parse_core(): "N%" (simple_strtoull, then '%'; at most 100 here,
// where the kernel only warns) or a memparse() size in pages.
std::optional<CoreParam> parse_core(std::string_view key, std::string_view value, std::string* why)
{
  std::string_view rest = value;
  const std::optional<std::uint64_t> n = memparse(&rest);
  CoreParam c;
  if (n && value.find('%') != std::string_view::npos && value.back() == '%') {
    // memparse() also took a K/M/G suffix; "N%" is digits then '%' only.
    const std::string_view digits = value.substr(0, value.size() - 1);
    std::string_view d = digits;
    const std::optional<std::uint64_t> pct = memparse(&d);
    if (pct && d.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos && *pct <= 100) {
      c.is_percent = true;
      c.percent = *pct;
      c.pages = *pct >> 12;  // what memparse() makes of it, for versions without the % form
      return c;
    }
  }
  if (!n || !rest.empty()) {
    *why = fmt::format("{}={}: expected a size (e.g. {}=2G), or a percentage up to 100%", key,
                       value, key);
    return std::nullopt;
  }
  c.pages = *n >> 12;  // PAGE_SHIFT
  return c;
}

}  // namespace

std::optional<KernelCmdline> parse_kernel_cmdline(std::string_view text, std::string* why)
{
  KernelCmdline c;
  c.text = std::string(text);
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') i++;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') j++;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty()) continue;
    const std::size_t eq = word.find('=');
    const std::string_view key = word.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : word.substr(eq + 1);
    for (std::string_view u : UNMODELLED) {
      if (key == u) {
        *why = fmt::format("{}= changes memory setup but is not modelled yet", key);
        return std::nullopt;
      }
    }
    if (key == "mem") {
      std::string_view rest = value;
      const std::optional<std::uint64_t> size = memparse(&rest);
      if (value == "nopentium" || !size || *size == 0 || !rest.empty()) {
        *why = fmt::format("mem={}: expected a size other than 0 (e.g. mem=4G)", value);
        return std::nullopt;
      }
      c.memmap.push_back({MemmapParam::Kind::limit, *size, 0});
    } else if (key == "memmap") {
      // parse_memmap_opt(): a comma-separated list.
      std::string_view list = value;
      while (true) {
        const std::size_t comma = list.find(',');
        if (!parse_memmap_one(list.substr(0, comma), c.memmap, why)) return std::nullopt;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    } else if (key == "memblock") {
      if (value != "debug") {
        *why = fmt::format("memblock={}: only memblock=debug exists", value);
        return std::nullopt;
      }
      c.memblock_debug = true;
    } else if (key == "numa") {
      if (value != "off") {
        *why = fmt::format("numa={}: only numa=off is modelled", value);
        return std::nullopt;
      }
      c.numa_off = true;
    } else if (key == "percpu_alloc") {
      if (value != "page" && value != "embed") {
        *why = fmt::format("percpu_alloc={}: expected embed or page", value);
        return std::nullopt;
      }
      c.percpu_page = value == "page";
    } else if (key == "kernelcore" && value == "mirror") {
      // Needs EFI's mirrored-memory attribute, which scenarios cannot describe yet.
      *why = "kernelcore=mirror (memory mirroring) is not modelled yet";
      return std::nullopt;
    } else if (key == "kernelcore" || key == "movablecore") {
      std::optional<CoreParam> core = parse_core(key, value, why);
      if (!core) return std::nullopt;
      (key == "kernelcore" ? c.kernelcore : c.movablecore) = *core;
    }
  }
  return c;
}

}  // namespace pginit
