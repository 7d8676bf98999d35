#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uidna.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
