# generate.cmake - writes what custos prints about itself into a file, at
# build time: a man page (custos x-man NAME), gzipped as Debian wants it, or
# the bash completion (custos x-completion).  The pages and the completion
# are made by the program from the same descriptions as its --help.
#
#   cmake -DCUSTOS=path/to/custos -DARGS="x-man;verify" -DOUT=custos-verify.1
#         [-DGZIP=ON] -P generate.cmake
execute_process(COMMAND ${CUSTOS} ${ARGS} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "custos ${ARGS} failed (${rc})")
endif()
if(GZIP)
  execute_process(COMMAND gzip -9nf ${OUT} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT} failed")
  endif()
endif()
