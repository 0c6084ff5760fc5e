# Tests of the Cluster Overview page (included by tests/CMakeLists.txt).
#  - test_web (GoogleTest): the embedded assets match web/ and are served by path.
#  - web.page: Playwright + Debian's chromium against a real 3-agent `rollcall demo` (needs
#    `scripts/bootstrap --browser`; a browser that cannot start fails the test, it does not skip).
#  - web.mock: the same page scenarios against tests/web/mock_server.mjs (no agent needed).
if(TARGET rollcall_web_assets)
  rollcall_test_dir(web rollcall_web_assets)
endif()

# Registered even without node: a missing runtime must fail the run, not skip it silently.
find_program(ROLLCALL_NODE node)
if(NOT ROLLCALL_NODE)
  set(ROLLCALL_NODE node)
endif()

if(TARGET rollcall)
  add_test(NAME web.page
    COMMAND ${CMAKE_COMMAND} -E env ROLLCALL_BIN=$<TARGET_FILE:rollcall>
            ${ROLLCALL_NODE} --test ${CMAKE_CURRENT_LIST_DIR}/cluster.test.mjs
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(web.page PROPERTIES TIMEOUT 300 RESOURCE_LOCK rollcall_browser)
endif()

add_test(NAME web.mock
  COMMAND ${ROLLCALL_NODE} --test ${CMAKE_CURRENT_LIST_DIR}/mock.test.mjs
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(web.mock PROPERTIES TIMEOUT 180 RESOURCE_LOCK rollcall_browser)
