using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// Calls the static <see cref="IEndpointMetadataProvider.PopulateMetadata"/> of a wrapped result type when it has one; the
/// wrapper's type parameter cannot be constrained to it, since most results provide no metadata.
/// </summary>
internal static class InnerResultMetadata
{
    private static readonly MethodInfo PopulateMethod = typeof(InnerResultMetadata).GetMethod(nameof(PopulateFrom), BindingFlags.Static | BindingFlags.NonPublic)!;

    public static void Populate<TResult>(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(builder);
        if (typeof(IEndpointMetadataProvider).IsAssignableFrom(typeof(TResult)))
        {
            PopulateMethod.MakeGenericMethod(typeof(TResult)).Invoke(null, [method, builder]);
        }
    }

    private static void PopulateFrom<TResult>(MethodInfo method, EndpointBuilder builder)
        where TResult : IEndpointMetadataProvider => TResult.PopulateMetadata(method, builder);
}
