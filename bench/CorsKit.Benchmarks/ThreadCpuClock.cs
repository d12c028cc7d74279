using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace CorsKit.Benchmarks;

/// <summary>
/// A clock that counts only the CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>, nanoseconds), so
/// the time the benchmark thread spends descheduled while other processes run is not counted. The machines this suite
/// runs on are shared by several builds at once; wall-clock iterations then vary by tens of percent. The measured code
/// is synchronous and single-threaded, so its CPU time is its cost. Not available elsewhere: the suite then uses
/// BenchmarkDotNet's usual wall clock.
/// </summary>
public sealed partial class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static ThreadCpuClock Instance { get; } = new();

    public string Title => "thread CPU time (CLOCK_THREAD_CPUTIME_ID)";

    public bool IsAvailable => OperatingSystem.IsLinux() && Read(out _);

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp() => Read(out var ns) ? ns : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");

    private static bool Read(out long nanoseconds)
    {
        var ok = ClockGetTime(ClockThreadCpuTimeId, out var time) == 0;
        nanoseconds = (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        return ok;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
