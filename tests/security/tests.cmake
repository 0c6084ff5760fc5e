# Security checks (issue 7): keys, wire confidentiality, admin auth, loopback-only endpoints, no
# secret in any output. Real agents in network namespaces (needs root, ip, nft); Python 3 stdlib.
if(TARGET rollcall)
  find_program(ROLLCALL_SECURITY_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT ROLLCALL_SECURITY_PYTHON3)
    find_program(ROLLCALL_SECURITY_PYTHON3 NAMES python3 REQUIRED)
  endif()
  add_test(NAME security.agents
    COMMAND ${CMAKE_COMMAND} -E env ROLLCALL_BIN=$<TARGET_FILE:rollcall> ROLLCALL_CRAFT=$<TARGET_FILE:rollcall_craft>
            PYTHONDONTWRITEBYTECODE=1 ${ROLLCALL_SECURITY_PYTHON3} -m unittest -v test_security
    WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(security.agents PROPERTIES TIMEOUT 300 LABELS security RESOURCE_LOCK rollcall_agents)
endif()
