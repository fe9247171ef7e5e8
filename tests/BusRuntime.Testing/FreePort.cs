using System.Net;
using System.Net.Sockets;

namespace BusRuntime.Testing;

/// <summary>Finds loopback ports nobody listens on, so each test's sidecars and apps get their own.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
