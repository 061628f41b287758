# pginit_set_warnings(target): the project's warning set, applied per target so
# that third-party headers (included as SYSTEM by their imported targets) stay quiet.
function(pginit_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference)
  if(PGINIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
