using CsCheck;

namespace CorsKit.Reliability.Tests.Origins;

/// <summary>CsCheck generators of genuine origins and their lookalikes.</summary>
public static class OriginGenerators
{
    private static readonly Gen<string> Label = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 10].Select(c => new string(c));
    private static readonly Gen<string> Labels = Label.Array[1, 3].Select(labels => string.Join('.', labels));
    private static readonly Gen<string> Digits = Gen.Char["0123456789"].Array[1, 5].Select(c => new string(c));
    private static readonly Gen<string> Letters = Gen.Char["abcdefghijklmnopqrstuvwxyz"].Array[1, 8].Select(c => new string(c));

    private static readonly Gen<string> FromTemplate = Gen.Select(Gen.OneOf(OriginEntries.Templates), Labels, Digits, Letters, (template, labels, digits, letters) =>
        template.Replace("{label}", labels, StringComparison.Ordinal)
            .Replace("{digits}", digits, StringComparison.Ordinal)
            .Replace("{letters}", letters, StringComparison.Ordinal));

    /// <summary>An origin exactly as a browser sends it, that genuinely matches one configured entry (or is a wildcard's apex).</summary>
    public static readonly Gen<string> Genuine = Gen.Frequency((3, Gen.OneOf(OriginEntries.Serialized)), (2, FromTemplate));

    private static readonly Gen<MutationStep> Step = Gen.Select(Gen.Enum<Mutation>(), Gen.Int[0, 4095], Gen.Int[0, 4095], (kind, position, pick) => new MutationStep(kind, position, pick));

    /// <summary>A genuine origin with zero (one case in eight) to three mutations.</summary>
    public static readonly Gen<Lookalike> Lookalike = Gen.Select(
        Genuine,
        Gen.Frequency((1, Gen.Const(Array.Empty<MutationStep>())), (7, Step.Array[1, 3])),
        Genuine,
        (seed, steps, other) => new Lookalike(seed, steps, other));
}
