using System.Runtime.InteropServices;

namespace Pigsty.Appliance.Core.Processes;

/// <summary>POSIX kill(2): .NET can only SIGKILL a process, and a polite stop needs SIGTERM first.</summary>
internal static partial class NativeSignals
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false when the process is already gone.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Sends SIGKILL; false when the process is already gone.</summary>
    public static bool ForceKill(int pid) => Kill(pid, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
