# Deployment checks (Python 3 + python3-yaml; no GoogleTest): manifests, systemd unit, Dockerfile,
# docs, and — when the agent binary is part of this build — the Debian package itself.
# Prefer Debian's python3: scripts/bootstrap installs python3-yaml for it.
find_program(ROLLCALL_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT ROLLCALL_PYTHON3)
  find_program(ROLLCALL_PYTHON3 NAMES python3 REQUIRED)
endif()
set(_deploy ${CMAKE_CURRENT_LIST_DIR})
foreach(group k8s systemd docker docs)
  add_test(NAME deploy.${group}
    COMMAND ${ROLLCALL_PYTHON3} ${_deploy}/check_deploy.py ${CMAKE_SOURCE_DIR} ${group})
  set_tests_properties(deploy.${group} PROPERTIES TIMEOUT 120 LABELS deploy)
endforeach()
# Builds the .deb with CPack from this build tree and checks it (needs cmake/Packaging.cmake
# included from the root CMakeLists.txt, and the rollcall target built).
if(TARGET rollcall)
  # The real agent accepts every configuration the deployment files hand it (agent --check).
  add_test(NAME deploy.binary
    COMMAND ${ROLLCALL_PYTHON3} ${_deploy}/check_deploy.py ${CMAKE_SOURCE_DIR} binary $<TARGET_FILE:rollcall>)
  set_tests_properties(deploy.binary PROPERTIES TIMEOUT 120 LABELS deploy)
  add_test(NAME deploy.deb_package
    COMMAND ${ROLLCALL_PYTHON3} ${_deploy}/check_package.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}
      $<TARGET_FILE:rollcall>)
  set_tests_properties(deploy.deb_package PROPERTIES TIMEOUT 600 LABELS deploy RUN_SERIAL TRUE)
endif()
