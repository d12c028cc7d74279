using CorsKit.Demo;

// The CorsKit demo: an API on http://127.0.0.1:5080 whose policies allow the page origin http://127.0.0.1:5081.
// Change either with: dotnet run --project samples/CorsKit.Demo -- --api http://127.0.0.1:6080 --page http://127.0.0.1:6081
var app = DemoApp.Build(args);
app.Run();
