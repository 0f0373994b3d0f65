# cmake -DEDGES=<file> -P check_layers.cmake — fails if a folder links a folder above it (or beside it) in the
# documented order (README "Layout"). EDGES holds "folder:target:dep-folder:dep-target" items (tests/layering).
# Folders named together (comma-separated) share a level: they may not link each other.
cmake_minimum_required(VERSION 3.25)

set(levels
  "common"
  "crypto"
  "hardware"
  "session"
  "cards"
  "protocol"
  "tlog"
  "audit"
  "records"
  "auditor"
  "network"
  "hall"
  "ballot-server,voter-terminal,presidium")

file(READ "${EDGES}" edges)
set(failures "")
foreach(edge IN LISTS edges)
  string(REPLACE ":" ";" parts "${edge}")
  list(GET parts 0 folder)
  list(GET parts 1 target)
  list(GET parts 2 dep_folder)
  list(GET parts 3 dep)
  set(level -1)
  set(dep_level -1)
  set(index 0)
  foreach(line IN LISTS levels)
    string(REPLACE "," ";" names "${line}")
    if(folder IN_LIST names)
      set(level ${index})
    endif()
    if(dep_folder IN_LIST names)
      set(dep_level ${index})
    endif()
    math(EXPR index "${index} + 1")
  endforeach()
  if(level EQUAL -1 OR dep_level EQUAL -1)
    list(APPEND failures "${target} (${folder}/) links ${dep} (${dep_folder}/): a folder missing from the order")
  elseif(NOT folder STREQUAL dep_folder AND NOT dep_level LESS level)
    list(APPEND failures "${target} (${folder}/) links ${dep} (${dep_folder}/), which is not below it")
  endif()
endforeach()

list(LENGTH edges count)
if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "layering: ${count} links checked, these break the order (README \"Layout\"):\n  ${text}")
endif()
message(STATUS "layering: ${count} links checked, each to its own folder or one below it")
