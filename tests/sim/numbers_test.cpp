// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "scenario/numbers.h"

namespace pginit {
namespace {

TEST(ParseU64, DecimalAndHex)
{
  EXPECT_EQ(parse_u64("4096"), 4096u);
  EXPECT_EQ(parse_u64("0x1000"), 0x1000u);
  EXPECT_EQ(parse_u64("0xffffffffffffffff"), ~std::uint64_t{0});
  EXPECT_FALSE(parse_u64("0x1_0000").has_value());
  EXPECT_FALSE(parse_u64("0x10000000000000000").has_value());  // overflow, not wrap
  EXPECT_FALSE(parse_u64("-1").has_value());
  EXPECT_FALSE(parse_u64("12abc").has_value());
  EXPECT_FALSE(parse_u64("").has_value());
  EXPECT_FALSE(parse_u64("0x").has_value());
}

// The kernel's memparse(): binary suffixes.
TEST(ParseSize, Suffixes)
{
  EXPECT_EQ(parse_size("64M"), 64u << 20);
  EXPECT_EQ(parse_size("4G"), 4ull << 30);
  EXPECT_EQ(parse_size("2k"), 2048u);
  EXPECT_EQ(parse_size("0x1e"), 0x1eu);  // a hex digit, not exa
  EXPECT_FALSE(parse_size("16E").has_value());  // 2^64: overflow
  EXPECT_FALSE(parse_size("M").has_value());
}

TEST(ParseInclusiveRange, KernelNotation)
{
  std::string why;
  auto r = parse_inclusive_range("[mem 0x0000000000100000-0x000000001ffdffff]", &why);
  ASSERT_TRUE(r.has_value()) << why;
  EXPECT_EQ(r->start, 0x100000u);
  EXPECT_EQ(r->end, 0x1ffe0000u);
  r = parse_inclusive_range("0x1000-0x1000", &why);  // one byte
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->end - r->start, 1u);
  EXPECT_FALSE(parse_inclusive_range("0x2000-0x1000", &why).has_value());
  EXPECT_NE(why.find("below start"), std::string::npos);
  EXPECT_FALSE(parse_inclusive_range("0x2000", &why).has_value());
  EXPECT_FALSE(parse_inclusive_range("0x2000-zz", &why).has_value());
}

}  // namespace
}  // namespace pginit
