using Microsoft.AspNetCore.Mvc.Filters;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// Runs before every other result filter: writes the headers of an <see cref="ActionResultWithHeaders"/> and puts the inner
/// result back in its place, so MVC's own filters (such as [ApiController]'s client-error ProblemDetails, order -2000) see
/// the result the action meant. The headers are on the response by then; an exception before it starts clears them.
/// </summary>
internal sealed class ActionResultHeaderFilter : IAlwaysRunResultFilter, IOrderedFilter
{
    public int Order => int.MinValue + 1000;

    public void OnResultExecuting(ResultExecutingContext context)
    {
        while (context.Result is ActionResultWithHeaders withHeaders)
        {
            HeaderField.CopyTo(withHeaders.Headers, context.HttpContext.Response.Headers);
            context.Result = withHeaders.Result;
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
