# embed.cmake - turns a file into a C header holding its bytes:
#   cmake -DIN=file -DOUT=header.h -DNAME=symbol -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${OUT}" "/* generated from ${IN}; do not edit */\n"
  "static const unsigned char ${NAME}[] = {${bytes}};\n"
  "static const unsigned long ${NAME}_len = ${len};\n")
