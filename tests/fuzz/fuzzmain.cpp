// SPDX-License-Identifier: GPL-2.0-or-later
// One libFuzzer executable: STRATA_FUZZ_BODY names the target's body (CMakeLists.txt).
#include "tests/fuzz/fuzztargets.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    strata::fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    STRATA_FUZZ_BODY(data, size);
    return 0;
}
