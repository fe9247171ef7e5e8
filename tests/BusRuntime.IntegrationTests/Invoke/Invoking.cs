using System.Globalization;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.IntegrationTests.Invoke;

/// <summary>Many calls through a sidecar's InvokeService, each with its own payload, to an app that echoes.</summary>
internal static class Invoking
{
    /// <summary>Calls <paramref name="appId"/> <paramref name="count"/> times; returns what each call sent and what it got back.</summary>
    public static async Task<IReadOnlyList<(string Sent, string Answered)>> ManyAsync(TestSidecar caller, string appId, int count, int concurrency)
    {
        var answers = new (string Sent, string Answered)[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (index, cancellationToken) =>
            {
                var sent = $"call-{index.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
                var response = await caller.Runtime.InvokeServiceAsync(
                    new InvokeServiceRequest { AppId = appId, Method = "echo", Data = ByteString.CopyFromUtf8(sent), ContentType = "text/plain" },
                    deadline: DateTime.UtcNow.AddSeconds(60),
                    cancellationToken: cancellationToken);
                answers[index] = (sent, response.Data.ToStringUtf8());
            });
        return answers;
    }
}
