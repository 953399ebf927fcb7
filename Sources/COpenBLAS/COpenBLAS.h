// CBLAS from Debian's OpenBLAS (pthread flavour); pkg-config supplies the include path.
#ifndef FILMSR_COPENBLAS_H
#define FILMSR_COPENBLAS_H
#include <cblas.h>
#endif
