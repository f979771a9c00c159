#include "datasets/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "base/atomic_file.hpp"
#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kChunkBytes = 1u << 20;  // data is read (and memory grows) 1 MiB at a time
const std::string kDownloadAgain = "; download the file again (or run scripts/fetch_mnist.sh)";

struct GzClose {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", value);
  return text;
}

std::string hex8(std::uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", value);
  return text;
}

std::string type_name(std::uint8_t type) {
  switch (type) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "16-bit integer";
    case 0x0C:
      return "32-bit integer";
    case 0x0D:
      return "32-bit float";
    case 0x0E:
      return "64-bit float";
    default:
      return "unknown";
  }
}

std::string shape_text(const std::vector<std::uint32_t>& sizes) {
  std::string text;
  for (std::uint32_t size : sizes) text += (text.empty() ? "" : " x ") + std::to_string(size);
  return text;
}

std::string bytes_text(std::uint64_t bytes) {
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

class IdxReader {
 public:
  IdxReader(const fs::path& path, std::size_t expected_rank)
      : path_(path), expected_rank_(expected_rank) {}

  IdxArray read() {
    open();
    IdxArray array;
    array.sizes = read_header();
    const std::uint64_t data_bytes = checked_data_bytes(array.sizes);
    const std::uint64_t header_bytes = 4 + 4 * std::uint64_t{array.sizes.size()};
    if (gzdirect(file_.get()) != 0) check_plain_file_size(header_bytes, data_bytes, array.sizes);
    array.data = read_data(data_bytes, array.sizes);
    check_nothing_follows(data_bytes);
    return array;
  }

 private:
  void open() {
    std::error_code error;
    if (fs::is_directory(path_, error)) {
      throw DataNotFound(path_,
                         "is a folder, not an IDX file; pass the file itself (e.g. "
                         "train-images-idx3-ubyte.gz), or use load_mnist(folder)");
    }
    errno = 0;
    file_.reset(gzopen(path_.c_str(), "rb"));
    if (!file_) {
      const std::string reason = errno != 0 ? std::strerror(errno) : "out of memory";
      throw DataNotFound(path_, "cannot open the IDX file (" + reason +
                                    "); check the path, or fetch the data with "
                                    "scripts/fetch_mnist.sh");
    }
  }

  // Reads up to size bytes; returns how many it got (fewer only at the end of the data).
  std::size_t read_some(std::uint8_t* buffer, unsigned size) {
    std::size_t total = 0;
    while (total < size) {
      const int got = gzread(file_.get(), buffer + total, size - static_cast<unsigned>(total));
      if (got < 0) throw_zlib_error();
      if (got == 0) {
        int code = Z_OK;
        gzerror(file_.get(), &code);
        if (code != Z_OK) throw_zlib_error();
        break;
      }
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

  [[noreturn]] void throw_zlib_error() {
    int code = Z_OK;
    const char* message = gzerror(file_.get(), &code);
    if (code == Z_BUF_ERROR) {
      throw FormatError(
          path_, "the gzip stream ends too early (the .gz file is truncated)" + kDownloadAgain);
    }
    if (code == Z_ERRNO) {
      throw DatasetError(path_, std::string("reading failed: ") + std::strerror(errno));
    }
    throw FormatError(
        path_, "is a damaged gzip file (zlib: " + std::string(message) + ")" + kDownloadAgain);
  }

  std::vector<std::uint32_t> read_header() {
    std::array<std::uint8_t, 4> magic{};
    const std::size_t got = read_some(magic.data(), 4);
    if (got < 4) {
      throw FormatError(
          path_, (got == 0 ? std::string("is empty") : "is only " + bytes_text(got) + " long") +
                     ", too short for the 4-byte IDX magic number" + kDownloadAgain);
    }
    const std::uint32_t magic_number = std::uint32_t{magic[0]} << 24 |
                                       std::uint32_t{magic[1]} << 16 |
                                       std::uint32_t{magic[2]} << 8 | magic[3];
    if (magic[0] != 0 || magic[1] != 0) {
      throw FormatError(path_, "is not an IDX file: it starts with " + hex32(magic_number) +
                                   ", where an IDX file starts with 0x0000 and then its type and "
                                   "rank (0x00000803 for images, 0x00000801 for labels). It may "
                                   "be a failed download (an HTML page) or another format" +
                                   kDownloadAgain);
    }
    if (magic[2] != kIdxUnsignedByte) {
      throw FormatError(path_, "holds elements of type " + hex8(magic[2]) + " (" +
                                   type_name(magic[2]) + "), magic number " + hex32(magic_number) +
                                   "; only unsigned bytes (type 0x08, as in MNIST) are supported");
    }
    const std::size_t rank = magic[3];
    if (rank == 0) {
      throw FormatError(path_, "has magic number " + hex32(magic_number) +
                                   ", which declares 0 dimensions; an IDX file has at least one" +
                                   kDownloadAgain);
    }
    if (expected_rank_ != 0 && rank != expected_rank_) {
      throw FormatError(path_, "has magic number " + hex32(magic_number) + " (" +
                                   std::to_string(rank) + " dimensions) but " +
                                   hex32(static_cast<std::uint32_t>(0x800 + expected_rank_)) +
                                   " (" + std::to_string(expected_rank_) +
                                   " dimensions) was expected" + rank_hint(rank));
    }
    std::array<std::uint8_t, 4 * 255> size_bytes{};
    const auto header_size = static_cast<unsigned>(4 * rank);
    const std::size_t got_sizes = read_some(size_bytes.data(), header_size);
    if (got_sizes < header_size) {
      throw FormatError(path_, "is truncated inside its header: " + std::to_string(rank) +
                                   " dimensions need " + bytes_text(header_size) +
                                   " of sizes after the magic number, but the file has " +
                                   bytes_text(got_sizes) + kDownloadAgain);
    }
    std::vector<std::uint32_t> sizes(rank);
    for (std::size_t d = 0; d < rank; ++d) {
      const std::uint8_t* b = size_bytes.data() + 4 * d;
      sizes[d] =
          std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
      if (sizes[d] == 0) {
        throw FormatError(path_, "has size 0 in dimension " + std::to_string(d) + " (sizes " +
                                     shape_text(sizes) + "...), so it holds no data; the header " +
                                     "is corrupt" + kDownloadAgain);
      }
    }
    return sizes;
  }

  std::string rank_hint(std::size_t rank) const {
    if (expected_rank_ == 3 && rank == 1) {
      return ": this looks like a labels file where an images file was expected; check the file "
             "names (images are *-images-idx3-ubyte, labels *-labels-idx1-ubyte)";
    }
    if (expected_rank_ == 1 && rank == 3) {
      return ": this looks like an images file where a labels file was expected; check the file "
             "names (images are *-images-idx3-ubyte, labels *-labels-idx1-ubyte)";
    }
    return ": check that this is the right file";
  }

  std::uint64_t checked_data_bytes(const std::vector<std::uint32_t>& sizes) const {
    std::uint64_t product = 1;
    for (std::uint32_t size : sizes) {
      // Sizes are below 2^32 and product <= 2^30 before each step, so this cannot overflow.
      product *= size;
      if (product > kIdxMaxDataBytes) {
        throw FormatError(path_, "has sizes " + shape_text(sizes) + ", which promise more than " +
                                     bytes_text(kIdxMaxDataBytes) +
                                     " of data, more than any real IDX dataset; the header is "
                                     "corrupt" +
                                     kDownloadAgain);
      }
    }
    return product;
  }

  // For a plain (not gzipped) file the file size tells at once whether the data is all there, so
  // a truncated file fails before anything is allocated.
  void check_plain_file_size(std::uint64_t header_bytes, std::uint64_t data_bytes,
                             const std::vector<std::uint32_t>& sizes) const {
    std::error_code error;
    const std::uint64_t file_bytes = fs::file_size(path_, error);
    if (error || file_bytes < header_bytes) return;  // not a regular file: read and see
    const std::uint64_t have = file_bytes - header_bytes;
    if (have < data_bytes) throw truncated(data_bytes, have, sizes);
    if (have > data_bytes) throw trailing(data_bytes, have - data_bytes, sizes);
  }

  FormatError truncated(std::uint64_t promised, std::uint64_t have,
                        const std::vector<std::uint32_t>& sizes) const {
    return FormatError(path_, "is truncated: its header (sizes " + shape_text(sizes) +
                                  ") promises " + bytes_text(promised) +
                                  " of data but the file holds only " + bytes_text(have) +
                                  kDownloadAgain);
  }

  FormatError trailing(std::uint64_t promised, std::uint64_t extra,
                       const std::vector<std::uint32_t>& sizes) const {
    return FormatError(path_, "has " + bytes_text(extra) +
                                  " more data than its header promises (sizes " +
                                  shape_text(sizes) + ", " + bytes_text(promised) +
                                  "): the sizes in the header are wrong or something was "
                                  "appended to the file" +
                                  kDownloadAgain);
  }

  std::vector<std::uint8_t> read_data(std::uint64_t data_bytes,
                                      const std::vector<std::uint32_t>& sizes) {
    std::vector<std::uint8_t> data;
    while (data.size() < data_bytes) {
      const auto want = static_cast<unsigned>(std::min<std::uint64_t>(
          kChunkBytes, data_bytes - static_cast<std::uint64_t>(data.size())));
      const std::size_t have = data.size();
      data.resize(have + want);
      const std::size_t got = read_some(data.data() + have, want);
      data.resize(have + got);
      if (got < want) throw truncated(data_bytes, data.size(), sizes);
    }
    return data;
  }

  void check_nothing_follows(std::uint64_t data_bytes) {
    // Count what follows, up to a limit: the message says how much, the reading stays bounded.
    std::array<std::uint8_t, 4096> rest{};
    std::size_t extra = 0;
    while (extra < kChunkBytes) {
      const std::size_t got = read_some(rest.data(), static_cast<unsigned>(rest.size()));
      extra += got;
      if (got < rest.size()) break;
    }
    if (extra > 0) {
      throw FormatError(path_, "has " + (extra >= kChunkBytes ? "at least " : std::string()) +
                                   bytes_text(extra) + " more data than its header promises (" +
                                   bytes_text(data_bytes) +
                                   "): the sizes in the header are wrong or something was "
                                   "appended to the file" +
                                   kDownloadAgain);
    }
  }

  const fs::path& path_;
  std::size_t expected_rank_;
  GzFile file_;
};

}  // namespace

IdxArray read_idx(const fs::path& path, std::size_t expected_rank) {
  return IdxReader(path, expected_rank).read();
}

void write_idx(const fs::path& path, const IdxArray& array, Compression compression) {
  if (array.sizes.empty() || array.sizes.size() > 255) {
    throw std::invalid_argument("write_idx(" + path.string() +
                                "): an IDX array has 1 to 255 sizes, got " +
                                std::to_string(array.sizes.size()));
  }
  std::uint64_t product = 1;
  for (std::uint32_t size : array.sizes) {
    if (size == 0) {
      throw std::invalid_argument("write_idx(" + path.string() + "): size 0 in sizes " +
                                  shape_text(array.sizes) + "; every size must be at least 1");
    }
    product *= size;
    if (product > kIdxMaxDataBytes) {
      throw std::invalid_argument("write_idx(" + path.string() + "): sizes " +
                                  shape_text(array.sizes) + " exceed " +
                                  bytes_text(kIdxMaxDataBytes));
    }
  }
  if (product != array.data.size()) {
    throw std::invalid_argument("write_idx(" + path.string() + "): sizes " +
                                shape_text(array.sizes) + " need " + bytes_text(product) +
                                " of data but the array holds " + bytes_text(array.data.size()));
  }

  std::vector<std::uint8_t> header{0, 0, kIdxUnsignedByte,
                                   static_cast<std::uint8_t>(array.sizes.size())};
  for (std::uint32_t size : array.sizes) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      header.push_back(static_cast<std::uint8_t>(size >> shift));
    }
  }
  const auto write_gz = [&](const fs::path& temporary) {
    // "wbT" writes plain bytes through the same gz interface; "wb6" gzips at level 6.
    GzFile file(gzopen(temporary.c_str(), compression == Compression::gzip ? "wb6" : "wbT"));
    if (!file) throw DatasetError(path, "cannot create the file; check the folder's permissions");
    auto write_all = [&](const std::uint8_t* bytes, std::size_t count) {
      while (count > 0) {
        const auto chunk = static_cast<unsigned>(std::min<std::size_t>(count, kChunkBytes));
        if (gzwrite(file.get(), bytes, chunk) != static_cast<int>(chunk)) {
          throw DatasetError(path, "writing failed (is the disk full?)");
        }
        bytes += chunk;
        count -= chunk;
      }
    };
    write_all(header.data(), header.size());
    write_all(array.data.data(), array.data.size());
    if (gzclose(file.release()) != Z_OK) {
      throw DatasetError(path, "writing failed when closing the file (is the disk full?)");
    }
  };
  try {
    base::write_atomically(path, write_gz, {.create_folders = true});
  } catch (const base::WriteError& error) {
    throw DatasetError(error);
  }
}

}  // namespace micrograd::datasets
