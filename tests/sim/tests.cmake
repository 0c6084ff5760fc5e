# The rollcall-sim binary as a process (the gtest suites test the library).
if(TARGET rollcall-sim)
  add_test(NAME sim.binary_huge_pages
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/huge_pages_test.sh $<TARGET_FILE:rollcall-sim> ${CMAKE_SOURCE_DIR}/configs/sim)
  set_tests_properties(sim.binary_huge_pages PROPERTIES TIMEOUT 300 LABELS sim)
endif()
