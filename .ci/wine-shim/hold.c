/* hold.exe FILE MILLISECONDS [lock]: opens FILE as an editor or a virus
 * scanner may, sharing reading and writing but not deletion (with "lock",
 * also takes an exclusive LockFileEx lock on it, as another trello-auth
 * holds its lock file), says "holding" on stdout, and keeps it that long.
 * The Windows tests use it to check that trello-auth retries a save whose
 * target another program holds, says so when the hold lasts, and waits for
 * a lock another trello-auth holds. For the tests under Wine only.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv)
{
    HANDLE file;
    OVERLAPPED whole = {0};
    if (argc != 3 && !(argc == 4 && wcscmp(argv[3], L"lock") == 0)) {
        fprintf(stderr, "usage: hold FILE MILLISECONDS [lock]\n");
        return 2;
    }
    file = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "hold: cannot open the file (error %lu)\n", GetLastError());
        return 1;
    }
    if (argc == 4 && !LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &whole)) {
        fprintf(stderr, "hold: cannot lock the file (error %lu)\n", GetLastError());
        return 1;
    }
    printf("holding\n");
    fflush(stdout);
    Sleep((DWORD)_wtoi(argv[2]));
    CloseHandle(file);
    return 0;
}
