using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Sidecar.Tests.Jobs;

/// <summary>Dapr's jobs routes (/v1.0 and /v1.0-alpha1): bodies read and jobs answered as daprd's, errors with its codes.</summary>
public sealed class DaprJobsHttpTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Theory]
    [InlineData("v1.0")]
    [InlineData("v1.0-alpha1")]
    public async Task PostThenGet_DaprsFieldsTest_TheJobAsProtobufJsonAndOverGrpc(string version)
    {
        var name = DaprSidecar.Key("fields");
        using var posted = await PostAsync($"/{version}/jobs/{name}", """
            {"schedule": "@every 1m", "repeats": 123, "dueTime": "1000s", "ttl": "12300s", "data": "hello world",
             "failure_policy": {"constant": {"interval": "3s", "max_retries": 5}}}
            """);
        using var read = await Http.GetAsync(new Uri($"/{version}/jobs/{name}", UriKind.Relative));
        using var json = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        var overGrpc = (await fixture.Client.GetJobAsync(new GetJobRequest { Name = name })).Job;

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var root = json.RootElement;
        Assert.Equal((name, "@every 1m", 123, "1000s", "12300s"), (root.GetProperty("name").GetString(), root.GetProperty("schedule").GetString(), root.GetProperty("repeats").GetInt32(), root.GetProperty("dueTime").GetString(), root.GetProperty("ttl").GetString()));
        Assert.Equal("type.googleapis.com/google.protobuf.Value", root.GetProperty("data").GetProperty("@type").GetString());
        Assert.Equal("hello world", root.GetProperty("data").GetProperty("value").GetString());
        Assert.Equal("3s", root.GetProperty("failurePolicy").GetProperty("constant").GetProperty("interval").GetString());
        Assert.Equal(5, root.GetProperty("failurePolicy").GetProperty("constant").GetProperty("maxRetries").GetInt32());
        Assert.Equal("hello world", overGrpc.Data.Unpack<Value>().StringValue);
        Assert.Equal(TimeSpan.FromSeconds(3), overGrpc.FailurePolicy.Constant.Interval.ToTimeSpan());
    }

    [Fact]
    public async Task Post_ExistingJob_409UnlessOverwrite()
    {
        var name = DaprSidecar.Key("dup");
        using var first = await PostAsync($"/v1.0/jobs/{name}", """{"dueTime": "1h"}""");

        using var again = await PostAsync($"/v1.0/jobs/{name}", """{"dueTime": "2h"}""");
        using var overwritten = await PostAsync($"/v1.0/jobs/{name}", """{"dueTime": "3h", "overwrite": true}""");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await AssertErrorAsync(again, HttpStatusCode.Conflict, "DAPR_SCHEDULER_SCHEDULE_JOB", name);
        Assert.Equal(HttpStatusCode.NoContent, overwritten.StatusCode);
        Assert.Equal("3h", (await fixture.Client.GetJobAsync(new GetJobRequest { Name = name })).Job.DueTime);
    }

    [Theory]
    [InlineData("""{"name": "other", "dueTime": "1h"}""", HttpStatusCode.BadRequest, "DAPR_SCHEDULER_JOB_NAME", "in the url only")]
    [InlineData("""{"repeats": 3}""", HttpStatusCode.BadRequest, "DAPR_SCHEDULER_SCHEDULE_EMPTY", "neither a schedule nor a dueTime")]
    [InlineData("""{"schedule": "every day"}""", HttpStatusCode.BadRequest, "DAPR_SCHEDULER_SCHEDULE_JOB", "schedule 'every day'")]
    [InlineData("""{"dueTime": "1h", "repeats": -1}""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "repeats is '-1'")]
    [InlineData("""{"dueTime": "1h", "failurePolicy": {"constant": {"interval": "soon"}}}""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "interval is 'soon'")]
    [InlineData("""[1]""", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "must be an object")]
    [InlineData("""{"dueTime": """, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "not JSON")]
    public async Task Post_NotValid_DaprsStatusAndCode(string body, HttpStatusCode status, string code, string message)
    {
        using var response = await PostAsync($"/v1.0/jobs/{DaprSidecar.Key("bad")}", body);

        await AssertErrorAsync(response, status, code, message);
    }

    [Fact]
    public async Task GetAndDelete_NoSuchJob_404WithGetJobsCodeAnd204()
    {
        var name = DaprSidecar.Key("missing");

        using var read = await Http.GetAsync(new Uri($"/v1.0/jobs/{name}", UriKind.Relative));
        using var deleted = await Http.DeleteAsync(new Uri($"/v1.0-alpha1/jobs/{name}", UriKind.Relative));

        await AssertErrorAsync(read, HttpStatusCode.NotFound, "DAPR_SCHEDULER_GET_JOB", name);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Delete_ScheduledJob_Gone()
    {
        var name = DaprSidecar.Key("gone");
        using var posted = await PostAsync($"/v1.0/jobs/{name}", """{"schedule": "@daily", "failurePolicy": {"drop": {}}}""");

        using var deleted = await Http.DeleteAsync(new Uri($"/v1.0/jobs/{name}", UriKind.Relative));
        using var read = await Http.GetAsync(new Uri($"/v1.0/jobs/{name}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Post_HttpApp_TickPostedToJobNameWithTheDataAsJson()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("jobs-http-app", new Dictionary<string, string?> { ["BusRuntime:AppProtocol"] = "http" }, app.Port);

        using var content = new StringContent("""{"dueTime": "0s", "data": {"order": 7, "items": ["a"]}}""", Encoding.UTF8, "application/json");
        using var posted = await sidecar.Http.PostAsync(new Uri("/v1.0/jobs/ship", UriKind.Relative), content);
        await Poll.UntilAsync(() => app.Received.Any(request => request.Path == "/job/ship"), TimeSpan.FromSeconds(10), () => $"the app got: {string.Join(", ", app.Received.Select(request => request.Path))}");

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        var tick = app.Received.First(request => request.Path == "/job/ship");
        Assert.Equal(("POST", "application/json"), (tick.Method, tick.ContentType));
        using var body = JsonDocument.Parse(tick.Body);
        Assert.Equal(7, body.RootElement.GetProperty("order").GetInt32());
        Assert.Equal("a", body.RootElement.GetProperty("items")[0].GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(code, json.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains(message, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
