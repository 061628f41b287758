# pginit_precompile(target header...): precompile the third-party headers a
# target's files all parse (CLI11, nlohmann/json, GoogleTest are header-heavy:
# most of a test file's compile time is them). CI builds the tree three
# times from scratch (release, ASan, TSan), so this is most of its budget.
#
# Through a precompiled header GCC 12 no longer treats libstdc++'s headers as
# system headers for its middle-end warnings, so its known false positives on
# std::string copies (-Warray-bounds, -Wstringop-overflow/-overread at -O2+,
# GCC PR 105329 and kin) would fail the -Werror build; they are turned off for
# these targets only. ASan checks the same bounds at run time.
function(pginit_precompile target)
  if(PGINIT_PRECOMPILE)
    target_precompile_headers(${target} PRIVATE ${ARGN})
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread)
    endif()
  endif()
endfunction()
