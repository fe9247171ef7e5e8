using System.Text.Json;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// A job's data as Dapr's HTTP API writes it: the JSON of a schedule request kept as a <c>google.protobuf.Value</c> (as
/// daprd keeps it), and data shown as protobuf's JSON shows an Any. Implemented where protobuf is known (BusRuntime.Protos).
/// </summary>
public interface IJobDataJson
{
    /// <summary>The JSON value <paramref name="json"/> as job data.</summary>
    JobData FromJson(JsonElement json);

    /// <summary>
    /// <paramref name="data"/> as protobuf's JSON writes an Any: <c>{"@type": url, "value": …}</c> for a well-known
    /// type (JSON data among them), <c>{"@type": url, "value": base64}</c> for another.
    /// </summary>
    string ToJson(JobData data);
}
