using System.Text;
using System.Text.Json;
using BusRuntime.Core.Journal;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalHeadersJsonTests
{
    [Fact]
    public void Json_Headers_IsWhatJsonSerializerWrites()
    {
        using var headers = new JournalHeadersJson();
        IReadOnlyDictionary<string, string> first = new Dictionary<string, string> { ["MT-Host-ProcessId"] = "4711", ["x<\"q\">"] = "é+\\\n" };
        IReadOnlyDictionary<string, string> second = new SortedDictionary<string, string> { ["b"] = "2", ["a"] = "1" };

        var firstJson = Encoding.UTF8.GetString(headers.Json(first).Span);
        var secondJson = Encoding.UTF8.GetString(headers.Json(second).Span);

        Assert.Equal((JsonSerializer.Serialize(first), JsonSerializer.Serialize(second)), (firstJson, secondJson));
    }
}
