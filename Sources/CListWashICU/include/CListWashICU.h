#ifndef CLISTWASHICU_H
#define CLISTWASHICU_H

#include <stdint.h>

// ICU wrappers with an ICU-free interface: UTF-8 in, UTF-8 out.
// Each returns the length written to `out` (not NUL-terminated), or -1 when the input is not
// valid UTF-8, ICU failed, or `capacity` is too small (callers retry with a larger buffer when
// the returned value is less than -1: it is then minus the capacity needed).

/// Unicode NFC normalization.
int32_t lw_icu_nfc(const char *in, int32_t length, char *out, int32_t capacity);

/// Folds any script to lower-case ASCII: NFD, remove marks, case fold for Latin text, and
/// ICU's "Any-Latin; Latin-ASCII" transliteration for other scripts.
int32_t lw_icu_fold_ascii(const char *in, int32_t length, char *out, int32_t capacity);

/// IDNA 2008 (UTS #46, non-transitional) domain name to ASCII (punycode, "xn--").
/// Returns -1 when the name has IDNA errors.
int32_t lw_icu_idna_to_ascii(const char *in, int32_t length, char *out, int32_t capacity);

/// Title-cases words with ICU's root-locale rules (each word's first letter upper case, the
/// rest lower case).
int32_t lw_icu_title_case(const char *in, int32_t length, char *out, int32_t capacity);

/// The display name ICU's English locale data gives to an ISO 3166 region code ("DE" ->
/// "Germany"); `locale` picks the language ("de" gives "Deutschland").
int32_t lw_icu_region_name(const char *region, const char *locale, char *out, int32_t capacity);

/// The ISO 3166 alpha-2 region codes ICU knows, joined with ',' ("AD,AE,AF,...").
int32_t lw_icu_iso_countries(char *out, int32_t capacity);

/// The ISO 3166 alpha-3 code of an alpha-2 region code ("DE" -> "DEU").
int32_t lw_icu_iso3_country(const char *region, char *out, int32_t capacity);

#endif
