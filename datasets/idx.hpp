// IDX files: the format MNIST, Fashion-MNIST and their kin are distributed in.
//
// An IDX file is a header and then the data, all big-endian:
//   bytes 0-1  zero
//   byte  2    the element type; 0x08 = unsigned byte, the only type MNIST uses and we read
//   byte  3    the number of dimensions d
//   then d 32-bit sizes, then size[0] * ... * size[d-1] elements, row-major.
// So an images file starts 0x00000803 (bytes, 3 dimensions: count, rows, cols) and a labels file
// 0x00000801 (bytes, 1 dimension: count).
//
// read_idx reads plain and gzipped files alike (zlib's gzread passes a plain file through), and
// checks everything a corrupt or wrong file can get wrong before trusting it: the magic number,
// the rank, zero sizes, a size product that overflows or is over kIdxMaxDataBytes, data shorter
// than the header
// promises (truncated download) and data longer than it promises (the header's sizes are wrong;
// this is an error too, because such a file cannot be trusted). Memory grows only with data
// actually read, so a header claiming terabytes costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace micrograd::datasets {

inline constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension
inline constexpr std::uint32_t kIdxImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
inline constexpr std::uint8_t kIdxUnsignedByte = 0x08;

// The largest data a header may promise: 1 GiB, about twice the largest file of EMNIST (ByClass
// training images: 697,932 x 28 x 28 = 547 MB); MNIST's is 47 MB, Fashion-MNIST's the same. More
// means a corrupt header or a dataset beyond this library: load_mnist_split keeps each byte as a
// double, so 1 GiB of pixels is already 8 GiB of memory.
inline constexpr std::uint64_t kIdxMaxDataBytes = std::uint64_t{1} << 30;

// An array of unsigned bytes with its sizes, e.g. sizes {60000, 28, 28}.
struct IdxArray {
  std::vector<std::uint32_t> sizes;
  std::vector<std::uint8_t> data;  // product of sizes bytes, row-major

  friend bool operator==(const IdxArray&, const IdxArray&) = default;
};

// Reads an IDX file of unsigned bytes, gzipped or not. With expected_rank > 0 the file must have
// exactly that many dimensions (3 for images, 1 for labels). Throws DataNotFound if the file
// cannot be opened and FormatError (the message says what was wrong and what to do) otherwise.
IdxArray read_idx(const std::filesystem::path& path, std::size_t expected_rank = 0);

enum class Compression { none, gzip };

// Writes an IDX file (gzipped with Compression::gzip), atomically. Throws std::invalid_argument if
// the array is malformed (no sizes, a zero size, or data.size() != the product of the sizes).
void write_idx(const std::filesystem::path& path, const IdxArray& array,
               Compression compression = Compression::none);

}  // namespace micrograd::datasets
