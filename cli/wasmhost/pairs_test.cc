#include "wasmhost/pairs.h"

#include <gtest/gtest.h>

#include "wasmhost/clock.h"
#include "wasmhost/header_map.h"

namespace hfi::wasmhost {
namespace {

TEST(PairsTest, SerializesTheSpecExample) {
  // facts/proxy-wasm-abi.md §3.8: {"a":"1","b":"22"} is 29 bytes.
  const std::string bytes = SerializePairs({{"a", "1"}, {"b", "22"}});
  EXPECT_EQ(bytes, std::string("\x02\0\0\0"
                               "\x01\0\0\0\x01\0\0\0"
                               "\x01\0\0\0\x02\0\0\0"
                               "a\0"
                               "1\0"
                               "b\0"
                               "22\0",
                               29));
  HeaderList back;
  ASSERT_TRUE(ParsePairs(bytes, &back));
  EXPECT_EQ(back, (HeaderList{{"a", "1"}, {"b", "22"}}));
}

TEST(PairsTest, EmptyIsNothing) {
  EXPECT_EQ(SerializePairs({}), "");
  HeaderList out{{"stale", "x"}};
  EXPECT_TRUE(ParsePairs("", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(ParsePairs(std::string(1, '\0'), &out));  // the spec's other empty form
  EXPECT_TRUE(out.empty());
}

TEST(PairsTest, MalformedBlocksBecomeEmpty) {
  const std::string good = SerializePairs({{"key", "value"}});
  HeaderList out;
  EXPECT_FALSE(ParsePairs(good + "x", &out));  // trailing byte
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(ParsePairs(good.substr(0, good.size() - 1), &out));  // value without its NUL
  std::string no_nul = good;
  no_nul[4 + 8 + 3] = 'X';  // the NUL after the key
  EXPECT_FALSE(ParsePairs(no_nul, &out));
  std::string huge_count = good;
  huge_count[0] = '\xff';
  EXPECT_FALSE(ParsePairs(huge_count, &out));
  std::string huge_size = good;
  huge_size[4] = '\xff';
  huge_size[7] = '\x7f';
  EXPECT_FALSE(ParsePairs(huge_size, &out));
  // Over cpp-host's limits: 1025 pairs, or more than 1 MiB.
  HeaderList many(kMaxPairsCount + 1, {"k", "v"});
  EXPECT_FALSE(ParsePairs(SerializePairs(many), &out));
  EXPECT_TRUE(ParsePairs(SerializePairs(HeaderList(kMaxPairsCount, {"k", "v"})), &out));
  EXPECT_EQ(out.size(), kMaxPairsCount);
  EXPECT_FALSE(ParsePairs(SerializePairs({{"k", std::string(kMaxPairsBytes, 'v')}}), &out));
}

TEST(HeaderMapTest, LowerCasesKeysAndKeepsPseudoHeadersFirst) {
  HeaderMap map(HeaderList{{":path", "/"}, {"Accept", "a"}});
  map.Add(":Authority", "host");
  map.Add("accept", "b");
  EXPECT_EQ(map.entries(),
            (HeaderList{{":path", "/"}, {":authority", "host"}, {"accept", "a"}, {"accept", "b"}}));
  EXPECT_EQ(map.Get("ACCEPT"), "a");
  EXPECT_EQ(map.Get("missing"), std::nullopt);
  map.Replace("Accept", "c");
  EXPECT_EQ(map.entries(), (HeaderList{{":path", "/"}, {":authority", "host"}, {"accept", "c"}}));
  map.Replace("x-new", "1");
  map.Remove("ACCEPT");
  EXPECT_EQ(map.entries(), (HeaderList{{":path", "/"}, {":authority", "host"}, {"x-new", "1"}}));
  EXPECT_EQ(map.ByteSize(), 5u + 1 + 10 + 4 + 5 + 1);
}

TEST(VirtualClockTest, MovesOnlyForward) {
  VirtualClock clock(100, 1000);
  clock.Advance(50);
  EXPECT_EQ(clock.MonotonicNanos(), 150);
  EXPECT_EQ(clock.RealtimeNanos(), 1050);
  clock.AdvanceTo(120);
  EXPECT_EQ(clock.MonotonicNanos(), 150);
  clock.AdvanceTo(200);
  EXPECT_EQ(clock.MonotonicNanos(), 200);
  EXPECT_EQ(clock.RealtimeNanos(), 1100);
  clock.Advance(-5);
  EXPECT_EQ(clock.MonotonicNanos(), 200);
}

}  // namespace
}  // namespace hfi::wasmhost
