# Interface target carrying the project's warning flags; every first-party target links it.
add_library(airlock_warnings INTERFACE)
target_compile_options(airlock_warnings INTERFACE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
if(AIRLOCK_WERROR)
    target_compile_options(airlock_warnings INTERFACE -Werror)
endif()
