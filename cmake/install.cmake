# Installing micrograd (MICROGRAD_INSTALL; on by default only when this is the top-level project,
# so a parent's `cmake --install` does not copy micrograd unless it asks, as fmt's FMT_INSTALL):
#   include/micrograd/   the headers of the installed parts and the generated version.hpp and
#                        micrograd.hpp (both spellings work: <micrograd/engine/value.hpp>, and
#                        "engine/value.hpp" for this release)
#   lib/                 libmicrograd.a, libmicrograd_base.a, and libmicrograd_viz.a with viz
#   lib/cmake/micrograd/ the CMake package: find_package(micrograd CONFIG [COMPONENTS viz])
#   lib/pkgconfig/       micrograd.pc (and micrograd-viz.pc with viz) for pkg-config users
# Uninstall with `xargs rm < <build>/install_manifest.txt` (the README says so too).
include(CMakePackageConfigHelpers)
set(MICROGRAD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/micrograd")
# engine/detail/ holds what the public headers need inline but users do not call (from_op's hot
# path, the node pool), so it is installed with them; base/detail/ is used by our sources alone.
set(header_pattern FILES_MATCHING PATTERN "*.hpp")

install(TARGETS micrograd micrograd_base EXPORT micrograd-targets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY engine nn DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd" ${header_pattern})
install(DIRECTORY base DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd" ${header_pattern}
        PATTERN detail EXCLUDE)
install(FILES "${MICROGRAD_INCLUDE_DIR}/micrograd/micrograd.hpp"
              "${MICROGRAD_INCLUDE_DIR}/micrograd/version.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd")
install(EXPORT micrograd-targets NAMESPACE micrograd:: DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# The viz component: its library, headers and targets only when it was built. Its Graphviz
# libraries are found again where it is used (find_dependency in the config), not written into
# the package as this machine's paths.
if(TARGET micrograd_viz)
  install(TARGETS micrograd_viz EXPORT micrograd-viz-targets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
  install(DIRECTORY viz DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/micrograd" ${header_pattern})
  install(EXPORT micrograd-viz-targets NAMESPACE micrograd::
          DESTINATION "${MICROGRAD_INSTALL_CMAKEDIR}")
endif()

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
if(TARGET micrograd_viz)
  configure_file(cmake/micrograd-viz.pc.in "${PROJECT_BINARY_DIR}/micrograd-viz.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/micrograd-viz.pc"
          DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endif()
