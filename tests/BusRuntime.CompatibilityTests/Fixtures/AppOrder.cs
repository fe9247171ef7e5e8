namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>The body the ASP.NET test app's routes take and give.</summary>
public sealed record AppOrder(string Id, int Quantity);
