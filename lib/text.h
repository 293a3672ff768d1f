/*
 * text.h - converting metadata text between UTF-8 and the encodings EWF uses.
 *
 * Examiners type UTF-8 ("José Müller").  The EWF header2 section stores
 * UTF-16LE, the older header section a Windows code page; both conversions go
 * through the C library's iconv, which also rejects malformed UTF-8.
 *
 * Text that reaches a terminal from evidence, a custody log or a file name
 * is data, never control: cu_text_fput shows every control character
 * (C0, DEL, C1), every bidirectional control and every byte that is not
 * UTF-8 as a visible escape, and a backslash as two, so that the escaping
 * is unambiguous.  What people type is refused those characters at entry
 * (cu_text_check_xml), so that a name shows as it is stored.
 */
#ifndef CUSTOS_LIB_TEXT_H
#define CUSTOS_LIB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"

/*
 * Decodes the UTF-8 sequence at `s` into *cp; returns its length, or 0 when
 * it is not well-formed (overlong, a surrogate, past U+10FFFF, cut short).
 */
size_t cu_utf8_decode(const char *s, uint32_t *cp);

/* True when `s` is well-formed UTF-8. */
bool cu_text_is_utf8(const char *s);

/*
 * The length of the character at `s` when it is one XML 1.0 can hold and
 * people can read (no control character, no U+FFFE or U+FFFF); 0 otherwise.
 */
size_t cu_text_xml_char_length(const char *s);

/*
 * Checks that `s` is UTF-8 text of characters XML 1.0 can hold, so that
 * the custody log and the report can carry it, and that shows as it is
 * stored.  Tabs and line feeds are allowed when `line_breaks`; no other
 * control character is (C0, DEL, C1), nor a bidirectional control (U+061C,
 * U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which would reorder
 * how the text is displayed.  `what` names the option in the CU_EUSAGE
 * message.
 */
int cu_text_check_xml(const char *what, const char *s, bool line_breaks, struct cu_error *err);

/*
 * Writes `s` to `f` for a terminal: C0 controls, DEL and bytes that are
 * not UTF-8 as \xHH, C1 controls and bidirectional controls as \uHHHH, a
 * backslash as \\, everything else as it is.  False when the write fails.
 */
bool cu_text_fput(const char *s, FILE *f);

/*
 * `s` with every character that would hide or reorder text shown to people
 * (C0 controls but tab and line feed, DEL, C1 controls, bidirectional
 * controls) written visibly as [U+HHHH], and bytes that are not UTF-8 as
 * [0xHH]: a malloc'ed copy, or NULL when `s` holds none (or out of memory:
 * *failed then says so).
 */
char *cu_text_visible(const char *s, bool *failed);

/* Number of characters (code points) in well-formed UTF-8. */
size_t cu_text_length(const char *s);

/* UTF-8 to UTF-16LE without BOM; *out is malloc'ed, *len in bytes. */
int cu_text_to_utf16le(const char *utf8, uint8_t **out, size_t *len, struct cu_error *err);

/*
 * UTF-8 to Windows-1252; characters that code page lacks become their
 * nearest transliteration or '?', and *lossy says so.  *out is a malloc'ed
 * C string.
 */
int cu_text_to_cp1252(const char *utf8, char **out, bool *lossy, struct cu_error *err);

#endif
