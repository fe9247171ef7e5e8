namespace BusRuntime.Core.Metadata;

/// <summary>How the sidecar reaches its app, as Dapr's metadata reports it (appConnectionProperties).</summary>
public sealed record AppConnection(int Port, string Protocol, string ChannelAddress);
