# airlock_module(<target> SOURCES … [PUBLIC libs…] [PRIVATE libs…])
# One static library per folder of service/ and shared/. Its headers are found as
# "<folder>/Name.h" only by targets that link it: the library's include root is a folder in the
# build tree holding a single link, <folder> -> this source folder. So an include that points
# up or sideways (a library including a folder it does not link) fails to compile, and the
# links below are the dependency graph, stated once.
function(airlock_module name)
    cmake_parse_arguments(M "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(${name} STATIC ${M_SOURCES})
    get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
    set(root ${PROJECT_BINARY_DIR}/modules/${name})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
    target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${root}>)
    target_link_libraries(${name} PUBLIC ${M_PUBLIC} PRIVATE airlock_warnings ${M_PRIVATE})
    set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
