using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Invoke;

/// <summary>The checks a call passes before it reaches the bus; each failure names its field.</summary>
public static class InvokeValidation
{
    /// <summary>The verbs an app may pass on as its HTTPExtension (Dapr's list).</summary>
    public static IReadOnlyList<string> HttpVerbs { get; } = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    public static void EnsureValid(InvokeCall call, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (string.IsNullOrEmpty(call.AppId))
        {
            throw RuntimeException.InvalidArgument("app_id is empty; name the app to invoke.");
        }

        if (!Names.IsValidAppId(call.AppId))
        {
            throw RuntimeException.InvalidArgument($"app_id {Quoted.Of(call.AppId)} must match {Names.AppIdPattern} (letters, digits, '-' and '_', at most 48 characters).");
        }

        if (string.IsNullOrEmpty(call.Method))
        {
            throw RuntimeException.InvalidArgument($"method is empty; name the method of app '{call.AppId}' to invoke.");
        }

        if (call.HttpVerb.Length > 0 && !HttpVerbs.Contains(call.HttpVerb, StringComparer.OrdinalIgnoreCase))
        {
            throw RuntimeException.InvalidArgument($"http_verb {Quoted.Of(call.HttpVerb)} is not one of: {string.Join(", ", HttpVerbs)} (or empty).");
        }

        if (call.Data.Length > maxPayloadBytes)
        {
            throw RuntimeException.InvalidArgument($"data is {call.Data.Length} bytes, over the maximum of {maxPayloadBytes} bytes (BusRuntime:MaxPayloadBytes).");
        }

        foreach (var (key, value) in call.Metadata)
        {
            if (InvokeHeaders.Problem(key, value) is { } problem)
            {
                throw RuntimeException.InvalidArgument(problem);
            }
        }
    }

    /// <summary>The method as it travels (<see cref="InvokeMethod"/>); INVALID_ARGUMENT when it cannot.</summary>
    public static string CleanMethod(InvokeCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var method = InvokeMethod.Normalize(call.Method, out var problem);
        if (method is null)
        {
            throw RuntimeException.InvalidArgument(problem!);
        }

        return method.Length > 0
            ? method
            : throw RuntimeException.InvalidArgument($"method {Quoted.Of(call.Method)} names no method once cleaned ('.' and '..' segments resolved); name the method of app '{call.AppId}' to invoke.");
    }
}
