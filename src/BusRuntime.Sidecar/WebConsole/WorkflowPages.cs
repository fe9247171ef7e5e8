using BusRuntime.Protos.V1;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>Workflow instances: the list (by status and definition), one instance's steps, and Terminate for a running one.</summary>
internal static class WorkflowPages
{
    private const string Section = "/workflows";

    /// <summary>Instances read per page, most recently started first.</summary>
    private const int Listed = 200;

    private static readonly string[] Statuses = ["RUNNING", "COMPLETED", "FAILED", "COMPENSATING", "COMPENSATED", "COMPENSATION_FAILED", "TERMINATED"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/workflows", (string? status, string? definition, HttpContext context, ConsoleSidecar sidecar) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ListAsync(status ?? "", definition?.Trim() ?? "", context, sidecar)));
        routes.MapGet("/workflows/{id}", (string id, string? app, HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ShowAsync(id, app ?? "", context, sidecar, token)));
        routes.MapPost("/workflows/{id}/terminate", (string id, HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => TerminateAsync(id, context, sidecar, token)));
    }

    private static async Task<IResult> ListAsync(string status, string definition, HttpContext context, ConsoleSidecar sidecar)
    {
        var workflows = (await sidecar.Operations.ListWorkflowsAsync(new ListWorkflowsRequest { Status = status, Limit = Listed }, cancellationToken: context.RequestAborted)).Workflows;
        var shown = workflows.Where(workflow => definition.Length == 0 || workflow.WorkflowName == definition).ToList();
        var filters = $"""
            <form method="get" action="/workflows" class="filters" aria-label="Filters">
            <div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>{string.Concat(Statuses.Select(item => $"<option{(item == status ? " selected" : "")}>{item}</option>"))}</select></div>
            <div><label for="definition">Definition</label><input id="definition" name="definition" value="{Html.Text(definition)}" maxlength="255"></div>
            <div><button type="submit">Filter</button></div>
            </form>
            """;
        var rows = shown.Select(workflow => Html.Row(
            $"<a href=\"/workflows/{Html.Query(workflow.InstanceId)}?app={Html.Query(workflow.StartedBy)}\">{Html.Text(workflow.InstanceId)}</a>",
            Html.Text(workflow.WorkflowName),
            Html.Text(Status(workflow.Status)),
            Html.Text(workflow.StartedBy),
            Html.Text(Html.Time(workflow.StartedAt)),
            Html.Text(Html.Time(workflow.EndedAt)),
            $"{Html.Number(Math.Min(workflow.CurrentStep + 1, workflow.Steps.Count))} of {Html.Number(workflow.Steps.Count)}")).ToList();
        var table = Html.Table(
            $"Workflow instances, most recently started first (of the newest {Listed})",
            ["Instance id", "Definition", "Status", "Started by", "Started (UTC)", "Ended (UTC)", "Step"],
            rows,
            "No workflow instance matches these filters.");
        return Layout.Page(sidecar, Section, "Workflows", filters + table);
    }

    private static async Task<IResult> ShowAsync(string id, string app, HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        var workflow = (await sidecar.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id, AppId = app }, cancellationToken: context.RequestAborted)).Workflow;
        var own = (await sidecar.Operations.GetInfoAsync(new GetInfoRequest(), cancellationToken: context.RequestAborted)).AppId;
        var facts = $"""
            <dl class="facts">
            <dt>Instance id</dt><dd>{Html.Text(workflow.InstanceId)}</dd>
            <dt>Definition</dt><dd>{Html.Text(workflow.WorkflowName)}</dd>
            <dt>Status</dt><dd>{Html.Text(Status(workflow.Status))}</dd>
            <dt>Started by</dt><dd>{Html.Text(workflow.StartedBy)}</dd>
            <dt>Started (UTC)</dt><dd>{Html.Text(Html.Time(workflow.StartedAt))}</dd>
            <dt>Ended (UTC)</dt><dd>{Html.Text(Html.Time(workflow.EndedAt))}</dd>
            <dt>Input</dt><dd>{Html.Number(workflow.InputSize)} bytes</dd>
            {(workflow.Error is { } error ? $"<dt>Error</dt><dd>step {Html.Number(error.Step + 1)} ({Html.Text(error.AppId)}): {Html.Text(error.Status)} {Html.Text(error.Message)}</dd>" : "")}
            {(workflow.CompensationError.Length > 0 ? $"<dt>Compensation error</dt><dd>{Html.Text(workflow.CompensationError)}</dd>" : "")}
            {(workflow.TerminateReason.Length > 0 ? $"<dt>Terminated because</dt><dd>{Html.Text(workflow.TerminateReason)}</dd>" : "")}
            </dl>
            """;
        var terminate = workflow.Status != WorkflowStatus.Running
            ? ""
            : workflow.StartedBy == own
                ? Forms.Post(
                    token,
                    $"/workflows/{Uri.EscapeDataString(workflow.InstanceId)}/terminate",
                    "Terminate",
                    "<div><label for=\"reason\">Reason</label><input id=\"reason\" name=\"reason\" maxlength=\"1024\"></div>",
                    $"Terminate workflow instance {workflow.InstanceId}? Its completed steps are compensated.")
                : $"<p>It runs for app {Html.Text(workflow.StartedBy)}: terminate it from a console on that app's sidecar (TerminateWorkflow acts on the sidecar's own app's instances).</p>";
        var steps = Html.Table(
            "Steps",
            ["Step", "App id", "Method", "Compensation", "Status", "Output", "Error", "Completed (UTC)"],
            [.. workflow.Steps.Select((step, index) => Html.Row(
                Html.Number(index + 1),
                Html.Text(step.AppId),
                Html.Text(step.Method),
                Html.Text(step.CompensationMethod),
                Html.Text(step.Status.ToString()),
                step.HasOutputSize ? $"{Html.Number(step.OutputSize)} bytes" : "",
                Html.Text($"{step.ErrorStatus} {step.ErrorMessage}".Trim()),
                Html.Text(Html.Time(step.CompletedAt))))],
            "No steps.");
        return Layout.Page(sidecar, Section, $"Workflow {workflow.InstanceId}", facts + terminate + steps);
    }

    private static async Task<IResult> TerminateAsync(string id, HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        if (await Forms.FromConsoleAsync(token, context) is not { } form)
        {
            return MessagePages.Refused(sidecar);
        }

        var reason = form["reason"].ToString() is { Length: > 0 } given ? given : "terminated from the web console";
        await sidecar.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id, Reason = reason }, cancellationToken: context.RequestAborted);
        return Layout.Page(
            sidecar,
            Section,
            "Terminated",
            $"<p role=\"status\">Workflow instance {Html.Text(id)} is terminating: its completed steps are compensated, last first.</p><p><a href=\"/workflows/{Html.Query(id)}\">See it</a></p>");
    }

    private static string Status(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Running => "RUNNING",
        WorkflowStatus.Completed => "COMPLETED",
        WorkflowStatus.Failed => "FAILED",
        WorkflowStatus.Compensating => "COMPENSATING",
        WorkflowStatus.Compensated => "COMPENSATED",
        WorkflowStatus.CompensationFailed => "COMPENSATION_FAILED",
        WorkflowStatus.Terminated => "TERMINATED",
        _ => "UNSPECIFIED",
    };
}
