#include "util/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace hfi {
namespace {

// FIPS 180-4 example vectors (NIST CSRC "Examples with Intermediate Values", SHA-256).
TEST(Sha256Test, NistEmptyMessage) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, NistOneBlockAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, Nist448BitMessage) {
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, Nist896BitMessage) {
  EXPECT_EQ(
      Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmno"
                "pqklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256Test, NistOneMillionA) {
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundary (55: length fits the last block; 56: it needs another),
// checked against coreutils sha256sum.
TEST(Sha256Test, PaddingBoundaries) {
  EXPECT_EQ(Sha256Hex(std::string(55, 'x')),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(Sha256Hex(std::string(56, 'x')),
            "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(Sha256Hex(std::string(63, 'x')),
            "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
  EXPECT_EQ(Sha256Hex(std::string(64, 'x')),
            "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(Sha256Hex(std::string(119, 'x')),
            "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
}

TEST(Sha256Test, BinaryBytesIncludingNul) {
  std::string data("\x00\xff\x80", 3);
  EXPECT_EQ(Sha256Hex(data).size(), 64u);
  EXPECT_NE(Sha256Hex(data), Sha256Hex(std::string("\x00\xff", 2)));
}

// Feeding the message in pieces, split anywhere, gives the one-shot digest.
TEST(Sha256Test, IncrementalEqualsOneShot) {
  std::string message;
  for (int i = 0; i < 200; ++i)
    message.push_back(static_cast<char>(i * 7 + 3));
  std::string expected = Sha256Hex(message);
  for (std::size_t split = 0; split <= message.size(); split += 13) {
    Sha256 hash;
    hash.Update(std::string_view(message).substr(0, split));
    hash.Update(std::string_view(message).substr(split));
    std::string hex;
    for (std::uint8_t byte : hash.Finish()) {
      static constexpr char kHex[] = "0123456789abcdef";
      hex.push_back(kHex[byte >> 4]);
      hex.push_back(kHex[byte & 0xf]);
    }
    EXPECT_EQ(hex, expected) << "split at " << split;
  }
}

TEST(Sha256Test, FinishTwiceIsALogicError) {
  Sha256 hash;
  hash.Update("abc");
  hash.Finish();
  EXPECT_THROW(hash.Finish(), std::logic_error);
  EXPECT_THROW(hash.Update("x"), std::logic_error);
}

}  // namespace
}  // namespace hfi
