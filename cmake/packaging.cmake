# A Debian 12 package: `cpack -G DEB --config build/release/CPackConfig.cmake`
# (after `cmake --build build/release`) writes pginit_VERSION_amd64.deb with
# what `cmake --install` installs: bin/pginit, pginit(1), the bash completion.
# The dependencies are the Debian 12 packages of the shared libraries pginit
# links (ldd bin/pginit; dpkg -S gives the package of each).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pginit)
set(CPACK_PACKAGE_VENDOR "pginit")
set(CPACK_PACKAGE_CONTACT "pginit maintainers <pginit@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY pginit)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1 (>= 12), libtbb12 (>= 2021.8), libspdlog1.10 (>= 1:1.10.0), libfmt9 (>= 9.1.0), libyaml-cpp0.7 (>= 0.7.0)")
include(CPack)
