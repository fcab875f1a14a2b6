/* Labels as text for the report formats (see label_text.h). */
#include "label_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t tm_utf8_len(const unsigned char *s, uint32_t *cp) {
    const unsigned char c = s[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return c ? 1 : 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; ++i) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid */
    if (v < min || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0;
    *cp = v;
    return n;
}

int tm_cp_width(uint32_t cp) {
    /* combining marks and zero-width characters */
    static const uint32_t zero[][2] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
                                       {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF},
                                       {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
                                       {0xFE20, 0xFE2F}};
    /* East Asian wide and fullwidth, and emoji */
    static const uint32_t wide[][2] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},  {0x3400, 0x4DBF},
                                       {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},  {0xF900, 0xFAFF},
                                       {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},  {0x1F300, 0x1F64F},
                                       {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; ++i)
        if (cp >= zero[i][0] && cp <= zero[i][1]) return 0;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; ++i)
        if (cp >= wide[i][0] && cp <= wide[i][1]) return 2;
    return 1;
}

/* True when s (at a space) is followed only by a number up to the end. */
static int tm_trailing_number(const char *s) {
    const char *p = s + 1;
    if (!(*p >= '0' && *p <= '9')) return 0;
    while ((*p >= '0' && *p <= '9') || *p == '.') ++p;
    return *p == '\0';
}

char *tm_label_display(const char *label, int flags, size_t *width) {
    if (!label) label = "";
    const size_t len = strlen(label);
    char *out = malloc(4 * len + 1); /* worst case: every byte as \xNN */
    if (!out) return NULL;
    size_t k = 0, cols = 0;
    for (const unsigned char *s = (const unsigned char *)label; *s;) {
        uint32_t cp = 0;
        size_t n = tm_utf8_len(s, &cp);
        const char *esc = NULL;
        if (n == 1 && cp < 0x20) {
            esc = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : NULL;
        } else if (n == 1 && cp == 0x7F) {
            n = 0; /* DEL: shown as \x7f */
        } else if ((flags & TM_ESC_FOLDED) && n == 1 &&
                   (cp == ';' || (cp == ' ' && tm_trailing_number((const char *)s)))) {
            n = 0; /* \x3b, \x20 */
        }
        if (n == 1 && cp < 0x20 && !esc) n = 0;
        if (esc) {
            memcpy(out + k, esc, 2);
            k += 2, cols += 2, s += 1;
        } else if (n == 0) {
            k += (size_t)snprintf(out + k, 5, "\\x%02x", *s);
            cols += 4, s += 1;
        } else {
            memcpy(out + k, s, n);
            k += n, s += n;
            cols += (size_t)tm_cp_width(cp);
        }
    }
    out[k] = '\0';
    if (width) *width = cols;
    return out;
}

/* The one JSON string escaper; `replace` picks what an invalid UTF-8 byte
 * becomes: U+FFFD (and false returned) or the text \xNN. */
static bool tm_json_write_string_as(FILE *out, const char *s, bool replace) {
    bool exact = true;
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        uint32_t cp = 0;
        size_t n = tm_utf8_len(p, &cp);
        if (n == 0) {
            if (replace)
                fputs("\xef\xbf\xbd", out);
            else
                fprintf(out, "\\\\x%02x", *p);
            exact = false;
            ++p;
        } else if (cp == '"' || cp == '\\') {
            fprintf(out, "\\%c", (int)cp);
            ++p;
        } else if (cp == '\n') {
            fputs("\\n", out), ++p;
        } else if (cp == '\t') {
            fputs("\\t", out), ++p;
        } else if (cp == '\r') {
            fputs("\\r", out), ++p;
        } else if (cp < 0x20 || cp == 0x7F) {
            fprintf(out, "\\u%04x", (unsigned)cp), ++p;
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
    fputc('"', out);
    return exact;
}

void tm_json_write_string(FILE *out, const char *s) { (void)tm_json_write_string_as(out, s, false); }

bool tm_json_write_string_replacing(FILE *out, const char *s) { return tm_json_write_string_as(out, s, true); }

void tm_json_write_number(FILE *out, double v) {
    if (!isfinite(v)) v = 0.0;
    fprintf(out, "%.17g", v);
}

void tm_xml_write_text(FILE *out, const char *s) {
    char *d = tm_label_display(s, 0, NULL);
    for (const char *p = d ? d : ""; *p; ++p) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fputc(*p, out);
        }
    }
    free(d);
}
