using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace BusRuntime.Testing;

/// <summary>
/// A TCP forwarder from a loopback port to a real server. <see cref="Cut"/> closes every connection
/// through it and refuses new ones, so the server looks gone to whoever connects through the proxy and
/// to nobody else; <see cref="Restore"/> accepts connections again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly int targetPort;
    private readonly ConcurrentDictionary<Socket, byte> sockets = new();
    private readonly Lock gate = new();
    private TcpListener? listener;
    private Task accepting = Task.CompletedTask;
    private volatile bool cut;

    private TcpProxy(int targetPort, int port)
    {
        this.targetPort = targetPort;
        Port = port;
    }

    public int Port { get; }

    public static TcpProxy Start(int targetPort)
    {
        var proxy = new TcpProxy(targetPort, FreePort.Next());
        proxy.Restore();
        return proxy;
    }

    /// <summary>Closes every forwarded connection and stops accepting new ones: connecting is refused.</summary>
    public void Cut()
    {
        lock (gate)
        {
            cut = true;
            listener?.Stop();
            listener = null;
        }

        foreach (var socket in sockets.Keys)
        {
            socket.Dispose();
        }
    }

    /// <summary>Accepts and forwards connections again.</summary>
    public void Restore()
    {
        lock (gate)
        {
            if (listener is not null)
            {
                return;
            }

            cut = false;
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            accepting = AcceptAsync(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task AcceptAsync(TcpListener accepted)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await accepted.AcceptSocketAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets[client] = 0;
        sockets[server] = 0;
        try
        {
            // Accepted just before a cut, registered just after it: Cut did not see these sockets.
            if (cut)
            {
                return;
            }

            await server.ConnectAsync(IPAddress.Loopback, targetPort);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The proxy was cut or a side hung up: the other side is closed below.
        }
        finally
        {
            sockets.TryRemove(client, out _);
            sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Cut, or one side hung up: ForwardAsync closes both.
        }
    }
}
