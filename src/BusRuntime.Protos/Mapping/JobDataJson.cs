using System.Text.Json;
using BusRuntime.Core.Jobs;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Protos.Mapping;

/// <summary>Core's <see cref="IJobDataJson"/> on Google.Protobuf: JSON to and from <c>google.protobuf.Value</c>, an Any written with the well-known types.</summary>
public sealed class JobDataJson : IJobDataJson
{
    private static readonly TypeRegistry WellKnown = TypeRegistry.FromFiles(
        StructReflection.Descriptor,
        WrappersReflection.Descriptor,
        DurationReflection.Descriptor,
        TimestampReflection.Descriptor,
        EmptyReflection.Descriptor,
        AnyReflection.Descriptor,
        FieldMaskReflection.Descriptor);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(WellKnown));

    public JobData FromJson(JsonElement json)
    {
        var value = Value.Parser.ParseJson(json.GetRawText());
        return new JobData(JobData.JsonValueTypeUrl, value.ToByteArray());
    }

    public string ToJson(JobData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var any = new Any { TypeUrl = data.TypeUrl, Value = ByteString.CopyFrom(data.Value.Span) };
        try
        {
            return Formatter.Format(any);
        }
        catch (Exception exception) when (exception is InvalidOperationException or InvalidProtocolBufferException)
        {
            return JsonSerializer.Serialize(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["@type"] = data.TypeUrl,
                ["value"] = Convert.ToBase64String(data.Value.Span),
            });
        }
    }
}
