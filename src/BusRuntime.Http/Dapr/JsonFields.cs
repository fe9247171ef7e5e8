using System.Text.Json;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Field lookup as Dapr's Go decoder does it: an exact match first, then one that differs only in case
/// (the Node.js SDK sends "entryID" where Dapr documents "entryId").
/// </summary>
public static class JsonFields
{
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
