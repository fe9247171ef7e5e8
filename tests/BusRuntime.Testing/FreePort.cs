using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace BusRuntime.Testing;

/// <summary>
/// Finds loopback ports nobody listens on, so each test's sidecars and apps get their own. They come from
/// below Linux's ephemeral range (32768 and up), where outgoing connections take their local ports: a
/// port picked there could be taken by a connection to the broker before the test binds it.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32767;
    private const int StartAttempts = 3;

    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(First, Last + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/>, which picks its ports with <see cref="Next"/>, again with new ports
    /// when another process bound one between the pick and the start.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (IOException exception) when (exception.InnerException is AddressInUseException && attempt < StartAttempts)
            {
                // Picked, then taken by someone else before the bind: pick again.
            }
        }
    }
}
