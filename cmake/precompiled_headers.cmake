# Precompiled headers: the headers nearly every file of a target includes (the standard library's,
# GoogleTest's, pybind11's and the engine's own) are parsed once per target instead of once per
# file. Parsing them is most of what a file costs at -O1: 0.8 of the 1.0-1.6 s a student's file
# takes, which the checker recompiles after every edit and the course's tests hundreds of times;
# GoogleTest alone takes 1.2 s per test file, pybind11 2 s per binding file.
#
# A file still includes what it uses: the precompiled header only makes that faster. Configure
# with -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON to build without them (to check exactly that).
#
# micrograd_precompile_headers(<target> [GTEST] [PYBIND11])
function(micrograd_precompile_headers target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "GTEST;PYBIND11" "" "")
  set(headers <algorithm> <cmath> <cstddef> <cstdint> <functional> <memory> <span> <stdexcept>
              <string> <utility> <vector> "${PROJECT_SOURCE_DIR}/engine/value.hpp")
  if(arg_GTEST)
    list(APPEND headers <gtest/gtest.h>)
  endif()
  if(arg_PYBIND11)
    list(PREPEND headers <pybind11/pybind11.h> <pybind11/stl.h>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13
     AND NOT CMAKE_DISABLE_PRECOMPILE_HEADERS)
    # With the standard headers precompiled, GCC 12 at -O2 no longer keeps to itself its false
    # -Wstringop-overflow and -Warray-bounds reports inside std::string's operator+ (GCC bugs
    # 105329 and 105651, fixed in 13). The library's own files are not precompiled: they keep both.
    target_compile_options(${target} PRIVATE -Wno-stringop-overflow -Wno-array-bounds)
  endif()
endfunction()
