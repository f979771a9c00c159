# Compiler settings every target of this project shares.

if(MICROGRAD_SANITIZE)
  # Applied to the whole tree so tests and the library agree on the instrumented runtime.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MICROGRAD_SANITIZE_THREAD)
  if(MICROGRAD_SANITIZE)
    message(FATAL_ERROR "ThreadSanitizer cannot be combined with AddressSanitizer: turn one of "
                        "MICROGRAD_SANITIZE and MICROGRAD_SANITIZE_THREAD off")
  endif()
  # The whole tree, so that every atomic and lock the threads share is seen by the sanitizer.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

function(micrograd_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O2 reports false -Wrestrict overlaps inside std::string's operator+ (GCC bug
    # 105651, fixed in 13).
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(MICROGRAD_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
