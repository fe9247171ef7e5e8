using System.Globalization;
using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Jobs;
using BusRuntime.Core.Schedules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Dapr's jobs routes on the jobs primitive, under /v1.0 and the deprecated /v1.0-alpha1: <c>POST /jobs/{name}</c> takes
/// <c>{"schedule","repeats","dueTime","ttl","data","overwrite","failurePolicy"}</c> (the names camelCase or the proto's
/// snake_case; data any JSON, kept as daprd keeps it; failurePolicy <c>{"drop":{}}</c> or
/// <c>{"constant":{"interval":"3s","maxRetries":5}}</c>) and answers 204; <c>GET</c> answers the job as protobuf's JSON
/// writes Dapr's Job; <c>DELETE</c> answers 204. Errors as daprd's: the name in the body is 400 DAPR_SCHEDULER_JOB_NAME,
/// neither a schedule nor a due time 400 DAPR_SCHEDULER_SCHEDULE_EMPTY, a body that is not a job 400
/// ERR_MALFORMED_REQUEST, other failures the kind's status with DAPR_SCHEDULER_SCHEDULE_JOB, _GET_JOB or _DELETE_JOB.
/// </summary>
public static class JobRoutes
{
    public static IEndpointRouteBuilder MapDaprJobs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var version in new[] { "v1.0", "v1.0-alpha1" })
        {
            var route = $"/{version}/jobs/{{name}}";
            endpoints.MapPost(route, ScheduleAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.JobSchedule));
            endpoints.MapGet(route, GetAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.JobGet));
            endpoints.MapDelete(route, DeleteAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.JobDelete));
        }

        return endpoints;
    }

    private static async Task<IResult> ScheduleAsync(string name, HttpRequest request, JobScheduler jobs, IJobDataJson dataJson, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = JsonBody.Parse(body, Malformed);
        var root = document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement
            : throw Malformed($"the body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an object.");
        if (Field(root, "name", "name") is { ValueKind: not JsonValueKind.Null } named && named.ToString().Length > 0)
        {
            throw new DaprHttpException(StatusCodes.Status400BadRequest, DaprErrorCodes.SchedulerJobName, "Set the job name in the url only");
        }

        var schedule = StringOf(root, "schedule", "schedule");
        var dueTime = StringOf(root, "dueTime", "due_time");
        if (schedule is null && dueTime is null)
        {
            throw new DaprHttpException(StatusCodes.Status400BadRequest, DaprErrorCodes.SchedulerScheduleEmpty, $"job {Quoted.Of(name)} has neither a schedule nor a dueTime; set one of them.");
        }

        var data = Field(root, "data", "data") is { ValueKind: not JsonValueKind.Null } json ? dataJson.FromJson(json) : null;
        var job = new Job(name.Trim(), schedule, RepeatsOf(root), dueTime, StringOf(root, "ttl", "ttl"), data, PolicyOf(root));
        var overwrite = Field(root, "overwrite", "overwrite") switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.False } => false,
            { ValueKind: JsonValueKind.True } => true,
            { } other => throw Malformed($"overwrite is {Quoted.Of(other.GetRawText())}; it must be true or false."),
        };
        await jobs.ScheduleAsync(job, overwrite, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> GetAsync(string name, JobScheduler jobs, IJobDataJson dataJson, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return Results.Text(JobJson(job, dataJson), "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> DeleteAsync(string name, JobScheduler jobs, CancellationToken cancellationToken)
    {
        await jobs.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    /// <summary>The job as protobuf's JSON writes Dapr's Job: unset fields left out, the data as an Any.</summary>
    private static string JobJson(Job job, IJobDataJson dataJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", job.Name);
            WriteIfSet(writer, "schedule", job.Schedule);
            if (job.Repeats is { } repeats)
            {
                writer.WriteNumber("repeats", repeats);
            }

            WriteIfSet(writer, "dueTime", job.DueTime);
            WriteIfSet(writer, "ttl", job.Ttl);
            if (job.Data is { } data)
            {
                writer.WritePropertyName("data");
                writer.WriteRawValue(dataJson.ToJson(data));
            }

            if (job.FailurePolicy is { } policy)
            {
                writer.WriteStartObject("failurePolicy");
                if (policy.Drop)
                {
                    writer.WriteStartObject("drop");
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartObject("constant");
                    writer.WriteString("interval", policy.Interval.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s");
                    if (policy.MaxRetries is { } most)
                    {
                        writer.WriteNumber("maxRetries", most);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static DaprHttpException Malformed(string message) =>
        new(StatusCodes.Status400BadRequest, DaprErrorCodes.MalformedRequest, message);

    private static JsonElement? Field(JsonElement root, string name, string protoName) =>
        JsonFields.TryGet(root, name, out var value) || JsonFields.TryGet(root, protoName, out value) ? value : null;

    private static string? StringOf(JsonElement root, string name, string protoName) => Field(root, name, protoName) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Malformed($"{name} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; it must be a string."),
    };

    // As protobuf's JSON, a uint32 may be a number or a string of one.
    private static uint? RepeatsOf(JsonElement root) => Field(root, "repeats", "repeats") switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetUInt32(out var number) => number,
        { ValueKind: JsonValueKind.String } value when uint.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        { } value => throw Malformed($"repeats is {Quoted.Of(value.GetRawText())}; it must be a whole number from 0 to 4294967295."),
    };

    private static JobFailurePolicy? PolicyOf(JsonElement root)
    {
        if (Field(root, "failurePolicy", "failure_policy") is not { ValueKind: not JsonValueKind.Null } policy)
        {
            return null;
        }

        if (policy.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"failurePolicy is a JSON {policy.ValueKind.ToString().ToLowerInvariant()}; it must be an object, {{\"drop\":{{}}}} or {{\"constant\":{{\"interval\":\"1s\",\"maxRetries\":3}}}}.");
        }

        if (Field(policy, "drop", "drop") is { ValueKind: JsonValueKind.Object })
        {
            return new JobFailurePolicy(true, TimeSpan.Zero, null);
        }

        if (Field(policy, "constant", "constant") is not { ValueKind: JsonValueKind.Object } constant)
        {
            return null;
        }

        var intervalText = StringOf(constant, "interval", "interval");
        var interval = TimeSpan.Zero;
        if (intervalText is not null && !GoDuration.TryParse(intervalText, out interval))
        {
            throw Malformed($"failurePolicy.constant.interval is {Quoted.Of(intervalText)}; it must be a duration such as \"1s\" or \"1.5s\".");
        }

        uint? maxRetries = Field(constant, "maxRetries", "max_retries") switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetUInt32(out var number) => number,
            { ValueKind: JsonValueKind.String } value when uint.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            { } value => throw Malformed($"failurePolicy.constant.maxRetries is {Quoted.Of(value.GetRawText())}; it must be a whole number from 0 to 4294967295."),
        };
        return new JobFailurePolicy(false, interval, maxRetries);
    }
}
