#include "plugin/abi/pairs.h"

#include <gtest/gtest.h>

#include <string>

namespace hfi::plugin::abi {
namespace {

TEST(PairsTest, MatchesTheDocumentedExample) {
  // facts/proxy-wasm-abi.md §3.8: {"a":"1","b":"22"} is these 29 bytes.
  const HeaderPair pairs[] = {{"a", "1"}, {"b", "22"}};
  const std::string expected(
      "\x02\x00\x00\x00"
      "\x01\x00\x00\x00\x01\x00\x00\x00"
      "\x01\x00\x00\x00\x02\x00\x00\x00"
      "a\x00"
      "1\x00"
      "b\x00"
      "22\x00",
      29);
  EXPECT_EQ(SerializePairs(pairs, 2), expected);
}

TEST(PairsTest, EmptyListIsACountOfZero) {
  EXPECT_EQ(SerializePairs(nullptr, 0), std::string("\0\0\0\0", 4));
}

TEST(PairsTest, SizesAreLittleEndianAndEmptyValuesKeepTheirTerminator) {
  const std::string long_value(300, 'v');
  const HeaderPair pairs[] = {{"x-fault-injected", "abort"}, {"k", ""}, {"l", long_value}};
  const std::string bytes = SerializePairs(pairs, 3);
  ASSERT_EQ(bytes.size(), 4u + 3 * 8 + (16 + 1 + 5 + 1) + (1 + 1 + 0 + 1) + (1 + 1 + 300 + 1));
  EXPECT_EQ(bytes.substr(4, 8), std::string("\x10\0\0\0\x05\0\0\0", 8));
  EXPECT_EQ(bytes.substr(20, 8), std::string("\x01\0\0\0\x2c\x01\0\0", 8));  // 300 = 0x12c
  EXPECT_EQ(bytes.substr(28, 23), std::string("x-fault-injected\0abort\0", 23));
  EXPECT_EQ(bytes.substr(51, 3), std::string("k\0\0", 3));
}

}  // namespace
}  // namespace hfi::plugin::abi
