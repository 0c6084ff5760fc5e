# test_fuzz_regressions (declared in tests/CMakeLists.txt) also compiles the fuzz harnesses, so the
# gcc + sanitizer test build replays the seed corpora and every saved crash through the same code
# the libFuzzer binaries run.
if(TARGET test_fuzz_regressions)
  file(GLOB ROLLCALL_FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/targets/*.cpp
    ${CMAKE_SOURCE_DIR}/fuzz/support/*.cpp)
  target_sources(test_fuzz_regressions PRIVATE ${ROLLCALL_FUZZ_HARNESSES})
  target_link_libraries(test_fuzz_regressions PRIVATE ${HTTP_PARSER_LIB})
endif()
