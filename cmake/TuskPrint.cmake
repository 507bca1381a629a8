# Small wrappers so that each folder's CMakeLists.txt stays a few lines long.

set(TUSKPRINT_WARNINGS -Wall -Wextra -Wno-unused-parameter)

function(tuskprint_apply_common target)
  target_compile_options(${target} PRIVATE ${TUSKPRINT_WARNINGS})
  if(TUSKPRINT_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# tuskprint_add_library(NAME SOURCES a.cpp b.cpp DEPS x y [PRIVATE_DEPS z])
# Builds a static library whose public headers sit beside its sources; include them as
# "<folder>/<header>.hpp" relative to engine/ (or the repository root for datasets/).
function(tuskprint_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/engine ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  tuskprint_apply_common(${name})
  set_property(GLOBAL APPEND PROPERTY TUSKPRINT_LIBRARIES ${name})
endfunction()

# tuskprint_add_executable(NAME SOURCES ... DEPS ...): lands in build/bin.
function(tuskprint_add_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  tuskprint_apply_common(${name})
endfunction()

# tuskprint_add_test(NAME SOURCES ... DEPS ... [LABELS ...]): one GoogleTest binary,
# its cases registered with CTest. Tests run with the repository root as working
# directory and TUSKPRINT_SHARED pointing at ../shared (tests skip when it is absent).
function(tuskprint_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    TUSKPRINT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    TUSKPRINT_BINARY_DIR="${CMAKE_BINARY_DIR}")
  tuskprint_apply_common(${name})
  set(properties ENVIRONMENT "TUSKPRINT_SHARED=${CMAKE_SOURCE_DIR}/../shared")
  if(ARG_LABELS)
    list(APPEND properties LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    DISCOVERY_TIMEOUT 60
    PROPERTIES ${properties})
endfunction()

# Adds every immediate subfolder that has a CMakeLists.txt, in name order.
function(tuskprint_add_subfolders)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child IN LISTS children)
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
       AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()

# tuskprint_protobuf_library(NAME ROOT <import root> PROTOS <files> [GRPC | GRPC_ONLY] [DEPS ...])
# Generates C++ messages (GRPC: and service stubs; GRPC_ONLY: the stubs alone, the messages
# coming from a library in DEPS) into the build tree and builds a static library.
function(tuskprint_protobuf_library name)
  cmake_parse_arguments(ARG "GRPC;GRPC_ONLY" "ROOT" "PROTOS;DEPS" ${ARGN})
  if(ARG_GRPC_ONLY)
    set(ARG_GRPC ON)
  endif()
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${gen_dir})
  set(srcs)
  foreach(proto IN LISTS ARG_PROTOS)
    file(RELATIVE_PATH rel ${ARG_ROOT} ${proto})
    string(REGEX REPLACE "\\.proto$" "" rel ${rel})
    set(outputs ${gen_dir}/${rel}.pb.cc ${gen_dir}/${rel}.pb.h)
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outputs ${gen_dir}/${rel}.grpc.pb.cc ${gen_dir}/${rel}.grpc.pb.h)
      set(plugin_args --grpc_out=${gen_dir} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc --cpp_out=${gen_dir} ${plugin_args} -I ${ARG_ROOT} ${proto}
      DEPENDS ${proto} protobuf::protoc
      COMMENT "protoc ${rel}.proto" VERBATIM)
    if(NOT ARG_GRPC_ONLY)
      list(APPEND srcs ${gen_dir}/${rel}.pb.cc)
    endif()
    if(ARG_GRPC)
      list(APPEND srcs ${gen_dir}/${rel}.grpc.pb.cc)
    endif()
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} SYSTEM PUBLIC ${gen_dir})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC PkgConfig::GRPCPP)
  endif()
endfunction()
