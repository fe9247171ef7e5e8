using BusRuntime.Protos.Dapr.Common.V1;

namespace BusRuntime.Testing;

/// <summary>One OnInvoke call an <see cref="InvokeApp"/> received: the request, its text headers and its deadline (UTC).</summary>
public sealed record ReceivedInvocation(InvokeRequest Request, IReadOnlyDictionary<string, string> Headers, DateTime Deadline);
