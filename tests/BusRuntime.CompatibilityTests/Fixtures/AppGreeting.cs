namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>What the ASP.NET test app's GET /hello/{name} answers: the greeting, the query's lang and the caller's app id.</summary>
public sealed record AppGreeting(string Text, string Lang, string Caller);
