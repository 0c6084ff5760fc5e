# test_fuzz_regressions (declared in tests/CMakeLists.txt) also compiles the fuzz harnesses, so the
# gcc + sanitizer test build replays the seed corpora and every saved crash through the same code
# the libFuzzer binaries run.
if(TARGET test_fuzz_regressions)
  file(GLOB ROLLCALL_FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/targets/*.cpp
    ${CMAKE_SOURCE_DIR}/fuzz/support/*.cpp)
  target_sources(test_fuzz_regressions PRIVATE ${ROLLCALL_FUZZ_HARNESSES})
  target_link_libraries(test_fuzz_regressions PRIVATE ${HTTP_PARSER_LIB})
  # Each harness is a separate program by design (its own kName, rig and file-local helpers), so
  # they are compiled one file at a time even when the rest of the build is a unity build.
  set_source_files_properties(${ROLLCALL_FUZZ_HARNESSES} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endif()
