using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CorsKit.AspNetCore.Headers;

/// <summary>Adds <see cref="ActionResultHeaderFilter"/> to MVC's global filters; resolved only by apps that use MVC.</summary>
internal sealed class ActionResultHeaderFilterSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options) => options.Filters.Add(new ActionResultHeaderFilter());
}
