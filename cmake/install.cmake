# `cmake --install` exports a CMake package so that another project can
# find_package(cafio) and link cafio::cafio.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cafio_protocol cafio_transport cafio
        EXPORT cafioTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(dir protocol transport actors)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/${dir}/"
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cafio/${dir}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()

set(cafio_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/cafio)
install(EXPORT cafioTargets NAMESPACE cafio:: DESTINATION ${cafio_cmake_dir})
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/cafioConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/cafioConfig.cmake"
                              INSTALL_DESTINATION ${cafio_cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cafioConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cafioConfig.cmake"
              "${PROJECT_BINARY_DIR}/cafioConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake"
        DESTINATION ${cafio_cmake_dir})
