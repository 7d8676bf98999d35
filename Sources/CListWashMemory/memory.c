// The module's only function is inline in its header; this file gives SwiftPM a source to build.
#include "CListWashMemory.h"
