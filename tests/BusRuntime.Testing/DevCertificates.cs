namespace BusRuntime.Testing;

/// <summary>
/// The throwaway CA and server certificate scripts/dev-services.sh makes for the RabbitMQ and PostgreSQL TLS
/// listeners (127.0.0.1, ::1, localhost), as copied into this checkout's .dev/tls/.
/// </summary>
public static class DevCertificates
{
    /// <summary>The CA that signed the servers' certificate.</summary>
    public static string CaPath => File("ca.pem");

    /// <summary>The servers' certificate, also good for a sidecar on 127.0.0.1.</summary>
    public static string ServerCertificatePath => File("server.pem");

    /// <summary>The servers' private key (unencrypted PEM).</summary>
    public static string ServerKeyPath => File("server.key");

    private static string File(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "BusRuntime.sln")))
            {
                var path = Path.Combine(directory.FullName, ".dev", "tls", name);
                return System.IO.File.Exists(path)
                    ? path
                    : throw new InvalidOperationException($"{path} does not exist: run `bash scripts/dev-services.sh`, which makes it, and run the tests again.");
            }
        }

        throw new InvalidOperationException($"No BusRuntime.sln above {AppContext.BaseDirectory}.");
    }
}
