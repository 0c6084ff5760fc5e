# Bad input and resource bounds (issue 7): a real `rollcall agent` on 127.0.0.1 fed malformed,
# replayed, forged and flooding input (UDP, TCP, HTTP, config, data directory), Python 3 standard
# library. rollcall_craft (craft_packet.cpp) seals/decodes packets with the real envelope and codec.
add_executable(rollcall_craft ${CMAKE_CURRENT_LIST_DIR}/craft_packet.cpp)
target_link_libraries(rollcall_craft PRIVATE rollcall_wire)
if(TARGET rollcall)
  find_program(ROLLCALL_BADINPUT_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT ROLLCALL_BADINPUT_PYTHON3)
    find_program(ROLLCALL_BADINPUT_PYTHON3 NAMES python3 REQUIRED)
  endif()
  foreach(suite packets http_config datadir flood)
    add_test(NAME badinput.${suite}
      COMMAND ${CMAKE_COMMAND} -E env ROLLCALL_BIN=$<TARGET_FILE:rollcall> ROLLCALL_CRAFT=$<TARGET_FILE:rollcall_craft>
              PYTHONDONTWRITEBYTECODE=1 ${ROLLCALL_BADINPUT_PYTHON3} -m unittest -v test_${suite}
      WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
    set_tests_properties(badinput.${suite} PROPERTIES TIMEOUT 300 LABELS badinput RESOURCE_LOCK rollcall_agents
                         SKIP_RETURN_CODE 77)
  endforeach()
endif()
