namespace BusRuntime.AppCallback.Http;

/// <summary>The named client of IHttpClientFactory that calls an HTTP app (<c>--app-protocol http</c>) on its port.</summary>
public static class HttpAppClient
{
    public const string Name = "busruntime-http-app";

    /// <summary>The header that tells the app which app called it, as daprd sets it.</summary>
    public const string CallerAppIdHeader = "dapr-caller-app-id";
}
