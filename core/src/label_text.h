/* Labels as text for the report formats: UTF-8 decoding, display width, and
 * the escapes each format needs so any label (quotes, backslashes, control
 * characters, ';', spaces, invalid UTF-8) stays one well-formed field. */
#ifndef TIMEMORY_LABEL_TEXT_H
#define TIMEMORY_LABEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length (1-4) of the valid UTF-8 sequence at `s` and its code point in *cp;
 * 0 when s[0] starts no valid sequence (an invalid byte). */
size_t tm_utf8_len(const unsigned char *s, uint32_t *cp);

/* Terminal columns of code point `cp`: 0 (combining), 1, or 2 (wide/CJK/emoji). */
int tm_cp_width(uint32_t cp);

/* Display form of a label; control characters become \n, \t, \r or \xNN, an
 * invalid UTF-8 byte \xNN; with TM_ESC_FOLDED also ';' becomes \x3b and a
 * space before a trailing number \x20 (so a folded-stack frame never splits).
 * Returns a malloc'd string (NULL when out of memory); *width (if not NULL)
 * receives its display width in terminal columns. */
enum { TM_ESC_FOLDED = 1 };
char *tm_label_display(const char *label, int flags, size_t *width);

/* `s` as a JSON string: quotes, backslashes and control characters escaped,
 * invalid UTF-8 bytes written as the text \xNN. */
void tm_json_write_string(FILE *out, const char *s);
/* Same, but invalid UTF-8 bytes become U+FFFD; returns false if any did (the
 * profile writer then adds the exact bytes as "label_hex"). */
bool tm_json_write_string_replacing(FILE *out, const char *s);
/* A finite JSON number (%.17g); NaN and infinities, which JSON lacks, as 0. */
void tm_json_write_number(FILE *out, double v);

/* `s` as XML character data (display form, then & < > " ' escaped). */
void tm_xml_write_text(FILE *out, const char *s);

#endif /* TIMEMORY_LABEL_TEXT_H */
