using System.Diagnostics.CodeAnalysis;

namespace PypiLocal.Core.IO;

/// <summary>Tells a write that failed for want of space (a full disk, a quota, a small tmpfs) from other I/O failures.</summary>
public static class DiskFull
{
    // ENOSPC and EDQUOT on Linux, where .NET puts the errno in HResult; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool Is([NotNullWhen(true)] Exception? exception) =>
        exception is IOException { HResult: NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull };
}
