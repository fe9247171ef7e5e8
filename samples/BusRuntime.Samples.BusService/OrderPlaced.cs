namespace BusRuntime.Samples.BusService;

/// <summary>The JSON payload of the events this service publishes.</summary>
public sealed record OrderPlaced(int OrderNumber, DateTimeOffset PlacedAt);
