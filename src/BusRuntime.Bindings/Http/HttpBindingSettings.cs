using System.Globalization;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;

namespace BusRuntime.Bindings.Http;

/// <summary>A bindings.http component's settings, read from its metadata; a bad value throws naming its key.</summary>
public sealed record HttpBindingSettings(Uri Url, int MaxResponseBytes, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public static HttpBindingSettings For(ComponentOptions component, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(component);
        var url = ComponentMetadata.GetString(component, BindingMetadata.Url);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            throw new InvalidOperationException(
                $"{ComponentMetadata.KeyOf(component, BindingMetadata.Url)} '{url}' must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:8080/hooks.");
        }

        var timeout = DefaultTimeout;
        if (ComponentMetadata.GetString(component, BindingMetadata.Timeout) is { } text
            && (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out timeout) || timeout <= TimeSpan.Zero || timeout > MaxTimeout))
        {
            throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.Timeout)} '{text}' must be a time between 00:00:00.001 and {MaxTimeout:c}, as 00:00:30.");
        }

        var maxResponseBytes = ComponentMetadata.GetInt32(component, BindingMetadata.MaxResponseBytes, maxPayloadBytes, 1, 64 * 1024 * 1024);
        return new HttpBindingSettings(parsed, maxResponseBytes, timeout);
    }
}
