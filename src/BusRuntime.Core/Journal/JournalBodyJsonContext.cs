using System.Text.Json;
using System.Text.Json.Serialization;
using BusRuntime.Contracts;

namespace BusRuntime.Core.Journal;

/// <summary>
/// The journal's bodies of the bus's own messages, written without reflection; other message types fall back to
/// reflection (<see cref="MessageJournal.BodyJson"/>). Its options are those of <see cref="JsonSerializerDefaults.Web"/>, so
/// the JSON is the same either way.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TopicEvent))]
[JsonSerializable(typeof(InvokeRequest))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(StateChanged))]
[JsonSerializable(typeof(ConfigurationChanged))]
[JsonSerializable(typeof(JobTriggered))]
[JsonSerializable(typeof(JobTriggerOutcome))]
[JsonSerializable(typeof(WorkflowEnded))]
internal sealed partial class JournalBodyJsonContext : JsonSerializerContext;
