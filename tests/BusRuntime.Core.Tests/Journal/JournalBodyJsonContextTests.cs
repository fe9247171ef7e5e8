using System.Text.Json;
using BusRuntime.Contracts;
using BusRuntime.Core.Journal;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalBodyJsonContextTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    private static readonly TopicEvent Event = new()
    {
        PubsubName = "pubsub",
        Topic = "orders",
        Source = "shop",
        Data = [1, 2, 250],
        Metadata = new Dictionary<string, string> { ["a<b>"] = "é+\"" },
    };

    private static readonly DateTimeOffset At = new(2026, 12, 7, 17, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<object> BusMessages() =>
    [
        Event,
        new InvokeRequest { AppId = "billing", Method = "invoices", Source = "shop", Data = [7], HttpVerb = "POST", ExpiresAt = At, Metadata = new Dictionary<string, string> { ["x"] = "y" } },
        new InvokeResponse { StatusCode = 5, StatusMessage = "gone", Headers = new Dictionary<string, string> { ["h"] = "v" }, RefusedBySidecar = true },
        new StateChanged { StoreName = "state", AppId = "shop", Key = "k", Operation = StateChanged.Upsert, ETag = "1", Value = [3], ChangedAt = At },
        new ConfigurationChanged { StoreName = "config", AppId = "shop", Group = "g", Label = "l", Key = "k", Content = "c", Version = 3, ChangedAt = At },
        new JobTriggered { AppId = "shop", Name = "nightly", Tick = At, Data = [9] },
        new JobTriggerOutcome { Taken = false, Reason = "busy" },
        new WorkflowEnded { InstanceId = "i", WorkflowName = "w", StartedBy = "shop", Status = "Completed", StartedAt = At, EndedAt = At },
    ];

    [Theory]
    [MemberData(nameof(BusMessages))]
    public void BodyJson_BusMessage_IsWhatReflectionWrites(object message) =>
        Assert.Equal(JsonSerializer.Serialize(message, message.GetType(), Reflection), JsonSerializer.Serialize(message, message.GetType(), MessageJournal.BodyJson));

    [Fact]
    public void BodyJson_OtherType_IsWrittenByReflection() =>
        Assert.Equal("""{"orderId":7}""", JsonSerializer.Serialize(new { OrderId = 7 }, MessageJournal.BodyJson));

    [Fact]
    public void BodyJson_TopicEvent_ReadsBackWhatItWrote()
    {
        var read = JsonSerializer.Deserialize<TopicEvent>(JsonSerializer.Serialize(Event, MessageJournal.BodyJson), MessageJournal.BodyJson)!;

        Assert.Equal((Event.Topic, Event.Metadata["a<b>"]), (read.Topic, read.Metadata["a<b>"]));
        Assert.Equal(Event.Data, read.Data);
    }
}
