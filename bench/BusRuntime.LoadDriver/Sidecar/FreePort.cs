using System.Net;
using System.Net.Sockets;

namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Finds loopback ports nobody listens on, so a run never collides with a sidecar already running.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
