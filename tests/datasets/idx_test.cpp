#include "datasets/idx.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "datasets/errors.hpp"
#include "largest_allocation.hpp"
#include "test_files.hpp"

namespace micrograd::datasets {
namespace {

using testing::Bytes;
using testing::concat;
using testing::idx_header;
using testing::ScratchDir;
using testing::write_bytes;
using testing::write_gzipped;

IdxArray small_images() {
  IdxArray array{{2, 3, 4}, Bytes(24)};
  for (std::size_t i = 0; i < array.data.size(); ++i) {
    array.data[i] = static_cast<std::uint8_t>(i * 11);
  }
  return array;
}

// Reading `path` must throw a FormatError whose message names the file and contains `expected`.
void expect_format_error(const std::filesystem::path& path, const std::string& expected,
                         std::size_t rank = 0) {
  try {
    read_idx(path, rank);
    ADD_FAILURE() << "expected a FormatError containing \"" << expected << "\"";
  } catch (const FormatError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(path.string() + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

TEST(Idx, WritesTheStandardLayout) {
  ScratchDir dir;
  write_idx(dir / "labels", IdxArray{{3}, {7, 8, 9}});
  EXPECT_EQ(testing::read_bytes(dir / "labels"), (Bytes{0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9}));
  write_idx(dir / "images", small_images());
  const Bytes bytes = testing::read_bytes(dir / "images");
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 16),
            (Bytes{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4}));
  EXPECT_EQ(bytes.size(), 16u + 24u);
}

TEST(Idx, RoundTripsPlainAndGzipped) {
  ScratchDir dir;
  const IdxArray array = small_images();
  write_idx(dir / "plain", array);
  write_idx(dir / "packed.gz", array, Compression::gzip);
  EXPECT_EQ(read_idx(dir / "plain"), array);
  EXPECT_EQ(read_idx(dir / "packed.gz", 3), array);
  const Bytes packed = testing::read_bytes(dir / "packed.gz");
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(packed[0], 0x1f);  // the gzip magic number: it really is compressed
  EXPECT_EQ(packed[1], 0x8b);
}

TEST(Idx, ReadsAGzippedFileWhateverItsName) {
  ScratchDir dir;
  write_gzipped(dir / "labels-without-gz-suffix", concat(idx_header({4}), {1, 2, 3, 4}));
  EXPECT_EQ(read_idx(dir / "labels-without-gz-suffix", 1), (IdxArray{{4}, {1, 2, 3, 4}}));
}

TEST(Idx, ReadsAMegabyteSpanningFile) {  // more than one read chunk
  ScratchDir dir;
  IdxArray array{{3, 700, 1000}, Bytes(2100000)};
  for (std::size_t i = 0; i < array.data.size(); ++i) {
    array.data[i] = static_cast<std::uint8_t>(i * 7 + i / 1000);
  }
  write_idx(dir / "big.gz", array, Compression::gzip);
  write_idx(dir / "big", array);
  EXPECT_EQ(read_idx(dir / "big.gz"), array);
  EXPECT_EQ(read_idx(dir / "big"), array);
}

TEST(Idx, WriteIsAtomicAndCreatesTheFolder) {
  ScratchDir dir;
  write_idx(dir / "a" / "b" / "labels", IdxArray{{1}, {5}});
  EXPECT_EQ(read_idx(dir / "a" / "b" / "labels"), (IdxArray{{1}, {5}}));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "a" / "b")) {
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary file left beside it
}

TEST(Idx, WriteRejectsMalformedArrays) {
  ScratchDir dir;
  EXPECT_THROW(write_idx(dir / "x", IdxArray{{}, {}}), std::invalid_argument);
  EXPECT_THROW(write_idx(dir / "x", IdxArray{{2, 0}, {}}), std::invalid_argument);
  EXPECT_THROW(write_idx(dir / "x", IdxArray{{2, 2}, {1, 2, 3}}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "x"));
}

// --- every way a file can be wrong -------------------------------------------------------------

TEST(IdxErrors, MissingFileOrFolderIsDataNotFound) {
  ScratchDir dir;
  EXPECT_THROW(read_idx(dir / "nope"), DataNotFound);
  try {
    read_idx(dir.path());
    FAIL() << "expected DataNotFound";
  } catch (const DataNotFound& error) {
    EXPECT_NE(std::string(error.what()).find("is a folder"), std::string::npos) << error.what();
  }
}

TEST(IdxErrors, EmptyOrTooShortForTheMagicNumber) {
  ScratchDir dir;
  write_bytes(dir / "empty", {});
  expect_format_error(dir / "empty", "is empty");
  write_bytes(dir / "short", {0, 0, 8});
  expect_format_error(dir / "short", "is only 3 bytes long");
  write_gzipped(dir / "short.gz", {0, 0});
  expect_format_error(dir / "short.gz", "is only 2 bytes long");
}

TEST(IdxErrors, BadMagicNumber) {
  ScratchDir dir;
  write_bytes(dir / "random", {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 0});
  expect_format_error(dir / "random", "is not an IDX file: it starts with 0x12345678");
  testing::write_text(dir / "page.html", "<!DOCTYPE html><html>Not Found</html>");
  expect_format_error(dir / "page.html", "failed download");
}

TEST(IdxErrors, ElementTypeOtherThanUnsignedByte) {
  ScratchDir dir;
  write_bytes(dir / "floats", concat(idx_header({1}, 0x0D), {0, 0, 0, 0}));
  expect_format_error(dir / "floats", "type 0x0D (32-bit float)");
}

TEST(IdxErrors, ZeroDimensions) {
  ScratchDir dir;
  write_bytes(dir / "rank0", {0, 0, 8, 0});
  expect_format_error(dir / "rank0", "declares 0 dimensions");
}

TEST(IdxErrors, WrongRankSaysWhichFileItLooksLike) {
  ScratchDir dir;
  write_idx(dir / "labels", IdxArray{{2}, {1, 2}});
  write_idx(dir / "images", IdxArray{{1, 1, 2}, {1, 2}});
  expect_format_error(dir / "labels", "looks like a labels file where an images file", 3);
  expect_format_error(dir / "images", "looks like an images file where a labels file", 1);
  expect_format_error(dir / "labels", "0x00000802 (2 dimensions) was expected", 2);
}

TEST(IdxErrors, TruncatedHeader) {
  ScratchDir dir;
  write_bytes(dir / "cut", {0, 0, 8, 3, 0, 0, 0, 9, 0, 0});
  expect_format_error(dir / "cut", "truncated inside its header: 3 dimensions need 12 bytes");
  write_gzipped(dir / "cut.gz", {0, 0, 8, 3, 0, 0, 0, 9, 0, 0});
  expect_format_error(dir / "cut.gz", "truncated inside its header");
}

TEST(IdxErrors, ZeroSize) {
  ScratchDir dir;
  write_bytes(dir / "zero", idx_header({5, 0, 28}));
  expect_format_error(dir / "zero", "has size 0 in dimension 1");
}

TEST(IdxErrors, TruncatedData) {
  ScratchDir dir;
  const Bytes file = concat(idx_header({2, 3, 4}), Bytes(20, 1));  // 24 promised, 20 there
  write_bytes(dir / "cut", file);
  expect_format_error(dir / "cut",
                      "is truncated: its header (sizes 2 x 3 x 4) promises 24 bytes "
                      "of data but the file holds only 20 bytes");
  write_gzipped(dir / "cut.gz", file);
  expect_format_error(dir / "cut.gz", "promises 24 bytes of data but the file holds only 20");
}

TEST(IdxErrors, TrailingDataIsAnError) {
  ScratchDir dir;
  const Bytes file = concat(idx_header({2, 2}), {1, 2, 3, 4, 5, 6});
  write_bytes(dir / "long", file);
  expect_format_error(dir / "long", "has 2 bytes more data than its header promises");
  write_gzipped(dir / "long.gz", file);
  expect_format_error(dir / "long.gz", "has 2 bytes more data than its header promises");
}

TEST(IdxErrors, DamagedGzipStream) {
  ScratchDir dir;
  write_gzipped(dir / "good.gz", concat(idx_header({64}), Bytes(64, 9)));
  Bytes bytes = testing::read_bytes(dir / "good.gz");
  ASSERT_GT(bytes.size(), 20u);

  Bytes cut(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2));
  write_bytes(dir / "cut.gz", cut);
  expect_format_error(dir / "cut.gz", "truncated");

