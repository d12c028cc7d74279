namespace CorsKit.AspNetCore;

/// <summary>
/// The current value of something that is replaced whole, never edited in place (the policy set, when configuration
/// reloads). A reader takes <see cref="Current"/> once and works with it: it sees the old value or the new one, never a
/// mix of both, and never waits for a writer.
/// </summary>
/// <typeparam name="T">An immutable type.</typeparam>
internal sealed class Snapshot<T>(T initial)
    where T : class
{
    private T _current = initial;

    /// <summary>The value now.</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="next"/> the value every later read sees.</summary>
    public void Replace(T next) => Volatile.Write(ref _current, next);
}
