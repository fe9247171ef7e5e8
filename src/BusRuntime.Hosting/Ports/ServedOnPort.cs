namespace BusRuntime.Hosting.Ports;

/// <summary>
/// Endpoint metadata: the local port whose surface the endpoint belongs to. <see cref="LocalPortMatcherPolicy"/>
/// serves it only to connections that arrived on that port.
/// </summary>
public sealed record ServedOnPort(int Port);
