#include "util/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace hfi {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

// Bytes above 0x7f must not sign-extend, and the last two alphabet characters must appear.
TEST(Base64Test, HighBytesUseTheStandardAlphabet) {
  EXPECT_EQ(Base64Encode(std::string("\xff\xff\xff", 3)), "////");
  EXPECT_EQ(Base64Encode(std::string("\xfb\xef\xbe", 3)), "++++");
  EXPECT_EQ(Base64Encode(std::string("\x00\x00\x00", 3)), "AAAA");
  EXPECT_EQ(Base64Encode(std::string("\x00", 1)), "AA==");
  EXPECT_EQ(Base64Encode(std::string("\x80\x01", 2)), "gAE=");
}

// The wasm magic, as it starts every module a ConfigMap carries.
TEST(Base64Test, WasmHeader) {
  EXPECT_EQ(Base64Encode(std::string("\0asm\x01\0\0\0", 8)), "AGFzbQEAAAA=");
}

TEST(Base64Test, EncodedSizeMatchesOutput) {
  std::string data;
  for (int n = 0; n < 50; ++n) {
    EXPECT_EQ(Base64Encode(data).size(), Base64EncodedSize(data.size())) << n;
    data += static_cast<char>(n * 37);
  }
}

}  // namespace
}  // namespace hfi
