using CorsKit.E2eHost;

// dotnet CorsKit.E2eHost.dll --mode none|microsoft|corskit|bystander [--hang-ms 30000] --urls http://127.0.0.1:5301
var app = E2eApp.Build(args);
app.Run();
