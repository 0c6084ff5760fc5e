# Chaos scenarios (issue 7): real agents, one per network namespace, faults made with nft rules,
# link state and signals (tests/chaos/run_chaos.py). ctest runs a bounded subset with shortened
# windows (about 5 minutes in all on 2 cores); `scripts/chaos --all` runs every scenario with the
# full windows and writes tests/chaos/report.md. Needs root, ip and nft; skipped (77) otherwise.
if(TARGET rollcall)
  find_program(ROLLCALL_CHAOS_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT ROLLCALL_CHAOS_PYTHON3)
    find_program(ROLLCALL_CHAOS_PYTHON3 NAMES python3 REQUIRED)
  endif()
  foreach(scenario steady loss10 partition kill9loss)
    add_test(NAME chaos.${scenario}
      COMMAND ${CMAKE_COMMAND} -E env PYTHONDONTWRITEBYTECODE=1
              ${ROLLCALL_CHAOS_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/run_chaos.py --only ${scenario} --short
              --profile lan --bin $<TARGET_FILE:rollcall> --report ${CMAKE_BINARY_DIR}/chaos-${scenario}.md)
    set_tests_properties(chaos.${scenario} PROPERTIES TIMEOUT 240 LABELS chaos SKIP_RETURN_CODE 77
                         RESOURCE_LOCK rollcall_agents)
  endforeach()
endif()
