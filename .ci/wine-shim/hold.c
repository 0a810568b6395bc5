/* hold.exe FILE MILLISECONDS: opens FILE as an editor or a virus scanner
 * may, sharing reading and writing but not deletion, says "holding" on
 * stdout, and keeps it open that long. The Windows tests use it to check
 * that trello-auth retries a save whose target another program holds, and
 * says so when the hold lasts. For the tests under Wine only.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv)
{
    HANDLE file;
    if (argc != 3) {
        fprintf(stderr, "usage: hold FILE MILLISECONDS\n");
        return 2;
    }
    file = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "hold: cannot open the file (error %lu)\n", GetLastError());
        return 1;
    }
    printf("holding\n");
    fflush(stdout);
    Sleep((DWORD)_wtoi(argv[2]));
    CloseHandle(file);
    return 0;
}
