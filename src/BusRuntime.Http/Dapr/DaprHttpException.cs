namespace BusRuntime.Http.Dapr;

/// <summary>A request the HTTP façade refuses before any primitive runs, with the status and error code Dapr gives it.</summary>
public sealed class DaprHttpException(int statusCode, string errorCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;
}
