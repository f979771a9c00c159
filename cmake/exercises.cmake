# The files a student writes live twice: solutions/<path> (reference) and exercises/<path> (stubs).
# Each library folder registers its exercise files here, by their path relative to those roots.

function(micrograd_exercise_files)
  set_property(GLOBAL APPEND PROPERTY MICROGRAD_EXERCISE_FILES ${ARGN})
endfunction()

# micrograd_add_library_variant(<name> <root> <files> [SUBSTITUTES <file>...]): the
# infrastructure objects plus the exercise files taken from <root> (solutions/ or exercises/).
# A file named in SUBSTITUTES is taken from <build>/exercise-substitutes/ instead: the checker
# writes there a copy of a student's file with some exercises back to their stubs (one that does
# not compile, or hangs), so that every other exercise can still be graded.
function(micrograd_add_library_variant name root files)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "" "SUBSTITUTES")
  set(sources $<TARGET_OBJECTS:micrograd_core>)
  foreach(file IN LISTS files)
    if(file IN_LIST arg_SUBSTITUTES)
      list(APPEND sources "${PROJECT_BINARY_DIR}/exercise-substitutes/${file}")
    else()
      list(APPEND sources "${root}/${file}")
    endif()
  endforeach()
  add_library(${name} STATIC ${sources})
  micrograd_public_includes(${name})
  target_compile_features(${name} PUBLIC cxx_std_20)
  get_target_property(core_libraries micrograd_core LINK_LIBRARIES)
  if(core_libraries)
    target_link_libraries(${name} PUBLIC ${core_libraries})
  endif()
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  micrograd_target_defaults(${name})
endfunction()

# Half-written student code is full of parameters not used yet: keep those warnings quiet.
function(micrograd_quiet_student_warnings target)
  target_compile_options(${target} PRIVATE -Wno-unused-parameter -Wno-unused-function
                                           -Wno-unused-variable -Wno-unused-but-set-variable)
endfunction()
