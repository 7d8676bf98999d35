#include "CListWashICU.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uidna.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/ucasemap.h>

enum { STACK_UNITS = 512 };

/// UTF-8 -> UTF-16 into `buf` (or a heap buffer when it does not fit). Returns the length or -1.
static int32_t to_utf16(const char *in, int32_t length, UChar *buf, int32_t cap, UChar **heap) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    *heap = NULL;
    u_strFromUTF8(buf, cap, &n, in, length, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        *heap = malloc(sizeof(UChar) * (size_t)(n + 1));
        if (!*heap) return -1;
        status = U_ZERO_ERROR;
        u_strFromUTF8(*heap, n + 1, &n, in, length, &status);
    }
    return U_FAILURE(status) ? -1 : n;
}

/// UTF-16 -> UTF-8 into `out`. Returns the length, or minus the capacity needed.
static int32_t to_utf8(const UChar *in, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8(out, capacity, &n, in, length, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) {
        return status == U_BUFFER_OVERFLOW_ERROR ? -(n + 1) : n;
    }
    return U_FAILURE(status) ? -1 : n;
}

int32_t lw_icu_nfc(const char *in, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) return -1;
    UChar sbuf[STACK_UNITS], *heap = NULL;
    int32_t n = to_utf16(in, length, sbuf, STACK_UNITS, &heap);
    if (n < 0) return -1;
    const UChar *src = heap ? heap : sbuf;
    int32_t cap = n * 3 + 16;
    UChar *dst = malloc(sizeof(UChar) * (size_t)cap);
    int32_t result = -1;
    if (dst) {
        int32_t m = unorm2_normalize(nfc, src, n, dst, cap, &status);
        if (U_SUCCESS(status)) result = to_utf8(dst, m, out, capacity);
        free(dst);
    }
    free(heap);
    return result;
}

static _Thread_local UTransliterator *any_to_ascii = NULL;

static UTransliterator *ascii_transliterator(void) {
    if (any_to_ascii) return any_to_ascii;
    static const char *rules = "Any-Latin; Latin-ASCII; Lower";
    UChar id[64];
    int32_t idLength = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(id, 64, &idLength, rules, -1, &status);
    if (U_FAILURE(status)) return NULL;
    any_to_ascii = utrans_openU(id, idLength, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) { any_to_ascii = NULL; }
    return any_to_ascii;
}

int32_t lw_icu_fold_ascii(const char *in, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    if (U_FAILURE(status)) return -1;
    UChar sbuf[STACK_UNITS], *heap = NULL;
    int32_t n = to_utf16(in, length, sbuf, STACK_UNITS, &heap);
    if (n < 0) return -1;
    const UChar *src = heap ? heap : sbuf;

    // Decompose, then keep base letters; note whether anything but Latin and common text remains.
    int32_t cap = n * 4 + 16;
    UChar *work = malloc(sizeof(UChar) * (size_t)cap);
    if (!work) { free(heap); return -1; }
    int32_t m = unorm2_normalize(nfd, src, n, work, cap, &status);
    free(heap);
    if (U_FAILURE(status)) { free(work); return -1; }
    int32_t kept = 0;
    int needsTransliteration = 0;
    for (int32_t i = 0; i < m;) {
        UChar32 c;
        int32_t start = i;
        U16_NEXT(work, i, m, c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (c > 0x7F) needsTransliteration = 1;
        for (int32_t k = start; k < i; k++) work[kept++] = work[k];
    }
    int32_t result;
    if (!needsTransliteration) {
        UChar *folded = malloc(sizeof(UChar) * (size_t)(kept * 3 + 16));
        if (!folded) { free(work); return -1; }
        int32_t f = u_strFoldCase(folded, kept * 3 + 16, work, kept, U_FOLD_CASE_DEFAULT, &status);
        result = U_SUCCESS(status) ? to_utf8(folded, f, out, capacity) : -1;
        free(folded);
    } else {
        UTransliterator *t = ascii_transliterator();
        if (!t) { free(work); return -1; }
        int32_t limit = kept, textLength = kept;
        utrans_transUChars(t, work, &textLength, cap, 0, &limit, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            result = -1;
        } else {
            result = U_SUCCESS(status) ? to_utf8(work, textLength, out, capacity) : -1;
        }
    }
    free(work);
    return result;
}

int32_t lw_icu_idna_to_ascii(const char *in, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    static _Thread_local UIDNA *idna = NULL;
    if (!idna) {
        idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
                               &status);
        if (U_FAILURE(status)) { idna = NULL; return -1; }
    }
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t n = uidna_nameToASCII_UTF8(idna, in, length, out, capacity, &info, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) return -(n + 1);
    if (U_FAILURE(status) || info.errors != 0) return -1;
    return n;
}

int32_t lw_icu_title_case(const char *in, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    static _Thread_local UCaseMap *map = NULL;
    if (!map) {
        map = ucasemap_open("", U_TITLECASE_NO_BREAK_ADJUSTMENT, &status);
        if (U_FAILURE(status)) { map = NULL; return -1; }
    }
    int32_t n = ucasemap_utf8ToTitle(map, out, capacity, in, length, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) return -(n + 1);
    return U_FAILURE(status) ? -1 : n;
}

int32_t lw_icu_region_name(const char *region, const char *locale, char *out, int32_t capacity) {
    char tag[16];
    size_t len = strlen(region);
    if (len == 0 || len > 3) return -1;
    tag[0] = 'u'; tag[1] = 'n'; tag[2] = 'd'; tag[3] = '_';
    memcpy(tag + 4, region, len);
    tag[4 + len] = 0;
    UChar name[128];
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayCountry(tag, locale, name, 128, &status);
    if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || n == 0) return -1;
    return to_utf8(name, n, out, capacity);
}

int32_t lw_icu_iso_countries(char *out, int32_t capacity) {
    const char *const *codes = uloc_getISOCountries();
    int32_t n = 0;
    for (int32_t i = 0; codes && codes[i]; i++) {
        size_t len = strlen(codes[i]);
        if (n + (int32_t)len + 1 > capacity) return -(n + (int32_t)len + 1024);
        if (n > 0) out[n++] = ',';
        memcpy(out + n, codes[i], len);
        n += (int32_t)len;
    }
    return n;
}

int32_t lw_icu_iso3_country(const char *region, char *out, int32_t capacity) {
    char tag[16];
    size_t len = strlen(region);
    if (len == 0 || len > 3) return -1;
    memcpy(tag, "und_", 4);
    memcpy(tag + 4, region, len);
    tag[4 + len] = 0;
    const char *iso3 = uloc_getISO3Country(tag);
    size_t n = iso3 ? strlen(iso3) : 0;
    if (n == 0) return -1;
    if ((int32_t)n > capacity) return -((int32_t)n + 1);
    memcpy(out, iso3, n);
    return (int32_t)n;
}
