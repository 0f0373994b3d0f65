# Shared build settings for hallvote's own targets. Third-party headers are included as SYSTEM so that
# -Werror applies to our code only.

function(hallvote_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wpedantic -Wconversion -Wsign-conversion -Wimplicit-fallthrough)
endfunction()

# hallvote_library(<name> SOURCES ... [DEPS ...]) -> target hallvote_<name>, alias hallvote::<name>,
# public headers under <folder>/include.
function(hallvote_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(hallvote_${name} ${ARG_SOURCES})
  add_library(hallvote::${name} ALIAS hallvote_${name})
  target_include_directories(hallvote_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                              PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(hallvote_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  hallvote_warnings(hallvote_${name})
endfunction()

# hallvote_program(<exe-name> SOURCES ... DEPS ...) -> a thin main over libraries.
function(hallvote_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  hallvote_warnings(${name})
endfunction()

# hallvote_test(<name> SOURCES ... DEPS ... LABELS <label>) -> a GoogleTest binary registered with ctest, every
# test labelled with the suite's folder (scripts/test selects the sanitizer suites by label). One label only:
# gtest_discover_tests cannot pass a list through.
function(hallvote_test name)
  cmake_parse_arguments(ARG "" "LABELS" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE HALLVOTE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  hallvote_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# hallvote_check_warnings(<dir>) — a configure error when a library or executable of ours, defined under <dir>
# (recursively), was added without hallvote_warnings(), i.e. without -Werror.
function(hallvote_check_warnings dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$")
      get_target_property(options ${target} COMPILE_OPTIONS)
      if(NOT "-Werror" IN_LIST options)
        message(FATAL_ERROR "hallvote: ${target} (${dir}) is built without hallvote_warnings()")
      endif()
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    hallvote_check_warnings(${subdir})
  endforeach()
endfunction()
