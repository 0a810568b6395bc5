/* Wine 8.0 has no bcryptprimitives.dll, and Rust's standard library imports
 * ProcessPrng from it for its random numbers (HashMap keys, and getrandom):
 * without it a Rust .exe does not load (c0000135). This DLL, put beside the
 * .exe, gives ProcessPrng as Windows documents it (fill a buffer, always
 * TRUE) on advapi32's RtlGenRandom (exported as SystemFunction036), which
 * Wine has. For the Windows tests under Wine only; never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG piece = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        length -= piece;
    }
    return TRUE;
}