  Bytes corrupt = bytes;
  for (std::size_t i = 10; i < corrupt.size() - 8; ++i) corrupt[i] = 0xFF;  // the deflate data
  write_bytes(dir / "corrupt.gz", corrupt);
  expect_format_error(dir / "corrupt.gz", "damaged gzip file (zlib: ");

  Bytes bad_checksum = bytes;
  bad_checksum[bad_checksum.size() - 8] ^= 0x01;  // the CRC-32 in the trailer
  write_bytes(dir / "crc.gz", bad_checksum);
  expect_format_error(dir / "crc.gz", "damaged gzip file");
}

// A header may claim anything; memory must grow only with the data actually in the file.
TEST(IdxErrors, AbsurdSizesAreRejectedWithoutAllocatingThem) {
  ScratchDir dir;
  // 2^96 bytes: the product overflows 64 bits if computed naively.
  write_bytes(dir / "overflow", concat(idx_header({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}), {1}));
  expect_format_error(dir / "overflow", "promise more than 1073741824 bytes");
  write_bytes(dir / "five_gib", concat(idx_header({5, 1024, 1024, 1024}), {1}));
  expect_format_error(dir / "five_gib", "the header is corrupt");

  // Below the cap but far beyond the file: 983 MB promised, a few bytes present.
  const Bytes huge = concat(idx_header({60000, 128, 128}), Bytes(100, 0));
  write_bytes(dir / "huge", huge);
  write_gzipped(dir / "huge.gz", huge);
  testing::reset_largest_allocation();
  expect_format_error(dir / "huge", "promises 983040000 bytes of data but the file holds only 100");
  expect_format_error(dir / "huge.gz", "promises 983040000 bytes of data but the file holds only");
  EXPECT_LT(testing::largest_allocation(), std::size_t{8} << 20);
}

// The cap on the data is what bounds memory downstream: load_mnist_split turns every byte into a
// double, 8 bytes. 1 GiB of bytes is about twice EMNIST's largest file (547 MB) and 8 GiB of
// doubles; the old cap of 4 GiB meant 32 GiB.
TEST(IdxErrors, DataOverOneGibibyteIsRefusedNamingTheLimit) {
  ScratchDir dir;
  EXPECT_EQ(kIdxMaxDataBytes, std::uint64_t{1} << 30);
  // 2 GiB promised: refused from the header, before a byte of data is read.
  write_bytes(dir / "two_gib", concat(idx_header({2048, 1024, 1024}), {1}));
  expect_format_error(dir / "two_gib", "2048 x 1024 x 1024, which promise more than 1073741824");
  // Exactly 1 GiB is allowed by the header (the data, absent here, is what fails).
  write_bytes(dir / "one_gib", concat(idx_header({1024, 1024, 1024}), {1}));
  expect_format_error(dir / "one_gib", "promises 1073741824 bytes of data but the file holds only");
}

}  // namespace
}  // namespace micrograd::datasets
