using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Commands;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>The sidecar the console talks to: one channel for the console's life, every call with the tokens it was started with.</summary>
public sealed class ConsoleSidecar : IDisposable
{
    private readonly GrpcChannel channel;

    public ConsoleSidecar(Uri address, SidecarTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Address = address;
        Tokens = tokens;
        channel = GrpcChannel.ForAddress(address);
        var invoker = tokens.Invoker(channel);
        Operations = new Operations.OperationsClient(invoker);
        Runtime = new Runtime.RuntimeClient(invoker);
    }

    public Uri Address { get; }

    public SidecarTokens Tokens { get; }

    public Operations.OperationsClient Operations { get; }

    /// <summary>For TerminateWorkflow only: the one operation the Operations API leaves to the app's API.</summary>
    public Runtime.RuntimeClient Runtime { get; }

    public void Dispose() => channel.Dispose();
}
