# install.cmake - what `cmake --install` puts where, and the Debian package
# `cpack -G DEB` makes of it.
#
#   bin/custos
#   share/man/man1/custos.1.gz, custos-acquire.1.gz, ...   made by custos itself
#   share/bash-completion/completions/custos                 made by custos itself
#   share/custos/custos-report.xsd                          the report's schema
#   share/doc/custos/README.md, COPYING, copyright, changelog.gz
#
# The man pages and the completion come from the commands' own descriptions
# (cli/builtin_man.c, cli/builtin_completion.c), so that they cannot disagree with
# --help.  The package's dependencies are computed from the shared libraries
# custos links (dpkg-shlibdeps).
include(GNUInstallDirs)

set(CUSTOS_MAN_PAGES custos acquire verify info export mount protect repair convert custody report devices)
set(CUSTOS_GENERATED)
foreach(page ${CUSTOS_MAN_PAGES})
  if(page STREQUAL "custos")
    set(name custos)
  else()
    set(name custos-${page})
  endif()
  set(out ${CMAKE_BINARY_DIR}/man/${name}.1)
  add_custom_command(
    OUTPUT ${out}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -DCUSTOS=$<TARGET_FILE:custos> "-DARGS=x-man\\;${page}" -DOUT=${out}
            -DGZIP=ON -P ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
    DEPENDS custos ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
    COMMENT "custos x-man ${page}")
  list(APPEND CUSTOS_GENERATED ${out}.gz)
endforeach()
set(CUSTOS_COMPLETION ${CMAKE_BINARY_DIR}/completion/custos)
add_custom_command(
  OUTPUT ${CUSTOS_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/completion
  COMMAND ${CMAKE_COMMAND} -DCUSTOS=$<TARGET_FILE:custos> -DARGS=x-completion
          -DOUT=${CUSTOS_COMPLETION} -P ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
  DEPENDS custos ${CMAKE_SOURCE_DIR}/packaging/generate.cmake
  COMMENT "custos x-completion")
# a native package: its changelog is changelog.gz
set(CUSTOS_CHANGELOG ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_command(
  OUTPUT ${CUSTOS_CHANGELOG}
  COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/packaging/changelog > ${CUSTOS_CHANGELOG}
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/changelog)
add_custom_target(custos_docs ALL DEPENDS ${CUSTOS_GENERATED} ${CUSTOS_COMPLETION}
                                          ${CUSTOS_CHANGELOG})

set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(TARGETS custos RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CUSTOS_GENERATED} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CUSTOS_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_SOURCE_DIR}/report/custos-report.xsd
        DESTINATION ${CMAKE_INSTALL_DATADIR}/custos)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/COPYING
              ${CMAKE_SOURCE_DIR}/packaging/copyright ${CUSTOS_CHANGELOG}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME custos)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "custos developers <custos@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "forensic acquisition into EWF-E01 with chain of custody")
# the extended description; the synopsis is the summary above
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "custos images drives, files and streams into EWF-E01 evidence (the EnCase
layout EnCase, FTK, Autopsy, The Sleuth Kit and libewf read), with the MD5
and SHA-256 of the media computed in the same pass as the read. It survives
bad sectors with sector-exact accounting, resumes interrupted acquisitions,
re-proves evidence from any tool (E01, AFF4, raw), serves it read-only
through FUSE with every chunk checked as it is read, keeps a tamper-evident
custody log beside the evidence and writes the XML report a court bundle
needs.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gddrescue, fuse3, par2, smartmontools, libcurl4 | libcurl3-gnutls") # acquire --rescue runs it; mount unmounts with fusermount3; protect and repair run par2; acquire asks smartctl for SMART; --tsa loads libcurl
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "ewf-tools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS})
include(CPack)
