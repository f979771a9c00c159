# How code names micrograd's headers. The canonical spelling is <micrograd/engine/value.hpp> and
# <micrograd/micrograd.hpp>: the same in this tree, in a project that adds it with
# add_subdirectory, and installed. The older spelling ("engine/value.hpp", "micrograd.hpp") keeps
# compiling for this release; the library's own sources still use it.
#
# In the build tree, include/micrograd/ holds a link to each header folder of the parts this build
# has (engine/, nn/, ... and viz/ only when micrograd::viz is built, so that code drawing graphs
# fails to compile, not to link, in a build without Graphviz), and the generated headers:
# version.hpp (MICROGRAD_VERSION) and the umbrella micrograd.hpp, which includes what was built.
set(MICROGRAD_INCLUDE_DIR "${PROJECT_BINARY_DIR}/include")
# The header folders of micrograd's parts, each installed when its part is built
# (cmake/install.cmake): what <micrograd/...> can name, and all the examples may include
# (project.example_includes). A part's library is micrograd_<folder>, except engine and nn, which
# are micrograd itself.
set(MICROGRAD_HEADER_FOLDERS base engine nn viz datasets plots)

# micrograd_public_includes(<target>): both spellings, in the build tree and installed.
function(micrograd_public_includes target)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<BUILD_INTERFACE:${MICROGRAD_INCLUDE_DIR}>
    $<BUILD_INTERFACE:${MICROGRAD_INCLUDE_DIR}/micrograd>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/micrograd>)
endfunction()

# micrograd_generate_headers(<folder>...): links <folder>s into include/micrograd/ (removing links
# of parts no longer built) and writes version.hpp and micrograd.hpp there. Called once, after
# every part has been configured.
function(micrograd_generate_headers)
  set(generated "${MICROGRAD_INCLUDE_DIR}/micrograd")
  file(MAKE_DIRECTORY "${generated}")
  foreach(folder IN LISTS MICROGRAD_HEADER_FOLDERS)
    # REMOVE on a link removes the link only, never the source folder it points to.
    if(IS_SYMLINK "${generated}/${folder}")
      file(REMOVE "${generated}/${folder}")
    endif()
  endforeach()
  foreach(folder IN LISTS ARGN)
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${folder}" "${generated}/${folder}" SYMBOLIC)
  endforeach()
  configure_file("${PROJECT_SOURCE_DIR}/cmake/version.hpp.in" "${generated}/version.hpp" @ONLY)
  if("viz" IN_LIST ARGN)
    set(MICROGRAD_UMBRELLA_VIZ "#include <micrograd/viz/graphviz.hpp>")
  else()
    set(MICROGRAD_UMBRELLA_VIZ
        "// micrograd::viz is not part of this build (Graphviz was not found, or MICROGRAD_BUILD_VIZ is off).")
  endif()
  configure_file("${PROJECT_SOURCE_DIR}/micrograd.hpp.in" "${generated}/micrograd.hpp" @ONLY)
endfunction()
