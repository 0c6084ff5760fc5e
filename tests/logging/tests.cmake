# daemon/Logging.cpp tested on its own (the rest of the daemon need not build): test_logging.
add_executable(test_logging ${CMAKE_CURRENT_LIST_DIR}/LoggingTest.cpp ${CMAKE_SOURCE_DIR}/daemon/Logging.cpp)
target_include_directories(test_logging PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(test_logging PRIVATE spdlog::spdlog fmt::fmt nlohmann_json::nlohmann_json GTest::gtest_main)
gtest_discover_tests(test_logging DISCOVERY_TIMEOUT 60)
