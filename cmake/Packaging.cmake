# Install layout and the Debian package (CPack DEB) of the rollcall agent.
# Included from the root CMakeLists.txt after the targets exist: include(cmake/Packaging.cmake).
# Build the package with the prefix it installs to:
#   cmake -S . -B build-pkg -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-pkg --target rollcall && (cd build-pkg && cpack -G DEB)
# Layout (prefix /usr): /usr/bin/rollcall, /etc/rollcall/agent.toml (conffile, from
# configs/agent.example.toml), /usr/lib/systemd/system/rollcall.service, sysusers.d and tmpfiles.d
# snippets, /var/lib/rollcall (data directory), /usr/share/doc/rollcall/deploy.md.
include(GNUInstallDirs)
# `make install`/cpack install what is built and do not rebuild the whole tree (tests, benches)
# first: build the rollcall target, then package. (cmake --install never built anything anyway.)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(ROLLCALL_PKG_DIR ${CMAKE_SOURCE_DIR}/configs/systemd)
set(ROLLCALL_CONF_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/rollcall)          # /etc/rollcall for prefix /usr
set(ROLLCALL_DATA_DIR ${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/rollcall)  # /var/lib/rollcall for prefix /usr

# The default config, installed as agent.toml. Kept mode 0640: it may name key and token files.
if(EXISTS ${CMAKE_SOURCE_DIR}/configs/agent.example.toml)
  install(FILES ${CMAKE_SOURCE_DIR}/configs/agent.example.toml
    DESTINATION ${ROLLCALL_CONF_DIR} RENAME agent.toml
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
else()
  message(WARNING "configs/agent.example.toml is missing: the package will have no default config")
endif()

# The systemd unit names /usr/bin/rollcall and /etc/rollcall; for another prefix install a copy
# with the real paths (the source file stays the one `systemd-analyze verify` checks).
set(ROLLCALL_UNIT ${ROLLCALL_PKG_DIR}/rollcall.service)
if(NOT CMAKE_INSTALL_FULL_BINDIR STREQUAL "/usr/bin" OR NOT ROLLCALL_CONF_DIR STREQUAL "/etc/rollcall")
  file(READ ${ROLLCALL_UNIT} _rollcall_unit)
  string(REPLACE "/usr/bin/rollcall" "${CMAKE_INSTALL_FULL_BINDIR}/rollcall" _rollcall_unit "${_rollcall_unit}")
  string(REPLACE "/etc/rollcall/" "${ROLLCALL_CONF_DIR}/" _rollcall_unit "${_rollcall_unit}")
  set(ROLLCALL_UNIT ${CMAKE_BINARY_DIR}/packaging/rollcall.service)
  file(WRITE ${ROLLCALL_UNIT} "${_rollcall_unit}")
endif()
install(FILES ${ROLLCALL_UNIT} DESTINATION lib/systemd/system)
install(FILES ${ROLLCALL_PKG_DIR}/rollcall.sysusers DESTINATION lib/sysusers.d RENAME rollcall.conf)
install(FILES ${ROLLCALL_PKG_DIR}/rollcall.tmpfiles DESTINATION lib/tmpfiles.d RENAME rollcall.conf)
install(DIRECTORY DESTINATION ${ROLLCALL_DATA_DIR})
if(EXISTS ${CMAKE_SOURCE_DIR}/docs/deploy.md)
  install(FILES ${CMAKE_SOURCE_DIR}/docs/deploy.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

# ---- CPack: Debian package ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rollcall)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "rollcall maintainers")
set(CPACK_PACKAGE_CONTACT "rollcall maintainers <maintainers@rollcall.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "gossip-based cluster membership agent (SWIM + Lifeguard)")
set(CPACK_PACKAGE_DESCRIPTION
  "rollcall runs beside each product instance, finds its peers over UDP/TCP gossip and serves\n\
the cluster's servers, components, versions and key fingerprints over HTTP (JSON, a live page,\n\
Prometheus metrics, health checks). No central database, no leader.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "rollcall: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; configure with "
    "-DCMAKE_INSTALL_PREFIX=/usr to build the Debian package")
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://rollcall.invalid/")
# Runtime libraries from dpkg-shlibdeps on the built binary (libssl3, libspdlog1.10, libfmt9,
# libtomlplusplus3, libhttp-parser2.9, libstdc++6, libc6, ...), plus what the maintainer
# scripts use (useradd from passwd when systemd-sysusers is absent) and procps for the unit's
# ExecReload=/bin/kill (absent from minimal Debian roots).
find_program(ROLLCALL_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(ROLLCALL_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, procps")
else()
  # Same list, by hand (Debian 12 names); scripts/docker-steps.sh check keeps them honest.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "passwd, procps, libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1, libssl3 (>= 3.0.0), libspdlog1.10, libfmt9, libtomlplusplus3, libhttp-parser2.9")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "systemd")
# Maintainer scripts (create the rollcall user and dirs, enable/restart/stop the unit) and the
# conffile list (dpkg keeps a locally edited agent.toml across upgrades).
set(ROLLCALL_DEB_CONTROL ${CMAKE_BINARY_DIR}/packaging/deb)
file(MAKE_DIRECTORY ${ROLLCALL_DEB_CONTROL})
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${ROLLCALL_PKG_DIR}/debian/postinst
  ${ROLLCALL_PKG_DIR}/debian/prerm
  ${ROLLCALL_PKG_DIR}/debian/postrm)
if(EXISTS ${CMAKE_SOURCE_DIR}/configs/agent.example.toml)
  file(WRITE ${ROLLCALL_DEB_CONTROL}/conffiles "${ROLLCALL_CONF_DIR}/agent.toml\n")
  list(APPEND CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${ROLLCALL_DEB_CONTROL}/conffiles)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Only the agent goes in the package (not test or bench binaries, should any install).
set(CPACK_STRIP_FILES ON)

include(CPack)
