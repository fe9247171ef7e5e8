using System.Globalization;

namespace BusRuntime.Core.Configuration;

/// <summary>Reads a component's metadata values; a bad value throws naming its configuration key.</summary>
public static class ComponentMetadata
{
    public static bool GetBoolean(ComponentOptions component, string key, bool defaultValue)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (!component.Metadata.TryGetValue(key, out var value) || string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        return bool.TryParse(value, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"{KeyOf(component, key)} '{value}' is not one of: true, false.");
    }

    public static int GetInt32(ComponentOptions component, string key, int defaultValue, int minimum, int maximum)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (!component.Metadata.TryGetValue(key, out var value) || string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum && parsed <= maximum
            ? parsed
            : throw new InvalidOperationException($"{KeyOf(component, key)} '{value}' must be a whole number between {minimum} and {maximum}.");
    }

    public static string? GetString(ComponentOptions component, string key)
    {
        ArgumentNullException.ThrowIfNull(component);
        return component.Metadata.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    /// <summary>The configuration key of a metadata entry, e.g. BusRuntime:Components[statestore]:Metadata:keyPrefix.</summary>
    public static string KeyOf(ComponentOptions component, string key)
    {
        ArgumentNullException.ThrowIfNull(component);
        return $"BusRuntime:Components[{component.Name}]:Metadata:{key}";
    }
}
