// libFuzzer target for the IDX reader: every input is written to a file and read as IDX (plain or
// gzipped: zlib tells them apart by the content). The reader must either return an array that
// matches its header or throw a DatasetError; anything else (a crash, a sanitizer report, an
// allocation beyond -malloc_limit_mb, a different exception) is a bug.
//
// Built with clang++ -fsanitize=fuzzer,address,undefined by tests/fuzz/CMakeLists.txt; the seed
// corpus is tests/fuzz/idx_corpus/. Run it longer by hand with
//   build/.../tests/fuzz/fuzz_idx -max_total_time=600 /tmp/corpus tests/fuzz/idx_corpus
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "datasets/errors.hpp"
#include "datasets/idx.hpp"

namespace {

const std::filesystem::path& scratch_file() {
  static const std::filesystem::path path = [] {
    // A RAM-backed folder when there is one: rewriting a file on disk per input is slow.
    std::error_code error;
    const std::filesystem::path folder = std::filesystem::is_directory("/dev/shm", error)
                                             ? std::filesystem::path("/dev/shm")
                                             : std::filesystem::temp_directory_path();
    return folder / ("fuzz_idx_" + std::to_string(::getpid()));
  }();
  return path;
}

void read_and_check(std::size_t expected_rank) {
  using namespace micrograd::datasets;
  try {
    const IdxArray array = read_idx(scratch_file(), expected_rank);
    std::uint64_t product = 1;
    for (std::uint32_t size : array.sizes) product *= size;
    if (array.sizes.empty() || product != array.data.size() ||
        (expected_rank != 0 && array.sizes.size() != expected_rank)) {
      std::abort();  // the reader returned an array that does not match its own header
    }
  } catch (const DatasetError& error) {
    if (error.path() != scratch_file()) std::abort();  // errors must name the file
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  read_and_check(0);
  read_and_check(1);
  read_and_check(3);
  // Removed after every input: libFuzzer ends with _Exit, which skips atexit handlers.
  std::error_code error;
  std::filesystem::remove(scratch_file(), error);
  return 0;
}
