# Process-level tests of the agent (issue 4): real `rollcall agent` processes on 127.0.0.1 driven by
# Python 3 standard-library unittest (tests/agent/harness.py). One ctest entry per file; they share a
# resource lock so timing-sensitive scenarios do not compete for the CPU with each other.
if(TARGET rollcall)
  find_program(ROLLCALL_AGENT_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT ROLLCALL_AGENT_PYTHON3)
    find_program(ROLLCALL_AGENT_PYTHON3 NAMES python3 REQUIRED)
  endif()
  foreach(suite cluster api cli http_abuse metrics demo)
    add_test(NAME agent.${suite}
      COMMAND ${CMAKE_COMMAND} -E env ROLLCALL_BIN=$<TARGET_FILE:rollcall> PYTHONDONTWRITEBYTECODE=1
              ${ROLLCALL_AGENT_PYTHON3} -m unittest -v test_${suite}
      WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
    set_tests_properties(agent.${suite} PROPERTIES TIMEOUT 600 LABELS agent RESOURCE_LOCK rollcall_agents)
  endforeach()
endif()
