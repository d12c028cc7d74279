// Serves wwwroot as MapStaticAssets does; the tests host the same manifests in their own app, behind CorsKit.
var app = WebApplication.CreateBuilder(args).Build();
app.MapStaticAssets();
app.Run();
