namespace CorsKit.Origins;

/// <summary>A string an origin pattern is meant to match (<see cref="RegexSample"/>), with where each character came from.</summary>
/// <param name="Text">The sample.</param>
/// <param name="Classes">
/// For each character of <paramref name="Text"/>: the part of the pattern that chose it when that part can match other
/// characters too (a class such as <c>[.-]</c>, an escape such as <c>\W</c>, a quantified <c>.</c>); <see langword="null"/>
/// for a literal.
/// </param>
internal sealed record RegexSampleText(string Text, IReadOnlyList<Range?> Classes);
