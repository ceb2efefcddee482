# llhttp is built from the C sources Debian ships in package node-llhttp; nothing is vendored.
set(LLHTTP_SOURCE_DIR "/usr/share/llhttp" CACHE PATH "Folder holding llhttp's api.c, http.c, llhttp.c")
set(LLHTTP_INCLUDE_DIR "/usr/share/include/llhttp" CACHE PATH "Folder holding llhttp.h")
if(NOT EXISTS "${LLHTTP_SOURCE_DIR}/llhttp.c" OR NOT EXISTS "${LLHTTP_INCLUDE_DIR}/llhttp.h")
    message(FATAL_ERROR "llhttp sources not found (install Debian package node-llhttp)")
endif()
add_library(llhttp STATIC
    ${LLHTTP_SOURCE_DIR}/api.c
    ${LLHTTP_SOURCE_DIR}/http.c
    ${LLHTTP_SOURCE_DIR}/llhttp.c)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
set_target_properties(llhttp PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE ON)
