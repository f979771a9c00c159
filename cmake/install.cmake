# Installing micrograd (MICROGRAD_INSTALL; on by default only when this is the top-level project,
# so a parent's `cmake --install` does not copy micrograd unless it asks, as fmt's FMT_INSTALL):
#   include/micrograd/   the headers of the installed parts and the generated version.hpp and
#                        micrograd.hpp (both spellings work: <micrograd/engine/value.hpp>, and
#                        "engine/value.hpp" for this release)
#   lib/                 libmicrograd.a, libmicrograd_base.a, and each optional part that was
#                        built: libmicrograd_viz.a, libmicrograd_datasets.a, libmicrograd_plots.a
#   lib/cmake/micrograd/ the CMake package:
#                        find_package(micrograd CONFIG [COMPONENTS viz datasets plots])
#   lib/pkgconfig/       micrograd.pc, and micrograd-viz.pc, micrograd-datasets.pc and
#                        micrograd-plots.pc for the parts that were built, for pkg-config users
# Uninstall with `xargs rm < <build>/install_manifest.txt` (the README says so too).
include(CMakePackageConfigHelpers)
set(MICROGRAD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/micrograd")
# The header folders: those of the parts this build has (MICROGRAD_BUILT_HEADER_FOLDERS, from
# MICROGRAD_HEADER_FOLDERS in cmake/headers.cmake, the folders project.example_includes lets the
# examples include). engine/detail/ holds what the public headers need inline but users do not call
# (from_op's hot path, the node pool), so it is installed with them; the other detail/ folders are
# used by our sources alone.
foreach(folder IN LISTS MICROGRAD_BUILT_HEADER_FOLDERS)
  set(internal_headers PATTERN detail EXCLUDE)
  if(folder STREQUAL "engine")
    set(internal_headers)
  endif()
  install(DIRECTORY ${folder} DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd"
          FILES_MATCHING PATTERN "*.hpp" ${internal_headers})
endforeach()
install(TARGETS micrograd micrograd_base EXPORT micrograd-targets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(FILES "${MICROGRAD_INCLUDE_DIR}/micrograd/micrograd.hpp"
              "${MICROGRAD_INCLUDE_DIR}/micrograd/version.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd")
install(EXPORT micrograd-targets NAMESPACE micrograd:: DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# The optional parts, each a component of the package (micrograd::viz, micrograd::datasets,
# micrograd::plots): its library, targets and pkg-config file only when it was built. The
# libraries they link (Graphviz, zlib, Cairo) are found again where the package is used
# (micrograd-config.cmake, and Requires: in the .pc files), not written into it as this machine's
# paths.
foreach(part IN ITEMS viz datasets plots)
  if(NOT TARGET micrograd_${part})
    continue()
  endif()
  install(TARGETS micrograd_${part} EXPORT micrograd-${part}-targets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
  install(EXPORT micrograd-${part}-targets NAMESPACE micrograd::
          DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")
endforeach()

configure_package_config_file(cmake/micrograd-config.cmake.in
  "${PROJECT_BINARY_DIR}/micrograd-config.cmake" INSTALL_DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/micrograd-config-version.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/micrograd-config.cmake"
              "${PROJECT_BINARY_DIR}/micrograd-config-version.cmake"
        DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")

# pkg-config: paths relative to the .pc file's own folder (${pcfiledir}), so a moved prefix works.
file(RELATIVE_PATH MICROGRAD_PC_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/micrograd.pc.in "${PROJECT_BINARY_DIR}/micrograd.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/micrograd.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
foreach(part IN ITEMS viz datasets plots)
  if(TARGET micrograd_${part})
    configure_file(cmake/micrograd-${part}.pc.in "${PROJECT_BINARY_DIR}/micrograd-${part}.pc" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/micrograd-${part}.pc"
            DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  endif()
endforeach()
